"""Target: several local k3d clusters forming one Istio mesh (primary + remotes).

    {"targets": {"multi-k3d": {"enable": True}},      # clusters `primary` and `remote`
     "projects": {"wookie": {"enable": True, "istio": {"enable": True}}}}

All clusters share one docker network. Each evaluation deploys to ONE of them,
`targets.multi-k3d.current` (by default the primary); the target declares one
`platform.kubernetes.variants` entry per cluster, so one render writes one manifest set per
cluster, `out/<cluster>/`:

    modsys render examples/multi-cluster.py --out out

(`modsys plan`/`eval` show the current cluster; `--set targets.multi-k3d.current=remote` picks
another). Every cluster's folder carries the shared scripts:
`create-clusters.sh`, `delete-clusters.sh` (all clusters, from `k3d-<cluster>.yaml`) and
`link-clusters.sh` (gives each primary's istiod access to the remotes: `istioctl
create-remote-secret`; run it after the primary is applied).

Wiring for the Wookie project (all `mk_default`, so plain definitions win): `clusterRole` and
`clusterName` from the current cluster; remotes reach the primary's istiod through the k3d
host (`host.k3d.internal`), where the primary's loadbalancer publishes ports 15012 and 15017 of
its east-west gateway; the east-west gateways leave out status port 15021, which k3s'
ServiceLB already gives the ingress gateway.
"""

from modsys import EvaluationError, mk_default, mk_enable_option, mk_force, mk_if, mk_option, types
from modsys.platform.authoring import (
    k3d_cluster_options,
    k3d_config_of,
    k3d_create_script,
    k3d_delete_script,
    k3d_image_warnings,
    k8s_yaml,
    shell_script,
    shell_words,
)

NAME = "multi-k3d"
K3D_HOST = "host.k3d.internal"
PRIMARY_PORTS = {"8080": 80, "8443": 443, "15012": 15012, "15017": 15017}


def cluster_module(name, config):
    opts = k3d_cluster_options(name)
    opts["ports"] = mk_option(
        type=opts["ports"].type,
        default=lambda: dict(PRIMARY_PORTS) if config.role == "primary" else {},
        default_text='primary: {"8080": 80, "8443": 443, "15012": 15012, "15017": 15017}; remote: {}',
        description=opts["ports"].description,
    )
    return {
        "options": {
            "role": mk_option(
                type=types.enum(["primary", "remote"]),
                description="The cluster's part in the mesh.",
            ),
            **opts,
        }
    }


def _by_role(clusters):
    """Cluster keys, primaries first."""
    return sorted(clusters, key=lambda k: (clusters[k].role != "primary", k))


def link_script(clusters):
    """Give each primary's istiod a remote secret for every remote cluster."""
    lines = [
        shell_words("istioctl", "create-remote-secret", f"--context=k3d-{clusters[r].clusterName}", f"--name={r}")
        + " | "
        + shell_words("kubectl", "apply", "--server-side", f"--context=k3d-{clusters[p].clusterName}", "-f", "-")
        for p in sorted(k for k in clusters if clusters[k].role == "primary")
        for r in sorted(k for k in clusters if clusters[k].role == "remote")
    ]
    return shell_script(
        "Let each primary's istiod watch the remote clusters", lines or [shell_words("echo", "no remote clusters")]
    )


def module(config):
    cfg = lambda: config.targets[NAME]  # noqa: E731
    version = lambda: config.platform.kubernetes.cluster.kubernetesVersion  # noqa: E731
    enabled = lambda: cfg().enable  # noqa: E731

    def current():
        clusters, name = cfg().clusters, cfg().current
        if name not in clusters:
            raise EvaluationError(
                f"targets.{NAME}.current = {name!r} is not one of the clusters: "
                f"{', '.join(sorted(clusters))}",
                ("targets", NAME, "current"),
            )
        return clusters[name]

    primaries = lambda: sorted(k for k, c in cfg().clusters.items() if c.role == "primary")  # noqa: E731
    is_remote = lambda: enabled() and current().role == "remote"  # noqa: E731
    return {
        "key": "modsys:targets/multi-k3d",
        "imports": ["../modules/platform/kubernetes", "../modules/build", "../projects/wookie"],
        "options": {
            "targets": {
                NAME: {
                    "enable": mk_enable_option("the multi-cluster k3d target"),
                    "network": mk_option(
                        type=types.str,
                        default="k3d-mesh",
                        description="Docker network every cluster joins (so their nodes reach each other).",
                    ),
                    "clusters": mk_option(
                        type=types.attrs_of(types.submodule(cluster_module)),
                        default={"primary": {"role": "primary"}, "remote": {"role": "remote"}},
                        description="The clusters by name (also their name in the mesh), each a k3d cluster.",
                    ),
                    "current": mk_option(
                        type=types.str,
                        default=lambda: (primaries() or sorted(config.targets[NAME].clusters))[0],
                        default_text="the first primary cluster",
                        description="The cluster this evaluation deploys to (render once per cluster).",
                    ),
                }
            }
        },
        "config": mk_if(
            enabled,
            {
                "assertions": [
                    lambda: {
                        "assertion": len(primaries()) == 1,
                        "message": f"targets.{NAME}.clusters needs exactly one primary cluster "
                        f"(found: {', '.join(primaries()) or 'none'})",
                    },
                ],
                "platform": {
                    "kubernetes": {
                        "cluster": {"uniqueIdentifier": lambda: f"k3d-{current().clusterName}"},
                        # one manifest set per cluster: `modsys render` writes out/<cluster>/
                        "variants": lambda: {
                            key: {"targets": {NAME: {"current": mk_force(key)}}}
                            for key in cfg().clusters
                        },
                    }
                },
                "build": {
                    "files": lambda: {
                        f"k3d-{key}.yaml": {
                            "text": k8s_yaml(k3d_config_of(c, version(), cfg().network))
                        }
                        for key, c in cfg().clusters.items()
                    },
                    "scripts": {
                        "create-clusters.sh": lambda: k3d_create_script(
                            [(cfg().clusters[k].clusterName, f"k3d-{k}.yaml") for k in _by_role(cfg().clusters)]
                        ),
                        "delete-clusters.sh": lambda: k3d_delete_script(
                            [cfg().clusters[k].clusterName for k in _by_role(cfg().clusters)]
                        ),
                        "link-clusters.sh": lambda: link_script(cfg().clusters),
                    },
                },
                "warnings": lambda: [
                    w
                    for key, c in sorted(cfg().clusters.items())
                    for w in k3d_image_warnings(c, version(), f"targets.{NAME}.clusters.{key}")
                ],
                "projects": {
                    "wookie": {
                        "clusterRole": mk_default(lambda: current().role),
                        "clusterName": mk_default(lambda: cfg().current),
                        "istio": {
                            "multiCluster": {
                                "eastwestStatusPort": mk_default(False),
                                "istiodCustomHost": mk_default(K3D_HOST),
                                "remotePilotAddress": mk_if(is_remote, mk_default(K3D_HOST)),
                                "primaryClusterName": mk_if(is_remote, mk_default(lambda: primaries()[0])),
                            }
                        },
                    }
                },
            },
        ),
    }
