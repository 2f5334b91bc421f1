"""Dumping configurations for people: plain data, redaction, and annotated YAML.

`plain(value)` fully evaluates a configuration value (a `config` view, an attribute set, a list)
into plain dicts and lists, as `Evaluation.to_dict()` does, with two differences that matter when
a person reads the result:

- values of options declared `sensitive=True` are replaced by `Redacted` markers (unless
  `show_secrets=True`), and so are the attributes a caller names with `HiddenFields` (the
  Kubernetes product hides the `data` of Secrets this way; this module knows no product); a
  marker prints as `<redacted>` but still compares by the hidden value, so a diff can tell that
  a secret changed without showing it;
- options that have no value at all are left out instead of failing the whole dump.

`provenance_notes(evaluation, data)` computes, for every leaf of a dump, a comment naming the
definition that won (file:line, priority) and how many it beat, from `Evaluation.explain`.
`to_yaml(data, notes)` writes deterministic block YAML with those comments at the end of lines.

Focused views: `plain(..., only=paths_tree(paths))` dumps only some subtrees;
`plain(..., fold_computed=True)` folds *computed outputs* (read-only options without a default,
whose one definition derives them from other options: they repeat what the dump shows elsewhere)
into `Folded` markers; `changed_only(config, data)` keeps only what differs from the option
defaults, leaving out disabled subtrees (`enable = false`) and internal options; `fold(data,
rule)` folds the attribute sets a caller's `FoldRule` names (the Kubernetes product folds CRD
bodies this way).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any, NamedTuple

from modsys import yamlemit as _yamlemit
from modsys.attrset import AttrSet
from modsys.deps import sources
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


class Folded:
    """A subtree left out of a view: what it is and how many lines of YAML it takes."""

    __slots__ = ("lines", "what")

    def __init__(self, what: str, lines: int) -> None:
        self.what = what
        self.lines = lines

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Folded) and (other.what, other.lines) == (self.what, self.lines)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"… {self.what}, {self.lines:,} line{'s' if self.lines != 1 else ''}, --full to show"

    __str__ = __repr__


# --- the engine internals this module reads (kept in one place) --------------------------------


def config_level(view: Any) -> Any:
    """The option-tree level (`modsys.evaluation.Level`) behind a `config` view."""
    return view._lvl()


def is_computed(option: Any) -> bool:
    """A computed output: a read-only option without a default (its one definition derives it
    from other options, e.g. a plan built from the configuration)."""
    return bool(option.read_only) and not option.has_default


def submodule_level(t: Any, loc: Sequence[str]) -> Any:
    """The option-tree level of an empty evaluation of submodule type `t` at `loc`."""
    return t.evaluate(tuple(loc), [], check=False).root


# --- plain data --------------------------------------------------------------------------------


class HiddenFields(NamedTuple):
    """A caller's redaction rule: the attributes `names` of every attribute set for which
    `when(attrs, path)` holds are hidden (`path`: where the set sits below the dumped value).

    A hidden attribute set keeps its keys and hides each value; any other hidden value is
    hidden whole. `when` sees the set being dumped, or while `select` walks a path, the live
    value (possibly lazy: it should read no more than it needs, and not fail).

        HiddenFields(frozenset({"password"}), lambda attrs, path: attrs.get("kind") == "User")
    """

    names: frozenset[str]
    when: Callable[[Mapping[str, Any], Path_], bool]
    shown: Callable[[Any], bool] = lambda value: False
    """Values that stay visible where they would be hidden: a product's references that say
    where a secret comes from without being it (they print by their own text, see
    `describe_other`)."""


def hide_value(value: Any, shown: Callable[[Any], bool] = lambda value: False) -> Any:
    """`value` (plain data) hidden: a mapping keeps its keys, each value a `Redacted` marker
    unless `shown` accepts it; anything else is one marker (or shown)."""
    if isinstance(value, dict):
        return {
            k: v if isinstance(v, Redacted) or shown(v) else Redacted(v) for k, v in value.items()
        }
    if value is not None and not isinstance(value, Redacted) and not shown(value):
        return Redacted(value)
    return value


#: Which subtrees to dump: a tree of path parts, `None` where everything below is wanted.
Only = Mapping[str, Any]


def paths_tree(paths: Sequence[Sequence[Any]]) -> Only | None:
    """The `only` tree of `plain` for some paths (None, i.e. everything, for none or `()`)."""
    if not paths:
        return None
    tree: dict[str, Any] = {}
    for p in paths:
        if not p:
            return None
        node = tree
        for part in p[:-1]:
            sub = node.setdefault(str(part), {})
            if sub is None:
                break
            node = sub
        else:
            node[str(p[-1])] = None
    return tree


def plain(
    value: Any,
    *,
    show_secrets: bool = False,
    path: Path_ = (),
    hide: HiddenFields | None = None,
    only: Only | None = None,
    fold_computed: bool = False,
) -> Any:
    """Fully evaluate `value` into plain data, redacting sensitive options and the fields
    `hide` names (see the module docstring).

    `only` (see `paths_tree`) keeps only those subtrees (a list on the way becomes a mapping
    from the index, as text, to the element); a part that is not there is left out (`select`
    says why). `fold_computed` folds computed outputs (`is_computed`) that hold a non-empty
    collection into `Folded` markers, unless `only` asks for them or for a path inside them.
    """
    return _Walker(show_secrets, hide, fold_computed).walk(value, tuple(path), only)


def redact(data: Any, hide: HiddenFields, *, path: Path_ = ()) -> Any:
    """Redact the fields `hide` names inside plain data (e.g. rendered objects), and every
    string that holds a secret value computed so far (`modsys.deps.SECRET_TEXTS`: a value
    copied from a sensitive option into an object); returns a new structure."""
    return mask_known_secrets(_Walker(False, hide).walk(data, tuple(path)))


def mask_known_secrets(data: Any) -> Any:
    """Plain data with every string that contains a known secret value (`modsys.deps`)
    replaced by a `Redacted` marker."""
    from modsys.deps import REVEAL, SECRET_TEXTS

    if not SECRET_TEXTS or REVEAL:
        return data
    texts = list(SECRET_TEXTS)

    def walk(x: Any) -> Any:
        t = type(x)
        if t is str:
            return Redacted(x) if any(s in x for s in texts) else x
        if t is dict:
            return {k: walk(v) for k, v in x.items()}
        if t is list:
            return [walk(v) for v in x]
        return x

    return walk(data)


class _Walker:
    def __init__(
        self, show_secrets: bool, hide: HiddenFields | None = None, fold_computed: bool = False
    ) -> None:
        self.show_secrets = show_secrets
        self.hide = None if show_secrets else hide
        self.fold_computed = fold_computed

    def walk(self, value: Any, path: Path_, only: Only | None = None) -> Any:
        tv = type(value)
        if tv in _SCALARS:  # the common cases first: no forcing, no ABC checks
            return value
        if only is None:
            if tv is dict:
                return self._hide_fields(
                    {k: self.walk(v, (*path, k)) for k, v in value.items()}, path
                )
            if tv is list:
                return [self.walk(v, (*path, i)) for i, v in enumerate(value)]
        value = force(value)
        if isinstance(value, ConfigView):
            return self._config(value, path, only)
        if isinstance(value, Redacted):
            return value
        if isinstance(value, Mapping):
            out = {
                k: self.walk(v, (*path, k), None if only is None else only[k])
                for k, v in value.items()
                if only is None or k in only
            }
            if isinstance(value, AttrSet) and not self.show_secrets:
                for k in out:  # entries computed from a secret (`modsys.deps`)
                    if value.entry_secret(k) and out[k] is not None:
                        out[k] = mask_derived(out[k], value.entry_reads(k), value._secret)
            return self._hide_fields(out, path, None if only is None else value)
        if isinstance(value, (list, tuple)):
            if only is None:
                return [self.walk(v, (*path, i)) for i, v in enumerate(value)]
            return {
                str(i): self.walk(v, (*path, i), only[str(i)])
                for i, v in enumerate(value)
                if str(i) in only
            }
        return value

    def _hide_fields(
        self, out: dict[str, Any], path: Path_, live: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Hide the fields `hide` names in `out`; `live` is the whole set when `out` holds only
        some of its keys (`only`), so that `when` still sees e.g. its `kind`."""
        hide = self.hide
        if (
            hide is not None
            and not hide.names.isdisjoint(out)
            and hide.when(out if live is None else live, path)
        ):
            for field in hide.names.intersection(out):
                out[field] = hide_value(out[field], hide.shown)
        return out

    def _config(self, view: Any, path: Path_, only: Only | None = None) -> dict[str, Any]:
        from modsys.errors import UndefinedOptionError

        level = config_level(view)
        out: dict[str, Any] = {}
        for key in view:
            if only is not None and key not in only:
                continue
            sub = None if only is None else only[key]
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
                    out[key] = Redacted(_Walker(True).walk(raw, kpath, sub))
                    continue
                value = self.walk(raw, kpath, sub)
                if child._secret and not self.show_secrets and value is not None:
                    value = mask_derived(value, child._deps or ())
                if self.fold_computed and only is None and is_computed(child):
                    value = _fold_output(value)
                out[key] = value
            else:
                out[key] = self.walk(view[key], kpath, sub)
        return self._hide_fields(out, path, None if only is None else view)


