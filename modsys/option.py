"""`Option`: one declared option in one evaluation, its definitions and its value.

The definitions are resolved (`mk_if`, `mk_override`, `mk_merge`, priorities) and merged by the
option's type only when the value is first read, under the recursion guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsys import deps as _deps
from modsys import types as t
from modsys.deps import FRAMES, REDACTING, any_secret, remember, stored
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
from modsys.show import show_defs, show_option

if TYPE_CHECKING:
    from modsys.decltree import DeclLeaf
    from modsys.evaluation import Evaluation


class Option:
    """A declared option in one evaluation: its declarations, definitions and value."""

    __slots__ = (
        "_busy",
        "_deps",
        "_leaf",
        "_raw_defs",
        "_resolved",
        "_resolving",
        "_secret",
        "_value",
        "ev",
        "loc",
    )

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
        #: the options read while computing the value (`modsys.deps`), once it is computed
        self._deps: tuple[Option, ...] | None = None
        #: the value is secret: sensitive, inside a sensitive option, or computed from a secret
        self._secret = False

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
        """Declared `sensitive`, or inside a sensitive option (an option of a submodule that is
        the value of one)."""
        return self.decl.sensitive or self.ev._secret_scope

    @property
    def reads(self) -> tuple[Option, ...]:
        """The options read while computing the value (computing it if needed)."""
        self.value  # noqa: B018 - computes the record
        return self._deps or ()

    @property
    def secret(self) -> bool:
        """Whether the value is secret (computing it if needed): see `modsys.deps`."""
        self.value  # noqa: B018
        return self._secret

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
            frame: list[Any] | None = None
            if _deps.ENABLED:
                frame = []
                FRAMES.append(frame)
            try:
                r = self.resolved()
            except ModsysError:
                raise
            except Exception as exc:
                raise wrap_user_error(exc, self.loc) from exc
            finally:
                _STACK.pop()
                self._resolving = False
                if frame is not None:
                    FRAMES.pop()
                    if frame:  # reads while resolving (mk_if conditions, thunks): kept
                        self._deps = stored(frame)
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
        if FRAMES:
            FRAMES[-1].append(self)
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
        frame: list[Any] | None = None
        if _deps.ENABLED:
            frame = []
            FRAMES.append(frame)
        try:
            r = self._final()
            if frame is not None:
                # what resolving read, and what computing the definitions read (`Def.deps`),
                # count from the start: a message about the merge must know it is secret
                prior = self._deps
                if prior:
                    frame.extend(prior)
                for d in self._raw_defs or ():
                    if d.deps:
                        frame.extend(d.deps)
            apply = decl.apply
            try:
                value = check_and_merge(loc, decl.type, r.defs)
            except UndefinedOptionError as err:
                if apply is None:
                    raise
                value = _raises(err)  # `apply` may never look at the value, as in Nix
            if apply is not None:
                value = apply(value)
            if frame is not None:
                deps = self._deps = stored(frame)
                if deps and any_secret(deps):
                    self._secret = True
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
            if frame is not None:
                FRAMES.pop()
            self._busy = False
            if pause:
                resume_gc()

    def _compute(self) -> Any:
        decl = self.decl
        if decl.sensitive or self.ev._secret_scope:
            self._secret = True
            REDACTING.append(self)
            try:
                v = self._guarded(decl)
            finally:
                REDACTING.pop()
            remember(v)
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
