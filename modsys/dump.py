"""Dumping configurations for people: plain data, redaction, and annotated YAML.

`plain(value)` fully evaluates a configuration value (a `config` view, an attribute set, a list)
into plain dicts and lists, as `Evaluation.to_dict()` does, with two differences that matter when
a person reads the result:

- values of options declared `sensitive=True`, and the `data`/`stringData` of Kubernetes Secrets,
  are replaced by `Redacted` markers (unless `show_secrets=True`); a marker prints as
  `<redacted>` but still compares by the hidden value, so a diff can tell that a secret changed
  without showing it;
- options that have no value at all are left out instead of failing the whole dump.

`provenance_notes(evaluation, data)` computes, for every leaf of a dump, a comment naming the
definition that won (file:line, priority) and how many it beat, from `Evaluation.explain`.
`to_yaml(data, notes)` writes deterministic block YAML with those comments at the end of lines.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from modsys import yamlemit as _yamlemit
from modsys.evaluation import ConfigView
from modsys.lazy import force
from modsys.option import Option

REDACTED_TEXT = "<redacted>"

#: How priorities are called in annotations (lower number wins).
PRIORITY_NAMES = {
    10: "mk_vm_override",
    50: "mk_force",
    60: "mk_image_media_override",
    1000: "mk_default",
    1500: "option default",
}

Path_ = tuple[Any, ...]

_SCALARS = frozenset({str, int, float, bool, type(None)})


class Redacted:
    """A value hidden from output; equal to another marker hiding an equal value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Redacted) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return REDACTED_TEXT

    __str__ = __repr__


# --- the engine internals this module reads (kept in one place) --------------------------------


def config_level(view: Any) -> Any:
    """The option-tree level (`modsys.evaluation.Level`) behind a `config` view."""
    return view._lvl()


def submodule_level(t: Any, loc: Sequence[str]) -> Any:
    """The option-tree level of an empty evaluation of submodule type `t` at `loc`."""
    return t.evaluate(tuple(loc), [], check=False).root


# --- plain data --------------------------------------------------------------------------------


def _is_secret(obj: Mapping[str, Any], path: Path_) -> bool:
    """A Kubernetes Secret: by its `kind`, or by sitting at `resources.Secret.<name>`."""
    if obj.get("kind") == "Secret":
        return True
    return len(path) >= 3 and path[-2] == "Secret" and path[-3] == "resources"


def _redact_secret(obj: dict[str, Any]) -> None:
    for field in ("data", "stringData"):
        values = obj.get(field)
        if isinstance(values, dict):
            obj[field] = {k: v if isinstance(v, Redacted) else Redacted(v) for k, v in values.items()}
        elif values is not None and not isinstance(values, Redacted):
            obj[field] = Redacted(values)


def plain(value: Any, *, show_secrets: bool = False, path: Path_ = ()) -> Any:
    """Fully evaluate `value` into plain data, redacting secrets (see the module docstring)."""
    return _Walker(show_secrets).walk(value, tuple(path))


def redact(data: Any, *, path: Path_ = ()) -> Any:
    """Redact the Secrets inside plain data (e.g. rendered objects); returns a new structure."""
    return _Walker(False).walk(data, tuple(path))


