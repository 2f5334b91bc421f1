"""Reviewing a change: pictures of the plan and a self-contained review page.

Everything here reads plain data (the plan of `modsys.cli.plan.plan_data`, validation problems,
the configuration and its provenance), so the pictures and the page can be tested without a
browser or Graphviz, and so the engine and the platform can change underneath without this
package having to follow every detail:

- `graph`: the plan as lanes (batches), nodes (bundles) and edges (dependencies, batch order),
  the one model every picture draws;
- `dot`, `mermaid`: that model as Graphviz and Mermaid text (`modsys plan --format dot|mermaid`);
- `layout`, `svg`: the model laid out by modsys itself and drawn as SVG (no Graphviz needed);
- `status`, `config`, `changes`, `data`: what the review page shows, as JSON-ready data;
- `page`: the one HTML file (`modsys report`), its CSS and script inline, no network.
"""

from __future__ import annotations

from modsys.review.dot import to_dot
from modsys.review.graph import PlanGraph, plan_graph
from modsys.review.mermaid import to_mermaid
from modsys.review.svg import to_svg

__all__ = ["PlanGraph", "plan_graph", "to_dot", "to_mermaid", "to_svg"]
