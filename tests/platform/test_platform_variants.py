"""`platform.kubernetes.variants`: one manifest set per variant, written in one atomic render."""

from __future__ import annotations

import pytest

from modsys import ValidationError, eval_modules
from modsys.platform import PLATFORM_MODULE, variants_of
from modsys.render.pipeline import render_evaluation


def _config(variants, objects=None):
    return {
        "_file": "variants.py",
        "platform": {
            "kubernetes": {
                "cluster": {
                    "uniqueIdentifier": "base",
                    "batches": {
                        "services": {
                            "bundles": {
                                "web": {
                                    "namespace": "default",
                                    "resources": objects
                                    or {"ConfigMap": {"web": {"data": {"a": "1"}}}},
                                }
                            }
                        }
                    },
                },
                "variants": variants,
            }
        },
    }


def test_without_variants_the_tree_is_rendered_at_the_top(tmp_path):
    ev = eval_modules([PLATFORM_MODULE, _config({})])
    assert variants_of(ev) == {}
    rendered = render_evaluation(ev, "dir", tmp_path / "out")
    assert (tmp_path / "out" / "apply.sh").is_file()
    assert "00-services/00-web/configmap-web.yaml" in rendered.files


def test_each_variant_renders_into_its_own_folder_with_its_own_settings(tmp_path):
    from modsys import mk_force

    variants = {
        name: {
            "platform": {"kubernetes": {"cluster": {"uniqueIdentifier": mk_force(f"k3d-{name}")}}}
        }
        for name in ("east", "west")
    }
    ev = eval_modules([PLATFORM_MODULE, _config(variants)])
    assert sorted(variants_of(ev)) == ["east", "west"]
    render_evaluation(ev, "dir", tmp_path / "out")
    for name in ("east", "west"):
        script = (tmp_path / "out" / name / "apply.sh").read_text()
        assert f"k3d-{name}" in script
    assert not (tmp_path / "out" / "apply.sh").exists()


def test_a_bad_variant_name_is_an_error_naming_it(tmp_path):
    ev = eval_modules([PLATFORM_MODULE, _config({"../up": {}})])
    with pytest.raises(ValidationError, match=r"variants.*'\.\./up'"):
        render_evaluation(ev, "dir", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_invalid_variant_writes_nothing(tmp_path):
    broken = {
        "platform": {
            "kubernetes": {
                "cluster": {
                    "batches": {
                        "services": {
                            "bundles": {
                                "web": {
                                    "resources": {
                                        "Deployment": {"web": {"spec": {"replicas": "many"}}}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    ev = eval_modules([PLATFORM_MODULE, _config({"good": {}, "bad": broken})])
    with pytest.raises(ValidationError):
        render_evaluation(ev, "dir", tmp_path / "out")
    assert not (tmp_path / "out").exists()
