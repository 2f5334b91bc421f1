"""For random bundle graphs, every format's order respects every dependency and batch priority,
rendering is deterministic, and every generated GitOps file stays schema-valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from render_plans import random_plans
from render_schemas import schema_problems

from modsys.render import RENDERERS, RenderInput, render

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def must_precede(plan: RenderInput) -> dict[str, set[str]]:
    """For each bundle, every bundle the plan says must be applied before it (transitively)."""
    before: dict[str, set[str]] = {}
    earlier_batches: set[str] = set()
    for batch in plan.manifest_sets:
        for b in batch.bundles:
            found = set(earlier_batches)
            for dep in b.depends_on:
                found |= {dep} | before[dep]
            before[b.id] = found
        earlier_batches |= {b.id for b in batch.bundles}
    return before


def deployable(plan: RenderInput) -> dict[str, Any]:
    return {b.id: b for batch in plan.manifest_sets for b in batch.bundles if b.objects or b.chart}


def reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen, todo = set(), list(graph.get(start, []))
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += graph.get(n, [])
    return seen


def check_graph(plan: RenderInput, graph: dict[str, list[str]]) -> None:
    """`graph` (bundle id -> the bundle ids it waits for) implies every required order."""
    live = deployable(plan)
    assert set(graph) == set(live)
    for bid, before in must_precede(plan).items():
        if bid in live:
            assert before & set(live) <= reachable(graph, bid), bid


@SETTINGS
@given(random_plans())
def test_dir_index_order_respects_dependencies_and_priorities(plan: RenderInput):
    index = json.loads(render(plan, "dir").files["index.json"])
    priorities = [b["priority"] for b in index["batches"]]
    assert priorities == sorted(priorities)
    position = {
        b["id"]: i for i, b in enumerate(x for batch in index["batches"] for x in batch["bundles"])
    }
    for bid, before in must_precede(plan).items():
        assert all(position[p] < position[bid] for p in before)


@SETTINGS
@given(random_plans())
def test_argocd_waves_increase_along_every_required_order(plan: RenderInput):
    files = render(plan, "argocd").files
    wave = {}
    for path, data in files.items():
        if path.startswith("argocd/apps/"):
            app = yaml.safe_load(data)
            labels = app["metadata"]["labels"]
            bid = f"{labels['modsys.io/batch']}/{labels['modsys.io/bundle']}"
            wave[bid] = int(app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
    live = deployable(plan)
    assert set(wave) == set(live)
    for bid, before in must_precede(plan).items():
        if bid in live:
            assert all(wave[p] < wave[bid] for p in before if p in live)
    assert schema_problems("argocd", files) == {}


@SETTINGS
@given(random_plans())
def test_helmfile_needs_imply_every_required_order(plan: RenderInput):
    files = render(plan, "helmfile").files
    doc = yaml.safe_load(files["helmfile.yaml"])
    owner = {}
    graph: dict[str, list[str]] = {}
    for r in doc["releases"]:
        rid = f"{r['namespace']}/{r['name']}" if "namespace" in r else r["name"]
        owner[rid] = f"{r['labels']['batch']}/{r['labels']['bundle']}"
    for r in doc["releases"]:
        bid = f"{r['labels']['batch']}/{r['labels']['bundle']}"
        graph.setdefault(bid, []).extend(owner[n] for n in r.get("needs", []) if owner[n] != bid)
    check_graph(plan, graph)
    assert schema_problems("helmfile", files) == {}


@SETTINGS
@given(random_plans())
def test_flux_depends_on_implies_every_required_order(plan: RenderInput):
    files = render(plan, "flux").files
    owner, deps = {}, {}
    for path, data in files.items():
        if path.startswith("flux/") and path != "flux/kustomization.yaml":
            d = yaml.safe_load(data)
            if d["kind"] == "Kustomization":
                labels = d["metadata"]["labels"]
                owner[d["metadata"]["name"]] = (
                    f"{labels['modsys.io/batch']}/{labels['modsys.io/bundle']}"
                )
                deps[d["metadata"]["name"]] = [x["name"] for x in d["spec"].get("dependsOn", [])]
    check_graph(plan, {owner[n]: [owner[x] for x in ds] for n, ds in deps.items()})
    assert schema_problems("flux", files) == {}


@SETTINGS
@given(random_plans())
def test_fleet_depends_on_implies_every_required_order(plan: RenderInput):
    files = render(plan, "fleet").files
    owner, deps = {}, {}
    for path, data in files.items():
        if path.endswith("/fleet.yaml"):
            d = yaml.safe_load(data)
            owner[d["name"]] = f"{d['labels']['modsys.io/batch']}/{d['labels']['modsys.io/bundle']}"
            deps[d["name"]] = [x["name"] for x in d.get("dependsOn", [])]
    check_graph(plan, {owner[n]: [owner[x] for x in ds] for n, ds in deps.items()})
    assert schema_problems("fleet", files) == {}


@SETTINGS
@given(random_plans())
def test_rendering_twice_gives_identical_bytes(plan: RenderInput):
    for fmt in RENDERERS:
        assert render(plan, fmt) == render(RenderInput.from_data(plan.to_data()), fmt)


_DIGEST = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from render_plans import sample_plan
from modsys.render import RENDERERS, render
h = hashlib.sha256()
for fmt in RENDERERS:
    for path, data in sorted(render(sample_plan(), fmt).files.items()):
        h.update(fmt.encode() + path.encode() + data)
print(h.hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed():
    code = _DIGEST.format(tests=str(Path(__file__).parent))
    root = str(Path(__file__).resolve().parents[2])
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "4242")
    }
    assert len(digests) == 1
