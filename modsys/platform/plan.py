"""Building the ordered manifest sets from plain cluster data (the `platform.kubernetes.cluster`
subtree as plain dicts), without the module engine, so it can be tested and reused directly.

Structural problems (bad names, dependencies, incomplete charts, waits or objects) are collected,
never raised: the plan is still built as well as it can be, so that `validate_plan` can report
them together with the schema problems of the objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from modsys.kube import (
    DEFAULT_KUBERNETES_VERSION,
    CustomResourceIndex,
    UnsupportedVersionError,
    kubernetes_minor,
    object_sort_key,
)
from modsys.kube.strategic import strategic_patch
from modsys.kube.validate import object_ref
from modsys.platform.chartobjects import (
    PHASE_MAIN,
    PHASE_NAMESPACE,
    current_session,
    patch_targets,
    render_bundle,
)
from modsys.platform.charts import complete_chart
from modsys.platform.names import label_problem
from modsys.platform.objects import (
    MANAGED_BY,
    BundleContext,
    complete,
    default_api_version,
    from_resource_key,
)
from modsys.platform.ordering import Graph, Id, order_plan, show_id
from modsys.platform.problems import (
    Locator,
    Origin,
    PlanProblem,
    no_locations,
    problem_at,
    show_origin,
)
from modsys.platform.waits import default_waits, wait_entry, wait_problem


@attrs.frozen
class PlacedObject:
    """An object of the plan with where it sits and where it was defined."""

    batch_position: int
    batch: str
    bundle: str
    obj: dict[str, Any]
    origin: Origin


@attrs.frozen
class PlanResult:
    """The manifest sets (plan data), the problems found building them, and provenance."""

    manifest_sets: list[dict[str, Any]]
    problems: list[PlanProblem]
    origins: Mapping[tuple[str, str, int], Origin]
    kubernetes_version: str
    external_crds: tuple[str, ...] = ()
    external_namespaces: tuple[str, ...] = ()
    locate: Locator = no_locations
    unrendered_charts: tuple[str, ...] = ()
    """Chart bundles ("batch/bundle") whose chart was not rendered: their objects are unknown,
    so a custom resource without a CRD in the plan may have it from one of them."""

    def placed(self) -> Iterator[PlacedObject]:
        """Every object in apply order."""
        for position, batch in enumerate(self.manifest_sets):
            for bundle in batch["bundles"]:
                for i, obj in enumerate(bundle["objects"]):
                    origin = self.origins.get((batch["name"], bundle["name"], i), ())
                    yield PlacedObject(position, batch["name"], bundle["name"], obj, origin)


def object_problem(locate: Locator, origin: Origin, obj: Any, message: str,
                   more: Sequence[Origin] = ()) -> PlanProblem:
    """A problem about one object, named by its option path and its apiVersion/kind/name."""
    locations = [*locate(origin)]
    for other in more:
        locations.extend(locate(other))
    subject = f"{show_origin(origin)} ({object_ref(obj)})"
    return PlanProblem(subject, message, tuple(dict.fromkeys(locations)))


def _managed_by_modsys(obj: dict[str, Any]) -> dict[str, Any]:
    """A chart's object is applied by modsys, not by Helm: say so (charts label `Helm`)."""
    labels = obj["metadata"]["labels"]
    if labels.get(MANAGED_BY) == "modsys":
        return obj
    return {**obj, "metadata": {**obj["metadata"], "labels": {**labels, MANAGED_BY: "modsys"}}}


def _phase(obj: Any) -> int:
    """Namespaces first; every other object of the bundle's own in Helm's kind order."""
    return PHASE_NAMESPACE if isinstance(obj, Mapping) and obj.get("kind") == "Namespace" else PHASE_MAIN


def _bundle_origin(ident: Id, *rest: Any) -> Origin:
    return ("batches", ident[0], "bundles", ident[1], *rest)


