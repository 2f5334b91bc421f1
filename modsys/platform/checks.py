"""Checks of the completed objects of a plan, before anything is written.

- every object against the Kubernetes schema of the cluster's version (strict), custom resources
  against the CRD of the plan, which must be applied in an earlier batch (else "no CRD in the
  plan", unless the CRD is listed in `externalCRDs`; external CRDs that modsys ships,
  `modsys.kube.known`, still validate their objects; while a chart bundle is not rendered
  (offline, or no chart session), such a custom resource is "not checked" instead);
- secret references (`modsys.secrets`) only as values of a Secret's `stringData`;
- names are valid, and no two objects share group/kind/namespace/name;
- every namespace used is created by a Namespace object of an earlier batch (or of the same
  bundle, which applies its Namespaces first), or is external.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modsys.kube import (
    CustomResourceIndex,
    is_namespaced,
    split_api_version,
    validate_names,
    validate_objects,
)
from modsys.kube.known import CONTROLLERS
from modsys.platform.plan import PlacedObject, PlanResult, object_problem
from modsys.platform.problems import PlanProblem, show_origin

ALWAYS_PRESENT_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
"""Namespaces every cluster has, so no plan needs to create or list them."""

_NO_CRD = "no CRD in the plan"


def _group_kind(obj: Mapping[str, Any]) -> tuple[str, str]:
    api_version = obj.get("apiVersion")
    group = split_api_version(api_version)[0] if isinstance(api_version, str) else ""
    return group, str(obj.get("kind") or "")


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def check_objects(result: PlanResult) -> list[PlanProblem]:
    """Every problem of the plan's objects (the structural ones are in `result.problems`)."""
    from modsys.platform.secrets import scan_references

    placed = list(result.placed())
    objects = [p.obj for p in placed]
    problems: list[PlanProblem] = []
    # a secret reference is a string to the schema; misplaced ones are problems of their own
    for_schema, misplaced = scan_references(result)
    problems += _schema_problems(result, placed, for_schema)
    problems += misplaced
    problems += _crd_order_problems(result, placed)
    problems += _name_problems(result, placed, objects)
    problems += _namespace_problems(result, placed)
    return problems


def _schema_problems(result: PlanResult, placed: list[PlacedObject], objects: list[Any]) -> list[PlanProblem]:
    external = set(result.external_crds)
    crds = _with_known_crds(CustomResourceIndex.from_objects(objects), external)
    out = []
    for p in validate_objects(objects, result.kubernetes_version, crds):
        where = placed[p.index] if p.index is not None else None
        if where is None:
            continue
        obj = where.obj
        message = p.message
        if not obj.get("apiVersion") and p.path == "apiVersion":
            continue  # already reported while completing the object
        if message.startswith(_NO_CRD):
            group, kind = _group_kind(obj)
            if f"{group}/{kind}" in external or kind in external:
                continue
            if result.unrendered_charts:
                _not_checked(where, group, kind, result.unrendered_charts)
                continue
            controller = CONTROLLERS.get((group, kind))
            if controller:
                message += f" (served by {controller})"
            message += (
                f"; add the CRD to an earlier batch, or list {group}/{kind} in "
                "platform.kubernetes.cluster.externalCRDs if it is installed outside this plan"
            )
        if p.path:
            message = f"{p.path}: {message}"
        out.append(object_problem(result.locate, where.origin, obj, message))
    return out


def _not_checked(where: PlacedObject, group: str, kind: str, charts: tuple[str, ...]) -> None:
    """A custom resource whose CRD may come from a chart that was not rendered: not checked
    (the command says so, with the unrendered chart bundles)."""
    from modsys.platform.chartobjects import current_session

    session = current_session()
    if session is not None:
        session.note(
            f"{where.batch}/{where.bundle}: {kind} {_meta(where.obj).get('name')} not checked: "
            f"no CRD for {group}/{kind} in the plan, and it may come from an unrendered chart "
            f"({', '.join(charts)})"
        )


def _with_known_crds(crds: CustomResourceIndex, external: set[str]) -> CustomResourceIndex:
    """The plan's CRDs, plus modsys' bundled copies (`modsys.kube.known`) of the external ones
    it knows, so that their objects are validated too."""
    if not external:
        return crds
    from modsys.kube.known import known_crds

    extra = {
        key: info
        for key, info in known_crds().by_key.items()
        if key not in crds and (f"{key[0]}/{key[1]}" in external or key[1] in external)
    }
    return CustomResourceIndex({**extra, **crds.by_key}) if extra else crds


