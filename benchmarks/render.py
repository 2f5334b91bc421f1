"""Evaluate, validate and render N apps; compare with dumping the same objects with PyYAML.

Each app is a Deployment (one container, two env vars, a port, limits and a readiness probe), a
Service and a ConfigMap, declared through the platform's `resources.<Kind>.<name>` option, ten
apps to a bundle in the `services` batch; one Namespace per bundle in the `namespaces` batch.
All figures of one line are measured in the same run, so the ratios hold on a busy machine.

    python benchmarks/render.py                # N = 100, 1000, 3000
    python benchmarks/render.py --sizes 300
    python benchmarks/render.py --wookie       # also: the Wookie estate with its charts

`--wookie` renders `examples/local.py` (Istio base/istiod/gateway and the Percona operator,
rendered with real Helm from `../shared/charts/mirror`, or `$MODSYS_CHART_MIRROR`) to the `dir`
format: cold (empty chart cache, a fresh process' memory) and warm (the render cache on disk),
with the ratio.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import yaml

from modsys import eval_modules
from modsys.platform import PLATFORM_MODULE, build_plan, validate_plan
from modsys.render import RenderInput, render

APPS_PER_BUNDLE = 10
#: Where output is written: the working folder by default, since /tmp is a much slower file
#: system on some machines and would measure the disk instead of modsys.
OUT_PARENT = os.environ.get("MODSYS_BENCH_TMP", ".")


def app_resources(i: int) -> dict[str, Any]:
    name = f"app-{i}"
    labels = {"app": name}
    return {
        "Deployment": {
            name: {
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": labels},
                    "template": {
                        "metadata": {"labels": labels},
                        "spec": {
                            "containers": [
                                {
                                    "name": "app",
                                    "image": f"registry.example/{name}:1.0.{i}",
                                    "env": [
                                        {"name": "APP_NAME", "value": name},
                                        {"name": "APP_INDEX", "value": str(i)},
                                    ],
                                    "ports": [{"containerPort": 8080, "name": "http"}],
                                    "resources": {
                                        "requests": {"cpu": "100m", "memory": "128Mi"},
                                        "limits": {"cpu": "500m", "memory": "256Mi"},
                                    },
                                    "readinessProbe": {
                                        "httpGet": {"path": "/ready", "port": "http"},
                                        "periodSeconds": 10,
                                    },
                                }
                            ]
                        },
                    },
                }
            }
        },
        "Service": {
            name: {
                "spec": {
                    "selector": labels,
                    "ports": [{"port": 80, "targetPort": "http", "name": "http"}],
                }
            }
        },
        "ConfigMap": {name: {"data": {"APP_NAME": name, "LOG_LEVEL": "info"}}},
    }


def workload(n: int) -> dict[str, Any]:
    """One module defining every bundle: what a project module generator would emit."""
    services: dict[str, Any] = {}
    namespaces: dict[str, Any] = {}
    for b in range((n + APPS_PER_BUNDLE - 1) // APPS_PER_BUNDLE):
        ns = f"team-{b}"
        resources: dict[str, Any] = {"Deployment": {}, "Service": {}, "ConfigMap": {}}
        for i in range(b * APPS_PER_BUNDLE, min(n, (b + 1) * APPS_PER_BUNDLE)):
            for kind, objs in app_resources(i).items():
                resources[kind].update(objs)
        services[f"apps-{b}"] = {"namespace": ns, "resources": resources}
        namespaces[ns] = {"resources": {"Namespace": {ns: {}}}}
    return {
        "_file": "benchmarks/render.py",
        "platform": {
            "kubernetes": {
                "cluster": {
                    "uniqueIdentifier": "bench",
                    "batches": {
                        "namespaces": {"bundles": namespaces},
                        "services": {"bundles": services},
                    },
                }
            }
        },
    }


def plain_objects(n: int) -> list[dict[str, Any]]:
    """The same objects, completed by hand: the floor a renderer cannot beat."""
    out = []
    for i in range(n):
        ns = f"team-{i // APPS_PER_BUNDLE}"
        for kind, objs in app_resources(i).items():
            for name, body in objs.items():
                api = "apps/v1" if kind == "Deployment" else "v1"
                out.append(
                    {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}}
                    | body
                )
    return out


def run_phases(n: int) -> dict[str, float]:
    module = workload(n)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    ev = eval_modules([PLATFORM_MODULE, module])
    data = build_plan(ev)
    times["evaluate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    validate_plan(ev)
    times["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = render(RenderInput.from_data(data), "dir")
    times["render"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=OUT_PARENT, prefix=".bench-") as tmp:
        result.write(Path(tmp) / "out")
    times["write"] = time.perf_counter() - t0
    times["objects"] = sum(len(b["objects"]) for s in data["manifestSets"] for b in s["bundles"])
    return times


def baseline(n: int) -> float:
    """`yaml.safe_dump` of the finished objects, in memory (writing is measured separately)."""
    objs = plain_objects(n)
    t0 = time.perf_counter()
    for obj in objs:
        yaml.safe_dump(obj, sort_keys=False)
    return time.perf_counter() - t0


def peak_mib(n: int) -> float:
    gc.collect()
    tracemalloc.start()
    run_phases(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def wookie(repeat: int = 3) -> tuple[float, float, int]:
    """(cold, warm, objects): seconds to evaluate, render the charts, validate and render the
    Wookie estate, with an empty chart cache and then with the render cache filled."""
    from modsys.charts import ChartRenderer, RenderCache
    from modsys.platform import default_modules
    from modsys.platform.chartobjects import chart_session
    from modsys.render.pipeline import render_files

    root = Path(__file__).resolve().parents[1]
    mirror = os.environ.get("MODSYS_CHART_MIRROR") or str(root.parent / "shared/charts/mirror")
    local = str(root / "examples" / "local.py")

    def once(cache: str) -> tuple[float, int]:
        renderer = ChartRenderer.from_settings(
            mirrors=[mirror], lock_file=Path(cache) / "modsys.lock", cache_dir=cache,
            network=False, environ={},
        )
        start = time.perf_counter()
        with chart_session(renderer) as session:
            files = render_files(eval_modules([*default_modules(), local]), "dir").files
        elapsed = time.perf_counter() - start
        assert not session.unrendered, session.unrendered
        return elapsed, sum(1 for p in files if p.endswith(".yaml") and "/" in p)

    colds, warms = [], []
    objects = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            RenderCache.forget_memory()
            cold, objects = once(cache)
            RenderCache.forget_memory()  # warm = the cache on disk, as a second command sees it
            warm, _ = once(cache)
        colds.append(cold)
        warms.append(warm)
    return min(colds), min(warms), objects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--wookie", action="store_true", help="also the Wookie estate's charts")
    args = parser.parse_args()
    if args.wookie:
        cold, warm, objects = wookie()
        print(
            f"Wookie estate ({objects} objects, 4 charts): cold cache {cold:.2f}s, "
            f"warm cache {warm:.2f}s, ratio {cold / warm:.1f}x\n"
        )
    sizes = [int(s) for s in args.sizes.split(",")]
    header = (
        f"{'N':>6} {'objects':>8} {'evaluate':>9} {'validate':>9} {'render':>8} {'total':>8} "
        f"{'yaml.dump':>10} {'ratio':>7} {'write':>7} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        times = run_phases(n)
        total = times["evaluate"] + times["validate"] + times["render"]
        floor = baseline(n)
        mem = float("nan") if args.no_memory else peak_mib(n)
        print(
            f"{n:>6} {int(times['objects']):>8} {times['evaluate']:>8.2f}s {times['validate']:>8.2f}s "
            f"{times['render']:>7.2f}s {total:>7.2f}s {floor:>9.2f}s {total / floor:>6.1f}x "
            f"{times['write']:>6.2f}s {mem:>9.0f}"
        )
    print(
        "\nratio = (evaluate + validate + render to bytes) / (yaml.safe_dump of the finished "
        "objects);\nwrite = the atomic write of the rendered tree (disk-bound, varies a lot "
        "between runs);\npeak MiB from tracemalloc in a separate pass. For scale (from the issue): "
        "easykubenix 4.4 s,\nkubenix 16 s, nixidy 18 s for N = 1000 without validation."
    )


if __name__ == "__main__":
    main()
