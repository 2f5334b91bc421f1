"""Plans for the renderer tests: one small fixed plan (the goldens) and a random-graph strategy."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from modsys.render import RenderInput

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {
        "name": "widgets.example.com",
        "labels": {"app.kubernetes.io/managed-by": "modsys"},
    },
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets", "singular": "widget"},
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "x-kubernetes-preserve-unknown-fields": True,
                    }
                },
            }
        ],
    },
}


def _ns(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def sample_data() -> dict[str, Any]:
    """Four batches, a CRD, namespaces, a repo chart, an OCI chart with objects, raw apps."""
    web_labels = {"app.kubernetes.io/name": "web"}
    return copy.deepcopy(
        {
            "manifestSets": [
                {
                    "name": "crds",
                    "priority": 100,
                    "description": "CustomResourceDefinitions",
                    "bundles": [
                        {
                            "name": "widgets",
                            "objects": [CRD],
                            "wait": [
                                {
                                    "kind": "CustomResourceDefinition",
                                    "for": "condition=Established",
                                    "timeout": "60s",
                                }
                            ],
                        }
                    ],
                },
                {
                    "name": "namespaces",
                    "priority": 200,
                    "bundles": [
                        {"name": "namespaces", "objects": [_ns("web"), _ns("cert-manager")]}
                    ],
                },
                {
                    "name": "operators",
                    "priority": 300,
                    "bundles": [
                        {
                            "name": "cert-manager",
                            "namespace": "cert-manager",
                            "labels": {"team": "platform"},
                            "chart": {
                                "name": "cert-manager",
                                "repository": "https://charts.jetstack.io",
                                "version": "v1.15.3",
                                "values": {"crds": {"enabled": True}, "replicaCount": 2},
                            },
                            "wait": [{"kind": "Deployment", "for": "condition=Available"}],
                        }
                    ],
                },
                {
                    "name": "services",
                    "priority": 600,
                    "description": "Applications",
                    "bundles": [
                        {
                            "name": "config",
                            "namespace": "web",
                            "objects": [
                                {
                                    "apiVersion": "v1",
                                    "kind": "ConfigMap",
                                    "metadata": {"name": "web-config", "namespace": "web"},
                                    "data": {
                                        "greeting": "hello {{ .Name }}",
                                        "nginx.conf": "server {\n  listen 8080;\n}\n",
                                        "enabled": "yes",
                                    },
                                }
                            ],
                        },
                        {
                            "name": "web",
                            "namespace": "web",
                            "dependsOn": ["services/config", "namespaces/namespaces"],
                            "annotations": {"owner": "team-web"},
                            "objects": [
                                {
                                    "apiVersion": "v1",
                                    "kind": "Service",
                                    "metadata": {
                                        "name": "web",
                                        "namespace": "web",
                                        "labels": web_labels,
                                    },
                                    "spec": {
                                        "selector": web_labels,
                                        "ports": [{"port": 80, "targetPort": 8080}],
                                    },
                                },
                                {
                                    "apiVersion": "apps/v1",
                                    "kind": "Deployment",
                                    "metadata": {
                                        "name": "web",
                                        "namespace": "web",
                                        "labels": web_labels,
                                    },
                                    "spec": {
                                        "replicas": 2,
                                        "selector": {"matchLabels": web_labels},
                                        "template": {
                                            "metadata": {"labels": web_labels},
                                            "spec": {
                                                "containers": [
                                                    {
                                                        "name": "web",
                                                        "image": "nginx:1.27",
                                                        "ports": [{"containerPort": 8080}],
                                                    }
                                                ]
                                            },
                                        },
                                    },
                                },
                            ],
                            "wait": [
                                {"kind": "Deployment", "for": "rollout"},
                                {"command": "kubectl get --raw /readyz", "timeout": "30s"},
                            ],
                        },
                        {
                            "name": "podinfo",
                            "namespace": "podinfo",
                            "dependsOn": ["services/web"],
                            "chart": {
                                "name": "podinfo",
                                "repository": "oci://ghcr.io/stefanprodan/charts",
                                "version": "6.7.0",
                                "releaseName": "podinfo",
                                "values": {"ui": {"message": "from modsys"}},
                                "valuesFiles": ["values/podinfo.yaml"],
                                "includeCRDs": False,
                            },
                            "objects": [
                                {
                                    "apiVersion": "v1",
                                    "kind": "ConfigMap",
                                    "metadata": {"name": "podinfo-extra", "namespace": "podinfo"},
                                    "data": {"note": "applied next to the chart"},
                                }
                            ],
                        },
                    ],
                },
            ],
            "cluster": {"context": "kind-dev", "kubernetesVersion": "1.31"},
            "gitops": {
                "repoURL": "https://github.com/example/platform.git",
                "targetRevision": "main",
                "path": "clusters/dev",
            },
            "files": {
                "README.md": "Rendered by modsys.\n",
                "values/podinfo.yaml": "replicaCount: 3\nui:\n  color: '#34577c'\n",
                "hooks/smoke.sh": {"text": "#!/bin/sh\necho smoke\n", "executable": True},
            },
        }
    )


def sample_plan(**overrides: Any) -> RenderInput:
    data = sample_data()
    data.update(overrides)
    return RenderInput.from_data(data)


# --- random bundle graphs -------------------------------------------------------------------

_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda s: s[0].isalpha() and s[-1] != "-"
)


@st.composite
def random_plans(draw: st.DrawFn) -> RenderInput:
    """Batches with random priorities and random acyclic dependsOn within/to earlier batches."""
    batch_names = draw(st.lists(_NAMES, min_size=1, max_size=5, unique=True))
    priorities = draw(
        st.lists(st.integers(0, 1000), min_size=len(batch_names), max_size=len(batch_names))
    )
    order = sorted(zip(priorities, batch_names, strict=True))
    seen: list[str] = []
    batches = []
    for priority, bname in order:
        bundle_names = draw(st.lists(_NAMES, min_size=0, max_size=4, unique=True))
        bundles = []
        for name in bundle_names:
            deps = draw(st.lists(st.sampled_from(seen), unique=True, max_size=3)) if seen else []
            kind = draw(st.sampled_from(["raw", "chart", "empty"]))
            bundle: dict[str, Any] = {"name": name, "namespace": "apps", "dependsOn": deps}
            if kind == "raw":
                bundle["objects"] = [
                    {
                        "apiVersion": "v1",
                        "kind": "ConfigMap",
                        "metadata": {"name": f"{bname}-{name}", "namespace": "apps"},
                        "data": {"k": "v"},
                    }
                ]
            elif kind == "chart":
                bundle["chart"] = {
                    "name": "podinfo",
                    "repository": "https://stefanprodan.github.io/podinfo",
                    "version": "6.7.0",
                    "releaseName": f"{bname}-{name}"[:53],
                }
            bundles.append(bundle)
            seen.append(f"{bname}/{name}")
        batches.append({"name": bname, "priority": priority, "bundles": bundles})
    return RenderInput.from_data(
        {
            "manifestSets": batches,
            "gitops": {"repoURL": "https://git.example.com/org/fleet.git"},
        }
    )