def secret_needles(record: Sequence[Any]) -> list[Any]:
    """The secret values a dependency record leads to (`modsys.deps.sources`), as the scalars
    that may show up in a value computed from them (and, for strings, their base64)."""
    values = []
    for opt in sources(record):
        with contextlib.suppress(Exception):
            values.append(opt.value)
    return needles_of_values(values)


def needles_of_values(values: Sequence[Any]) -> list[Any]:
    """The scalars of some secret values (and the base64 of their strings): what may show up in
    a value computed from them (`mask_with_needles`)."""
    import base64

    out: list[Any] = []

    def leaves(x: Any) -> None:
        if isinstance(x, Redacted):
            x = x.value
        if isinstance(x, dict):
            for v in x.values():
                leaves(v)
        elif isinstance(x, list):
            for v in x:
                leaves(v)
        elif isinstance(x, str) and x:
            out.append(x)
            with contextlib.suppress(Exception):
                out.append(base64.b64encode(x.encode()).decode())
        elif isinstance(x, (int, float)) and not isinstance(x, bool):
            out.extend((x, str(x)))

    for v in values:
        with contextlib.suppress(Exception):
            leaves(_Walker(True).walk(v, ()))
    return out


def mask_derived(value: Any, record: Sequence[Any], whole: bool = False) -> Any:
    """`value` (plain data) computed from secrets: every leaf that is, contains or encodes one of
    the secret values is `Redacted`; when none does (the value was transformed beyond
    recognition) or `whole`, the whole value is."""
    return mask_with_needles(value, [] if whole else secret_needles(record))


