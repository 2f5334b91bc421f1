"""`Option`: one declared option in one evaluation, its definitions and its value.

The definitions are resolved (`mk_if`, `mk_override`, `mk_merge`, priorities) and merged by the
option's type only when the value is first read, under the recursion guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsys import types as t
from modsys.errors import (
    InfiniteRecursionError,
    Location,
    ModsysError,
    ReadOnlyOptionError,
    UndefinedOptionError,
)
from modsys.gcpolicy import pause as pause_gc
from modsys.gcpolicy import resume as resume_gc
from modsys.lazy import LazyArg
from modsys.merge import (
    _STACK,
    NOTHING,
    Def,
    Resolved,
    check_and_merge,
    recursion_error,
    resolve,
    wrap_user_error,
)
from modsys.options import MergedDecl
from modsys.plain import PLAIN_TYPES
from modsys.properties import DEFAULT_OVERRIDE_PRIORITY, mk_option_default
from modsys.show import REDACTING, show_defs, show_option

if TYPE_CHECKING:
    from modsys.decltree import DeclLeaf
    from modsys.evaluation import Evaluation


class Option:
    """A declared option in one evaluation: its declarations, definitions and value."""

    __slots__ = ("_busy", "_leaf", "_raw_defs", "_resolved", "_resolving", "_value", "ev", "loc")

    def __init__(
        self, ev: Evaluation, loc: tuple[str, ...], leaf: DeclLeaf, defs: list[Def] | None
    ):
        self.ev = ev
        self.loc = loc
        self._leaf = leaf
        self._raw_defs = defs
        self._resolved: Resolved | None = None
        self._value: Any = NOTHING
        self._busy = False
        self._resolving = False

    @property
    def raw_defs(self) -> list[Def]:
        """The definitions as written; splitting them may build the namespace levels above."""
        defs = self._raw_defs
        if defs is None:
            self.ev.level_at(self.loc[len(self.ev.prefix) : -1]).children  # noqa: B018 - fills it
            defs = self._raw_defs
            assert defs is not None
        return defs

    # declaration fields
    @property
    def decl(self) -> MergedDecl:
        return self._leaf.merged

    @property
    def type(self) -> t.Type:
        return self.decl.type

    @property
    def description(self) -> Any:
        d = self.decl.description
        return None if d is NOTHING else d

    @property
    def default(self) -> Any:
        return self.decl.default

    @property
    def has_default(self) -> bool:
        return self.decl.default is not NOTHING

    @property
    def default_text(self) -> Any:
        return self.decl.default_text

    @property
    def example(self) -> Any:
        return self.decl.example

    @property
    def read_only(self) -> bool:
        return self.decl.read_only

    @property
    def visible(self) -> Any:
        return self.decl.visible

    @property
    def internal(self) -> bool:
        return self.decl.internal

    @property
    def sensitive(self) -> bool:
        return self.decl.sensitive

    @property
    def declarations(self) -> list[str]:
        return list(self.decl.declarations)

    @property
    def declaration_positions(self) -> list[Location]:
        return list(self.decl.positions)

    # definitions
    def all_defs(self) -> list[Def]:
        """The raw definitions, preceded by the default (as an `mk_option_default`)."""
        decl = self.decl
        if decl.default is NOTHING:
            return self.raw_defs
        pos = decl.positions[0]
        return [Def(pos.file, mk_option_default(decl.default), pos.line), *self.raw_defs]

    def resolved(self) -> Resolved:
        r = self._resolved
        if r is None:
            decl = self.decl
            raw = self.raw_defs
            if raw and not decl.read_only:
                # fast path: definitions written as plain data all have the default priority,
                # so the default (priority 1500) drops out and they are the result as they are
                for d in raw:
                    if type(d.value) not in PLAIN_TYPES:
                        break
                else:
                    r = self._resolved = Resolved(raw, DEFAULT_OVERRIDE_PRIORITY)
                    return r
            defs = self.all_defs()
            if decl.read_only and len(defs) > 1:
                raise ReadOnlyOptionError(
                    f"The option `{show_option(self.loc)}' is read-only, but it's set multiple "
                    f"times. Definition values:{show_defs(defs, force_thunks=True)}",
                    self.loc,
                    [d.location for d in defs],
                )
            r = self._resolved = resolve(self.loc, defs)
        return r

    def _final(self) -> Resolved:
        r = self._resolved
        if r is None:
            if self._resolving:
                raise recursion_error(self.loc)
            self._resolving = True
            _STACK.append(self.loc)
            try:
                r = self.resolved()
            except ModsysError:
                raise
            except Exception as exc:
                raise wrap_user_error(exc, self.loc) from exc
            finally:
                _STACK.pop()
                self._resolving = False
        return r

    @property
    def is_defined(self) -> bool:
        return bool(self._final().defs)

    @property
    def highest_prio(self) -> int:
        return self._final().highest_prio

    @property
    def definitions(self) -> list[Any]:
        return [d.value for d in self._final().defs]

    @property
    def definitions_with_locations(self) -> list[Def]:
        return list(self._final().defs)

    @property
    def files(self) -> list[str]:
        return [d.file for d in self._final().defs]

    @property
    def value(self) -> Any:
        v = self._value
        if v is NOTHING:
            v = self._compute()
        return v

    def _guarded(self, decl: MergedDecl) -> Any:
        """The merged (and applied) value, computed with the recursion guard."""
        if self._busy:
            raise recursion_error(self.loc)
        self._busy = True
        # The outermost read pauses the cyclic garbage collector: evaluation allocates many
        # small long-lived objects, and full collections during it made time grow with N².
        pause = not _STACK and pause_gc()
        loc = self.loc
        _STACK.append(loc)
        try:
            r = self._final()
            apply = decl.apply
            try:
                value = check_and_merge(loc, decl.type, r.defs)
            except UndefinedOptionError as err:
                if apply is None:
                    raise
                value = _raises(err)  # `apply` may never look at the value, as in Nix
            if apply is not None:
                value = apply(value)
            return value
        except InfiniteRecursionError as err:
            err.add_definitions(loc, [d.location for d in self._raw_defs or ()])
            raise
        except ModsysError:
            raise
        except Exception as exc:
            raise wrap_user_error(exc, loc) from exc
        finally:
            _STACK.pop()
            self._busy = False
            if pause:
                resume_gc()

    def _compute(self) -> Any:
        decl = self.decl
        if decl.sensitive:
            REDACTING.append(self)
            try:
                v = self._guarded(decl)
            finally:
                REDACTING.pop()
        else:
            v = self._guarded(decl)
        self._value = v
        return v

    def __repr__(self) -> str:
        return f"<option {show_option(self.loc)}>"

    def __str__(self) -> str:
        return show_option(self.loc)


def _raises(err: Exception) -> LazyArg:
    def fail() -> Any:
        raise err

    return LazyArg("value", fail)
