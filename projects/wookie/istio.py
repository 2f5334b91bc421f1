"""Wookie's Istio component: the `base`, `istiod` and `gateway` Helm charts as bundles.

| bundle                  | batch     | chart   | what                                            |
| ----------------------- | --------- | ------- | ----------------------------------------------- |
| `istio-base`            | crds      | base    | Istio's CRDs (and the `istio-system` namespace) |
| `istiod`                | operators | istiod  | the control plane                               |
| `istio-ingressgateway`  | services  | gateway | the ingress gateway                             |
| `istio-eastwestgateway` | services  | gateway | cross-network gateway (primary/remote only)     |
| `istio-expose`          | services  | —       | Gateway/VirtualService objects that expose istiod and services across networks (primary/remote only) |

`version` is written the Wookie way, `"1_24_2"`, and becomes chart version `1.24.2`; the chart
catalog (`projects/charts.py`) supplies the repository and rejects versions it does not know.

Chart values only use keys the real charts define (their defaults sit under
`_internal_defaults_do_not_set` in each `values.yaml`), plus `VALUE_KEY_ALLOW_LIST`: keys the
charts read without declaring a default. The tests check every emitted key against the charts.
"""

from modsys import mk_enable_option, mk_if, mk_merge, mk_option, set_at, types

#: Top-level value keys the charts accept without a default in values.yaml: `profile` is read by
#: each chart's `templates/zzz_profile.yaml`, which merges the named profile under user values.
VALUE_KEY_ALLOW_LIST = ("profile",)

#: Helm profiles shipped with Istio 1.24 (`manifests/helm-profiles/`).
PROFILES = [
    "ambient", "demo", "empty", "openshift", "openshift-ambient", "preview", "remote", "stable",
    "compatibility-version-1.21", "compatibility-version-1.22", "compatibility-version-1.23",
]

_LABEL_VALUE = r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)"
EASTWEST_PORTS = [
    {"name": "status-port", "port": 15021, "targetPort": 15021, "protocol": "TCP"},
    {"name": "tls", "port": 15443, "targetPort": 15443, "protocol": "TCP"},
    {"name": "tls-istiod", "port": 15012, "targetPort": 15012, "protocol": "TCP"},
    {"name": "tls-webhook", "port": 15017, "targetPort": 15017, "protocol": "TCP"},
]

#: Istio kinds this component creates as raw objects; their CRDs come with the `base` chart,
#: which the platform cannot look into, so they are declared external.
ISTIO_KINDS = ["networking.istio.io/Gateway", "networking.istio.io/VirtualService"]


def chart_version(version: str) -> str:
    """`"1_24_2"` → `"1.24.2"`."""
    return version.replace("_", ".")


