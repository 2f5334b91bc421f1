"""Sample objects shared by the Kubernetes library tests (importable, unlike conftest)."""

from __future__ import annotations


def make_deployment(name: str = "web", namespace: str = "web-ns") -> dict:
    """A Deployment like the benchmark's: one container, env, a port, limits, a probe."""
    labels = {"app.kubernetes.io/name": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "registry.example/web:1.0",
                            "imagePullPolicy": "IfNotPresent",
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                            "ports": [{"name": "http", "containerPort": 8080}],
                            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                        }
                    ]
                },
            },
        },
    }


def make_service(name: str = "web", namespace: str = "web-ns") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"port": 80, "targetPort": "http"}],
        },
    }


def make_config_map(name: str = "web", namespace: str = "web-ns") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": {"key": "value"},
    }
