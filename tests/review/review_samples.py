"""Plain-data plans for the review tests: a small ordinary one, and one whose names hold every
character that could break a picture's syntax or the page's markup."""

from __future__ import annotations

from typing import Any

NASTY = 'x"</script><b>#]|`\\n;end'


def small_plan() -> dict[str, Any]:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web"}}
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "web", "namespace": "web"}}
    secret = {"apiVersion": "v1", "kind": "Secret",
              "metadata": {"name": "creds", "namespace": "web"},
              "stringData": {"password": "hunter2"}}
    return {
        "cluster": {"context": "k3d-test", "kubernetesVersion": "1.31"},
        "manifestSets": [
            {"name": "namespaces", "priority": 200, "description": "Namespaces.",
             "bundles": [{"name": "ns", "batch": "namespaces", "namespace": None,
                          "dependsOn": [], "chart": None, "objects": [ns], "wait": []}]},
            {"name": "operators", "priority": 300, "description": "",
             "bundles": [{"name": "op", "batch": "operators", "namespace": "web",
                          "dependsOn": [], "objects": [],
                          "chart": {"name": "op-chart", "version": "1.0.0"},
                          "wait": [{"for": "condition=Established",
                                    "kind": "CustomResourceDefinition", "name": "things.x.io"}]}]},
            {"name": "services", "priority": 600, "description": "Applications.",
             "bundles": [{"name": "web", "batch": "services", "namespace": "web",
                          "dependsOn": ["namespaces/ns", "operators/op"], "chart": None,
                          "objects": [deploy, secret],
                          "wait": [{"for": "rollout", "kind": "Deployment", "name": "web",
                                    "namespace": "web"}]}]},
        ],
    }


def nasty_plan() -> dict[str, Any]:
    plan = small_plan()
    for batch in plan["manifestSets"]:
        for bundle in batch["bundles"]:
            bundle["name"] = bundle["name"] + NASTY
            bundle["dependsOn"] = [d + NASTY for d in bundle["dependsOn"]]
            if bundle["namespace"]:
                bundle["namespace"] = NASTY
        batch["description"] = NASTY
    return plan
