"""Option declarations shared by the k3d targets (`targets/local-k3d.py`, `targets/multi-k3d.py`).

`k3d_cluster_options(default_name)` declares one k3d cluster's settings; `k3d_config_of(cfg,
kubernetes_version)` turns their evaluated values into a k3d `Simple` config.
"""

from __future__ import annotations

from typing import Any

from modsys import mk_option, types
from modsys.builders.clusters import CLUSTER_NAME, K3S_IMAGES, k3d_config

_node_filters = mk_option(
    type=types.null_or(types.list_of(types.str)),
    default=None,
    description=(
        "k3d node filters (`server:*`, `agent:1`, `loadbalancer`, `all`); null means every "
        "server, plus every agent when there are any."
    ),
)


def _filtered(field: str, description: str) -> Any:
    """A list of `{<field>, nodeFilters}`; a bare string means `{<field> = s}`."""
    record = types.submodule(
        {
            "options": {
                field: mk_option(type=types.str, description=description),
                "nodeFilters": _node_filters,
            }
        }
    )
    return types.list_of(types.coerced_to(types.str, lambda s: {field: s}, record))


_port_target = types.submodule(
    {
        "options": {
            "port": mk_option(type=types.port, description="Port on the nodes the filters select."),
            "nodeFilters": mk_option(
                type=types.list_of(types.str), default=["loadbalancer"], description="k3d node filters."
            ),
        }
    }
)


def k3d_cluster_options(default_name: str) -> dict[str, Any]:
    """The options of one k3d cluster (without `enable`)."""
    return {
        "clusterName": mk_option(
            type=types.str_matching(CLUSTER_NAME),
            default=default_name,
            description="The k3d cluster name; its kube context is `k3d-<clusterName>`.",
        ),
        "servers": mk_option(type=types.ints.positive, default=1, description="Server (control-plane) nodes."),
        "agents": mk_option(type=types.ints.unsigned, default=0, description="Agent (worker) nodes."),
        "image": mk_option(
            type=types.null_or(types.str),
            default=None,
            example="rancher/k3s:v1.31.4-k3s1",
            description=(
                "The k3s node image; null picks a known k3s release for "
                "`platform.kubernetes.cluster.kubernetesVersion`."
            ),
        ),
        "kubeAPI": {
            "host": mk_option(
                type=types.null_or(types.str),
                default=None,
                description="Host name written to the kubeconfig for the API server (null: k3d's choice).",
            ),
            "hostIP": mk_option(
                type=types.str, default="127.0.0.1", description="Host address the API server port binds to."
            ),
            "port": mk_option(
                type=types.null_or(types.port),
                default=None,
                example=6550,
                description="Host port of the API server (null: a random free port).",
            ),
        },
        "ports": mk_option(
            type=types.attrs_of(types.either(types.port, _port_target)),
            default={},
            example={"8080": 80, "8443": 443},
            description=(
                "Host → loadbalancer port mappings: the key is the host side (`8080` or "
                "`127.0.0.1:8080`), the value the port on the k3d loadbalancer (or "
                "`{port, nodeFilters}` for other nodes)."
            ),
        ),
        "registries": {
            "create": {
                "enable": mk_option(
                    type=types.bool, default=False, description="Create an image registry with the cluster."
                ),
                "name": mk_option(
                    type=types.null_or(types.str),
                    default=None,
                    description="Registry name (null: `<clusterName>-registry`).",
                ),
                "host": mk_option(type=types.str, default="0.0.0.0", description="Host address it binds to."),
                "hostPort": mk_option(type=types.port, default=5000, description="Host port of the registry."),
            },
            "use": mk_option(
                type=types.list_of(types.str),
                default=[],
                example=["k3d-shared-registry:5000"],
                description="Existing registries to connect to the cluster.",
            ),
        },
        "k3sArgs": mk_option(
            type=_filtered("arg", "An argument passed to k3s."),
            default=["--disable=traefik"],
            description=(
                "Extra k3s arguments (a string, or `{arg, nodeFilters}`). The default turns off "
                "Traefik, since projects bring their own ingress (Istio's gateway)."
            ),
        ),
        "volumes": mk_option(
            type=_filtered("volume", "A `host-path:node-path` volume mount."),
            default=[],
            example=["/tmp/k3d-data:/data"],
            description="Volumes mounted into the nodes (a string, or `{volume, nodeFilters}`).",
        ),
    }


def _filters(value: Any, agents: int) -> list[str]:
    if value is not None:
        return list(value)
    return ["server:*", *(["agent:*"] if agents else [])]


def k3d_config_of(cfg: Any, kubernetes_version: str, network: str | None = None) -> dict[str, Any]:
    """The k3d `Simple` config of one cluster's evaluated options (on docker `network`)."""
    agents = cfg.agents
    create = cfg.registries.create
    return k3d_config(
        name=cfg.clusterName,
        servers=cfg.servers,
        agents=agents,
        image=cfg.image or K3S_IMAGES.get(kubernetes_version),
        kube_api={"host": cfg.kubeAPI.host, "hostIP": cfg.kubeAPI.hostIP, "port": cfg.kubeAPI.port},
        ports={
            host: t if isinstance(t, int) else {"port": t["port"], "nodeFilters": list(t["nodeFilters"])}
            for host, t in cfg.ports.items()
        },
        registries={
            "create": (
                {
                    "name": create.name or f"{cfg.clusterName}-registry",
                    "host": create.host,
                    "hostPort": create.hostPort,
                }
                if create.enable
                else None
            ),
            "use": list(cfg.registries.use),
        },
        k3s_args=[{"arg": a.arg, "nodeFilters": _filters(a.nodeFilters, agents)} for a in cfg.k3sArgs],
        volumes=[{"volume": v.volume, "nodeFilters": _filters(v.nodeFilters, agents)} for v in cfg.volumes],
        network=network,
    )


def k3d_image_warnings(cfg: Any, kubernetes_version: str, where: str) -> list[str]:
    """A warning when no image is set and none is known for the Kubernetes version."""
    if cfg.image or kubernetes_version in K3S_IMAGES:
        return []
    return [
        f"{where}.image is not set and no k3s image is known for Kubernetes {kubernetes_version} "
        f"(known: {', '.join(sorted(K3S_IMAGES))}); k3d will use its own default image, which "
        "may run another Kubernetes version"
    ]