class _Walker:
    def __init__(self, show_secrets: bool) -> None:
        self.show_secrets = show_secrets

    def walk(self, value: Any, path: Path_) -> Any:
        tv = type(value)
        if tv in _SCALARS:  # the common cases first: no forcing, no ABC checks
            return value
        if tv is dict:
            return self._secret_check(
                {k: self.walk(v, (*path, k)) for k, v in value.items()}, path
            )
        if tv is list:
            return [self.walk(v, (*path, i)) for i, v in enumerate(value)]
        value = force(value)
        if isinstance(value, ConfigView):
            return self._config(value, path)
        if isinstance(value, Redacted):
            return value
        if isinstance(value, Mapping):
            out = {k: self.walk(v, (*path, k)) for k, v in value.items()}
            return self._secret_check(out, path)
        if isinstance(value, (list, tuple)):
            return [self.walk(v, (*path, i)) for i, v in enumerate(value)]
        return value

    def _secret_check(self, out: dict[str, Any], path: Path_) -> dict[str, Any]:
        if not self.show_secrets and _is_secret(out, path):
            _redact_secret(out)
        return out

    def _config(self, view: Any, path: Path_) -> dict[str, Any]:
        from modsys.errors import UndefinedOptionError

        level = config_level(view)
        out: dict[str, Any] = {}
        for key in view:
            child = level.children.get(key)
            kpath = (*path, key)
            if isinstance(child, Option):
                try:
                    raw = view[key]
                except UndefinedOptionError as exc:
                    if exc.loc == child.loc:
                        continue  # an option nobody defined: leave it out of the dump
                    raise
                if child.sensitive and not self.show_secrets and raw is not None:
                    out[key] = Redacted(_Walker(True).walk(raw, kpath))
                    continue
                out[key] = self.walk(raw, kpath)
            else:
                out[key] = self.walk(view[key], kpath)
        return self._secret_check(out, path)


def select(config: Any, parts: Sequence[str], *, show_secrets: bool = False) -> Any:
    """The plain, redacted value at `parts` below `config` (`modsys eval -A`).

    Walks the path one step at a time so that a sensitive option or a Secret met on the way
    still redacts what is below it. List elements are addressed by their index.
    """
    from modsys.errors import MissingAttributeError
    from modsys.show import show_option

    node: Any = config
    sensitive = False
    walked: list[Any] = []
    for part in parts:
        node = force(node)
        if isinstance(node, ConfigView):
            child = config_level(node).children.get(part)
            if isinstance(child, Option) and child.sensitive:
                sensitive = True
            node = node[part]
        elif isinstance(node, Mapping):
            if part not in node:
                raise MissingAttributeError(
                    f"attribute `{part}' missing in `{show_option(walked) or 'config'}'"
                    f" (it has: {', '.join(map(str, list(node)[:20])) or 'no attributes'})",
                    tuple(map(str, (*walked, part))),
                )
            if part in ("data", "stringData") and _is_secret(_peek(node), tuple(walked)):
                sensitive = True
            node = node[part]
        elif isinstance(node, (list, tuple)) and re.fullmatch(r"-?\d+", part):
            index = int(part)
            if not -len(node) <= index < len(node):
                raise MissingAttributeError(
                    f"index {index} out of range in `{show_option(walked)}' (a list of "
                    f"{len(node)})",
                    tuple(map(str, (*walked, part))),
                )
            node = node[index]
        else:
            raise MissingAttributeError(
                f"`{show_option(walked)}' is a {type(node).__name__}, it has no attribute `{part}'",
                tuple(map(str, (*walked, part))),
            )
        walked.append(part)
    value = plain(node, show_secrets=show_secrets, path=tuple(walked))
    if sensitive and not show_secrets and value is not None:
        return Redacted(value)
    return value


