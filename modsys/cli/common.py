"""What every command shares: the common flags, loading the evaluation, errors and colour."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs
import click

F = TypeVar("F", bound=Callable[..., Any])


# --- colour ------------------------------------------------------------------------------------


def colour_enabled(stream: IO[str] | None) -> bool:
    """Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if stream is None:
        return False
    try:
        return bool(stream.isatty())
    except Exception:
        return False


class Style:
    """`click.style` when colour is on for the stream, the bare text otherwise."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.enabled = colour_enabled(stream)

    def __call__(self, text: str, **kw: Any) -> str:
        return click.style(text, **kw) if self.enabled else text


def out_style() -> Style:
    return Style(sys.stdout)


def err_style() -> Style:
    return Style(sys.stderr)


# --- the common flags --------------------------------------------------------------------------


@attrs.frozen
class Common:
    """The flags every command takes after its name."""

    sets: tuple[str, ...] = ()
    force_sets: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    show_trace: bool = False
    no_default_modules: bool = False


def _decorated(f: F, decorators: Sequence[Callable[[F], F]]) -> F:
    for d in reversed(decorators):
        f = d(f)
    return f


def common_options(f: F) -> F:
    """Add `--set`, `--force-set`, `-I`, `--show-trace`, `--no-default-modules` to a command."""
    from modsys.cli.completion import complete_set

    decorators = [
        click.option(
            "--set",
            "sets",
            multiple=True,
            metavar="PATH=VALUE",
            shell_complete=complete_set,
            help="Define an option on the command line (VALUE is YAML; taken verbatim for "
            "string options), at plain priority. Repeatable.",
        ),
        click.option(
            "--force-set",
            "force_sets",
            multiple=True,
            metavar="PATH=VALUE",
            shell_complete=complete_set,
            help="Like --set, with mk_force priority (50).",
        ),
        click.option(
            "-I",
            "include",
            multiple=True,
            metavar="DIR",
            type=click.Path(exists=True, file_okay=False),
            help="A folder to look module names up in, before the bundled modules. Repeatable.",
        ),
        click.option(
            "--show-trace", is_flag=True, help="Show the Python traceback of errors."
        ),
        click.option(
            "--no-default-modules",
            is_flag=True,
            help="Do not import the platform, the bundled targets and projects.",
        ),
    ]
    return _decorated(f, decorators)


def common_from(kw: dict[str, Any]) -> Common:
    """Pop the common flags out of a command's keyword arguments."""
    return Common(
        tuple(kw.pop("sets", ()) or ()),
        tuple(kw.pop("force_sets", ()) or ()),
        tuple(kw.pop("include", ()) or ()),
        bool(kw.pop("show_trace", False)),
        bool(kw.pop("no_default_modules", False)),
    )


# --- charts ------------------------------------------------------------------------------------


@attrs.frozen
class ChartFlags:
    """`--chart-mirror`, `--lock-file`, `--require-charts`: how a planning command gets charts."""

    mirrors: tuple[str, ...] = ()
    lock_file: str | None = None
    require: bool = False


def chart_options(f: F) -> F:
    """Add `--chart-mirror`, `--lock-file` and `--require-charts` to a command that plans."""
    decorators = [
        click.option(
            "--chart-mirror",
            "chart_mirrors",
            multiple=True,
            metavar="DIR",
            type=click.Path(file_okay=False),
            help="A folder of <name>-<version>.tgz chart archives, looked at before the "
            "network. Repeatable; MODSYS_CHART_MIRROR (os.pathsep-separated) adds more.",
        ),
        click.option(
            "--lock-file",
            "lock_file",
            metavar="PATH",
            default=None,
            help="Where chart digests are pinned (default ./modsys.lock).",
        ),
        click.option(
            "--require-charts",
            is_flag=True,
            help="Fail when a chart bundle cannot be rendered (default: it stays a chart "
            "reference, unvalidated, and a note says so).",
        ),
    ]
    return _decorated(f, decorators)


def chart_flags_from(kw: dict[str, Any]) -> ChartFlags:
    """Pop the chart flags out of a command's keyword arguments."""
    return ChartFlags(
        tuple(kw.pop("chart_mirrors", ()) or ()),
        kw.pop("lock_file", None),
        bool(kw.pop("require_charts", False)),
    )


@contextmanager
def charts_for(flags: ChartFlags) -> Iterator[Any]:
    """One chart renderer for the command: chart bundles are rendered while inside; on success
    the lock file is saved and what could not be rendered is said on stderr."""
    from modsys.charts import ChartRenderer
    from modsys.platform.chartobjects import chart_session

    renderer = ChartRenderer.from_settings(mirrors=flags.mirrors, lock_file=flags.lock_file)
    with chart_session(renderer, flags.require) as session:
        yield session
        renderer.save_lock()
    st = err_style()
    for message in session.messages():
        click.echo(f"{st('note:', fg='cyan')} {message}", err=True)


# --- errors ------------------------------------------------------------------------------------


