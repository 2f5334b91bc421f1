"""Render the Wookie estate's chart bundles with `modsys.charts`: cold, then warm caches.

The chart bundles (chart, version, values, release name, namespace, Kubernetes version) come
from the plan of `examples/local.py`; the charts from the offline mirror in
`../shared/charts/mirror` (or `--mirror DIR`), since the repositories the project names are on
the internet. Phases, each over every chart bundle:

- `cold+load`: an empty render cache in a fresh process: includes loading Helm's native library;
- `cold`: an empty render cache again, Helm already loaded;
- `warm disk`: a new `RenderCache` on the same directory with the in-process memory dropped
  (what the next `modsys render` of an unchanged estate does);
- `warm memory`: the same cache object again (a second plan in one process, e.g. `diff`).

    python benchmarks/charts.py
    python benchmarks/charts.py --mirror ../shared/charts/mirror --repeat 5
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from modsys import eval_modules
from modsys.charts import (
    ChartCache,
    ChartRef,
    ChartSource,
    FetchedChart,
    RenderCache,
    RenderRequest,
    render_chart,
)
from modsys.platform import build_plan, default_modules

REPO = Path(__file__).resolve().parents[1]

#: Istio < 1.28 `gateway` charts reject their own defaults under Helm 4 (see
#: ../shared/charts/README.md); the Wookie project will set skipSchemaValidation for them.
SKIP_SCHEMA = {"gateway"}


def chart_bundles(example: Path) -> list[tuple[str, dict[str, Any], str | None, str | None]]:
    """(bundle, chart, namespace, Kubernetes version) of every chart bundle in the plan."""
    plan = build_plan(eval_modules([*default_modules(), example]))
    kube = (plan.get("cluster") or {}).get("kubernetesVersion")
    return [
        (b["name"], b["chart"], b.get("namespace"), kube)
        for manifest_set in plan["manifestSets"]
        for b in manifest_set["bundles"]
        if b.get("chart")
    ]


def timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "charts" / "mirror")
    parser.add_argument("--example", type=Path, default=REPO / "examples" / "local.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    bundles = chart_bundles(args.example)
    with tempfile.TemporaryDirectory(prefix="modsys-bench-charts-") as tmp:
        source = ChartSource(ChartCache(Path(tmp) / "fetch"), mirrors=(args.mirror,), network=False)
        jobs: list[tuple[str, FetchedChart, RenderRequest]] = []
        for bundle, chart, namespace, kube in bundles:
            ref = ChartRef(chart["name"], chart["version"], repository=chart["repository"])
            request = RenderRequest(
                chart["releaseName"],
                chart["values"],
                namespace=namespace,
                kube_version=kube,
                skip_schema_validation=chart["name"] in SKIP_SCHEMA,
            )
            jobs.append((bundle, source.fetch(ref), request))

        def render_all(cache: RenderCache) -> int:
            return sum(len(render_chart(f, r, cache).all_objects()) for _, f, r in jobs)

        figures: dict[str, float] = {}
        figures["cold+load"] = timed(lambda: render_all(RenderCache(Path(tmp) / "first")))
        for i in range(args.repeat):
            root = Path(tmp) / f"cache{i}"
            RenderCache.forget_memory()
            cold = timed(lambda root=root: render_all(RenderCache(root)))
            RenderCache.forget_memory()
            disk = timed(lambda root=root: render_all(RenderCache(root)))
            cache = RenderCache(root)
            memory = timed(lambda cache=cache: render_all(cache))
            for name, value in (("cold", cold), ("warm disk", disk), ("warm memory", memory)):
                figures[name] = min(figures.get(name, value), value)
        objects = render_all(RenderCache(Path(tmp) / "cache0"))

    charts = ", ".join(f"{b} ({f.label})" for b, f, _ in jobs)
    print(f"{len(jobs)} chart bundles, {objects} objects: {charts}")
    for name, value in figures.items():
        print(f"  {name:<12} {value * 1000:8.1f} ms")
    print(
        f"  cold/warm disk {figures['cold'] / figures['warm disk']:.0f}x, "
        f"cold/warm memory {figures['cold'] / figures['warm memory']:.0f}x"
    )


if __name__ == "__main__":
    main()