def _chart_locator(locate: Locator) -> Locator:
    """Objects rendered from a chart, and chart values below what was defined, are located at
    the nearest definition above them (the bundle's `chart`, or `chart.values.<key>`)."""

    def located(origin: Origin) -> Any:
        found = locate(origin)
        if found or len(origin) <= 5 or origin[4] != "chart":
            return found
        for end in range(len(origin) - 1, 4, -1):
            if origin[end - 1] == "templates":
                continue
            found = locate(origin[:end])
            if found:
                return found
        return found

    return located


def _no_files() -> Mapping[str, Any]:
    return {}


def build_sets(
    cluster: Mapping[str, Any],
    catalog: Mapping[str, Mapping[str, Any]] | None = None,
    locate: Locator = no_locations,
    files: Callable[[], Mapping[str, Any]] = _no_files,
) -> PlanResult:
    """The ordered manifest sets of a cluster, in `RenderInput.from_data`'s `manifestSets` shape.

    Inside a `modsys.platform.chartobjects.chart_session`, chart bundles are rendered and their
    objects join the bundle (`files` are the plan's files, for `chart.valuesFiles`)."""
    catalog = catalog or {}
    locate = _chart_locator(locate)
    version = str(cluster.get("kubernetesVersion") or DEFAULT_KUBERNETES_VERSION)
    externals = (
        tuple(cluster.get("externalCRDs") or ()),
        tuple(cluster.get("externalNamespaces") or ()),
    )
    try:
        kubernetes_minor(version)
    except UnsupportedVersionError as exc:
        problem = problem_at(locate, ("kubernetesVersion",), str(exc))
        return PlanResult([], [problem], {}, version, *externals, locate)
    builder = _Builder(cluster, catalog, version, locate, files)
    sets = builder.build()
    unrendered = tuple(
        show_id(i) for i, spec in builder.bundles.items()
        if spec.get("chart") is not None and i not in builder.rendered
    )
    return PlanResult(sets, builder.problems, builder.origins, version, *externals, locate,
                      unrendered)


