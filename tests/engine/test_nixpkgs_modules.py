"""nixpkgs `lib/tests/modules.sh`, ported to modsys.

Each case mirrors one upstream check (named in the comment above it and in its pytest id):
`checkConfigOutput` cases read a value and compare it, `checkConfigError` cases expect a
`ModsysError` whose message matches the upstream error text. The upstream `.nix` modules are
rewritten by hand as Python modules (dicts and functions); where a module had to be a file
(disabled_modules by path, dedup by path, paths as submodule definitions) it lives in
`nixcases/`. Reference version: nixpkgs master of 2025/2026 (the copy of `modules.sh` with
`attrTag`, `pathWith`, `mkDefinition`, "Did you mean" and "was accessed but has no value
defined"), cross-checked against `../shared/docs/module-system.md`.

Conventions of the Python rewrite, taken from the engine contract:
- every callable inside a definition is a zero-argument thunk, so a reference to `config` is
  written `lambda: config.x`, and a function-valued definition is `lambda: fn`;
- every callable in a module list or in `imports` is a module;
- `_file` on an inline module names the file its definitions come from, which lets the
  messages below carry the upstream file names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from modsys import (
    ConflictingDefinitionsError,
    DeclarationError,
    InfiniteRecursionError,
    MissingAttributeError,
    ModsysError,
    ReadOnlyOptionError,
    TypeMismatchError,
    UndeclaredOptionError,
    UndefinedOptionError,
    eval_modules,
    mk_after,
    mk_before,
    mk_default,
    mk_force,
    mk_if,
    mk_merge,
    mk_option,
    mk_option_default,
    mk_order,
    mk_override,
    types,
)

NIX = Path(__file__).parent / "nixcases"


# ---------------------------------------------------------------------------------------------
# Helpers


def value_at(ev: Any, path: str | tuple[str, ...]) -> Any:
    """Walk `ev.config` (or `ev.options`) by item access: `"config.a.b"` or a tuple of parts."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    root, *rest = parts
    obj = ev.config if root == "config" else ev.options
    for part in rest:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def plain(value: Any) -> Any:
    """Force a value read from `config` into plain dicts and lists."""
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping) or (hasattr(value, "keys") and hasattr(value, "__getitem__")):
        keys = list(value.keys())
        return {k: plain(value[k]) for k in keys if k != "_module"}
    return value


def error_text(exc: BaseException) -> str:
    """The message of an exception and of every exception it was raised from."""
    texts = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        texts.append(str(cur))
        cur = cur.__cause__ or cur.__context__
    return "\n".join(texts)


def IN(file: str) -> str:
    """Regex for one ``- In `file'`` line of a `Definition values:` listing."""
    return r"- In `" + re.escape(file) + r"'(?: \(line \d+\))?"


def evaluate(modules: list[Any], path: str | tuple[str, ...], special_args: Any = None) -> Any:
    escaped = None
    try:
        ev = eval_modules(list(modules), special_args=special_args)
        return plain(value_at(ev, path))
    except RecursionError as exc:
        # Contract: never a Python RecursionError. Fail outside the `except` block, so the
        # thousands of frames of its traceback are not chained to the report.
        escaped = str(exc)
    pytest.fail(f"a raw RecursionError escaped the engine: {escaped}", pytrace=False)


def _marks(bug: str | None) -> list[Any]:
    # A case the engine gets wrong per upstream / the shared doc: kept, and marked strictly so
    # that it turns into a failure (XPASS) the moment the engine is fixed.
    return [pytest.mark.xfail(strict=True, reason=bug)] if bug else []


def out(
    expected: Any,
    path: str | tuple[str, ...],
    *modules: Any,
    id: str,
    special_args=None,
    bug: str | None = None,
):
    return pytest.param(list(modules), path, expected, special_args, id=id, marks=_marks(bug))


def err(
    pattern: str,
    path: str | tuple[str, ...],
    *modules: Any,
    id: str,
    exc: type[BaseException] = ModsysError,
    special_args=None,
    bug: str | None = None,
):
    return pytest.param(list(modules), path, (exc, pattern), special_args, id=id, marks=_marks(bug))


def raise_(exc: BaseException) -> Any:
    raise exc


class Boom(Exception):
    """An error raised by user code inside a definition."""


# ---------------------------------------------------------------------------------------------
# The upstream modules, rewritten. Names follow the upstream files.


def _declare_enable():
    return {
        "_file": "declare-enable.nix",
        "options": {
            "enable": mk_option(
                type=types.bool, default=False, example=True, description="Some descriptive text"
            )
        },
    }


declare_enable = _declare_enable()
define_enable = {"_file": "define-enable.nix", "enable": True}
define_enable_throw = {"_file": "define-enable-throw.nix", "enable": lambda: raise_(Boom("oops"))}
define_force_enable = mk_force({"enable": False})
define_enable_force = {"_file": "define-enable-force.nix", "config": {"enable": mk_force(False)}}
define_module_check = {"_module": {"check": False}}
declare_enable_nested = {
    "_file": "declare-enable-nested.nix",
    "options": {"set": {"enable": mk_option(type=types.bool, default=False)}},
}

_submod = {"options": {"enable": mk_option(type=types.bool, default=False, example=True)}}
declare_attrs_of_sub = {
    "_file": "declare-attrsOfSub-any-enable.nix",
    "options": {
        "attrsOfSub": mk_option(type=types.attrs_of(types.submodule([_submod])), default={})
    },
}
define_attrs_of_sub_foo = {"attrsOfSub": {"foo": {}}}
define_attrs_of_sub_bar = {"attrsOfSub": {"bar": {}}}
define_attrs_of_sub_foo_enable = {"attrsOfSub": {"foo": {"enable": True}}}
define_attrs_of_sub_bar_enable = {"attrsOfSub": {"bar": {"enable": True}}}
define_force_attrs_of_sub_foo_enable = mk_force({"attrsOfSub": {"foo": {"enable": False}}})
define_attrs_of_sub_force_foo_enable = {"attrsOfSub": mk_force({"foo": {"enable": False}})}
define_attrs_of_sub_foo_force_enable = {"attrsOfSub": {"foo": mk_force({"enable": False})}}
define_attrs_of_sub_foo_enable_force = {"attrsOfSub": {"foo": {"enable": mk_force(False)}}}


def define_if_attrs_of_sub_foo_enable(config):
    return mk_if(lambda: config.enable, {"attrsOfSub": {"foo": {"enable": True}}})


def define_attrs_of_sub_if_foo_enable(config):
    return {"attrsOfSub": mk_if(lambda: config.enable, {"foo": {"enable": True}})}


def define_attrs_of_sub_foo_if_enable(config):
    return {"attrsOfSub": {"foo": mk_if(lambda: config.enable, {"enable": True})}}


def define_attrs_of_sub_foo_enable_if(config):
    return {"attrsOfSub": {"foo": {"enable": mk_if(lambda: config.enable, True)}}}


def _declare_value(type_: Any, file: str, **kw: Any) -> dict[str, Any]:
    return {"_file": file, "options": {"value": mk_option(type=type_, **kw)}}


declare_int_unsigned_value = _declare_value(types.ints.unsigned, "declare-int-unsigned-value.nix")
declare_int_positive_value = _declare_value(types.ints.positive, "declare-int-positive-value.nix")
declare_int_between_value = _declare_value(
    types.ints.between(-21, 43), "declare-int-between-value.nix"
)
declare_either = _declare_value(types.either(types.int, types.str), "declare-either.nix")
declare_one_of = _declare_value(
    types.one_of([types.int, types.list_of(types.int), types.str]), "declare-oneOf.nix"
)
declare_coerced_value = _declare_value(
    types.coerced_to(types.int, str, types.str), "declare-coerced-value.nix", default=42
)
declare_coerced_value_no_default = _declare_value(
    types.coerced_to(types.int, str, types.str), "declare-coerced-value-no-default.nix"
)


def to_int(s: str) -> int:
    """`lib.toInt`: a decimal string to an int, or an error."""
    if not re.fullmatch(r"\s*-?[0-9]+\s*", s):
        raise ValueError(f'toInt: Could not convert "{s}" to int.')
    return int(s)


declare_coerced_value_unsound = _declare_value(
    types.coerced_to(types.str, to_int, types.ints.s8),
    "declare-coerced-value-unsound.nix",
    default="12",
)
define_value_int_positive = {"_file": "define-value-int-positive.nix", "value": 42}
define_value_int_negative = {"_file": "define-value-int-negative.nix", "value": -23}
define_value_int_zero = {"_file": "define-value-int-zero.nix", "value": 0}
define_value_string = {"_file": "define-value-string.nix", "value": "24"}
define_value_list = {"_file": "define-value-list.nix", "value": []}
define_value_string_bigint = {"_file": "define-value-string-bigint.nix", "value": "1000"}
define_value_string_arbitrary = {"_file": "define-value-string-arbitrary.nix", "value": "foobar"}
define_value_string_properties = {
    "_file": "define-value-string-properties.nix",
    "imports": [
        {"value": mk_merge([mk_if(False, "nope"), "yes"])},
        {"value": mk_default("def")},
    ],
}


def _alias_module(lib):
    return lib.mk_alias_option_module(["enableAlias"], ["enable"])


_declare_enable_nullable = {
    "options": {
        "enable": mk_option(type=types.null_or(types.bool), default=None, example=True),
        "warnings": mk_option(type=types.list_of(types.str), default=[], internal=True),
    }
}
alias_with_priority = {
    "_file": "alias-with-priority.nix",
    "imports": [
        _declare_enable_nullable,
        _alias_module,
        {"enableAlias": mk_default(False)},
        {"enable": True},
    ],
}
alias_with_priority_can_override = {
    "_file": "alias-with-priority-can-override.nix",
    "imports": [
        _declare_enable_nullable,
        _alias_module,
        {"enableAlias": mk_force(False)},
        {"enable": True},
    ],
}

# freeform
freeform_attrs_of = {
    "_file": "freeform-attrsOf.nix",
    "freeform_type": types.attrs_of(types.either(types.str, types.attrs_of(types.str))),
}
freeform_lazy_attrs_of = {
    "_file": "freeform-lazyAttrsOf.nix",
    "freeform_type": types.lazy_attrs_of(types.either(types.str, types.lazy_attrs_of(types.str))),
}
freeform_nested = {
    "_file": "freeform-nested.nix",
    "options": {"nest": {"foo": mk_option(type=types.bool, default=False)}},
    "config": {"nest": {"bar": "bar"}},
}


def freeform_str_dep_unstr(config):
    return {
        "options": {"foo": mk_option(type=types.null_or(types.str), default=None)},
        "config": {"foo": mk_if(lambda: "value" in config, lambda: config.value)},
    }


def freeform_unstr_dep_str(config):
    return {
        "options": {"value": mk_option(type=types.null_or(types.str), default=None)},
        "config": {"foo": mk_if(lambda: config.value is not None, lambda: config.value)},
    }


# attrsOf / lazyAttrsOf laziness. Upstream uses `str // { emptyValue.value = "empty"; }` as
# the element type of the lazy variant; `list_of(str)` has the empty value `[]` built in.
declare_attrs_of = _declare_value(
    types.attrs_of(types.list_of(types.str)), "declare-attrsOf.nix", default={}
)
declare_lazy_attrs_of = _declare_value(
    types.lazy_attrs_of(types.list_of(types.str)), "declare-lazyAttrsOf.nix", default={}
)


def attrs_of_lazy_check(config):
    return {
        "options": {"isLazy": mk_option(default=lambda: "foo" not in config.value)},
        "config": {"value": {"bar": lambda: raise_(Boom("is not lazy"))}},
    }


def attrs_of_conditional_check(config):
    return {
        "options": {"conditionalWorks": mk_option(default=lambda: "foo" not in config.value)},
        "config": {"value": {"foo": mk_if(False, ["should not be defined"])}},
    }


def lazy_attrs_with(config):
    return {
        "options": {
            "mergedLazy": mk_option(type=types.lazy_attrs_of(types.int)),
            "mergedNonLazy": mk_option(type=types.attrs_of(types.int)),
            "lazyResult": mk_option(default=lambda: config.mergedLazy.bar),
            "nonLazyResult": mk_option(default=lambda: config.mergedNonLazy.bar),
        },
        "config": {
            "mergedLazy": {"bar": lambda: config.mergedLazy.baz + 1, "baz": 10},
            "mergedNonLazy": {"bar": lambda: config.mergedNonLazy.baz + 1, "baz": 10},
        },
    }


lazy_attrs_with_merge_lazy_non_lazy = {
    "imports": [
        {
            "_file": "a.nix",
            "options": {"mergedLazyNonLazy": mk_option(type=types.lazy_attrs_of(types.int))},
        },
        {
            "_file": "b.nix",
            "options": {"mergedLazyNonLazy": mk_option(type=types.attrs_of(types.int))},
        },
    ]
}


def define_option_dependently(options):
    def has(*path: str) -> bool:
        node = options
        try:
            for p in path:
                node = node[p]
        except KeyError:
            return False
        return True

    # The whole `config` is a thunk: its shape depends on `options`, which is known only once
    # every module is collected (upstream: `// lib.optionalAttrs (options ? enable)`).
    return {
        "config": lambda: {
            "value": 360 if has("enable") else 7,
            **({"enable": True} if has("enable") else {}),
        }
    }


def define_option_dependently_nested(options):
    def has(*path: str) -> bool:
        node = options
        try:
            for p in path:
                node = node[p]
        except KeyError:
            return False
        return True

    return {
        "config": {
            "set": lambda: {
                "value": 360 if has("set", "enable") else 7,
                **({"enable": True} if has("set", "enable") else {}),
            }
        }
    }


declare_int_positive_value_nested = {
    "options": {"set": {"value": mk_option(type=types.ints.positive)}}
}

# types.anything
anything_nested_attrs = [
    {"options": {"value": mk_option(type=types.anything)}},
    {"value": {"foo": None}},
    {"value": {"l1": {"foo": None}}},
    {"value": {"l1": {"l2": {"foo": None}}}},
    {"value": {"l1": {"l2": {"l3": {"foo": None}}}}},
]
anything_lists = [
    {"options": {"value": mk_option(type=types.anything)}},
    {"_file": "lists-1.nix", "value": [1]},
    {"_file": "lists-2.nix", "value": [2]},
]


def anything_equal_atoms(name: str, atom: Any) -> list[Any]:
    return [
        {"options": {"value": mk_option(type=types.anything)}},
        {"value": {name: atom}},
        {"value": {name: atom}},
    ]


def anything_functions(config):
    return {
        "options": {
            "value": mk_option(type=types.anything),
            "appliedMerging": mk_option(default=lambda: config.value["merging-lambdas"](None)),
            "appliedMultiple": mk_option(default=lambda: config.value["multiple-lambdas"](None)),
            "singleIsFunction": mk_option(default=lambda: callable(config.value["single-lambda"])),
        },
        "config": mk_merge(
            [
                {
                    "value": {
                        "single-lambda": lambda: lambda x: x,
                        "multiple-lambdas": lambda: lambda x: {"x": x},
                        "merging-lambdas": lambda: lambda x: {"x": x},
                    }
                },
                {
                    "value": {
                        "multiple-lambdas": lambda: lambda x: [x],
                        "merging-lambdas": lambda: lambda y: {"y": y},
                    }
                },
            ]
        ),
    }


