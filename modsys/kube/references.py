"""References from workloads to ConfigMaps, Secrets and ServiceAccounts, checked across a plan.

A Deployment whose pods mount Secret `db-creds` applies fine when nothing creates that Secret;
its pods then hang in ContainerCreating (or CreateContainerConfigError) and the rollout times
out minutes later. The API server cannot tell, because the Secret may come later or from
elsewhere (an operator, external-secrets, a human). So this is a warning, not an error: every
reference must name an object of the plan, or be declared external.

`find_references(obj)` lists what one object refers to (pod specs of every workload kind, and
Ingress TLS secrets); `check_references(objects, external)` returns a warning (a
`validate.Problem`) for each reference that is neither in `objects` nor in `external`, and for a
ConfigMap or Secret key that a non-optional `configMapKeyRef`/`secretKeyRef` names but the
object of the plan lacks. References marked `optional: true` are skipped, as the kubelet does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from modsys.kube.kinds import split_api_version
from modsys.kube.validate import Problem, object_ref

#: Objects every namespace has, so nothing needs to create or declare them.
ALWAYS_PRESENT: frozenset[tuple[str, str]] = frozenset({("ServiceAccount", "default")})

KINDS = ("ConfigMap", "Secret", "ServiceAccount")


@attrs.frozen
class Reference:
    """One reference: the kind and name of the object referred to, its namespace (that of the
    referring object; None when that has none yet), the field path of the reference, and the
    data key a `configMapKeyRef`/`secretKeyRef` needs (else None)."""

    kind: str
    name: str
    namespace: str | None
    path: str
    key: str | None = None

    def external_spelling(self) -> str:
        """How to declare this object external: "Secret/web-ns/db" (or "Secret/db")."""
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"


# pod spec location per (group, kind)
_POD_SPECS: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "Pod"): ("spec",),
    ("", "PodTemplate"): ("template", "spec"),
    ("", "ReplicationController"): ("spec", "template", "spec"),
    ("apps", "Deployment"): ("spec", "template", "spec"),
    ("apps", "ReplicaSet"): ("spec", "template", "spec"),
    ("apps", "StatefulSet"): ("spec", "template", "spec"),
    ("apps", "DaemonSet"): ("spec", "template", "spec"),
    ("batch", "Job"): ("spec", "template", "spec"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else ()


def _label(item: Any, index: int, key: str = "name") -> str:
    name = _map(item).get(key)
    return f"[{name}]" if isinstance(name, str) and name and "]" not in name else f"[{index}]"


class _Collector:
    def __init__(self, namespace: str | None) -> None:
        self.namespace = namespace
        self.found: list[Reference] = []

    def add(self, kind: str, ref: Any, field: str, path: str, key: str | None = None) -> None:
        ref = _map(ref)
        name = ref.get(field)
        if isinstance(name, str) and name and ref.get("optional") is not True:
            self.found.append(Reference(kind, name, self.namespace, f"{path}.{field}", key))

    def pod_spec(self, spec: Mapping[str, Any], path: str) -> None:
        for field in ("serviceAccountName", "serviceAccount"):
            name = spec.get(field)
            if isinstance(name, str) and name:
                self.found.append(
                    Reference("ServiceAccount", name, self.namespace, f"{path}.{field}")
                )
                break
        for i, secret in enumerate(_list(spec.get("imagePullSecrets"))):
            self.add("Secret", secret, "name", f"{path}.imagePullSecrets{_label(secret, i)}")
        for i, volume in enumerate(_list(spec.get("volumes"))):
            volume = _map(volume)
            where = f"{path}.volumes{_label(volume, i)}"
            self.add("ConfigMap", volume.get("configMap"), "name", f"{where}.configMap")
            self.add("Secret", volume.get("secret"), "secretName", f"{where}.secret")
            sources = _list(_map(volume.get("projected")).get("sources"))
            for j, source in enumerate(sources):
                source = _map(source)
                at = f"{where}.projected.sources[{j}]"
                self.add("ConfigMap", source.get("configMap"), "name", f"{at}.configMap")
                self.add("Secret", source.get("secret"), "name", f"{at}.secret")
        for field in ("initContainers", "containers", "ephemeralContainers"):
            for i, c in enumerate(_list(spec.get(field))):
                c = _map(c)
                where = f"{path}.{field}{_label(c, i)}"
                for j, source in enumerate(_list(c.get("envFrom"))):
                    source = _map(source)
                    at = f"{where}.envFrom[{j}]"
                    self.add("ConfigMap", source.get("configMapRef"), "name", f"{at}.configMapRef")
                    self.add("Secret", source.get("secretRef"), "name", f"{at}.secretRef")
                for j, env in enumerate(_list(c.get("env"))):
                    value_from = _map(_map(env).get("valueFrom"))
                    at = f"{where}.env{_label(env, j)}.valueFrom"
                    for kind, field_name in (
                        ("ConfigMap", "configMapKeyRef"),
                        ("Secret", "secretKeyRef"),
                    ):
                        ref = _map(value_from.get(field_name))
                        key = ref.get("key")
                        self.add(
                            kind,
                            ref,
                            "name",
                            f"{at}.{field_name}",
                            key if isinstance(key, str) else None,
                        )


def find_references(obj: Any) -> list[Reference]:
    """The ConfigMaps, Secrets and ServiceAccounts `obj` refers to (not those marked optional)."""
    if not isinstance(obj, Mapping):
        return []
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    group = split_api_version(api_version)[0] if isinstance(api_version, str) else ""
    namespace = _map(obj.get("metadata")).get("namespace")
    collector = _Collector(namespace if isinstance(namespace, str) and namespace else None)
    steps = _POD_SPECS.get((group, kind)) if isinstance(kind, str) else None
    if steps is not None:
        spec: Any = obj
        for step in steps:
            spec = _map(spec).get(step)
        collector.pod_spec(_map(spec), ".".join(steps))
    elif (group, kind) == ("networking.k8s.io", "Ingress"):
        for i, tls in enumerate(_list(_map(obj.get("spec")).get("tls"))):
            collector.add("Secret", tls, "secretName", f"spec.tls[{i}]")
    return collector.found


def parse_external(entries: Iterable[str]) -> set[tuple[str, str | None, str]]:
    """ "Secret/ns/name" -> ("Secret", "ns", "name"); "Secret/name" -> ("Secret", None, "name")
    (any namespace). ValueError for anything else, naming the entry."""
    out: set[tuple[str, str | None, str]] = set()
    for entry in entries:
        parts = entry.split("/")
        if len(parts) not in (2, 3) or parts[0] not in KINDS or not all(parts):
            raise ValueError(
                f"external reference {entry!r} must read <kind>/<name> or "
                f"<kind>/<namespace>/<name>, kind one of {', '.join(KINDS)}"
            )
        out.add((parts[0], parts[1] if len(parts) == 3 else None, parts[-1]))
    return out


def check_references(
    objects: Sequence[Any], external: Iterable[str] = (), *, default_namespace: str | None = None
) -> list[Problem]:
    """Warnings for references to ConfigMaps, Secrets and ServiceAccounts that are neither among
    `objects` nor declared in `external` ("Secret/ns/name" or "Secret/name"), and for missing
    keys of referenced ConfigMaps and Secrets of the plan. `default_namespace` stands for an
    unset metadata.namespace; with neither, names match in any namespace."""
    declared = parse_external(external)
    present: dict[tuple[str, str | None, str], Mapping[str, Any]] = {}
    for obj in objects:
        if not isinstance(obj, Mapping) or obj.get("kind") not in KINDS:
            continue
        if split_api_version(str(obj.get("apiVersion", "")))[0] != "":
            continue
        meta = _map(obj.get("metadata"))
        name = meta.get("name")
        if isinstance(name, str):
            namespace = meta.get("namespace") or default_namespace
            present[(obj["kind"], namespace, name)] = obj
            present.setdefault((obj["kind"], None, name), obj)

    problems: list[Problem] = []
    for index, obj in enumerate(objects):
        for ref in find_references(obj):
            namespace = ref.namespace or default_namespace
            if (ref.kind, ref.name) in ALWAYS_PRESENT:
                continue
            target = present.get((ref.kind, namespace, ref.name))
            if target is None:
                if (ref.kind, namespace, ref.name) in declared or (
                    ref.kind,
                    None,
                    ref.name,
                ) in declared:
                    continue
                where = f" in namespace {namespace}" if namespace else ""
                spelled = attrs.evolve(ref, namespace=namespace).external_spelling()
                problems.append(
                    Problem(
                        object_ref(obj),
                        ref.path,
                        f"{ref.kind} {json.dumps(ref.name)}{where} is not in the plan and not "
                        f"declared external; if something else creates it, declare it external "
                        f"({json.dumps(spelled)}), or mark the reference optional",
                        index,
                    )
                )
            elif ref.key is not None and not _has_key(target, ref.key):
                problems.append(
                    Problem(
                        object_ref(obj),
                        ref.path.rpartition(".")[0] + ".key",
                        f"{ref.kind} {json.dumps(ref.name)} of the plan has no key "
                        f"{json.dumps(ref.key)}; the container will not start",
                        index,
                    )
                )
    return problems


def _has_key(obj: Mapping[str, Any], key: str) -> bool:
    fields = ("data", "stringData") if obj.get("kind") == "Secret" else ("data", "binaryData")
    return any(key in _map(obj.get(f)) for f in fields)
