"""Thunks: how Python callables stand in for Nix's lazy values.

Inside a definition every callable is a thunk, called with no arguments when its value is
needed; objects that are callable for other reasons (types, lazy module arguments) opt out by
deriving from `NotAThunk`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any


class NotAThunk:
    """Marker base: callable objects that are values, not deferred computations."""

    __slots__ = ()


_FUNCTION_TYPES = (FunctionType, MethodType)


_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08


def _takes_no_arguments(fn: Any) -> bool:
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    declared = code.co_argcount + code.co_kwonlyargcount
    if type(fn) is MethodType:
        declared -= 1
    return declared <= 0 and not code.co_flags & (_CO_VARARGS | _CO_VARKEYWORDS)


def is_thunk(value: Any) -> bool:
    """A thunk is a callable that takes no arguments at all.

    A callable with parameters is a value (a function, or a module where a module is expected),
    which is how Python code tells "compute this later" from "this is a function".
    """
    if type(value) in _FUNCTION_TYPES:
        return _takes_no_arguments(value)
    if not callable(value) or isinstance(value, (NotAThunk, type)):
        return False
    try:
        sig = inspect.signature(value)
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in sig.parameters.values()
    ) and not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values())


def force(value: Any) -> Any:
    """Call a thunk once; resolve a lazy argument; return anything else as it is."""
    if type(value) is FunctionType:
        code = value.__code__
        if code.co_argcount == 0 and not code.co_kwonlyargcount and not code.co_flags & 0x0C:
            value = value()
            if type(value) is LazyArg:
                return value._resolve()
        return value
    if callable(value):
        if isinstance(value, LazyArg):
            return value._resolve()
        if is_thunk(value):
            return value()
    return value


def force_deep(value: Any) -> Any:
    """Force thunks at every depth of plain dicts and lists (for values merged shallowly)."""
    tv = type(value)
    if tv is dict:
        return {k: force_deep(v) for k, v in value.items()}
    if tv is list:
        return [force_deep(v) for v in value]
    if tv is str or tv is int or tv is bool or value is None:
        return value
    value = force(value)
    tv = type(value)
    if tv is dict:
        return {k: force_deep(v) for k, v in value.items()}
    if tv is list:
        return [force_deep(v) for v in value]
    return value


class LazyArg(NotAThunk):
    """A module argument from `_module.args`, looked up on first use.

    Module functions are called while modules are still being collected, when `_module.args`
    cannot be read yet; the proxy defers the read to the first attribute/item access or call.
    """

    __slots__ = ("_name", "_resolved", "_resolver", "_value")

    def __init__(self, name: str, resolver: Callable[[], Any]) -> None:
        self._name = name
        self._resolver = resolver
        self._resolved = False
        self._value: Any = None

    def _resolve(self) -> Any:
        if not self._resolved:
            self._value = self._resolver()
            self._resolved = True
        return self._value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._resolve()[key]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._resolve()(*args, **kwargs)

    def __contains__(self, key: Any) -> bool:
        return key in self._resolve()

    def __iter__(self):
        return iter(self._resolve())

    def __len__(self) -> int:
        return len(self._resolve())

    def __bool__(self) -> bool:
        return bool(self._resolve())

    def __eq__(self, other: object) -> bool:
        return bool(self._resolve() == other)

    def __hash__(self) -> int:
        return hash(self._resolve())

    def __str__(self) -> str:
        return str(self._resolve())

    def __repr__(self) -> str:
        return f"<module argument {self._name!r}>"
