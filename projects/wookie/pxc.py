"""Wookie's database: Percona XtraDB Cluster (PXC), run by the Percona operator.

| bundle          | batch     | what                                                        |
| --------------- | --------- | ----------------------------------------------------------- |
| `pxc-crds`      | crds      | the operator's CRDs, only when `crdFile` is set              |
| `pxc-operator`  | operators | the operator (Helm chart `pxc-operator`, Percona's repo)    |
| `pxc-cluster`   | services  | a `PerconaXtraDBCluster` built from `size`, `storage`, …    |

Where the CRDs come from (a decision, documented here): by default the operator's Helm chart
installs them (its `crds/` folder), so nothing large is bundled with modsys and CRD and operator
versions always match. The chart is rendered at plan time, so its CRDs are CRDs of the plan and
the `PerconaXtraDBCluster` is validated against them (no `externalCRDs` entry; when the chart
cannot be had, offline, the object is reported "not checked"). To manage the CRDs as their
own bundle in the `crds` batch instead, point `crdFile` at the operator's `deploy/crd.yaml` of
the same version.
"""

from pathlib import Path

import yaml

from modsys import mk_enable_option, mk_if, mk_option, set_at, types

#: Images certified for operator 1.18.0, per PXC major version (Percona's release notes).
IMAGES = {
    "8.0": {
        "pxc": "percona/percona-xtradb-cluster:8.0.42-33.1",
        "backup": "percona/percona-xtrabackup:8.0.35-34.1",
    },
    "8.4": {
        "pxc": "percona/percona-xtradb-cluster:8.4.5-5.1",
        "backup": "percona/percona-xtrabackup:8.4.0-3.1",
    },
    "5.7": {
        "pxc": "percona/percona-xtradb-cluster:5.7.44-31.65",
        "backup": "percona/percona-xtrabackup:2.4.29",
    },
}
HAPROXY_IMAGE = "percona/haproxy:2.8.15"
KIND = "pxc.percona.com/PerconaXtraDBCluster"
_QUANTITY = r"[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?"


def load_crds(path):
    """The CRD objects of a (multi-document) YAML file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 550 KB in 0.2 s, not 7 s
    with open(path, encoding="utf-8") as fh:
        docs = [d for d in yaml.load_all(fh, Loader=loader) if d]
    return [d for d in docs if d.get("kind") == "CustomResourceDefinition"]


def cluster_object(pxc):
    """The `PerconaXtraDBCluster` spec from the component's options."""
    size, haproxy = pxc.size, pxc.haproxy
    volume = {
        "persistentVolumeClaim": {
            "resources": {"requests": {"storage": pxc.storage}},
            **({"storageClassName": pxc.storageClass} if pxc.storageClass else {}),
        }
    }
    resources = {k: dict(v) for k, v in pxc.resources.items()}
    spec = {
        "crVersion": pxc.operatorVersion,
        "updateStrategy": "SmartUpdate",
        "upgradeOptions": {"apply": "disabled", "schedule": "0 4 * * *"},
        "tls": {"enabled": pxc.tls},
        "pxc": {
            "size": size,
            "image": IMAGES[pxc.version]["pxc"],
            "autoRecovery": True,
            "resources": resources,
            "volumeSpec": volume,
            "podDisruptionBudget": {"maxUnavailable": 1},
            "affinity": {"antiAffinityTopologyKey": pxc.antiAffinityTopologyKey},
            "gracePeriod": 600,
        },
        "haproxy": {
            "enabled": haproxy.enable,
            "size": haproxy.size,
            "image": HAPROXY_IMAGE,
            "podDisruptionBudget": {"maxUnavailable": 1},
            "affinity": {"antiAffinityTopologyKey": pxc.antiAffinityTopologyKey},
            "gracePeriod": 30,
        },
        "proxysql": {"enabled": False},
        "logcollector": {"enabled": False},
        "pmm": {"enabled": False},
        "backup": {"image": IMAGES[pxc.version]["backup"]},
    }
    unsafe = {}
    if size < 3:
        unsafe["pxcSize"] = True
    if haproxy.enable and haproxy.size < 2:
        unsafe["proxySize"] = True
    if not pxc.tls:
        unsafe["tls"] = True
    if unsafe:
        spec["unsafeFlags"] = unsafe
    return {
        "apiVersion": "pxc.percona.com/v1",
        "metadata": {"finalizers": ["percona.com/delete-pxc-pods-in-order"]},
        "spec": spec,
    }


