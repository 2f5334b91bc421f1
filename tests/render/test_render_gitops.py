"""Argo CD, Flux, Fleet and Helmfile output: valid against the real schemas, ordered, complete."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from render_plans import sample_data, sample_plan
from render_schemas import schema_problems

from modsys.errors import ValidationError
from modsys.render import RenderInput, render
from modsys.render.helmfile import escape_template
from tests.needs import kubectl_with_kustomize


def _load(data: bytes) -> Any:
    return yaml.safe_load(data)


GENERATED = {
    "argocd": lambda p: p.startswith("argocd/"),
    "flux": lambda p: (
        p.startswith("flux/") or p.endswith(("helmrelease.yaml", "helmrepository.yaml"))
    ),
    "fleet": lambda p: p.endswith("fleet.yaml") or p.startswith("fleet/"),
    "helmfile": lambda p: p == "helmfile.yaml",
}


@pytest.mark.parametrize("fmt", list(GENERATED))
def test_everything_generated_validates_against_the_published_schemas(fmt: str):
    files = render(sample_plan(), fmt).files
    generated = {p: d for p, d in files.items() if GENERATED[fmt](p)}
    checked = [p for p in generated if p != "flux/kustomization.yaml"]
    assert checked, fmt
    assert schema_problems(fmt, generated) == {}


@pytest.mark.parametrize("fmt", list(GENERATED))
def test_the_schema_check_catches_a_misspelt_field(fmt: str):
    files = render(sample_plan(), fmt).files
    path = {
        "argocd": "argocd/apps/services-web.yaml",
        "flux": "flux/services-web.yaml",
        "fleet": "03-services/01-web/fleet.yaml",
        "helmfile": "helmfile.yaml",
    }[fmt]
    doc = _load(files[path])
    if fmt == "helmfile":
        doc["releases"][0]["needs"] = "not-a-list"
    elif fmt == "fleet":
        doc["dependOn"] = doc.pop("dependsOn")
    else:
        doc["spec"]["dependsOnn"] = []
    assert schema_problems(fmt, {path: yaml.safe_dump(doc).encode()})


@pytest.mark.parametrize("fmt", ["argocd", "flux", "fleet"])
def test_pull_formats_need_the_git_repository(fmt: str):
    data = sample_data()
    del data["gitops"]["repoURL"]
    with pytest.raises(
        ValidationError, match=r"set `platform\.kubernetes\.gitops\.repoURL`"
    ) as err:
        render(RenderInput.from_data(data), fmt)
    assert err.value.loc == ("platform", "kubernetes", "gitops", "repoURL")


@pytest.mark.parametrize("fmt", ["argocd", "flux", "fleet"])
def test_a_gitops_path_outside_the_repository_is_refused(fmt: str):
    data = sample_data()
    data["gitops"]["path"] = "../elsewhere"
    with pytest.raises(ValidationError, match=r"gitops\.path"):
        render(RenderInput.from_data(data), fmt)


# --- Argo CD --------------------------------------------------------------------------------


def _apps(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["name"]: d
        for p, b in files.items()
        if p.startswith("argocd/apps/") and (d := _load(b))
    }


def test_argocd_sync_waves_follow_batches_and_dependencies():
    apps = _apps(render(sample_plan(), "argocd").files)
    waves = {
        n: int(a["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
        for n, a in apps.items()
    }
    assert waves == {
        "crds-widgets": 0,
        "namespaces-namespaces": 1,
        "operators-cert-manager": 2,
        "services-config": 3,
        "services-web": 4,
        "services-podinfo": 5,
    }


def test_argocd_uses_helm_sources_for_charts_and_directory_sources_for_objects():
    apps = _apps(render(sample_plan(), "argocd").files)
    cm = apps["operators-cert-manager"]["spec"]
    assert cm["source"] == {
        "repoURL": "https://charts.jetstack.io",
        "chart": "cert-manager",
        "targetRevision": "v1.15.3",
        "helm": {
            "releaseName": "cert-manager",
            "valuesObject": {"crds": {"enabled": True}, "replicaCount": 2},
        },
    }
    assert cm["destination"] == {
        "server": "https://kubernetes.default.svc",
        "namespace": "cert-manager",
    }
    web = apps["services-web"]["spec"]["source"]
    assert web["path"] == "clusters/dev/03-services/01-web"
    assert (
        web["repoURL"] == "https://github.com/example/platform.git"
        and web["targetRevision"] == "main"
    )
    podinfo = apps["services-podinfo"]["spec"]["sources"]
    assert podinfo[0]["repoURL"] == "ghcr.io/stefanprodan/charts" and podinfo[0]["helm"]["skipCrds"]
    assert podinfo[1]["path"] == "clusters/dev/03-services/02-podinfo"


def test_argocd_root_application_holds_every_application():
    files = render(sample_plan(), "argocd").files
    root = _load(files["argocd/root.yaml"])
    assert root["spec"]["source"]["path"] == "clusters/dev/argocd/apps"
    folder = root["spec"]["source"]["path"].removeprefix("clusters/dev/")
    assert sorted(p for p in files if p.startswith(folder + "/")) == sorted(
        f"argocd/apps/{n}.yaml" for n in _apps(files)
    )
    assert len(_apps(files)) == 6


def test_argocd_directory_sources_point_at_rendered_objects():
    files = render(sample_plan(), "argocd").files
    for app in _apps(files).values():
        spec = app["spec"]
        for src in spec.get("sources", [spec.get("source")]):
            if "path" in src:
                rel = src["path"].removeprefix("clusters/dev/")
                assert any(p.startswith(rel + "/") for p in files), rel


# --- Flux -----------------------------------------------------------------------------------


def test_flux_every_dependency_edge_links_two_kustomizations():
    files = render(sample_plan(), "flux").files
    ks = {
        d["metadata"]["name"]: d
        for p, b in files.items()
        if p.startswith("flux/")
        and (d := _load(b)).get("apiVersion", "").startswith("kustomize.toolkit")
    }
    assert [d["name"] for d in ks["services-web"]["spec"]["dependsOn"]] == [
        "services-config",
        "namespaces-namespaces",
        "operators-cert-manager",
    ]
    for d in ks.values():
        for dep in d["spec"].get("dependsOn", []):
            assert dep["name"] in ks
        assert d["spec"]["wait"] is True
    release = _load(files["02-operators/00-cert-manager/helmrelease.yaml"])
    assert "dependsOn" not in release["spec"]
    assert (
        ks["operators-cert-manager"]["spec"]["path"]
        == "./clusters/dev/02-operators/00-cert-manager"
    )


def test_flux_entry_kustomization_lists_the_source_and_all_kustomizations(tmp_path: Path):
    kubectl_with_kustomize()
    out = render(sample_plan(), "flux").write(tmp_path / "out")
    proc = subprocess.run(
        ["kubectl", "kustomize", str(out / "flux")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("GitRepository", "platform"),
        ("Kustomization", "crds-widgets"),
        ("Kustomization", "namespaces-namespaces"),
        ("Kustomization", "operators-cert-manager"),
        ("Kustomization", "services-config"),
        ("Kustomization", "services-web"),
        ("Kustomization", "services-podinfo"),
    ]


@pytest.mark.parametrize(
    ("revision", "ref"),
    [
        ("main", {"branch": "main"}),
        ("HEAD", {"name": "HEAD"}),
        ("refs/tags/v1", {"name": "refs/tags/v1"}),
        (
            "0123456789abcdef0123456789abcdef01234567",
            {"commit": "0123456789abcdef0123456789abcdef01234567"},
        ),
    ],
)
def test_flux_git_ref_follows_the_target_revision(revision: str, ref: dict[str, str]):
    data = sample_data()
    data["gitops"]["targetRevision"] = revision
    files = render(RenderInput.from_data(data), "flux").files
    assert _load(files["flux/gitrepository.yaml"])["spec"]["ref"] == ref


# --- Fleet ----------------------------------------------------------------------------------


def test_fleet_bundles_name_themselves_and_depend_on_those_names():
    files = render(sample_plan(), "fleet").files
    fleet = {p: _load(b) for p, b in files.items() if p.endswith("/fleet.yaml")}
    names = {d["name"] for d in fleet.values()}
    assert len(names) == 6 and all(len(n) <= 53 for n in names)
    web = fleet["03-services/01-web/fleet.yaml"]
    assert web["name"] == "platform-services-web"
    assert [d["name"] for d in web["dependsOn"]] == [
        "platform-services-config",
        "platform-namespaces-namespaces",
        "platform-operators-cert-manager",
    ]
    for d in fleet.values():
        assert {dep["name"] for dep in d.get("dependsOn", [])} <= names
    chart = fleet["02-operators/00-cert-manager/fleet.yaml"]["helm"]
    assert chart["chart"] == "cert-manager" and chart["repo"] == "https://charts.jetstack.io"
    assert chart["disablePreProcess"] is True
    gitrepo = _load(files["fleet/gitrepo.yaml"])
    assert gitrepo["spec"]["paths"] == [
        f"clusters/dev/{d}" for d in ("00-crds", "01-namespaces", "02-operators", "03-services")
    ]


# --- Helmfile -------------------------------------------------------------------------------


def test_helmfile_needs_cover_dependencies_and_the_previous_batch():
    files = render(sample_plan(), "helmfile").files
    releases = {r["name"]: r for r in _load(files["helmfile.yaml"])["releases"]}
    assert releases["services-web"]["needs"] == [
        "web/services-config",
        "namespaces-namespaces",
        "cert-manager/cert-manager",
    ]
    ids = {
        f"{r['namespace']}/{r['name']}" if "namespace" in r else r["name"]
        for r in releases.values()
    }
    for r in releases.values():
        assert set(r.get("needs", [])) <= ids
    assert releases["podinfo"]["needs"][-1] == "podinfo/services-podinfo"  # its own objects first
    assert releases["podinfo"]["values"] == ["values/podinfo.yaml", "values/services-podinfo.yaml"]


def test_helmfile_local_charts_escape_go_templates():
    files = render(sample_plan(), "helmfile").files
    template = files["charts/services-config/templates/configmap-web-config.yaml"].decode()
    assert "greeting: 'hello {{ \"{{\" }} .Name }}'" in template
    assert _load(files["charts/services-config/Chart.yaml"])["apiVersion"] == "v2"


@pytest.mark.parametrize("text", ["{{ .Values.x }}", "{{{{", "a{{-b}}", "}}{{", "{ {"])
def test_template_escaping_prints_the_original_text(text: str):
    """Evaluate the escaped text the way Go's text/template would, for string-literal actions."""
    escaped = escape_template(text)
    rendered = escaped.replace('{{ "{{" }}', "\0")
    assert "{{" not in rendered
    assert rendered.replace("\0", "{{") == text
