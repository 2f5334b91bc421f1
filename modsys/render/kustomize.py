"""The `kustomize` format: `kubectl kustomize <out>` (or `kubectl apply -k`) in plan order.

kustomize sorts resources by kind unless told `sortOptions: {order: fifo}`, so every
kustomization here says so. A chart bundle gets its own kustomization with a `helmCharts` entry,
listed at its place in the batch: kustomize emits generated resources after the listed ones, so
keeping the chart in a sub-kustomization is what keeps it between its neighbours. Building chart
bundles needs `--enable-helm` and a helm binary.
"""

from __future__ import annotations

from typing import Any

from modsys.kube.yamldump import canonical, dump, dump_object
from modsys.render.charts import merged_values
from modsys.render.layout import BundleLayout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.planfiles import add_plan_files

FIFO = {"order": "fifo"}


def _kustomization(resources: list[str], **extra: Any) -> bytes:
    data: dict[str, Any] = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "sortOptions": FIFO,
        "resources": resources,
        **extra,
    }
    return dump(data).encode()


def _helm_chart(plan: RenderInput, b: BundleLayout, notes: list[str]) -> dict[str, Any]:
    chart = b.bundle.chart
    assert chart is not None
    entry: dict[str, Any] = {
        "name": chart.name,
        "repo": chart.repository,
        "version": chart.version,
        "releaseName": chart.release_name,
    }
    if b.bundle.namespace:
        entry["namespace"] = b.bundle.namespace
    entry["includeCRDs"] = chart.include_crds
    entry["valuesInline"] = canonical(merged_values(plan, b.bundle, notes))
    return entry


def _relative(path: str, base: str) -> str:
    return path[len(base) + 1 :]


def render_kustomize(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    notes = [] if notes is None else notes
    layout = plan_layout(plan)
    files: dict[str, bytes] = {}
    top: list[str] = []
    for batch in layout.batches:
        resources: list[str] = []
        for b in batch.bundles:
            for f in b.files:
                files[f.path] = dump_object(f.obj)
            if b.bundle.chart is None:
                resources += [_relative(f.path, batch.dir) for f in b.files]
                continue
            own = [_relative(f.path, b.dir) for f in b.files]
            files[f"{b.dir}/kustomization.yaml"] = _kustomization(
                own, helmCharts=[_helm_chart(plan, b, notes)]
            )
            resources.append(_relative(b.dir, batch.dir))
        if resources:
            files[f"{batch.dir}/kustomization.yaml"] = _kustomization(resources)
            top.append(batch.dir)
    files["kustomization.yaml"] = _kustomization(top)
    return add_plan_files(files, plan)
