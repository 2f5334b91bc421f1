"""Project Wookie: an Istio service mesh and a Percona XtraDB Cluster (WHAT to deploy).

    {"projects": {"wookie": {"enable": True, "clusterRole": "standalone",
                             "istio": {"enable": True, "version": "1_24_2"},
                             "pxc": {"enable": True, "size": 3}}}}

Components live in their own files (`istio.py`, `pxc.py`); each adds bundles to the platform's
batches (`crds` → `namespaces` → `operators` → `services`) only when the project and the
component are enabled. This file declares the project-wide options and creates the project's
namespace.
"""

import re

from modsys import mk_enable_option, mk_if, mk_option, set_at, types
from modsys.platform.authoring import DNS_LABEL

ROLES = ["standalone", "primary", "remote"]


def _default_cluster_name(config):
    """The mesh name of this cluster: the platform's kube context made a DNS label, else `wookie`."""
    context = config.platform.kubernetes.cluster.uniqueIdentifier or "wookie"
    name = re.sub(r"[^a-z0-9-]+", "-", context.lower()).strip("-")[:63].strip("-")
    return name or "wookie"


def module(config):
    cfg = lambda: config.projects.wookie  # noqa: E731
    return {
        "key": "modsys:projects/wookie",
        "imports": ["../../modules/platform/kubernetes", "../charts.py", "./istio.py", "./pxc.py"],
        "options": {
            "projects": {
                "wookie": {
                    "enable": mk_enable_option("the Wookie project (Istio and Percona XtraDB Cluster)"),
                    "clusterRole": mk_option(
                        type=types.enum(ROLES),
                        default="standalone",
                        description=(
                            "This cluster's part in the mesh: `standalone` (one cluster), "
                            "`primary` (runs the control plane others use) or `remote` (uses the "
                            "primary's control plane)."
                        ),
                    ),
                    "clusterName": mk_option(
                        type=types.str_matching(DNS_LABEL),
                        default=lambda: _default_cluster_name(config),
                        default_text="platform.kubernetes.cluster.uniqueIdentifier as a DNS label, or \"wookie\"",
                        description="This cluster's name inside the mesh (Istio's `clusterName`).",
                    ),
                    "namespace": mk_option(
                        type=types.str_matching(DNS_LABEL),
                        default="wookie",
                        description="Namespace of the project's workloads (the database and its operator).",
                    ),
                }
            }
        },
        "config": mk_if(
            lambda: cfg().enable,
            set_at(
                "platform.kubernetes.cluster.batches.namespaces.bundles.wookie-namespace",
                {"resources": {"Namespace": lambda: {cfg().namespace: {}}}},
            ),
        ),
    }
