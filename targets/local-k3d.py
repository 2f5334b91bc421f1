"""Target: one local k3d cluster (k3s in Docker), for development.

WHERE to deploy. When enabled it points the platform at the kube context `k3d-<clusterName>`
and contributes `k3d.yaml` (a k3d `Simple` config) plus `create-cluster.sh` and
`delete-cluster.sh`, written next to the rendered manifests:

    ./create-cluster.sh && ./apply.sh      # then ./delete-cluster.sh

A throwaway cluster: it sets `platform.kubernetes.cluster.allowPlaintextSecrets`, so GitOps
formats may hold its Secrets as they are (other clusters seal them or make them external).
"""

from modsys import mk_enable_option, mk_if
from modsys.platform.authoring import (
    k3d_cluster_options,
    k3d_config_of,
    k3d_create_script,
    k3d_delete_script,
    k3d_image_warnings,
    k8s_yaml,
)

NAME = "local-k3d"


def module(config):
    cfg = lambda: config.targets[NAME]  # noqa: E731
    version = lambda: config.platform.kubernetes.cluster.kubernetesVersion  # noqa: E731
    enabled = lambda: cfg().enable  # noqa: E731
    return {
        "key": "modsys:targets/local-k3d",
        "imports": ["../modules/platform/kubernetes", "../modules/build"],
        "options": {
            "targets": {
                NAME: {
                    "enable": mk_enable_option("the local k3d cluster target"),
                    **k3d_cluster_options("local"),
                }
            }
        },
        "config": mk_if(
            enabled,
            {
                "platform": {
                    "kubernetes": {
                        "cluster": {
                            "uniqueIdentifier": lambda: f"k3d-{cfg().clusterName}",
                            # a throwaway cluster: its Secrets may sit in a GitOps tree as they are
                            "allowPlaintextSecrets": True,
                        }
                    }
                },
                "build": {
                    "files": {
                        "k3d.yaml": {
                            "text": lambda: k8s_yaml(k3d_config_of(cfg(), version()))
                        }
                    },
                    "scripts": {
                        "create-cluster.sh": lambda: k3d_create_script(
                            [(cfg().clusterName, "k3d.yaml")], f"k3d-{cfg().clusterName}"
                        ),
                        "delete-cluster.sh": lambda: k3d_delete_script([cfg().clusterName]),
                    },
                },
                "warnings": lambda: k3d_image_warnings(cfg(), version(), f"targets.{NAME}"),
            },
        ),
    }
