"""Provenance: for one option, every definition, where it came from, and why it won or lost.

`Evaluation.explain(path)` re-walks the option's raw definitions with the same rules as the
merge (`mk_if`, `mk_merge`, priorities, order) but records each step instead of discarding it.
Paths may go through submodules and `attrs_of` entries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from modsys.attrset import AttrSet
from modsys.definitions import Level
from modsys.errors import Location, MissingAttributeError, ModsysError
from modsys.lazy import force
from modsys.merge import NOTHING, Def, resolve
from modsys.option import Option
from modsys.properties import (
    DEFAULT_ORDER_PRIORITY,
    DEFAULT_OVERRIDE_PRIORITY,
    Definition,
    If,
    Merge,
    Order,
    Override,
    mk_option_default,
)
from modsys.show import did_you_mean, show_option
from modsys.views import ConfigView

if TYPE_CHECKING:
    from modsys.evaluation import Evaluation


@attrs.frozen(slots=True)
class DefinitionRecord:
    """One definition of an option as the merge saw it."""

    file: str
    line: int | None
    value: Any
    priority: int
    order: int
    conditions: tuple[bool, ...]
    status: str  # "won", "overridden", "condition false", "error"
    is_default: bool = False
    detail: str = ""

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


@attrs.frozen(slots=True)
class Read:
    """An option a value was computed from: its value, the definitions that won (file, line,
    priority) and, recursively, what it was computed from in turn."""

    path: tuple[str, ...]
    value: Any
    priority: int
    definitions: tuple[Location, ...]
    is_default: bool
    secret: bool
    reads: tuple[Read, ...] = ()
    more: int = 0  # reads left out below the depth limit


#: how deep `explain` follows reads
READ_DEPTH = 4


def reads_of(record: Any, depth: int = READ_DEPTH) -> tuple[Read, ...]:
    """`Read`s for a dependency record (`modsys.deps`): the options, the most specific first
    (an option read on the way to one inside it is left out)."""
    opts = [o for o in record if isinstance(o, Option)]
    locs = {o.loc for o in opts}
    out: list[Read] = []
    for o in opts:
        n = len(o.loc)
        if any(len(other) > n and other[:n] == o.loc for other in locs):
            continue  # a container read on the way to one of its options
        try:
            r = o._final()
            value = o.value
        except ModsysError:
            continue
        decl = o.decl
        is_default = r.highest_prio >= 1500 and decl.default is not NOTHING
        where = tuple(d.location for d in r.defs) or (tuple(decl.positions[:1]) if is_default else ())
        sub = o._deps or ()
        out.append(
            Read(
                o.loc,
                value,
                r.highest_prio,
                where,
                is_default,
                o._secret,
                reads_of(sub, depth - 1) if depth > 1 else (),
                0 if depth > 1 else len(sub),
            )
        )
    return tuple(out)


@attrs.frozen(slots=True)
class Explanation:
    """Everything `modsys why` prints about one option."""

    path: tuple[str, ...]
    type: str
    description: str | None
    declarations: tuple[Location, ...]
    definitions: tuple[DefinitionRecord, ...]
    highest_prio: int
    is_defined: bool
    value: Any
    error: str | None
    sensitive: bool = False
    #: the options the value was computed from, each with where it came from (`Read`)
    reads: tuple[Read, ...] = ()
    #: the value is secret: sensitive, inside a sensitive option, or computed from a secret
    secret: bool = False

    @property
    def winners(self) -> list[DefinitionRecord]:
        return [d for d in self.definitions if d.status == "won"]


@attrs.frozen(slots=True)
class Target:
    """What a path names: the type, the raw definitions, and how to get the value."""

    loc: tuple[str, ...]
    type: Any
    defs: list[Def]
    declarations: tuple[Location, ...]
    description: str | None
    value_getter: Any
    sensitive: bool = False
    has_default: bool = False
    #: (after `value_getter`) the dependency record and whether the value is secret
    reads_getter: Any = None


_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|([^.]+)')


def parse_path(path: str | Sequence[str]) -> tuple[str, ...]:
    """`a.b."c.d"` or a list of strings -> a tuple of path parts."""
    if not isinstance(path, str):
        return tuple(str(p) for p in path)
    parts = []
    for m in _PART.finditer(path):
        quoted, plain = m.groups()
        parts.append(quoted.replace('\\"', '"') if quoted is not None else plain)
    return tuple(parts)


def find_target(ev: Evaluation, path: str | Sequence[str]) -> Target:
    parts = parse_path(path)
    node: Any = ev.root
    loc: tuple[str, ...] = ev.prefix
    # the last option or attrs-of entry passed: a path that goes on into plain data below it
    # is answered from its winning definitions
    owner: tuple[tuple[str, ...], Any] | None = None
    # whether a value passed on the way is secret, and the reads of the last one passed
    secret = False
    sensitive = False  # inside a value declared sensitive (not only computed from one)
    reads: Any = ()
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(node, Level):
            child = node.child(part)
            if child is None:
                raise MissingAttributeError(
                    f"The option `{show_option((*loc, part))}' does not exist"
                    + did_you_mean(loc, part, list(node.children)),
                    (*loc, part),
                )
            node, loc, i = child, (*loc, part), i + 1
            continue
        if isinstance(node, Option):
            owner = (loc, node._final)
            opt = node
            node = node.value
            secret = secret or opt._secret
            sensitive = sensitive or opt.sensitive
            reads = opt._deps or ()
            continue
        value = force(node)
        if isinstance(value, ConfigView):
            node = value._lvl()
            continue
        if isinstance(value, AttrSet) and value._meta is not None and part in value:
            meta = value._meta
            if i == len(parts) - 1:
                return Target(
                    (*loc, part),
                    meta.elem,
                    meta.per_key.get(part, []),
                    (),
                    None,
                    lambda v=value, p=part: v[p],
                    sensitive or value._secret,
                    False,
                    lambda v=value, p=part, s=secret, r=reads: (
                        v.entry_reads(p) or r,
                        s or v.entry_secret(p),
                    ),
                )
            key_loc, key_defs = (*loc, part), meta.per_key.get(part, [])
            owner = (key_loc, lambda kl=key_loc, kd=key_defs: resolve(kl, kd))
            node, loc, i = value[part], key_loc, i + 1
            secret = secret or value.entry_secret(part)
            sensitive = sensitive or value._secret
            # the entry's own reads, or (computed with its set) those of the set's option
            reads = value.entry_reads(part) or reads
            continue
        if owner is not None and (
            (isinstance(value, Mapping) and part in value)
            or (isinstance(value, (list, tuple)) and part.isdigit())
        ):
            return attrs.evolve(
                _plain_part(owner, (*loc, *parts[i:])),
                sensitive=sensitive,
                reads_getter=lambda r=reads, s=secret: (r, s),
            )
        if isinstance(value, Mapping) and part in value:
            node, loc, i = value[part], (*loc, part), i + 1
            if i == len(parts):
                raise MissingAttributeError(
                    f"`{show_option(loc)}' is part of a value, not an option; explain "
                    f"`{show_option(loc[:-1])}' instead",
                    loc,
                )
            continue
        raise MissingAttributeError(
            f"The option `{show_option((*loc, part))}' does not exist", (*loc, part)
        )
    if isinstance(node, Option):
        decl = node.decl
        opt = node
        return Target(
            loc,
            decl.type,
            node.all_defs(),
            tuple(decl.positions),
            node.description,
            lambda: opt.value,
            sensitive or node.sensitive,
            node.has_default,
            lambda: (opt._deps or (), secret or opt._secret),
        )
    raise MissingAttributeError(
        f"`{show_option(loc)}' is a namespace of options, not an option", loc
    )


@attrs.frozen(slots=True)
class _PartOf:
    """The "type" of a path inside a plain value: what `explain` prints in its place."""

    description: str


def _plain_part(owner: tuple[tuple[str, ...], Any], loc: tuple[str, ...]) -> Target:
    """A path inside the plain-data value of an option (or attrs-of entry): each winning
    definition that sets it, with the line of the key when the file's lines are known."""
    owner_loc, final = owner
    rel = loc[len(owner_loc) :]
    defs: list[Def] = []
    found: Any = NOTHING
    winners = final().defs
    for d in winners:
        sub: Any = d.value
        keys: list[Any] = []  # as the line tables spell them: list positions are ints
        for key in rel:
            sub = force(sub)
            if isinstance(sub, Mapping) and key in sub:
                sub = sub[key]
                keys.append(key)
            elif isinstance(sub, (list, tuple)) and key.isdigit():
                if len(winners) > 1:  # merged lists concatenate: positions are not per definition
                    raise MissingAttributeError(
                        f"`{show_option(loc)}' is a position in a list that several definitions "
                        f"build together; explain `{show_option(owner_loc)}' instead",
                        loc,
                    )
                if int(key) >= len(sub):
                    sub = NOTHING
                    break
                sub = sub[int(key)]
                keys.append(int(key))
            else:
                sub = NOTHING
                break
        if sub is not NOTHING:
            sub = force(sub)
            defs.append(Def(d.file, sub, d.lines.line(*keys) if d.lines else d.line))
            found = sub
    if not defs:
        raise MissingAttributeError(f"`{show_option(loc)}' is not set", loc)
    return Target(
        loc,
        _PartOf(f"part of the value of `{show_option(owner_loc)}'"),
        defs,
        (),
        None,
        lambda: found,
    )


