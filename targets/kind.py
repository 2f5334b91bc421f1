"""Target: one local kind cluster (Kubernetes in Docker).

When enabled it points the platform at the kube context `kind-<clusterName>` and contributes
`kind.yaml` (`kind.x-k8s.io/v1alpha4`) plus `create-cluster.sh` and `delete-cluster.sh`.

kind has no LoadBalancer implementation: to reach a service from the host, give it type
NodePort with a fixed nodePort and map that port here (`ports = {"8080": 30080}`); for
Wookie set `projects.wookie.istio.gateway.serviceType = "NodePort"`.
"""

from modsys import mk_enable_option, mk_if, mk_option, types
from modsys.platform.authoring import (
    CLUSTER_NAME,
    KIND_IMAGES,
    k8s_yaml,
    kind_config,
    kind_create_script,
    kind_delete_script,
)

NAME = "kind"


def _config(cfg, version):
    return kind_config(
        name=cfg.clusterName,
        control_planes=cfg.controlPlanes,
        workers=cfg.workers,
        image=cfg.image or KIND_IMAGES.get(version),
        api_server={"address": cfg.apiServer.address, "port": cfg.apiServer.port},
        port_mappings=[
            {
                "containerPort": node_port,
                "hostPort": int(host.rsplit(":", 1)[-1]),
                **({"listenAddress": host.rsplit(":", 1)[0]} if ":" in host else {}),
                "protocol": "TCP",
            }
            for host, node_port in sorted(cfg.ports.items())
        ],
        networking={"podSubnet": cfg.podSubnet, "serviceSubnet": cfg.serviceSubnet},
    )


def module(config):
    cfg = lambda: config.targets[NAME]  # noqa: E731
    version = lambda: config.platform.kubernetes.cluster.kubernetesVersion  # noqa: E731
    context = lambda: f"kind-{cfg().clusterName}"  # noqa: E731
    return {
        "key": "modsys:targets/kind",
        "imports": ["../modules/platform/kubernetes", "../modules/build"],
        "options": {
            "targets": {
                NAME: {
                    "enable": mk_enable_option("the local kind cluster target"),
                    "clusterName": mk_option(
                        type=types.str_matching(CLUSTER_NAME),
                        default="local",
                        description="The kind cluster name; its kube context is `kind-<clusterName>`.",
                    ),
                    "controlPlanes": mk_option(type=types.ints.positive, default=1, description="Control-plane nodes."),
                    "workers": mk_option(type=types.ints.unsigned, default=0, description="Worker nodes."),
                    "image": mk_option(
                        type=types.null_or(types.str),
                        default=None,
                        example="kindest/node:v1.31.4",
                        description=(
                            "Node image; null picks the kind image of "
                            "`platform.kubernetes.cluster.kubernetesVersion` when one is known."
                        ),
                    ),
                    "apiServer": {
                        "address": mk_option(
                            type=types.str, default="127.0.0.1", description="Host address of the API server."
                        ),
                        "port": mk_option(
                            type=types.null_or(types.port), default=None, description="Host port (null: random)."
                        ),
                    },
                    "ports": mk_option(
                        type=types.attrs_of(types.port),
                        default={},
                        example={"8080": 30080, "127.0.0.1:8443": 30443},
                        description="Host port (`8080` or `127.0.0.1:8080`) → port on the first control-plane node.",
                    ),
                    "podSubnet": mk_option(type=types.null_or(types.str), default=None, description="Pod CIDR."),
                    "serviceSubnet": mk_option(type=types.null_or(types.str), default=None, description="Service CIDR."),
                }
            }
        },
        "config": mk_if(
            lambda: cfg().enable,
            {
                "platform": {"kubernetes": {"cluster": {"uniqueIdentifier": context}}},
                "build": {
                    "files": {"kind.yaml": {"text": lambda: k8s_yaml(_config(cfg(), version()))}},
                    "scripts": {
                        "create-cluster.sh": lambda: kind_create_script(cfg().clusterName, "kind.yaml", context()),
                        "delete-cluster.sh": lambda: kind_delete_script(cfg().clusterName),
                    },
                },
                "warnings": mk_if(
                    lambda: cfg().image is None and version() not in KIND_IMAGES,
                    [
                        lambda: f"targets.kind.image is not set and no kind node image is known for "
                        f"Kubernetes {version()} (known: {', '.join(sorted(KIND_IMAGES))}); kind "
                        "will use its own default image"
                    ],
                ),
            },
        ),
    }
