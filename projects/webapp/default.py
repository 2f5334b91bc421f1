"""Project webapp: one stateless web application, hardened for production.

From a few options (image, replicas, ports, env, resources, probes, security context) it builds,
with `modsys.builders`, a Deployment, Service, ConfigMap, HorizontalPodAutoscaler,
PodDisruptionBudget and NetworkPolicies (namespace default-deny plus allow rules), in bundle
`services/webapp`; its namespace is created in `namespaces/webapp-namespace`.

Secure by default (the seeds' production practice): non-root, read-only root filesystem (with
`emptyDir` volumes at `writablePaths`), no privilege escalation, all capabilities dropped,
default-deny networking. Checked always: limits ≥ requests. Checked when `environment` is
"production": resources (requests and limits for cpu and memory) are set, the hardening is on,
at least 2 replicas, and a PodDisruptionBudget exists.
"""

from modsys import mk_enable_option, mk_if, mk_option, set_at, types
from modsys.platform.authoring import (
    DNS_LABEL,
    config_checksum,
    dns_egress_rule,
    mk_config_map,
    mk_container,
    mk_default_deny,
    mk_deployment,
    mk_hpa,
    mk_labels,
    mk_network_policy,
    mk_pdb,
    mk_service,
    resource_problems,
    selector_labels,
)

NAME = DNS_LABEL
QUANTITY = r"[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?"
ENVIRONMENTS = ["development", "staging", "production"]

_resource_set = {
    "cpu": mk_option(type=types.null_or(types.str_matching(QUANTITY)), default=None, description="CPU, e.g. `100m`."),
    "memory": mk_option(
        type=types.null_or(types.str_matching(QUANTITY)), default=None, description="Memory, e.g. `128Mi`."
    ),
}

_probe = types.null_or(types.attrs_of(types.anything))


def _http_probe(path, delay, period):
    return {
        "httpGet": {"path": path, "port": "http"},
        "initialDelaySeconds": delay,
        "periodSeconds": period,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }


def _resources(app):
    out = {}
    for section in ("requests", "limits"):
        values = {k: v for k, v in (("cpu", app.resources[section].cpu), ("memory", app.resources[section].memory)) if v}
        if values:
            out[section] = values
    return out


def labels(app):
    return {
        **mk_labels(app.name, version=app.image.tag, component="web", part_of=app.name),
        "app.kubernetes.io/environment": app.environment,
    }


def objects(app):
    """Every object of the `webapp` bundle, by kind and name (for `resources`)."""
    name, lbl = app.name, labels(app)
    sel = selector_labels(lbl)
    env_cm = f"{name}-env"
    files_cm = f"{name}-files"
    plain_env = {k: v for k, v in app.env.items() if isinstance(v, str)}
    ref_env = {k: v for k, v in app.env.items() if not isinstance(v, str)}
    mounts = [
        {"name": f"writable-{i}", "mountPath": path} for i, path in enumerate(app.writablePaths)
    ]
    volumes = [{"name": f"writable-{i}", "emptyDir": {}} for i in range(len(app.writablePaths))]
    if app.files:
        mounts.append({"name": "files", "mountPath": app.filesMountPath, "readOnly": True})
        volumes.append({"name": "files", "configMap": {"name": files_cm}})
    probes = app.probes
    container = mk_container(
        name,
        f"{app.image.repository}:{app.image.tag}",
        ports=dict(app.ports),
        env=ref_env or None,
        env_from=[{"configMapRef": {"name": env_cm}}],
        resources=_resources(app) or None,
        readiness_probe=probes.readiness,
        liveness_probe=probes.liveness,
        startup_probe=probes.startup,
        security_context=dict(app.securityContext.container),
        volume_mounts=mounts,
        image_pull_policy=app.image.pullPolicy,
    )
    checksum = config_checksum(plain_env, dict(app.files))
    autoscaling = app.autoscaling
    deployment = mk_deployment(
        name,
        [container],
        replicas=None if autoscaling.enable else app.replicas,
        labels=lbl,
        selector=sel,
        pod_annotations={"checksum/config": checksum, **app.podAnnotations},
        pod_security_context=dict(app.securityContext.pod),
        volumes=volumes,
        automount_service_account_token=False,
    )
    out = {
        "Deployment": {name: deployment},
        "Service": {
            name: mk_service(
                name,
                sel,
                {p: {"port": app.service.ports.get(p, port), "targetPort": p} for p, port in app.ports.items()},
                type=app.service.type,
                labels=lbl,
            )
        },
        "ConfigMap": {env_cm: mk_config_map(env_cm, plain_env, labels=lbl)},
    }
    if app.files:
        out["ConfigMap"][files_cm] = mk_config_map(files_cm, dict(app.files), labels=lbl)
    if autoscaling.enable:
        out["HorizontalPodAutoscaler"] = {
            name: mk_hpa(
                name,
                min_replicas=autoscaling.minReplicas if autoscaling.minReplicas is not None else app.replicas,
                max_replicas=autoscaling.maxReplicas,
                cpu_utilization=autoscaling.targetCPUUtilizationPercentage,
                memory_utilization=autoscaling.targetMemoryUtilizationPercentage,
                labels=lbl,
            )
        }
    pdb = app.podDisruptionBudget
    if pdb.enable:
        out["PodDisruptionBudget"] = {
            name: mk_pdb(
                name,
                sel,
                min_available=pdb.minAvailable,
                max_unavailable=pdb.maxUnavailable if pdb.minAvailable is None else None,
                labels=lbl,
            )
        }
    net = app.networkPolicy
    if net.enable:
        allow_ports = [{"port": p, "protocol": "TCP"} for p in sorted(app.ports)]
        sources = list(net.ingressFrom) or [{"podSelector": {}}]
        egress = [dns_egress_rule(), *net.egress] if net.allowDNS else list(net.egress)
        out["NetworkPolicy"] = {
            f"{name}-default-deny": mk_default_deny(f"{name}-default-deny", labels=lbl),
            name: mk_network_policy(
                name,
                sel,
                ingress=[{"from": sources, "ports": allow_ports}],
                egress=egress,
                labels=lbl,
            ),
        }
    return out


