"""Completing objects before render: what the user may leave out is filled in here, once, so
every renderer and every check sees the same complete objects.

- `kind` and `metadata.name` of `resources.<kind>.<name>` come from the keys;
- `apiVersion` is the preferred one for the kind at the cluster's Kubernetes version, or, for a
  custom resource, the storage version of its CRD in the plan;
- `metadata.namespace` comes from the bundle for namespaced kinds (custom resources by their
  CRD's scope; kinds modsys knows nothing about are assumed namespaced, as nearly all custom
  resources are) and never for cluster-scoped ones, where an explicit namespace is an error;
- labels: `app.kubernetes.io/managed-by`, `modsys.io/batch`, `modsys.io/bundle`, then the
  cluster's, then the bundle's, then the object's own, later ones winning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from modsys.kube import CustomResourceIndex, is_namespaced, resolve_api_version

MANAGED_BY = "app.kubernetes.io/managed-by"
BATCH_LABEL = "modsys.io/batch"
BUNDLE_LABEL = "modsys.io/bundle"


def from_resource_key(kind: str, name: str, obj: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The object of `resources.<kind>.<name>` with kind and name filled in; and a problem."""
    out = dict(obj)
    problem = None
    given = out.get("kind")
    if given is None:
        out["kind"] = kind
    elif given != kind:
        problem = f"has kind {given!r} but is defined under resources.{kind}; use resources.{given}"
    meta = out.get("metadata")
    meta = dict(meta) if isinstance(meta, Mapping) else {}
    meta.setdefault("name", name)
    out["metadata"] = meta
    return out, problem


def default_api_version(obj: Mapping[str, Any], version: str) -> Mapping[str, Any]:
    """`obj` with the built-in apiVersion of its kind filled in, when it has none."""
    kind = obj.get("kind")
    if obj.get("apiVersion") or not isinstance(kind, str):
        return obj
    api_version = resolve_api_version(kind, version)
    return {**obj, "apiVersion": api_version} if api_version else obj


@attrs.frozen
class BundleContext:
    """What completion needs to know about the bundle an object is in."""

    batch: str
    bundle: str
    namespace: str | None
    kubernetes_version: str
    crds: CustomResourceIndex
    labels: Mapping[str, str] = attrs.Factory(dict)  # cluster's, then bundle's
    annotations: Mapping[str, str] = attrs.Factory(dict)


def complete(obj: Any, ctx: BundleContext) -> tuple[dict[str, Any], list[str]]:
    """The completed object and the problems found (a problem never stops completion)."""
    if not isinstance(obj, Mapping):
        return obj, [f"is a {type(obj).__name__}, not a Kubernetes object (an attribute set)"]
    problems: list[str] = []
    out = dict(default_api_version(obj, ctx.kubernetes_version))
    kind = out.get("kind")
    if not isinstance(kind, str) or not kind:
        problems.append("has no kind")
        kind = ""
    elif not out.get("apiVersion"):
        api_version, why = _custom_api_version(kind, ctx)
        if api_version:
            out["apiVersion"] = api_version
        else:
            problems.append(why)
    meta = out.get("metadata")
    meta = dict(meta) if isinstance(meta, Mapping) else {}
    scope = _namespaced(kind, out.get("apiVersion"), ctx.crds)
    if scope is False and meta.get("namespace") is not None:
        problems.append(
            f"{kind} is cluster-scoped, but metadata.namespace is set to {meta['namespace']!r}; "
            "remove it (or move the object to a bundle without a namespace)"
        )
    elif scope is not False and meta.get("namespace") is None and ctx.namespace is not None:
        meta["namespace"] = ctx.namespace
    labels = {MANAGED_BY: "modsys", BATCH_LABEL: ctx.batch, BUNDLE_LABEL: ctx.bundle}
    labels.update(ctx.labels)
    labels.update(_mapping(meta.get("labels")))
    meta["labels"] = labels
    annotations = {**ctx.annotations, **_mapping(meta.get("annotations"))}
    if annotations:
        meta["annotations"] = annotations
    out["metadata"] = meta
    head: dict[str, Any] = {k: out[k] for k in ("apiVersion", "kind", "metadata") if k in out}
    return {**head, **out}, problems


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _namespaced(kind: str, api_version: Any, crds: CustomResourceIndex) -> bool | None:
    if not isinstance(api_version, str) or not api_version:
        return is_namespaced(kind)
    scope = is_namespaced(kind, api_version)
    return crds.is_namespaced(api_version, kind) if scope is None else scope


def _custom_api_version(kind: str, ctx: BundleContext) -> tuple[str | None, str]:
    """The apiVersion of a custom kind from the CRDs of the plan: the storage version."""
    infos = sorted((i for i in ctx.crds if i.kind == kind), key=lambda i: i.group)
    if len(infos) == 1:
        info = infos[0]
        version = info.storage_version or (info.served_versions[0] if info.served_versions else None)
        if version:
            return f"{info.group}/{version}", ""
    if len(infos) > 1:
        groups = ", ".join(i.group for i in infos)
        return None, f"has no apiVersion, and several CRDs of the plan define kind {kind} ({groups})"
    return None, (
        f"has no apiVersion, and {kind} is neither built into Kubernetes "
        f"{ctx.kubernetes_version} nor defined by a CRD in the plan; set apiVersion"
    )