def _crd_order_problems(result: PlanResult, placed: list[PlacedObject]) -> list[PlanProblem]:
    """Custom resources whose CRD is in the plan but not in an earlier batch."""
    first: dict[tuple[str, str], PlacedObject] = {}
    for p in placed:
        if p.obj.get("kind") == "CustomResourceDefinition":
            for info in CustomResourceIndex.from_objects([p.obj]):
                first.setdefault((info.group, info.kind), p)
    out = []
    for p in placed:
        crd = first.get(_group_kind(p.obj))
        if crd is None or crd.batch_position < p.batch_position:
            continue
        where = "the same batch" if crd.batch_position == p.batch_position else "a later batch"
        out.append(object_problem(
            result.locate, p.origin, p.obj,
            f"its CRD {_meta(crd.obj).get('name')} is applied in {where} ({crd.batch}/{crd.bundle}); "
            "a custom resource needs its CRD applied in an earlier batch (e.g. `crds`)",
            [crd.origin],
        ))
    return out


_DUPLICATE = re.compile(r"duplicate: object #(\d+)")


def _name_problems(result: PlanResult, placed: list[PlacedObject], objects: list[Any]) -> list[PlanProblem]:
    out = []
    for p in validate_names(objects):
        if p.index is None:
            continue
        where = placed[p.index]
        m = _DUPLICATE.match(p.message)
        if m and int(m[1]) < len(placed):
            other = placed[int(m[1])]
            out.append(object_problem(
                result.locate, where.origin, where.obj,
                f"is defined twice: bundle {where.batch}/{where.bundle} and bundle "
                f"{other.batch}/{other.bundle} ({_show(other)}) both have an object with this "
                "group, kind, namespace and name",
                [other.origin],
            ))
            continue
        message = f"{p.path}: {p.message}" if p.path else p.message
        out.append(object_problem(result.locate, where.origin, where.obj, message))
    return out


def _show(p: PlacedObject) -> str:
    return show_origin(p.origin)


def _cluster_scoped(obj: Mapping[str, Any], crds: CustomResourceIndex) -> bool:
    kind, api_version = str(obj.get("kind")), str(obj.get("apiVersion") or "")
    scope = is_namespaced(kind, api_version)
    return (crds.is_namespaced(api_version, kind) if scope is None else scope) is False


def _namespace_problems(result: PlanResult, placed: list[PlacedObject]) -> list[PlanProblem]:
    """One problem per bundle and namespace, naming every object of the bundle that uses it."""
    created: dict[str, PlacedObject] = {}
    for p in placed:
        if p.obj.get("kind") == "Namespace" and _group_kind(p.obj)[0] == "":
            name = _meta(p.obj).get("name")
            if isinstance(name, str):
                created.setdefault(name, p)
    known = ALWAYS_PRESENT_NAMESPACES | set(result.external_namespaces)
    crds = CustomResourceIndex.from_objects(p.obj for p in placed)
    users: dict[tuple[str, str, str], list[PlacedObject]] = {}
    for p in placed:
        namespace = _meta(p.obj).get("namespace")
        if not isinstance(namespace, str) or namespace in known:
            continue
        if _cluster_scoped(p.obj, crds):
            continue  # reported while completing: cluster-scoped kinds take no namespace
        maker = created.get(namespace)
        if maker is not None and maker.batch_position < p.batch_position:
            continue
        if maker is not None and (maker.batch, maker.bundle) == (p.batch, p.bundle):
            continue  # a bundle applies its Namespaces first (chart bundles: before the chart)
        users.setdefault((p.batch, p.bundle, namespace), []).append(p)
    out = []
    for (batch, bundle, namespace), ps in users.items():
        maker = created.get(namespace)
        if maker is None:
            why = "which no Namespace object of the plan creates"
            more = [p.origin for p in ps[1:]]
        else:
            when = "the same batch" if maker.batch_position == ps[0].batch_position else "a later batch"
            why = f"which is created in {when} ({maker.batch}/{maker.bundle})"
            more = [p.origin for p in ps[1:]] + [maker.origin]
        names = ", ".join(f"{p.obj.get('kind')} {_meta(p.obj).get('name')}" for p in ps[:10])
        if len(ps) > 10:
            names += f" and {len(ps) - 10} more"
        first = ps[0]
        out.append(object_problem(
            result.locate, first.origin, first.obj,
            f"bundle {batch}/{bundle} puts {names} in namespace {namespace!r}, {why}; create it "
            "with a Namespace object in an earlier batch (e.g. `namespaces`) or list it in "
            "platform.kubernetes.cluster.externalNamespaces",
            more,
        ))
    return out
