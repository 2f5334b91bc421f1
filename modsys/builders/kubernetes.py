"""Builders for common Kubernetes objects: plain functions that return plain dicts.

In the spirit of the seeds' `mkDeployment`, `mkService`, …: each returns a complete object
(`apiVersion`, `kind`, `metadata`, `spec`), so it can go into a bundle's `manifests`, or, since
kind and name match the keys, under `resources.<Kind>.<name>` where other modules can still
change single fields. Optional arguments left as None are left out of the object.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

Obj = dict[str, Any]

#: A DNS-1123 label (namespaces, most object names), for `types.str_matching`.
DNS_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"

#: The pod-level security context the seeds recommend for production.
RESTRICTED_POD_SECURITY: Obj = {
    "runAsNonRoot": True,
    "seccompProfile": {"type": "RuntimeDefault"},
}

#: The container-level security context the seeds recommend for production.
RESTRICTED_CONTAINER_SECURITY: Obj = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "capabilities": {"drop": ["ALL"]},
}


def _some(**fields: Any) -> Obj:
    return {k: v for k, v in fields.items() if v is not None}


def _metadata(
    name: str,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
) -> Obj:
    return _some(
        name=name,
        namespace=namespace,
        labels=dict(labels) if labels else None,
        annotations=dict(annotations) if annotations else None,
    )


def mk_labels(
    name: str,
    instance: str | None = None,
    version: str | None = None,
    component: str | None = None,
    part_of: str | None = None,
) -> dict[str, str]:
    """The recommended `app.kubernetes.io/*` labels."""
    pairs = {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": instance or name,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": part_of,
    }
    return {k: v for k, v in pairs.items() if v is not None}


def selector_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """The labels that stay fixed over an app's life (name and instance): for selectors."""
    keep = ("app.kubernetes.io/name", "app.kubernetes.io/instance")
    return {k: labels[k] for k in keep if k in labels}