def find_option(ev: Evaluation, path: str | Sequence[str]) -> Any:
    parts = parse_path(path)
    node: Any = ev.root
    for p in parts:
        if not isinstance(node, Level):
            break
        node = node.child(p)
    if isinstance(node, Option):
        return node
    raise MissingAttributeError(f"no option at `{show_option(parts)}'", parts)


def _leaves(value: Any, conds: tuple[bool, ...], file: str, line: int | None, out: list) -> None:
    value = force(value)
    t = type(value)
    if t is Merge:
        for c in value.contents:
            _leaves(c, conds, file, line, out)
    elif t is If:
        cond = force(value.condition)
        ok = cond is True
        if ok:
            _leaves(value.content, (*conds, True), file, line, out)
        else:
            out.append((file, line, value.content, (*conds, False), None))
    elif t is Definition:
        out.append((value.file, value.line, force(value.value), conds, True))
    else:
        out.append((file, line, value, conds, True))


def explain(ev: Evaluation, path: str | Sequence[str]) -> Explanation:
    target = find_target(ev, path)
    leaves: list[tuple[str, int | None, Any, tuple[bool, ...], bool | None, bool]] = []
    for i, d in enumerate(target.defs):
        is_default = target.has_default and i == 0
        tmp: list = []
        try:
            _leaves(d.value, (), d.file, d.line, tmp)
        except ModsysError:
            raise
        except Exception as exc:
            tmp.append((d.file, d.line, f"<error: {exc}>", (), None))
        leaves.extend((*x, is_default) for x in tmp)
    prios = []
    for _file, _line, v, _conds, active, _dflt in leaves:
        if active:
            prios.append(v.priority if type(v) is Override else DEFAULT_OVERRIDE_PRIORITY)
    best = min(prios, default=9999)
    records = []
    for file, line, v, conds, active, dflt in leaves:
        prio = v.priority if type(v) is Override else DEFAULT_OVERRIDE_PRIORITY
        inner = force(v.content) if type(v) is Override else v
        order = inner.priority if type(inner) is Order else DEFAULT_ORDER_PRIORITY
        shown = force(inner.content) if type(inner) is Order else inner
        if not active:
            status, detail = "condition false", "an mk_if condition was false"
        elif prio == best:
            status, detail = "won", ""
        else:
            status = "overridden"
            detail = f"priority {prio} loses to {best} (lower number wins)"
        records.append(
            DefinitionRecord(
                file, line, shown, prio, order, conds, status, dflt and prio == 1500, detail
            )
        )
    error = None
    value: Any = NOTHING
    try:
        value = target.value_getter()
    except ModsysError as exc:
        error = str(exc)
    record: Any = ()
    secret = bool(target.sensitive)
    if target.reads_getter is not None:
        record, derived = target.reads_getter()
        secret = secret or derived
    winners = [r for r in records if r.status == "won"]
    return Explanation(
        target.loc,
        target.type.description,
        target.description if isinstance(target.description, str) else None,
        target.declarations,
        tuple(records),
        best,
        bool(winners),
        value,
        error,
        target.sensitive,
        reads_of(record),
        secret,
    )


_unused = (mk_option_default,)
