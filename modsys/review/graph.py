"""The plan as a graph: lanes (batches), nodes (bundles), edges (dependencies, batch order).

Every picture (Graphviz, Mermaid, the SVG of the review page) draws this one model, so they
agree on what a node says and which edges exist. Node and lane identifiers are synthetic
(`n0`, `s0`): bundle names are user data and may hold characters that no picture syntax
accepts in an identifier; only labels carry them, escaped by each writer.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs


@attrs.frozen
class Node:
    """A bundle: where it sits and the lines of its label (name first)."""

    id: str
    key: str  # "batch/bundle", as `dependsOn` names it
    name: str
    batch: str
    namespace: str | None
    summary: str  # "chart istiod 1.24.2" or "3 objects (ConfigMap, Deployment, Secret)"
    waits: tuple[str, ...] = ()
    object_count: int = 0

    @property
    def lines(self) -> tuple[str, ...]:
        """The label, line by line: name, namespace, summary, then the waits."""
        head = [self.name]
        if self.namespace:
            head.append(f"namespace {self.namespace}")
        head.append(self.summary)
        return (*head, *(f"wait: {w}" for w in self.waits))


@attrs.frozen
class Lane:
    """A batch: applied after every lane before it (lanes are in priority order)."""

    id: str
    name: str
    priority: Any
    description: str
    nodes: tuple[Node, ...]

    @property
    def title(self) -> str:
        return f"{self.name} (priority {self.priority})"


@attrs.frozen
class Edge:
    """`depends`: the target bundle waits for the source; `order`: lane after lane."""

    source: str
    target: str
    kind: str
    label: str = ""


@attrs.frozen
class PlanGraph:
    lanes: tuple[Lane, ...]
    edges: tuple[Edge, ...]

    @property
    def nodes(self) -> tuple[Node, ...]:
        return tuple(n for lane in self.lanes for n in lane.nodes)

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def kinds_text(objects: Sequence[Mapping[str, Any]]) -> str:
    """`ConfigMap, Deployment ×2`: the kinds of a bundle's objects, sorted."""
    counts = Counter(str(o.get("kind", "?")) for o in objects)
    return ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in sorted(counts.items()))


def bundle_summary(bundle: Mapping[str, Any]) -> str:
    """What a bundle deploys, in one line: its chart, or its objects."""
    chart = bundle.get("chart")
    objects = bundle.get("objects") or []
    parts = []
    if chart:
        parts.append(f"chart {chart.get('name')} {chart.get('version') or ''}".rstrip())
    if objects or not chart:
        n = len(objects)
        text = f"{n} object{'s' if n != 1 else ''}"
        parts.append(f"{text} ({kinds_text(objects)})" if objects else text)
    return ", ".join(parts)


def plan_graph(plan: Mapping[str, Any]) -> PlanGraph:
    """The graph of a plain-data plan (`manifestSets`: batches in apply order)."""
    from modsys.cli.plan import wait_text

    batches = sorted(
        enumerate(plan.get("manifestSets") or []),
        key=lambda ib: (_priority_key(ib[1].get("priority")), ib[0]),
    )
    lanes: list[Lane] = []
    by_key: dict[str, Node] = {}
    count = 0
    for li, (_, batch) in enumerate(batches):
        nodes = []
        for bundle in batch.get("bundles") or []:
            node = Node(
                id=f"n{count}",
                key=f"{batch.get('name')}/{bundle.get('name')}",
                name=str(bundle.get("name")),
                batch=str(batch.get("name")),
                namespace=bundle.get("namespace") or None,
                summary=bundle_summary(bundle),
                waits=tuple(wait_text(w) for w in bundle.get("wait") or []),
                object_count=len(bundle.get("objects") or []),
            )
            count += 1
            nodes.append(node)
            by_key[node.key] = node
        lanes.append(Lane(f"s{li}", str(batch.get("name")), batch.get("priority"),
                          str(batch.get("description") or ""), tuple(nodes)))
    edges: list[Edge] = []
    for before, after in itertools.pairwise(lanes):
        edges.append(Edge(before.id, after.id, "order", "then"))
    for lane, (_, batch) in zip(lanes, batches, strict=True):
        for node, bundle in zip(lane.nodes, batch.get("bundles") or [], strict=True):
            for dep in bundle.get("dependsOn") or []:
                source = by_key.get(dep)
                if source is not None:
                    label = "; ".join(f"wait {w}" for w in source.waits)
                    edges.append(Edge(source.id, node.id, "depends", label))
    return PlanGraph(tuple(lanes), tuple(edges))


def _priority_key(priority: Any) -> tuple[int, Any]:
    """Numbers first, in order; anything else (a broken plan) after them, as given."""
    if isinstance(priority, (int, float)) and not isinstance(priority, bool):
        return (0, priority)
    return (1, 0)