def production_problems(app):
    """What the production hardening requires and this configuration lacks."""
    where = "projects.webapp"
    problems = [
        f"{where}.resources.{section}.{res} must be set in production"
        for section in ("requests", "limits")
        for res in ("cpu", "memory")
        if not app.resources[section][res]
    ]
    pod, ctr = app.securityContext.pod, app.securityContext.container
    if pod.get("runAsNonRoot") is not True and ctr.get("runAsNonRoot") is not True:
        problems.append(f"{where}.securityContext: runAsNonRoot must be true in production")
    if ctr.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{where}.securityContext.container.readOnlyRootFilesystem must be true in production")
    if ctr.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{where}.securityContext.container.allowPrivilegeEscalation must be false in production")
    if not app.networkPolicy.enable:
        problems.append(f"{where}.networkPolicy.enable must be true in production (default deny)")
    if not app.podDisruptionBudget.enable:
        problems.append(f"{where}.podDisruptionBudget.enable must be true in production")
    low = app.autoscaling.minReplicas if app.autoscaling.enable and app.autoscaling.minReplicas else app.replicas
    if low < 2:
        problems.append(f"{where}.replicas (or autoscaling.minReplicas) must be at least 2 in production")
    return problems


def module(config):
    app = lambda: config.projects.webapp  # noqa: E731
    enabled = lambda: app().enable  # noqa: E731
    return {
        "key": "modsys:projects/webapp",
        "imports": ["../../modules/platform/kubernetes"],
        "options": {
            "projects": {
                "webapp": {
                    "enable": mk_enable_option("the webapp project"),
                    "name": mk_option(type=types.str_matching(NAME), default="webapp", description="Name of every object."),
                    "namespace": mk_option(type=types.str_matching(NAME), default="webapp", description="Namespace of the app."),
                    "environment": mk_option(
                        type=types.enum(ENVIRONMENTS),
                        default="development",
                        description="Which environment this is; `production` turns on the hardening checks.",
                    ),
                    "image": {
                        "repository": mk_option(
                            type=types.non_empty_str,
                            default="nginxinc/nginx-unprivileged",
                            description="Image repository.",
                        ),
                        "tag": mk_option(type=types.non_empty_str, default="1.27-alpine", description="Image tag."),
                        "pullPolicy": mk_option(
                            type=types.null_or(types.enum(["Always", "IfNotPresent", "Never"])),
                            default=None,
                            description="Image pull policy (null: Kubernetes' default).",
                        ),
                    },
                    "replicas": mk_option(type=types.ints.positive, default=1, description="Pods (the HPA minimum when autoscaling)."),
                    "ports": mk_option(
                        type=types.attrs_of(types.port),
                        default={"http": 8080},
                        description="Container ports by name; each is allowed by the NetworkPolicy and exposed by the Service.",
                    ),
                    "service": {
                        "type": mk_option(
                            type=types.enum(["ClusterIP", "NodePort", "LoadBalancer"]),
                            default="ClusterIP",
                            description="Service type.",
                        ),
                        "ports": mk_option(
                            type=types.attrs_of(types.port),
                            default={"http": 80},
                            description="Service port per container port name (default: the container port).",
                        ),
                    },
                    "env": mk_option(
                        type=types.attrs_of(types.either(types.str, types.attrs_of(types.anything))),
                        default={},
                        example={"LOG_LEVEL": "INFO", "DB_PASSWORD": {"secretKeyRef": {"name": "db", "key": "password"}}},
                        description=(
                            "Environment: strings go to the `<name>-env` ConfigMap (read with envFrom); "
                            "mappings are `valueFrom` sources (secrets) set on the container."
                        ),
                    ),
                    "files": mk_option(
                        type=types.attrs_of(types.str),
                        default={},
                        description="Configuration files, mounted read-only from the `<name>-files` ConfigMap at `filesMountPath`.",
                    ),
                    "filesMountPath": mk_option(type=types.str, default="/etc/webapp", description="Where `files` are mounted."),
                    "writablePaths": mk_option(
                        type=types.list_of(types.str),
                        default=["/tmp", "/var/cache/nginx"],
                        description="Writable `emptyDir` mounts (the root filesystem is read-only).",
                    ),
                    "resources": {
                        "requests": _resource_set,
                        "limits": _resource_set,
                    },
                    "probes": {
                        "readiness": mk_option(
                            type=_probe, default=_http_probe("/", 5, 10), description="Readiness probe (null: none)."
                        ),
                        "liveness": mk_option(
                            type=_probe, default=_http_probe("/", 15, 20), description="Liveness probe (null: none)."
                        ),
                        "startup": mk_option(type=_probe, default=None, description="Startup probe (null: none)."),
                    },
                    "securityContext": {
                        "pod": mk_option(
                            type=types.attrs_of(types.anything),
                            default={
                                "runAsNonRoot": True,
                                "runAsUser": 101,
                                "runAsGroup": 101,
                                "fsGroup": 101,
                                "seccompProfile": {"type": "RuntimeDefault"},
                            },
                            description="Pod security context (101 is nginx-unprivileged's user).",
                        ),
                        "container": mk_option(
                            type=types.attrs_of(types.anything),
                            default={
                                "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True,
                                "capabilities": {"drop": ["ALL"]},
                            },
                            description="Container security context.",
                        ),
                    },
                    "podAnnotations": mk_option(type=types.attrs_of(types.str), default={}, description="Extra pod annotations."),
                    "autoscaling": {
                        "enable": mk_option(type=types.bool, default=False, description="Create a HorizontalPodAutoscaler."),
                        "minReplicas": mk_option(
                            type=types.null_or(types.ints.positive), default=None, description="Minimum pods (null: `replicas`)."
                        ),
                        "maxReplicas": mk_option(type=types.ints.positive, default=5, description="Maximum pods."),
                        "targetCPUUtilizationPercentage": mk_option(
                            type=types.null_or(types.ints.between(1, 100)), default=80, description="CPU target."
                        ),
                        "targetMemoryUtilizationPercentage": mk_option(
                            type=types.null_or(types.ints.between(1, 100)), default=None, description="Memory target."
                        ),
                    },
                    "podDisruptionBudget": {
                        "enable": mk_option(type=types.bool, default=False, description="Create a PodDisruptionBudget."),
                        "minAvailable": mk_option(
                            type=types.null_or(types.either(types.ints.unsigned, types.str_matching(r"[0-9]+%"))),
                            default=None,
                            example="50%",
                            description="Pods that must stay up (wins over maxUnavailable).",
                        ),
                        "maxUnavailable": mk_option(
                            type=types.either(types.ints.positive, types.str_matching(r"[0-9]+%")),
                            default=1,
                            description="Pods that may be down at once (when minAvailable is null).",
                        ),
                    },
                    "networkPolicy": {
                        "enable": mk_option(
                            type=types.bool,
                            default=True,
                            description="Deny all traffic in the namespace by default and allow only the rules below.",
                        ),
                        "ingressFrom": mk_option(
                            type=types.list_of(types.attrs_of(types.anything)),
                            default=[],
                            example=[{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}],
                            description="NetworkPolicy peers allowed to reach the app's ports (empty: pods of its namespace).",
                        ),
                        "allowDNS": mk_option(type=types.bool, default=True, description="Allow DNS lookups (egress to kube-dns)."),
                        "egress": mk_option(
                            type=types.list_of(types.attrs_of(types.anything)),
                            default=[],
                            description="Further egress rules (e.g. to the database).",
                        ),
                    },
                }
            }
        },
        "config": mk_if(
            enabled,
            {
                "assertions": [
                    lambda: {
                        "assertion": not resource_problems(_resources(app()), "projects.webapp.resources"),
                        "message": "; ".join(resource_problems(_resources(app()), "projects.webapp.resources")),
                    },
                    lambda: {
                        "assertion": app().environment != "production" or not production_problems(app()),
                        "message": "production hardening: " + "; ".join(production_problems(app())),
                    },
                    lambda: {
                        "assertion": not app().autoscaling.enable
                        or (app().autoscaling.minReplicas or app().replicas) <= app().autoscaling.maxReplicas,
                        "message": "projects.webapp.autoscaling: the minimum replicas exceed maxReplicas",
                    },
                ],
                **set_at(
                    "platform.kubernetes.cluster.batches",
                    {
                        "namespaces": set_at(
                            "bundles.webapp-namespace.resources.Namespace",
                            lambda: {app().namespace: {}},
                        ),
                        "services": set_at(
                            "bundles.webapp",
                            {
                                "namespace": lambda: app().namespace,
                                "resources": lambda: objects(app()),
                            },
                        ),
                    },
                ),
            },
        ),
    }
