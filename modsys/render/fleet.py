"""The `fleet` format: a `fleet.yaml` in every bundle folder, chained with `dependsOn`.

Fleet turns every folder holding a `fleet.yaml` into a Bundle. Naming rule: each `fleet.yaml`
sets `name` explicitly to `<plan>-<batch>-<bundle>` (`<plan>` is the repository's name, see
`gitops.plan_name`), made a DNS label of at most 53 characters (Helm's release-name limit,
which Fleet also applies; longer names are cut and end in a hash). Fleet uses an explicit
`name` as the Bundle name as is, so `dependsOn` can name Bundles without knowing how Fleet
would derive names from the GitRepo and path.

Layout: the objects at their `dir` paths with `fleet.yaml` beside them, and `fleet/gitrepo.yaml`,
a GitRepo (namespace `fleet-local`, the local cluster) whose `paths` are the batch folders.
"""

from __future__ import annotations

from typing import Any

from modsys.kube.yamldump import canonical, dump, dump_object
from modsys.render.charts import bundle_timeout, helm_chart_ref, merged_values
from modsys.render.gitops import is_commit, modsys_labels, plan_name, repo_path, repo_url
from modsys.render.graph import deployable, predecessors
from modsys.render.layout import BundleLayout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.naming import Unique, dns_label
from modsys.render.planfiles import add_plan_files
from modsys.render.waits import note_command_waits

NAMESPACE = "fleet-local"


def _helm(plan: RenderInput, b: BundleLayout, notes: list[str]) -> dict[str, Any]:
    chart = b.bundle.chart
    assert chart is not None
    ref, repo = helm_chart_ref(chart)
    helm: dict[str, Any] = {"chart": ref}
    if repo:
        helm["repo"] = repo
    helm.update(
        version=chart.version,
        releaseName=chart.release_name,
        timeoutSeconds=bundle_timeout(b.bundle),
        # Fleet templates `values` with ${ } unless told not to; plan values are literal.
        disablePreProcess=True,
        values=canonical(merged_values(plan, b.bundle, notes)),
    )
    if not chart.include_crds:
        notes.append(f"fleet: {b.id} asks to skip the chart's CRDs; Fleet always installs them")
    return helm


def _fleet_yaml(
    plan: RenderInput, b: BundleLayout, name: str, depends: list[str], notes: list[str]
) -> bytes:
    doc: dict[str, Any] = {"name": name, "labels": modsys_labels(b)}
    if b.bundle.namespace:
        doc["defaultNamespace"] = b.bundle.namespace
    if b.bundle.chart is not None:
        doc["helm"] = _helm(plan, b, notes)
    if depends:
        doc["dependsOn"] = [{"name": d} for d in depends]
    return dump(doc).encode()


def _gitrepo(plan: RenderInput, paths: list[str], notes: list[str]) -> dict[str, Any]:
    spec: dict[str, Any] = {"repo": repo_url(plan, "fleet")}
    revision = plan.gitops.target_revision
    if is_commit(revision):
        spec["revision"] = revision
    elif revision == "HEAD":
        notes.append(
            "fleet: a GitRepo cannot follow HEAD and defaults to branch `master`; "
            "set platform.kubernetes.gitops.targetRevision to the branch name"
        )
    else:
        spec["branch"] = revision.removeprefix("refs/heads/")
    spec["paths"] = paths
    return {
        "apiVersion": "fleet.cattle.io/v1alpha1",
        "kind": "GitRepo",
        "metadata": {"name": plan_name(plan), "namespace": NAMESPACE},
        "spec": spec,
    }


def render_fleet(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    notes = [] if notes is None else notes
    repo_url(plan, "fleet")
    layout = plan_layout(plan)
    preds = predecessors(layout)
    prefix = plan_name(plan)
    names = Unique()
    name_of: dict[str, str] = {}
    files: dict[str, bytes] = {}
    bundles = deployable(layout)
    for b in bundles:
        name = names.claim(dns_label(f"{prefix}-{b.batch.name}-{b.bundle.name}", max_len=50))
        name_of[b.id] = name
        for f in b.files:
            files[f.path] = dump_object(f.obj)
        depends = [name_of[p] for p in preds[b.id]]
        files[f"{b.dir}/fleet.yaml"] = _fleet_yaml(plan, b, name, depends, notes)
    paths = [
        repo_path(plan, batch.dir)
        for batch in layout.batches
        if any(not b.empty for b in batch.bundles)
    ]
    files["fleet/gitrepo.yaml"] = dump_object(_gitrepo(plan, paths, notes))
    note_command_waits(bundles, "fleet", notes)
    return add_plan_files(files, plan)
