"""`--set a.b.c=VALUE` and `--force-set`: command-line definitions.

VALUE is read as YAML, except where the option's type is a string type: then the text is taken
verbatim, so `version=1_24_2` stays the string "1_24_2" (YAML 1.1 would read the integer 12422)
and `name=yes` stays "yes". Each `--set` is a module of its own, defining one value at plain
priority (`--force-set`: `mk_force`) from the file `<command line --set>`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs

SET_FILE = "<command line --set>"
FORCE_SET_FILE = "<command line --force-set>"

_STRING_TYPE_NAMES = frozenset({"str", "nonEmptyStr", "singleLineStr", "separatedString"})


class SetSyntaxError(ValueError):
    """A `--set` argument that is not `PATH=VALUE` (a usage error)."""


@attrs.frozen
class SetArg:
    """One parsed `--set`: the option path, the text after `=`, and whether it is forced."""

    path: tuple[str, ...]
    text: str
    force: bool = False

    @property
    def file(self) -> str:
        return FORCE_SET_FILE if self.force else SET_FILE


def parse_set_arg(arg: str, force: bool = False) -> SetArg:
    """Split `a.b."c.d"=VALUE` into its path and text."""
    flag = "--force-set" if force else "--set"
    path_text, eq, text = _split_at_equals(arg)
    if not eq:
        raise SetSyntaxError(f"{flag} {arg!r}: expected PATH=VALUE, e.g. {flag} a.b.c=3")
    try:
        path = parse_option_path(path_text)
    except ValueError:
        raise SetSyntaxError(
            f"{flag} {arg!r}: the option path before `=' is empty or malformed"
        ) from None
    return SetArg(path, text, force)


def parse_option_path(text: str) -> tuple[str, ...]:
    """`a.b."c.d"` → ("a", "b", "c.d"); ValueError for an empty or malformed path."""
    from modsys.explain import parse_path

    text = text.strip()
    path = parse_path(text)
    if not path or any(p == "" for p in path) or _empty_part(text):
        raise ValueError(f"{text!r} is not an option path like a.b.c")
    return path


def _empty_part(text: str) -> bool:
    """`a..b`, `.a`, `a.`: an empty part outside double quotes."""
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', "q", text)
    return unquoted.startswith(".") or unquoted.endswith(".") or ".." in unquoted


def _split_at_equals(arg: str) -> tuple[str, str, str]:
    """Split at the first `=` outside double quotes (a quoted path part may hold `=`)."""
    quoted = False
    escaped = False
    for i, c in enumerate(arg):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            quoted = not quoted
        elif c == "=" and not quoted:
            return arg[:i], "=", arg[i + 1 :]
    return arg, "", ""


def is_string_type(t: Any) -> bool:
    """Whether values of `t` are strings (then `--set` takes the text verbatim)."""
    t = _unwrap(t)
    name = getattr(t, "name", "")
    if name in _STRING_TYPE_NAMES or name.startswith("strMatching"):
        return True
    if name == "enum":
        values: Any = getattr(t, "values", None) or ()
        return bool(values) and all(isinstance(v, str) for v in values)
    return False


def _unwrap(t: Any) -> Any:
    """See through wrappers that do not change what a value looks like."""
    from modsys import types

    while True:
        if isinstance(t, types._Unique) or type(t) is types._AddCheck:
            t = t.elem
        else:
            return t


def option_type_at(evaluation: Any, path: Sequence[str]) -> Any:
    """The option type of the value at `path`, looking through submodules and attrs-of entries.

    Returns None where no type is declared (undeclared paths, freeform values, `anything`).
    """
    from modsys import types
    from modsys.dump import submodule_level
    from modsys.evaluation import Level, Option

    node: Any = evaluation.root
    loc: tuple[str, ...] = ()
    i = 0
    while True:
        if isinstance(node, Level):
            if i == len(path):
                return None
            child = node.child(path[i])
            if child is None:
                return None
            node, loc, i = child, (*loc, path[i]), i + 1
        elif isinstance(node, Option):
            node = node.type
        elif isinstance(node, types.Type):
            if i == len(path):
                return node
            t = _unwrap(node)
            if isinstance(t, types._NullOr):
                node = t.elem
            elif isinstance(t, types._AttrsOf):
                node, loc, i = t.elem, (*loc, path[i]), i + 1
            elif isinstance(t, types._Submodule):
                node = submodule_level(t, loc)
            else:
                return None
        else:
            return None


def set_value(evaluation: Any, arg: SetArg) -> Any:
    """The value a `--set` defines: verbatim text for string types, else the YAML reading
    (by the module loader, with its limits: no alias bombs, no deep nesting, no objects)."""
    from modsys import types
    from modsys.yamlload import YamlModuleError, load_yaml_text

    t = option_type_at(evaluation, arg.path)
    text = arg.text
    if t is not None:
        bare = _unwrap(t)
        if is_string_type(bare):
            return text
        if isinstance(bare, types._NullOr) and is_string_type(bare.elem):
            return None if text.strip() in ("null", "~") else text
    try:
        if text.strip():
            value = load_yaml_text(text, "VALUE", module=False)[0]
        else:
            value = None if t is None else ""
    except YamlModuleError as exc:
        if t is not None and _accepts_string(t):
            return text
        shown = show_arg(arg)
        shown = shown if len(shown) <= 200 else shown[:200] + "…"
        raise SetSyntaxError(f"--set {shown}: VALUE is not valid YAML: {exc}") from exc
    if t is not None and not _check(t, value) and _accepts_string(t) and _check(t, text):
        return text
    return value


def _check(t: Any, value: Any) -> bool:
    try:
        return bool(t.check(value))
    except Exception:
        return False


def _accepts_string(t: Any) -> bool:
    return _check(t, "x") or is_string_type(t)


def show_arg(arg: SetArg) -> str:
    from modsys.show import show_option

    return f"{show_option(arg.path)}={arg.text}"


def set_module(evaluation: Any, arg: SetArg) -> dict[str, Any]:
    """The module one `--set` adds."""
    from modsys.properties import mk_force

    value = set_value(evaluation, arg)
    if arg.force:
        value = mk_force(value)
    for part in reversed(arg.path):
        value = {part: value}
    return {"_file": arg.file, "key": f"{arg.file} {show_arg(arg)}", "config": value}
