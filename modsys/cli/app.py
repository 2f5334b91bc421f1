"""The `modsys` click group and its commands (each command's docstring is its help text).

MODULES are files or bundled module names (`targets/local-k3d`, `projects/wookie`,
`examples/local`); several are imported together, after the default modules (the platform,
every bundled target and project, each off until enabled) unless `--no-default-modules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from modsys.cli.common import (
    chart_flags_from,
    chart_options,
    charts_for,
    common_from,
    common_options,
    handle_errors,
    out_style,
)
from modsys.cli.completion import complete_modules, complete_option_path
from modsys.cli.report import PLAN_FORMATS, report_cmd

RENDER_FORMATS = ("dir", "stream", "kustomize", "helmfile", "argocd", "flux", "fleet")

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _modules_argument(name: str = "modules", required: bool = False) -> Any:
    return click.argument(
        name, nargs=-1, required=required, metavar="MODULES...", shell_complete=complete_modules
    )


def reveal_secrets(show: bool) -> None:
    """`--show-secrets`: error messages show secret values too (`modsys.deps.REVEAL`)."""
    import modsys.deps

    modsys.deps.REVEAL = bool(show)


def _show_file(file: str) -> str:
    from modsys.cli.resolve import display_path

    return display_path(file)


def _path_parts(text: str) -> tuple[str, ...]:
    from modsys.cli.setopt import parse_option_path

    try:
        return parse_option_path(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="modsys", prog_name="modsys", message="%(prog)s %(version)s")
def cli() -> None:
    """modsys: the NixOS module system in Python, and a Kubernetes deployment layer on it.

    \b
    Examples:
      modsys render examples/local               render the local example to ./out
      modsys dump examples/local --annotate      the merged config, with who set each value
      modsys why examples/local a.b.c            every definition of one option
      modsys diff examples/local -- examples/production

    Common flags (after the command): --set PATH=VALUE, --force-set PATH=VALUE, -I DIR,
    --show-trace, --no-default-modules. Exit codes: 0 ok, 1 evaluation/validation error or
    differences, 2 usage error.
    """
    # each command decides (`--show-secrets`); in-process runs share the engine's state
    import modsys.deps

    modsys.deps.REVEAL = False
    modsys.deps.SECRET_TEXTS.clear()


# --- eval / dump -------------------------------------------------------------------------------


@cli.command("eval")
@_modules_argument()
@click.option(
    "-A",
    "--attr",
    metavar="PATH",
    shell_complete=complete_option_path,
    help="The value to print (a.b.c; list elements by index); the whole config by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--yaml", "as_yaml", is_flag=True, help="Print YAML (the default).")
@click.option("--show-secrets", is_flag=True, help="Do not redact sensitive values and Secrets.")
@common_options
def eval_cmd(modules: tuple[str, ...], attr: str | None, as_json: bool, as_yaml: bool,
             show_secrets: bool, **kw: Any) -> None:
    """Evaluate MODULES and print a value (the whole configuration by default)."""
    reveal_secrets(show_secrets)
    common = common_from(kw)
    if as_json and as_yaml:
        raise click.UsageError("--json and --yaml exclude each other")
    parts = _path_parts(attr) if attr else ()
    with handle_errors(common):
        from modsys.cli.common import check, load, secret_fields
        from modsys.dump import select, to_json, to_yaml

        ev = load(modules, common)
        check(ev)
        data = select(ev.config, parts, show_secrets=show_secrets, hide=secret_fields())
        text = to_json(data) + "\n" if as_json else to_yaml(data)
        click.echo(text, nl=False)


@cli.command("dump")
@_modules_argument()
@click.option(
    "--path", "paths", multiple=True, metavar="A.B.C", shell_complete=complete_option_path,
    help="Print only this subtree, under its full path (repeatable).",
)
@click.option(
    "--changed", is_flag=True,
    help="Only values that differ from their option defaults; disabled (enable = false) "
    "subtrees, internal options and computed outputs left out; objects that modules built "
    "whole (CRD bodies included) folded to one line.",
)
@click.option(
    "--full", is_flag=True,
    help="Do not fold: computed outputs (the plan, the file list) and, with --changed, "
    "whole objects and CRD bodies.",
)
@click.option(
    "--annotate", is_flag=True,
    help="Comment each leaf with the winning definition (file:line, priority) and how many it beat.",
)
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (with --annotate: {value, notes by option path}).")
@click.option("--show-secrets", is_flag=True, help="Do not redact sensitive values and Secrets.")
@common_options
def dump_cmd(modules: tuple[str, ...], paths: tuple[str, ...], changed: bool, full: bool,
             annotate: bool, as_json: bool, show_secrets: bool, **kw: Any) -> None:
    """Print the merged configuration of MODULES as YAML.

    Values of options declared sensitive and the data of Kubernetes Secrets are redacted
    unless --show-secrets. Options that have no value are left out. Computed outputs
    (read-only options derived from others, such as platform.kubernetes.build.manifestSets)
    are folded to one line unless --full or a --path asks for them.
    """
    reveal_secrets(show_secrets)
    common = common_from(kw)
    parts = [_path_parts(p) for p in paths]
    with handle_errors(common):
        from modsys.cli.common import check, load
        from modsys.cli.views import dump_view, with_path_hint

        with with_path_hint():
            ev = load(modules, common)
        check(ev)
        click.echo(
            dump_view(
                ev, parts, changed=changed, full=full, annotate=annotate, as_json=as_json,
                show_secrets=show_secrets, show_file=_show_file,
            ),
            nl=False,
        )


# --- why ---------------------------------------------------------------------------------------


@cli.command("why")
@_modules_argument()
@click.argument("option", metavar="OPTION", shell_complete=complete_option_path)
@click.option("--show-secrets", is_flag=True, help="Do not redact sensitive values and Secrets.")
@common_options
def why_cmd(modules: tuple[str, ...], option: str, show_secrets: bool, **kw: Any) -> None:
    """Explain where OPTION's value comes from: every definition (file:line, priority, order,
    mk_if conditions), which won and why, the value, the declaration and the type.

    OPTION may lead into submodules and attribute-set entries, e.g.
    platform.kubernetes.cluster.batches.services.priority.
    """
    reveal_secrets(show_secrets)
    common = common_from(kw)
    parts = _path_parts(option)
    with handle_errors(common):
        from modsys.cli.common import load
        from modsys.cli.why import explain_path

        ev = load(modules, common)
        click.echo(
            explain_path(ev, parts, show_secrets=show_secrets, show_file=_show_file, st=out_style())
        )


# --- options / schema --------------------------------------------------------------------------


def _check_option_prefix(ev: Any, prefix: Sequence[str]) -> None:
    """An unknown PREFIX is an error with suggestions, not an empty listing."""
    from modsys.evaluation import OptionsView

    node: Any = ev.options
    for part in prefix:
        if not isinstance(node, OptionsView):
            return  # inside an option (a submodule's sub-options): option_docs handles it
        node = node[part]


def _split_prefix(args: Sequence[str], common: Any) -> tuple[list[str], tuple[str, ...]]:
    """`options MODULES... [PREFIX]`: the last argument is the prefix when it looks like an
    option path rather than a file: no `/`, no module suffix, and either other arguments before
    it (so `options base.py app` documents `app.*` even beside an `app.py`) or no module of
    that name."""
    from modsys.cli.resolve import ModuleNotFound, resolve_module_arg

    if not args:
        return [], ()
    last = args[-1]
    if "/" in last or Path(last).suffix in (".py", ".yaml", ".yml", ".json"):
        return list(args), ()
    if len(args) > 1 and not Path(last).is_file():
        return list(args[:-1]), _path_parts(last)
    try:
        resolve_module_arg(last, common.include)
    except ModuleNotFound:
        return list(args[:-1]), _path_parts(last)
    return list(args), ()


@cli.command("options")
@click.argument("args", nargs=-1, metavar="MODULES... [PREFIX]", shell_complete=complete_modules)
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
    help="Markdown for people, JSON for tools.",
)
@common_options
def options_cmd(args: tuple[str, ...], fmt: str, **kw: Any) -> None:
    """Document the options MODULES declare: type, default, example, description, declared in.

    With PREFIX (an option path such as platform.kubernetes.cluster), only the options below it.
    Internal and invisible options are left out.
    """
    common = common_from(kw)
    with handle_errors(common):
        from modsys.cli.common import load
        from modsys.cli.docs import option_docs, options_markdown
        from modsys.dump import to_json

        modules, prefix = _split_prefix(args, common)
        ev = load(modules, common)
        _check_option_prefix(ev, prefix)
        docs = option_docs(ev, prefix, _show_file)
        if fmt == "json":
            click.echo(to_json([d.to_data() for d in docs]))
        else:
            click.echo(options_markdown(docs), nl=False)


@cli.command("schema")
@_modules_argument()
@common_options
def schema_cmd(modules: tuple[str, ...], **kw: Any) -> None:
    """Print a JSON Schema (draft 2020-12) of the options, for YAML overlays in editors.

    Types are mapped exactly where JSON Schema can say it (ints.positive → minimum 1, enums,
    patterns, nullable, lists, attribute sets, submodules); unknown keys are rejected where
    options are declared and allowed under freeform types. YAML priority tags (!force,
    !override, …) cannot be expressed: declare them as custom tags in the editor.
    """
    common = common_from(kw)
    with handle_errors(common):
        from modsys.cli.common import load
        from modsys.cli.docs import json_schema
        from modsys.dump import to_json

        ev = load(modules, common)
        click.echo(to_json(json_schema(ev)))


# --- plan / render / validate ------------------------------------------------------------------


@cli.command("plan")
@_modules_argument()
@click.option("--format", "fmt", type=click.Choice(PLAN_FORMATS),
              default="text", show_default=True, help="A tree, plan data, Graphviz or Mermaid.")
@chart_options
@common_options
def plan_cmd(modules: tuple[str, ...], fmt: str, **kw: Any) -> None:
    """Show the ordered batches and bundles of MODULES as a tree: priority, namespace, chart or
    object count, dependencies and waits (or as JSON, or a Graphviz/Mermaid picture)."""
    charts = chart_flags_from(kw)
    common = common_from(kw)
    with handle_errors(common), charts_for(charts):
        from modsys.cli.common import check, load
        from modsys.cli.plan import plan_data
        from modsys.cli.report import plan_output

        ev = load(modules, common)
        check(ev)
        click.echo(plan_output(plan_data(ev), fmt, out_style()))


@cli.command("render")
@_modules_argument()
@click.option(
    "--format", "fmt", type=click.Choice(RENDER_FORMATS), default="dir", show_default=True,
    help="Output format.",
)
@click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Output folder (default ./out; `stream` prints to stdout without it).",
)
@click.option("--no-validate", is_flag=True, help="Skip schema validation.")
@chart_options
@common_options
def render_cmd(modules: tuple[str, ...], fmt: str, out: Path | None, no_validate: bool,
               **kw: Any) -> None:
    """Validate and render MODULES' manifest sets (written atomically: on any error the
    previous output stays intact)."""
    from modsys.cli.common import Progress, echo_warnings, err_style

    charts = chart_flags_from(kw)
    common = common_from(kw)
    progress = Progress()
    st = err_style()
    try:
        with handle_errors(common), charts_for(charts):
            from modsys.cli.common import load

            progress.phase("evaluating")
            ev = load(modules, common)
            from modsys.render.pipeline import render_files, write_rendered

            to_stdout = fmt == "stream" and out is None
            if to_stdout:
                from modsys.platform import variants_of

                variants = variants_of(ev)
                if variants:
                    raise click.UsageError(
                        f"this configuration renders {len(variants)} variants "
                        f"({', '.join(variants)}), one manifest set each: give --out DIR "
                        f"to write each into its own folder"
                    )
            result = render_files(ev, fmt, validate=not no_validate, on_phase=progress.phase)
            rendered = None if to_stdout else write_rendered(
                result, out or Path("out"), on_wait=lambda m: click.echo(f"note: {m}", err=True)
            )
            progress.done()
            echo_warnings(result.warnings)
            for note in result.notes:
                click.echo(f"{st('note:', fg='cyan')} {note}", err=True)
            if rendered is None:
                for name in sorted(result.files):
                    click.echo(result.files[name].decode("utf-8"), nl=False)
                return
            click.echo(
                f"rendered {len(rendered.files)} file{'s' if len(rendered.files) != 1 else ''} "
                f"({fmt}) to {rendered.out_dir}",
                err=True,
            )
    finally:
        progress.done()


@cli.command("validate")
@_modules_argument()
@click.option(
    "--format", "fmt", type=click.Choice(RENDER_FORMATS), default=None,
    help="Also check that the plan renders in this format, Secrets included (references "
    "resolved, sealed or external, no plaintext in a GitOps tree); nothing is written.",
)
@chart_options
@common_options
def validate_cmd(modules: tuple[str, ...], fmt: str | None, **kw: Any) -> None:
    """Check MODULES: assertions, the plan's structure, and every object against the Kubernetes
    schemas (custom resources against their CRDs), chart bundles rendered. All problems are
    reported together."""
    charts = chart_flags_from(kw)
    common = common_from(kw)
    with handle_errors(common), charts_for(charts) as session:
        from modsys.cli.common import check, load
        from modsys.cli.plan import plan_data
        from modsys.platform import validate_plan

        ev = load(modules, common)
        check(ev)
        if fmt is None:
            validate_plan(ev)
        else:
            from modsys.render.pipeline import render_files

            render_files(ev, fmt)
        plan = plan_data(ev)
        batches = plan.get("manifestSets") or []
        bundles = sum(len(b.get("bundles") or []) for b in batches)
        objects = sum(len(x.get("objects") or []) for b in batches for x in b.get("bundles") or [])
        click.echo(
            f"ok: {objects} object{'s' if objects != 1 else ''} in {bundles} bundle"
            f"{'s' if bundles != 1 else ''} and {len(batches)} batch"
            f"{'es' if len(batches) != 1 else ''} are valid"
        )
        from modsys.cli.plan import checked_lines

        for line in checked_lines(plan, session):
            click.echo(line)


# --- diff --------------------------------------------------------------------------------------


class _DiffCommand(click.Command):
    """Splits `MODULES_A -- MODULES_B` before click sees the arguments."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            i = args.index("--")
            options, modules = self._split_options(args[i + 1 :])
            ctx.meta["modsys.diff.head"] = tuple(modules)
            args = args[:i] + options
        return super().parse_args(ctx, args)

    def _split_options(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Options given after `--` (`A -- B --set x=1`) still count as options."""
        takes_value: dict[str, bool] = {}
        for param in self.params:
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not param.is_flag and not param.count
        options: list[str] = []
        modules: list[str] = []
        it = iter(words)
        for word in it:
            name = word.split("=", 1)[0]
            if word.startswith("-") and name in takes_value:
                options.append(word)
                if takes_value[name] and "=" not in word:
                    value = next(it, None)
                    if value is not None:
                        options.append(value)
            else:
                modules.append(word)
        return options, modules


@cli.command("diff", cls=_DiffCommand)
@click.argument(
    "base_args", nargs=-1, metavar="MODULES_A... -- MODULES_B...", shell_complete=complete_modules
)
@click.option("--base", "base", multiple=True, metavar="MODULE", shell_complete=complete_modules,
              help="A module of the base configuration (repeatable).")
@click.option("--head", "head", multiple=True, metavar="MODULE", shell_complete=complete_modules,
              help="A module of the head configuration (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
    show_default=True,
    help="text for a terminal, md for a pull-request comment, json for tools.",
)
@click.option(
    "--objects", "objects", type=click.Choice(["summary", "full"]), default="summary",
    show_default=True, help="full: show added and removed objects in full (YAML).",
)
@click.option("--show-secrets", is_flag=True, help="Do not redact sensitive values and Secrets.")
@chart_options
@common_options
def diff_cmd(base_args: tuple[str, ...], base: tuple[str, ...], head: tuple[str, ...], fmt: str,
             objects: str, show_secrets: bool, **kw: Any) -> None:
    """Compare two configurations: MODULES_A -- MODULES_B (or --base/--head lists).

    \b
    First the configuration, option by option; then the rendered objects, keyed by
    kind/namespace/name, with a summary per batch/bundle. Exits 1 when they differ.
    In md and json, each changed config value names the head-side definition that
    produced the new value (file:line, priority).
    Example: modsys diff examples/local -- examples/production --format md
    """
    charts = chart_flags_from(kw)
    reveal_secrets(show_secrets)
    common = common_from(kw)
    ctx = click.get_current_context()
    after = ctx.meta.get("modsys.diff.head")
    base_mods = tuple(base) + tuple(base_args)
    head_mods = tuple(head) + tuple(after or ())
    if after is None and not head:
        raise click.UsageError("give the second configuration after `--' or with --head")
    if not base_mods and not head_mods:
        raise click.UsageError("nothing to compare: give modules on both sides of `--'")
    with handle_errors(common), charts_for(charts):
        from modsys.cli import diff as d

        full = objects == "full"
        result = d.compare(base_mods, head_mods, common, show_secrets=show_secrets,
                           show_file=_show_file, with_origins=fmt != "text")
        if fmt == "json":
            text = d.format_json(result, full_objects=full)
        elif fmt == "md":
            text = d.format_markdown(result, full_objects=full).rstrip("\n")
        else:
            text = d.format_text(result, out_style(), full_objects=full)
        click.echo(text)
    if result.count:
        raise SystemExit(1)


cli.add_command(report_cmd)