def shorten_paths(text: str) -> str:
    """Show absolute paths below the working directory (or the bundled tree) relatively."""
    from modsys.cli.resolve import bundled_root

    prefixes = [str(Path.cwd())]
    root = bundled_root()
    if root is not None:
        prefixes.append(str(root))
    for prefix in sorted(set(prefixes), key=len, reverse=True):
        if prefix and prefix != os.sep:
            text = text.replace(prefix + os.sep, "")
    return text


def report_error(exc: BaseException, show_trace: bool) -> None:
    """Print a modsys error as a short message naming the option and the locations."""
    from modsys.errors import ModsysError

    st = err_style()
    if show_trace:
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    message = shorten_paths(str(exc)).strip("\n")
    click.echo(f"{st('error:', fg='red', bold=True)} {message}", err=True)
    if isinstance(exc, ModsysError):
        problems = getattr(exc, "problems", ())
        for p in problems:
            p = shorten_paths(str(p))
            if p not in message:
                click.echo(f"  - {p}", err=True)
        for loc in dict.fromkeys(exc.locations):
            file = shorten_paths(loc.file)
            if file and f"{file}'" not in message and f"{file}`" not in message and (
                shorten_paths(str(loc)) not in message
            ):
                click.echo(f"  {st('at', dim=True)} {shorten_paths(str(loc))}", err=True)
        from modsys.cli.setopt import SET_FILE
        from modsys.errors import ConflictingDefinitionsError

        if isinstance(exc, ConflictingDefinitionsError) and SET_FILE in message:
            click.echo(
                f"{st('hint:', fg='cyan')} --set defines at plain priority (100), like a module; "
                f"use --force-set to override the other definitions",
                err=True,
            )
    elif not show_trace:
        click.echo(
            st("(an internal error in modsys; run with --show-trace for the traceback)", dim=True),
            err=True,
        )


@contextmanager
def handle_errors(common: Common) -> Iterator[None]:
    """Turn errors into exit codes: modsys errors → 1, usage errors → 2, with short messages."""
    from modsys.cli.resolve import ModuleNotFound
    from modsys.cli.setopt import SetSyntaxError
    from modsys.errors import ModsysError

    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except ModuleNotFound as exc:
        raise click.UsageError(str(exc)) from None
    except SetSyntaxError as exc:
        raise click.UsageError(str(exc)) from None
    except ModsysError as exc:
        report_error(exc, common.show_trace)
        raise SystemExit(1) from None
    except RecursionError as exc:
        report_error(exc, common.show_trace)
        raise SystemExit(1) from None
    except (KeyboardInterrupt, BrokenPipeError):
        raise SystemExit(130) from None
    except Exception as exc:
        report_error(exc, common.show_trace)
        raise SystemExit(1) from None


def echo_warnings(warnings: Sequence[str], seen: set[str] | None = None) -> None:
    """Print each warning once, to stderr."""
    st = err_style()
    seen = set() if seen is None else seen
    for w in warnings:
        if w in seen:
            continue
        seen.add(w)
        click.echo(f"{st('warning:', fg='yellow', bold=True)} {w}", err=True)


# --- loading -----------------------------------------------------------------------------------


def default_modules() -> list[Any]:
    """The platform, every bundled target and project (each off until enabled)."""
    from modsys.platform import default_modules as platform_defaults

    return list(platform_defaults())


def module_files(modules: Sequence[str], common: Common) -> list[Path]:
    from modsys.cli.resolve import resolve_module_arg

    files = [resolve_module_arg(m, common.include) for m in modules]
    if common.show_trace:  # which file each name resolved to
        for name, file in zip(modules, files, strict=True):
            click.echo(f"module {name} -> {file}", err=True)
    return files


def load(modules: Sequence[str], common: Common) -> Any:
    """Evaluate the default modules, the named modules and the `--set`s (lazily)."""
    from modsys import eval_modules
    from modsys.cli.setopt import parse_set_arg, set_module

    files = module_files(modules, common)
    set_args = [parse_set_arg(s) for s in common.sets] + [
        parse_set_arg(s, force=True) for s in common.force_sets
    ]
    base = [] if common.no_default_modules else default_modules()
    ev = eval_modules([*base, *files])
    if set_args:
        ev = ev.extend_modules([set_module(ev, a) for a in set_args])
    return ev


def secret_fields() -> Any:
    """What the commands hide besides sensitive options (`--show-secrets` shows it): the data of
    Kubernetes Secrets (`modsys.kube.secrets.hidden_fields`)."""
    from modsys.kube.secrets import hidden_fields

    return hidden_fields()


def check(ev: Any, seen: set[str] | None = None) -> None:
    """Run assertions (raising on failure) and print the warnings once."""
    echo_warnings(ev.check(), seen)


class Progress:
    """A one-line phase indicator on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        stream = sys.stderr
        try:
            self.enabled = bool(stream.isatty())
        except Exception:
            self.enabled = False
        self._shown = False

    def phase(self, text: str) -> None:
        if self.enabled:
            click.echo(f"\r\x1b[2K{text}…", err=True, nl=False)
            self._shown = True

    def done(self) -> None:
        if self._shown:
            click.echo("\r\x1b[2K", err=True, nl=False)
            self._shown = False


def stdout_isatty() -> bool:
    try:
        return sys.stdout.isatty()
    except Exception:
        return False
