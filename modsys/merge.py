"""Merging the definitions of one option: discharge `mk_if`/`mk_merge`, keep the highest
priority, sort by `mk_order`, type-check, then let the type combine the values.

This is nixpkgs' `mergeDefinitions`; every nested merge (list elements, attribute-set keys,
submodule options) goes through `merge_definitions` again with a longer `loc`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from modsys.deps import in_secret_computation
from modsys.errors import (
    ConflictingDefinitionsError,
    EvaluationError,
    InfiniteRecursionError,
    Location,
    ModsysError,
    TypeMismatchError,
    UndefinedOptionError,
)
from modsys.lazy import force, force_deep
from modsys.properties import (
    DEFAULT_ORDER_PRIORITY,
    DEFAULT_OVERRIDE_PRIORITY,
    Definition,
    If,
    Merge,
    Order,
    Override,
)
from modsys.show import show_defs, show_option

if TYPE_CHECKING:
    from modsys.types import Type


class _Nothing:
    """The absence of a value, where `None` is a legal value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOTHING"

    def __bool__(self) -> bool:
        return False


NOTHING: Any = _Nothing()


@attrs.define(slots=True)
class LineInfo:
    """Where the keys below one definition sit in their file (from YAML, or a .py file's AST)."""

    table: Mapping[tuple, int]
    base: tuple = ()

    def line(self, *rel: Any) -> int | None:
        return self.table.get(self.base + rel)

    def child(self, key: Any) -> LineInfo:
        return LineInfo(self.table, (*self.base, key))


@attrs.define(slots=True)
class Def:
    """One definition: a value, and the file (and line) it came from."""

    file: str
    value: Any
    line: int | None = None
    lines: LineInfo | None = None
    #: the options read while computing this definition from its module's `config` (a thunk
    #: that returned the attribute set holding it; `modsys.deps`)
    deps: tuple[Any, ...] = ()

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


@attrs.define(slots=True)
class Resolved:
    """The definitions left after discharging, filtering by priority and sorting."""

    defs: list[Def]
    highest_prio: int


# --- the evaluation stack: for "infinite recursion" chains -------------------------------------

_STACK: list[tuple[str, ...]] = []


def recursion_error(loc: Sequence[str]) -> InfiniteRecursionError:
    loc = tuple(loc)
    chain: list[tuple[str, ...]] = []
    for i, entry in enumerate(_STACK):
        if entry == loc:
            chain = [*_STACK[i:], loc]
            break
    if not chain:
        chain = [loc, loc]
    # an option is on the stack once for its definitions and once for its value: show it once
    chain = [p for i, p in enumerate(chain) if i == 0 or p != chain[i - 1]]
    if len(chain) == 1:
        chain = [loc, loc]
    shown = "\n".join(f"  {'→ ' if i else ''}{show_option(p)}" for i, p in enumerate(chain))
    msg = (
        f"infinite recursion encountered while evaluating the option `{show_option(loc)}'. "
        f"Its value depends on itself through:\n{shown}"
    )
    return InfiniteRecursionError(msg, loc, chain)


def wrap_user_error(exc: BaseException, loc: Sequence[str], what: str = "") -> ModsysError:
    """Turn an exception from user code into an error naming the option being evaluated."""
    if isinstance(exc, RecursionError):
        return InfiniteRecursionError(
            f"infinite recursion encountered (Python's recursion limit was reached) while "
            f"evaluating the option `{show_option(loc)}'",
            loc,
            [tuple(p) for p in _STACK[-8:]],
        )
    if in_secret_computation():
        # the message of an exception raised while computing a secret may hold the value:
        # neither this message nor a traceback (`--show-trace`) shows it
        with contextlib.suppress(Exception):
            exc.args = ("<redacted>",)
        detail = f"{type(exc).__name__}: <redacted> (the value is secret; --show-secrets shows it)"
    else:
        detail = f"{type(exc).__name__}: {exc}"
    where = f" {what}" if what else ""
    return EvaluationError(
        f"while evaluating the option `{show_option(loc)}'{where}:\n{detail}", loc
    )


# --- properties ---------------------------------------------------------------------------------


def _discharge_into(out: list[Def], d: Def, value: Any, loc: Sequence[str]) -> None:
    value = force(value)
    t = type(value)
    if t is Merge:
        for item in value.contents:
            _discharge_into(out, d, item, loc)
    elif t is If:
        cond = force(value.condition)
        if cond is True:
            _discharge_into(out, d, value.content, loc)
        elif cond is not False:
            raise TypeMismatchError(
                f"‘mkIf’ called with a non-Boolean condition (at option `{show_option(loc)}', "
                f"in `{d.file}'; got {type(cond).__name__})",
                loc,
                [d.location],
            )
    elif t is Definition:
        out.append(Def(value.file, force(value.value), value.line, None))
    elif value is d.value:
        out.append(d)
    else:
        out.append(Def(d.file, value, d.line, d.lines, d.deps))


