"""modsys: the NixOS module system in Python, and a Kubernetes deployment layer built on it."""

from __future__ import annotations

from modsys import types
from modsys.assertions import assertions_module
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

__version__ = "0.1.0"

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
    "types",
]
