"""`modsys report` (the review page) and the picture formats of `modsys plan`.

Kept apart from `modsys.cli.app` so that the wiring there is two small edits: the `--format`
option of `plan` calls `plan_output`, and one line registers `report_cmd`. Only `click` is
imported at start; the review package is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from modsys.cli.common import (
    Style,
    chart_flags_from,
    chart_options,
    charts_for,
    common_from,
    common_options,
    handle_errors,
)
from modsys.cli.completion import complete_modules

PLAN_FORMATS = ("text", "json", "dot", "mermaid")


def plan_output(plan: Mapping[str, Any], fmt: str, st: Style) -> str:
    """`modsys plan --format FMT`: the tree (text), the plan data with Secrets redacted (json),
    or a picture (dot, mermaid). Ends without a newline, like `format_plan`."""
    if fmt == "text":
        from modsys.cli.plan import format_plan

        return format_plan(plan, st)
    if fmt == "json":
        from modsys.dump import redact, to_json
        from modsys.kube.secrets import hidden_fields

        return to_json(redact(dict(plan), hidden_fields()))
    from modsys.review import plan_graph, to_dot, to_mermaid

    graph = plan_graph(plan)
    text = to_dot(graph, _title(plan)) if fmt == "dot" else to_mermaid(graph)
    return text.rstrip("\n")


def _title(plan: Mapping[str, Any]) -> str:
    cluster = plan.get("cluster") or {}
    return f"plan for {cluster.get('context') or '(current kube context)'}"


@click.command("report")
@click.argument("modules", nargs=-1, metavar="MODULES...", shell_complete=complete_modules)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
    show_default=True, help="The HTML file to write.",
)
@click.option("--base", "base", multiple=True, metavar="MODULE", shell_complete=complete_modules,
              help="A module of the version to compare with (repeatable); the page then "
              "highlights what changed.")
@chart_options
@common_options
def report_cmd(modules: tuple[str, ...], out: Path, base: tuple[str, ...], **kw: Any) -> None:
    """Write one self-contained HTML page for reviewing MODULES: the plan as a picture, each
    bundle with its objects and their validation status, the configuration with where each
    value comes from, a search box, and with --base the differences highlighted.

    \b
    The page needs no network (styles and script are inline) and never shows secrets: values
    of sensitive options and the data of Secrets are redacted.
    Example: modsys report examples/production --base examples/local --out report.html
    """
    charts = chart_flags_from(kw)
    common = common_from(kw)
    with handle_errors(common), charts_for(charts):
        from modsys.cli.common import check, load
        from modsys.cli.resolve import display_path
        from modsys.review.data import report_data
        from modsys.review.page import write_page

        seen: set[str] = set()
        head = load(modules, common)
        check(head, seen)
        base_ev = None
        if base:
            base_ev = load(base, common)
            check(base_ev, seen)
        data = report_data(head, base_ev, modules=modules, base_modules=base,
                           show_file=display_path)
        write_page(data, out)
        click.echo(f"wrote {out}", err=True)
