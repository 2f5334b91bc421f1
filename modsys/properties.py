"""Definition properties: the wrappers (`mk_if`, `mk_merge`, `mk_override`, `mk_order`) that
change how a definition takes part in a merge rather than what it says.

They are tagged objects, never dicts, so a user value can never be mistaken for a property.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

DEFAULT_OVERRIDE_PRIORITY = 100
DEFAULT_ORDER_PRIORITY = 1000


@attrs.frozen(slots=True)
class If:
    """`mk_if`: the content counts only when `condition` (a bool or a thunk) holds."""

    condition: Any
    content: Any


@attrs.frozen(slots=True)
class Merge:
    """`mk_merge`: several definitions written in one place, kept in the order given."""

    contents: list[Any]


@attrs.frozen(slots=True)
class Override:
    """`mk_override`: a definition with a priority; the lowest number wins."""

    priority: int
    content: Any


@attrs.frozen(slots=True)
class Order:
    """`mk_order`: a sort key for list-like merges; the lowest number comes first."""

    priority: int
    content: Any


@attrs.frozen(slots=True)
class Definition:
    """`mk_definition`: a definition that names its own file (and line)."""

    file: str
    value: Any
    line: int | None = None


PROPERTY_TYPES = (If, Merge, Override, Order, Definition)


def mk_if(condition: bool | Callable[[], bool], content: Any) -> If:
    return If(condition, content)


def mk_merge(contents: Iterable[Any]) -> Merge:
    return Merge(list(contents))


def mk_override(priority: int, content: Any) -> Override:
    return Override(priority, content)


def mk_option_default(content: Any) -> Override:
    return Override(1500, content)


def mk_default(content: Any) -> Override:
    return Override(1000, content)


def mk_image_media_override(content: Any) -> Override:
    return Override(60, content)


def mk_force(content: Any) -> Override:
    return Override(50, content)


def mk_vm_override(content: Any) -> Override:
    return Override(10, content)


def mk_order(priority: int, content: Any) -> Order:
    return Order(priority, content)


def mk_before(content: Any) -> Order:
    return Order(500, content)


def mk_after(content: Any) -> Order:
    return Order(1500, content)


def mk_definition(file: str, value: Any, line: int | None = None) -> Definition:
    return Definition(str(file), value, line)
