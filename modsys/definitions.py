"""Definitions: splitting each module's `config` along the option tree (nixpkgs' "push down").

`push_down` splits `mk_merge` and pushes `mk_if`/`mk_override` on attribute sets down to each
attribute; a `Level` (one namespace level of an evaluation) splits its definitions by attribute
name only when something reads below it, and hands each declared option its definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from modsys import deps as _deps
from modsys.decltree import DeclLeaf, DeclNode
from modsys.deps import FRAMES, stored
from modsys.errors import InfiniteRecursionError, InvalidModuleError, ModsysError
from modsys.internal import INTERNAL_FILE
from modsys.lazy import force
from modsys.merge import _STACK, Def, recursion_error, wrap_user_error
from modsys.properties import If, Merge, Override
from modsys.show import show_option

if TYPE_CHECKING:
    from modsys.evaluation import Evaluation
    from modsys.option import Option


def push_down(value: Any) -> list[Any]:
    """Split `mk_merge` and push `mk_if`/`mk_override` on attribute sets down to each attribute."""
    value = force(value)
    tv = type(value)
    if tv is dict:
        return [value]
    if tv is Merge:
        return [x for c in value.contents for x in push_down(c)]
    if tv is If or tv is Override:
        content = force(value.content)
        if isinstance(content, Mapping) or type(content) in (Merge, If, Override):
            pieces = push_down(content)
            if all(isinstance(p, Mapping) for p in pieces):
                if tv is If:
                    return [{k: If(value.condition, v) for k, v in p.items()} for p in pieces]
                return [{k: Override(value.priority, v) for k, v in p.items()} for p in pieces]
        return [value]
    return [value]


def push_def(d: Def) -> list[Def]:
    """`push_down` of one definition; what computing it read (a thunk that returns the
    attribute set) is recorded on the pieces (`Def.deps`), not on whoever caused the split."""
    v = d.value
    if type(v) is dict:
        return [d]
    if not _deps.ENABLED:
        return [d if x is v else Def(d.file, x, d.line, d.lines, d.deps) for x in push_down(v)]
    frame: list[Any] = []
    FRAMES.append(frame)
    try:
        pieces = push_down(v)
    finally:
        FRAMES.pop()
    deps = d.deps + stored(frame) if frame else d.deps
    return [
        d if x is v and deps is d.deps else Def(d.file, x, d.line, d.lines, deps) for x in pieces
    ]


def _value_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if value is None:
        return "null"
    if isinstance(value, (If, Override)):
        try:
            return _value_type_name(force(value.content))
        except Exception:
            return type(value).__name__
    return type(value).__name__


class Level:
    """One namespace level of an evaluation: its declared children and its definitions."""

    __slots__ = ("_building", "_children", "_raw_unmatched", "decl", "defs", "ev", "loc")

    def __init__(self, ev: Evaluation, loc: tuple[str, ...], decl: DeclNode, defs: list[Def]):
        self.ev = ev
        self.loc = loc
        self.decl = decl
        self.defs = defs
        self._children: dict[str, Option | Level] | None = None
        self._raw_unmatched: dict[str, list[Def]] = {}
        self._building: tuple[str, ...] | None = None

    def _split(self) -> dict[str, list[Def]]:
        raw: dict[str, list[Def]] = {}
        for d in self.defs:
            v = d.value
            if not isinstance(v, Mapping):
                raise InvalidModuleError(
                    f"In module `{d.file}', you're trying to define a value of type "
                    f"`{_value_type_name(v)}'\nrather than an attribute set for the option\n"
                    f"`{show_option(self.loc)}'!\n\nThis usually happens if "
                    f"`{show_option(self.loc)}' has option\ndefinitions inside that are not "
                    f"matched. Please check how to properly define\nthis option.",
                    self.loc,
                    [d.location],
                )
            lines = d.lines
            items = v.items()
            for k, x in items:
                bucket = raw.get(k)
                if bucket is None:
                    raw[k] = bucket = []
                if lines is None:
                    bucket.append(Def(d.file, x, None, None, d.deps))
                else:
                    bucket.append(Def(d.file, x, lines.line(k), lines.child(k), d.deps))
        return raw

    @property
    def children(self) -> dict[str, Option | Level]:
        ch = self._children
        if ch is None:
            ch = self._build()
        return ch

    def _build(self) -> dict[str, Option | Level]:
        building = self._building
        if building is not None:
            # a namespace-level thunk read its own namespace while it was being split
            raise recursion_error(building)
        self._building = self.loc
        try:
            return self._build_children()
        finally:
            self._building = None

    def _push_down(self, name: str, defs: list[Def]) -> list[Def]:
        """A namespace's definitions, thunks forced and properties pushed down; a thunk that
        raises is an error naming the namespace and the file."""
        loc = (*self.loc, name)
        self._building = loc
        _STACK.append(loc)
        out: list[Def] = []
        try:
            for d in defs:
                try:
                    pieces = push_def(d)
                except InfiniteRecursionError as err:
                    err.add_definitions(loc, [d.location])
                    raise
                except ModsysError:
                    raise
                except Exception as exc:
                    wrapped = wrap_user_error(exc, loc, f"(defined in `{d.location}')")
                    wrapped.locations = (*wrapped.locations, d.location)
                    raise wrapped from exc
                out.extend(pieces)
        finally:
            _STACK.pop()
            self._building = self.loc
        return out

    def _build_children(self) -> dict[str, Option | Level]:
        raw = self._split()
        children: dict[str, Option | Level] = {}
        decl = self.decl
        ev = self.ev
        for name in list(decl.entries):
            node = decl.child(name)
            defs = raw.get(name)
            if defs is None:
                defs = []
            if type(node) is DeclLeaf:
                opt = ev.option_for(node)
                opt._raw_defs = defs
                children[name] = opt
            else:
                assert isinstance(node, DeclNode)
                pushed = self._push_down(name, defs) if defs else defs
                children[name] = Level(ev, (*self.loc, name), node, pushed)
        if raw.keys() <= children.keys():
            self._raw_unmatched = {}
        else:
            self._raw_unmatched = {k: v for k, v in raw.items() if k not in children}
        self._children = children
        return children

    def child(self, name: str) -> Option | Level | None:
        return self.children.get(name)

    def unmatched(self) -> list[tuple[Def, tuple[str, ...]]]:
        """Definitions below this level that no option claims, with their relative path."""
        children = self.children
        out: list[tuple[Def, tuple[str, ...]]] = []
        if not self._raw_unmatched and not any(
            isinstance(c, Level) and not c._only_internal_defs() for c in children.values()
        ):
            return out  # the common case: everything here is declared
        names = sorted(set(children) | set(self._raw_unmatched))
        for name in names:
            for d in self._raw_unmatched.get(name, ()):
                out.append((d, (name,)))
            c = children.get(name)
            if isinstance(c, Level) and not c._only_internal_defs():
                out.extend((d, (name, *p)) for d, p in c.unmatched())
        return out

    def _only_internal_defs(self) -> bool:
        """No definitions, or (not yet split) only the engine's own, which are all declared:
        nothing below can be unmatched, so the level need not be built to find out."""
        return not self.defs or (
            self._children is None and all(d.file == INTERNAL_FILE for d in self.defs)
        )
