"""The `dir` format: one YAML file per object in `NN-<batch>/MM-<bundle>/`, plus the scripts.

The default format because it needs nothing but kubectl: run `./apply.sh`. Chart bundles that
modsys rendered are plain objects here (`index.json` records the chart: `renderedChart`); only a
chart bundle it could not render (offline) is still installed with helm. `index.json` records the order and a sha256 of every file, so a reviewer or a CI
job can check what will be applied without parsing the scripts.
"""

from __future__ import annotations

import hashlib
import json

from modsys.kube.yamldump import canonical, dump, dump_object
from modsys.render.layout import BundleLayout, Layout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.planfiles import add_plan_files
from modsys.render.scripts import apply_script, destroy_script

EXECUTABLE = frozenset({"apply.sh", "destroy.sh"})


def _chart_json(b: BundleLayout) -> bytes:
    chart = b.bundle.chart
    assert chart is not None
    data = {
        "name": chart.name,
        "repository": chart.repository,
        "version": chart.version,
        "releaseName": chart.release_name,
        "namespace": b.bundle.namespace,
        "valuesFiles": list(chart.values_files),
        "includeCRDs": chart.include_crds,
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _rendered_chart(info: dict[str, object]) -> dict[str, object]:
    """What index.json records of a chart modsys rendered: chart, version, digest, source."""
    keys = ("name", "version", "digest", "source", "origin", "url", "objects")
    return {k: info.get(k) for k in keys if info.get(k) is not None}


def _index(layout: Layout, files: dict[str, bytes]) -> bytes:
    batches = []
    for batch in layout.batches:
        bundles = []
        for b in batch.bundles:
            own = [f.path for f in b.files]
            if b.bundle.chart is not None:
                own += [f"{b.dir}/values.yaml", f"{b.dir}/chart.json"]
            entry: dict[str, object] = {
                "id": b.id,
                "name": b.bundle.name,
                "path": b.dir,
                "namespace": b.bundle.namespace,
                "dependsOn": list(b.bundle.depends_on),
                "chart": b.bundle.chart is not None,
                "files": own,
            }
            if b.bundle.rendered_chart is not None:
                entry["renderedChart"] = _rendered_chart(b.bundle.rendered_chart)
            bundles.append(entry)
        batches.append(
            {
                "name": batch.batch.name,
                "priority": batch.batch.priority,
                "description": batch.batch.description,
                "path": batch.dir,
                "bundles": bundles,
            }
        )
    sums = {p: hashlib.sha256(files[p]).hexdigest() for p in sorted(files)}
    index = {"format": "modsys-dir/1", "batches": batches, "sha256": sums}
    return (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode()


def render_dir(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    layout = plan_layout(plan)
    files: dict[str, bytes] = {}
    for b in layout.bundles:
        for f in b.files:
            files[f.path] = dump_object(f.obj)
        if b.bundle.chart is not None:
            files[f"{b.dir}/values.yaml"] = dump(canonical(b.bundle.chart.values)).encode()
            files[f"{b.dir}/chart.json"] = _chart_json(b)
    files["apply.sh"] = apply_script(layout).encode()
    files["destroy.sh"] = destroy_script(layout).encode()
    add_plan_files(files, plan, reserved=("index.json",))
    files["index.json"] = _index(layout, files)
    return files
