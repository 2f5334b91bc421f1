"""The one YAML emitter: block-style text of plain data that reads back as the same data.

Both the renderers (`modsys.kube.yamldump`, through which every rendered file goes) and the
command line (`modsys.dump`: `dump`, `eval --yaml`, `why`) write YAML here, so there is one set of
rules for how a scalar is written:

- a string is plain when no YAML 1.1 or 1.2 reader (PyYAML, go-yaml v2/v3) could read it as
  anything but the same string, single-quoted when it is printable, double-quoted (every
  character outside printable ASCII escaped) otherwise;
- a multi-line string is a literal block (`|` or `|-`) when that keeps it exactly and leaves no
  trailing whitespace or tab in the file, a double-quoted one-liner otherwise;
- floats are written as YAML 1.1 reads them (`1.0e-05`, `.inf`, `.nan`); anchors are never
  written.

Keys are written in the order given (sorting is the caller's business); a key too long for a
YAML simple key is written as an explicit `? key` entry.

`emit` can put a comment at the end of the line that holds a value, keyed by the value's path
(`dump --annotate`); a comment on a mapping that starts a sequence item, or on a whole
non-empty document, goes on a line of its own just before it. Values `emit` cannot write are
handed to its `other` callback, which returns the scalar text to write or raises
`Unsupported` (the default), which `emit` lets through so the caller can do something else.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from yaml.resolver import Resolver

Path_ = tuple[Any, ...]


class Unsupported(Exception):
    """A value (or key) this emitter does not write."""


# --- scalars ---------------------------------------------------------------------------------

_RESOLVER = Resolver()
_PLAIN = re.compile(r"[A-Za-z_/$(.-][A-Za-z0-9 _./:=+@$()~^,;-]*")
_NUMBERISH = re.compile(r"[-+.]?\.?[0-9]")
_YAML11_EXTRA = frozenset({"y", "Y", "n", "N"})  # booleans to go-yaml v2, strings to PyYAML
# Printable and not a YAML 1.1 line break (U+0085, U+2028, U+2029 are).
_PRINTABLE = re.compile(
    r"[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
_NOT_PRINTABLE = re.compile(
    r"[^\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
#: Longest key text written as `key: value`; PyYAML reads simple keys of up to 1024 characters.
_SIMPLE_KEY_MAX = 512


def _is_plain(s: str) -> bool:
    return (
        _PLAIN.fullmatch(s) is not None
        and not s.endswith((" ", ":"))
        and not s.startswith(("- ", "---", "..."))
        and s != "-"
        and ": " not in s
        and " #" not in s
        and _NUMBERISH.match(s) is None
        and s not in _YAML11_EXTRA
        and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == "tag:yaml.org,2002:str"
    )


def _double_quoted(s: str) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return '"' + "".join(out) + '"'


@functools.lru_cache(maxsize=65536)
def _string(s: str) -> str:
    """A one-line scalar for `s`: plain when unambiguous, else single or double quoted."""
    if _is_plain(s):
        return s
    if _PRINTABLE.fullmatch(s):
        return "'" + s.replace("'", "''") + "'"
    return _double_quoted(s)


def _literal_ok(s: str) -> bool:
    """Whether multi-line `s` survives a literal block exactly (clip or strip chomping)."""
    if s.endswith("\n\n") or s.startswith((" ", "\n")) or "\t" in s or "\r" in s:
        return False
    lines = s.split("\n")
    return all(_PRINTABLE.fullmatch(line) and not line.endswith(" ") for line in lines)


def scalar(value: Any) -> str:
    """One-line YAML text of a scalar (None, bool, int, float, str); `Unsupported` otherwise."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "." not in text and "e" in text:  # YAML 1.1 floats need a dot: 1e+20 -> 1.0e+20
            text = text.replace("e", ".0e", 1)
        return text
    raise Unsupported(type(value).__name__)


def _unsupported(value: Any) -> str:
    raise Unsupported(type(value).__name__)


def _comment(note: str) -> str:
    """`note` as an end-of-line comment: one line, printable."""
    note = " ".join(note.splitlines())
    if not _PRINTABLE.fullmatch(note):
        note = _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", note)
    return f"  # {note}"


# --- collections -----------------------------------------------------------------------------