def discharge(loc: Sequence[str], defs: Sequence[Def]) -> list[Def]:
    out: list[Def] = []
    for d in defs:
        try:
            _discharge_into(out, d, d.value, loc)
        except ModsysError:
            raise
        except Exception as exc:
            raise wrap_user_error(exc, loc, f"(definition in `{d.file}')") from exc
    return out


def resolve(loc: Sequence[str], defs: Sequence[Def]) -> Resolved:
    """Discharge, keep the highest priority, and sort by order: the final definitions."""
    if len(defs) == 1:  # fast path: one plain definition
        d = defs[0]
        v = force(d.value)
        t = type(v)
        if t not in (If, Merge, Override, Order, Definition):
            if v is not d.value:
                return Resolved(
                    [Def(d.file, v, d.line, d.lines, d.deps)], DEFAULT_OVERRIDE_PRIORITY
                )
            # the input list is the result: share it (definition lists are never mutated)
            return Resolved(defs if type(defs) is list else [d], DEFAULT_OVERRIDE_PRIORITY)
    discharged = discharge(loc, defs)
    best = 9999
    for d in discharged:
        v = d.value
        p = v.priority if type(v) is Override else DEFAULT_OVERRIDE_PRIORITY
        if p < best:
            best = p
    kept: list[Def] = []
    has_order = False
    same = True  # `kept` holds exactly `discharged`
    for d in discharged:
        v = d.value
        if type(v) is Override:
            same = False
            if v.priority != best:
                continue
            content = force(v.content)
            d = Def(d.file, content, d.line, d.lines, d.deps)
        elif best != DEFAULT_OVERRIDE_PRIORITY:
            same = False
            continue
        if type(d.value) is Order:
            has_order = True
        kept.append(d)
    if same:
        kept = discharged  # one list fewer to keep alive
    if has_order:
        kept.sort(key=_order_of)
        kept = [
            Def(d.file, force(d.value.content), d.line, d.lines, d.deps)
            if type(d.value) is Order
            else d
            for d in kept
        ]
    return Resolved(kept, best)


def _order_of(d: Def) -> int:
    v = d.value
    return v.priority if type(v) is Order else DEFAULT_ORDER_PRIORITY


def check_and_merge(loc: Sequence[str], type_: Type, defs: list[Def]) -> Any:
    """Type-check the final definitions and merge them (or give the empty value)."""
    if not defs:
        empty = type_.empty_value(loc)
        if empty is NOTHING:
            raise UndefinedOptionError(
                f"The option `{show_option(loc)}' was accessed but has no value defined. "
                f"Try setting the option.",
                loc,
            )
        return empty
    if type_.v2:
        err = type_.head_error(loc, defs)
        if err is not None:
            raise TypeMismatchError(
                f"A definition for option `{show_option(loc)}' is not of type "
                f"`{type_.description}'. TypeError: {err}",
                loc,
                [d.location for d in defs],
            )
    else:
        check = type_.check
        for d in defs:
            if not check(d.value):
                break
        else:
            return type_.merge(loc, defs)
        bad = [d for d in defs if not check(d.value)]
        if bad:
            raise TypeMismatchError(
                f"A definition for option `{show_option(loc)}' is not of type "
                f"`{type_.description}'. Definition values:{show_defs(bad)}",
                loc,
                [d.location for d in bad],
            )
    return type_.merge(loc, defs)


def merge_definitions(loc: Sequence[str], type_: Type, defs: Sequence[Def]) -> tuple[Resolved, Any]:
    """Resolve and merge; the value is NOTHING when undefined and the type has no empty value."""
    r = resolve(loc, defs)
    if not r.defs:
        return r, type_.empty_value(loc)
    return r, check_and_merge(loc, type_, r.defs)


# --- merge helpers shared by the types -----------------------------------------------------------


def deep_equal(a: Any, b: Any) -> bool:
    a = force_deep(a)
    b = force_deep(b)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return set(a) == set(b) and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is not type(b) and (isinstance(a, bool) or isinstance(b, bool)):
        return False
    return bool(a == b)


def merge_equal(loc: Sequence[str], defs: Sequence[Def]) -> Any:
    """One value, or several that are all equal (nixpkgs' `mergeEqualOption`)."""
    first = defs[0]
    for d in defs[1:]:
        if not deep_equal(first.value, d.value):
            raise ConflictingDefinitionsError(
                f"The option `{show_option(loc)}' has conflicting definition values:"
                f"{show_defs([first, d])}\nUse `lib.mkForce value` or `lib.mkDefault value` to "
                f"change the priority on any of these definitions.",
                loc,
                [first.location, d.location],
            )
    return first.value


def merge_unique(loc: Sequence[str], defs: Sequence[Def], message: str = "") -> Any:
    """Exactly one definition (nixpkgs' `mergeUniqueOption`), even if values are equal."""
    if len(defs) == 1:
        return defs[0].value
    raise ConflictingDefinitionsError(
        f"The option `{show_option(loc)}' is defined multiple times while it's expected to be "
        f"unique.\n{message}\nDefinition values:{show_defs(defs)}\nUse `lib.mkForce value` or "
        f"`lib.mkDefault value` to change the priority on any of these definitions.",
        loc,
        [d.location for d in defs],
    )
