"""Validation of rendered objects: schemas of the cluster's Kubernetes version, CRDs, names.

Every function returns all problems it finds (never raises on bad objects), so the platform
layer can report everything at once and attach the file and bundle of each object through
`Problem.index`, the object's position in the list it passed in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from modsys.gcpolicy import paused
from modsys.kube._schema import BuiltinCompiler, Check, Errors, StructuralCompiler, render_path
from modsys.kube.kinds import (
    CustomResourceDefinitionInfo,
    CustomResourceIndex,
    builtin_groups,
    kubernetes_minor,
    read_definitions,
    resolve_api_version,
    split_api_version,
)

_OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


@attrs.frozen
class Problem:
    """One thing wrong with one object.

    `object_ref` reads "apps/v1 Deployment web-ns/web" (no namespace part when there is none),
    `path` is the JSON path of the bad field ("" for the object as a whole), and `index` is the
    object's position in the list given to the validating function.
    """

    object_ref: str
    path: str
    message: str
    index: int | None = None

    def __str__(self) -> str:
        where = f"{self.object_ref}: {self.path}" if self.path else self.object_ref
        return f"{where}: {self.message}"


def object_ref(obj: Any) -> str:
    """How messages name an object: "<apiVersion> <kind> [<namespace>/]<name>"."""
    if not isinstance(obj, Mapping):
        return f"<{type(obj).__name__}>"
    meta: Mapping[str, Any] = obj["metadata"] if isinstance(obj.get("metadata"), Mapping) else {}
    name = meta.get("name") or "<unnamed>"
    namespace = meta.get("namespace")
    ident = f"{namespace}/{name}" if namespace else str(name)
    return f"{obj.get('apiVersion') or '<no apiVersion>'} {obj.get('kind') or '<no kind>'} {ident}"


# --- schema validation --------------------------------------------------------------------------


class _BuiltinSchemas:
    """One Kubernetes version's object schemas, loaded once, compiled per kind on first use."""

    def __init__(self, minor: str) -> None:
        self.minor = minor
        self.definitions = read_definitions(minor)
        self.by_gvk: dict[tuple[str, str], str] = {}
        for name, schema in self.definitions.items():
            if name.startswith("io.k8s.apimachinery.pkg.apis.meta."):
                continue
            for gvk in schema.get("x-kubernetes-group-version-kind", ()):
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                self.by_gvk[(api_version, gvk["kind"])] = name
        self.compilers = {
            True: BuiltinCompiler(self.definitions, strict=True),
            False: BuiltinCompiler(self.definitions, strict=False),
        }

    def check_for(self, api_version: str, kind: str, strict: bool) -> Check | None:
        name = self.by_gvk.get((api_version, kind))
        return None if name is None else self.compilers[strict].definition(name)

    def object_meta(self, strict: bool) -> Check:
        return self.compilers[strict].definition(_OBJECT_META)


@functools.cache
def _builtin(minor: str) -> _BuiltinSchemas:
    return _BuiltinSchemas(minor)


def _crd_check(
    crds: CustomResourceIndex,
    info: CustomResourceDefinitionInfo,
    version: str,
    builtin: _BuiltinSchemas,
    strict: bool,
) -> Check:
    """Compiled check of one served CRD version, cached on the index."""
    cache = crds._validators
    key = (info.group, info.kind, version, builtin.minor, strict, id(info))
    check = cache.get(key)
    if check is None:
        schema = info.schema(version) or {
            "type": "object",
            "x-kubernetes-preserve-unknown-fields": True,
        }
        compiler = StructuralCompiler(builtin.object_meta(strict), strict=strict)
        check = cache[key] = compiler.compile_root(schema)
    return check


def validate_objects(
    objects: Sequence[Any],
    kubernetes_version: str,
    crds: CustomResourceIndex | None = None,
    *,
    strict: bool = True,
) -> list[Problem]:
    """Check every object against its schema; return every problem found, in object order.

    Built-in kinds use the bundled Kubernetes schema of `kubernetes_version` (strict: unknown
    fields are problems); custom resources use their CRD's openAPIV3Schema from `crds`. A kind
    that is neither gives "no CRD in the plan for <group>/<kind>"; the caller drops those it
    knows to be external. Raises `UnsupportedVersionError` for a version without schemas.
    """
    minor = kubernetes_minor(kubernetes_version)
    # checking allocates many small tuples (paths) and compiling many closures, none of them
    # in cycles: collections over a large heap cost more than the work (PXC CRD compile
    # 0.2 s -> 0.04 s paused)
    with paused():
        return _validate_objects(objects, _builtin(minor), crds, strict)


_GOT = re.compile(r"; got .*$", re.S)


def _in_secret_data(obj: Any, path: str) -> bool:
    """Whether `path` is inside the `data`/`stringData` of a Secret (see `kube.secrets`)."""
    from modsys.kube.secrets import SECRET_DATA_FIELDS

    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    try:
        return head in SECRET_DATA_FIELDS and obj.get("kind") == "Secret"
    except Exception:
        return False