def module(config):
    wookie = lambda: config.projects.wookie  # noqa: E731
    pxc = lambda: config.projects.wookie.pxc  # noqa: E731
    enabled = lambda: wookie().enable and pxc().enable  # noqa: E731
    vendored = lambda: enabled() and pxc().crdFile is not None  # noqa: E731
    return {
        "key": "modsys:projects/wookie/pxc",
        "options": {
            "projects": {
                "wookie": {
                    "pxc": {
                        "enable": mk_enable_option("Percona XtraDB Cluster in the Wookie project"),
                        "name": mk_option(
                            type=types.str_matching(r"[a-z]([-a-z0-9]{0,20}[a-z0-9])?"),
                            default="wookie-db",
                            description="Name of the PerconaXtraDBCluster (at most 22 characters, as the operator requires).",
                        ),
                        "operatorVersion": mk_option(
                            type=types.str,
                            default="1.18.0",
                            description="Version of the `pxc-operator` chart, and the cluster's `crVersion`.",
                        ),
                        "version": mk_option(
                            type=types.enum(sorted(IMAGES)),
                            default="8.0",
                            description="Percona XtraDB Cluster (MySQL) major version.",
                        ),
                        "size": mk_option(
                            type=types.ints.positive,
                            default=3,
                            description="Database nodes; fewer than 3 sets the operator's unsafe flag (fine for development).",
                        ),
                        "storage": mk_option(
                            type=types.str_matching(_QUANTITY),
                            default="6G",
                            description="Volume size per database node.",
                        ),
                        "storageClass": mk_option(
                            type=types.null_or(types.str),
                            default=None,
                            description="StorageClass of the volumes (null: the cluster's default).",
                        ),
                        "resources": mk_option(
                            type=types.attrs_of(types.attrs_of(types.str_matching(_QUANTITY))),
                            default={"requests": {"cpu": "600m", "memory": "1G"}},
                            description="Resources of each database container (`requests`, `limits`).",
                        ),
                        "tls": mk_option(
                            type=types.bool,
                            default=True,
                            description="TLS between nodes and for clients (off sets the operator's unsafe flag).",
                        ),
                        "antiAffinityTopologyKey": mk_option(
                            type=types.str,
                            default="kubernetes.io/hostname",
                            example="none",
                            description='Spread nodes over this topology key ("none" on single-node clusters).',
                        ),
                        "haproxy": {
                            "enable": mk_option(type=types.bool, default=True, description="Run HAProxy in front."),
                            "size": mk_option(type=types.ints.positive, default=2, description="HAProxy pods."),
                        },
                        "crdFile": mk_option(
                            type=types.null_or(types.str),
                            default=None,
                            example="vendor/percona-xtradb-cluster-operator/deploy/crd.yaml",
                            description=(
                                "The operator's CRD file: when set, its CRDs are applied as plain "
                                "manifests in the `crds` batch (and the cluster object is validated "
                                "against them) instead of by the chart."
                            ),
                        ),
                    }
                }
            }
        },
        "config": mk_if(
            enabled,
            set_at(
                "platform.kubernetes.cluster",
                {
                    "batches": {
                        "crds": {
                            "bundles": mk_if(
                                vendored,
                                {"pxc-crds": {"manifests": lambda: load_crds(Path(pxc().crdFile))}},
                            )
                        },
                        "operators": set_at(
                            "bundles.pxc-operator",
                            {
                                "namespace": lambda: wookie().namespace,
                                "chart": {
                                    "name": "pxc-operator",
                                    "version": lambda: pxc().operatorVersion,
                                    "includeCRDs": lambda: pxc().crdFile is None,
                                },
                                "wait": [
                                    {
                                        "kind": "CustomResourceDefinition",
                                        "name": "perconaxtradbclusters.pxc.percona.com",
                                        "for": "condition=Established",
                                    },
                                ],
                            },
                        ),
                        "services": set_at(
                            "bundles.pxc-cluster",
                            {
                                "namespace": lambda: wookie().namespace,
                                "dependsOn": ["operators/pxc-operator"],
                                "resources": {
                                    "PerconaXtraDBCluster": lambda: {pxc().name: cluster_object(pxc())}
                                },
                                "wait": [
                                    {
                                        "kind": "PerconaXtraDBCluster",
                                        "for": "jsonpath={.status.state}=ready",
                                        "timeout": "900s",
                                    }
                                ],
                            },
                        ),
                    },
                },
            ),
        ),
    }
