"""The review page: one HTML file with everything inline, for opening from a CI artefact.

No network: the stylesheet and the script are inline, the plan picture is inline SVG, and a
Content-Security-Policy allows nothing else (no fetches, no images from elsewhere, and only
the page's own script and style, by hash, so not even injected markup could run a script).
The data is JSON in a `<script type="application/json">` block (`escape.script_json`: no value
can close it); the script draws the page from it with `textContent`, never as markup. The few
static parts written here are escaped with `escape.xml_text`.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path

from modsys.review.data import Report
from modsys.review.escape import script_json, xml_text


def asset(name: str) -> str:
    """One of the page's inline assets (`assets/report.css`, `assets/report.js`)."""
    return resources.files("modsys.review").joinpath("assets", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_policy(css: str, js: str) -> str:
    """Nothing from the network or from anywhere but the page's own style and script."""
    return (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_page(report: Report) -> str:
    """The whole HTML document."""
    css, js = asset("report.css"), asset("report.js")
    data = report.data
    cluster = data.get("cluster") or {}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{xml_text(content_policy(css, js))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{xml_text(report.title)}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{xml_text(report.title)}</h1>
<p class="summary-line">cluster {xml_text(cluster.get("context"))}, Kubernetes {xml_text(cluster.get("kubernetesVersion"))}; <span id="summary"></span></p>
<p class="summary-line dim" id="base"></p>
</header>
<main>
<div class="toolbar"><input id="search" type="search" placeholder="Search option paths, bundles and objects…" aria-label="search" autocomplete="off"><label id="changed-toggle" hidden><input id="changed-only" type="checkbox"> only what changed</label><span id="matches" class="hint"></span></div>
<h2>Plan</h2>
<p class="hint">Batches apply left to right; click a bundle to see its objects. <span id="legend"></span></p>
<div id="plan">
{report.svg}</div>
<div id="plan-problems"></div>
<h2>Bundles</h2>
<div id="bundles"></div>
<div id="removed"></div>
<h2>Configuration</h2>
<p class="hint">The values the modules set; expand one to see where it comes from.</p>
<div id="config" class="tree"></div>
</main>
<script type="application/json" id="report-data">{script_json(data)}</script>
<script>{js}</script>
</body>
</html>
"""


def write_page(report: Report, out: Path | str) -> Path:
    """Write the page (creating its folder) and return its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(report), encoding="utf-8")
    return path