class _Emitter:
    """One `emit` call. `path` arguments are only kept up to date when there are notes."""

    __slots__ = ("notes", "other", "out", "seq_indent")

    def __init__(
        self, notes: Mapping[Path_, str] | None, indent_sequences: bool, other: Callable[[Any], str]
    ) -> None:
        self.out: list[str] = []
        self.notes = notes or None
        self.other = other
        # where a sequence under `key:` starts, relative to the key's children
        self.seq_indent = 0 if indent_sequences else -2

    def scalar(self, value: Any) -> str:
        try:
            return scalar(value)
        except Unsupported:
            return self.other(value)

    def note(self, path: Path_) -> str:
        note = self.notes.get(path) if self.notes else None
        return _comment(note) if note else ""

    def value(self, value: Any, indent: int, path: Path_) -> None:
        """Append what follows `key:` or `- ` (already written) for `value`, at `path`."""
        out = self.out
        if isinstance(value, dict):
            if not value:
                out.append(f" {{}}{self.note(path)}\n" if self.notes else " {}\n")
            else:
                out.append(f"{self.note(path)}\n" if self.notes else "\n")
                self.mapping(value, indent, path)
        elif isinstance(value, (list, tuple)):
            if not value:
                out.append(f" []{self.note(path)}\n" if self.notes else " []\n")
            else:
                out.append(f"{self.note(path)}\n" if self.notes else "\n")
                self.sequence(value, indent + self.seq_indent, path)
        elif isinstance(value, str) and "\n" in value and _literal_ok(value):
            header = " |\n" if value.endswith("\n") else " |-\n"
            out.append(f"{header[:-1]}{self.note(path)}\n" if self.notes else header)
            pad = " " * indent
            body = value[:-1] if value.endswith("\n") else value
            out.extend(f"{pad}{line}\n" if line else "\n" for line in body.split("\n"))
        elif self.notes:
            out.append(f" {self.scalar(value)}{self.note(path)}\n")
        else:
            out.append(f" {self.scalar(value)}\n")

    def mapping(
        self, mapping: dict[Any, Any], indent: int, path: Path_, first_inline: bool = False
    ) -> None:
        out = self.out
        pad = " " * indent
        notes = self.notes
        for key, value in mapping.items():
            text = self.scalar(key)
            if len(text) > _SIMPLE_KEY_MAX:
                out.append(f"{'' if first_inline else pad}? {text}\n{pad}:")
            else:
                out.append(f"{'' if first_inline else pad}{text}:")
            first_inline = False
            self.value(value, indent + 2, (*path, key) if notes else path)

    def sequence(self, items: list[Any] | tuple[Any, ...], indent: int, path: Path_) -> None:
        out = self.out
        pad = " " * indent
        notes = self.notes
        for i, item in enumerate(items):
            ipath = (*path, i) if notes else path
            if isinstance(item, dict) and item:
                if notes and (comment := self.note(ipath)):
                    out.append(f"{pad}#{comment[3:]}\n")  # on a line of its own
                out.append(f"{pad}- ")
                self.mapping(item, indent + 2, ipath, first_inline=True)
            elif isinstance(item, (list, tuple)) and item:
                out.append(f"{pad}-{self.note(ipath)}\n" if notes else f"{pad}-\n")
                self.sequence(item, indent + 2, ipath)
            else:
                out.append(f"{pad}-")
                self.value(item, indent + 2, ipath)


def emit(
    data: Any,
    *,
    notes: Mapping[Path_, str] | None = None,
    indent_sequences: bool = False,
    other: Callable[[Any], str] = _unsupported,
) -> str:
    """Block-style YAML of `data`, keys in the order given.

    `notes` maps paths (tuples of keys and list indices) to end-of-line comments.
    `indent_sequences` indents a sequence under its key (`key:\\n  - a`) instead of writing it at
    the key's indentation (`key:\\n- a`, as PyYAML and kubectl do). `other` writes any value that
    is not None, a bool, int, float, str, dict, list or tuple; the default raises `Unsupported`.
    """
    em = _Emitter(notes, indent_sequences, other)
    out = em.out
    if isinstance(data, (dict, list, tuple)) and data:
        if comment := em.note(()):
            out.append(f"#{comment[3:]}\n")
        if isinstance(data, dict):
            em.mapping(data, 0, ())
        else:
            em.sequence(data, 0, ())
    else:
        em.value(data, 2, ())
        out[0] = out[0][1:]  # no space before a document's only scalar
    return "".join(out)


__all__ = ["Unsupported", "emit", "scalar"]
