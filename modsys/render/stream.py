"""The `stream` format: every object in apply order in one `manifests.yaml`, for `kubectl apply -f -`.
It is that one file only; the plan's extra `files` belong to the tree formats.

A chart only becomes objects when Helm renders it. With a `helm` binary on the PATH, chart
bundles are rendered in place with `helm template`; without one they are left out, with a
comment in the stream and a note naming them, so nobody mistakes the stream for the whole plan.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from modsys.errors import ValidationError
from modsys.kube.yamldump import canonical, dump, k8s_canonical
from modsys.render.charts import helm_chart_ref, merged_values
from modsys.render.layout import BundleLayout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.naming import one_line


def helm_template(plan: RenderInput, b: BundleLayout, helm: str, notes: list[str]) -> str:
    """The chart's objects as `helm template` prints them."""
    chart = b.bundle.chart
    assert chart is not None
    ref, repo = helm_chart_ref(chart)
    with tempfile.TemporaryDirectory(prefix="modsys-helm-") as tmp:
        values = Path(tmp, "values.yaml")
        values.write_text(dump(canonical(merged_values(plan, b.bundle, notes))))
        argv = [helm, "template", chart.release_name, ref, "--version", chart.version]
        argv += ["--repo", repo] if repo else []
        argv += ["--namespace", b.bundle.namespace] if b.bundle.namespace else []
        argv += ["--include-crds"] if chart.include_crds else []
        argv += ["--kube-version", plan.cluster.kubernetes_version, "--values", str(values)]
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ValidationError(
            f"helm template failed for chart bundle {b.id}: {proc.stderr.strip()}",
            [f"{b.id}: helm template exited with {proc.returncode}"],
        )
    return proc.stdout


def _documents(text: str) -> list[str]:
    """Split helm output into documents, dropping empty ones."""
    docs: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.rstrip() == "---":
            docs.append("".join(current))
            current = []
        else:
            current.append(line)
    docs.append("".join(current))
    return [d if d.endswith("\n") else d + "\n" for d in docs if d.strip()]


def render_stream(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    notes = [] if notes is None else notes
    layout = plan_layout(plan)
    helm = shutil.which("helm")
    parts: list[str] = []
    left_out: list[str] = []
    for b in layout.bundles:
        parts += [f"---\n{dump(k8s_canonical(f.obj))}" for f in b.files]
        if b.bundle.chart is None:
            continue
        if helm:
            parts += [f"---\n{d}" for d in _documents(helm_template(plan, b, helm, notes))]
        else:
            left_out.append(b.id)
            parts.append(f"# chart bundle {one_line(b.id)} left out: rendering it needs helm\n")
    if left_out:
        notes.append(
            "stream: no helm binary on the PATH, so these chart bundles are left out: "
            + ", ".join(left_out)
        )
    # Only the stream: it is piped to kubectl, so the plan's extra files have no place in it.
    return {"manifests.yaml": "".join(parts).encode()}
