"""modsys: the NixOS module system in Python, and a Kubernetes deployment layer built on it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modsys import types
    from modsys.assertions import assertions_module
    from modsys.authoring import set_at
    from modsys.errors import (
        AssertionFailedError,
        ConflictingDefinitionsError,
        DeclarationError,
        EvaluationError,
        InfiniteRecursionError,
        InvalidModuleError,
        Location,
        MissingAttributeError,
        ModsysError,
        ReadOnlyOptionError,
        TypeMismatchError,
        UndeclaredOptionError,
        UndefinedOptionError,
        ValidationError,
    )
    from modsys.evaluation import ConfigView, Evaluation, Option, OptionsView, eval_modules
    from modsys.explain import DefinitionRecord, Explanation
    from modsys.merge import NOTHING, Def
    from modsys.migrations import (
        mk_alias_option_module,
        mk_changed_option_module,
        mk_merged_option_module,
        mk_removed_option_module,
        mk_renamed_option_module,
    )
    from modsys.options import OptionDecl, mk_enable_option, mk_option
    from modsys.properties import (
        mk_after,
        mk_before,
        mk_default,
        mk_definition,
        mk_force,
        mk_if,
        mk_image_media_override,
        mk_merge,
        mk_option_default,
        mk_order,
        mk_override,
        mk_vm_override,
    )


# Imported on first use, so that `modsys --help` starts fast.
_LAZY = {
    "types": "modsys",
    "assertions_module": "modsys.assertions",
    "set_at": "modsys.authoring",
    "AssertionFailedError": "modsys.errors",
    "ConflictingDefinitionsError": "modsys.errors",
    "DeclarationError": "modsys.errors",
    "EvaluationError": "modsys.errors",
    "InfiniteRecursionError": "modsys.errors",
    "InvalidModuleError": "modsys.errors",
    "Location": "modsys.errors",
    "MissingAttributeError": "modsys.errors",
    "ModsysError": "modsys.errors",
    "ReadOnlyOptionError": "modsys.errors",
    "TypeMismatchError": "modsys.errors",
    "UndeclaredOptionError": "modsys.errors",
    "UndefinedOptionError": "modsys.errors",
    "ValidationError": "modsys.errors",
    "ConfigView": "modsys.evaluation",
    "Evaluation": "modsys.evaluation",
    "Option": "modsys.evaluation",
    "OptionsView": "modsys.evaluation",
    "eval_modules": "modsys.evaluation",
    "DefinitionRecord": "modsys.explain",
    "Explanation": "modsys.explain",
    "NOTHING": "modsys.merge",
    "Def": "modsys.merge",
    "mk_alias_option_module": "modsys.migrations",
    "mk_changed_option_module": "modsys.migrations",
    "mk_merged_option_module": "modsys.migrations",
    "mk_removed_option_module": "modsys.migrations",
    "mk_renamed_option_module": "modsys.migrations",
    "OptionDecl": "modsys.options",
    "mk_enable_option": "modsys.options",
    "mk_option": "modsys.options",
    "mk_after": "modsys.properties",
    "mk_before": "modsys.properties",
    "mk_default": "modsys.properties",
    "mk_definition": "modsys.properties",
    "mk_force": "modsys.properties",
    "mk_if": "modsys.properties",
    "mk_image_media_override": "modsys.properties",
    "mk_merge": "modsys.properties",
    "mk_option_default": "modsys.properties",
    "mk_order": "modsys.properties",
    "mk_override": "modsys.properties",
    "mk_vm_override": "modsys.properties",
}


def _package_version() -> str:
    """The installed distribution's version (`pyproject.toml` is the one place it is written)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("modsys")
    except PackageNotFoundError:  # a bare source tree on sys.path, never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _package_version()
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'modsys' has no attribute {name!r}")
    if module == "modsys" and name == "types":
        value = importlib.import_module("modsys.types")
    else:
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "NOTHING",
    "AssertionFailedError",
    "ConfigView",
    "ConflictingDefinitionsError",
    "DeclarationError",
    "Def",
    "DefinitionRecord",
    "Evaluation",
    "EvaluationError",
    "Explanation",
    "InfiniteRecursionError",
    "InvalidModuleError",
    "Location",
    "MissingAttributeError",
    "ModsysError",
    "Option",
    "OptionDecl",
    "OptionsView",
    "ReadOnlyOptionError",
    "TypeMismatchError",
    "UndeclaredOptionError",
    "UndefinedOptionError",
    "ValidationError",
    "assertions_module",
    "eval_modules",
    "mk_after",
    "mk_alias_option_module",
    "mk_before",
    "mk_changed_option_module",
    "mk_default",
    "mk_definition",
    "mk_enable_option",
    "mk_force",
    "mk_if",
    "mk_image_media_override",
    "mk_merge",
    "mk_merged_option_module",
    "mk_option",
    "mk_option_default",
    "mk_order",
    "mk_override",
    "mk_removed_option_module",
    "mk_renamed_option_module",
    "mk_vm_override",
    "set_at",
    "types",
]