def _some(**values):
    """The values that are not None, at any depth (only values someone set reach the chart)."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = _some(**value) or None
        if value is not None:
            out[key] = value
    return out


def base_values(istio, role):
    return _some(
        profile="remote" if role == "remote" else istio.profile,
        **({"global": {"istioNamespace": istio.namespace}} if istio.namespace != "istio-system" else {}),
    )


def istiod_values(istio, wookie):
    role, mc, pilot = wookie.clusterRole, istio.multiCluster, istio.pilot
    values = _some(
        profile="remote" if role == "remote" else istio.profile,
        autoscaleMin=pilot.minReplicas,
        autoscaleMax=pilot.maxReplicas,
        resources=dict(pilot.resources) if pilot.resources is not None else None,
    )
    g = {} if istio.namespace == "istio-system" else {"istioNamespace": istio.namespace}
    if role != "standalone":
        g |= {
            "meshID": mc.meshID,
            "multiCluster": {"clusterName": wookie.clusterName},
            "network": mc.network,
        }
    if role == "primary":
        g["externalIstiod"] = True
        if mc.istiodCustomHost:
            values["env"] = {"ISTIOD_CUSTOM_HOST": mc.istiodCustomHost}
    if role == "remote":
        g |= {"remotePilotAddress": mc.remotePilotAddress, "configCluster": True}
        values["istiodRemote"] = {
            "injectionPath": f"/inject/cluster/{wookie.clusterName}/net/{mc.network}"
        }
    if g:
        values["global"] = g
    return values


def ingress_values(istio):
    gw = istio.gateway
    return _some(
        service={"type": gw.serviceType},
        autoscaling={"minReplicas": gw.minReplicas, "maxReplicas": gw.maxReplicas},
        resources=dict(gw.resources) if gw.resources is not None else None,
    )


def eastwest_values(istio):
    mc = istio.multiCluster
    ports = [p for p in EASTWEST_PORTS if mc.eastwestStatusPort or p["name"] != "status-port"]
    return {
        "labels": {"topology.istio.io/network": mc.network},
        "networkGateway": mc.network,
        "env": {"ISTIO_META_REQUESTED_NETWORK_VIEW": mc.network},
        "service": {"type": istio.gateway.serviceType, "ports": ports},
    }


def expose_objects(role):
    """Objects of `istio-expose`: cross-network service traffic, and istiod on the primary."""
    objects = {
        "Gateway": {
            "cross-network-gateway": {
                "apiVersion": "networking.istio.io/v1",
                "spec": {
                    "selector": {"istio": "eastwestgateway"},
                    "servers": [{
                        "port": {"number": 15443, "name": "tls", "protocol": "TLS"},
                        "tls": {"mode": "AUTO_PASSTHROUGH"},
                        "hosts": ["*.local"],
                    }],
                },
            }
        }
    }
    if role == "primary":
        objects["Gateway"]["istiod-gateway"] = {
            "apiVersion": "networking.istio.io/v1",
            "spec": {
                "selector": {"istio": "eastwestgateway"},
                "servers": [
                    {
                        "port": {"name": "tls-istiod", "number": 15012, "protocol": "tls"},
                        "tls": {"mode": "PASSTHROUGH"},
                        "hosts": ["*"],
                    },
                    {
                        "port": {"name": "tls-istiodwebhook", "number": 15017, "protocol": "tls"},
                        "tls": {"mode": "PASSTHROUGH"},
                        "hosts": ["*"],
                    },
                ],
            },
        }
        istiod = "istiod.istio-system.svc.cluster.local"
        objects["VirtualService"] = {
            "istiod-vs": {
                "apiVersion": "networking.istio.io/v1",
                "spec": {
                    "hosts": ["*"],
                    "gateways": ["istiod-gateway"],
                    "tls": [
                        {
                            "match": [{"port": 15012, "sniHosts": ["*"]}],
                            "route": [{"destination": {"host": istiod, "port": {"number": 15012}}}],
                        },
                        {
                            "match": [{"port": 15017, "sniHosts": ["*"]}],
                            "route": [{"destination": {"host": istiod, "port": {"number": 443}}}],
                        },
                    ],
                },
            }
        }
    return objects


def _namespace_object(istio, wookie):
    role, mc = wookie.clusterRole, istio.multiCluster
    meta = {}
    if role != "standalone":
        meta["labels"] = {"topology.istio.io/network": mc.network}
    if role == "remote" and mc.primaryClusterName:
        meta["annotations"] = {"topology.istio.io/controlPlaneClusters": mc.primaryClusterName}
    return {"metadata": meta} if meta else {}


def _namespace_manifest(istio, wookie):
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": istio.namespace}}
    obj["metadata"].update(_namespace_object(istio, wookie).get("metadata", {}))
    return obj


def _skip_schema(version: str) -> bool:
    """Istio's `gateway` chart before 1.28 cannot validate its own defaults under Helm 4 (its
    `values.schema.json` puts `additionalProperties: false` next to a `$ref`, which the newer
    JSON Schema library enforces: "additional properties '_internal_defaults_do_not_set' not
    allowed"); Istio fixed the schema in 1.28. Until then, skip the schema check as
    `helm --skip-schema-validation` does."""
    major, minor = (int(x) for x in version.split(".")[:2])
    return (major, minor) < (1, 28)


def _replicas(what, default):
    return mk_option(
        type=types.null_or(types.ints.positive),
        default=default,
        description=f"{what}; null leaves the chart's default.",
    )


def module(config):
    wookie = lambda: config.projects.wookie  # noqa: E731
    istio = lambda: config.projects.wookie.istio  # noqa: E731
    enabled = lambda: wookie().enable and istio().enable  # noqa: E731
    multi = lambda: enabled() and wookie().clusterRole != "standalone"  # noqa: E731
    version = lambda: chart_version(istio().version)  # noqa: E731
    ns = lambda: istio().namespace  # noqa: E731
    return {
        "key": "modsys:projects/wookie/istio",
        "options": {
            "projects": {
                "wookie": {
                    "istio": {
                        "enable": mk_enable_option("Istio in the Wookie project"),
                        "version": mk_option(
                            type=types.str_matching(r"[0-9]+_[0-9]+_[0-9]+"),
                            default="1_24_6",
                            example="1_24_2",
                            description='Istio release, written "1_24_2"; it becomes chart version 1.24.2.',
                        ),
                        "namespace": mk_option(
                            type=types.str, default="istio-system", description="Istio's namespace."
                        ),
                        "profile": mk_option(
                            type=types.null_or(types.enum(PROFILES)),
                            default=None,
                            description=(
                                "Helm profile for all Istio charts (null: the charts' defaults; "
                                "a `remote` cluster always uses `remote`)."
                            ),
                        ),
                        "pilot": {
                            "minReplicas": _replicas("Minimum istiod replicas (autoscaleMin)", None),
                            "maxReplicas": _replicas("Maximum istiod replicas (autoscaleMax)", None),
                            "resources": mk_option(
                                type=types.null_or(types.attrs_of(types.attrs_of(types.str))),
                                default=None,
                                example={"requests": {"cpu": "500m", "memory": "2Gi"}},
                                description="istiod's container resources; null: the chart's.",
                            ),
                        },
                        "gateway": {
                            "enable": mk_option(
                                type=types.bool, default=True, description="Deploy the ingress gateway."
                            ),
                            "serviceType": mk_option(
                                type=types.enum(["LoadBalancer", "NodePort", "ClusterIP"]),
                                default="LoadBalancer",
                                description="Service type of the gateways.",
                            ),
                            "minReplicas": _replicas("Minimum ingress gateway replicas", None),
                            "maxReplicas": _replicas("Maximum ingress gateway replicas", None),
                            "resources": mk_option(
                                type=types.null_or(types.attrs_of(types.attrs_of(types.str))),
                                default=None,
                                description="Ingress gateway container resources; null: the chart's.",
                            ),
                        },
                        "multiCluster": {
                            "meshID": mk_option(
                                type=types.str_matching(_LABEL_VALUE),
                                default="wookie",
                                description="Mesh ID shared by every cluster of the mesh.",
                            ),
                            "network": mk_option(
                                type=types.str_matching(_LABEL_VALUE),
                                default=lambda: f"{config.projects.wookie.clusterName}-network",
                                default_text='"<clusterName>-network"',
                                description="This cluster's network (one per cluster: pods of different clusters cannot reach each other directly).",
                            ),
                            "remotePilotAddress": mk_option(
                                type=types.null_or(types.non_empty_str),
                                default=None,
                                example="istiod.primary.example.com",
                                description=(
                                    "Remote clusters: address of the primary's east-west gateway "
                                    "(istiod on ports 15012/15017). Required when clusterRole = remote."
                                ),
                            ),
                            "istiodCustomHost": mk_option(
                                type=types.null_or(types.non_empty_str),
                                default=None,
                                description=(
                                    "Primary clusters: a host name remotes use to reach istiod "
                                    "(their remotePilotAddress), added to istiod's certificate."
                                ),
                            ),
                            "eastwestStatusPort": mk_option(
                                type=types.bool,
                                default=True,
                                description=(
                                    "Expose the east-west gateway's status port 15021 (off where it "
                                    "would clash with the ingress gateway's, e.g. k3s' ServiceLB)."
                                ),
                            ),
                            "primaryClusterName": mk_option(
                                type=types.null_or(types.str),
                                default=None,
                                description="Remote clusters: the primary's clusterName (namespace annotation).",
                            ),
                        },
                    }
                }
            }
        },
        "config": mk_if(
            enabled,
            {
                "assertions": [
                    lambda: {
                        "assertion": wookie().clusterRole != "remote"
                        or istio().multiCluster.remotePilotAddress is not None,
                        "message": (
                            "projects.wookie.istio.multiCluster.remotePilotAddress must be set "
                            "when projects.wookie.clusterRole is \"remote\" (the address of the "
                            "primary cluster's east-west gateway)"
                        ),
                    }
                ],
                **set_at(
                    "platform.kubernetes.cluster",
                    {
                        "externalCRDs": mk_if(multi, ISTIO_KINDS),
                        "batches": {
                            "crds": set_at(
                                "bundles.istio-base",
                                {
                                    "namespace": ns,
                                    # the chart's ServiceAccount lives in Istio's namespace: the
                                    # Namespace is created first, in the same bundle (a
                                    # `resources` entry here would patch a chart object)
                                    "manifests": [lambda: _namespace_manifest(istio(), wookie())],
                                    "chart": {
                                        "name": "base",
                                        "version": version,
                                        "releaseName": "istio-base",
                                        "values": lambda: base_values(istio(), wookie().clusterRole),
                                    },
                                },
                            ),
                            "operators": set_at(
                                "bundles.istiod",
                                {
                                    "namespace": ns,
                                    "dependsOn": ["crds/istio-base"],
                                    "chart": {
                                        "name": "istiod",
                                        "version": version,
                                        "values": lambda: istiod_values(istio(), wookie()),
                                    },
                                },
                            ),
                            "services": {
                                "bundles": mk_merge([
                                    mk_if(
                                        lambda: istio().gateway.enable,
                                        {
                                            "istio-ingressgateway": {
                                                "namespace": ns,
                                                "dependsOn": ["operators/istiod"],
                                                "chart": {
                                                    "name": "gateway",
                                                    "version": version,
                                                    "values": lambda: ingress_values(istio()),
                                                    "skipSchemaValidation": lambda: _skip_schema(version()),
                                                },
                                            }
                                        },
                                    ),
                                    mk_if(
                                        multi,
                                        {
                                            "istio-eastwestgateway": {
                                                "namespace": ns,
                                                "dependsOn": ["operators/istiod"],
                                                "chart": {
                                                    "name": "gateway",
                                                    "version": version,
                                                    "values": lambda: eastwest_values(istio()),
                                                    "skipSchemaValidation": lambda: _skip_schema(version()),
                                                },
                                            },
                                            "istio-expose": {
                                                "namespace": ns,
                                                "dependsOn": ["istio-eastwestgateway"],
                                                "resources": lambda: expose_objects(wookie().clusterRole),
                                            },
                                        },
                                    ),
                                ]),
                            },
                        },
                    },
                ),
            },
        ),
    }
