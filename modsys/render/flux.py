"""The `flux` format: a Flux Kustomization per bundle, chained with `dependsOn`.

Flux only links objects of one kind (a Kustomization can depend on Kustomizations, a
HelmRelease on HelmReleases), so every bundle is a Kustomization: raw bundles point at their
objects, chart bundles at a folder holding a HelmRepository and a HelmRelease (and the bundle's
own objects). With `wait: true` a Kustomization is ready only when what it applied is, the
HelmRelease included, so every edge of the apply-order graph is Kustomization -> Kustomization.

Layout: the objects at their `dir` paths, `helmrepository.yaml`/`helmrelease.yaml` in chart
bundle folders, and `flux/`: the GitRepository, one file per Kustomization and a
`kustomization.yaml` listing them, which is what to point Flux (or `kubectl apply -k`) at.
"""

from __future__ import annotations

import re
from typing import Any

from modsys.kube.yamldump import dump, dump_object
from modsys.render.charts import bundle_timeout, is_oci, merged_values, needs_create_namespace
from modsys.render.gitops import is_commit, modsys_labels, plan_name, repo_path, repo_url
from modsys.render.graph import deployable, predecessors
from modsys.render.layout import BundleLayout, Layout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.naming import Unique, dns_label
from modsys.render.planfiles import add_plan_files
from modsys.render.waits import note_command_waits

NAMESPACE = "flux-system"


def git_ref(revision: str) -> dict[str, str]:
    """Argo-style `targetRevision` as a Flux ref: a commit, a full ref or HEAD, else a branch."""
    if is_commit(revision):
        return {"commit": revision}
    if revision == "HEAD" or revision.startswith("refs/"):
        return {"name": revision}
    return {"branch": revision}


def _meta(name: str, b: BundleLayout | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": NAMESPACE}
    if b is not None:
        meta["labels"] = modsys_labels(b)
        if b.bundle.annotations:
            meta["annotations"] = {str(k): str(v) for k, v in b.bundle.annotations.items()}
    return meta


def git_url(url: str) -> str:
    """Flux wants a URL; scp-like `git@host:org/repo.git` becomes `ssh://git@host/org/repo.git`."""
    scp = re.fullmatch(r"([\w.-]+@[\w.-]+):(?!//)(.+)", url)
    return f"ssh://{scp.group(1)}/{scp.group(2).lstrip('/')}" if scp else url


def _git_repository(plan: RenderInput) -> dict[str, Any]:
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": _meta(plan_name(plan)),
        "spec": {
            "interval": "1m",
            "url": git_url(repo_url(plan, "flux")),
            "ref": git_ref(plan.gitops.target_revision),
        },
    }


def _kustomization(
    plan: RenderInput, b: BundleLayout, name: str, depends: list[str]
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "interval": "10m",
        "retryInterval": "1m",
        "timeout": f"{bundle_timeout(b.bundle)}s",
        "path": "./" + repo_path(plan, b.dir),
        "prune": True,
        "wait": True,
        "sourceRef": {"kind": "GitRepository", "name": plan_name(plan)},
    }
    if depends:
        spec["dependsOn"] = [{"name": d} for d in depends]
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": _meta(name, b),
        "spec": spec,
    }


def _helm_objects(
    layout: Layout, b: BundleLayout, name: str, notes: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    chart = b.bundle.chart
    assert chart is not None
    repo_spec: dict[str, Any] = {"interval": "1h", "url": chart.repository}
    if is_oci(chart):
        repo_spec["type"] = "oci"
    repository = {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "HelmRepository",
        "metadata": _meta(name, b),
        "spec": repo_spec,
    }
    ns = b.bundle.namespace
    crds = "Create" if chart.include_crds else "Skip"
    spec: dict[str, Any] = {
        "interval": "10m",
        "releaseName": chart.release_name,
        "chart": {
            "spec": {
                "chart": chart.name,
                "version": chart.version,
                "sourceRef": {"kind": "HelmRepository", "name": name},
            }
        },
        "timeout": f"{bundle_timeout(b.bundle)}s",
        "install": {"createNamespace": needs_create_namespace(layout, b.bundle), "crds": crds},
        "upgrade": {"crds": "CreateReplace" if chart.include_crds else "Skip"},
        "values": merged_values(layout.plan, b.bundle, notes),
    }
    if ns:
        spec.update(targetNamespace=ns, storageNamespace=ns)
    release = {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": _meta(name, b),
        "spec": spec,
    }
    return repository, release


def render_flux(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    notes = [] if notes is None else notes
    repo_url(plan, "flux")
    layout = plan_layout(plan)
    preds = predecessors(layout)
    names = Unique({"gitrepository", "kustomization"})  # file names in flux/
    name_of: dict[str, str] = {}
    files: dict[str, bytes] = {"flux/gitrepository.yaml": dump_object(_git_repository(plan))}
    listed = ["gitrepository.yaml"]
    bundles = deployable(layout)
    for b in bundles:
        name = names.claim(dns_label(f"{b.batch.name}-{b.bundle.name}", max_len=57))
        name_of[b.id] = name
        for f in b.files:
            files[f.path] = dump_object(f.obj)
        if b.bundle.chart is not None:
            repository, release = _helm_objects(layout, b, name, notes)
            files[f"{b.dir}/helmrepository.yaml"] = dump_object(repository)
            files[f"{b.dir}/helmrelease.yaml"] = dump_object(release)
        ks = _kustomization(plan, b, name, [name_of[p] for p in preds[b.id]])
        files[f"flux/{name}.yaml"] = dump_object(ks)
        listed.append(f"{name}.yaml")
    files["flux/kustomization.yaml"] = dump(
        {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "sortOptions": {"order": "fifo"},
            "resources": listed,
        }
    ).encode()
    note_command_waits(bundles, "flux", notes)
    return add_plan_files(files, plan)
