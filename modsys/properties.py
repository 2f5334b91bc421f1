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


def _check_priority(what: str, value: Any) -> None:
    """A priority is an integer (not a bool, a float or a string): it is compared with others.

    A `TypeError` here is user code's error; the engine reports it with the module or option."""
    if type(value) is not int:
        raise TypeError(f"{what}: the priority must be an integer, not {type(value).__name__} "
                        f"{value!r}"[:200])


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

    priority: int = attrs.field(validator=lambda _s, _a, v: _check_priority("mk_override", v))
    content: Any


@attrs.frozen(slots=True)
class Order:
    """`mk_order`: a sort key for list-like merges; the lowest number comes first."""

    priority: int = attrs.field(validator=lambda _s, _a, v: _check_priority("mk_order", v))
    content: Any


@attrs.frozen(slots=True)
class Definition:
    """`mk_definition`: a definition that names its own file (and line)."""

    file: str
    value: Any
    line: int | None = None


PROPERTY_TYPES = (If, Merge, Override, Order, Definition)


def mk_if(condition: bool | Callable[[], bool], content: Any) -> If:
    """Count `content` only when `condition` holds (nixpkgs `lib.mkIf`).

    The condition may be a thunk reading the final config; it is forced only when the option is
    read, and pushed down to every option the content defines, so a false condition leaves no
    trace (not even an empty attribute set). A condition that is not a bool is an error.

        {"services": {"web": mk_if(lambda: config.web.enable, {"replicas": 3})}}
        {"debug": mk_if(False, True)}        # as if never written
    """
    return If(condition, content)


def mk_merge(contents: Iterable[Any]) -> Merge:
    """Several definitions written in one place, merged as if from separate modules
    (nixpkgs `lib.mkMerge`); mostly to combine `mk_if` blocks.

        mk_merge([{"a": 1}, mk_if(lambda: config.x, {"b": 2})])
    """
    return Merge(list(contents))


def mk_override(priority: int, content: Any) -> Override:
    """A definition at `priority` (nixpkgs `lib.mkOverride`): of all definitions of an option
    only those with the lowest number count. Plain definitions have 100.

        {"replicas": mk_override(900, 2)}    # beats mk_default (1000), loses to plain (100)
    """
    return Override(priority, content)


def mk_option_default(content: Any) -> Override:
    """Priority 1500 (nixpkgs `lib.mkOptionDefault`): what an option's `default` is given as,
    so any definition, even `mk_default`, replaces it.

        {"tags": mk_option_default(["base"])}
    """
    return Override(1500, content)


def mk_default(content: Any) -> Override:
    """Priority 1000 (nixpkgs `lib.mkDefault`): a default set by a module, replaced by any plain
    definition; how projects and `!default` overlays offer values users may change.

        {"replicas": mk_default(3)}
    """
    return Override(1000, content)


def mk_image_media_override(content: Any) -> Override:
    """Priority 60 (nixpkgs `lib.mkImageMediaOverride`): between plain definitions and
    `mk_force`, kept for parity with NixOS.

        {"fileSystems": mk_image_media_override({...})}
    """
    return Override(60, content)


def mk_force(content: Any) -> Override:
    """Priority 50 (nixpkgs `lib.mkForce`): replaces plain definitions and defaults; for an
    overlay that must win, or to replace a whole list instead of merging it.

        {"replicas": mk_force(5)}
    """
    return Override(50, content)


def mk_vm_override(content: Any) -> Override:
    """Priority 10 (nixpkgs `lib.mkVMOverride`): beats even `mk_force`; kept for parity.

        {"memorySize": mk_vm_override(2048)}
    """
    return Override(10, content)


def mk_order(priority: int, content: Any) -> Order:
    """Place a list (or lines) definition among the others (nixpkgs `lib.mkOrder`): list
    merges sort definitions by this number, stably; plain definitions have 1000.

        {"extraArgs": mk_order(900, ["--early"])}
    """
    return Order(priority, content)


def mk_before(content: Any) -> Order:
    """Order 500 (nixpkgs `lib.mkBefore`): this definition's elements come first.

        {"initContainers": mk_before([{"name": "wait-for-db"}])}
    """
    return Order(500, content)


def mk_after(content: Any) -> Order:
    """Order 1500 (nixpkgs `lib.mkAfter`): this definition's elements come last.

        {"args": mk_after(["--verbose"])}
    """
    return Order(1500, content)


def mk_definition(file: str, value: Any, line: int | None = None) -> Definition:
    """A definition that says where it comes from (nixpkgs `lib.mkDefinition`), for tools that
    generate definitions and want errors and `why` to name the real source.

        {"replicas": mk_definition("overlays/prod.yaml", 3, line=7)}
    """
    return Definition(str(file), value, line)
