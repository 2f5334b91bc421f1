"""Chart bundles become objects: each enabled chart bundle is rendered with real Helm
(`modsys.charts`) at plan time, and what it renders joins the bundle's objects.

A command opens one `ChartSession` (`chart_session(renderer, require=…)`): every plan built
inside it renders its chart bundles through that one `ChartRenderer` (so a chart is fetched once
and the lock file is written once, by the command, after success). Without a session (the
Python API, most tests) chart bundles stay chart references, as before.

Where the rendered objects go, inside their bundle (`placement`):

1. Namespaces (hand-written or rendered) first;
2. the chart's `crds/` (when `includeCRDs`), which Helm installs before anything else;
3. `pre-install` hooks (Helm runs them before the release's other objects);
4. every other object (the bundle's own and the chart's), in Helm's kind order;
5. `post-install` hooks.

Hooks with no install phase (`helm test` hooks, upgrade-, rollback- and delete-only hooks) are
dropped: an install never runs them, and nothing in a plan is an upgrade; the session lists
them in its notes.

`resources.<Kind>.<name>` of a chart bundle patches the rendered object of that kind and name
(strategic merge patch, later wins); naming one the chart does not render is a problem listing
the objects of that kind it does render. When the chart cannot be had (offline, not mirrored,
not cached), the bundle stays a chart reference, its patches are not applied, and the session
records it as unrendered (`--require-charts` makes that a problem instead). A chart whose values
hold secret references (`from_env`, …) is not rendered at plan time either (the references are
resolved only when a format is written), and is recorded as unrendered with that reason.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

PHASE_NAMESPACE, PHASE_CRDS, PHASE_BEFORE, PHASE_MAIN, PHASE_AFTER = range(5)


@attrs.define
class ChartSession:
    """One command's charts: the renderer, whether charts are required, and what happened."""

    renderer: Any  # modsys.charts.ChartRenderer
    require: bool = False
    unrendered: dict[str, str] = attrs.Factory(dict)  # "batch/bundle" -> why
    rendered: dict[str, dict[str, Any]] = attrs.Factory(dict)  # "batch/bundle" -> chart info
    notes: list[str] = attrs.Factory(list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def messages(self) -> list[str]:
        """What a command says on stderr about its charts."""
        out = list(self.notes)
        for bundle, why in sorted(self.unrendered.items()):
            out.append(
                f"chart bundle {bundle} was not rendered ({why}); it stays a chart reference and "
                "its objects are unvalidated (--chart-mirror DIR or network access renders it; "
                "with --require-charts the command stops instead)"
            )
        return out


_SESSION: contextvars.ContextVar[ChartSession | None] = contextvars.ContextVar(
    "modsys_chart_session", default=None
)


def current_session() -> ChartSession | None:
    return _SESSION.get()


@contextlib.contextmanager
def chart_session(renderer: Any, require: bool = False) -> Iterator[ChartSession]:
    """Render chart bundles through `renderer` while inside (one per command)."""
    session = ChartSession(renderer, require)
    token = _SESSION.set(session)
    try:
        yield session
    finally:
        _SESSION.reset(token)


@attrs.frozen
class ChartOutcome:
    """What rendering one chart bundle gave: objects (with phase and template), or problems."""

    objects: list[tuple[dict[str, Any], int, str]] = attrs.Factory(list)  # (obj, phase, template)
    info: dict[str, Any] | None = None  # name, version, digest, source, …; None: not rendered
    problems: list[tuple[tuple[Any, ...], str]] = attrs.Factory(list)  # (origin suffix, message)
    dropped: list[str] = attrs.Factory(list)


def chart_values(chart: Mapping[str, Any], files: Callable[[], Mapping[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """`valuesFiles` (paths among the plan's `files`) then `values`, merged as Helm does."""
    import yaml

    from modsys.charts import merge_values

    values: dict[str, Any] = {}
    problems: list[str] = []
    for path in chart.get("valuesFiles") or ():
        entry = files().get(path)
        text = entry.get("text") if isinstance(entry, Mapping) else entry
        if not isinstance(text, str):
            problems.append(f"values file {path!r} is not among the plan's files")
            continue
        loaded = yaml.safe_load(text) or {}
        if not isinstance(loaded, Mapping):
            problems.append(f"values file {path!r} is not a mapping")
            continue
        values = merge_values(values, loaded)
    return merge_values(values, chart.get("values") or {}), problems


def chart_ref(chart: Mapping[str, Any]) -> Any:
    from modsys.charts import ChartRef

    if chart.get("path"):
        return ChartRef(chart.get("name"), chart.get("version"), path=Path(chart["path"]).resolve())
    return ChartRef(chart.get("name"), chart.get("version"), repository=chart.get("repository"))


def render_bundle(
    session: ChartSession,
    bundle_id: str,
    chart: Mapping[str, Any],
    namespace: str | None,
    kubernetes_version: str,
    files: Callable[[], Mapping[str, Any]],
) -> ChartOutcome:
    """Render one chart bundle's chart; problems carry an origin suffix below the bundle."""
    from modsys.charts import (
        ChartError,
        ChartRenderError,
        ChartUnavailable,
        ChartValuesError,
        RenderRequest,
    )
    from modsys.platform.secrets import has_references

    values, whys = chart_values(chart, files)
    if whys:
        return ChartOutcome(problems=[(("chart", "valuesFiles"), w) for w in whys])
    if has_references(values):
        # resolved (or refused) only when a format is written: Helm renders it then
        session.unrendered[bundle_id] = (
            "its values hold secret references, which are resolved only when writing"
        )
        return ChartOutcome()
    label = f"chart {chart.get('name') or chart.get('path')} {chart.get('version') or ''}".rstrip()
    try:
        ref = chart_ref(chart)
        fetched = session.renderer.fetch(ref)
        request = RenderRequest(
            str(chart.get("releaseName") or bundle_id.split("/")[-1]),
            values,
            namespace=namespace,
            kube_version=kubernetes_version,
            skip_schema_validation=bool(chart.get("skipSchemaValidation")),
        )
        rendered = session.renderer.render(ref, request)
    except ChartUnavailable as exc:
        if session.require:
            return ChartOutcome(problems=[(("chart",), f"{label} cannot be had: {exc} "
                                                      "(--require-charts)")])
        session.unrendered[bundle_id] = str(exc).splitlines()[0] if str(exc) else "unavailable"
        return ChartOutcome()
    except ChartValuesError as exc:
        if not exc.problems:
            return ChartOutcome(problems=[(("chart", "values"), f"{label}: {exc}")])
        return ChartOutcome(problems=[
            (("chart", "values", *p.path), f"{label}: values.schema.json of {p.chart}: {p.message}")
            for p in exc.problems
        ])
    except ChartRenderError as exc:
        where = f" (template {exc.template})" if exc.template else ""
        return ChartOutcome(
            problems=[(("chart",), f"{label} fails to render in bundle {bundle_id}{where}: {exc}")]
        )
    except ChartError as exc:
        return ChartOutcome(problems=[(("chart",), f"{label}: {exc}")])
    out: list[tuple[dict[str, Any], int, str]] = []
    if chart.get("includeCRDs", True):
        out += [(o.object, PHASE_CRDS, o.template) for o in rendered.crds]
    dropped = []
    for o in rendered.objects:
        if o.hook is None:
            phase = PHASE_NAMESPACE if o.kind == "Namespace" else PHASE_MAIN
        elif o.hook.install_phase == "before":
            phase = PHASE_BEFORE
        elif o.hook.install_phase == "after":
            phase = PHASE_AFTER
        else:
            dropped.append(f"{o.kind} {o.name} ({o.template}, hook {','.join(o.hook.events)})")
            continue
        out.append((o.object, phase, o.template))
    if dropped:
        session.note(
            f"{bundle_id}: {label} has hooks an install never runs, left out: {'; '.join(dropped)}"
        )
    info = {
        "name": fetched.name,
        "version": fetched.version,
        "digest": f"sha256:{fetched.sha256}",
        "source": fetched.source,
        "url": fetched.url,
        "origin": ref.origin,
        "objects": len(out),
    }
    session.rendered[bundle_id] = info
    return ChartOutcome(out, info, [], dropped)


def patch_targets(objects: list[tuple[dict[str, Any], int, str]], kind: str) -> list[str]:
    """Names of the rendered objects of `kind` (for "the chart renders no …" messages)."""
    return sorted(
        str((o.get("metadata") or {}).get("name")) for o, _, _ in objects if o.get("kind") == kind
    )
