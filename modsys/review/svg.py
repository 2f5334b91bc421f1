"""The laid-out plan as SVG: the picture of the review page, also usable on its own.

Colours are presentation attributes, so the file looks right anywhere (an image viewer, a
browser, a pull request); the review page's stylesheet can still restyle it through the
classes (`lane`, `node`, `edge`) and find a bundle by `data-key`. Every piece of text is
XML-escaped, and long labels are cut with the full text kept in a `<title>` tooltip.
"""

from __future__ import annotations

from modsys.review.escape import xml_text
from modsys.review.graph import PlanGraph
from modsys.review.layout import LINE, NODE_PAD, Layout, layout

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def _n(value: float) -> str:
    return f"{value:g}"


def to_svg(graph: PlanGraph, title: str = "plan") -> str:
    """Deterministic SVG text of the plan graph."""
    return draw(layout(graph), title)


def draw(placed: Layout, title: str = "plan") -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan" role="img" '
        f'width="{_n(placed.width)}" height="{_n(placed.height)}" '
        f'viewBox="0 0 {_n(placed.width)} {_n(placed.height)}" {_FONT} font-size="12">',
        f"<title>{xml_text(title)}</title>",
        '<defs><marker id="plan-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#56627a"/></marker></defs>',
    ]
    if not placed.nodes:
        out.append(f'<text x="16" y="30" fill="#56627a">{xml_text("(nothing to deploy)")}</text>')
    for lane in placed.lanes:
        b = lane.box
        out.append(
            f'<g class="lane" data-lane="{xml_text(lane.id)}">'
            f'<rect x="{_n(b.x - 6)}" y="{_n(b.y)}" width="{_n(b.width + 12)}" '
            f'height="{_n(b.height)}" rx="8" fill="#f3f5f9" stroke="#d5dbe6"/>'
            f'<text x="{_n(b.x)}" y="{_n(b.y + 18)}" font-weight="bold" fill="#1d2433">'
            f"{xml_text(lane.title)}</text>"
            f'<text x="{_n(b.x)}" y="{_n(b.y + 34)}" font-size="10" fill="#56627a">'
            f"{xml_text(lane.description)}</text></g>"
        )
    for e in placed.edges:
        dashed = ' stroke-dasharray="5 4"' if e.edge.kind == "order" else ""
        colour = "#9aa4b8" if e.edge.kind == "order" else "#56627a"
        x, y = e.label_at
        label = (
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="10" text-anchor="middle" '
            f'fill="#56627a">{xml_text(e.edge.label)}</text>'
            if e.edge.label and e.edge.kind == "order" else ""
        )
        tip = f"<title>{xml_text(e.edge.label)}</title>" if e.edge.label else ""
        out.append(
            f'<g class="edge {e.edge.kind}" data-from="{xml_text(e.edge.source)}" '
            f'data-to="{xml_text(e.edge.target)}">{tip}<path d="{e.path}" fill="none" '
            f'stroke="{colour}" stroke-width="1.4"{dashed} marker-end="url(#plan-arrow)"/>'
            f"{label}</g>"
        )
    for p in placed.nodes:
        b, node = p.box, p.node
        texts = []
        for i, line in enumerate(p.lines):
            y = b.y + NODE_PAD + LINE * (i + 1) - 4
            weight = ' font-weight="bold"' if i == 0 else ""
            fill = "#1d2433" if i == 0 else "#56627a"
            texts.append(
                f'<text x="{_n(b.x + NODE_PAD)}" y="{_n(y)}"{weight} fill="{fill}">'
                f"{xml_text(line)}</text>"
            )
        full = "\n".join(node.lines)
        out.append(
            f'<g class="node" id="plan-{xml_text(node.id)}" data-key="{xml_text(node.key)}">'
            f"<title>{xml_text(full)}</title>"
            f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" height="{_n(b.height)}" '
            f'rx="6" fill="#ffffff" stroke="#8592aa"/>' + "".join(texts) + "</g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
