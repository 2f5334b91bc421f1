"""Local cluster configurations (k3d, kind) and the scripts that create and delete them.

Plain functions returning plain data, shared by the bundled targets (`targets/local-k3d.py`,
`targets/kind.py`, `targets/multi-k3d.py`). Every value that reaches a shell script goes
through `shlex.quote`.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: A k3d or kind cluster name: a DNS label of at most 32 characters.
CLUSTER_NAME = r"[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?"

#: k3s images known to exist, per Kubernetes minor version (`rancher/k3s:<tag>`).
K3S_IMAGES: dict[str, str] = {
    "1.29": "rancher/k3s:v1.29.12-k3s1",
    "1.30": "rancher/k3s:v1.30.8-k3s1",
    "1.31": "rancher/k3s:v1.31.4-k3s1",
    "1.32": "rancher/k3s:v1.32.0-k3s1",
}

#: kind node images published with kind v0.26.0, per Kubernetes minor version.
KIND_IMAGES: dict[str, str] = {
    "1.29": "kindest/node:v1.29.12",
    "1.30": "kindest/node:v1.30.8",
    "1.31": "kindest/node:v1.31.4",
    "1.32": "kindest/node:v1.32.0",
}


def k3d_config(
    *,
    name: str,
    servers: int = 1,
    agents: int = 0,
    image: str | None = None,
    kube_api: Mapping[str, Any] | None = None,
    ports: Mapping[str, int | Mapping[str, Any]] | None = None,
    registries: Mapping[str, Any] | None = None,
    k3s_args: Iterable[Mapping[str, Any]] = (),
    volumes: Iterable[Mapping[str, Any]] = (),
    network: str | None = None,
    switch_context: bool = True,
) -> dict[str, Any]:
    """A k3d `Simple` config (`k3d.io/v1alpha5`) as plain data.

    Args:
        name: the cluster name; k3d names its kube context `k3d-<name>`.
        kube_api: `{host, hostIP, port}`; `port` None lets k3d choose one.
        ports: host port spec (`"8080"` or `"127.0.0.1:8080"`) → loadbalancer port, or
            `{port, nodeFilters}`.
        registries: `{create: None | {name, host, hostPort}, use: [..]}`.
        k3s_args, volumes: `{arg|volume, nodeFilters}` records.
    """
    cfg: dict[str, Any] = {
        "apiVersion": "k3d.io/v1alpha5",
        "kind": "Simple",
        "metadata": {"name": name},
        "servers": servers,
        "agents": agents,
    }
    if image:
        cfg["image"] = image
    if network:
        cfg["network"] = network
    api = dict(kube_api or {})
    api_cfg = {k: v for k, v in (("host", api.get("host")), ("hostIP", api.get("hostIP"))) if v}
    if api.get("port") is not None:
        api_cfg["hostPort"] = str(api["port"])
    if api_cfg:
        cfg["kubeAPI"] = api_cfg
    port_list = []
    for host, target in sorted((ports or {}).items()):
        if isinstance(target, Mapping):
            port_list.append(
                {"port": f"{host}:{target['port']}", "nodeFilters": list(target["nodeFilters"])}
            )
        else:
            port_list.append({"port": f"{host}:{target}", "nodeFilters": ["loadbalancer"]})
    if port_list:
        cfg["ports"] = port_list
    vols = [{"volume": v["volume"], "nodeFilters": list(v["nodeFilters"])} for v in volumes]
    if vols:
        cfg["volumes"] = vols
    regs = dict(registries or {})
    reg_cfg: dict[str, Any] = {}
    if regs.get("create"):
        create = regs["create"]
        reg_cfg["create"] = {
            "name": create["name"],
            "host": create.get("host", "0.0.0.0"),
            "hostPort": str(create.get("hostPort", "5000")),
        }
    if regs.get("use"):
        reg_cfg["use"] = list(regs["use"])
    if reg_cfg:
        cfg["registries"] = reg_cfg
    options: dict[str, Any] = {
        "k3d": {"wait": True, "timeout": "120s"},
        "kubeconfig": {"updateDefaultKubeconfig": True, "switchCurrentContext": switch_context},
    }
    args = [{"arg": a["arg"], "nodeFilters": list(a["nodeFilters"])} for a in k3s_args]
    if args:
        options["k3s"] = {"extraArgs": args}
    cfg["options"] = options
    return cfg


def kind_config(
    *,
    name: str,
    control_planes: int = 1,
    workers: int = 0,
    image: str | None = None,
    api_server: Mapping[str, Any] | None = None,
    port_mappings: Iterable[Mapping[str, Any]] = (),
    networking: Mapping[str, Any] | None = None,
    feature_gates: Mapping[str, bool] | None = None,
) -> dict[str, Any]:
    """A kind `Cluster` config (`kind.x-k8s.io/v1alpha4`) as plain data.

    `port_mappings` (`{containerPort, hostPort, listenAddress?, protocol?}`) go to the first
    control-plane node, the one kind exposes.
    """
    nodes: list[dict[str, Any]] = []
    for i in range(control_planes):
        node: dict[str, Any] = {"role": "control-plane"}
        if image:
            node["image"] = image
        if i == 0 and port_mappings:
            node["extraPortMappings"] = [dict(m) for m in port_mappings]
        nodes.append(node)
    for _ in range(workers):
        nodes.append({"role": "worker", **({"image": image} if image else {})})
    cfg: dict[str, Any] = {"kind": "Cluster", "apiVersion": "kind.x-k8s.io/v1alpha4", "name": name}
    net = {k: v for k, v in (networking or {}).items() if v is not None}
    api = dict(api_server or {})
    if api.get("address"):
        net["apiServerAddress"] = api["address"]
    if api.get("port") is not None:
        net["apiServerPort"] = api["port"]
    if net:
        cfg["networking"] = net
    if feature_gates:
        cfg["featureGates"] = dict(feature_gates)
    cfg["nodes"] = nodes
    return cfg


def shell_script(what: str, body: Sequence[str]) -> str:
    """A bash script that runs `body` from its own folder, stopping at the first failure."""
    head = [
        "#!/usr/bin/env bash",
        f"# {what}. Generated by modsys; edit the configuration, not this file.",
        "set -euo pipefail",
        'cd -- "$(dirname -- "${BASH_SOURCE[0]}")"',
        "",
    ]
    return "\n".join([*head, *body]) + "\n"


def shell_words(*argv: str) -> str:
    """One command line, every word quoted for the shell."""
    return " ".join(shlex.quote(a) for a in argv)


def k3d_create_script(clusters: Sequence[tuple[str, str]], context: str | None = None) -> str:
    """`create-cluster(s).sh`: create each `(name, config file)` cluster unless it exists
    (so it can be re-run), then show the `context`'s cluster info when given."""
    lines = []
    for name, config_path in clusters:
        lines += [
            f"if {shell_words('k3d', 'cluster', 'get', name)} >/dev/null 2>&1; then",
            f"  {shell_words('echo', f'k3d cluster {name} already exists')}",
            "else",
            f"  {shell_words('k3d', 'cluster', 'create', '--config', config_path)}",
            "fi",
        ]
    if context:
        lines.append(shell_words("kubectl", "--context", context, "cluster-info"))
    names = ", ".join(name for name, _ in clusters)
    where = f" (kube context {context})" if context and len(clusters) == 1 else ""
    return shell_script(f"Create the k3d cluster{'s' if len(clusters) > 1 else ''} {names}{where}", lines)


def k3d_delete_script(names: Sequence[str]) -> str:
    """`delete-cluster(s).sh`: delete the clusters (and registries created with them)."""
    return shell_script(f"Delete the k3d cluster{'s' if len(names) > 1 else ''} {', '.join(names)}",
                        [shell_words("k3d", "cluster", "delete", *names)])


def kind_create_script(name: str, config_path: str, context: str) -> str:
    """`create-cluster.sh` for kind: create the cluster from its config unless it exists."""
    return shell_script(
        f"Create the kind cluster {name} (kube context {context})",
        [
            f"if kind get clusters 2>/dev/null | grep -qxF -- {shlex.quote(name)}; then",
            f"  {shell_words('echo', f'kind cluster {name} already exists')}",
            "else",
            f"  {shell_words('kind', 'create', 'cluster', '--name', name, '--config', config_path)}",
            "fi",
            shell_words("kubectl", "--context", context, "cluster-info"),
        ],
    )


def kind_delete_script(name: str) -> str:
    """`delete-cluster.sh` for kind."""
    return shell_script(f"Delete the kind cluster {name}", [shell_words("kind", "delete", "cluster", "--name", name)])
