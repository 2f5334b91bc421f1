"""Plain data: what a configuration value is once fully evaluated (JSON's data model).

Plain data is dicts with string keys, lists, strings, numbers, booleans and None; nothing in it
is a thunk (a callable computed on demand), a lazy attribute set or `config` view, or an `mk_*`
property. This module is the one definition of it: the type sets the engine's fast paths test
(a definition written as plain data merges to itself), `is_plain` for a whole value, and
`to_plain`, which evaluates a value into plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modsys.errors import EvaluationError
from modsys.lazy import force
from modsys.show import show_option

#: the types of plain values that hold no other value
SCALAR_TYPES: frozenset[type] = frozenset({str, int, float, bool, type(None)})
#: the types of plain values (a dict's or list's items need not be plain: check them too)
PLAIN_TYPES: frozenset[type] = SCALAR_TYPES | {dict, list}


def is_plain(value: Any) -> bool:
    """Whether `value` is plain data all the way down (no thunks, no properties, no views)."""
    tv = type(value)
    if tv is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    if tv is list:
        return all(is_plain(v) for v in value)
    return tv in SCALAR_TYPES


def to_plain(value: Any) -> Any:
    """Fully evaluate a config value into plain dicts and lists (tuples become lists)."""
    tv = type(value)
    if tv in SCALAR_TYPES:
        return value
    if tv is dict:
        # scalars are kept without a call: most values are leaves
        return {k: v if type(v) in SCALAR_TYPES else to_plain(v) for k, v in value.items()}
    if tv is list or tv is tuple:
        return [v if type(v) in SCALAR_TYPES else to_plain(v) for v in value]
    value = force(value)
    if isinstance(value, Mapping):  # lazy sets and views too (what `.items()` does, without
        out = {}  # the ItemsView layer)
        for k in value:
            v = value[k]
            try:
                out[k] = to_plain(v)
            except RecursionError:
                raise _cycle_error(value, k) from None
        return out
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def _cycle_error(view: Any, key: str) -> EvaluationError:
    """A value that contains itself (or is nested past Python's recursion limit), named by the
    innermost lazy set or `config` view holding it (the error is raised just above the cycle)."""
    base = getattr(view, "_loc", None)
    if base is None:
        base = getattr(getattr(view, "_level", None), "loc", ())
    loc: tuple[str, ...] = (*tuple(base or ()), key)
    where = show_option(loc)
    return EvaluationError(
        f"a value under `{where}' contains itself (a cyclic dict or list) or is nested too "
        f"deeply to be written out as plain data",
        loc,
    )


__all__ = ["PLAIN_TYPES", "SCALAR_TYPES", "is_plain", "to_plain"]
