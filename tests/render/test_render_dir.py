"""The `dir` format: its scripts run (against fake kubectl/helm) in plan order, and index.json."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import subprocess
import time
from pathlib import Path

import pytest
from render_plans import sample_data, sample_plan

from modsys.render import RenderInput, render


def _run(out: Path, script: str, env: dict[str, str], *args: str, stdin=subprocess.DEVNULL):
    return subprocess.run(
        ["bash", str(out / script), *args], env=env, stdin=stdin, capture_output=True, text=True
    )


def _calls(env: dict[str, str]) -> list[str]:
    return Path(env["FAKE_LOG"]).read_text().splitlines()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return render(sample_plan(), "dir").write(tmp_path / "out")


@pytest.mark.parametrize("script", ["apply.sh", "destroy.sh"])
def test_scripts_are_valid_executable_bash(out: Path, script: str):
    assert os.access(out / script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(out / script)]).returncode == 0


def test_apply_script_applies_bundles_in_plan_order_with_waits_between(out, fake_tools):
    result = _run(out, "apply.sh", fake_tools)
    assert result.returncode == 0, result.stderr
    calls = _calls(fake_tools)
    assert calls == [
        "kubectl --context kind-dev apply --server-side --field-manager=modsys "
        "-f 00-crds/00-widgets/customresourcedefinition-widgets.example.com.yaml",
        "kubectl --context kind-dev wait --for=condition=Established --timeout=60s "
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com",
        "kubectl --context kind-dev apply --server-side --field-manager=modsys "
        "-f 01-namespaces/00-namespaces/namespace-web.yaml "
        "-f 01-namespaces/00-namespaces/namespace-cert-manager.yaml",
        "helm --kube-context kind-dev upgrade --install cert-manager cert-manager "
        "--repo https://charts.jetstack.io --version v1.15.3 --namespace cert-manager "
        "-f 02-operators/00-cert-manager/values.yaml --wait --timeout=300s",
        "kubectl --context kind-dev wait -n cert-manager --for=condition=Available "
        "--timeout=300s deployment -l app.kubernetes.io/instance=cert-manager",
        "kubectl --context kind-dev apply --server-side --field-manager=modsys "
        "-f 03-services/00-config/configmap-web-config.yaml",
        "kubectl --context kind-dev apply --server-side --field-manager=modsys "
        "-f 03-services/01-web/service-web.yaml -f 03-services/01-web/deployment-web.yaml",
        "kubectl --context kind-dev rollout status -n web deployment.apps/web --timeout=300s",
        "kubectl get --raw /readyz",  # a wait command, run through bash -c
        "kubectl --context kind-dev apply --server-side --field-manager=modsys "
        "-f 03-services/02-podinfo/configmap-podinfo-extra.yaml",
        "helm --kube-context kind-dev upgrade --install podinfo "
        "oci://ghcr.io/stefanprodan/charts/podinfo --version 6.7.0 --namespace podinfo "
        "--create-namespace --skip-crds -f values/podinfo.yaml "
        "-f 03-services/02-podinfo/values.yaml --wait --timeout=300s",
    ]


def test_apply_script_stops_at_the_first_failing_step(out, fake_tools, tmp_path):
    (tmp_path / "bin" / "helm").write_text(
        '#!/usr/bin/env bash\necho "helm $*" >> "$FAKE_LOG"; exit 1\n'
    )
    result = _run(out, "apply.sh", fake_tools)
    assert result.returncode != 0
    assert not any("03-services" in c for c in _calls(fake_tools))


def test_destroy_script_deletes_in_reverse_order(out, fake_tools):
    assert _run(out, "destroy.sh", fake_tools).returncode == 0
    calls = _calls(fake_tools)
    assert calls[0].startswith("helm --kube-context kind-dev uninstall podinfo --namespace podinfo")
    assert calls[-1].endswith(
        "-f 00-crds/00-widgets/customresourcedefinition-widgets.example.com.yaml"
    )
    deleted = [c.split(" -f ")[1:] for c in calls if " delete " in c]
    assert deleted[2] == [
        "03-services/00-config/configmap-web-config.yaml"
    ]  # after web's files, which are deleted in reverse object order:
    assert deleted[1] == [
        "03-services/01-web/deployment-web.yaml",
        "03-services/01-web/service-web.yaml",
    ]


def test_index_lists_the_order_and_a_checksum_of_every_file(out):
    index = json.loads((out / "index.json").read_text())
    ids = [b["id"] for batch in index["batches"] for b in batch["bundles"]]
    assert ids == [
        "crds/widgets",
        "namespaces/namespaces",
        "operators/cert-manager",
        "services/config",
        "services/web",
        "services/podinfo",
    ]
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in ("index.json", ".modsys-render")
    }
    assert set(index["sha256"]) == on_disk
    for rel, digest in index["sha256"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
    listed = {f for batch in index["batches"] for b in batch["bundles"] for f in b["files"]}
    assert listed <= on_disk


def test_chart_bundles_get_values_and_a_chart_reference(out):
    chart = json.loads((out / "03-services/02-podinfo/chart.json").read_text())
    assert chart["repository"] == "oci://ghcr.io/stefanprodan/charts"
    assert (
        out / "03-services/02-podinfo/values.yaml"
    ).read_text() == "ui:\n  message: from modsys\n"


def test_plan_files_are_included_as_is_and_keep_their_executable_bit(out):
    assert (out / "README.md").read_text() == "Rendered by modsys.\n"
    assert os.access(out / "hooks/smoke.sh", os.X_OK)
    assert not os.access(out / "README.md", os.X_OK)


def test_no_context_means_no_context_flags(tmp_path):
    data = sample_data()
    data["cluster"] = {}
    files = render(RenderInput.from_data(data), "dir").files
    assert b"--context" not in files["apply.sh"] and b"--kube-context" not in files["apply.sh"]


# --- production guard -----------------------------------------------------------------------


@pytest.fixture
def guarded(tmp_path: Path) -> Path:
    plan = sample_plan(productionGuard={"context": "prod-eu", "environment": "production"})
    return render(plan, "dir").write(tmp_path / "guarded")


@pytest.mark.parametrize("script", ["apply.sh", "destroy.sh"])
def test_guard_refuses_another_kube_context_even_with_yes(guarded, fake_tools, script):
    fake_tools["FAKE_CONTEXT"] = "kind-dev"
    result = _run(guarded, script, fake_tools, "--yes")
    assert result.returncode == 1
    assert "prod-eu" in result.stderr and "kind-dev" in result.stderr
    assert _calls(fake_tools) == ["kubectl config current-context"]


def test_guard_refuses_without_yes_when_nobody_can_be_asked(guarded, fake_tools):
    fake_tools["FAKE_CONTEXT"] = "prod-eu"
    result = _run(guarded, "apply.sh", fake_tools)
    assert result.returncode == 1 and "--yes" in result.stderr
    assert _calls(fake_tools) == ["kubectl config current-context"]


def test_guard_runs_with_yes_on_the_right_context(guarded, fake_tools):
    fake_tools["FAKE_CONTEXT"] = "prod-eu"
    result = _run(guarded, "apply.sh", fake_tools, "--yes")
    assert result.returncode == 0, result.stderr
    assert len(_calls(fake_tools)) > 5


def test_scripts_reject_unknown_arguments(guarded, fake_tools):
    assert _run(guarded, "apply.sh", fake_tools, "--force").returncode == 2


def _interactive(out: Path, env: dict[str, str], answer: str) -> int:
    """Run apply.sh on a pseudo-terminal and type `answer` at the prompt."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        ["bash", str(out / "apply.sh")], env=env, stdin=child, stdout=child, stderr=child
    )
    os.close(child)
    seen, deadline = b"", time.monotonic() + 10
    while b"type the context name" not in seen and time.monotonic() < deadline:
        seen += os.read(main, 1024)
    os.write(main, answer.encode() + b"\n")
    try:
        while os.read(main, 1024):
            pass
    except OSError:
        pass
    os.close(main)
    return proc.wait(timeout=10)