anything_mk_mods = {
    "options": {"value": mk_option(type=types.anything)},
    "config": mk_merge(
        [
            {"value": {"mkiffalse": mk_if(False, {})}},
            {"value": {"mkiftrue": mk_if(True, {})}},
            {"value": {"mkdefault": mk_default(0)}},
            {"value": {"mkdefault": 1}},
            {"value": {"mkmerge": mk_merge([{}])}},
            {"value": {"mkbefore": mk_before(True)}},
            {
                "value": {
                    "nested": mk_merge(
                        [
                            {"foo": mk_default(0), "bar": mk_if(False, 0)},
                            mk_if(
                                True,
                                {
                                    "foo": mk_if(True, mk_force(1)),
                                    "bar": {"baz": mk_default("baz")},
                                },
                            ),
                        ]
                    )
                }
            },
        ]
    ),
}


# types.functionTo
def _function_to(
    elem: Any, definition: Any, result: Callable[[Any], Any], file: str = "function-to.nix"
):
    def module(config):
        return {
            "_file": file,
            "options": {
                "fun": mk_option(type=types.function_to(elem)),
                "result": mk_option(type=types.str, default=lambda: result(config.fun)),
            },
            "config": {"fun": definition},
        }

    return module


function_to_trivial = _function_to(
    types.str, lambda: lambda x: f"input is {x}", lambda fun: fun("input")
)
_ABC = {"a": "a", "b": "b", "c": "c"}
function_to_merging_list = _function_to(
    types.list_of(types.str),
    mk_merge([lambda: lambda i: [i["a"]], lambda: lambda i: [i["b"]]]),
    lambda fun: " ".join(fun(_ABC)),
)
function_to_list_order = _function_to(
    types.list_of(types.str),
    mk_merge([lambda: lambda i: mk_after([i["a"]]), lambda: lambda i: [i["b"]]]),
    lambda fun: " ".join(fun(_ABC)),
)
function_to_merging_attrs = _function_to(
    types.attrs_of(types.str),
    mk_merge(
        [
            lambda: lambda i: {"a": i["a"]},
            lambda: lambda i: {"b": i["b"]},
            lambda: lambda i: {"b": mk_force(i["c"])},
        ]
    ),
    lambda fun: " ".join(v for _, v in sorted(fun(_ABC).items())),
)
function_to_wrong_type = _function_to(
    types.str, lambda: lambda i: [i], lambda fun: fun("x"), file="wrong-type.nix"
)

# emptyValue (upstream emptyValues.nix: every key is `mkIf false null` under lazyAttrsOf)
empty_values = {
    "options": {
        "int": mk_option(type=types.lazy_attrs_of(types.int)),
        "list": mk_option(type=types.lazy_attrs_of(types.list_of(types.int))),
        "attrs": mk_option(type=types.lazy_attrs_of(types.attrs_of(types.int))),
        "null": mk_option(type=types.lazy_attrs_of(types.null_or(types.int))),
        "submodule": mk_option(type=types.lazy_attrs_of(types.submodule({}))),
    },
    "config": {
        "int": {"a": mk_if(False, None)},
        "list": {"a": mk_if(False, None)},
        "attrs": {"a": mk_if(False, None)},
        "null": {"a": mk_if(False, None)},
        "submodule": {"a": mk_if(False, None)},
    },
}


def defaults(config):
    def result():
        assert plain(config.submoduleWithDefaults) == {"enabled": True, "count": 13}
        return "ok"

    return {
        "options": {
            "list": mk_option(type=types.list_of(types.int)),
            "attrs": mk_option(type=types.attrs),
            "attrsOf": mk_option(type=types.attrs_of(types.int)),
            "null": mk_option(type=types.null_or(types.int)),
            "submodule": mk_option(type=types.submodule({})),
            "submoduleWithDefaults": mk_option(
                type=types.submodule(
                    {
                        "options": {
                            "enabled": mk_option(type=types.bool, default=True),
                            "count": mk_option(type=types.int, default=13),
                        }
                    }
                )
            ),
            "unique": mk_option(type=types.unique("hi", types.list_of(types.int))),
            "coercedTo": mk_option(
                type=types.coerced_to(
                    types.attrs_of(types.int), lambda a: sorted(a), types.list_of(types.str)
                )
            ),
            "int": mk_option(type=types.int),
            "result": mk_option(type=types.str, default=result),
        }
    }


UNIQUE_MESSAGE = (
    "We require a single definition, because seeing the whole value at once helps us maintain "
    "critical invariants of our system."
)
types_unique = {
    "options": {
        "examples": mk_option(
            type=types.lazy_attrs_of(types.unique(UNIQUE_MESSAGE, types.attrs_of(types.str)))
        )
    },
    "imports": [
        {"examples": {"merged": {"b": "bee"}}},
        {"examples": {"override": mk_force({"b": "bee"})}},
    ],
    "config": {
        "examples": {
            "merged": {"a": "aye"},
            "override": {"a": "aye"},
            "badLazyType": {"a": True},
        }
    },
}

raw_module = {
    "options": {
        "processedToplevel": mk_option(type=types.raw),
        "multiple": mk_option(type=types.raw),
        "priorities": mk_option(type=types.raw),
    },
    "config": {
        "processedToplevel": mk_if(True, 10),
        "multiple": mk_merge(["foo", "foo"]),
        "priorities": mk_merge(["foo", mk_force("bar")]),
    },
}

# Option collisions
declare_set = {
    "_file": "declare-set.nix",
    "options": {"set": mk_option(type=types.attrs_of(types.int), default={})},
}
merge_typeless_option = {
    "imports": [
        {"_file": "typeless.nix", "options": {"group": mk_option()}},
        {
            "_file": "child.nix",
            "options": {"group": {"enable": mk_option(type=types.bool, default=False)}},
        },
    ]
}

# submoduleWith
declare_submodule_with_special = {
    "options": {
        "submodule": mk_option(
            type=types.submodule_with(
                modules=[lambda foo: {"options": {"foo": mk_option(default=foo)}}],
                special_args={"foo": "foo"},
            ),
            default={},
        )
    }
}


def _declare_submodule_with_shorthand(shorthand: bool) -> dict[str, Any]:
    return {
        "options": {
            "submodule": mk_option(
                type=types.submodule_with(
                    modules=[{"options": {"config": mk_option(type=types.bool, default=False)}}],
                    shorthand_only_defines_config=shorthand,
                ),
                default={},
            )
        }
    }


define_submodule_with_shorthand = {
    "_file": "define-submoduleWith-shorthand.nix",
    "submodule": {"config": True},
}
define_submodule_with_noshorthand = {
    "_file": "define-submoduleWith-noshorthand.nix",
    "submodule": {"config": {"config": True}},
}
declare_submodule_with_modules = {
    "options": {
        "submodule": mk_option(
            type=types.submodule_with(
                modules=[{"options": {"inner": mk_option(type=types.bool, default=False)}}]
            ),
            default={},
        )
    },
    "config": {
        "submodule": mk_merge(
            [
                lambda: (
                    lambda lib: {
                        "options": {"outer": lib.mk_option(type=lib.types.bool, default=False)}
                    }
                ),
                {"inner": True, "outer": True},
            ]
        )
    },
}
declare_submodule_with_path = {
    "options": {
        "submodule": mk_option(
            type=types.submodule_with(modules=[NIX / "declare_enable.py"]), default={}
        )
    },
    "config": {"submodule": NIX / "define_enable.py"},
}


# deferredModule (upstream deferred-module.nix)
def _deferred_generic(config):
    return {
        "_file": "generic.nix",
        "options": {
            "nodes": mk_option(
                type=types.lazy_attrs_of(types.submodule({"imports": [lambda: config.default]})),
                default={},
            ),
            "default": mk_option(type=types.deferred_module, default={}),
        },
    }


deferred_module = {
    "imports": [
        _deferred_generic,
        {
            "_file": "default-1.nix",
            "default": lambda: (
                lambda lib: {
                    "options": {
                        "settingsDict": lib.mk_option(
                            type=lib.types.lazy_attrs_of(lib.types.str), default={}
                        ),
                        "bottom": lib.mk_option(type=lib.types.enum([])),
                    }
                }
            ),
        },
        {"_file": "default-a-is-b.nix", "default": NIX / "define_settings_dict_a_is_b.py"},
        {"_file": "nodes-foo.nix", "nodes": {"foo": {"settingsDict": {"b": "beta"}}}},
        {"_file": "the-file-that-contains-the-bad-config.nix", "default": {"bottom": "bogus"}},
        {
            "_file": "nodes-foo-c-is-a.nix",
            "nodes": {
                "foo": lambda: lambda config: {"settingsDict": {"c": lambda: config.settingsDict.a}}
            },
        },
    ]
}


# merge-module-with-key.nix
def merge_module_with_key():
    without_key = {"config": {"raw": "pear"}}
    with_key = {"key": "merge-module-with-key.nix#moduleWithKey", "config": {"raw": "pear"}}
    decl = {"options": {"raw": mk_option(type=types.lines)}}
    return {
        "options": {
            "once": mk_option(
                type=types.submodule({"imports": [decl, with_key, with_key]}), default={}
            ),
            "twice": mk_option(
                type=types.submodule({"imports": [decl, without_key, without_key]}), default={}
            ),
        }
    }


# bare submodule pattern
def _declare_bare_submodule(shorthand: bool = False):
    return {
        "_file": "declare-bare-submodule.nix",
        "options": {
            "bare-submodule": mk_option(
                type=types.submodule_with(modules=[], shorthand_only_defines_config=shorthand),
                default={},
            )
        },
    }


declare_bare_submodule_nested_option = {
    "_file": "declare-bare-submodule-nested-option.nix",
    "options": {
        "bare-submodule": mk_option(
            type=types.submodule_with(
                modules=[{"options": {"nested": mk_option(type=types.int, default=1)}}]
            )
        )
    },
}
declare_bare_submodule_deep_option = {
    "_file": "declare-bare-submodule-deep-option.nix",
    "options": {"bare-submodule": {"deep": mk_option(type=types.int, default=2)}},
}
declare_bare_submodule_deep_option_duplicate = {
    "_file": "declare-bare-submodule-deep-option-duplicate.nix",
    "options": {"bare-submodule": {"deep": mk_option(type=types.int, default=2)}},
}
define_bare_submodule_values = {"bare-submodule": {"nested": 42, "deep": 420}}


# option-name suggestions
error_typo_nested = {
    "options": {"set": {"enable": mk_option(type=types.bool, default=False)}},
    "config": {"set": {"ena": True}},
}
error_typo_outside_with_nested = {
    "options": {"set": {"enable": mk_option(type=types.bool, default=False)}},
    "config": {"sea": {"enable": True}},
}
error_typo_multiple_suggestions = {
    "options": {
        "foo": mk_option(type=types.bool, default=False),
        "bar": mk_option(type=types.bool, default=False),
        "baz": mk_option(type=types.bool, default=False),
    },
    "config": {"far": True},
}
_ten = "abcdefghij"
error_typo_large_attrset = {
    "options": {
        **{
            f"{a}{b}{c}": mk_option(type=types.bool, default=False)
            for a in _ten
            for b in _ten
            for c in _ten
        },
        "enable": mk_option(type=types.bool, default=False),
        "enabled": mk_option(type=types.bool, default=False),
        "disable": mk_option(type=types.bool, default=False),
    },
    "config": {"enble": True},
}
error_typo_submodule = {
    "options": {
        "services": mk_option(
            type=types.attrs_of(
                types.submodule(
                    {
                        "options": {
                            "enable": mk_option(type=types.bool, default=False),
                            "port": mk_option(type=types.int, default=8080),
                        }
                    }
                )
            )
        )
    },
    "config": {"services": {"myservice": {"prot": 9000}}},
}
error_typo_deeply_nested = {
    "options": {
        "services": {
            "nginx": {
                "virtualHosts": mk_option(
                    type=types.attrs_of(
                        types.submodule(
                            {
                                "options": {
                                    "ssl": {
                                        "certificate": mk_option(type=types.str),
                                        "certificateKey": mk_option(type=types.str),
                                    }
                                }
                            }
                        )
                    ),
                    default={},
                )
            }
        }
    },
    "config": {
        "services": {"nginx": {"virtualHosts": {"example.com": {"ssl": {"certficate": "x"}}}}}
    },
}

# mkOption in config (upstream error-mkOption-in-config.nix and -in-submodule-config.nix)
error_mk_option_in_config = {
    "_file": "error-mkOption-in-config.nix",
    "wrong1": mk_option(),
    "nest": {"wrong2": mk_option()},
}
error_mk_option_in_submodule_config = {
    "options": {"sub": mk_option(type=types.submodule({"wrong2": mk_option()}), default={})}
}


def shorthand_meta(config):
    return {
        "imports": [
            {
                "options": {
                    "meta": {"foo": mk_option(type=types.list_of(types.str))},
                    "result": mk_option(default=lambda: " ".join(config.meta.foo)),
                }
            },
            {"meta": {"foo": ["one", "two"]}},
        ]
    }


def define_enable_with_custom_arg(custom):
    return {
        "_file": "define-enable-with-custom-arg.nix",
        "config": {"enable": lambda: custom["enable"]},
    }


def module_argument_default(lib, a=False):
    # upstream `{ a ? false, ... }`: the formal's default is never used, `_module.args.a' is
    return {
        "options": {"result": mk_option()},
        "config": {"_module": {"args": {"a": True}}, "result": lambda: a},
    }


define_module_args_custom = {"_module": {"args": {"custom": {"enable": True}}}}


def import_custom_arg(custom):
    return {
        "_file": "import-custom-arg.nix",
        "imports": [define_enable] if custom["enable"] else [],
    }


def rename_basic(lib):
    return {
        "_file": "doRename-basic.nix",
        "imports": [lib.mk_renamed_option_module(["a", "b"], ["c", "d", "e"])],
        "options": {"c": {"d": {"e": lib.mk_option()}}},
        "config": {"a": {"b": 1234}},
    }


# Engine bugs found by these cases (reported to the lead; each case is xfail(strict=True)).

# ---------------------------------------------------------------------------------------------
# The cases

