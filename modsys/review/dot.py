"""The plan as Graphviz text (`modsys plan --format dot`): `dot -Tsvg plan.dot > plan.svg`.

Batches are clusters laid left to right in priority order, joined by dashed "then" edges
(compound edges, from cluster to cluster); bundles are boxes; `dependsOn` are solid edges,
labelled with the waits that must pass first. Identifiers are synthetic, labels escaped.
"""

from __future__ import annotations

from modsys.review.escape import dot_label, dot_string
from modsys.review.graph import PlanGraph


def to_dot(graph: PlanGraph, title: str = "plan") -> str:
    """Deterministic Graphviz text of the plan graph."""
    out = [
        "digraph plan {",
        f"  label={dot_string(title)};",
        "  labelloc=t;",
        "  rankdir=LR;",
        "  compound=true;",
        "  newrank=true;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fa", fontname="sans-serif"];',
        '  edge [fontname="sans-serif", fontsize=10];',
    ]
    for lane in graph.lanes:
        out.append(f"  subgraph cluster_{lane.id} {{")
        out.append(f"    label={dot_string(lane.title)};")
        out.append('    style="rounded,dashed";')
        for node in lane.nodes:
            out.append(f"    {node.id} [label={dot_label(node.lines)}];")
        out.append("  }")
    lanes = {lane.id: lane for lane in graph.lanes}
    for edge in graph.edges:
        if edge.kind == "order":
            a, b = lanes[edge.source], lanes[edge.target]
            out.append(
                f"  {a.nodes[0].id} -> {b.nodes[0].id} [ltail=cluster_{a.id}, "
                f"lhead=cluster_{b.id}, style=dashed, color=gray50, "
                f"label={dot_string(edge.label)}];"
            )
        else:
            attrs = f" [label={dot_string(edge.label)}]" if edge.label else ""
            out.append(f"  {edge.source} -> {edge.target}{attrs};")
    out.append("}")
    return "\n".join(out) + "\n"
