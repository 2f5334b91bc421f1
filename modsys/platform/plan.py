"""Building the ordered manifest sets from plain cluster data (the `platform.kubernetes.cluster`
subtree as plain dicts), without the module engine, so it can be tested and reused directly.

Structural problems (bad names, dependencies, incomplete charts, waits or objects) are collected,
never raised: the plan is still built as well as it can be, so that `validate_plan` can report
them together with the schema problems of the objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from modsys.kube import (
    DEFAULT_KUBERNETES_VERSION,
    CustomResourceIndex,
    UnsupportedVersionError,
    kubernetes_minor,
    object_sort_key,
)
from modsys.kube.validate import object_ref
from modsys.platform.charts import complete_chart
from modsys.platform.names import label_problem
from modsys.platform.objects import BundleContext, complete, default_api_version, from_resource_key
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


def _bundle_origin(ident: Id, *rest: Any) -> Origin:
    return ("batches", ident[0], "bundles", ident[1], *rest)


def build_sets(
    cluster: Mapping[str, Any],
    catalog: Mapping[str, Mapping[str, Any]] | None = None,
    locate: Locator = no_locations,
) -> PlanResult:
    """The ordered manifest sets of a cluster, in `RenderInput.from_data`'s `manifestSets` shape."""
    catalog = catalog or {}
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
    builder = _Builder(cluster, catalog, version, locate)
    sets = builder.build()
    return PlanResult(sets, builder.problems, builder.origins, version, *externals, locate)


class _Builder:
    def __init__(self, cluster: Mapping[str, Any], catalog: Mapping[str, Any], version: str,
                 locate: Locator) -> None:
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
        crds = CustomResourceIndex.from_objects(o for items in raw.values() for _, o in items)
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

    def _raw_objects(self, ident: Id, spec: Mapping[str, Any]) -> list[tuple[Origin, Any]]:
        """Manifests then resources, kind and name filled in, built-in apiVersions resolved
        (so that the CRDs among them are recognised)."""
        items: list[tuple[Origin, Any]] = [
            (_bundle_origin(ident, "manifests", i), obj)
            for i, obj in enumerate(spec.get("manifests") or ())
        ]
        resources = spec.get("resources") or {}
        for kind in sorted(resources):
            for name in sorted(resources[kind] or {}):
                origin = _bundle_origin(ident, "resources", kind, name)
                value = resources[kind][name]
                if not isinstance(value, Mapping):
                    items.append((origin, value))
                    continue
                obj, why = from_resource_key(kind, name, value)
                if why:
                    self.problems.append(object_problem(self.locate, origin, obj, why))
                items.append((origin, obj))
        return [
            (origin, default_api_version(obj, self.version) if isinstance(obj, Mapping) else obj)
            for origin, obj in items
        ]

    def _bundle(self, ident: Id, raw: list[tuple[Origin, Any]], crds: CustomResourceIndex,
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
        done: list[tuple[Origin, dict[str, Any]]] = []
        for origin, obj in raw:
            out, whys = complete(obj, ctx)
            self.problems.extend(object_problem(self.locate, origin, out, w) for w in whys)
            if isinstance(out, Mapping):
                done.append((origin, out))
        done.sort(key=lambda item: object_sort_key(item[1]))
        objects = [obj for _, obj in done]
        for i, (origin, _) in enumerate(done):
            self.origins[(batch, name, i)] = origin
        user_waits = list(spec.get("wait") or ())
        for i, wait in enumerate(user_waits):
            if why := wait_problem(wait):
                self.problem(_bundle_origin(ident, "wait", i), f"this wait {why}")
        waits = [wait_entry(w) for w in user_waits] + default_waits(objects, user_waits)
        chart = None
        if spec.get("chart") is not None:
            chart, whys = complete_chart(spec["chart"], self.catalog, name)
            for why in whys:
                self.problem(_bundle_origin(ident, "chart"), why)
        return {
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
