"""Laying the plan graph out on a plane, by modsys itself (no Graphviz needed).

The plan has a natural layout: batches apply left to right in priority order, so each lane is
a column and its bundles stack top to bottom in dependency order. That needs no general graph
layout, only arithmetic, and so it is deterministic and cheap. Text widths are estimated
(labels are cut to fit, with the full text kept for a tooltip): a picture that reads well in
any font matters more than exact metrics.
"""

from __future__ import annotations

import attrs

from modsys.review.graph import Edge, Node, PlanGraph

MARGIN = 16
LANE_WIDTH = 236
LANE_GAP = 64
HEADER = 48
LINE = 16
NODE_PAD = 8
NODE_GAP = 14
CHAR_WIDTH = 6.6  # average width of a 11–12px sans-serif character
MAX_WAITS = 2


@attrs.frozen
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@attrs.frozen
class PlacedNode:
    node: Node
    box: Box
    lines: tuple[str, ...]  # cut to fit; the first is the name


@attrs.frozen
class PlacedLane:
    id: str
    title: str
    description: str
    box: Box


@attrs.frozen
class PlacedEdge:
    edge: Edge
    path: str  # SVG path data
    label_at: tuple[float, float]


@attrs.frozen
class Layout:
    width: float
    height: float
    lanes: tuple[PlacedLane, ...]
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]


def fit(text: str, width: float) -> str:
    """`text` cut with an ellipsis to about `width` pixels."""
    limit = max(4, int(width / CHAR_WIDTH))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines(node: Node) -> tuple[str, ...]:
    width = LANE_WIDTH - 2 * NODE_PAD
    lines = [node.name]
    if node.namespace:
        lines.append(f"namespace {node.namespace}")
    lines.append(node.summary)
    waits = [f"wait: {w}" for w in node.waits]
    if len(waits) > MAX_WAITS:
        waits = [*waits[: MAX_WAITS - 1], f"… {len(waits) - MAX_WAITS + 1} more waits"]
    return tuple(fit(line, width) for line in [*lines, *waits])


def _number(value: float) -> str:
    return f"{value:g}"


def layout(graph: PlanGraph) -> Layout:
    """Positions for every lane, node and edge of the graph."""
    lanes: list[PlacedLane] = []
    nodes: dict[str, PlacedNode] = {}
    bottom: float = MARGIN + HEADER
    for i, lane in enumerate(graph.lanes):
        x = MARGIN + i * (LANE_WIDTH + LANE_GAP)
        y: float = MARGIN + HEADER
        for node in lane.nodes:
            lines = _lines(node)
            box = Box(x, y, LANE_WIDTH, NODE_PAD * 2 + LINE * len(lines))
            nodes[node.id] = PlacedNode(node, box, lines)
            y += box.height + NODE_GAP
        bottom = max(bottom, y)
        lanes.append(PlacedLane(lane.id, fit(lane.title, LANE_WIDTH),
                                fit(lane.description, LANE_WIDTH), Box(x, MARGIN, LANE_WIDTH, 0)))
    height: float = bottom + MARGIN
    lanes = [
        attrs.evolve(p, box=Box(p.box.x, p.box.y, p.box.width, height - 2 * MARGIN + 4))
        for p in lanes
    ]
    width = MARGIN * 2 + max(len(lanes), 1) * LANE_WIDTH + max(len(lanes) - 1, 0) * LANE_GAP
    lane_by_id = {p.id: p for p in lanes}
    lane_of = {n.id: i for i, lane in enumerate(graph.lanes) for n in lane.nodes}
    floors = [max((nodes[n.id].box.y + nodes[n.id].box.height for n in lane.nodes),
                  default=MARGIN + HEADER) for lane in graph.lanes]
    edges = []
    corridors = 0
    for edge in graph.edges:
        if edge.kind == "order":
            a, b = lane_by_id[edge.source].box, lane_by_id[edge.target].box
            y = MARGIN + 14
            path = f"M{_number(a.right + 4)},{_number(y)} H{_number(b.x - 6)}"
            edges.append(PlacedEdge(edge, path, ((a.right + b.x) / 2, y - 4)))
            continue
        src, dst = nodes[edge.source].box, nodes[edge.target].box
        first, last = lane_of[edge.source], lane_of[edge.target]
        if last > first + 1:  # around the bundles of the lanes in between, not through them
            corridors += 1
            floor = max(floors[first + 1 : last]) + NODE_GAP / 2 + (corridors - 1) * 6
            edges.append(_around(edge, src, dst, floor))
            height = max(height, floor + MARGIN)
        else:
            edges.append(_dependency(edge, src, dst))
    if corridors:
        lanes = [
            attrs.evolve(p, box=Box(p.box.x, p.box.y, p.box.width, height - 2 * MARGIN + 4))
            for p in lanes
        ]
    return Layout(width, height, tuple(lanes), tuple(nodes.values()), tuple(edges))


def _around(edge: Edge, src: Box, dst: Box, floor: float) -> PlacedEdge:
    """A dependency that skips lanes: out into the gap after its lane, down below the
    bundles of the lanes it passes, along, and up into the gap before the dependent's lane."""
    xa, xb = src.right + LANE_GAP / 2 - 4, dst.x - LANE_GAP / 2 + 4
    path = (f"M{_number(src.right)},{_number(src.middle)} H{_number(xa)} V{_number(floor)} "
            f"H{_number(xb)} V{_number(dst.middle)} H{_number(dst.x - 6)}")
    return PlacedEdge(edge, path, ((xa + xb) / 2, floor - 4))


def _dependency(edge: Edge, src: Box, dst: Box) -> PlacedEdge:
    """A curve from the right of the bundle depended on to the left of the dependent one; a
    loop out to the right when both sit in one lane."""
    if src.right < dst.x:
        x1, y1, x2, y2 = src.right, src.middle, dst.x - 6, dst.middle
        bend = (x2 - x1) / 2
        path = (f"M{_number(x1)},{_number(y1)} C{_number(x1 + bend)},{_number(y1)} "
                f"{_number(x2 - bend)},{_number(y2)} {_number(x2)},{_number(y2)}")
        return PlacedEdge(edge, path, ((x1 + x2) / 2, (y1 + y2) / 2 - 4))
    x1, y1, x2, y2 = src.right, src.middle, dst.right + 6, dst.middle
    out = max(x1, x2) + 28
    path = (f"M{_number(x1)},{_number(y1)} C{_number(out)},{_number(y1)} "
            f"{_number(out)},{_number(y2)} {_number(x2)},{_number(y2)}")
    return PlacedEdge(edge, path, (out - 4, (y1 + y2) / 2))
