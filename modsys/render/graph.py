"""The apply-order graph that the pull-based formats encode (needs, dependsOn, sync waves).

A bundle must wait for its `dependsOn` and for every bundle of the previous batch: that one
rule carries both dependency order and batch priority to tools that only know "A needs B".
Bundles with nothing to deploy are skipped and their edges passed through, since Fleet and Argo
CD would otherwise wait on something that never becomes ready.
"""

from __future__ import annotations

from modsys.render.layout import BundleLayout, Layout


def predecessors(layout: Layout) -> dict[str, list[str]]:
    """For every non-empty bundle, the non-empty bundle ids it must wait for, in plan order."""
    eff: dict[str, list[str]] = {}  # for every bundle, its non-empty predecessors
    previous: list[str] = []  # the non-empty bundles of the last batch that had any
    out: dict[str, list[str]] = {}
    for batch in layout.batches:
        members: list[str] = []
        for b in batch.bundles:
            preds: dict[str, None] = {}
            for dep in b.bundle.depends_on:
                for p in [dep] if dep in out else eff.get(dep, []):
                    preds[p] = None
            for p in previous:
                preds[p] = None
            eff[b.id] = list(preds)
            if not b.empty:
                out[b.id] = list(preds)
                members.append(b.id)
        if members:
            previous = members
    return out


def waves(layout: Layout) -> dict[str, int]:
    """Longest-path layering: 0 for bundles that wait for nothing, else 1 + the latest wave."""
    result: dict[str, int] = {}
    for bid, preds in predecessors(layout).items():
        result[bid] = 1 + max((result[p] for p in preds), default=-1)
    return result


def deployable(layout: Layout) -> list[BundleLayout]:
    return [b for b in layout.bundles if not b.empty]