@pytest.mark.parametrize(("answer", "code"), [("prod-eu", 0), ("yes", 1)])
def test_guard_asks_for_the_context_name_on_a_terminal(guarded, fake_tools, answer, code):
    fake_tools["FAKE_CONTEXT"] = "prod-eu"
    assert _interactive(guarded, fake_tools, answer) == code
    applied = [c for c in _calls(fake_tools) if " apply " in c]
    assert bool(applied) == (code == 0)


def _chart_plan(namespace_batch: str) -> RenderInput:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "mesh"}}
    chart = {"name": "base", "repository": "https://charts.example", "version": "1.0.0"}
    batches = {
        "crds": {
            "name": "crds",
            "priority": 100,
            "bundles": [{"name": "base", "namespace": "mesh", "chart": chart, "objects": []}],
        },
        "namespaces": {
            "name": "namespaces",
            "priority": 200,
            "bundles": [{"name": "mesh", "objects": []}],
        },
    }
    target = batches[namespace_batch]["bundles"][0]
    target["objects"] = [ns]
    return RenderInput.from_data({"manifestSets": list(batches.values())})


@pytest.mark.parametrize(
    ("namespace_batch", "flag"),
    [("crds", False), ("namespaces", True)],
    ids=["namespace-created-with-the-chart", "namespace-created-only-later"],
)
def test_charts_create_their_namespace_unless_the_plan_has_created_it_by_then(
    namespace_batch, flag
):
    script = render(_chart_plan(namespace_batch), "dir").files["apply.sh"].decode()
    (helm_line,) = [ln for ln in script.splitlines() if "helm upgrade --install" in ln]
    assert ("--create-namespace" in helm_line) is flag