def _peek(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The `kind` of a mapping without forcing its other values."""
    try:
        return {"kind": node.get("kind")}
    except Exception:
        return {}


# --- annotations -------------------------------------------------------------------------------


def priority_text(priority: int) -> str:
    name = PRIORITY_NAMES.get(priority)
    return f"priority {priority}" + (f" ({name})" if name else "")


def note_for(explanation: Any, show_file: Callable[[str], str] = str) -> str:
    """The one-line provenance comment for a leaf: who won, at which priority, beating how many."""
    defs = explanation.definitions
    winners = [d for d in defs if d.status == "won"]
    beaten = sum(1 for d in defs if d.status == "overridden")
    skipped = sum(1 for d in defs if d.status == "condition false")

    def where(d: Any) -> str:
        shown = show_file(d.file)
        return shown if d.line is None else f"{shown}:{d.line}"

    if not winners:
        text = "no definition"
    elif len(winners) == 1:
        text = f"{where(winners[0])}, {priority_text(winners[0].priority)}"
    else:
        places: list[str] = []
        for w in winners:
            p = where(w)
            if p not in places:
                places.append(p)
        listed = ", ".join(places[:3]) + (", …" if len(places) > 3 else "")
        text = f"merged {len(winners)} definitions ({listed}), {priority_text(winners[0].priority)}"
    if beaten:
        text += f", beat {beaten}"
    if skipped:
        text += f", {skipped} skipped by mk_if"
    return text


def provenance_notes(
    evaluation: Any, data: Any, show_file: Callable[[str], str] = str
) -> dict[Path_, str]:
    """A provenance note for every leaf of `data` (the plain dump of `evaluation.config`).

    A leaf is where provenance stops: a scalar, an empty set or list, a list, or a plain
    attribute set whose keys are not options or attrs-of entries. Notes are keyed by the path
    of the leaf in `data`.
    """
    notes: dict[Path_, str] = {}
    _annotate(evaluation, evaluation.config, data, (), notes, show_file)
    return notes


def _annotate(
    ev: Any, node: Any, data: Any, path: Path_, notes: dict[Path_, str], show_file: Callable[[str], str]
) -> None:
    """Walk the evaluated `node` alongside its plain `data`, noting leaves."""
    from modsys.attrset import AttrSet

    node = force(node)
    descend = isinstance(node, ConfigView) or (
        isinstance(node, AttrSet) and node._meta is not None
    )
    if descend and isinstance(data, dict) and data:
        for key, sub in data.items():
            try:
                child = node[key]
            except Exception:
                continue
            _annotate(ev, child, sub, (*path, key), notes, show_file)
        return
    if not path:
        return
    # a path inside a freeform value or a plain `attrs` value has nothing to explain
    with contextlib.suppress(Exception):
        notes[path] = note_for(ev.explain(list(map(str, path))), show_file)


# --- YAML --------------------------------------------------------------------------------------


def _other(value: Any) -> str:
    """YAML text of what plain data cannot hold: the redaction marker, or a description."""
    if isinstance(value, Redacted):
        return REDACTED_TEXT
    return _yamlemit.scalar(describe_other(value))


def scalar(value: Any) -> str:
    """One YAML scalar (or empty collection), written so that it reads back as the same value."""
    if isinstance(value, (Mapping, list, tuple)) and not value:
        return "{}" if isinstance(value, Mapping) else "[]"
    try:
        return _yamlemit.scalar(value)
    except _yamlemit.Unsupported:
        return _other(value)


def describe_other(value: Any) -> str:
    """A string for values that plain data cannot hold (functions, types, paths)."""
    from modsys.types import Type

    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Type):
        return f"<type: {value.description}>"
    if callable(value):
        return "<function>"
    return f"<{type(value).__name__}>"


def to_yaml(data: Any, notes: Mapping[Path_, str] | None = None) -> str:
    """Deterministic block-style YAML of plain data, keys in their order, nested sequences
    indented, with optional end-of-line comments keyed by path (see `provenance_notes`)."""
    return _yamlemit.emit(data, notes=notes, indent_sequences=True, other=_other)


def to_json(data: Any, indent: int | None = 2) -> str:
    """JSON of plain data; redacted values and non-data values print as strings."""

    def default(value: Any) -> Any:
        if isinstance(value, Redacted):
            return REDACTED_TEXT
        return describe_other(value)

    return json.dumps(data, indent=indent, ensure_ascii=False, default=default)


__all__ = [
    "REDACTED_TEXT",
    "Redacted",
    "note_for",
    "plain",
    "priority_text",
    "provenance_notes",
    "redact",
    "scalar",
    "select",
    "to_json",
    "to_yaml",
]

NOTHING_TEXT = "<no value>"
