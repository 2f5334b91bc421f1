"""The `kustomize` format, built for real with `kubectl kustomize`: the output keeps plan order."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from render_plans import sample_data, sample_plan
from render_tools import write_fake_tool

from modsys.render import RenderInput, render
from tests.needs import kubectl_with_kustomize


@pytest.fixture(autouse=True)
def _kubectl() -> None:
    kubectl_with_kustomize()


def _build(path: Path, *args: str, env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    proc = subprocess.run(
        ["kubectl", "kustomize", *args, str(path)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    return [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(proc.stdout) if d]


def _plan_order(plan: RenderInput) -> list[tuple[str, str]]:
    return [
        (o["kind"], o["metadata"]["name"])
        for batch in plan.manifest_sets
        for b in batch.bundles
        for o in b.objects
    ]


def _without_charts() -> RenderInput:
    data = sample_data()
    for batch in data["manifestSets"]:
        batch["bundles"] = [b for b in batch["bundles"] if "chart" not in b]
    return RenderInput.from_data(data)


def test_kubectl_kustomize_builds_the_objects_in_plan_order(tmp_path: Path):
    plan = _without_charts()
    out = render(plan, "kustomize").write(tmp_path / "out")
    assert _build(out) == _plan_order(plan)


def test_each_batch_builds_on_its_own_in_plan_order(tmp_path: Path):
    plan = _without_charts()
    out = render(plan, "kustomize").write(tmp_path / "out")
    assert _build(out / "03-services") == [
        ("ConfigMap", "web-config"),
        ("Service", "web"),
        ("Deployment", "web"),
    ]


def test_chart_bundles_build_in_place_with_helm(tmp_path: Path):
    """kustomize runs `helm pull` and `helm template`; a fake helm answers for the charts."""
    fake = write_fake_tool(
        tmp_path / "bin",
        "helm",
        """cmd="$1"; shift
case "$cmd" in
  version) echo v3.16.0 ;;
  pull) while [ $# -gt 0 ]; do case "$1" in --untardir) d="$2"; shift;; --repo|--version) shift;; --untar) ;; *) ref="$1";; esac; shift; done
        name="${ref##*/}"; mkdir -p "$d/$name"
        printf 'apiVersion: v2\\nname: %s\\nversion: 0.0.0\\n' "$name" > "$d/$name/Chart.yaml"
        echo '{}' > "$d/$name/values.yaml" ;;
  template) printf -- '---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: chart-%s\\n' "$1" ;;
esac""",
    )
    out = render(sample_plan(), "kustomize").write(tmp_path / "out")
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "FAKE_LOG": str(tmp_path / "helm.log")}
    built = _build(out, "--enable-helm", env=env)
    expected = _plan_order(sample_plan())
    expected.insert(
        expected.index(("Namespace", "cert-manager")) + 1, ("ConfigMap", "chart-cert-manager")
    )
    expected.append(("ConfigMap", "chart-podinfo"))  # the chart comes after the bundle's objects
    assert built == expected
    log = (tmp_path / "helm.log").read_text()
    assert (
        "pull --untar" in log and "oci://ghcr.io/stefanprodan/charts/podinfo --version 6.7.0" in log
    )


def test_chart_bundles_are_helm_charts_entries_kustomize_accepts(tmp_path: Path):
    files = render(sample_plan(), "kustomize").files
    k = yaml.safe_load(files["02-operators/00-cert-manager/kustomization.yaml"])
    assert k["sortOptions"] == {"order": "fifo"}
    assert k["helmCharts"] == [
        {
            "name": "cert-manager",
            "repo": "https://charts.jetstack.io",
            "version": "v1.15.3",
            "releaseName": "cert-manager",
            "namespace": "cert-manager",
            "includeCRDs": True,
            "valuesInline": {"crds": {"enabled": True}, "replicaCount": 2},
        }
    ]
    podinfo = yaml.safe_load(files["03-services/02-podinfo/kustomization.yaml"])["helmCharts"][0]
    assert podinfo["valuesInline"] == {
        "replicaCount": 3,
        "ui": {"color": "#34577c", "message": "from modsys"},
    }  # the plan's values file, then the inline values on top


def test_every_kustomization_asks_for_fifo_order():
    files = render(sample_plan(), "kustomize").files
    kustomizations = [p for p in files if p.endswith("kustomization.yaml")]
    assert len(kustomizations) == 7
    for p in kustomizations:
        assert yaml.safe_load(files[p])["sortOptions"] == {"order": "fifo"}, p
