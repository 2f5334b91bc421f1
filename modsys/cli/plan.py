"""`modsys plan`: the ordered batches and bundles as a tree.

Reads the plan in its plain-data form (`modsys.platform.build_plan`, the shape of
`modsys.render.RenderInput.from_data`): batches in apply order, bundles in dependency order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from modsys.cli.common import Style


def plan_data(evaluation: Any) -> dict[str, Any]:
    """The evaluation's plan as plain data, a copy (unredacted: callers redact what they show).

    `build_plan` already returns plain data, so a plain copy is enough; `modsys.dump.plain`
    would force and check every value again, which costs more than building the plan.
    """
    from modsys.attrset import to_plain
    from modsys.platform import build_plan

    return to_plain(build_plan(evaluation))


def _kinds(objects: Sequence[Mapping[str, Any]]) -> str:
    counts = Counter(str(o.get("kind", "?")) for o in objects)
    return ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in sorted(counts.items()))


def wait_text(w: Mapping[str, Any]) -> str:
    """`rollout Deployment/web in web (300s)` or `command: … (300s)`."""
    timeout = w.get("timeout") or "300s"
    if w.get("command"):
        return f"command: {w['command']} ({timeout})"
    target = f"{w.get('kind') or '?'}/{w.get('name') or '*'}"
    where = f" in {w['namespace']}" if w.get("namespace") else ""
    return f"{w.get('for') or '?'} {target}{where} ({timeout})"


def _bundle_line(b: Mapping[str, Any], st: Style) -> str:
    parts = [f"{st('bundle', dim=True)} {st(str(b.get('name')), bold=True)}"]
    if b.get("namespace"):
        parts.append(f"namespace {b['namespace']}")
    chart = b.get("chart")
    if chart:
        text = f"chart {chart.get('name')} {chart.get('version') or '(no version)'}"
        if chart.get("repository"):
            text += f" from {chart['repository']}"
        release = chart.get("releaseName")
        if release and release != chart.get("name"):
            text += f" as release {release}"
        if (count := chart_count_text(b)) is not None:
            text += f" ({count})"
        parts.append(text)
    objects = b.get("objects") or []
    if objects or not chart:
        n = len(objects)
        text = f"{n} object{'s' if n != 1 else ''}"
        if objects:
            text += f" ({_kinds(objects)})"
        parts.append(text)
    return "  ".join(parts)


def format_plan(plan: Mapping[str, Any], st: Style) -> str:
    """The plan as a tree: batches (priority), bundles (namespace, chart or objects),
    their dependencies and waits."""
    batches = list(plan.get("manifestSets") or [])
    cluster = plan.get("cluster") or {}
    n_bundles = sum(len(b.get("bundles") or []) for b in batches)
    n_objects = sum(len(x.get("objects") or []) for b in batches for x in b.get("bundles") or [])
    n_charts = sum(1 for b in batches for x in b.get("bundles") or [] if x.get("chart"))
    context = cluster.get("context") or "(current kube context)"
    lines = [
        f"{st('plan', bold=True)} for {context}, Kubernetes {cluster.get('kubernetesVersion', '?')}",
        f"{len(batches)} batch{'es' if len(batches) != 1 else ''}, {n_bundles} bundle"
        f"{'s' if n_bundles != 1 else ''}, {n_objects} object{'s' if n_objects != 1 else ''}, "
        f"{n_charts} chart{'s' if n_charts != 1 else ''} (applied top to bottom)",
    ]
    if not batches:
        lines.append("(nothing to deploy: no bundle is defined and enabled)")
    for bi, batch in enumerate(batches):
        last_batch = bi == len(batches) - 1
        head = "└─ " if last_batch else "├─ "
        cont = "   " if last_batch else "│  "
        desc = f"  {st(batch['description'], dim=True)}" if batch.get("description") else ""
        lines.append(
            f"{head}{st('batch', dim=True)} {st(str(batch.get('name')), bold=True, fg='cyan')}"
            f"  priority {batch.get('priority')}{desc}"
        )
        bundles = list(batch.get("bundles") or [])
        for ui, bundle in enumerate(bundles):
            last = ui == len(bundles) - 1
            lines.append(cont + ("└─ " if last else "├─ ") + _bundle_line(bundle, st))
            inner = cont + ("   " if last else "│  ")
            details: list[str] = []
            deps = bundle.get("dependsOn") or []
            if deps:
                details.append("depends on " + ", ".join(deps))
            details.extend("wait: " + wait_text(w) for w in bundle.get("wait") or [])
            for di, text in enumerate(details):
                mark = "└─ " if di == len(details) - 1 else "├─ "
                lines.append(inner + mark + text)
    return "\n".join(lines)


def checked_lines(plan: Mapping[str, Any], session: Any = None) -> list[str]:
    """What `validate` adds about chart bundles: each rendered chart's objects (checked like
    every other object), and each chart that was not rendered ("not checked")."""
    lines: list[str] = []
    for batch in plan.get("manifestSets") or []:
        for bundle in batch.get("bundles") or []:
            ident = f"{batch.get('name')}/{bundle.get('name')}"
            rendered = bundle.get("renderedChart")
            chart = bundle.get("chart") or {}
            if rendered is not None:
                indices = rendered.get("indices") or ()
                objects = bundle.get("objects") or []
                ours = [objects[i] for i in indices if i < len(objects)]
                lines.append(
                    f"checked: {ident}: chart {rendered.get('name')} {rendered.get('version')} "
                    f"({rendered.get('digest')}, from {rendered.get('source')}), {len(ours)} "
                    f"object{'s' if len(ours) != 1 else ''} ({_kinds(ours)})"
                )
            elif chart:
                lines.append(
                    f"not checked: {ident}: chart {chart.get('name')} "
                    f"{chart.get('version') or ''} was not rendered; its objects are unvalidated"
                )
    return lines


def chart_count_text(bundle: Mapping[str, Any]) -> str | None:
    """`16 objects rendered` / `not rendered` for a chart bundle in the plan tree."""
    rendered = bundle.get("renderedChart")
    if rendered is not None:
        n = len(rendered.get("indices") or ())
        return f"{n} chart object{'s' if n != 1 else ''} rendered"
    return None
