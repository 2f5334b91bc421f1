"""The public functions: build_plan's shape, determinism, read-only result, render_evaluation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from platform_samples import (
    bundle_in,
    cluster,
    crd,
    deployment,
    evaluate,
    namespace_bundle,
    plan_of,
)

from modsys import AssertionFailedError, ReadOnlyOptionError, ValidationError, mk_option, types
from modsys.platform import (
    PLATFORM_MODULE,
    build_plan,
    default_modules,
    validate_plan,
)
from modsys.render import RenderInput
from modsys.render.pipeline import render_evaluation, render_files, write_rendered

APP = (
    bundle_in("crds", "defs", manifests=[crd("example.com", "Widget")]),
    namespace_bundle("web"),
    bundle_in("services", "db", namespace="web", resources={"Deployment": {"db": deployment("db")}}),
    bundle_in("services", "web", namespace="web", dependsOn=["db"], resources={
        "Deployment": {"web": deployment("web")}, "Widget": {"w": {"spec": {"size": 1}}}}),
)


def test_default_modules_start_with_the_platform_and_all_exist():
    assert PLATFORM_MODULE.name == "default.py" and PLATFORM_MODULE.is_file()
    modules = default_modules()
    assert modules[0] == PLATFORM_MODULE
    assert all(m.is_file() for m in modules)


def test_plan_is_accepted_by_the_render_model():
    plan = RenderInput.from_data(plan_of(*APP))
    assert [b.name for b in plan.manifest_sets] == ["crds", "namespaces", "services"]
    web = plan.manifest_sets[2].bundles[1]
    assert (web.id, web.depends_on, web.namespace) == ("services/web", ["services/db"], "web")
    assert [w.for_ for w in web.wait] == ["rollout"]


def test_plan_carries_cluster_and_gitops_settings():
    module = cluster(uniqueIdentifier="prod-eu", kubernetesVersion="1.30")
    module["platform"]["kubernetes"]["gitops"] = {"repoURL": "https://git.example/x.git", "path": "out"}
    plan = plan_of(module)
    assert plan["cluster"] == {"context": "prod-eu", "kubernetesVersion": "1.30"}
    assert plan["gitops"] == {"repoURL": "https://git.example/x.git", "targetRevision": "HEAD", "path": "out"}
    assert "files" not in plan and "productionGuard" not in plan


def test_build_files_are_read_when_another_module_declares_them():
    declare = {"options": {"platform": {"kubernetes": {"build": {
        "files": mk_option(type=types.attrs_of(types.str), default={}),
        "productionGuard": mk_option(type=types.raw, default=None),
    }}}}}
    define = {"platform": {"kubernetes": {"build": {"files": {"README.md": "hi\n"}}}}}
    plan = plan_of(declare, define)
    assert plan["files"] == {"README.md": "hi\n"}
    assert "productionGuard" not in plan
    assert RenderInput.from_data(plan).files["README.md"].text == "hi\n"


def test_manifest_sets_option_is_read_only():
    module = {"platform": {"kubernetes": {"build": {"manifestSets": []}}}}
    with pytest.raises(ReadOnlyOptionError, match="is read-only"):
        plan_of(module)


def test_manifest_sets_option_holds_the_plan():
    ev = evaluate(*APP)
    assert ev.config.platform.kubernetes.build.manifestSets == build_plan(ev)["manifestSets"]


def test_unsupported_kubernetes_version_is_a_type_error():
    from modsys import TypeMismatchError

    with pytest.raises(TypeMismatchError, match="kubernetesVersion"):
        plan_of(cluster(kubernetesVersion="1.2"))


def test_building_twice_gives_identical_data():
    first = json.dumps(plan_of(*APP), sort_keys=False)
    second = json.dumps(plan_of(*reversed(APP)), sort_keys=False)
    assert first == second


def test_plan_does_not_depend_on_the_hash_seed(tmp_path):
    script = (
        "import json, sys; sys.path[:0] = sys.argv[1:3];"
        "from platform_samples import plan_of, bundle_in, cluster;"
        "mods = [bundle_in('services', n, resources={'ConfigMap': {c: {} for c in 'zyxab'}}) for n in 'edcba'];"
        "print(json.dumps(plan_of(cluster({'a': {'priority': 600}}), *mods)))"
    )
    here = str(__import__("pathlib").Path(__file__).parent)
    root = str(PLATFORM_MODULE.parents[3])
    outputs = {
        subprocess.run([sys.executable, "-c", script, root, here], capture_output=True, text=True,
                       env={"PYTHONHASHSEED": seed}, check=True).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_render_evaluation_writes_the_tree(tmp_path):
    out = tmp_path / "out"
    rendered = render_evaluation(evaluate(*APP), "dir", out)
    assert rendered.out_dir == out
    assert (out / "apply.sh").is_file() and (out / "index.json").is_file()
    index = json.loads((out / "index.json").read_text())
    assert [b["name"] for b in index["batches"]] == ["crds", "namespaces", "services"]


def test_render_evaluation_writes_nothing_when_validation_fails(tmp_path):
    out = tmp_path / "out"
    render_evaluation(evaluate(*APP), "dir", out)
    before = sorted(p.name for p in out.rglob("*"))
    broken = bundle_in("services", "web", resources={"Deployment": {"web": {"spec": {"replicas": "x"}}}})
    with pytest.raises(ValidationError):
        render_evaluation(evaluate(*APP, broken), "dir", out)
    assert sorted(p.name for p in out.rglob("*")) == before
    with pytest.raises(ValidationError):
        render_evaluation(evaluate(broken), "dir", tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


def test_render_evaluation_checks_assertions_first(tmp_path):
    failing = {"assertions": [{"assertion": False, "message": "no deploys on Fridays"}]}
    with pytest.raises(AssertionFailedError, match="no deploys on Fridays"):
        render_evaluation(evaluate(*APP, failing), "dir", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_render_evaluation_returns_warnings(tmp_path):
    rendered = render_evaluation(evaluate(*APP, {"warnings": ["careful"]}), "stream", tmp_path / "out")
    assert rendered.warnings == ("careful",)
    assert rendered.files == ("manifests.yaml",)


def test_render_files_is_the_pipeline_without_the_write(tmp_path):
    """`render_files` (what `modsys render --format stream` prints) runs the same steps in
    memory; writing its result is `render_evaluation`."""
    phases = []
    result = render_files(evaluate(*APP, {"warnings": ["careful"]}), "dir", on_phase=phases.append)
    assert phases == ["validating", "rendering"]
    assert result.warnings == ("careful",) and "apply.sh" in result.executable
    assert not (tmp_path / "out").exists()
    written = write_rendered(result, tmp_path / "out")
    assert written.files == tuple(sorted(result.files))
    assert written == render_evaluation(evaluate(*APP, {"warnings": ["careful"]}), "dir", tmp_path / "out")
    assert render_files(evaluate(*APP), "dir", validate=False).files == result.files


def test_render_without_validation_still_refuses_structural_problems(tmp_path):
    with pytest.raises(ValidationError, match="DNS-1123"):
        render_evaluation(evaluate(bundle_in("services", "A")), "dir", tmp_path / "out", validate=False)


def test_validate_plan_reports_structural_and_schema_problems_together():
    with pytest.raises(ValidationError) as info:
        validate_plan(evaluate(bundle_in("services", "A", resources={"Deployment": {"d": {"spec": {}}}})))
    text = "\n".join(info.value.problems)
    assert "DNS-1123" in text and "spec.selector" in text


def test_render_evaluation_reports_an_unwritable_output_folder(tmp_path):
    """A filesystem error (here: a parent of --out is a file) is a ValidationError naming the
    folder, not an OSError the CLI would call an internal error."""
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ValidationError, match=r"cannot write the rendered tree to .*afile/out"):
        render_evaluation(evaluate(*APP), "dir", tmp_path / "afile" / "out")
    assert (tmp_path / "afile").read_text() == "x"
