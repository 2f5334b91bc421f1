"""The `argocd` format: an Application per bundle, ordered by sync waves, under an app of apps.

Layout: the bundles' objects at their `dir` paths (directory sources point there), one
Application per bundle in `argocd/apps/`, and `argocd/root.yaml`, the root Application whose
folder is `argocd/apps`: apply it once and Argo CD syncs everything else. Waves come from the
longest-path layering of the apply-order graph, so they increase along every dependency and
from each batch to the next. Argo CD only waits for a wave's Applications to be healthy when
the `argoproj.io/Application` health check is enabled in `argocd-cm` (off since Argo CD 1.8).
"""

from __future__ import annotations

from typing import Any

from modsys.kube.yamldump import dump_object
from modsys.render.charts import is_oci, merged_values, needs_create_namespace
from modsys.render.gitops import modsys_labels, plan_name, repo_path, repo_url
from modsys.render.graph import deployable, waves
from modsys.render.layout import BundleLayout, Layout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.naming import Unique, dns_label
from modsys.render.planfiles import add_plan_files
from modsys.render.waits import note_command_waits

NAMESPACE = "argocd"
IN_CLUSTER = "https://kubernetes.default.svc"
FINALIZER = "resources-finalizer.argocd.argoproj.io"
APPS_DIR = "argocd/apps"


def _git_source(plan: RenderInput, path: str) -> dict[str, Any]:
    return {
        "repoURL": repo_url(plan, "argocd"),
        "targetRevision": plan.gitops.target_revision,
        "path": repo_path(plan, path),
        "directory": {"recurse": False},
    }


def _helm_source(plan: RenderInput, b: BundleLayout, notes: list[str]) -> dict[str, Any]:
    chart = b.bundle.chart
    assert chart is not None
    helm: dict[str, Any] = {
        "releaseName": chart.release_name,
        "valuesObject": merged_values(plan, b.bundle, notes),
    }
    if not chart.include_crds:
        helm["skipCrds"] = True
    return {
        "repoURL": chart.repository[len("oci://") :] if is_oci(chart) else chart.repository,
        "chart": chart.name,
        "targetRevision": chart.version,
        "helm": helm,
    }


def _application(
    layout: Layout, b: BundleLayout, name: str, wave: int, notes: list[str]
) -> dict[str, Any]:
    plan = layout.plan
    sources = []
    if b.bundle.chart is not None:
        sources.append(_helm_source(plan, b, notes))
    if b.files:
        sources.append(_git_source(plan, b.dir))
    destination: dict[str, Any] = {"server": IN_CLUSTER}
    if b.bundle.namespace:
        destination["namespace"] = b.bundle.namespace
    options = ["ServerSideApply=true"]
    if b.bundle.chart is not None and needs_create_namespace(layout, b.bundle):
        options.append("CreateNamespace=true")
    spec: dict[str, Any] = {"project": "default", "destination": destination}
    spec.update({"source": sources[0]} if len(sources) == 1 else {"sources": sources})
    spec["syncPolicy"] = {"automated": {"prune": True, "selfHeal": True}, "syncOptions": options}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": name,
            "namespace": NAMESPACE,
            "labels": modsys_labels(b),
            "annotations": {
                **{str(k): str(v) for k, v in b.bundle.annotations.items()},
                "argocd.argoproj.io/sync-wave": str(wave),
            },
            "finalizers": [FINALIZER],
        },
        "spec": spec,
    }


def _root(plan: RenderInput, name: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": name,
            "namespace": NAMESPACE,
            "labels": {"app.kubernetes.io/managed-by": "modsys"},
            "finalizers": [FINALIZER],
        },
        "spec": {
            "project": "default",
            "destination": {"server": IN_CLUSTER, "namespace": NAMESPACE},
            "source": _git_source(plan, APPS_DIR),
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
        },
    }


def render_argocd(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    notes = [] if notes is None else notes
    repo_url(plan, "argocd")
    layout = plan_layout(plan)
    wave = waves(layout)
    names = Unique()
    root_name = names.claim(dns_label(f"{plan_name(plan)}-root"))
    files: dict[str, bytes] = {}
    bundles = deployable(layout)
    for b in bundles:
        for f in b.files:
            files[f.path] = dump_object(f.obj)
        name = names.claim(dns_label(f"{b.batch.name}-{b.bundle.name}", max_len=57))
        app = _application(layout, b, name, wave[b.id], notes)
        files[f"{APPS_DIR}/{name}.yaml"] = dump_object(app)
    files["argocd/root.yaml"] = dump_object(_root(plan, root_name))
    note_command_waits(bundles, "argocd", notes)
    return add_plan_files(files, plan)
