"""How a chart bundle is spelled for each tool: its reference, its values, its namespace flag.

Helm, Argo CD, Flux, Fleet and kustomize each want an OCI chart written differently, and the
GitOps formats cannot read a values file from the machine that renders, so the values files
that the plan itself provides (`files`) are merged in here, in order, under the inline values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from modsys.charts.request import merge_values
from modsys.errors import ValidationError
from modsys.render.layout import Layout
from modsys.render.model import Bundle, Chart, RenderInput


def chart_view(plan: dict[str, Any], objects: bool, notes: list[str] | None = None) -> dict[str, Any]:
    """The plan data as a format sees it: with `objects` (dir, stream, kustomize) a rendered
    chart bundle is its objects, no chart reference left; without (helmfile, Argo CD, Flux,
    Fleet) it stays a chart reference and the chart's rendered objects are left out (the
    controller renders the same chart). Bundles whose chart was not rendered are unchanged."""
    sets = []
    changed = False
    local = []
    for batch in plan.get("manifestSets") or []:
        bundles = []
        for bundle in batch.get("bundles") or []:
            if not objects and (bundle.get("chart") or {}).get("path"):
                local.append(f"{batch.get('name')}/{bundle.get('name')}")
            rendered = bundle.get("renderedChart")
            if rendered is not None:
                changed = True
                indices = set(rendered.get("indices") or ())
                info = {k: v for k, v in rendered.items() if k != "indices"}
                if objects:
                    bundle = {**bundle, "chart": None, "renderedChart": info}
                else:
                    if rendered.get("patches") and notes is not None:
                        notes.append(
                            f"{batch.get('name')}/{bundle.get('name')}: the patches of the chart's "
                            f"objects ({', '.join(rendered['patches'])}) are not in this format: "
                            "its controller renders the chart itself, unpatched"
                        )
                    kept = [o for i, o in enumerate(bundle.get("objects") or []) if i not in indices]
                    bundle = {**bundle, "objects": kept, "renderedChart": info}
            bundles.append(bundle)
        sets.append({**batch, "bundles": bundles})
    if local:
        raise ValidationError(
            "chart bundles with a local chart (chart.path) cannot be written as a chart "
            f"reference, which this format needs: {', '.join(local)}; use the dir, stream or "
            "kustomize format, or publish the chart to a repository",
            [f"{b}: local chart" for b in local],
        )
    return {**plan, "manifestSets": sets} if changed else plan


def is_oci(chart: Chart) -> bool:
    return chart.repository.startswith("oci://")


def helm_chart_ref(chart: Chart) -> tuple[str, str | None]:
    """(chart argument, --repo value) for the helm CLI: OCI charts are one URL."""
    if is_oci(chart):
        return f"{chart.repository.rstrip('/')}/{chart.name}", None
    return chart.name, chart.repository


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Helm's rule for several values files: maps merge, anything else is replaced."""
    return merge_values(base, override)


def merged_values(plan: RenderInput, bundle: Bundle, notes: list[str]) -> dict[str, Any]:
    """The chart's values files (from the plan's `files`) then its inline values, merged."""
    assert bundle.chart is not None
    values: dict[str, Any] = {}
    for path in bundle.chart.values_files:
        generated = plan.files.get(path)
        if generated is None:
            notes.append(
                f"{bundle.id}: values file {path!r} is not among the plan's files; left out"
            )
            continue
        loaded = yaml.safe_load(generated.text) or {}
        if isinstance(loaded, dict):
            values = deep_merge(values, loaded)
        else:
            notes.append(f"{bundle.id}: values file {path!r} is not a mapping; left out")
    return deep_merge(values, bundle.chart.values)


def needs_create_namespace(layout: Layout, bundle: Bundle) -> bool:
    """Let the tool create the release namespace unless the plan has created it by then."""
    return bundle.namespace is not None and not layout.created_before_chart(
        bundle.namespace, bundle.id
    )


_UNIT = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def seconds(duration: str) -> int:
    """Seconds in a Go-style duration ("300s", "5m", "1h30m"); 300 when unreadable."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration or "")
    if not parts or "".join(n + u for n, u in parts) != duration:
        return 300
    return max(1, round(sum(float(n) * _UNIT[u] for n, u in parts)))


def bundle_timeout(bundle: Bundle) -> int:
    """The longest wait timeout of a bundle, in seconds (300 when it declares none)."""
    return max((seconds(w.timeout) for w in bundle.wait), default=300)
