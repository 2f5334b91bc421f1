"""`AttrSet`: the read-only, lazily computed attribute sets that `config` is made of.

Keys are known up front (and kept in sorted order, as Nix attribute sets are); each value is
computed on first read and memoised, so reading one attribute never forces its siblings.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from modsys import deps as _deps
from modsys.deps import FRAMES, REDACTING, any_secret, remember, secret_scope, stored
from modsys.errors import MissingAttributeError
from modsys.gcpolicy import pause as pause_gc
from modsys.gcpolicy import resume as resume_gc
from modsys.lazy import NotAThunk
from modsys.merge import _STACK, recursion_error
from modsys.plain import to_plain
from modsys.show import show_option

_MISSING: Any = object()
_BUSY: Any = object()


class AttrSet(Mapping[str, Any], NotAThunk):
    """A mapping with attribute access whose values are computed on demand."""

    __slots__ = ("_compute", "_deps", "_keys", "_kset", "_loc", "_meta", "_secret", "_values")

    def __init__(
        self,
        keys: list[str],
        compute: Callable[[str], Any],
        loc: tuple[str, ...] = (),
        meta: Any = None,
    ) -> None:
        self._keys = keys
        self._kset: Collection[str] = frozenset(keys)
        self._compute = compute
        self._values: dict[str, Any] = {}
        self._loc = loc
        self._meta = meta
        self._deps: dict[str, tuple[Any, ...]] | None = None  # key -> its reads (`modsys.deps`)
        self._secret = secret_scope(loc)

    def __getitem__(self, key: str) -> Any:
        v = self._values.get(key, _MISSING)
        if v is _MISSING or v is _BUSY:
            return self._fill(key, v)
        if FRAMES:
            deps = self._deps
            if deps is not None and key in deps:
                FRAMES[-1].extend(deps[key])
        return v

    def entry_reads(self, key: str) -> tuple[Any, ...]:
        """The options read while computing the entry `key` (once computed)."""
        deps = self._deps
        return deps.get(key, ()) if deps is not None else ()

    def entry_secret(self, key: str) -> bool:
        """Whether the entry `key` is secret: inside a sensitive option or computed from a
        secret (see `modsys.deps`)."""
        return self._secret or any_secret(self.entry_reads(key))

    def _fill(self, key: str, state: Any) -> Any:
        loc = (*self._loc, key)
        if state is _BUSY:
            raise recursion_error(loc)
        if key not in self._kset:
            raise MissingAttributeError(
                f"attribute `{key}' missing in `{show_option(self._loc) or 'config'}'"
                f" (it has: {', '.join(self._keys[:20]) or 'no attributes'})",
                loc,
            )
        self._values[key] = _BUSY
        pause = not _STACK and pause_gc()  # see Option._guarded
        _STACK.append(loc)
        frame: list[Any] | None = None
        if _deps.ENABLED:
            frame = []
            FRAMES.append(frame)
        secret = self._secret
        if secret:
            REDACTING.append(self)
        try:
            v = self._value(key)
        except BaseException:
            del self._values[key]
            raise
        finally:
            if secret:
                REDACTING.pop()
            if frame is not None:
                FRAMES.pop()
            _STACK.pop()
            if pause:
                resume_gc()
        self._values[key] = v
        if secret:
            remember(v)
        if frame:
            deps = self._deps
            if deps is None:
                deps = self._deps = {}
            prior = deps.get(key)
            record = deps[key] = stored(frame + list(prior) if prior else frame)
            if FRAMES:
                FRAMES[-1].extend(record)
        return v

    def _value(self, key: str) -> Any:
        """Compute the value of `key` (once; the caller memoises it)."""
        return self._compute(key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._kset

    def __repr__(self) -> str:
        return f"<AttrSet {show_option(self._loc) or 'config'}: {', '.join(self._keys[:10])}>"

    def __dir__(self) -> list[str]:
        return list(self._keys)

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)


__all__ = ["AttrSet", "to_plain"]  # (`to_plain` is at home in `modsys.plain`)