def mask_with_needles(value: Any, needles: Sequence[Any]) -> Any:
    """`mask_derived` with the secret values given (`secret_needles`)."""
    if not needles:
        return value if isinstance(value, Redacted) else Redacted(value)
    strs = [n for n in needles if isinstance(n, str) and len(n) >= 3]
    nums = {n for n in needles if not isinstance(n, str)}
    hit = [False]

    def leaf(x: Any) -> Any:
        if isinstance(x, Redacted):
            return x
        if isinstance(x, dict):
            return {k: leaf(v) for k, v in x.items()}
        if isinstance(x, list):
            return [leaf(v) for v in x]
        if isinstance(x, str) and (x in needles or any(n in x for n in strs)):
            hit[0] = True
            return Redacted(x)
        if isinstance(x, (int, float)) and not isinstance(x, bool) and x in nums:
            hit[0] = True
            return Redacted(x)
        return x

    out = leaf(value)
    return out if hit[0] else Redacted(value)


def _fold_output(value: Any) -> Any:
    if isinstance(value, (Mapping, list)) and value:
        return Folded("computed from other options (read-only)", yaml_lines(value))
    return value


def yaml_lines(data: Any) -> int:
    """How many lines `to_yaml(data)` takes."""
    return to_yaml(data).count("\n")