class _Builder:
    def __init__(self, cluster: Mapping[str, Any], catalog: Mapping[str, Any], version: str,
                 locate: Locator, files: Callable[[], Mapping[str, Any]] = _no_files) -> None:
        self.files = files
        self.charts: dict[Id, tuple[dict[str, Any], list[str]]] = {}
        self.rendered: dict[Id, dict[str, Any]] = {}
        self.offline: set[Id] = set()
        self.patched: dict[Id, list[str]] = {}
        self.cluster = cluster
        self.catalog = catalog
        self.version = version
        self.locate = locate
        self.problems: list[PlanProblem] = []
        self.origins: dict[tuple[str, str, int], Origin] = {}
        self.batches: Mapping[str, Mapping[str, Any]] = cluster.get("batches") or {}
        self.bundles: dict[Id, Mapping[str, Any]] = {}

    def problem(self, origin: Origin, message: str) -> None:
        self.problems.append(problem_at(self.locate, origin, message))

    def build(self) -> list[dict[str, Any]]:
        graph = self._graph()
        ordered = order_plan(graph, self.locate)
        self.problems.extend(ordered.problems)
        raw = {ident: self._raw_objects(ident, b) for ident, b in self.bundles.items()}
        crds = CustomResourceIndex.from_objects(o for items in raw.values() for _, o, _ in items)
        sets = []
        for batch, names in ordered.batches:
            bundles = [
                self._bundle((batch, name), raw[(batch, name)], crds, ordered.dependencies)
                for name in names
            ]
            if bundles:
                spec = self.batches[batch]
                sets.append({
                    "name": batch,
                    "priority": graph.priorities[batch],
                    "description": spec.get("description") or "",
                    "bundles": bundles,
                })
        return sets

    def _graph(self) -> Graph:
        priorities: dict[str, int] = {}
        depends: dict[Id, list[str]] = {}
        disabled: set[Id] = set()
        for batch in sorted(self.batches):
            spec = self.batches[batch]
            if why := label_problem("batch", batch):
                self.problem(("batches", batch), why)
            priority = spec.get("priority")
            if not isinstance(priority, int) or isinstance(priority, bool):
                self.problem(("batches", batch, "priority"), f"must be an integer, not {priority!r}")
                priority = 0
            priorities[batch] = priority
            bundles = spec.get("bundles") or {}
            for name in sorted(bundles):
                ident = (batch, name)
                if why := label_problem("bundle", name):
                    self.problem(_bundle_origin(ident), why)
                if not bundles[name].get("enable", True):
                    disabled.add(ident)
                    continue
                self.bundles[ident] = bundles[name]
                depends[ident] = list(bundles[name].get("dependsOn") or ())
        return Graph(priorities, depends, frozenset(disabled))

    def _raw_objects(self, ident: Id, spec: Mapping[str, Any]) -> list[tuple[Origin, Any, int]]:
        """Manifests then resources (and a chart's rendered objects, patched by the resources),
        kind and name filled in, built-in apiVersions resolved (so that the CRDs among them are
        recognised); each with its phase in the bundle (`chartobjects`)."""
        items: list[tuple[Origin, Any, int]] = [
            (_bundle_origin(ident, "manifests", i), obj, _phase(obj))
            for i, obj in enumerate(spec.get("manifests") or ())
        ]
        chart_objects = self._chart_objects(ident, spec)
        resources = spec.get("resources") or {}
        for kind in sorted(resources):
            for name in sorted(resources[kind] or {}):
                origin = _bundle_origin(ident, "resources", kind, name)
                value = resources[kind][name]
                if ident in self.offline:
                    continue  # patches of a chart that could not be had: cannot be applied
                if chart_objects is not None:
                    self._patch(ident, chart_objects, origin, kind, name, value)
                    continue
                if not isinstance(value, Mapping):
                    items.append((origin, value, PHASE_MAIN))
                    continue
                obj, why = from_resource_key(kind, name, value)
                if why:
                    self.problems.append(object_problem(self.locate, origin, obj, why))
                items.append((origin, obj, _phase(obj)))
        items += chart_objects or []
        return [
            (origin, default_api_version(obj, self.version) if isinstance(obj, Mapping) else obj,
             phase)
            for origin, obj, phase in items
        ]

    def _chart_objects(
        self, ident: Id, spec: Mapping[str, Any]
    ) -> list[tuple[Origin, Any, int]] | None:
        """The chart's rendered objects; None when there is no chart or it was not rendered
        (then the bundle stays a chart reference and `resources` are the bundle's own objects,
        or, when it could not be had, patches that cannot be applied and are left out)."""
        if spec.get("chart") is None:
            return None
        chart, whys = complete_chart(spec["chart"], self.catalog, ident[1])
        self.charts[ident] = (chart, whys)
        session = current_session()
        if session is None or whys:
            return None
        outcome = render_bundle(
            session, show_id(ident), chart, spec.get("namespace"), self.version, self.files
        )
        for suffix, message in outcome.problems:
            self.problem(_bundle_origin(ident, *suffix), message)
        if outcome.info is None:
            if show_id(ident) in session.unrendered and spec.get("resources"):
                self.offline.add(ident)
                session.unrendered[show_id(ident)] += "; its resources patches are not applied"
            return None
        self.rendered[ident] = outcome.info
        return [
            (_bundle_origin(ident, "chart", "templates", template), obj, phase)
            for obj, phase, template in outcome.objects
        ]

    def _patch(self, ident: Id, chart_objects: list[tuple[Origin, Any, int]], origin: Origin,
               kind: str, name: str, patch: Any) -> None:
        """`resources.<kind>.<name>` of a chart bundle: a strategic merge patch of the chart's
        object of that kind and name."""
        for i, (chart_origin, obj, phase) in enumerate(chart_objects):
            meta = obj.get("metadata") if isinstance(obj, Mapping) else None
            if obj.get("kind") == kind and isinstance(meta, Mapping) and meta.get("name") == name:
                if not isinstance(patch, Mapping):
                    self.problem(origin, f"is a {type(patch).__name__}, not a patch (an attribute set)")
                    return
                result = strategic_patch(obj, patch, self.version)
                for p in result.problems:
                    self.problems.append(object_problem(self.locate, origin, obj, str(p)))
                self.patched.setdefault(ident, []).append(f"{kind}/{name}")
                if result.value is not None:
                    chart_objects[i] = (chart_origin, result.value, phase)
                else:
                    del chart_objects[i]
                return
        names = patch_targets([(o, 0, "") for _, o, _ in chart_objects], kind)
        chart = self.rendered.get(ident) or {}
        renders = (
            f"it renders {kind} {', '.join(names)}" if names
            else f"it renders no {kind} at all"
        )
        self.problem(
            origin,
            f"patches {kind} {name} of chart {chart.get('name')} {chart.get('version')}, which "
            f"the chart does not render ({renders}); in a chart bundle, resources.<Kind>.<name> "
            "patches the chart's objects (add new objects under manifests)",
        )

    def _bundle(self, ident: Id, raw: list[tuple[Origin, Any, int]], crds: CustomResourceIndex,
                dependencies: Mapping[Id, list[Id]]) -> dict[str, Any]:
        spec = self.bundles[ident]
        batch, name = ident
        namespace = spec.get("namespace")
        if namespace is not None and (why := label_problem("namespace", namespace)):
            self.problem(_bundle_origin(ident, "namespace"), why)
        labels = dict(spec.get("labels") or {})
        annotations = dict(spec.get("annotations") or {})
        ctx = BundleContext(
            batch, name, namespace, self.version, crds,
            {**(self.cluster.get("labels") or {}), **labels},
            {**(self.cluster.get("annotations") or {}), **annotations},
        )
        done: list[tuple[Origin, dict[str, Any], int]] = []
        for origin, obj, phase in raw:
            out, whys = complete(obj, ctx)
            self.problems.extend(object_problem(self.locate, origin, out, w) for w in whys)
            if isinstance(out, Mapping):
                if origin[4:6] == ("chart", "templates"):
                    out = _managed_by_modsys(out)
                done.append((origin, out, phase))
        done.sort(key=lambda item: (item[2], *object_sort_key(item[1])))
        objects = [obj for _, obj, _ in done]
        for i, (origin, _, _) in enumerate(done):
            self.origins[(batch, name, i)] = origin
        user_waits = list(spec.get("wait") or ())
        for i, wait in enumerate(user_waits):
            if why := wait_problem(wait):
                self.problem(_bundle_origin(ident, "wait", i), f"this wait {why}")
        waits = [wait_entry(w) for w in user_waits] + default_waits(objects, user_waits)
        chart = None
        if spec.get("chart") is not None:
            chart, whys = self.charts.get(ident) or complete_chart(spec["chart"], self.catalog, name)
            for why in whys:
                self.problem(_bundle_origin(ident, "chart"), why)
        rendered = self.rendered.get(ident)
        if rendered is not None:
            indices = [i for i, (o, _, _) in enumerate(done) if o[4:6] == ("chart", "templates")]
            rendered = {**rendered, "objects": len(indices), "indices": indices}
            if ident in self.patched:
                rendered["patches"] = self.patched[ident]
        out = {
            "name": name,
            "batch": batch,
            "namespace": namespace,
            "dependsOn": [show_id(d) for d in dependencies.get(ident, [])],
            "labels": labels,
            "annotations": annotations,
            "chart": chart,
            "objects": objects,
            "wait": waits,
        }
        if rendered is not None:
            out["renderedChart"] = rendered
        return out
