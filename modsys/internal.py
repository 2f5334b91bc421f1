"""The engine's own module: the `_module` options (`args`, `check`, `freeformType`,
`specialArgs`) that every evaluation declares, in a file of its own (`INTERNAL_FILE`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modsys import types as t
from modsys.module import INTERNAL_FILE, Module
from modsys.options import mk_option

_INTERNAL_MODULES: dict[bool, Module] = {}


def _no_special_args() -> dict[str, Any]:
    return {}


def _internal_module(special_args: Mapping[str, Any], nested: bool) -> Module:
    if not special_args:  # most submodule evaluations: one shared module (never mutated)
        m = _INTERNAL_MODULES.get(nested)
        if m is None:
            m = _INTERNAL_MODULES[nested] = Module(
                INTERNAL_FILE,
                INTERNAL_FILE,
                (),
                (),
                _internal_options(nested),
                {"_module": {"specialArgs": _no_special_args}},
            )
        return m
    return Module(
        INTERNAL_FILE,
        INTERNAL_FILE,
        (),
        (),
        _internal_options(nested),
        {"_module": {"specialArgs": lambda: dict(special_args)}},
    )


_INTERNAL_OPTIONS: dict[bool, dict[str, Any]] = {}


def _internal_options(nested: bool) -> dict[str, Any]:
    """The `_module` declarations, built once and shared by every evaluation (read-only)."""
    opts = _INTERNAL_OPTIONS.get(nested)
    if opts is not None:
        return opts
    opts = _INTERNAL_OPTIONS[nested] = {
        "_module": {
            "args": mk_option(
                type=t.lazy_attrs_of(t.raw),
                internal=nested,
                description="Extra arguments passed to every module function.",
            ),
            "check": mk_option(
                type=t.bool,
                default=True,
                internal=True,
                description="Whether to check that every definition has a declared option.",
            ),
            "freeformType": mk_option(
                type=t.null_or(t.option_type),
                default=None,
                internal=True,
                description="The type that undeclared definitions are merged with.",
            ),
            "specialArgs": mk_option(
                type=t.raw,
                read_only=True,
                internal=True,
                description="The special arguments of this evaluation.",
            ),
        }
    }
    return opts