def config_checksum(*data: Any) -> str:
    """A sha256 of configuration data, for a pod annotation that rolls pods when it changes."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def mk_env(env: Mapping[str, Any]) -> list[Obj]:
    """Container `env` from a mapping: strings become `value`, mappings are `valueFrom` (or a
    whole `{value|valueFrom}` entry). Sorted by name, so output is stable."""
    out = []
    for name in sorted(env):
        value = env[name]
        if isinstance(value, Mapping):
            entry = dict(value) if ("value" in value or "valueFrom" in value) else {"valueFrom": dict(value)}
            out.append({"name": name, **entry})
        else:
            out.append({"name": name, "value": str(value)})
    return out


def mk_container(
    name: str,
    image: str,
    *,
    ports: Mapping[str, int] | None = None,
    env: Mapping[str, Any] | None = None,
    env_from: Sequence[Mapping[str, Any]] | None = None,
    resources: Mapping[str, Any] | None = None,
    readiness_probe: Mapping[str, Any] | None = None,
    liveness_probe: Mapping[str, Any] | None = None,
    startup_probe: Mapping[str, Any] | None = None,
    security_context: Mapping[str, Any] | None = None,
    volume_mounts: Sequence[Mapping[str, Any]] | None = None,
    image_pull_policy: str | None = None,
    command: Sequence[str] | None = None,
    args: Sequence[str] | None = None,
) -> Obj:
    """A container; `ports` maps port names to container ports (TCP)."""
    return _some(
        name=name,
        image=image,
        imagePullPolicy=image_pull_policy,
        command=list(command) if command else None,
        args=list(args) if args else None,
        ports=[
            {"name": port_name, "containerPort": port, "protocol": "TCP"}
            for port_name, port in sorted((ports or {}).items())
        ]
        or None,
        env=mk_env(env) if env else None,
        envFrom=[dict(e) for e in env_from] if env_from else None,
        resources=dict(resources) if resources else None,
        readinessProbe=dict(readiness_probe) if readiness_probe else None,
        livenessProbe=dict(liveness_probe) if liveness_probe else None,
        startupProbe=dict(startup_probe) if startup_probe else None,
        securityContext=dict(security_context) if security_context else None,
        volumeMounts=[dict(m) for m in volume_mounts] if volume_mounts else None,
    )


def mk_deployment(
    name: str,
    containers: Sequence[Mapping[str, Any]],
    *,
    namespace: str | None = None,
    replicas: int | None = 1,
    labels: Mapping[str, str] | None = None,
    selector: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    pod_annotations: Mapping[str, str] | None = None,
    pod_security_context: Mapping[str, Any] | None = None,
    volumes: Sequence[Mapping[str, Any]] | None = None,
    service_account_name: str | None = None,
    automount_service_account_token: bool | None = None,
    strategy: Mapping[str, Any] | None = None,
    topology_spread_constraints: Sequence[Mapping[str, Any]] | None = None,
) -> Obj:
    """An `apps/v1` Deployment. `labels` default to `mk_labels(name)`; `selector` to their
    name/instance labels. `replicas=None` leaves replicas to an autoscaler."""
    labels = dict(labels) if labels else mk_labels(name)
    selector = dict(selector) if selector else selector_labels(labels)
    pod_spec = _some(
        serviceAccountName=service_account_name,
        automountServiceAccountToken=automount_service_account_token,
        securityContext=dict(pod_security_context) if pod_security_context else None,
        containers=[dict(c) for c in containers],
        volumes=[dict(v) for v in volumes] if volumes else None,
        topologySpreadConstraints=[dict(t) for t in topology_spread_constraints]
        if topology_spread_constraints
        else None,
    )
    template_meta = _some(
        labels={**labels, **selector},
        annotations=dict(pod_annotations) if pod_annotations else None,
    )
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(name, namespace, labels, annotations),
        "spec": _some(
            replicas=replicas,
            selector={"matchLabels": selector},
            strategy=dict(strategy) if strategy else None,
            template={"metadata": template_meta, "spec": pod_spec},
        ),
    }


def mk_service(
    name: str,
    selector: Mapping[str, str],
    ports: Mapping[str, int | Mapping[str, Any]],
    *,
    namespace: str | None = None,
    type: str = "ClusterIP",
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
) -> Obj:
    """A Service. `ports` maps a port name to its port (targeting the container port of the
    same name), or to `{port, targetPort?, protocol?, nodePort?}`."""
    port_list = []
    for port_name, spec in sorted(ports.items()):
        if isinstance(spec, Mapping):
            entry = {"name": port_name, "protocol": "TCP", "targetPort": port_name, **spec}
        else:
            entry = {"name": port_name, "port": spec, "targetPort": port_name, "protocol": "TCP"}
        port_list.append(entry)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(name, namespace, labels or mk_labels(name), annotations),
        "spec": {"type": type, "selector": dict(selector), "ports": port_list},
    }


def mk_config_map(
    name: str,
    data: Mapping[str, str],
    *,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    immutable: bool | None = None,
) -> Obj:
    """A ConfigMap holding `data` (string values)."""
    return _some(
        apiVersion="v1",
        kind="ConfigMap",
        metadata=_metadata(name, namespace, labels),
        immutable=immutable,
        data={k: str(v) for k, v in sorted(data.items())},
    )


def mk_hpa(
    name: str,
    *,
    min_replicas: int,
    max_replicas: int,
    target_kind: str = "Deployment",
    target_name: str | None = None,
    cpu_utilization: int | None = 80,
    memory_utilization: int | None = None,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    behavior: Mapping[str, Any] | None = None,
) -> Obj:
    """An `autoscaling/v2` HorizontalPodAutoscaler on CPU and/or memory utilisation.

    Raises:
        ValueError: if `min_replicas > max_replicas` or no metric is given.
    """
    if min_replicas > max_replicas:
        raise ValueError(f"HPA {name}: minReplicas {min_replicas} > maxReplicas {max_replicas}")
    metrics = [
        {
            "type": "Resource",
            "resource": {"name": res, "target": {"type": "Utilization", "averageUtilization": pct}},
        }
        for res, pct in (("cpu", cpu_utilization), ("memory", memory_utilization))
        if pct is not None
    ]
    if not metrics:
        raise ValueError(f"HPA {name}: give cpu_utilization or memory_utilization")
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _metadata(name, namespace, labels),
        "spec": _some(
            scaleTargetRef={
                "apiVersion": "apps/v1",
                "kind": target_kind,
                "name": target_name or name,
            },
            minReplicas=min_replicas,
            maxReplicas=max_replicas,
            metrics=metrics,
            behavior=dict(behavior) if behavior else None,
        ),
    }


def mk_pdb(
    name: str,
    selector: Mapping[str, str],
    *,
    min_available: int | str | None = None,
    max_unavailable: int | str | None = None,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    unhealthy_pod_eviction_policy: str | None = None,
) -> Obj:
    """A `policy/v1` PodDisruptionBudget; exactly one of min_available/max_unavailable.

    Raises:
        ValueError: if both or neither of min_available and max_unavailable are given.
    """
    if (min_available is None) == (max_unavailable is None):
        raise ValueError(f"PDB {name}: give exactly one of min_available and max_unavailable")
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _metadata(name, namespace, labels),
        "spec": _some(
            selector={"matchLabels": dict(selector)},
            minAvailable=min_available,
            maxUnavailable=max_unavailable,
            unhealthyPodEvictionPolicy=unhealthy_pod_eviction_policy,
        ),
    }


def mk_network_policy(
    name: str,
    pod_selector: Mapping[str, str] | None,
    *,
    ingress: Sequence[Mapping[str, Any]] | None = None,
    egress: Sequence[Mapping[str, Any]] | None = None,
    policy_types: Sequence[str] | None = None,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Obj:
    """A NetworkPolicy. `pod_selector=None` (or `{}`) selects every pod of the namespace.

    `policy_types` defaults to the directions given (`ingress`/`egress` not None); an empty
    list of rules in a listed direction denies that direction.
    """
    types = list(policy_types) if policy_types is not None else [
        t for t, rules in (("Ingress", ingress), ("Egress", egress)) if rules is not None
    ]
    spec: Obj = {
        "podSelector": {"matchLabels": dict(pod_selector)} if pod_selector else {},
        "policyTypes": types,
    }
    if ingress is not None:
        spec["ingress"] = [dict(r) for r in ingress]
    if egress is not None:
        spec["egress"] = [dict(r) for r in egress]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _metadata(name, namespace, labels),
        "spec": spec,
    }


def mk_default_deny(
    name: str = "default-deny", *, namespace: str | None = None, labels: Mapping[str, str] | None = None
) -> Obj:
    """A NetworkPolicy that denies all ingress and egress of every pod in its namespace;
    other policies then allow what is needed (policies are additive)."""
    return mk_network_policy(
        name, None, ingress=[], egress=[], namespace=namespace, labels=labels
    )


def dns_egress_rule() -> Obj:
    """An egress rule allowing DNS (UDP and TCP 53) to kube-system's DNS pods."""
    return {
        "to": [
            {
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
            }
        ],
        "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
    }


def mk_namespace(name: str, *, labels: Mapping[str, str] | None = None,
                 annotations: Mapping[str, str] | None = None) -> Obj:
    """A Namespace."""
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": _metadata(name, None, labels, annotations)}