CASES = [
    # -- boolean option, declare/define ---------------------------------------------------------
    # modules.sh: checkConfigOutput '^false$' config.enable ./declare-enable.nix
    out(False, "config.enable", declare_enable, id="declare-enable"),
    # modules.sh: checkConfigError 'The option .* does not exist. Definition values:\n\s*- In .*: true' config.enable ./define-enable.nix
    err(
        r"The option `enable' does not exist\. Definition values:\n"
        + IN("define-enable.nix")
        + ": true",
        "config.enable",
        define_enable,
        exc=UndeclaredOptionError,
        id="define-enable",
    ),
    # modules.sh: checkConfigError 'The option .* does not exist. Definition values:\n\s*- In .*' config.enable ./define-enable-throw.nix
    err(
        r"The option `enable' does not exist\. Definition values:\n"
        + IN("define-enable-throw.nix"),
        "config.enable",
        define_enable_throw,
        exc=UndeclaredOptionError,
        id="define-enable-throw",
    ),
    # modules.sh: checkConfigError 'It seems as if you.re trying to declare an option by placing it into .config. rather than .options.' ... (declare nothing, define enable)
    err(
        r"It seems as if you.re trying to declare an option by placing it into .config. rather than .options.",
        "config.enable",
        define_enable,
        exc=UndeclaredOptionError,
        id="define-enable-no-options-hint",
    ),
    # -- mkForce without submodules ---------------------------------------------------------------
    # modules.sh: checkConfigOutput '^true$' config.enable ./declare-enable.nix ./define-enable.nix
    out(True, "config.enable", declare_enable, define_enable, id="declare-define-enable"),
    # modules.sh: checkConfigOutput '^false$' config.enable ./declare-enable.nix ./define-enable.nix ./define-force-enable.nix
    out(
        False,
        "config.enable",
        declare_enable,
        define_enable,
        define_force_enable,
        id="define-force-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' config.enable ./declare-enable.nix ./define-enable.nix ./define-enable-force.nix
    out(
        False,
        "config.enable",
        declare_enable,
        define_enable,
        define_enable_force,
        id="define-enable-force",
    ),
    # -- mkForce with option and submodules -------------------------------------------------------
    # modules.sh: checkConfigError 'attribute .*foo.* .* not found' config.attrsOfSub.foo.enable ./declare-attrsOfSub-any-enable.nix
    err(
        r"foo",
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        exc=MissingAttributeError,
        id="attrsOfSub-foo-missing",
    ),
    # modules.sh: checkConfigOutput '^false$' config.attrsOfSub.foo.enable ./declare-attrsOfSub-any-enable.nix ./define-attrsOfSub-foo.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        id="define-attrsOfSub-foo",
    ),
    # modules.sh: checkConfigOutput '^true$' config.attrsOfSub.foo.enable ./declare-attrsOfSub-any-enable.nix ./define-attrsOfSub-foo-enable.nix
    out(
        True,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable,
        id="define-attrsOfSub-foo-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./define-force-attrsOfSub-foo-enable.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable,
        define_force_attrs_of_sub_foo_enable,
        id="define-force-attrsOfSub-foo-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./define-attrsOfSub-force-foo-enable.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable,
        define_attrs_of_sub_force_foo_enable,
        id="define-attrsOfSub-force-foo-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./define-attrsOfSub-foo-force-enable.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable,
        define_attrs_of_sub_foo_force_enable,
        id="define-attrsOfSub-foo-force-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./define-attrsOfSub-foo-enable-force.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable,
        define_attrs_of_sub_foo_enable_force,
        id="define-attrsOfSub-foo-enable-force",
    ),
    # -- overriding effect of mkForce on submodule definitions ------------------------------------
    # modules.sh: checkConfigError 'attribute .*bar.* .* not found' config.attrsOfSub.bar.enable ./declare-attrsOfSub-any-enable.nix ./define-attrsOfSub-foo.nix
    err(
        r"bar",
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        exc=MissingAttributeError,
        id="attrsOfSub-bar-missing",
    ),
    # modules.sh: checkConfigOutput '^false$' config.attrsOfSub.bar.enable ./declare-attrsOfSub-any-enable.nix ./define-attrsOfSub-foo.nix ./define-attrsOfSub-bar.nix
    out(
        False,
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar,
        id="define-attrsOfSub-bar",
    ),
    # modules.sh: checkConfigOutput '^true$' config.attrsOfSub.bar.enable ... ./define-attrsOfSub-bar-enable.nix
    out(
        True,
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar_enable,
        id="define-attrsOfSub-bar-enable",
    ),
    # modules.sh: checkConfigError 'attribute .*bar.* .* not found' "$@" ./define-force-attrsOfSub-foo-enable.nix
    err(
        r"bar",
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar_enable,
        define_force_attrs_of_sub_foo_enable,
        exc=MissingAttributeError,
        id="force-attrsOfSub-hides-bar",
    ),
    # modules.sh: checkConfigError 'attribute .*bar.* .* not found' "$@" ./define-attrsOfSub-force-foo-enable.nix
    err(
        r"bar",
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar_enable,
        define_attrs_of_sub_force_foo_enable,
        exc=MissingAttributeError,
        id="attrsOfSub-force-hides-bar",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-attrsOfSub-foo-force-enable.nix
    out(
        True,
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar_enable,
        define_attrs_of_sub_foo_force_enable,
        id="attrsOfSub-foo-force-keeps-bar",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-attrsOfSub-foo-enable-force.nix
    out(
        True,
        "config.attrsOfSub.bar.enable",
        declare_attrs_of_sub,
        define_attrs_of_sub_foo,
        define_attrs_of_sub_bar_enable,
        define_attrs_of_sub_foo_enable_force,
        id="attrsOfSub-foo-enable-force-keeps-bar",
    ),
    # -- mkIf with submodules ---------------------------------------------------------------------
    # modules.sh: checkConfigError 'attribute .*foo.* .* not found' config.attrsOfSub.foo.enable ./declare-enable.nix ./declare-attrsOfSub-any-enable.nix
    err(
        r"foo",
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        exc=MissingAttributeError,
        id="mkIf-attrsOfSub-foo-missing",
    ),
    # modules.sh: checkConfigError 'attribute .*foo.* .* not found' "$@" ./define-if-attrsOfSub-foo-enable.nix
    err(
        r"foo",
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_if_attrs_of_sub_foo_enable,
        exc=MissingAttributeError,
        id="define-if-attrsOfSub-foo-enable",
    ),
    # modules.sh: checkConfigError 'attribute .*foo.* .* not found' "$@" ./define-attrsOfSub-if-foo-enable.nix
    err(
        r"foo",
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_attrs_of_sub_if_foo_enable,
        exc=MissingAttributeError,
        id="define-attrsOfSub-if-foo-enable",
    ),
    # modules.sh: checkConfigError 'attribute .*foo.* .* not found' "$@" ./define-attrsOfSub-foo-if-enable.nix
    err(
        r"foo",
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_if_enable,
        exc=MissingAttributeError,
        id="define-attrsOfSub-foo-if-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./define-attrsOfSub-foo-enable-if.nix
    out(
        False,
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_attrs_of_sub_foo_enable_if,
        id="define-attrsOfSub-foo-enable-if",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-enable.nix ./define-if-attrsOfSub-foo-enable.nix
    out(
        True,
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_enable,
        define_if_attrs_of_sub_foo_enable,
        id="enable-define-if-attrsOfSub-foo-enable",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-enable.nix ./define-attrsOfSub-if-foo-enable.nix
    out(
        True,
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_enable,
        define_attrs_of_sub_if_foo_enable,
        id="enable-define-attrsOfSub-if-foo-enable",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-enable.nix ./define-attrsOfSub-foo-if-enable.nix
    out(
        True,
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_enable,
        define_attrs_of_sub_foo_if_enable,
        id="enable-define-attrsOfSub-foo-if-enable",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-enable.nix ./define-attrsOfSub-foo-enable-if.nix
    out(
        True,
        "config.attrsOfSub.foo.enable",
        declare_enable,
        declare_attrs_of_sub,
        define_enable,
        define_attrs_of_sub_foo_enable_if,
        id="enable-define-attrsOfSub-foo-enable-if",
    ),
    # -- disabledModules --------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^true$' config.enable ./define-enable.nix ./declare-enable.nix
    out(
        True,
        "config.enable",
        NIX / "define_enable.py",
        NIX / "declare_enable.py",
        id="files-define-declare-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' "$@" ./disable-define-enable.nix
    out(
        False,
        "config.enable",
        NIX / "define_enable.py",
        NIX / "declare_enable.py",
        NIX / "disable_define_enable.py",
        id="disable-define-enable",
    ),
    # modules.sh: checkConfigError "The option .*enable.* does not exist. Definition values:\n\s*- In .*: true" "$@" ./disable-declare-enable.nix
    err(
        r"The option `enable' does not exist\. Definition values:\n- In `[^']*define_enable\.py'(?: \(line \d+\))?: true",
        "config.enable",
        NIX / "define_enable.py",
        NIX / "declare_enable.py",
        NIX / "disable_declare_enable.py",
        exc=UndeclaredOptionError,
        id="disable-declare-enable",
    ),
    # modules.sh: checkConfigError "attribute .*enable.* in selection path .*config.enable.* not found" "$@" ./disable-define-enable.nix ./disable-declare-enable.nix
    err(
        r"enable",
        "config.enable",
        NIX / "define_enable.py",
        NIX / "declare_enable.py",
        NIX / "disable_define_enable.py",
        NIX / "disable_declare_enable.py",
        exc=MissingAttributeError,
        id="disable-define-and-declare-enable",
    ),
    # modules.sh: checkConfigError "attribute .*enable.* in selection path .*config.enable.* not found" "$@" ./disable-enable-modules.nix
    err(
        r"enable",
        "config.enable",
        NIX / "define_enable.py",
        NIX / "declare_enable.py",
        NIX / "disable_enable_modules.py",
        exc=MissingAttributeError,
        id="disable-enable-modules",
    ),
    # modules.sh: checkConfigOutput '^true$' config.enable ./disable-recursive/main.nix
    out(True, "config.enable", NIX / "disable_recursive" / "main.py", id="disable-recursive-main"),
    # modules.sh: checkConfigOutput '^true$' config.enable ./disable-recursive/{main.nix,disable-foo.nix}
    out(
        True,
        "config.enable",
        NIX / "disable_recursive" / "main.py",
        NIX / "disable_recursive" / "disable_foo.py",
        id="disable-recursive-foo",
    ),
    # modules.sh: checkConfigOutput '^true$' config.enable ./disable-recursive/{main.nix,disable-bar.nix}
    out(
        True,
        "config.enable",
        NIX / "disable_recursive" / "main.py",
        NIX / "disable_recursive" / "disable_bar.py",
        id="disable-recursive-bar",
    ),
    # modules.sh: checkConfigError 'The option .* does not exist. Definition values:\n\s*- In .*: true' config.enable ./disable-recursive/{main.nix,disable-foo.nix,disable-bar.nix}
    err(
        r"The option `enable' does not exist\. Definition values:\n- In `[^']*main\.py'(?: \(line \d+\))?: true",
        "config.enable",
        NIX / "disable_recursive" / "main.py",
        NIX / "disable_recursive" / "disable_foo.py",
        NIX / "disable_recursive" / "disable_bar.py",
        exc=UndeclaredOptionError,
        id="disable-recursive-foo-bar",
    ),
    # -- _module.args ------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^true$' config.result ./module-argument-default.nix
    out(True, "config.result", module_argument_default, id="module-argument-default"),
    # modules.sh: checkConfigError 'while evaluating the module argument .*custom.* in .*define-enable-with-custom-arg.nix.*:' "$@"
    err(
        r"custom",
        "config.enable",
        declare_enable,
        define_enable_with_custom_arg,
        id="define-enable-with-custom-arg-missing",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-_module-args-custom.nix
    out(
        True,
        "config.enable",
        declare_enable,
        define_enable_with_custom_arg,
        define_module_args_custom,
        id="define-_module-args-custom",
    ),
    # modules.sh: checkConfigError 'while evaluating the module argument .*custom.* in .*import-custom-arg.nix.*:' (+ infinite recursion): _module.args cannot feed imports
    err(
        r"custom",
        "config.enable",
        declare_enable,
        define_enable_with_custom_arg,
        define_module_args_custom,
        import_custom_arg,
        id="import-custom-arg",
    ),
    # modules.sh: (specialArgs, which the same file's comments recommend for imports) checkConfigOutput '^true$' with specialArgs.custom
    out(
        True,
        "config.enable",
        declare_enable,
        import_custom_arg,
        special_args={"custom": {"enable": True}},
        id="import-special-arg",
    ),
    # -- _module.check ------------------------------------------------------------------------------
    # modules.sh: checkConfigError 'The option .* does not exist. Definition values:\n\s*- In .*' config.enable ./declare-enable.nix ./define-enable.nix ./define-attrsOfSub-foo.nix
    err(
        r"The option `attrsOfSub' does not exist\. Definition values:\n- In ",
        "config.enable",
        declare_enable,
        define_enable,
        define_attrs_of_sub_foo,
        exc=UndeclaredOptionError,
        id="module-check-on",
    ),
    # modules.sh: checkConfigOutput '^true$' "$@" ./define-module-check.nix
    out(
        True,
        "config.enable",
        declare_enable,
        define_enable,
        define_attrs_of_sub_foo,
        define_module_check,
        id="define-module-check",
    ),
    # -- integer types ------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^42$' config.value ./declare-int-unsigned-value.nix ./define-value-int-positive.nix
    out(
        42,
        "config.value",
        declare_int_unsigned_value,
        define_value_int_positive,
        id="int-unsigned-42",
    ),
    # modules.sh: checkConfigError 'A definition for option .* is not of type.*unsigned integer.*. Definition values:\n\s*- In .*: -23' config.value ./declare-int-unsigned-value.nix ./define-value-int-negative.nix
    err(
        r"A definition for option `value' is not of type `unsigned integer, meaning >=0'\. Definition values:\n"
        + IN("define-value-int-negative.nix")
        + ": -23",
        "config.value",
        declare_int_unsigned_value,
        define_value_int_negative,
        exc=TypeMismatchError,
        id="int-unsigned-negative",
    ),
    # modules.sh: checkConfigError 'A definition for option .* is not of type.*positive integer.*. Definition values:\n\s*- In .*: 0' config.value ./declare-int-positive-value.nix ./define-value-int-zero.nix
    err(
        r"A definition for option `value' is not of type `positive integer, meaning >0'\. Definition values:\n"
        + IN("define-value-int-zero.nix")
        + ": 0",
        "config.value",
        declare_int_positive_value,
        define_value_int_zero,
        exc=TypeMismatchError,
        id="int-positive-zero",
    ),
    # modules.sh: checkConfigOutput '^42$' config.value ./declare-int-between-value.nix ./define-value-int-positive.nix
    out(
        42,
        "config.value",
        declare_int_between_value,
        define_value_int_positive,
        id="int-between-42",
    ),
    # modules.sh: checkConfigError 'A definition for option .* is not of type.*between.*-21 and 43.*inclusive.*. Definition values:\n\s*- In .*: -23' ...
    err(
        r"is not of type `integer between -21 and 43 \(both inclusive\)'\. Definition values:\n"
        + IN("define-value-int-negative.nix")
        + ": -23",
        "config.value",
        declare_int_between_value,
        define_value_int_negative,
        exc=TypeMismatchError,
        id="int-between-negative",
    ),
    # modules.sh: checkConfigError 'A definition for option .* is not of type .*' config.value ./declare-int-unsigned-value.nix ./define-value-list.nix ./define-value-int-positive.nix
    err(
        r"A definition for option `value' is not of type `unsigned integer, meaning >=0'",
        "config.value",
        declare_int_unsigned_value,
        define_value_list,
        define_value_int_positive,
        exc=TypeMismatchError,
        id="int-unsigned-one-bad-of-many",
    ),
    # -- either / oneOf ---------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^42$' config.value ./declare-either.nix ./define-value-int-positive.nix
    out(42, "config.value", declare_either, define_value_int_positive, id="either-int"),
    # modules.sh: checkConfigOutput '^"24"$' config.value ./declare-either.nix ./define-value-string.nix
    out("24", "config.value", declare_either, define_value_string, id="either-str"),
    # modules.sh: checkConfigOutput '^42$' config.value ./declare-oneOf.nix ./define-value-int-positive.nix
    out(42, "config.value", declare_one_of, define_value_int_positive, id="oneOf-int"),
    # modules.sh: checkConfigOutput '^\[\]$' config.value ./declare-oneOf.nix ./define-value-list.nix
    out([], "config.value", declare_one_of, define_value_list, id="oneOf-list"),
    # modules.sh: checkConfigOutput '^"24"$' config.value ./declare-oneOf.nix ./define-value-string.nix
    out("24", "config.value", declare_one_of, define_value_string, id="oneOf-str"),
    # -- coercedTo --------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"42"$' config.value ./declare-coerced-value.nix
    out("42", "config.value", declare_coerced_value, id="coerced-value-default"),
    # modules.sh: checkConfigOutput '^"24"$' config.value ./declare-coerced-value.nix ./define-value-string.nix
    out(
        "24", "config.value", declare_coerced_value, define_value_string, id="coerced-value-string"
    ),
    # modules.sh: checkConfigError 'A definition for option .*. is not of type .*.\n\s*- In .*: \[ \]' config.value ./declare-coerced-value.nix ./define-value-list.nix
    err(
        r"A definition for option `value' is not of type `string or signed integer convertible to it'.*\n"
        + IN("define-value-list.nix")
        + r": \[ \]",
        "config.value",
        declare_coerced_value,
        define_value_list,
        exc=TypeMismatchError,
        id="coerced-value-list",
    ),
    # modules.sh: checkConfigError 'The option .value. in .*/declare-coerced-value.nix. is already declared in .*/declare-coerced-value-no-default.nix.' ...
    err(
        r"The option `value' in `declare-coerced-value\.nix' is already declared in `declare-coerced-value-no-default\.nix'",
        "config.value",
        declare_coerced_value,
        declare_coerced_value_no_default,
        exc=DeclarationError,
        id="coerced-option-merging",
    ),
    # modules.sh: checkConfigOutput '^12$' config.value ./declare-coerced-value-unsound.nix
    out(12, "config.value", declare_coerced_value_unsound, id="coerced-unsound-default"),
    # modules.sh: checkConfigError 'A definition for option .* is not of type .*.\n\s*- In .*: "1000"' ...
    err(
        r"A definition for option `value' is not of type .*\n"
        + IN("define-value-string-bigint.nix")
        + r': "1000"',
        "config.value",
        declare_coerced_value_unsound,
        define_value_string_bigint,
        exc=TypeMismatchError,
        id="coerced-unsound-bigint",
    ),
    # modules.sh: checkConfigError 'toInt: Could not convert .* to int' ...
    err(
        r"toInt: Could not convert .* to int",
        "config.value",
        declare_coerced_value_unsound,
        define_value_string_arbitrary,
        id="coerced-unsound-arbitrary",
    ),
    # -- mkAliasOptionModule ------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^true$' config.enable ./alias-with-priority.nix
    out(True, "config.enable", alias_with_priority, id="alias-with-priority-enable"),
    # modules.sh: checkConfigOutput '^true$' config.enableAlias ./alias-with-priority.nix
    out(
        True,
        "config.enableAlias",
        alias_with_priority,
        id="alias-with-priority-enableAlias",
    ),
    # modules.sh: checkConfigOutput '^false$' config.enable ./alias-with-priority-can-override.nix
    out(
        False,
        "config.enable",
        alias_with_priority_can_override,
        id="alias-with-priority-can-override-enable",
    ),
    # modules.sh: checkConfigOutput '^false$' config.enableAlias ./alias-with-priority-can-override.nix
    out(
        False,
        "config.enableAlias",
        alias_with_priority_can_override,
        id="alias-with-priority-can-override-enableAlias",
    ),
    # -- doRename (mkRenamedOptionModule) ----------------------------------------------------------
    # modules.sh: checkConfigOutput '^1234$' config.c.d.e ./doRename-basic.nix
    out(1234, "config.c.d.e", rename_basic, id="doRename-basic"),
    # (the old path reads the new value: doRename's `apply = _: use (getAttrFromPath to config)`)
    out(
        1234,
        "config.a.b",
        rename_basic,
        id="doRename-basic-old-path-reads-new",
    ),
    # -- submoduleWith ------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"foo"$' config.submodule.foo ./declare-submoduleWith-special.nix
    out(
        "foo",
        "config.submodule.foo",
        declare_submodule_with_special,
        id="declare-submoduleWith-special",
    ),
    # modules.sh: checkConfigOutput '^true$' config.submodule.config ./declare-submoduleWith-shorthand.nix ./define-submoduleWith-shorthand.nix
    out(
        True,
        "config.submodule.config",
        _declare_submodule_with_shorthand(True),
        define_submodule_with_shorthand,
        id="submoduleWith-shorthand-shorthand",
    ),
    # modules.sh: checkConfigError 'is not of type `boolean' config.submodule.config ./declare-submoduleWith-shorthand.nix ./define-submoduleWith-noshorthand.nix
    err(
        r"is not of type `boolean'",
        "config.submodule.config",
        _declare_submodule_with_shorthand(True),
        define_submodule_with_noshorthand,
        exc=TypeMismatchError,
        id="submoduleWith-shorthand-noshorthand",
    ),
    # modules.sh: checkConfigError "In module ..*define-submoduleWith-shorthand.nix., you're trying to define a value of type \`bool'\n\s*rather than an attribute set for the option" ...
    err(
        r"In module `define-submoduleWith-shorthand\.nix', you're trying to define a value of type `bool'\n\s*rather than an attribute set for the option",
        "config.submodule.config",
        _declare_submodule_with_shorthand(False),
        define_submodule_with_shorthand,
        id="submoduleWith-noshorthand-shorthand",
    ),
    # modules.sh: checkConfigOutput '^true$' config.submodule.config ./declare-submoduleWith-noshorthand.nix ./define-submoduleWith-noshorthand.nix
    out(
        True,
        "config.submodule.config",
        _declare_submodule_with_shorthand(False),
        define_submodule_with_noshorthand,
        id="submoduleWith-noshorthand-noshorthand",
    ),
    # modules.sh: checkConfigOutput '^true$' config.submodule.inner ./declare-submoduleWith-modules.nix
    out(
        True,
        "config.submodule.inner",
        declare_submodule_with_modules,
        id="declare-submoduleWith-modules-inner",
    ),
    # modules.sh: checkConfigOutput '^true$' config.submodule.outer ./declare-submoduleWith-modules.nix
    out(
        True,
        "config.submodule.outer",
        declare_submodule_with_modules,
        id="declare-submoduleWith-modules-outer",
    ),
    # modules.sh: checkConfigOutput '^true$' config.submodule.enable ./declare-submoduleWith-path.nix
    out(
        True,
        "config.submodule.enable",
        declare_submodule_with_path,
        id="declare-submoduleWith-path",
    ),
    # -- deferredModule -----------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '"beta"' config.nodes.foo.settingsDict.c ./deferred-module.nix
    out("beta", "config.nodes.foo.settingsDict.c", deferred_module, id="deferred-module"),
    # modules.sh: checkConfigError 'In `the-file-that-contains-the-bad-config.nix, via option default'\'': "bogus"' config.nodes.foo.bottom ./deferred-module.nix
    err(
        r"A definition for option `nodes\.foo\.bottom' is not of type `impossible \(empty enum\)'\. Definition values:\n"
        + IN("the-file-that-contains-the-bad-config.nix, via option default")
        + r': "bogus"',
        "config.nodes.foo.bottom",
        deferred_module,
        exc=TypeMismatchError,
        id="deferred-module-error-location",
    ),
    # -- configs conditional on option existence ----------------------------------------------------
    # modules.sh: checkConfigOutput '^true$' config.enable ./define-option-dependently.nix ./declare-enable.nix ./declare-int-positive-value.nix
    out(
        True,
        "config.enable",
        define_option_dependently,
        declare_enable,
        declare_int_positive_value,
        id="define-option-dependently-enable",
    ),
    # modules.sh: checkConfigOutput '^360$' config.value ./define-option-dependently.nix ./declare-enable.nix ./declare-int-positive-value.nix
    out(
        360,
        "config.value",
        define_option_dependently,
        declare_enable,
        declare_int_positive_value,
        id="define-option-dependently-360",
    ),
    # modules.sh: checkConfigOutput '^7$' config.value ./define-option-dependently.nix ./declare-int-positive-value.nix
    out(
        7,
        "config.value",
        define_option_dependently,
        declare_int_positive_value,
        id="define-option-dependently-7",
    ),
    # modules.sh: checkConfigOutput '^true$' config.set.enable ./define-option-dependently-nested.nix ./declare-enable-nested.nix ./declare-int-positive-value-nested.nix
    out(
        True,
        "config.set.enable",
        define_option_dependently_nested,
        declare_enable_nested,
        declare_int_positive_value_nested,
        id="define-option-dependently-nested-enable",
    ),
    # modules.sh: checkConfigOutput '^360$' config.set.value ./define-option-dependently-nested.nix ./declare-enable-nested.nix ./declare-int-positive-value-nested.nix
    out(
        360,
        "config.set.value",
        define_option_dependently_nested,
        declare_enable_nested,
        declare_int_positive_value_nested,
        id="define-option-dependently-nested-360",
    ),
    # modules.sh: checkConfigOutput '^7$' config.set.value ./define-option-dependently-nested.nix ./declare-int-positive-value-nested.nix
    out(
        7,
        "config.set.value",
        define_option_dependently_nested,
        declare_int_positive_value_nested,
        id="define-option-dependently-nested-7",
    ),
    # -- attrsOf vs lazyAttrsOf ---------------------------------------------------------------------
    # modules.sh: checkConfigError "is not lazy" config.isLazy ./declare-attrsOf.nix ./attrsOf-lazy-check.nix
    err(
        r"is not lazy",
        "config.isLazy",
        declare_attrs_of,
        attrs_of_lazy_check,
        id="attrsOf-lazy-check",
    ),
    # modules.sh: checkConfigOutput '^true$' config.isLazy ./declare-lazyAttrsOf.nix ./attrsOf-lazy-check.nix
    out(
        True,
        "config.isLazy",
        declare_lazy_attrs_of,
        attrs_of_lazy_check,
        id="lazyAttrsOf-lazy-check",
    ),
    # modules.sh: checkConfigOutput '^true$' config.conditionalWorks ./declare-attrsOf.nix ./attrsOf-conditional-check.nix
    out(
        True,
        "config.conditionalWorks",
        declare_attrs_of,
        attrs_of_conditional_check,
        id="attrsOf-conditional-check",
    ),
    # modules.sh: checkConfigOutput '^false$' config.conditionalWorks ./declare-lazyAttrsOf.nix ./attrsOf-conditional-check.nix
    out(
        False,
        "config.conditionalWorks",
        declare_lazy_attrs_of,
        attrs_of_conditional_check,
        id="lazyAttrsOf-conditional-check",
    ),
    # modules.sh: checkConfigOutput '^"empty"$' config.value.foo ./declare-lazyAttrsOf.nix ./attrsOf-conditional-check.nix
    out(
        [],
        "config.value.foo",
        declare_lazy_attrs_of,
        attrs_of_conditional_check,
        id="lazyAttrsOf-emptyValue",
    ),
    # modules.sh: checkConfigError 'The option `mergedLazyNonLazy' in `.*' is already declared in `.*'\.' options.mergedLazyNonLazy ./lazy-attrsWith.nix
    err(
        r"The option `mergedLazyNonLazy' in `a\.nix' is already declared in `b\.nix'\.",
        "config.mergedLazyNonLazy",
        lazy_attrs_with_merge_lazy_non_lazy,
        exc=DeclarationError,
        id="attrsWith-merge-lazy-non-lazy",
    ),
    # modules.sh: checkConfigOutput '^11$' config.lazyResult ./lazy-attrsWith.nix
    out(11, "config.lazyResult", lazy_attrs_with, id="lazy-attrsWith-lazyResult"),
    # modules.sh: checkConfigError 'infinite recursion encountered' config.nonLazyResult ./lazy-attrsWith.nix
    err(
        r"infinite recursion",
        "config.nonLazyResult",
        lazy_attrs_with,
        exc=InfiniteRecursionError,
        id="lazy-attrsWith-nonLazyResult",
    ),
    # -- freeform modules ---------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"24"$' config.value ./freeform-attrsOf.nix ./define-value-string.nix
    out("24", "config.value", freeform_attrs_of, define_value_string, id="freeform-attrsOf-value"),
    # modules.sh: checkConfigOutput '^{}$' config ./freeform-attrsOf.nix
    out({}, ("config",), freeform_attrs_of, id="freeform-attrsOf-empty"),
    # modules.sh: checkConfigError 'A definition for option .* is not of type .*' config.value ./freeform-attrsOf.nix ./define-value-list.nix
    err(
        r"A definition for option `value' is not of type ",
        "config.value",
        freeform_attrs_of,
        define_value_list,
        exc=TypeMismatchError,
        id="freeform-attrsOf-type-mismatch",
    ),
    # modules.sh: checkConfigOutput '^"yes"$' config.value ./freeform-attrsOf.nix ./define-value-string-properties.nix
    out(
        "yes",
        "config.value",
        freeform_attrs_of,
        define_value_string_properties,
        id="freeform-properties",
    ),
    # modules.sh: checkConfigOutput '^false$' config.enable ./freeform-attrsOf.nix ./define-value-string.nix ./declare-enable.nix
    out(
        False,
        "config.enable",
        freeform_attrs_of,
        define_value_string,
        declare_enable,
        id="freeform-declared-enable",
    ),
    # modules.sh: checkConfigOutput '^"24"$' config.value ./freeform-attrsOf.nix ./define-value-string.nix ./declare-enable.nix
    out(
        "24",
        "config.value",
        freeform_attrs_of,
        define_value_string,
        declare_enable,
        id="freeform-value-beside-declared",
    ),
    # modules.sh: checkConfigOutput '^false$' config.nest.foo ./freeform-attrsOf.nix ./freeform-nested.nix
    out(False, "config.nest.foo", freeform_attrs_of, freeform_nested, id="freeform-nested-foo"),
    # modules.sh: checkConfigOutput '^"bar"$' config.nest.bar ./freeform-attrsOf.nix ./freeform-nested.nix
    out("bar", "config.nest.bar", freeform_attrs_of, freeform_nested, id="freeform-nested-bar"),
    # modules.sh: checkConfigOutput '^null$' config.foo ./freeform-attrsOf.nix ./freeform-str-dep-unstr.nix
    out(
        None,
        "config.foo",
        freeform_attrs_of,
        freeform_str_dep_unstr,
        id="freeform-str-dep-unstr-null",
    ),
    # modules.sh: checkConfigOutput '^"24"$' config.foo ./freeform-attrsOf.nix ./freeform-str-dep-unstr.nix ./define-value-string.nix
    out(
        "24",
        "config.foo",
        freeform_attrs_of,
        freeform_str_dep_unstr,
        define_value_string,
        id="freeform-str-dep-unstr-24",
    ),
    # modules.sh: REQUIRE_INFINITE_RECURSION_HINT=1 checkConfigError 'infinite recursion encountered' config.foo ./freeform-attrsOf.nix ./freeform-unstr-dep-str.nix
    # Deliberate difference (docs/differences-from-nix.md): declared options are read without
    # first computing the freeform keys, so the mk_if resolves and `foo' is simply absent.
    err(
        r"The option `foo' does not exist",
        "config.foo",
        freeform_attrs_of,
        freeform_unstr_dep_str,
        exc=MissingAttributeError,
        id="freeform-unstr-dep-str-attrsOf",
    ),
    # modules.sh: checkConfigError 'The option .* was accessed but has no value defined. Try setting the option.' config.foo ./freeform-lazyAttrsOf.nix ./freeform-unstr-dep-str.nix
    err(
        r"The option `foo' was accessed but has no value defined\. Try setting the option\.",
        "config.foo",
        freeform_lazy_attrs_of,
        freeform_unstr_dep_str,
        exc=UndefinedOptionError,
        id="freeform-unstr-dep-str-lazyAttrsOf",
    ),
    # modules.sh: checkConfigOutput '^"24"$' config.foo ./freeform-lazyAttrsOf.nix ./freeform-unstr-dep-str.nix ./define-value-string.nix
    out(
        "24",
        "config.foo",
        freeform_lazy_attrs_of,
        freeform_unstr_dep_str,
        {"value": "24"},
        id="freeform-unstr-dep-str-lazyAttrsOf-24",
    ),
    # -- types.anything -----------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^null$' config.value.l1.l2.l3.foo ./types-anything/nested-attrs.nix (and the three shallower checks)
    out(
        {"foo": None, "l1": {"foo": None, "l2": {"foo": None, "l3": {"foo": None}}}},
        "config.value",
        *anything_nested_attrs,
        id="anything-nested-attrs",
    ),
    # modules.sh: checkConfigError 'The option .* has conflicting definition values' config.value ./types-anything/lists.nix
    err(
        r"The option `value' has conflicting definition values",
        "config.value",
        *anything_lists,
        exc=ConflictingDefinitionsError,
        id="anything-lists",
    ),
    # modules.sh: checkConfigOutput '^0$' config.value.int ./types-anything/equal-atoms.nix
    out(0, "config.value.int", *anything_equal_atoms("int", 0), id="anything-equal-atoms-int"),
    # modules.sh: checkConfigOutput '^false$' config.value.bool ./types-anything/equal-atoms.nix
    out(
        False,
        "config.value.bool",
        *anything_equal_atoms("bool", False),
        id="anything-equal-atoms-bool",
    ),
    # modules.sh: checkConfigOutput '^""$' config.value.string ./types-anything/equal-atoms.nix
    out(
        "",
        "config.value.string",
        *anything_equal_atoms("string", ""),
        id="anything-equal-atoms-string",
    ),
    # modules.sh: checkConfigOutput '^null$' config.value.null ./types-anything/equal-atoms.nix
    out(
        None,
        "config.value.null",
        *anything_equal_atoms("null", None),
        id="anything-equal-atoms-null",
    ),
    # modules.sh: checkConfigOutput '^0.1$' config.value.float ./types-anything/equal-atoms.nix
    out(
        0.1,
        "config.value.float",
        *anything_equal_atoms("float", 0.1),
        id="anything-equal-atoms-float",
    ),
    # modules.sh: checkConfigOutput '^\[1,"a",{"x":null}\]$' config.value.list ./types-anything/equal-atoms.nix
    out(
        [1, "a", {"x": None}],
        "config.value.list",
        *anything_equal_atoms("list", [1, "a", {"x": None}]),
        id="anything-equal-atoms-list",
    ),
    # modules.sh: checkConfigError "The option .value.multiple-lambdas.<function body>. has conflicting option types" config.applied.multiple-lambdas ./types-anything/functions.nix
    err(
        r"The option `value\.multiple-lambdas\.<function body>' has conflicting option types",
        "config.appliedMultiple",
        anything_functions,
        id="anything-functions-multiple-lambdas",
    ),
    # modules.sh: checkConfigOutput '^true$' config.valueIsFunction.single-lambda ./types-anything/functions.nix
    out(True, "config.singleIsFunction", anything_functions, id="anything-functions-single-lambda"),
    # modules.sh: checkConfigOutput '^null$' config.applied.merging-lambdas.x (and .y) ./types-anything/functions.nix
    out(
        {"x": None, "y": None},
        "config.appliedMerging",
        anything_functions,
        id="anything-functions-merging-lambdas",
    ),
    # modules.sh: checkConfigError 'attribute .* not found' config.value.mkiffalse ./types-anything/mk-mods.nix
    err(
        r"mkiffalse",
        "config.value.mkiffalse",
        anything_mk_mods,
        exc=MissingAttributeError,
        id="anything-mk-mods-mkiffalse",
    ),
    # modules.sh: checkConfigOutput '^{}$' config.value.mkiftrue ./types-anything/mk-mods.nix
    out({}, "config.value.mkiftrue", anything_mk_mods, id="anything-mk-mods-mkiftrue"),
    # modules.sh: checkConfigOutput '^1$' config.value.mkdefault ./types-anything/mk-mods.nix
    out(1, "config.value.mkdefault", anything_mk_mods, id="anything-mk-mods-mkdefault"),
    # modules.sh: checkConfigOutput '^{}$' config.value.mkmerge ./types-anything/mk-mods.nix
    out({}, "config.value.mkmerge", anything_mk_mods, id="anything-mk-mods-mkmerge"),
    # modules.sh: checkConfigOutput '^true$' config.value.mkbefore ./types-anything/mk-mods.nix
    out(True, "config.value.mkbefore", anything_mk_mods, id="anything-mk-mods-mkbefore"),
    # modules.sh: checkConfigOutput '^1$' config.value.nested.foo ./types-anything/mk-mods.nix
    out(1, "config.value.nested.foo", anything_mk_mods, id="anything-mk-mods-nested-foo"),
    # modules.sh: checkConfigOutput '^"baz"$' config.value.nested.bar.baz ./types-anything/mk-mods.nix
    out(
        "baz", "config.value.nested.bar.baz", anything_mk_mods, id="anything-mk-mods-nested-bar-baz"
    ),
    # -- types.functionTo ---------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"input is input"$' config.result ./functionTo/trivial.nix
    out("input is input", "config.result", function_to_trivial, id="functionTo-trivial"),
    # modules.sh: checkConfigOutput '^"a b"$' config.result ./functionTo/merging-list.nix
    out("a b", "config.result", function_to_merging_list, id="functionTo-merging-list"),
    # modules.sh: checkConfigError 'A definition for option .fun.<function body>. is not of type .string.. Definition values:\n\s*- In .*wrong-type.nix' config.result ./functionTo/wrong-type.nix
    err(
        r"A definition for option `fun\.<function body>' is not of type `string'\. Definition values:\n"
        + IN("wrong-type.nix"),
        "config.result",
        function_to_wrong_type,
        exc=TypeMismatchError,
        id="functionTo-wrong-type",
    ),
    # modules.sh: checkConfigOutput '^"b a"$' config.result ./functionTo/list-order.nix
    out("b a", "config.result", function_to_list_order, id="functionTo-list-order"),
    # modules.sh: checkConfigOutput '^"a c"$' config.result ./functionTo/merging-attrs.nix
    out("a c", "config.result", function_to_merging_attrs, id="functionTo-merging-attrs"),
    # -- emptyValue ---------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput "\[\]" config.list.a ./emptyValues.nix
    out([], "config.list.a", empty_values, id="emptyValues-list"),
    # modules.sh: checkConfigOutput "{}" config.attrs.a ./emptyValues.nix
    out({}, "config.attrs.a", empty_values, id="emptyValues-attrs"),
    # modules.sh: checkConfigOutput "null" config.null.a ./emptyValues.nix
    out(None, "config.null.a", empty_values, id="emptyValues-null"),
    # modules.sh: checkConfigOutput "{}" config.submodule.a ./emptyValues.nix
    out({}, "config.submodule.a", empty_values, id="emptyValues-submodule"),
    # modules.sh: checkConfigError 'The option .int.a. was accessed but has no value defined. Try setting the option.' config.int.a ./emptyValues.nix
    err(
        r"The option `int\.a' was accessed but has no value defined\. Try setting the option\.",
        "config.int.a",
        empty_values,
        exc=UndefinedOptionError,
        id="emptyValues-int",
    ),
    # -- defaults (no definition: the type's emptyValue) ---------------------------------------
    # modules.sh: checkConfigOutput "\[\]" config.list ./defaults.nix
    out([], "config.list", defaults, id="defaults-list"),
    # modules.sh: checkConfigOutput "{}" config.attrs ./defaults.nix
    out({}, "config.attrs", defaults, id="defaults-attrs"),
    # modules.sh: checkConfigOutput "{}" config.attrsOf ./defaults.nix
    out({}, "config.attrsOf", defaults, id="defaults-attrsOf"),
    # modules.sh: checkConfigOutput "null" config.null ./defaults.nix
    out(None, "config.null", defaults, id="defaults-null"),
    # modules.sh: checkConfigOutput "{}" config.submodule ./defaults.nix
    out({}, "config.submodule", defaults, id="defaults-submodule"),
    # modules.sh: checkConfigOutput "\[\]" config.unique ./defaults.nix
    out([], "config.unique", defaults, id="defaults-unique"),
    # modules.sh: checkConfigOutput "\[\]" config.coercedTo ./defaults.nix
    out([], "config.coercedTo", defaults, id="defaults-coercedTo"),
    # modules.sh: checkConfigError 'The option .int. was accessed but has no value defined. Try setting the option.' config.int ./defaults.nix
    err(
        r"The option `int' was accessed but has no value defined\. Try setting the option\.",
        "config.int",
        defaults,
        exc=UndefinedOptionError,
        id="defaults-int",
    ),
    # modules.sh: checkConfigOutput "ok" config.result ./defaults.nix
    out("ok", "config.result", defaults, id="defaults-submodule-sub-option-defaults"),
    # -- types.unique -------------------------------------------------------------------------------
    # modules.sh: checkConfigError 'The option .examples\.merged. is defined multiple times while it.s expected to be unique' config.examples.merged.a ./types-unique.nix
    err(
        r"The option `examples\.merged' is defined multiple times while it's expected to be unique",
        "config.examples.merged.a",
        types_unique,
        id="types-unique-merged",
    ),
    # modules.sh: checkConfigError 'We require a single definition, because seeing the whole value at once helps us maintain critical invariants of our system.' ...
    err(
        re.escape(UNIQUE_MESSAGE),
        "config.examples.merged.a",
        types_unique,
        id="types-unique-message",
    ),
    # modules.sh: checkConfigError 'A definition for option .examples\.badLazyType\.a. is not of type .string.' config.examples.badLazyType.a ./types-unique.nix
    err(
        r"A definition for option `examples\.badLazyType\.a' is not of type `string'",
        "config.examples.badLazyType.a",
        types_unique,
        exc=TypeMismatchError,
        id="types-unique-badLazyType",
    ),
    # modules.sh: checkConfigOutput '^"bee"$' config.examples.override.b ./types-unique.nix
    out("bee", "config.examples.override.b", types_unique, id="types-unique-override"),
    # -- types.raw ----------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput "10" config.processedToplevel ./raw.nix
    out(10, "config.processedToplevel", raw_module, id="raw-processedToplevel"),
    # modules.sh: checkConfigError "The option .multiple. is defined multiple times" config.multiple ./raw.nix
    err(
        r"The option `multiple' is defined multiple times",
        "config.multiple",
        raw_module,
        id="raw-multiple",
    ),
    # modules.sh: checkConfigOutput "bar" config.priorities ./raw.nix
    out("bar", "config.priorities", raw_module, id="raw-priorities"),
    # -- option collisions --------------------------------------------------------------------------
    # modules.sh: checkConfigError 'The option .set. in module .*/declare-set.nix. would be a parent of the following options, but its type .attribute set of signed integer. does not support nested options.\n\s*- option[(]s[)] with prefix .set.enable. in module .*/declare-enable-nested.nix.' config.set ./declare-set.nix ./declare-enable-nested.nix
    err(
        r"The option `set' in module `declare-set\.nix' would be a parent of the following options, but its type `attribute set of signed integer' does not support nested options\.\n\s*- option\(s\) with prefix `set\.enable' in module `declare-enable-nested\.nix'",
        "config.set",
        declare_set,
        declare_enable_nested,
        exc=DeclarationError,
        id="declare-set-nested-collision",
    ),
    # modules.sh: checkConfigError 'The option .group..*would be a parent of the following options, but its type .<no description>. does not support nested options.\n\s*- option.s. with prefix .group.enable..*' config.group.enable ./merge-typeless-option.nix
    err(
        r"The option `group'.*would be a parent of the following options, but its type `(<no description>|unspecified value)' does not support nested options\.\n\s*- option.s. with prefix `group\.enable'",
        "config.group.enable",
        merge_typeless_option,
        exc=DeclarationError,
        id="merge-typeless-option",
    ),
    # modules.sh: checkConfigError 'In module .*/options-type-error-typical.nix: expected an option declaration at option path .result. but got an attribute set with type option-type' config.result ./options-type-error-typical.nix
    err(
        r"expected an option declaration at option path `result`",
        "config.result",
        {"_file": "options-type-error-typical.nix", "options": {"result": types.str}},
        id="options-type-error-typical",
    ),
    # modules.sh: checkConfigError '... expected an option declaration at option path .result.here. ...' config.result.here ./options-type-error-typical-nested.nix
    err(
        r"expected an option declaration at option path `result\.here`",
        "config.result.here",
        {
            "_file": "options-type-error-typical-nested.nix",
            "options": {"result": {"here": types.str}},
        },
        id="options-type-error-typical-nested",
    ),
    # -- bare submodule pattern ---------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^1$' config.bare-submodule.nested ./declare-bare-submodule.nix ./declare-bare-submodule-nested-option.nix
    out(
        1,
        "config.bare-submodule.nested",
        _declare_bare_submodule(),
        declare_bare_submodule_nested_option,
        id="bare-submodule-nested",
    ),
    # modules.sh: checkConfigOutput '^2$' config.bare-submodule.deep ./declare-bare-submodule.nix ./declare-bare-submodule-deep-option.nix
    out(
        2,
        "config.bare-submodule.deep",
        _declare_bare_submodule(),
        declare_bare_submodule_deep_option,
        id="bare-submodule-deep",
    ),
    # modules.sh: checkConfigOutput '^42$' config.bare-submodule.nested ... ./define-bare-submodule-values.nix
    out(
        42,
        "config.bare-submodule.nested",
        _declare_bare_submodule(),
        declare_bare_submodule_nested_option,
        declare_bare_submodule_deep_option,
        define_bare_submodule_values,
        id="bare-submodule-nested-defined",
    ),
    # modules.sh: checkConfigOutput '^420$' config.bare-submodule.deep ... ./define-bare-submodule-values.nix
    out(
        420,
        "config.bare-submodule.deep",
        _declare_bare_submodule(),
        declare_bare_submodule_nested_option,
        declare_bare_submodule_deep_option,
        define_bare_submodule_values,
        id="bare-submodule-deep-defined",
    ),
    # modules.sh: checkConfigOutput '^2$' config.bare-submodule.deep ./declare-bare-submodule.nix ./declare-bare-submodule-deep-option.nix ./define-shorthandOnlyDefinesConfig-true.nix
    out(
        2,
        "config.bare-submodule.deep",
        _declare_bare_submodule(True),
        declare_bare_submodule_deep_option,
        id="bare-submodule-shorthandOnlyDefinesConfig-true",
    ),
    # modules.sh: checkConfigError 'The option .bare-submodule.deep. in .*/declare-bare-submodule-deep-option.nix. is already declared in .*/declare-bare-submodule-deep-option-duplicate.nix' ...
    err(
        r"The option `bare-submodule\.deep' in `declare-bare-submodule-deep-option\.nix' is already declared in `declare-bare-submodule-deep-option-duplicate\.nix'",
        "config.bare-submodule.deep",
        _declare_bare_submodule(),
        declare_bare_submodule_deep_option,
        declare_bare_submodule_deep_option_duplicate,
        exc=DeclarationError,
        id="bare-submodule-deep-duplicate",
    ),
    # -- anonymous modules and keys -----------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"pear"$' config.once.raw ./merge-module-with-key.nix
    out("pear", "config.once.raw", merge_module_with_key(), id="merge-module-with-key-once"),
    # modules.sh: checkConfigOutput '^"pear\\npear"$' config.twice.raw ./merge-module-with-key.nix
    out(
        "pear\npear", "config.twice.raw", merge_module_with_key(), id="merge-module-with-key-twice"
    ),
    # -- option name suggestions --------------------------------------------------------------------
    # modules.sh: checkConfigError 'Did you mean .set\.enable.\?' config.set ./error-typo-nested.nix
    err(
        r"The option `set\.ena' does not exist\.(.|\n)*Did you mean `set\.enable'\?",
        "config.set",
        error_typo_nested,
        exc=UndeclaredOptionError,
        id="error-typo-nested",
    ),
    # modules.sh: checkConfigError 'Did you mean .set.\?' config ./error-typo-outside-with-nested.nix
    err(
        r"The option `sea' does not exist\.(.|\n)*Did you mean `set'\?",
        ("config",),
        error_typo_outside_with_nested,
        exc=UndeclaredOptionError,
        id="error-typo-outside-with-nested",
    ),
    # modules.sh: checkConfigError 'Did you mean .bar., .baz. or .foo.\?' config ./error-typo-multiple-suggestions.nix
    err(
        r"Did you mean `bar', `baz' or `foo'\?",
        ("config",),
        error_typo_multiple_suggestions,
        exc=UndeclaredOptionError,
        id="error-typo-multiple-suggestions",
    ),
    # modules.sh: checkConfigError 'Did you mean .enable., .ebe. or .enabled.\?' config ./error-typo-large-attrset.nix
    err(
        r"Did you mean `enable', `ebe' or `enabled'\?",
        ("config",),
        error_typo_large_attrset,
        exc=UndeclaredOptionError,
        id="error-typo-large-attrset",
    ),
    # modules.sh: checkConfigError 'Did you mean .services\.myservice\.port. or .services\.myservice\.enable.\?' config.services.myservice ./error-typo-submodule.nix
    err(
        r"Did you mean `services\.myservice\.port' or `services\.myservice\.enable'\?",
        "config.services.myservice",
        error_typo_submodule,
        exc=UndeclaredOptionError,
        id="error-typo-submodule",
    ),
    # modules.sh: checkConfigError 'Did you mean .services\.nginx\.virtualHosts\."example\.com"\.ssl\.certificate. or ...\.certificateKey.\?' ... ./error-typo-deeply-nested.nix
    err(
        r"Did you mean `services\.nginx\.virtualHosts\.\"example\.com\"\.ssl\.certificate' or `services\.nginx\.virtualHosts\.\"example\.com\"\.ssl\.certificateKey'\?",
        ("config", "services", "nginx", "virtualHosts", "example.com"),
        error_typo_deeply_nested,
        exc=UndeclaredOptionError,
        id="error-typo-deeply-nested",
    ),
    # -- mkOption in config -------------------------------------------------------------------------
    # modules.sh: checkConfigError 'It seems as if you.re trying to declare an option by placing it into .config. rather than .options.' config.wrong1 ./error-mkOption-in-config.nix
    err(
        r"It seems as if you.re trying to declare an option by placing it into `config' rather than `options'",
        "config.wrong1",
        error_mk_option_in_config,
        exc=UndeclaredOptionError,
        id="error-mkOption-in-config",
    ),
    # modules.sh: checkConfigError 'It seems as if you.re trying to declare ...' config.nest.wrong2 ./error-mkOption-in-config.nix
    err(
        r"It seems as if you.re trying to declare an option by placing it into `config' rather than `options'",
        "config.nest.wrong2",
        error_mk_option_in_config,
        exc=UndeclaredOptionError,
        id="error-mkOption-in-config-nested",
    ),
    # modules.sh: checkConfigError 'The option .sub.wrong2. does not exist. Definition values:' config.sub ./error-mkOption-in-submodule-config.nix
    err(
        r"The option `sub\.wrong2' does not exist\. Definition values:",
        "config.sub",
        error_mk_option_in_submodule_config,
        exc=UndeclaredOptionError,
        id="error-mkOption-in-submodule-config",
    ),
    # modules.sh: checkConfigError '.*This can happen if you e.g. declared your options in .types.submodule.' config.sub ./error-mkOption-in-submodule-config.nix
    err(
        r"This can happen if you e\.g\. declared your options in `types\.submodule'",
        "config.sub",
        error_mk_option_in_submodule_config,
        exc=UndeclaredOptionError,
        id="error-mkOption-in-submodule-config-hint",
    ),
    # -- module shapes ------------------------------------------------------------------------------
    # modules.sh: checkConfigOutput '^"one two"$' config.result ./shorthand-meta.nix
    out("one two", "config.result", shorthand_meta, id="shorthand-meta"),
    # modules.sh: checkConfigError "In module .*test-push-down-non-attrs.nix., you're trying to define a value of type \`bool'\n\s*rather than an attribute set for the option" config ./test-push-down-non-attrs.nix
    err(
        r"In module `test-push-down-non-attrs\.nix', you're trying to define a value of type `bool'\n\s*rather than an attribute set for the option",
        ("config",),
        {"_file": "test-push-down-non-attrs.nix", "config": mk_if(True, True)},
        id="test-push-down-non-attrs",
    ),
    # modules.sh: checkConfigOutput '^true$' config.enable ./declare-enable.nix ./define-enable-with-top-level-mkIf.nix
    out(
        True,
        "config.enable",
        declare_enable,
        mk_if(True, {"enable": True}),
        id="define-enable-with-top-level-mkIf",
    ),
    # modules.sh: checkConfigOutput '"ok"' config.result ./specialArgs-lib.nix
    out(
        "ok",
        "config.result",
        lambda lib: {"options": {"result": mk_option(default=lib["marker"])}},
        special_args={"lib": {"marker": "ok"}},
        id="specialArgs-lib",
    ),
]


@pytest.mark.parametrize(("modules", "path", "expected", "special_args"), CASES)
def test_modules_sh(modules: list[Any], path: Any, expected: Any, special_args: Any) -> None:
    if not (
        isinstance(expected, tuple)
        and len(expected) == 2
        and isinstance(expected[0], type)
        and issubclass(expected[0], BaseException)
    ):
        failure = None
        try:
            value = evaluate(modules, path, special_args)
        except ModsysError as exc:
            failure = f"{type(exc).__name__}: {error_text(exc)}"
        if failure is not None:
            pytest.fail(failure, pytrace=False)
        assert value == expected
        return
    exc_type, pattern = expected
    got: tuple[type[BaseException], str] | None = None
    try:
        value = evaluate(modules, path, special_args)
    except ModsysError as exc:
        # keep only the type and the text: the traceback of a deep evaluation is heavy to report
        got = (type(exc), error_text(exc))
    if got is None:
        pytest.fail(f"expected {exc_type.__name__}, but the value was {value!r}")
    raised, text = got
    assert issubclass(raised, exc_type), (
        f"expected {exc_type.__name__}, got {raised.__name__}: {text}"
    )
    assert re.search(pattern, text), f"pattern {pattern!r} not found in:\n{text}"


# ---------------------------------------------------------------------------------------------
# Cases that need more than "read one value"


def test_declare_define_enable_option_record() -> None:
    # modules.sh has no direct check; shared doc §5.6 [exp]: definitionsWithLocations, files,
    # highestPrio, isDefined of an option with a default and one definition.
    ev = eval_modules(
        [
            {"_file": "decl.nix", "options": {"p": mk_option(type=types.int, default=5)}},
            {"_file": "f1.nix", "p": 7},
        ]
    )
    opt = ev.options["p"]
    assert opt.value == 7
    assert opt.is_defined is True
    assert opt.highest_prio == 100
    assert list(opt.files) == ["f1.nix"]
    [d] = opt.definitions_with_locations
    assert (d.file, d.value) == ("f1.nix", 7)
    assert "decl.nix" in list(opt.declarations)


@pytest.mark.parametrize(
    ("definition", "prio", "defined"),
    [
        pytest.param([], 9999, False, id="no-definition-no-default"),
        pytest.param([{"p": mk_default(1)}], 1000, True, id="mkDefault"),
        pytest.param([{"p": mk_force(1)}], 50, True, id="mkForce"),
        pytest.param([{"p": mk_override(10, 1)}], 10, True, id="mkOverride-10"),
        pytest.param([{"p": mk_option_default(1)}], 1500, True, id="mkOptionDefault"),
    ],
)
def test_highest_prio(definition: list[Any], prio: int, defined: bool) -> None:
    # shared doc §5.6: highestPrio 100 plain, 1000 mkDefault, 1500 only the default, 9999 none.
    ev = eval_modules([{"options": {"p": mk_option(type=types.int)}}, *definition])
    assert ev.options["p"].highest_prio == prio
    assert ev.options["p"].is_defined is defined


def test_highest_prio_only_default() -> None:
    ev = eval_modules([{"options": {"p": mk_option(type=types.int, default=3)}}])
    assert ev.options["p"].highest_prio == 1500
    assert ev.options["p"].value == 3


def test_list_undefined_is_empty_but_not_defined() -> None:
    # shared doc §12: listOf has emptyValue [] with isDefined = false.
    ev = eval_modules([{"options": {"l": mk_option(type=types.list_of(types.int))}}])
    assert list(ev.config.l) == []
    assert ev.options["l"].is_defined is False


def test_imports_twice_by_path_counts_once() -> None:
    # shared doc §3.4: a path imported twice counts once (else `enable' would be declared twice,
    # with two defaults: "is already declared").
    ev = eval_modules(
        [NIX / "import_twice_a.py", NIX / "import_twice_b.py", NIX / "declare_enable.py"]
    )
    assert ev.config.enable is False


def test_disable_module_with_key() -> None:
    # modules.sh: checkConfigOutput '^true$' 'config.positive.enable' ./disable-module-with-key.nix
    # modules.sh: checkConfigOutput '^false$' 'config.negative.enable' ./disable-module-with-key.nix
    module_with_key = {
        "key": "disable-module-with-key.nix#moduleWithKey",
        "config": {"enable": True},
    }
    ev = eval_modules(
        [
            {
                "options": {
                    "positive": mk_option(
                        type=types.submodule(
                            {"imports": [NIX / "declare_enable.py", module_with_key]}
                        ),
                        default={},
                    ),
                    "negative": mk_option(
                        type=types.submodule(
                            {
                                "imports": [
                                    NIX / "declare_enable.py",
                                    module_with_key,
                                    {"disabled_modules": [module_with_key]},
                                ]
                            }
                        ),
                        default={},
                    ),
                }
            }
        ]
    )
    assert ev.config.positive.enable is True
    assert ev.config.negative.enable is False


def test_disable_module_bad_key() -> None:
    # modules.sh: checkConfigError 'Module ..*disable-module-bad-key.nix. contains a disabledModules item that is an attribute set, presumably a module, that does not have a .key. attribute. .*' 'config.enable' ./disable-module-bad-key.nix
    with pytest.raises(ModsysError) as info:
        ev = eval_modules(
            [
                NIX / "declare_enable.py",
                {
                    "_file": "disable-module-bad-key.nix",
                    "disabled_modules": [{"config": {"enable": True}}],
                },
            ]
        )
        _ = ev.config.enable
    assert re.search(r"does not have a .key. attribute", error_text(info.value))


def test_do_rename_warning() -> None:
    # modules.sh: checkConfigOutput '^"The option `a\.b. defined in `.*/doRename-warnings\.nix. has been renamed to `c\.d\.e.\.\"$' config.result ./doRename-warnings.nix
    from modsys import assertions_module, mk_renamed_option_module

    ev = eval_modules(
        [
            assertions_module,
            mk_renamed_option_module(["a", "b"], ["c", "d", "e"]),
            {
                "_file": "doRename-warnings.nix",
                "options": {"c": {"d": {"e": mk_option()}}},
                "config": {"a": {"b": 1234}},
            },
        ]
    )
    assert ev.config.c.d.e == 1234
    warnings = ev.check()
    assert list(warnings) == [
        "The option `a.b' defined in `doRename-warnings.nix' has been renamed to `c.d.e'."
    ]


def _removed_base() -> list[Any]:
    from modsys import assertions_module, mk_removed_option_module

    return [assertions_module, mk_removed_option_module(["old"], "Use `new' instead.")]


REMOVED_MESSAGE = (
    "The option `old' can no longer be used since it's been removed. Use `new' instead."
)


def test_removed_option_module_defined() -> None:
    # shared doc §11: mkRemovedOptionModule declares the path with an apply that throws, and an
    # assertion that fails when the old option is defined.
    from modsys import AssertionFailedError

    assert eval_modules(_removed_base()).check() == []
    ev = eval_modules([*_removed_base(), {"_file": "user.nix", "old": 1}])
    with pytest.raises(ModsysError) as info:
        _ = ev.config.old
    assert REMOVED_MESSAGE in error_text(info.value)
    with pytest.raises(AssertionFailedError) as failed:
        ev.check()
    assert (
        "The option definition `old' in `user.nix' no longer has any effect; please remove it."
        in str(failed.value)
    )
    assert "Use `new' instead." in str(failed.value)


def test_removed_option_module_undefined() -> None:
    with pytest.raises(ModsysError) as info:
        _ = eval_modules(_removed_base()).config.old
    assert REMOVED_MESSAGE in error_text(info.value)


def test_changed_option_module() -> None:
    # shared doc §11: mkChangedOptionModule = mkMergedOptionModule [from] to changeFn; warns.
    from modsys import assertions_module, mk_changed_option_module

    base = [
        assertions_module,
        mk_changed_option_module(["a"], ["b"], lambda config: config.a * 2),
        {"options": {"b": mk_option(type=types.int, default=0)}},
    ]
    assert eval_modules(base).config.b == 0
    ev = eval_modules([*base, {"_file": "user.nix", "a": 21}])
    assert ev.config.b == 42
    [warning] = ev.check()
    assert warning.startswith(
        "The option `a' defined in `user.nix' has been changed to `b' that has a different type."
    )


def test_renamed_option_module_forwards_priority() -> None:
    # shared doc §11: definitions move to the new path with their priority (withPriority).
    from modsys import mk_renamed_option_module

    ev = eval_modules(
        [
            mk_renamed_option_module(["old"], ["new"]),
            {"options": {"new": mk_option(type=types.int)}},
            {"old": mk_default(1)},
            {"new": 2},
        ]
    )
    assert ev.config.new == 2
    assert ev.config.old == 2


def test_submodule_files_propagated() -> None:
    # modules.sh: checkConfigOutput the-file.nix config.submodule.internalFiles.0 ./submoduleFiles.nix
    def module(options):
        return {
            "options": {
                "submodule": mk_option(
                    type=types.submodule({"options": {"x": mk_option(type=types.int, default=0)}}),
                    default={},
                ),
            },
            "imports": [{"_file": "the-file.nix", "submodule": {"x": 1}}],
        }

    ev = eval_modules([module])
    assert ev.config.submodule.x == 1
    assert "the-file.nix" in list(ev.options["submodule"].files)


def test_errors_are_lazy() -> None:
    # modules.sh relies on it throughout: a bad definition that is never read never fails.
    ev = eval_modules(
        [
            {"options": {"bad": mk_option(type=types.int), "good": mk_option(type=types.int)}},
            {"bad": "not an int", "good": 1},
        ]
    )
    assert ev.config.good == 1
    with pytest.raises(TypeMismatchError):
        _ = ev.config.bad


# ---------------------------------------------------------------------------------------------
# Semantics the upstream checks rely on without a dedicated line in modules.sh, from
# `../shared/docs/module-system.md` (section named per case; [exp] there = checked against Nix).


def _opt(name: str, type_: Any = None, file: str = "decl.nix", **kw: Any) -> dict[str, Any]:
    if type_ is not None:
        kw["type"] = type_
    return {"_file": file, "options": {name: mk_option(**kw)}}


def _def(file: str, **config: Any) -> dict[str, Any]:
    return {"_file": file, **config}


def _self_negating(config):
    return {"options": {"x": mk_option(type=types.bool)}, "config": {"x": lambda: not config.x}}


def _keys_depend_on_config(config):
    # `lib.optionalAttrs config.x { y = 1; }`: the attribute names depend on config (§9)
    return {
        "options": {
            "x": mk_option(type=types.bool, default=True),
            "y": mk_option(type=types.int, default=0),
        },
        "config": lambda: {"y": 1} if config.x else {},
    }


def _module_level_if(config):
    return {
        "options": {
            "x": mk_option(type=types.bool, default=True),
            "y": mk_option(type=types.int, default=0),
        },
        "config": mk_if(lambda: config.x, {"y": 1}),
    }


def _if_thunk(config):
    return {
        "options": {
            "flag": mk_option(type=types.bool, default=False),
            "v": mk_option(type=types.int, default=1),
        },
        "config": {"flag": True, "v": mk_if(lambda: config.flag, 5)},
    }


def _import_order():
    a11 = {"l": ["a11"]}
    a1 = {"imports": [a11], "l": ["a1"]}
    b1 = {"l": ["b1"]}
    a = {"imports": [a1], "l": ["a"]}
    b = {"imports": [b1], "l": ["b"]}
    return [_opt("l", types.list_of(types.str)), a, b]


def _submodule_names():
    named = types.submodule(
        lambda name: {"options": {"n": mk_option(type=types.str, default=lambda: name)}}
    )
    return {
        "options": {
            "byKey": mk_option(type=types.attrs_of(named), default={}),
            "plain": mk_option(type=named, default={}),
            "inList": mk_option(type=types.list_of(named), default=[]),
        },
        "config": {"byKey": {"alice": {}}, "inList": [{}]},
    }


_sub_x = types.submodule({"options": {"x": mk_option(type=types.int, default=0)}})
_sub_y = types.submodule({"options": {"y": mk_option(type=types.int, default=0)}})
_sub_yz = types.submodule(
    {
        "options": {
            "y": mk_option(type=types.int, default=0),
            "z": mk_option(type=types.int, default=0),
        }
    }
)

SEMANTICS = [
    # -- mkIf (§5.4, §5.5 step 3) ---------------------------------------------------------------
    out(
        1,
        "config.v",
        _opt("v", types.int, default=1),
        {"v": mk_if(False, 2)},
        id="mkIf-false-falls-back-to-default",
    ),
    out(
        1,
        "config.v",
        _opt("v", types.int, default=1),
        {"v": mk_if(True, mk_if(False, 2))},
        id="mkIf-nested-false",
    ),
    out(
        2,
        "config.v",
        _opt("v", types.int, default=1),
        {"v": mk_if(True, mk_if(True, 2))},
        id="mkIf-nested-true",
    ),
    out(5, "config.v", _if_thunk, id="mkIf-condition-thunk-on-config"),
    out(1, "config.y", _module_level_if, id="mkIf-module-level-pushed-down"),
    err(
        r"called with a non-Boolean condition",
        "config.v",
        _opt("v", types.int, default=1),
        {"v": mk_if("yes", 2)},
        id="mkIf-non-bool-condition",
    ),
    err(
        r"called with a non-Boolean condition",
        "config.v",
        _opt("v", types.int, default=1),
        {"v": mk_if(lambda: 1, 2)},
        id="mkIf-non-bool-condition-thunk",
    ),
    # -- mkMerge (§3.5, §5.5) ------------------------------------------------------------------
    out(
        ["1", "2"],
        "config.l",
        _opt("l", types.list_of(types.str)),
        {"l": mk_merge([["1"], ["2"]])},
        id="mkMerge-keeps-written-order",
    ),
    out(
        2,
        "config.p",
        _opt("p", types.int),
        {"p": mk_merge([mk_default(1), 2])},
        id="mkMerge-priorities-inside",
    ),
    out(
        {"a": 1, "b": 2},
        "config.s",
        _opt("s", types.attrs_of(types.int)),
        mk_merge([{"s": {"a": 1}}, {"s": {"b": 2}}]),
        id="mkMerge-as-module",
    ),
    # -- priorities (§5.4, §5.5 step 4) ---------------------------------------------------------
    out(
        2,
        "config.p",
        _opt("p", types.int, default=0),
        {"p": mk_default(1)},
        {"p": 2},
        id="plain-beats-mkDefault",
    ),
    out(
        3,
        "config.p",
        _opt("p", types.int, default=0),
        {"p": 2},
        {"p": mk_force(3)},
        {"p": mk_default(1)},
        id="mkForce-beats-plain",
    ),
    out(
        1,
        "config.p",
        _opt("p", types.int, default=0),
        {"p": mk_default(1)},
        id="mkDefault-beats-default",
    ),
    out(
        7,
        "config.p",
        _opt("p", types.int, default=0),
        {"p": mk_override(10, 7)},
        {"p": mk_force(3)},
        id="mkOverride-10-beats-mkForce",
    ),
    out(
        7, "config.p", _opt("p", types.int), {"p": mk_option_default(7)}, id="mkOptionDefault-alone"
    ),
    err(
        r"The option `p' has conflicting definition values:",
        "config.p",
        _opt("p", types.int, default=0),
        {"p": mk_option_default(7)},
        exc=ConflictingDefinitionsError,
        id="mkOptionDefault-ties-with-default",
    ),
    err(
        r"The option `s' has conflicting definition values:\n"
        + IN("b.nix")
        + r': "y"\n'
        + IN("a.nix")
        + r': "x"\nUse `',
        "config.s",
        _opt("s", types.str),
        _def("a.nix", s=mk_force("x")),
        _def("b.nix", s=mk_force("y")),
        exc=ConflictingDefinitionsError,
        id="two-mkForce-conflict",
    ),
    # -- list order: merge order and mkOrder (§3.5, §5.5 step 5) --------------------------------
    out(
        ["b", "a"],
        "config.l",
        _opt("l", types.list_of(types.str)),
        {"l": ["a"]},
        {"l": ["b"]},
        id="list-merge-order-reversed",
    ),
    out(["a11", "b1", "a1", "b", "a"], "config.l", *_import_order(), id="list-import-order"),
    out(
        ["first", "b", "a", "last"],
        "config.l",
        _opt("l", types.list_of(types.str)),
        {"l": ["a"]},
        {"l": mk_after(["last"])},
        {"l": ["b"]},
        {"l": mk_before(["first"])},
        id="mkBefore-mkAfter",
    ),
    out(
        ["p10", "p20", "plain", "p2000"],
        "config.l",
        _opt("l", types.list_of(types.str)),
        {"l": mk_order(2000, ["p2000"])},
        {"l": mk_order(20, ["p20"])},
        {"l": ["plain"]},
        {"l": mk_order(10, ["p10"])},
        id="mkOrder-explicit",
    ),
    out(
        ["b", "c"],
        "config.l",
        _opt("l", types.list_of(types.str)),
        {"l": ["a"]},
        {"l": mk_force(["c"])},
        {"l": mk_force(mk_before(["b"]))},
        id="mkForce-of-mkBefore",
    ),
    out("b\na", "config.t", _opt("t", types.lines), {"t": "a"}, {"t": "b"}, id="lines-merge-order"),
    out("b,a", "config.t", _opt("t", types.commas), {"t": "a"}, {"t": "b"}, id="commas"),
    out(
        "b:a",
        "config.t",
        _opt("t", types.separated_string(":")),
        {"t": "a"},
        {"t": "b"},
        id="separatedString",
    ),
    # -- attrs (shallow), attrsOf (per key), anything (recursive) (§7.1, §7.2) -------------------
    out(
        {"a": {"x": 1}, "b": 1},
        "config.s",
        _opt("s", types.attrs),
        {"s": {"a": {"x": 1}}},
        {"s": {"a": {"y": 2}, "b": 1}},
        id="attrs-shallow-merge-earliest-module-wins",
    ),
    out(
        {"x": 1, "y": 2},
        "config.s",
        _opt("s", types.attrs_of(types.int)),
        {"s": {"x": 1}},
        {"s": {"y": 2}},
        id="attrsOf-per-key",
    ),
    out(
        {"a": {"x": 1, "y": 2}},
        "config.s",
        _opt("s", types.attrs_of(types.attrs_of(types.int))),
        {"s": {"a": {"x": 1}}},
        {"s": {"a": {"y": 2}}},
        id="attrsOf-attrsOf-nested",
    ),
    err(
        r"The option `s\.x' has conflicting definition values",
        "config.s.x",
        _opt("s", types.attrs_of(types.int)),
        {"s": {"x": 1}},
        {"s": {"x": 2}},
        exc=ConflictingDefinitionsError,
        id="attrsOf-key-conflict",
    ),
    err(
        r"A definition for option `s\.x' is not of type `signed integer'",
        "config.s.x",
        _opt("s", types.attrs_of(types.int)),
        {"s": {"x": "one"}},
        exc=TypeMismatchError,
        id="attrsOf-element-type",
    ),
    out(
        {"a": {"x": 1, "y": [1]}, "b": 2},
        "config.v",
        _opt("v", types.anything),
        {"v": {"a": {"x": 1}}},
        {"v": {"a": {"y": [1]}, "b": 2}},
        id="anything-recursive-merge",
    ),
    err(
        r"The option `v' has conflicting option types",
        "config.v",
        _opt("v", types.anything),
        {"v": 1},
        {"v": "x"},
        id="anything-conflicting-types",
    ),
    # -- scalar types (§7.1) ------------------------------------------------------------------
    err(
        r"The option `b' has conflicting definition values",
        "config.b",
        _opt("b", types.bool),
        {"b": True},
        {"b": False},
        exc=ConflictingDefinitionsError,
        id="bool-conflict",
    ),
    out(
        True,
        "config.b",
        _opt("b", types.bool),
        {"b": True},
        {"b": True},
        id="bool-equal-definitions",
    ),
    out("x", "config.s", _opt("s", types.str), {"s": "x"}, {"s": "x"}, id="str-equal-definitions"),
    err(
        r"The option `s' has conflicting definition values:\n"
        + IN("b.nix")
        + r': "y"\n'
        + IN("a.nix")
        + r': "x"',
        "config.s",
        _opt("s", types.str),
        _def("a.nix", s="x"),
        _def("b.nix", s="y"),
        exc=ConflictingDefinitionsError,
        id="str-conflict-message",
    ),
    err(
        r"is not of type `signed integer'",
        "config.i",
        _opt("i", types.int),
        {"i": True},
        exc=TypeMismatchError,
        id="int-rejects-bool",
    ),
    err(
        r"is not of type `floating point number'",
        "config.f",
        _opt("f", types.float),
        {"f": 1},
        exc=TypeMismatchError,
        id="float-rejects-int",
    ),
    out(1.5, "config.f", _opt("f", types.float), {"f": 1.5}, id="float"),
    out(1, "config.n", _opt("n", types.number), {"n": 1}, id="number-int"),
    err(
        r"is not of type `string'",
        "config.s",
        _opt("s", types.str),
        {"s": 1},
        exc=TypeMismatchError,
        id="str-rejects-int",
    ),
    err(
        r"is not of type `8 bit unsigned integer; between 0 and 255 \(both inclusive\)'",
        "config.i",
        _opt("i", types.ints.u8),
        {"i": 256},
        exc=TypeMismatchError,
        id="ints-u8",
    ),
    err(
        r"is not of type `8 bit signed integer; between -128 and 127 \(both inclusive\)'",
        "config.i",
        _opt("i", types.ints.s8),
        {"i": -129},
        exc=TypeMismatchError,
        id="ints-s8",
    ),
    err(
        r"is not of type `16 bit unsigned integer; between 0 and 65535 \(both inclusive\)'",
        "config.i",
        _opt("i", types.port),
        {"i": 65536},
        exc=TypeMismatchError,
        id="port",
    ),
    out(65535, "config.i", _opt("i", types.port), {"i": 65535}, id="port-max"),
    err(
        r"is not of type `one of \"a\", \"b\"'",
        "config.e",
        _opt("e", types.enum(["a", "b"])),
        {"e": "c"},
        exc=TypeMismatchError,
        id="enum",
    ),
    err(
        r"is not of type `value \"a\" \(singular enum\)'",
        "config.e",
        _opt("e", types.enum(["a"])),
        {"e": "c"},
        exc=TypeMismatchError,
        id="enum-singular",
    ),
    err(
        r"is not of type `string matching the pattern \^\[a-z\]\+\$'",
        "config.s",
        _opt("s", types.str_matching("^[a-z]+$")),
        {"s": "ABC"},
        exc=TypeMismatchError,
        id="strMatching",
    ),
    err(
        r"is not of type `non-empty string'",
        "config.s",
        _opt("s", types.non_empty_str),
        {"s": " \t"},
        exc=TypeMismatchError,
        id="nonEmptyStr",
    ),
    err(
        r"is not of type `\(optionally newline-terminated\) single-line string'",
        "config.s",
        _opt("s", types.single_line_str),
        {"s": "a\nb"},
        exc=TypeMismatchError,
        id="singleLineStr",
    ),
    err(
        r"is not of type `absolute path'",
        "config.p",
        _opt("p", types.path),
        {"p": "relative/x"},
        exc=TypeMismatchError,
        id="path-absolute",
    ),
    out([2, 1], "config.u", _opt("u"), {"u": [1]}, {"u": [2]}, id="unspecified-lists-concatenate"),
    err(
        r"Cannot merge definitions of `u'",
        "config.u",
        _opt("u"),
        {"u": 1},
        {"u": "x"},
        id="unspecified-cannot-merge",
    ),
    # -- listOf (§7.2) ------------------------------------------------------------------------
    err(
        r"A definition for option `l\.\"\[definition 1-entry 2\]\"' is not of type `signed integer'",
        "config.l",
        _opt("l", types.list_of(types.int)),
        {"l": [1, "x"]},
        exc=TypeMismatchError,
        id="listOf-element-type",
    ),
    err(
        r"A definition for option `l' is not of type `list of signed integer'",
        "config.l",
        _opt("l", types.list_of(types.int)),
        {"l": 1},
        exc=TypeMismatchError,
        id="listOf-not-a-list",
    ),
    out(
        [1, 3],
        "config.l",
        _opt("l", types.list_of(types.int)),
        {"l": [1, mk_if(False, 2), 3]},
        id="listOf-mkIf-false-element-dropped",
    ),
    # -- nullOr / either / oneOf (§7.2) --------------------------------------------------------
    out(
        None,
        "config.n",
        _opt("n", types.null_or(types.int)),
        {"n": None},
        {"n": None},
        id="nullOr-all-null",
    ),
    err(
        r"The option `n` is defined both null and not null, in `b\.nix' and `a\.nix'",
        "config.n",
        _opt("n", types.null_or(types.int)),
        _def("a.nix", n=None),
        _def("b.nix", n=1),
        id="nullOr-mixed",
    ),
    err(
        r"A definition for option `value' is not of type `signed integer or string'\. TypeError: The option `value` is neither a value of type `signed integer` nor `string`",
        "config.value",
        declare_either,
        {"value": 1},
        {"value": "x"},
        exc=TypeMismatchError,
        id="either-mixed-definitions",
    ),
    err(
        r"A definition for option `value' is not of type `signed integer or string'",
        "config.value",
        declare_either,
        {"value": 1.5},
        exc=TypeMismatchError,
        id="either-neither",
    ),
    # -- uniq / unique / addCheck (§7.2) ------------------------------------------------------
    err(
        r"The option `u' is defined multiple times while it's expected to be unique",
        "config.u",
        _opt("u", types.uniq(types.int)),
        {"u": 1},
        {"u": 1},
        id="uniq-twice-even-equal",
    ),
    out(1, "config.u", _opt("u", types.uniq(types.int)), {"u": 1}, id="uniq-once"),
    out(
        2,
        "config.u",
        _opt("u", types.uniq(types.int)),
        {"u": 1},
        {"u": mk_force(2)},
        id="uniq-priorities-first",
    ),
    out(
        4,
        "config.e",
        _opt("e", types.add_check(types.int, lambda v: v % 2 == 0)),
        {"e": 4},
        id="addCheck-pass",
    ),
    err(
        r"A definition for option `e' is not of type `signed integer'",
        "config.e",
        _opt("e", types.add_check(types.int, lambda v: v % 2 == 0)),
        {"e": 3},
        exc=TypeMismatchError,
        id="addCheck-fail",
    ),
    # -- declarations merging (§5.2) ----------------------------------------------------------
    err(
        r"^The option `value' in `a\.nix' is already declared in `b\.nix'\.",
        "config.value",
        _opt("value", types.int, file="a.nix"),
        _opt("value", types.str, file="b.nix"),
        exc=DeclarationError,
        id="declared-twice-incompatible-types",
    ),
    err(
        r"The option `value' in `a\.nix' is already declared in `b\.nix'\.",
        "config.value",
        _opt("value", types.int, file="a.nix", default=1),
        _opt("value", types.int, file="b.nix", default=1),
        exc=DeclarationError,
        id="declared-twice-two-defaults",
    ),
    out(
        True,
        "config.value",
        _opt("value", types.bool, file="a.nix"),
        _opt("value", types.bool, file="b.nix", default=True),
        id="declared-twice-compatible",
    ),
    out(
        "y",
        "config.e",
        _opt("e", types.enum(["x"])),
        _opt("e", types.enum(["y"])),
        {"e": "y"},
        id="declared-twice-enum-union",
    ),
    # contract: keep the check nixpkgs loses when `ints.positive' is declared twice
    err(
        r"is not of type `positive integer, meaning >0'",
        "config.p",
        _opt("p", types.ints.positive),
        _opt("p", types.ints.positive),
        {"p": -1},
        exc=TypeMismatchError,
        id="declared-twice-ints-positive-keeps-check",
    ),
    # -- readOnly (§5.5 step 2) --------------------------------------------------------------
    err(
        r"The option `r' is read-only, but it's set multiple times\. Definition values:",
        "config.r",
        _opt("r", types.int, default=1, read_only=True),
        {"r": 2},
        exc=ReadOnlyOptionError,
        id="readOnly-default-plus-definition",
    ),
    out(
        2, "config.r", _opt("r", types.int, read_only=True), {"r": 2}, id="readOnly-one-definition"
    ),
    err(
        r"The option `r' is read-only, but it's set multiple times",
        "config.r",
        _opt("r", types.int, read_only=True),
        {"r": 2},
        {"r": 2},
        exc=ReadOnlyOptionError,
        id="readOnly-two-definitions",
    ),
    err(
        r"The option `r' is read-only, but it's set multiple times",
        "config.r",
        _opt("r", types.int, read_only=True),
        {"r": 2},
        {"r": mk_if(False, 3)},
        exc=ReadOnlyOptionError,
        id="readOnly-mkIf-false-counts",
    ),
    out(
        2,
        "config.r",
        _opt("r", types.int, read_only=True),
        {"r": mk_merge([2, 2])},
        id="readOnly-one-mkMerge-counts-once",
    ),
    # -- submodules (§8) ----------------------------------------------------------------------
    out("alice", "config.byKey.alice.n", _submodule_names(), id="submodule-name-attrsOf-key"),
    out("plain", "config.plain.n", _submodule_names(), id="submodule-name-option-name"),
    out(
        "[definition 1-entry 1]",
        "config.inList.0.n",
        _submodule_names(),
        id="submodule-name-listOf",
    ),
    out(
        {"x": 1, "y": 2},
        "config.s",
        _opt("s", _sub_x, default={}),
        _opt("s", _sub_y),
        {"s": {"x": 1}},
        {"s": {"y": 2}},
        id="submodule-declared-twice-merges-modules",
    ),
    out(
        {"y": 1, "z": 0},
        "config.s",
        _opt("s", _sub_yz, default={}),
        {"s": mk_force({"y": 1})},
        {"s": {"y": 2, "z": 3}},
        id="submodule-mkForce-whole-value",
    ),
    out(
        {"y": 1, "z": 0},
        "config.s",
        _opt("s", _sub_yz, default={"z": 7}),
        {"s": {"y": 1}},
        id="submodule-default-dropped-by-definition",
    ),
    out(
        {"y": 0, "z": 7},
        "config.s",
        _opt("s", _sub_yz, default={"z": 7}),
        id="submodule-default-alone",
    ),
    out(
        {"y": 2, "z": 0},
        "config.s",
        _opt("s", _sub_yz, default={}),
        {"s": {"y": mk_default(1)}},
        {"s": {"y": 2}},
        id="submodule-per-sub-option-priorities",
    ),
    err(
        r"A definition for option `s\.x\.a' is not of type `signed integer'",
        "config.s.x.a",
        _opt("s", types.attrs_of(types.submodule({"options": {"a": mk_option(type=types.int)}}))),
        {"s": {"x": {"a": "no"}}},
        exc=TypeMismatchError,
        id="submodule-error-full-loc",
    ),
    err(
        r"The option `s\.x\.b' does not exist",
        "config.s.x",
        _opt(
            "s",
            types.attrs_of(
                types.submodule({"options": {"a": mk_option(type=types.int, default=0)}})
            ),
        ),
        {"s": {"x": {"b": 1}}},
        exc=UndeclaredOptionError,
        id="submodule-undeclared-full-loc",
    ),
    out(
        {"inner": True},
        "config.s",
        _opt("s", types.submodule({"freeform_type": types.attrs_of(types.bool)}), default={}),
        {"s": {"inner": True}},
        id="submodule-freeform",
    ),
    # -- infinite recursion (§9) -------------------------------------------------------------
    err(
        r"infinite recursion",
        "config.x",
        _self_negating,
        exc=InfiniteRecursionError,
        id="infinite-recursion-self",
    ),
    err(
        r"infinite recursion",
        "config.y",
        _keys_depend_on_config,
        exc=InfiniteRecursionError,
        id="infinite-recursion-attr-names-depend-on-config",
    ),
    # -- module shapes (§2) -------------------------------------------------------------------
    err(
        r"has an unsupported attribute `foo'\. This is caused by introducing a top-level `config' or `options' attribute",
        "config.p",
        _opt("p", types.int, default=1),
        {"config": {"p": 2}, "foo": 1},
        exc=ModsysError,
        id="unsupported-attribute",
    ),
    err(
        r"Module imports can't be nested lists",
        "config.p",
        _opt("p", types.int, default=1),
        {"imports": [[{"p": 2}]]},
        id="nested-list-import",
    ),
    out(
        2,
        "config.p",
        _opt("p", types.int, default=1),
        {"_file": "x.nix", "key": "k", "disabled_modules": [], "imports": [], "p": 2},
        id="shorthand-reserved-keys-not-config",
    ),
    out(
        2,
        "config.p",
        _opt("p", types.int, default=1),
        {"config": {"p": 2}, "imports": []},
        id="full-form",
    ),
]


@pytest.mark.parametrize(("modules", "path", "expected", "special_args"), SEMANTICS)
def test_semantics(modules: list[Any], path: Any, expected: Any, special_args: Any) -> None:
    test_modules_sh(modules, path, expected, special_args)


def test_infinite_recursion_names_the_chain() -> None:
    # contract: "an infinite recursion error naming the chain of option paths"
    def module(config):
        return {
            "options": {"a": mk_option(type=types.int), "b": mk_option(type=types.int)},
            "config": {"a": lambda: config.b + 1, "b": lambda: config.a + 1},
        }

    with pytest.raises(InfiniteRecursionError) as info:
        _ = eval_modules([module]).config.a
    assert "infinite recursion" in str(info.value)
    assert re.search(r"\ba\b", str(info.value)) and re.search(r"\bb\b", str(info.value))
    chain = {tuple(p) for p in info.value.chain}
    assert {("a",), ("b",)} <= chain


def test_reading_config_during_collection_is_an_error() -> None:
    # §3 step 1 / §9: imports and module structure must not depend on config.
    def module(config):
        return {"imports": [define_enable] if config.enable else []}

    with pytest.raises(ModsysError) as info:
        ev = eval_modules([declare_enable, module])
        _ = ev.config.enable
    assert not isinstance(info.value, RecursionError)


def test_reading_config_outside_thunk_is_an_error() -> None:
    def module(config):
        return {"y": config.x}

    with pytest.raises(ModsysError):
        ev = eval_modules([_opt("x", types.int, default=1), _opt("y", types.int), module])
        _ = ev.config.y


def test_to_dict_leaves_out_module_and_undeclared_when_check_off() -> None:
    # §1.3 / §6.3: config has no `_module`; with _module.check = false undeclared defs are dropped.
    ev = eval_modules([declare_enable, define_enable, define_attrs_of_sub_foo, define_module_check])
    assert ev.config.to_dict() == {"enable": True}


def test_extend_modules() -> None:
    # §1.3 extendModules: re-evaluate with more modules.
    ev = eval_modules([declare_enable])
    assert ev.config.enable is False
    ev2 = ev.extend_modules([define_enable])
    assert ev2.config.enable is True
    assert ev.config.enable is False


def test_prefix_in_error_messages() -> None:
    # §1.1: prefix appears in error messages and option locs.
    ev = eval_modules([_opt("x", types.int), {"x": "nope"}], prefix=("outer",))
    with pytest.raises(TypeMismatchError) as info:
        _ = ev.config.x
    assert "`outer.x'" in str(info.value)


def test_mk_enable_option() -> None:
    # §5.1 mkEnableOption
    from modsys import mk_enable_option

    ev = eval_modules([{"options": {"svc": {"enable": mk_enable_option("the service")}}}])
    assert ev.config.svc.enable is False
    assert ev.options["svc"]["enable"].description == "Whether to enable the service."


def test_apply() -> None:
    # §5.5 step 7: apply runs on the merged value, including a default.
    ev = eval_modules([_opt("x", types.int, default=1, apply=lambda v: v * 10)])
    assert ev.config.x == 10
    ev = eval_modules([_opt("x", types.int, default=1, apply=lambda v: v * 10), {"x": 2}])
    assert ev.config.x == 20


def test_error_carries_loc() -> None:
    # contract: each error carries the option path and the definition locations.
    ev = eval_modules([_opt("a", types.attrs_of(types.int)), _def("f.nix", a={"b": "x"})])
    with pytest.raises(TypeMismatchError) as info:
        _ = ev.config.a.b
    assert info.value.loc == ("a", "b")
    assert any(loc.file == "f.nix" for loc in info.value.locations)


@pytest.mark.parametrize(
    ("type_", "description"),
    [
        # shared doc §7.1 / §7.2 [exp] descriptions
        pytest.param(types.int, "signed integer", id="int"),
        pytest.param(types.bool, "boolean", id="bool"),
        pytest.param(types.str, "string", id="str"),
        pytest.param(types.list_of(types.str), "list of string", id="listOf-str"),
        pytest.param(types.null_or(types.str), "null or string", id="nullOr-str"),
        pytest.param(
            types.attrs_of(types.submodule({})),
            "attribute set of (submodule)",
            id="attrsOf-submodule",
        ),
        pytest.param(
            types.lazy_attrs_of(types.int),
            "lazy attribute set of signed integer",
            id="lazyAttrsOf-int",
        ),
        pytest.param(
            types.attrs_of(types.either(types.int, types.str)),
            "attribute set of (signed integer or string)",
            id="attrsOf-either",
        ),
        pytest.param(
            types.list_of(types.submodule({})), "list of (submodule)", id="listOf-submodule"
        ),
        pytest.param(
            types.either(types.list_of(types.str), types.str),
            "(list of string) or string",
            id="either-listOf-left",
        ),
        pytest.param(
            types.null_or(types.either(types.int, types.str)),
            "null or signed integer or string",
            id="nullOr-either",
        ),
        pytest.param(
            types.one_of([types.int, types.str, types.bool]),
            "signed integer or string or boolean",
            id="oneOf",
        ),
        pytest.param(types.enum(["a", "b"]), 'one of "a", "b"', id="enum"),
        pytest.param(
            types.coerced_to(types.int, str, types.str),
            "string or signed integer convertible to it",
            id="coercedTo",
        ),
        pytest.param(
            types.function_to(types.str), "function that evaluates to a(n) string", id="functionTo"
        ),
        pytest.param(types.submodule({}), "submodule", id="submodule"),
        pytest.param(types.anything, "anything", id="anything"),
        pytest.param(types.attrs, "attribute set", id="attrs"),
        pytest.param(types.lines, 'strings concatenated with "\\n"', id="lines"),
        pytest.param(types.ints.unsigned, "unsigned integer, meaning >=0", id="unsigned"),
        pytest.param(
            types.ints.between(-21, 43), "integer between -21 and 43 (both inclusive)", id="between"
        ),
        pytest.param(types.deferred_module, "module", id="deferredModule"),
    ],
)
def test_type_descriptions(type_: Any, description: str) -> None:
    assert type_.description == description
