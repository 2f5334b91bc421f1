"""Checks the API server makes beyond the JSON schema, made offline on one complete object.

The schemas say "cpu is a string or number" and "replicas is an integer"; the API server's
validation (pkg/apis/*/validation in kubernetes/kubernetes) then rejects `cpu: abc`, a memory
limit below its request, `replicas: -1`, a port 70000, two containers named alike,
`imagePullPolicy: Sometimes`, an invalid label, a Secret whose data is not base64, a Deployment
whose selector does not select its own pods, a volumeMount naming no volume. Finding those at
`modsys validate` instead of at `kubectl apply` (possibly halfway through a rollout) is the point.

`check_object(obj, kubernetes_version)` returns `validate.Problem`s like `validate_objects`
does: the object, the field path (list elements named by their key as in
`spec.template.spec.containers[web].resources.limits.memory`, see `mergekeys.element_label`)
and a message in the API server's words where it has them. Run it on objects that passed schema
validation: a field of the wrong type is skipped here, not reported twice.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from modsys.kube.enums import ENUMS, allowed_at_minor
from modsys.kube.kinds import kubernetes_minor, split_api_version
from modsys.kube.quantity import QUANTITY_TEXT, parse_quantity
from modsys.kube.validate import LABEL_TEXT, Problem, is_dns1123_label, object_ref

# --- syntax -------------------------------------------------------------------------------------

_NAME_PART = re.compile(r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")
_LETTER = re.compile(r"[a-z]")

#: the API server's limit on the total size of an object's annotations (keys plus values)
ANNOTATIONS_MAX_BYTES = 256 * 1024
#: the limit on a Secret's or ConfigMap's data (etcd's request size, as validation enforces it)
DATA_MAX_BYTES = 1024 * 1024

_NAME_PART_TEXT = (
    "at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a "
    "letter or digit"
)


@functools.lru_cache(maxsize=4096)
def qualified_name_problem(key: str) -> str | None:
    """Why `key` is not a label or annotation key ("[prefix/]name", prefix a DNS-1123 subdomain
    of at most 253 characters, name as `_NAME_PART_TEXT`); None if it is one."""
    prefix, slash, name = key.rpartition("/")
    if slash and not prefix:
        return "the prefix before '/' must not be empty"
    if prefix and (len(prefix) > 253 or not _SUBDOMAIN.fullmatch(prefix)):
        return (
            f"prefix {prefix!r} must be a DNS-1123 subdomain (lower-case letters, digits, "
            "'-' and '.', at most 253 characters)"
        )
    if not name:
        return "the name part must not be empty"
    if len(name) > 63 or not _NAME_PART.fullmatch(name):
        return f"name part {name!r} must be {_NAME_PART_TEXT}"
    return None


def label_value_problem(value: Any) -> str | None:
    """Why `value` is not a label value (empty, or as a key's name part); None if it is one."""
    if type(value) is not str:
        return None  # the schema reports the type
    if value and (len(value) > 63 or not _NAME_PART.fullmatch(value)):
        return f"label value {value!r} must be empty or {_NAME_PART_TEXT}"
    return None


def port_name_problem(name: Any) -> str | None:
    """Why `name` is not an IANA_SVC_NAME (container port names, named target ports)."""
    return _port_name_problem(name) if type(name) is str else None


@functools.lru_cache(maxsize=4096)
def _port_name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= 15:
        return f"port name {name!r} must be 1 to 15 characters"
    if not _PORT_NAME_CHARS.fullmatch(name):
        return f"port name {name!r} may contain only lower-case letters, digits and '-'"
    if not _LETTER.search(name):
        return f"port name {name!r} must contain at least one letter"
    if name.startswith("-") or name.endswith("-") or "--" in name:
        return f"port name {name!r} must not begin or end with '-' or contain '--'"
    return None


@functools.lru_cache(maxsize=4096)
def config_key_problem(key: str) -> str | None:
    """Why `key` is not a Secret or ConfigMap data key; None if it is one."""
    if len(key) > 253:
        return f"key {key[:40]!r}… is longer than 253 characters"
    if not _CONFIG_KEY.fullmatch(key):
        return f"key {key!r} may contain only letters, digits, '-', '_' and '.'"
    if key in (".", "..") or key.startswith(".."):
        return f"key {key!r} must not be '.' or '..' or start with '..'"
    return None


# --- paths --------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def field_path(prefix: str, key: str | int) -> str:
    """`prefix` extended by a field or index: "spec.ports" + 0 -> "spec.ports[0]", "metadata.labels"
    + "app.kubernetes.io/name" -> 'metadata.labels["app.kubernetes.io/name"]'."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if _PLAIN.fullmatch(key):
        return f"{prefix}.{key}" if prefix else key
    return f"{prefix}[{json.dumps(key)}]"


_at = field_path


def _named(prefix: str, field: str, item: Any, index: int, key: str = "name") -> str:
    """`prefix.field[<name>]`, by position when the element has no usable name."""
    name = item.get(key) if isinstance(item, Mapping) else None
    label = name if isinstance(name, str) and name and "]" not in name else index
    return f"{_at(prefix, field)}[{label}]"


_EMPTY: Mapping[str, Any] = {}


def _map(value: Any) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    return value if isinstance(value, Mapping) else _EMPTY


def _list(value: Any) -> Sequence[Any]:
    return value if type(value) is list else ()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_allowed = allowed_at_minor


# --- the checker --------------------------------------------------------------------------------


class _Checker:
    def __init__(self, obj: Mapping[str, Any], minor: str, index: int | None) -> None:
        self.obj = obj
        self.minor = minor
        self.index = index
        self.problems: list[Problem] = []

    def report(self, path: str, message: str) -> None:
        self.problems.append(Problem(object_ref(self.obj), path, message, self.index))

    def enum(self, field: str, value: Any, path: str) -> None:
        if type(value) is not str:
            return
        allowed = _allowed(field, self.minor)
        if value not in allowed:
            later = value in ENUMS[field].values
            shown = ", ".join(allowed)
            self.report(
                path,
                f"Unsupported value {json.dumps(value)}: supported values: {shown}"
                + (f" (Kubernetes {self.minor} does not accept {value} yet)" if later else ""),
            )

    def enum_at(self, field: str, mapping: Any, key: str, prefix: str) -> None:
        value = _map(mapping).get(key)
        if type(value) is str and value not in _allowed(field, self.minor):
            self.enum(field, value, _at(prefix, key))

    # -- metadata -------------------------------------------------------------------------------

    def labels(self, labels: Any, path: str) -> None:
        for key, value in _map(labels).items():
            why = qualified_name_problem(key) if type(key) is str else None
            if why:
                self.report(_at(path, key), f"invalid label key: {why}")
            why = label_value_problem(value)
            if why:
                self.report(_at(path, key), f"invalid {why}")

    def metadata(self, meta: Any, path: str) -> None:
        meta = _map(meta)
        self.labels(meta.get("labels"), _at(path, "labels"))
        annotations = _map(meta.get("annotations"))
        size = 0
        for key, value in annotations.items():
            why = qualified_name_problem(key) if isinstance(key, str) else None
            if why:
                self.report(_at(_at(path, "annotations"), key), f"invalid annotation key: {why}")
            size += len(str(key).encode()) + (len(value.encode()) if isinstance(value, str) else 0)
        if size > ANNOTATIONS_MAX_BYTES:
            self.report(
                _at(path, "annotations"),
                f"Too long: annotations total {size} bytes, at most {ANNOTATIONS_MAX_BYTES} "
                "(256 KiB) allowed",
            )

    # -- pods -----------------------------------------------------------------------------------

    def pod_spec(self, spec: Any, path: str) -> None:
        spec = _map(spec)
        self.enum_at("PodSpec.restartPolicy", spec, "restartPolicy", path)
        self.enum_at("PodSpec.dnsPolicy", spec, "dnsPolicy", path)
        self.enum_at("PodSpec.preemptionPolicy", spec, "preemptionPolicy", path)
        for i, tol in enumerate(_list(spec.get("tolerations"))):
            where = _at(_at(path, "tolerations"), i)
            self.enum_at("Toleration.operator", tol, "operator", where)
            self.enum_at("Toleration.effect", tol, "effect", where)
        for i, tsc in enumerate(_list(spec.get("topologySpreadConstraints"))):
            where = _at(_at(path, "topologySpreadConstraints"), i)
            for field in ("whenUnsatisfiable", "nodeAffinityPolicy", "nodeTaintsPolicy"):
                self.enum_at(f"TopologySpreadConstraint.{field}", tsc, field, where)
        self.security_context(spec.get("securityContext"), _at(path, "securityContext"))
        if "resources" in spec:  # pod-level resources (1.32+)
            self.resources(spec["resources"], _at(path, "resources"))

        volumes: set[str] = set()
        for i, vol in enumerate(_list(spec.get("volumes"))):
            name = _map(vol).get("name")
            if isinstance(name, str):
                where = _named(path, "volumes", vol, i)
                if name in volumes:
                    self.report(_at(where, "name"), f"Duplicate value: {json.dumps(name)}")
                elif not is_dns1123_label(name):
                    self.report(_at(where, "name"), f"{name!r} is not {LABEL_TEXT}")
                volumes.add(name)

        names: set[str] = set()
        for field in ("initContainers", "containers", "ephemeralContainers"):
            for i, c in enumerate(_list(spec.get(field))):
                where = _named(path, field, c, i)
                name = _map(c).get("name")
                if isinstance(name, str):
                    if name in names:
                        self.report(
                            _at(where, "name"),
                            f"Duplicate value: {json.dumps(name)}: container names must be "
                            "unique across containers, initContainers and ephemeralContainers",
                        )
                    elif not is_dns1123_label(name):
                        self.report(_at(where, "name"), f"{name!r} is not {LABEL_TEXT}")
                    names.add(name)
                self.container(_map(c), where, volumes)

    def security_context(self, sc: Any, path: str) -> None:
        sc = _map(sc)
        seccomp = _map(sc.get("seccompProfile"))
        self.enum_at("SeccompProfile.type", seccomp, "type", _at(path, "seccompProfile"))
        self.enum_at("SecurityContext.procMount", sc, "procMount", path)

    def container(self, c: Mapping[str, Any], path: str, volumes: set[str]) -> None:
        self.enum_at("Container.imagePullPolicy", c, "imagePullPolicy", path)
        self.enum_at("Container.terminationMessagePolicy", c, "terminationMessagePolicy", path)
        self.enum_at("Container.restartPolicy", c, "restartPolicy", path)
        self.security_context(c.get("securityContext"), _at(path, "securityContext"))
        if "resources" in c:
            self.resources(c["resources"], _at(path, "resources"))

        port_names: set[str] = set()
        port_keys: set[tuple[int, str]] = set()
        for i, port in enumerate(_list(c.get("ports"))):
            port = _map(port)
            number = _int(port.get("containerPort"))
            label = f"{number},{port.get('protocol', 'TCP')}" if number is not None else i
            where = f"{_at(path, 'ports')}[{label}]"
            if number is not None and not 1 <= number <= 65535:
                self.report(
                    _at(where, "containerPort"),
                    f"Invalid value: {number}: must be between 1 and 65535, inclusive",
                )
            host = _int(port.get("hostPort"))
            if host is not None and host != 0 and not 1 <= host <= 65535:
                self.report(
                    _at(where, "hostPort"),
                    f"Invalid value: {host}: must be between 1 and 65535, inclusive",
                )
            self.enum_at("ContainerPort.protocol", port, "protocol", where)
            name = port.get("name")
            if isinstance(name, str):
                why = port_name_problem(name)
                if why:
                    self.report(_at(where, "name"), f"Invalid value: {why}")
                elif name in port_names:
                    self.report(_at(where, "name"), f"Duplicate value: {json.dumps(name)}")
                port_names.add(name)
            if number is not None:
                key = (number, str(port.get("protocol", "TCP")))
                if key in port_keys:
                    self.report(
                        where,
                        f"Duplicate value: containerPort {number}/{key[1]} is listed twice",
                    )
                port_keys.add(key)

        mount_paths: set[str] = set()
        for i, mount in enumerate(_list(c.get("volumeMounts"))):
            mount = _map(mount)
            where = _named(path, "volumeMounts", mount, i, key="mountPath")
            name = mount.get("name")
            if isinstance(name, str) and name not in volumes:
                self.report(
                    _at(where, "name"),
                    f"Not found: {json.dumps(name)}: no volume of that name in the pod's volumes",
                )
            mount_path = mount.get("mountPath")
            if isinstance(mount_path, str):
                if mount_path in mount_paths:
                    self.report(
                        _at(where, "mountPath"),
                        f"Duplicate value: {json.dumps(mount_path)}: must be unique",
                    )
                mount_paths.add(mount_path)
        for i, device in enumerate(_list(c.get("volumeDevices"))):
            name = _map(device).get("name")
            if isinstance(name, str) and name not in volumes:
                self.report(
                    _at(_named(path, "volumeDevices", device, i, key="devicePath"), "name"),
                    f"Not found: {json.dumps(name)}: no volume of that name in the pod's volumes",
                )

    def quantities(self, values: Any, path: str) -> dict[str, Any]:
        """Check a map of quantities; return the parsed ones."""
        parsed = {}
        for resource, value in _map(values).items():
            q = parse_quantity(value)
            where = _at(path, resource)
            if q is None:
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    self.report(
                        where, f"Invalid value: {json.dumps(value)}: must be {QUANTITY_TEXT}"
                    )
            elif q < 0:
                self.report(
                    where, f"Invalid value: {json.dumps(value)}: must be greater than or equal to 0"
                )
            else:
                parsed[resource] = q
        return parsed

    def resources(self, res: Any, path: str) -> None:
        res = _map(res)
        limits = self.quantities(res.get("limits"), _at(path, "limits"))
        requests = self.quantities(res.get("requests"), _at(path, "requests"))
        for resource, request in requests.items():
            limit = limits.get(resource)
            if limit is not None and request > limit:
                shown_request = res["requests"][resource]
                shown_limit = res["limits"][resource]
                self.report(
                    _at(_at(path, "requests"), resource),
                    f"Invalid value: {json.dumps(shown_request)}: must be less than or equal to "
                    f"{resource} limit of {json.dumps(shown_limit)}",
                )

    # -- workloads ------------------------------------------------------------------------------

    def replicas(self, spec: Mapping[str, Any]) -> None:
        n = _int(spec.get("replicas"))
        if n is not None and n < 0:
            self.report("spec.replicas", f"Invalid value: {n}: must be greater than or equal to 0")

    def selector_matches(self, spec: Mapping[str, Any], kind: str) -> None:
        selector = spec.get("selector")
        if not isinstance(selector, Mapping):
            return  # required: the schema reports it
        match_labels = _map(selector.get("matchLabels"))
        expressions = _list(selector.get("matchExpressions"))
        self.labels(match_labels, "spec.selector.matchLabels")
        if not match_labels and not expressions:
            self.report("spec.selector", f"Invalid value: empty selector is invalid for {kind}")
            return
        labels = _map(_map(_map(spec.get("template")).get("metadata")).get("labels"))
        if not _selects(match_labels, expressions, labels):
            self.report(
                "spec.template.metadata.labels",
                f"Invalid value: {json.dumps(dict(labels), sort_keys=True)}: `selector` does not "
                "match template `labels`",
            )

    # -- per kind -------------------------------------------------------------------------------

    def run(self) -> None:
        obj = self.obj
        kind = obj.get("kind")
        api_version = obj.get("apiVersion")
        group = split_api_version(api_version)[0] if isinstance(api_version, str) else ""
        self.metadata(obj.get("metadata"), "metadata")
        spec = _map(obj.get("spec"))
        handler = _KIND_CHECKS.get((group, kind)) if isinstance(kind, str) else None
        if handler is not None:
            handler(self, obj, spec)


def _selects(
    match_labels: Mapping[str, Any], expressions: Sequence[Any], labels: Mapping[str, Any]
) -> bool:
    """Whether a LabelSelector selects an object with `labels` (metav1.LabelSelectorAsSelector)."""
    for k, v in match_labels.items():
        if labels.get(k) != v:
            return False
    for e in expressions:
        e = _map(e)
        key, op, values = e.get("key"), e.get("operator"), _list(e.get("values"))
        present = key in labels
        value = labels.get(key) if isinstance(key, str) else None
        if op == "In" and not (present and value in values):
            return False
        if op == "NotIn" and present and value in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def _pod_template(c: _Checker, template: Any, path: str) -> None:
    template = _map(template)
    c.metadata(template.get("metadata"), _at(path, "metadata"))
    c.pod_spec(template.get("spec"), _at(path, "spec"))


def _deployment(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.replicas(spec)
    c.selector_matches(spec, "Deployment")
    c.enum_at("DeploymentStrategy.type", spec.get("strategy"), "type", "spec.strategy")
    _pod_template(c, spec.get("template"), "spec.template")


def _replica_set(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.replicas(spec)
    c.selector_matches(spec, "ReplicaSet")
    _pod_template(c, spec.get("template"), "spec.template")


def _stateful_set(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.replicas(spec)
    c.selector_matches(spec, "StatefulSet")
    c.enum_at("StatefulSetSpec.podManagementPolicy", spec, "podManagementPolicy", "spec")
    c.enum_at(
        "StatefulSetUpdateStrategy.type", spec.get("updateStrategy"), "type", "spec.updateStrategy"
    )
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    for field in ("whenDeleted", "whenScaled"):
        c.enum_at(
            f"StatefulSetPersistentVolumeClaimRetentionPolicy.{field}",
            retention,
            field,
            "spec.persistentVolumeClaimRetentionPolicy",
        )
    for i, pvc in enumerate(_list(spec.get("volumeClaimTemplates"))):
        where = _named("spec", "volumeClaimTemplates", _map(pvc).get("metadata"), i)
        _pvc_spec(c, _map(pvc).get("spec"), _at(where, "spec"))
    _pod_template(c, spec.get("template"), "spec.template")


def _daemon_set(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.selector_matches(spec, "DaemonSet")
    c.enum_at(
        "DaemonSetUpdateStrategy.type", spec.get("updateStrategy"), "type", "spec.updateStrategy"
    )
    _pod_template(c, spec.get("template"), "spec.template")


def _replication_controller(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.replicas(spec)
    selector = _map(spec.get("selector"))
    labels = _map(_map(_map(spec.get("template")).get("metadata")).get("labels"))
    if selector and not _selects(selector, (), labels):
        c.report(
            "spec.template.metadata.labels",
            "Invalid value: `selector` does not match template `labels`",
        )
    _pod_template(c, spec.get("template"), "spec.template")


def _job_spec(c: _Checker, spec: Mapping[str, Any], path: str) -> None:
    c.enum_at("JobSpec.completionMode", spec, "completionMode", path)
    c.enum_at("JobSpec.podReplacementPolicy", spec, "podReplacementPolicy", path)
    rules = _list(_map(spec.get("podFailurePolicy")).get("rules"))
    for i, rule in enumerate(rules):
        c.enum_at(
            "PodFailurePolicyRule.action", rule, "action", f"{path}.podFailurePolicy.rules[{i}]"
        )
    _pod_template(c, spec.get("template"), _at(path, "template"))


def _job(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    _job_spec(c, spec, "spec")


def _cron_job(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.enum_at("CronJobSpec.concurrencyPolicy", spec, "concurrencyPolicy", "spec")
    template = _map(spec.get("jobTemplate"))
    c.metadata(template.get("metadata"), "spec.jobTemplate.metadata")
    _job_spec(c, _map(template.get("spec")), "spec.jobTemplate.spec")


def _pod(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.pod_spec(spec, "spec")


def _pod_template_kind(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    _pod_template(c, obj.get("template"), "template")


def _service(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    for field in ("type", "externalTrafficPolicy", "internalTrafficPolicy", "sessionAffinity"):
        c.enum_at(f"ServiceSpec.{field}", spec, field, "spec")
    c.enum_at("ServiceSpec.ipFamilyPolicy", spec, "ipFamilyPolicy", "spec")
    c.enum_at("ServiceSpec.trafficDistribution", spec, "trafficDistribution", "spec")
    for i, family in enumerate(_list(spec.get("ipFamilies"))):
        c.enum("ServiceSpec.ipFamilies", family, f"spec.ipFamilies[{i}]")
    if spec.get("type") == "ExternalName" and not spec.get("externalName"):
        c.report("spec.externalName", "Required value: a Service of type ExternalName needs it")
    ports = _list(spec.get("ports"))
    names: set[str] = set()
    keys: set[tuple[int, str]] = set()
    for i, port in enumerate(ports):
        port = _map(port)
        number = _int(port.get("port"))
        protocol = str(port.get("protocol", "TCP"))
        where = f"spec.ports[{number},{protocol}]" if number is not None else f"spec.ports[{i}]"
        if number is not None and not 1 <= number <= 65535:
            c.report(
                _at(where, "port"),
                f"Invalid value: {number}: must be between 1 and 65535, inclusive",
            )
        for field in ("targetPort", "nodePort"):
            value = _int(port.get(field))
            if (
                value is not None
                and not 1 <= value <= 65535
                and not (field == "nodePort" and value == 0)
            ):
                c.report(
                    _at(where, field),
                    f"Invalid value: {value}: must be between 1 and 65535, inclusive",
                )
        target = port.get("targetPort")
        if isinstance(target, str):
            why = port_name_problem(target)
            if why:
                c.report(_at(where, "targetPort"), f"Invalid value: {why}")
        c.enum_at("ServicePort.protocol", port, "protocol", where)
        name = port.get("name")
        if isinstance(name, str) and name:
            if not is_dns1123_label(name):
                c.report(_at(where, "name"), f"{name!r} is not {LABEL_TEXT}")
            elif name in names:
                c.report(_at(where, "name"), f"Duplicate value: {json.dumps(name)}")
            names.add(name)
        elif len(ports) > 1:
            c.report(
                _at(where, "name"),
                "Required value: ports must be named when a Service has more than one",
            )
        if number is not None:
            if (number, protocol) in keys:
                c.report(where, f"Duplicate value: port {number}/{protocol} is listed twice")
            keys.add((number, protocol))


def _pvc_spec(c: _Checker, spec: Any, path: str) -> None:
    spec = _map(spec)
    for i, mode in enumerate(_list(spec.get("accessModes"))):
        c.enum("PersistentVolumeClaimSpec.accessModes", mode, f"{path}.accessModes[{i}]")
    c.enum_at("PersistentVolumeClaimSpec.volumeMode", spec, "volumeMode", path)
    c.resources(spec.get("resources"), _at(path, "resources"))


def _pvc(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    _pvc_spec(c, spec, "spec")


def _data_map(
    c: _Checker, data: Any, path: str, check_value: Callable[[Any], str | None] | None
) -> tuple[set[str], int]:
    keys: set[str] = set()
    size = 0
    for key, value in _map(data).items():
        where = _at(path, key)
        why = config_key_problem(key) if isinstance(key, str) else None
        if why:
            c.report(where, f"Invalid value: {why}")
        keys.add(key)
        if check_value is not None:
            why = check_value(value)
            if why:
                c.report(where, why)
        size += len(value) if isinstance(value, str) else 0
    return keys, size


def _base64_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        base64.b64decode(value.replace("\n", "").replace("\r", ""), validate=True)
    except (binascii.Error, ValueError):
        return (
            "Invalid value: not valid base64 (data holds base64-encoded bytes; put plain text "
            "under stringData instead)"
        )
    return None


#: keys a Secret of a built-in type must hold (in data or stringData), as
#: pkg/apis/core/validation ValidateSecret requires; a tuple of alternatives means "one of"
SECRET_TYPE_KEYS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "kubernetes.io/tls": (("tls.crt",), ("tls.key",)),
    "kubernetes.io/dockerconfigjson": ((".dockerconfigjson",),),
    "kubernetes.io/dockercfg": ((".dockercfg",),),
    "kubernetes.io/basic-auth": (("username", "password"),),
    "kubernetes.io/ssh-auth": (("ssh-privatekey",),),
}


def _secret(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    data_keys, data_size = _data_map(c, obj.get("data"), "data", _base64_problem)
    string_keys, string_size = _data_map(c, obj.get("stringData"), "stringData", None)
    if data_size * 3 // 4 + string_size > DATA_MAX_BYTES:
        c.report("data", f"Too long: a Secret holds at most {DATA_MAX_BYTES} bytes (1 MiB)")
    secret_type = obj.get("type")
    keys = data_keys | string_keys
    for alternatives in (
        SECRET_TYPE_KEYS.get(secret_type, ()) if isinstance(secret_type, str) else ()
    ):
        if not keys.intersection(alternatives):
            c.report(
                _at("data", alternatives[0]),
                f"Required value: a Secret of type {secret_type} needs "
                + " or ".join(json.dumps(k) for k in alternatives)
                + " in data or stringData",
            )
    if secret_type == "kubernetes.io/service-account-token":
        annotations = _map(_map(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            c.report(
                'metadata.annotations["kubernetes.io/service-account.name"]',
                "Required value: a service-account-token Secret names its ServiceAccount here",
            )


def _config_map(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    data_keys, data_size = _data_map(c, obj.get("data"), "data", None)
    binary_keys, binary_size = _data_map(c, obj.get("binaryData"), "binaryData", _base64_problem)
    for key in sorted(data_keys & binary_keys):
        c.report(_at("binaryData", key), "Duplicate value: the same key is in data")
    if data_size + binary_size * 3 // 4 > DATA_MAX_BYTES:
        c.report("data", f"Too long: a ConfigMap holds at most {DATA_MAX_BYTES} bytes (1 MiB)")


def _ingress(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    for i, rule in enumerate(_list(spec.get("rules"))):
        for j, p in enumerate(_list(_map(_map(rule).get("http")).get("paths"))):
            c.enum_at("HTTPIngressPath.pathType", p, "pathType", f"spec.rules[{i}].http.paths[{j}]")


def _network_policy(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    for i, t in enumerate(_list(spec.get("policyTypes"))):
        c.enum("NetworkPolicySpec.policyTypes", t, f"spec.policyTypes[{i}]")
    for direction in ("ingress", "egress"):
        for i, rule in enumerate(_list(spec.get(direction))):
            for j, port in enumerate(_list(_map(rule).get("ports"))):
                c.enum_at(
                    "NetworkPolicyPort.protocol",
                    port,
                    "protocol",
                    f"spec.{direction}[{i}].ports[{j}]",
                )


def _resource_quota(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    c.quantities(spec.get("hard"), "spec.hard")


def _limit_range(c: _Checker, obj: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
    for i, limit in enumerate(_list(spec.get("limits"))):
        for field in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            c.quantities(_map(limit).get(field), f"spec.limits[{i}].{field}")


_Handler = Callable[[_Checker, Mapping[str, Any], Mapping[str, Any]], None]

_KIND_CHECKS: dict[tuple[str, str], _Handler] = {
    ("apps", "Deployment"): _deployment,
    ("apps", "ReplicaSet"): _replica_set,
    ("apps", "StatefulSet"): _stateful_set,
    ("apps", "DaemonSet"): _daemon_set,
    ("", "ReplicationController"): _replication_controller,
    ("batch", "Job"): _job,
    ("batch", "CronJob"): _cron_job,
    ("", "Pod"): _pod,
    ("", "PodTemplate"): _pod_template_kind,
    ("", "Service"): _service,
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "Secret"): _secret,
    ("", "ConfigMap"): _config_map,
    ("networking.k8s.io", "Ingress"): _ingress,
    ("networking.k8s.io", "NetworkPolicy"): _network_policy,
    ("", "ResourceQuota"): _resource_quota,
    ("", "LimitRange"): _limit_range,
}
"""(group, kind) -> its checks; every kind also gets the metadata checks (labels, annotations)."""


# --- public -------------------------------------------------------------------------------------


def check_object(obj: Any, kubernetes_version: str, index: int | None = None) -> list[Problem]:
    """Every API-server check above on one complete object; `index` is copied into the
    problems (the object's position in the caller's list). Raises `UnsupportedVersionError`
    for a Kubernetes version without bundled schemas."""
    if not isinstance(obj, Mapping):
        return []
    checker = _Checker(obj, kubernetes_minor(kubernetes_version), index)
    checker.run()
    return checker.problems


def check_objects(objects: Sequence[Any], kubernetes_version: str) -> list[Problem]:
    """`check_object` on each object, problems in object order, each with its object's index."""
    kubernetes_minor(kubernetes_version)
    problems: list[Problem] = []
    for index, obj in enumerate(objects):
        problems.extend(check_object(obj, kubernetes_version, index))
    return problems
