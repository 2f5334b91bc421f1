"""Rendering of option paths, values and definitions for messages, in the shapes nixpkgs uses.

Values are shown in Nix syntax (`[ 1 2 ]`, `{ a = 1; }`, `"s"`, `true`) because the messages
mirror nixpkgs' and users search for them; a value that cannot be shown never hides the error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from modsys.deps import in_secret_computation

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_'-]*$")
_PLACEHOLDER = re.compile(r"^<[^<>]*>$")


def show_part(part: str) -> str:
    if part == "*" or _IDENT.match(part) or _PLACEHOLDER.match(part):
        return part
    return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'


def show_option(loc: Iterable[str]) -> str:
    """`a.b."c.d"`: the option path as nixpkgs' `showOption` prints it."""
    return ".".join(show_part(str(p)) for p in loc)


def show_files(files: Iterable[str]) -> str:
    return " and ".join(f"`{f}'" for f in files)


def _nix_str(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${").replace("\n", "\\n")
    return '"' + s + '"'


def show_value(value: Any, depth: int = 0) -> str:
    """A one-value Nix-syntax rendering, with nested thunks left unforced."""
    from modsys.properties import Definition, If, Merge, Order, Override

    if depth > 6:
        return "…"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _nix_str(value)
    if isinstance(value, If):
        return (
            f'{{ _type = "if"; condition = {show_value(value.condition, depth + 1)}; '
            f"content = {show_value(value.content, depth + 1)}; }}"
        )
    if isinstance(value, Override):
        return (
            f'{{ _type = "override"; content = {show_value(value.content, depth + 1)}; '
            f"priority = {value.priority}; }}"
        )
    if isinstance(value, Order):
        return (
            f'{{ _type = "order"; content = {show_value(value.content, depth + 1)}; '
            f"priority = {value.priority}; }}"
        )
    if isinstance(value, Merge):
        return f'{{ _type = "merge"; contents = {show_value(value.contents, depth + 1)}; }}'
    if isinstance(value, Definition):
        return show_value(value.value, depth)
    if isinstance(value, Mapping):
        try:
            items = list(value.items())
        except Exception:
            return "{ … }"
        if not items:
            return "{ }"
        body = " ".join(f"{show_part(str(k))} = {show_value(v, depth + 1)};" for k, v in items)
        return "{ " + body + " }"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[ ]"
        return "[ " + " ".join(show_value(v, depth + 1) for v in value) + " ]"
    if callable(value):
        return "«lambda»"
    return f"«{type(value).__name__}: {value!r}»"


def _pretty_lines(value: Any) -> list[str]:
    text = show_value(value)
    return [text]


def show_defs(defs: Sequence[Any], force_thunks: bool = False) -> str:
    """The `Definition values:` listing: one `- In `file'` line per definition.

    Merged definitions are already forced, so a callable there is a function value; raw
    definitions (`force_thunks`) may still be thunks, which are shown by their result.
    """
    out = []
    for d in defs:
        where = f"\n- In `{d.file}'"
        if getattr(d, "line", None) is not None:
            where += f" (line {d.line})"
        if in_secret_computation():
            out.append(f"{where}: <redacted>")
            continue
        try:
            text = show_value(_forced(d.value) if force_thunks else d.value)
        except Exception:
            out.append(where)
            continue
        if len(text) > 300:
            text = text[:297] + "..."
        out.append(f"{where}: {text}")
    return "".join(out)


def _forced(value: Any) -> Any:
    from modsys.lazy import is_thunk

    return value() if is_thunk(value) else value


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def did_you_mean(loc: Sequence[str], wrong: str, candidates: Sequence[str]) -> str:
    """nixpkgs' suggestion rule: best three by edit distance, or distance ≤ 2 among many."""
    names = sorted(candidates)
    scored = sorted(names, key=lambda n: levenshtein(wrong, n))
    if len(names) >= 100:
        scored = [n for n in scored if levenshtein(wrong, n) <= 2]
    best = [f"`{show_option([*loc, n])}'" for n in scored[:3]]
    if not best:
        return ""
    if len(best) == 1:
        return f"\n\nDid you mean {best[0]}?"
    return "\n\nDid you mean " + ", ".join(best[:-1]) + f" or {best[-1]}?"
