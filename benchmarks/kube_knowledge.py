"""The Kubernetes knowledge of `modsys.kube` on many objects, against schema validation.

For N apps (default 3000: a Deployment, a Service and a ConfigMap each, so 9000 objects), in
one process, `--repeat` rounds (default 3), medians in seconds:

* `schema`: `validate_objects` (the compiled JSON-schema check `render` already runs): the
  yardstick the others are measured against;
* `apiserver`: `check_objects`, the API server's checks beyond the schema;
* `references`: `check_references` over the whole plan;
* `merge-1`: `merge_object_definitions` of each object written once (what the engine's fast
  path avoids calling at all);
* `merge-2`: each object written twice, a base and an overlay that adds an env var to the
  container and a sidecar container (lists merged by key).

Run:  python benchmarks/kube_knowledge.py [--apps N] [--repeat R] [--kube-version 1.31]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from modsys.kube import validate_objects
from modsys.kube.apiserver import check_objects
from modsys.kube.references import check_references
from modsys.kube.strategic import merge_object_definitions


def app(i: int) -> list[dict[str, Any]]:
    name = f"app{i}"
    labels = {"app.kubernetes.io/name": name}
    meta = {"name": name, "namespace": "apps", "labels": labels}
    container = {
        "name": "app",
        "image": "registry.example/app:1.0",
        "imagePullPolicy": "IfNotPresent",
        "env": [{"name": "A", "value": "1"}],
        "envFrom": [{"configMapRef": {"name": name}}],
        "ports": [{"name": "http", "containerPort": 8080}],
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"memory": "256Mi"},
        },
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
    }
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": "v"}}
    return copy.deepcopy([deployment, service, config])


OVERLAY = {
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {"name": "app", "env": [{"name": "APP_ENV", "value": "production"}]},
                    {"name": "metrics", "image": "registry.example/exporter:1"},
                ]
            }
        }
    }
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kube-version", default="1.31")
    args = parser.parse_args()
    version = args.kube_version
    objects = [obj for i in range(args.apps) for obj in app(i)]
    deployments = [obj for obj in objects if obj["kind"] == "Deployment"]
    runs: dict[str, Callable[[], Any]] = {
        "schema": lambda: validate_objects(objects, version),
        "apiserver": lambda: check_objects(objects, version),
        "references": lambda: check_references(objects),
        "merge-1": lambda: [merge_object_definitions([o], version) for o in objects],
        "merge-2": lambda: [merge_object_definitions([d, OVERLAY], version) for d in deployments],
    }
    for run in runs.values():  # warm up: schemas loaded and compiled, caches filled
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    load_after = os.getloadavg()[0]
    print(
        f"{len(objects)} objects ({args.apps} apps; merge-2: {len(deployments)} Deployments), "
        f"Kubernetes {version}, median of {args.repeat}"
    )
    base = statistics.median(times["schema"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<11} {median:7.3f} s   {median / base:5.2f} x schema")
    print(f"load average: {load_before:.2f} before, {load_after:.2f} after")


if __name__ == "__main__":
    main()