#: A caller's folding rule for `fold`: what to call an attribute set to fold (e.g. its kind),
#: or None to keep it; it sees the set and its path below the dumped value.
FoldRule = Callable[[Mapping[str, Any], Path_], "str | None"]


def fold(data: Any, rule: FoldRule, path: Path_ = ()) -> Any:
    """Plain data with the attribute sets `rule` names replaced by `Folded` markers."""
    if isinstance(data, dict):
        what = rule(data, path)
        if what is not None:
            return Folded(what, yaml_lines(data))
        return {k: fold(v, rule, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [fold(v, rule, (*path, i)) for i, v in enumerate(data)]
    return data


# --- what the modules changed ------------------------------------------------------------------

_NONE: Any = object()  # no known default
_SKIP: Any = object()  # nothing changed here


def changed_only(config: Any, data: Any, *, asked: Sequence[Sequence[Any]] = ()) -> Any:
    """The part of `data` (the plain dump of the `config` view, possibly narrowed by `only`)
    whose values differ from their options' defaults: what the modules actually set.

    Left out: values equal to the option's default or given only at the default's priority
    (`mk_option_default`, 1500), attribute sets whose `enable` option is
    false (only `enable: false` is kept when that is not its default; unless a path in `asked`
    leads into them), internal options and computed outputs (`is_computed`; unless a path in
    `asked` leads to them or is above them). An attrs-of entry
    that the default does not have stays, as `{}` if nothing in it differs from the defaults.
    Returns `{}` when nothing changed.
    """
    out = _Changed(tuple(tuple(map(str, a)) for a in asked)).view(config, data, ())
    return {} if out is _SKIP else out


class _Changed:
    def __init__(self, asked: tuple[tuple[str, ...], ...]) -> None:
        self.asked = asked

    def _asked(self, path: Path_) -> bool:
        """Whether a path asked for is `path` or below it."""
        n = len(path)
        return any(a[:n] == path for a in self.asked)

    def _related(self, path: Path_) -> bool:
        """Whether a path asked for is `path`, below it or above it."""
        return any(a[: len(path)] == path or path[: len(a)] == a for a in self.asked)

    def view(self, view: Any, data: Any, path: Path_) -> Any:
        from modsys.evaluation import Option

        if not isinstance(data, dict):
            return data
        children = config_level(view).children
        enable = children.get("enable")
        if isinstance(enable, Option) and data.get("enable") is False and not self._asked(path):
            return _SKIP if _default_of(enable) is False else {"enable": False}
        out: dict[str, Any] = {}
        for key, sub in data.items():
            child = children.get(key)
            kpath = (*path, key)
            if isinstance(child, Option):
                if (child.internal or is_computed(child)) and not self._related(kpath):
                    continue
                if _defaults_only(child):
                    continue
                r = self.value(view[key], sub, _default_of(child), kpath)
            elif child is None:  # a freeform value: set by a module
                r = sub
            else:
                r = self.view(view[key], sub, kpath)
            if r is not _SKIP:
                out[key] = r
        return out or _SKIP

    def value(self, node: Any, data: Any, default: Any, path: Path_) -> Any:
        from modsys.attrset import AttrSet

        if isinstance(data, Folded):
            return data
        node = force(node)
        if isinstance(data, dict) and isinstance(node, ConfigView):
            return self.view(node, data, path)
        if isinstance(data, dict) and isinstance(node, AttrSet) and node._meta is not None:
            if default is not _NONE and _same(default, data):
                return _SKIP
            known = default if isinstance(default, Mapping) else {}
            out: dict[str, Any] = {}
            for key, sub in data.items():
                try:
                    child = node[key]
                except Exception:
                    out[key] = sub
                    continue
                r = self.value(child, sub, known.get(key, _NONE), (*path, key))
                if r is _SKIP and key not in known:
                    r = {} if isinstance(sub, dict) else sub  # a new entry: its presence counts
                if r is not _SKIP:
                    out[key] = r
            return out or _SKIP
        if default is not _NONE and _same(default, data):
            return _SKIP
        return data


#: The priority of an option's `default` (`mk_option_default`, nixpkgs `lib.mkOptionDefault`).
OPTION_DEFAULT_PRIORITY = 1500


def _defaults_only(option: Any) -> bool:
    """Whether only defaults define the option: its `default`, or `mk_option_default`s (how a
    module gives defaults to the entries it creates)."""
    try:
        return bool(option.highest_prio >= OPTION_DEFAULT_PRIORITY)
    except Exception:
        return False


def _default_of(option: Any) -> Any:
    if not option.has_default:
        return _NONE
    try:
        return plain(option.default)
    except Exception:
        return _NONE


def _same(default: Any, data: Any) -> bool:
    if isinstance(data, Redacted):
        data = data.value
    return type(default) is type(data) and default == data


def select(
    config: Any,
    parts: Sequence[str],
    *,
    show_secrets: bool = False,
    hide: HiddenFields | None = None,
) -> Any:
    """The plain, redacted value at `parts` below `config` (`modsys eval -A`).

    Walks the path one step at a time so that a sensitive option or a field `hide` names met
    on the way still redacts what is below it. List elements are addressed by their index.
    """
    from modsys.errors import MissingAttributeError
    from modsys.show import show_option

    node: Any = config
    sensitive = option_sensitive = False
    derived: list[Any] | None = None  # the reads of a value computed from a secret on the way
    walked: list[Any] = []
    for part in parts:
        node = force(node)
        if isinstance(node, ConfigView):
            child = config_level(node).children.get(part)
            if isinstance(child, Option) and child.sensitive:
                sensitive = option_sensitive = True
            node = node[part]
            if isinstance(child, Option) and child._secret:
                derived = [*(derived or ()), *(child._deps or ())]
        elif isinstance(node, Mapping):
            if part not in node:
                raise MissingAttributeError(
                    f"attribute `{part}' missing in `{show_option(walked) or 'config'}'"
                    f" (it has: {', '.join(map(str, list(node)[:20])) or 'no attributes'})",
                    tuple(map(str, (*walked, part))),
                )
            if hide is not None and part in hide.names and hide.when(node, tuple(walked)):
                sensitive = True  # hidden like the dump hides it: keys kept, references shown
            holder = node
            node = node[part]
            if isinstance(holder, AttrSet) and holder.entry_secret(part):
                if holder._secret:
                    sensitive = option_sensitive = True
                derived = [*(derived or ()), *holder.entry_reads(part)]
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
    value = plain(node, show_secrets=show_secrets, path=tuple(walked), hide=hide)
    if derived is not None and not option_sensitive and not show_secrets and value is not None:
        value = mask_derived(value, derived)
    if sensitive and not show_secrets and value is not None:
        if option_sensitive or hide is None:
            return Redacted(value)
        return hide_value(value, hide.shown)
    return value


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


_MARKER = re.compile(r"<[-\w./ ]+>")


def _other(value: Any) -> str:
    """YAML text of what plain data cannot hold: the redaction marker, a folded subtree, or a
    description (a value's own `<...>` text is written unquoted, like the marker)."""
    if isinstance(value, Redacted):
        return REDACTED_TEXT
    if isinstance(value, Folded):
        return str(value)
    text = describe_other(value)
    if has_own_text(value) and _MARKER.fullmatch(text):
        return text
    return _yamlemit.scalar(text)


def has_own_text(value: Any) -> bool:
    """Whether `value` is a record that defines its own `str()` (a product's reference such as
    `<from env DB_PASSWORD>`), which output then shows instead of a type name."""
    cls = type(value)
    return (
        cls.__str__ is not object.__str__
        and not isinstance(value, (str, int, float, bool, bytes, BaseException, PurePath))
        and not callable(value)
    )


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
    if has_own_text(value):
        return str(value)
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
        if isinstance(value, Folded):
            return str(value)
        return describe_other(value)

    return json.dumps(data, indent=indent, ensure_ascii=False, default=default)


__all__ = [
    "REDACTED_TEXT",
    "FoldRule",
    "Folded",
    "HiddenFields",
    "Redacted",
    "changed_only",
    "fold",
    "has_own_text",
    "hide_value",
    "is_computed",
    "note_for",
    "paths_tree",
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
