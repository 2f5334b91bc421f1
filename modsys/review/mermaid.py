"""The plan as a Mermaid flowchart (`modsys plan --format mermaid`), for pull requests and
wikis that draw Mermaid.

`flowchart LR`: each batch a subgraph (a lane) in priority order, joined by "then" edges from
subgraph to subgraph; each bundle a node; `dependsOn` as arrows labelled with the waits that
must pass first. Identifiers are synthetic (`s0`, `n0`: no user text can collide with Mermaid
keywords such as `end`); every label is quoted and entity-escaped (`escape.mermaid_text`).
"""

from __future__ import annotations

from modsys.review.escape import mermaid_label
from modsys.review.graph import PlanGraph


def to_mermaid(graph: PlanGraph) -> str:
    """Deterministic Mermaid text of the plan graph."""
    out = ["flowchart LR"]
    for lane in graph.lanes:
        out.append(f"  subgraph {lane.id}[{mermaid_label([lane.title])}]")
        out.append("    direction TB")
        for node in lane.nodes:
            out.append(f"    {node.id}[{mermaid_label(node.lines)}]")
        out.append("  end")
    for edge in graph.edges:
        arrow = "-.->" if edge.kind == "order" else "-->"
        label = f"|{mermaid_label([edge.label])}|" if edge.label else ""
        out.append(f"  {edge.source} {arrow}{label} {edge.target}")
    return "\n".join(out) + "\n"
