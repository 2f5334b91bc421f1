"""Shell completion: bundled module names, files, and option paths of the modules given so far.

Enable it as click documents, e.g. for bash: `eval "$(_MODSYS_COMPLETE=bash_source modsys)"`.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from typing import Any

import click
from click.shell_completion import CompletionItem


def complete_modules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Bundled (and `-I`) module names starting with the text, plus files."""
    from modsys.cli.resolve import bundled_module_names

    include = ctx.params.get("include") or ()
    try:
        names = bundled_module_names(include)
    except Exception:
        names = []
    items = [CompletionItem(n) for n in names if n.startswith(incomplete)]
    if ctx.command.name in ("why", "options") and _given_modules(ctx) and "/" not in incomplete:
        # the last argument of `why` (and `options`) is an option path, not a module
        items.extend(complete_option_path(ctx, param, incomplete))
    items.append(CompletionItem(incomplete, type="file"))
    return items


def _given_modules(ctx: click.Context) -> list[str]:
    """The module arguments typed so far (while completing, click may have put the last one
    into `why`'s OPTION)."""
    given = list(ctx.params.get("modules") or ctx.params.get("args") or ())
    option = ctx.params.get("option")
    if ctx.command.name == "why" and isinstance(option, str):
        given.append(option)
    if not given:
        # click stops parsing at an option still waiting for its value (`--set <TAB>`); read
        # the words the shell passed instead
        given = _modules_from_words(os.environ.get("COMP_WORDS", ""))
    return given


_VALUE_OPTIONS = frozenset(
    {"--set", "--force-set", "-I", "-A", "--attr", "--format", "--out", "--base", "--head"}
)


def _modules_from_words(words: str) -> list[str]:
    """The positional arguments after the command name in a shell's command-line words."""
    try:
        parts = shlex.split(words)
    except ValueError:
        return []
    out: list[str] = []
    skip = True  # the program and the command name
    expect_value = False
    seen_command = False
    for word in parts[1:]:
        if not seen_command:
            seen_command = not word.startswith("-")
            continue
        skip = False
        if expect_value:
            expect_value = False
        elif word in _VALUE_OPTIONS:
            expect_value = True
        elif word == "--":
            break
        elif not word.startswith("-") and not skip:
            out.append(word)
    return out


def _evaluation(ctx: click.Context) -> Any:
    from modsys.cli.common import Common, load

    modules = _given_modules(ctx)
    common = Common(
        include=tuple(ctx.params.get("include") or ()),
        no_default_modules=bool(ctx.params.get("no_default_modules")),
    )
    from modsys.cli.resolve import resolve_module_arg

    usable = []
    for m in modules:
        try:
            resolve_module_arg(m, common.include)
        except LookupError:
            continue
        usable.append(m)
    return load(usable, common)


def option_paths(ev: Any, incomplete: str) -> list[str]:
    """The option paths one level below the last complete part of `incomplete`."""
    from modsys.dump import config_level
    from modsys.evaluation import ConfigView, Level, Option
    from modsys.explain import parse_path
    from modsys.show import show_option

    parts = list(parse_path(incomplete)) if incomplete else []
    if incomplete.endswith(".") or not parts:
        stem, last = parts, ""
    else:
        stem, last = parts[:-1], parts[-1]
    node: Any = ev.root
    i = 0
    while True:
        if isinstance(node, Option):
            try:
                node = node.value
            except Exception:
                return []
            continue
        if isinstance(node, ConfigView):
            node = config_level(node)
            continue
        if i == len(stem):
            break
        p = stem[i]
        i += 1
        if isinstance(node, Level):
            node = node.child(p)
        elif isinstance(node, Mapping) and p in node:
            try:
                node = node[p]
            except Exception:
                return []
        else:
            return []
        if node is None:
            return []
    if isinstance(node, Level):
        names = list(node.children)
    elif isinstance(node, Mapping):
        names = [str(k) for k in node]
    else:
        return []
    return sorted(
        show_option([*stem, n]) for n in names if n.startswith(last) and n != "_module"
    )


def complete_option_path(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Option paths of the modules given so far."""
    try:
        return [CompletionItem(p) for p in option_paths(_evaluation(ctx), incomplete)]
    except Exception:
        return []


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`--set PATH=`: complete the path part."""
    if "=" in incomplete:
        return []
    return complete_option_path(ctx, param, incomplete)
