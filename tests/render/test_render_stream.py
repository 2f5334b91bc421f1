"""The `stream` format: all objects in order in one file; charts via `helm template` or noted."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from render_plans import sample_plan

from modsys.errors import ValidationError
from modsys.render import render, stream


def _kinds_and_names(text: bytes) -> list[tuple[str, str]]:
    return [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(text) if d]


@pytest.fixture
def no_helm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream.shutil, "which", lambda name: None)


def test_stream_holds_every_object_in_plan_order(no_helm):
    result = render(sample_plan(), "stream")
    assert _kinds_and_names(result.files["manifests.yaml"]) == [
        ("CustomResourceDefinition", "widgets.example.com"),
        ("Namespace", "web"),
        ("Namespace", "cert-manager"),
        ("ConfigMap", "web-config"),
        ("Service", "web"),
        ("Deployment", "web"),
        ("ConfigMap", "podinfo-extra"),
    ]


def test_chart_bundles_are_left_out_with_a_note_naming_them_when_helm_is_missing(no_helm):
    result = render(sample_plan(), "stream")
    assert result.notes == [
        "stream: no helm binary on the PATH, so these chart bundles are left out: "
        "operators/cert-manager, services/podinfo"
    ]
    text = result.files["manifests.yaml"].decode()
    assert "# chart bundle operators/cert-manager left out" in text


def test_chart_bundles_are_rendered_in_place_with_helm_template(monkeypatch):
    calls: list[list[str]] = []

    def fake_run(argv, **kwargs):
        calls.append(argv)
        values = argv[argv.index("--values") + 1]
        with open(values) as f:
            assert yaml.safe_load(f)  # the merged values reach helm
        out = f"---\n# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-{argv[2]}\n---\n"
        return subprocess.CompletedProcess(argv, 0, out, "")

    monkeypatch.setattr(stream.shutil, "which", lambda name: "/usr/bin/helm")
    monkeypatch.setattr(stream.subprocess, "run", fake_run)
    result = render(sample_plan(), "stream")
    assert result.notes == []
    names = [n for _, n in _kinds_and_names(result.files["manifests.yaml"])]
    assert names.index("from-cert-manager") == names.index("cert-manager") + 1
    assert names[-2:] == ["podinfo-extra", "from-podinfo"]
    podinfo = calls[1]
    assert podinfo[:4] == [
        "/usr/bin/helm",
        "template",
        "podinfo",
        "oci://ghcr.io/stefanprodan/charts/podinfo",
    ]
    assert "--repo" not in podinfo and "--include-crds" not in podinfo
    assert calls[0][calls[0].index("--repo") + 1] == "https://charts.jetstack.io"
    assert "--include-crds" in calls[0]


def test_a_failing_helm_template_is_an_error_naming_the_bundle(monkeypatch):
    monkeypatch.setattr(stream.shutil, "which", lambda name: "/usr/bin/helm")
    monkeypatch.setattr(
        stream.subprocess,
        "run",
        lambda argv, **kw: subprocess.CompletedProcess(argv, 1, "", "no chart"),
    )
    with pytest.raises(ValidationError, match=r"bundle operators/cert-manager: no chart"):
        render(sample_plan(), "stream")