def _validate_objects(
    objects: Sequence[Any], builtin: _BuiltinSchemas, crds: CustomResourceIndex | None, strict: bool
) -> list[Problem]:
    problems: list[Problem] = []
    for index, obj in enumerate(objects):

        def report(path: str, message: str, obj: Any = obj, index: int = index) -> None:
            if _in_secret_data(obj, path):  # the offending value is a secret: not shown
                message = _GOT.sub("; got a value (hidden: Secret data)", message)
            problems.append(Problem(object_ref(obj), path, message, index))

        if not isinstance(obj, Mapping):
            report("", f"is a {type(obj).__name__}, not an object (mapping)")
            continue
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not api_version:
            report("apiVersion", "required field is missing")
            continue
        if not isinstance(kind, str) or not kind:
            report("kind", "required field is missing")
            continue
        check = builtin.check_for(api_version, kind, strict)
        if check is None:
            group, version = split_api_version(api_version)
            info = crds.get(group, kind) if crds is not None else None
            if info is not None:
                if version not in info.served_versions:
                    served = ", ".join(info.served_versions) or "none"
                    report(
                        "apiVersion",
                        f"version {version} of {group}/{kind} is not served by "
                        f"CRD {info.name} (served: {served})",
                    )
                    continue
                check = _crd_check(crds, info, version, builtin, strict)  # type: ignore[arg-type]
            elif group in builtin_groups():
                preferred = resolve_api_version(kind, builtin.minor)
                if preferred:
                    report(
                        "apiVersion",
                        f"Kubernetes {builtin.minor} does not serve {kind} as "
                        f"{api_version}; use {preferred}",
                    )
                else:
                    report(
                        "kind",
                        f"Kubernetes {builtin.minor} has no kind {kind} in "
                        f"{group or 'the core group'}",
                    )
                continue
            else:
                report("", f"no CRD in the plan for {group}/{kind}")
                continue
        errors: Errors = []
        check(obj, None, errors)
        for path, message in errors:
            report(render_path(path), message)
    return problems


# --- names --------------------------------------------------------------------------------------

_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(_LABEL)
_DNS1123_SUBDOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_DNS1035_LABEL = re.compile(r"[a-z](?:[-a-z0-9]*[a-z0-9])?")

_SUBDOMAIN_TEXT = (
    "a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', "
    "starting and ending with a letter or digit"
)
LABEL_TEXT = (
    "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and "
    "ending with a letter or digit"
)
_DNS1035_TEXT = (
    "a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a "
    "letter and ending with a letter or digit"
)

# RBAC objects take any path segment as name ("system:controller:x" is valid), as the API server
# allows; everything else not listed is a DNS-1123 subdomain.
_RBAC = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})


def is_dns1123_label(name: object) -> bool:
    """Whether `name` is a DNS-1123 label (namespaces, and modsys' batch and bundle names)."""
    return isinstance(name, str) and len(name) <= 63 and _DNS1123_LABEL.fullmatch(name) is not None


def _name_problem(group: str, kind: str, name: str) -> str | None:
    """Why `name` is not a valid metadata.name for that kind, None if it is."""
    if kind == "Namespace" and group == "":
        return None if is_dns1123_label(name) else f"{name!r} is not {LABEL_TEXT}"
    if kind == "Service" and group == "":
        ok = len(name) <= 63 and _DNS1035_LABEL.fullmatch(name)
        return (
            None if ok else f"{name!r} is not {_DNS1035_TEXT} (Kubernetes requires it of Services)"
        )
    if kind in _RBAC and group == "rbac.authorization.k8s.io":
        if name in (".", "..") or "/" in name or "%" in name:
            return f"{name!r} is not a valid path segment name (no '/', '%', '.' or '..')"
        return None
    if not (len(name) <= 253 and _DNS1123_SUBDOMAIN.fullmatch(name)):
        return f"{name!r} is not {_SUBDOMAIN_TEXT}"
    if kind == "CronJob" and group == "batch" and len(name) > 52:
        return f"{name!r} is longer than 52 characters, the limit for CronJobs (Job names get a suffix)"
    return None


def validate_names(objects: Sequence[Any]) -> list[Problem]:
    """Check names and uniqueness: metadata.name is valid for its kind, metadata.namespace is a
    DNS-1123 label, and no two objects share (group, kind, namespace, name)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, obj in enumerate(objects):
        if not isinstance(obj, Mapping):
            continue
        ref = object_ref(obj)
        kind: str = obj["kind"] if isinstance(obj.get("kind"), str) else ""
        group = (
            split_api_version(obj["apiVersion"])[0]
            if isinstance(obj.get("apiVersion"), str)
            else ""
        )
        meta: Mapping[str, Any] = (
            obj["metadata"] if isinstance(obj.get("metadata"), Mapping) else {}
        )
        name, namespace = meta.get("name"), meta.get("namespace")
        if not isinstance(name, str) or not name:
            problems.append(Problem(ref, "metadata.name", "required field is missing", index))
            continue
        why = _name_problem(group, kind, name)
        if why:
            problems.append(Problem(ref, "metadata.name", why, index))
        if namespace is not None and not is_dns1123_label(namespace):
            problems.append(
                Problem(ref, "metadata.namespace", f"{namespace!r} is not {LABEL_TEXT}", index)
            )
        key = (group, kind, namespace if isinstance(namespace, str) else "", name)
        first = seen.setdefault(key, index)
        if first != index:
            problems.append(
                Problem(
                    ref,
                    "",
                    f"duplicate: object #{first} has the same group, kind, namespace and name",
                    index,
                )
            )
    return problems
