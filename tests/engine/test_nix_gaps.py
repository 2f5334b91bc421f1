"""Engine behaviour that real Nix shows and modsys once lacked (issue 8, item 5).

Each test names the nixpkgs behaviour it follows; expected texts were taken from
`nix-instantiate --eval` against nixpkgs `lib` (see `../shared/bench/nixpkgs-lib`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import PurePosixPath
from typing import Any

import pytest

from modsys import (
    InfiniteRecursionError,
    ModsysError,
    TypeMismatchError,
    eval_modules,
    mk_force,
    mk_if,
    mk_merge,
    mk_option,
)
from modsys import types as t


def _config(*modules: Any) -> Any:
    return eval_modules(list(modules)).config


# --- descriptions: nixpkgs' `optionDescriptionPhrase` ------------------------------------------

_sub = t.submodule({})

DESCRIPTIONS = [
    # (type, description printed by nixpkgs for the same type)
    (t.list_of(t.attrs_of(t.str)), "list of attribute set of string"),
    (t.attrs_of(t.attrs), "attribute set of (attribute set)"),
    (t.list_of(t.attrs), "list of (attribute set)"),
    (t.list_of(t.null_or(t.int)), "list of (null or signed integer)"),
    (t.list_of(t.either(t.int, t.str)), "list of (signed integer or string)"),
    (t.null_or(t.list_of(t.int)), "null or (list of signed integer)"),
    (t.null_or(t.either(t.int, t.str)), "null or signed integer or string"),
    (t.either(t.list_of(t.int), t.str), "(list of signed integer) or string"),
    (t.either(t.int, t.list_of(t.str)), "signed integer or list of string"),
    (t.either(t.null_or(t.int), t.str), "null or signed integer or string"),
    (t.either(t.str, t.null_or(t.int)), "string or null or signed integer"),
    (t.either(t.ints.positive, t.str), "positive integer, meaning >0, or string"),
    (t.either(t.str, t.ints.positive), "string or (positive integer, meaning >0)"),
    (t.null_or(t.ints.positive), "null or (positive integer, meaning >0)"),
    (t.list_of(t.ints.positive), "list of (positive integer, meaning >0)"),
    (
        t.null_or(t.either(t.ints.unsigned, t.str)),
        "null or unsigned integer, meaning >=0, or string",
    ),
    (t.attrs_of(_sub), "attribute set of (submodule)"),
    (t.null_or(_sub), "null or (submodule)"),
    (t.either(_sub, t.str), "(submodule) or string"),
    (t.one_of([t.int, t.str, t.bool]), "signed integer or string or boolean"),
    (t.lazy_attrs_of(t.list_of(t.int)), "lazy attribute set of list of signed integer"),
    (t.uniq(t.list_of(t.int)), "list of signed integer"),
    (t.list_of(t.uniq(t.null_or(t.int))), "list of (null or signed integer)"),
    (t.coerced_to(t.int, str, t.str), "string or signed integer convertible to it"),
    (
        t.coerced_to(t.list_of(t.int), str, t.null_or(t.str)),
        "(null or string) or (list of signed integer) convertible to it",
    ),
    (
        t.list_of(t.coerced_to(t.int, str, t.str)),
        "list of (string or signed integer convertible to it)",
    ),
    (
        t.either(t.coerced_to(t.int, str, t.str), t.int),
        "(string or signed integer convertible to it) or signed integer",
    ),
    (t.function_to(t.list_of(t.int)), "function that evaluates to a(n) list of signed integer"),
    (t.function_to(t.null_or(t.int)), "function that evaluates to a(n) (null or signed integer)"),
    (t.list_of(t.function_to(t.int)), "list of function that evaluates to a(n) signed integer"),
    (t.list_of(t.enum(["a", "b"])), 'list of (one of "a", "b")'),
    (t.list_of(t.enum(["a"])), 'list of value "a" (singular enum)'),
    (t.null_or(t.enum(["a", "b"])), 'null or one of "a", "b"'),
    (t.non_empty_list_of(t.null_or(t.int)), "non-empty (list of (null or signed integer))"),
    (t.list_of(t.non_empty_list_of(t.int)), "list of non-empty (list of signed integer)"),
    (t.null_or(t.non_empty_list_of(t.int)), "null or (non-empty (list of signed integer))"),
    (
        t.either(t.non_empty_list_of(t.int), t.int),
        "(non-empty (list of signed integer)) or signed integer",
    ),
    (t.attrs_of(t.str_matching("a+")), "attribute set of string matching the pattern a+"),
    (t.list_of(t.ints.u8), "list of 8 bit unsigned integer; between 0 and 255 (both inclusive)"),
    (t.list_of(t.deferred_module), "list of module"),
    (t.attrs_of(t.attrs_of(t.list_of(t.str))), "attribute set of attribute set of list of string"),
    (t.separated_string(""), 'strings concatenated with ""'),
    (
        t.submodule({"freeform_type": t.attrs_of(t.either(t.int, t.str))}),
        "open submodule of attribute set of (signed integer or string)",
    ),
    (
        t.submodule({"freeform_type": t.either(t.int, t.str)}),
        "open submodule of (signed integer or string)",
    ),
]


@pytest.mark.parametrize(("type_", "expected"), DESCRIPTIONS, ids=[d for _, d in DESCRIPTIONS])
def test_description_parenthesised_as_nixpkgs_optionDescriptionPhrase(
    type_: Any, expected: str
) -> None:
    assert type_.description == expected


# --- nonEmptyListOf: `addCheck (listOf T) (l: l != [])` checks each definition ----------------


def _non_empty(*defs: Any) -> list[Any]:
    mods: list[Any] = [{"options": {"x": mk_option(type=t.non_empty_list_of(t.int))}}]
    mods += [{"_file": f, "x": v} for f, v in defs]
    return eval_modules(mods).config.x


def test_nonEmptyListOf_rejects_an_empty_definition_even_when_another_adds_elements() -> None:
    # nixpkgs: A definition for option `x' is not of type `non-empty (list of signed integer)'.
    #          TypeError: Definition values:\n- In `a': [ ]
    with pytest.raises(TypeMismatchError) as info:
        _non_empty(("a", []), ("b", [1]))
    msg = str(info.value)
    assert msg.startswith(
        "A definition for option `x' is not of type `non-empty (list of signed integer)'. "
        "TypeError: Definition values:"
    )
    assert "- In `a'" in msg and "- In `b'" not in msg


def test_nonEmptyListOf_checks_definitions_not_the_merged_list() -> None:
    # nixpkgs: `x = [ (mkIf false 1) ]` passes the check and merges to `[ ]`
    assert _non_empty(("a", [mk_if(False, 1)])) == []
    assert sorted(_non_empty(("a", [1]), ("b", [2]))) == [1, 2]


def test_nonEmptyListOf_non_list_reports_the_definition() -> None:
    with pytest.raises(TypeMismatchError, match=r"TypeError: Definition values:\n- In `a'.*\"s\""):
        _non_empty(("a", "s"))


# --- strMatching: POSIX bracket classes, as `builtins.match` understands them ------------------


def test_strMatching_posix_bracket_class_without_future_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ty = t.str_matching("[[:alnum:]_-]+")
        assert ty.check("abc_1-z")
        assert not ty.check("abc 1")
    assert ty.description == "string matching the pattern [[:alnum:]_-]+"
    assert ty.name == 'strMatching "[[:alnum:]_-]+"'


CLASSES = {
    "alnum": "aZ09",
    "alpha": "aZ",
    "blank": " \t",
    "cntrl": "\x00\x1f\x7f",
    "digit": "0123456789",
    "graph": "!~a0",
    "lower": "az",
    "print": " ~a",
    "punct": "!/:@[`{~\\",
    "space": " \t\n\r\f\v",
    "upper": "AZ",
    "xdigit": "09afAF",
}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_strMatching_every_posix_class(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ty = t.str_matching(f"[[:{name}:]]+")
        negated = t.str_matching(f"[^[:{name}:]]")
    assert ty.check(CLASSES[name])
    for ch in map(chr, range(128)):
        assert negated.check(ch) != ty.check(ch)


def test_strMatching_posix_classes_match_the_c_locale() -> None:
    import string

    def members(name: str) -> str:
        ty = t.str_matching(f"[[:{name}:]]")
        return "".join(c for c in map(chr, range(128)) if ty.check(c))

    assert members("alnum") == string.digits + string.ascii_uppercase + string.ascii_lowercase
    assert members("punct") == "".join(sorted(string.punctuation))
    assert members("space") == "\t\n\x0b\x0c\r "
    assert members("xdigit") == "0123456789ABCDEFabcdef"
    assert members("print") == "".join(map(chr, range(32, 127)))


def test_strMatching_unknown_class_is_an_invalid_regex() -> None:
    # nixpkgs: error: invalid regular expression '[[:word:]]+'
    with pytest.raises(ModsysError, match=r"invalid regular expression '\[\[:word:\]\]\+'"):
        t.str_matching("[[:word:]]+")


def test_strMatching_option_with_posix_class() -> None:
    decl = {"options": {"n": mk_option(type=t.str_matching("[[:lower:]][[:alnum:]-]*"))}}
    assert _config(decl, {"n": "web-1"}).n == "web-1"
    cfg = _config(decl, {"n": "Web"})
    with pytest.raises(TypeMismatchError, match="string matching the pattern"):
        _ = cfg.n


# --- submodule definitions given as paths (nixpkgs: `check = isAttrs || isFunction || path.check`)


def _service_decl() -> dict[str, Any]:
    svc = {
        "options": {
            "port": mk_option(type=t.int, default=1),
            "label": mk_option(type=t.str, default=""),
        }
    }
    return {"options": {"services": mk_option(type=t.attrs_of(t.submodule(svc)), default={})}}


def _write(path: Any, text: str) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_submodule_definition_as_relative_string_path_resolves_against_the_defining_file(
    tmp_path: Any,
) -> None:
    _write(tmp_path / "sub" / "web.yaml", "port: 8080\n")
    main = _write(tmp_path / "main.yaml", "services:\n  web: ./sub/web.yaml\n")
    _write(
        tmp_path / "sub" / "db.py",
        "def module(name):\n    return {'port': 5432, 'label': f'svc-{name}'}\n",
    )
    # a Python file names a Python submodule, relative to itself
    _write(tmp_path / "main.py", "module = {'services': {'db': 'sub/db.py'}}\n")
    cfg = eval_modules([_service_decl(), main, tmp_path / "main.py"]).config
    assert cfg.services.web.port == 8080
    assert (cfg.services.db.port, cfg.services.db.label) == (5432, "svc-db")


def test_submodule_definition_as_path_object_and_absolute_string(tmp_path: Any) -> None:
    web = _write(tmp_path / "web.json", '{"port": 81}')
    cfg = _config(
        _service_decl(),
        {"services": {"a": web, "b": str(web)}},
        {"services": {"b": {"label": "merged with the file"}}},
    )
    assert (cfg.services.a.port, cfg.services.b.port, cfg.services.b.label) == (
        81,
        81,
        "merged with the file",
    )


def test_submodule_definition_path_in_a_list_of_submodules(tmp_path: Any) -> None:
    _write(tmp_path / "one.yaml", "port: 1\n")
    main = _write(
        tmp_path / "main.py",
        "module = {'items': ['./one.yaml', {'port': 2}]}\n",
    )
    decl = {
        "options": {
            "items": mk_option(
                type=t.list_of(t.submodule({"options": {"port": mk_option(type=t.int)}}))
            )
        }
    }
    assert [i.port for i in eval_modules([decl, main]).config["items"]] == [1, 2]


def test_submodule_definition_missing_file_is_a_load_error(tmp_path: Any) -> None:
    main = _write(tmp_path / "main.yaml", "services:\n  web: ./nope.yaml\n")
    cfg = eval_modules([_service_decl(), main]).config
    with pytest.raises(ModsysError, match=r"cannot load module `.*nope\.yaml'"):
        _ = cfg.services.web.port


def test_submodule_definition_plain_string_is_still_not_a_submodule() -> None:
    cfg = _config(_service_decl(), {"_file": "m.py", "services": {"web": "just text"}})
    with pytest.raises(TypeMismatchError, match="is not of type `submodule'"):
        _ = cfg.services.web


# --- `_module.args.name` (nixpkgs: `{ _module.args.name = last loc; }` in every submodule) -----


def _named(*defs: Any) -> Any:
    def sub(name: str) -> dict[str, Any]:
        return {"options": {"n": mk_option(type=t.str, default=name), "m": mk_option(default="x")}}

    decl = {"options": {"s": mk_option(type=t.attrs_of(t.submodule(sub)))}}
    return eval_modules([decl, *defs]).config.s


def test_module_args_name_mkForce_renames_the_submodule_name_argument() -> None:
    # nixpkgs: s.foo._module.args.name = mkForce "renamed"  =>  { foo.n = "renamed"; }
    s = _named({"s": {"foo": {"_module": {"args": {"name": mk_force("renamed")}}}, "bar": {}}})
    assert (s.foo.n, s.bar.n) == ("renamed", "bar")


def test_module_args_name_defaults_to_the_attribute_name() -> None:
    def sub(name: str, config: Any) -> dict[str, Any]:
        return {"options": {"n": mk_option(default=lambda: config._module.args.name)}}

    decl = {"options": {"s": mk_option(type=t.attrs_of(t.submodule(sub)))}}
    assert eval_modules([decl, {"s": {"foo": {}}}]).config.s.foo.n == "foo"


def test_module_args_name_override_from_inside_the_submodule_may_read_config() -> None:
    # nixpkgs: config._module.args.name = mkForce config.m  =>  n = "x"
    def sub(name: str, config: Any) -> dict[str, Any]:
        return {
            "options": {"n": mk_option(default=name), "m": mk_option(default="x")},
            "config": {"_module": {"args": {"name": mk_force(lambda: config.m)}}},
        }

    decl = {"options": {"s": mk_option(type=t.attrs_of(t.submodule(sub)))}}
    assert eval_modules([decl, {"s": {"foo": {}}}]).config.s.foo.n == "x"


def test_module_args_name_plain_definition_conflicts_with_the_attribute_name() -> None:
    # nixpkgs: The option `s.foo._module.args.name' is defined multiple times while it's expected
    # to be unique. (definitions "renamed" and "foo")
    s = _named({"_file": "a.nix", "s": {"foo": {"_module": {"args": {"name": "renamed"}}}}})
    with pytest.raises(ModsysError) as info:
        _ = s.foo.n
    msg = str(info.value)
    assert "The option `s.foo._module.args.name' is defined multiple times" in msg
    assert '"renamed"' in msg and '"foo"' in msg


def test_module_args_name_computed_from_itself_is_infinite_recursion() -> None:
    # nixpkgs: config._module.args.name = mkForce "${name}-x"  =>  infinite recursion encountered
    def sub(name: str) -> dict[str, Any]:
        return {
            "options": {"n": mk_option(default=name)},
            "config": {"_module": {"args": {"name": mk_force(name + "-x")}}},
        }

    decl = {"options": {"s": mk_option(type=t.attrs_of(t.submodule(sub)))}}
    cfg = eval_modules([decl, {"s": {"foo": {}}}]).config
    with pytest.raises(InfiniteRecursionError, match=r"`s\.foo\._module\.args\.name'"):
        _ = cfg.s.foo.n


# --- types.attrTag (upstream `types-attrTag.nix`, `types-attrTag-wrong-decl.nix`) ---------------


def _do_not_eval() -> Any:
    raise AssertionError("do not eval")


def _int_strings() -> Any:
    return t.attr_tag({"left": mk_option(type=t.int), "right": mk_option(type=t.str)})


def _merged_decl(tag: str, tag_type: Any, extensible: str) -> Any:
    # two declarations of `merged`: their tags join, and `extensible`'s enums merge
    tags = {tag: mk_option(type=tag_type), "extensible": mk_option(type=t.enum([extensible]))}
    return mk_option(type=t.attrs_of(t.attr_tag(tags)))


def _attr_tag_config() -> Any:
    decl = {
        "options": {
            "intStrings": mk_option(type=t.attrs_of(_int_strings())),
            "nested": mk_option(
                type=t.attr_tag(
                    {"left": mk_option(type=t.int), "right": mk_option(type=_int_strings())}
                )
            ),
            "merged": _merged_decl("yay", t.int, "foo"),
        }
    }
    decl2 = {"options": {"merged": _merged_decl("nay", t.bool, "bar")}}
    cfg = {
        "_file": "types-attrTag.nix",
        "intStrings": {
            "syntaxError": 1,
            "syntaxError2": {},
            "syntaxError3": {"a": True, "b": True},
            "syntaxError4": mk_merge([{"a": True}, {"b": True}]),
            "mergeError": mk_merge([{"int": _do_not_eval}, {"string": _do_not_eval}]),
            "badTagError": {"rite": _do_not_eval},
            "badTagTypeError": {"left": "bad"},
            "numberOne": {"left": 1},
            "hello": {"right": "hello world"},
        },
        "nested": {"right": {"left": "not a number"}},
        "merged": {
            "negative": {"nay": False},
            "positive": {"yay": 100},
            "extensi-foo": {"extensible": "foo"},
            "extensi-bar": {"extensible": "bar"},
        },
    }
    return eval_modules([decl, decl2, cfg]).config


def test_attrTag_okChecks() -> None:
    cfg = _attr_tag_config()
    assert dict(cfg.intStrings.hello) == {"right": "hello world"}
    assert dict(cfg.intStrings.numberOne) == {"left": 1}
    assert dict(cfg.merged.negative) == {"nay": False}
    assert dict(cfg.merged.positive) == {"yay": 100}
    assert dict(cfg.merged["extensi-foo"]) == {"extensible": "foo"}
    assert dict(cfg.merged["extensi-bar"]) == {"extensible": "bar"}


@pytest.mark.parametrize(
    "key",
    ["syntaxError", "syntaxError2", "syntaxError3", "syntaxError4", "mergeError", "badTagError"],
)
def test_attrTag_not_one_valid_tag_is_a_type_error(key: str) -> None:
    cfg = _attr_tag_config()
    with pytest.raises(TypeMismatchError) as info:
        _ = cfg.intStrings[key]
    assert str(info.value).startswith(
        f"A definition for option `intStrings.{key}' is not of type "
        "`attribute-tagged union with choices: left, right'. Definition values:"
    )


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("intStrings", "badTagTypeError", "left"), "intStrings.badTagTypeError.left"),
        (("nested", "right", "left"), "nested.right.left"),
    ],
)
def test_attrTag_tag_value_is_merged_as_its_option(path: tuple[str, ...], where: str) -> None:
    value = _attr_tag_config()
    with pytest.raises(
        TypeMismatchError,
        match=f"A definition for option `{re.escape(where)}' is not of type `signed integer'",
    ):
        for part in path:
            value = value[part]


def test_attrTag_two_tags_in_two_definitions() -> None:
    # nixpkgs: The option `x` is defined both as `right` and `left`, in `b.nix' and `a.nix'.
    decl = {"options": {"x": mk_option(type=_int_strings())}}
    cfg = eval_modules(
        [decl, {"_file": "a.nix", "x": {"left": 1}}, {"_file": "b.nix", "x": {"right": "r"}}]
    ).config
    with pytest.raises(
        ModsysError,
        match=r"^The option `x` is defined both as `right` and `left`, in `b.nix' and `a.nix'\.$",
    ):
        _ = cfg.x


def test_attrTag_tag_option_default_priority_and_apply() -> None:
    # nixpkgs evalOptionValue: the default drops out once defined; definitions merge; apply runs
    tag = mk_option(type=t.list_of(t.str), default=["d"], apply=lambda v: [*sorted(v), "applied"])
    decl = {"options": {"x": mk_option(type=t.attr_tag({"right": tag}))}}
    cfg = eval_modules([decl, {"x": {"right": ["r"]}}, {"x": {"right": ["s"]}}]).config
    assert dict(cfg.x) == {"right": ["r", "s", "applied"]}


def test_attrTag_description_and_name() -> None:
    ty = t.attr_tag({"b": mk_option(), "a": mk_option(), "if": mk_option(), "a b": mk_option()})
    assert ty.name == "attrTag"
    assert ty.description == 'attribute-tagged union with choices: a, "a b", b, "if"'
    assert (
        t.list_of(_int_strings()).description
        == "list of attribute-tagged union with choices: left, right"
    )


def test_attrTag_wrong_decl() -> None:
    with pytest.raises(
        ModsysError,
        match=r"^In attrTag, each tag value must be an option, but tag int was a bare type, not wrapped in mkOption\.$",
    ):
        t.attr_tag({"int": t.int})
    with pytest.raises(ModsysError, match=r"but tag int was not\.$"):
        t.attr_tag({"int": 1})


# --- types.pathWith (upstream `pathWith.nix`) ---------------------------------------------------

STORE = "/nix/store"


@pytest.mark.parametrize(
    ("value", "in_store"),
    [
        (f"{STORE}/0lz9p8xhf89kb1c1kk6jxrzskaiygnlh-bash-5.2-p15.drv", True),
        (f"{STORE}/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2-p15", True),
        (f"{STORE}/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2-p15/bin/bash", True),
        ("/1121rp0gvr1qya7hvy925g5kjwg66acz6sn1ra1hca09f1z5dsab", True),  # CA derivation
        ("/1121rp0gvr1qya7hvy925g5kjwg66acz6sn1ra1hca09f1z5dsab/bin/bash", True),
        (PurePosixPath("/1121rp0gvr1qya7hvy925g5kjwg66acz6sn1ra1hca09f1z5dsab"), True),
        ("", False),
        (STORE, False),
        (f"{STORE}/", False),
        (f"{STORE}/.links", False),
        ("/foo/bar", False),
    ],
)
def test_pathWith_inStore(value: Any, in_store: bool) -> None:
    assert t.path_with(in_store=True).check(value) is in_store
    assert t.path_with(in_store=False).check(value) is not in_store


def test_pathWith_descriptions_and_checks() -> None:
    assert [
        ty.description
        for ty in (
            t.path_with(),
            t.path_with(in_store=True),
            t.path_with(in_store=False),
            t.path_with(in_store=False, absolute=True),
            t.path_with(absolute=False),
            t.path_with(in_store=True, absolute=True),
            t.path,
            t.path_in_store,
            t.external_path,
        )
    ] == [
        "path",
        "path in the Nix store",
        "path not in the Nix store",
        "absolute path not in the Nix store",
        "relative path",
        "absolute path in the Nix store",
        "absolute path",
        "path in the Nix store",
        "absolute path not in the Nix store",
    ]
    assert {t.path_with().name, t.path.name, t.external_path.name} == {"path"}
    any_path = t.path_with()
    assert any_path.check("/this/is/absolute") and any_path.check("./this/is/relative")
    assert not any_path.check(42)
    abs_not_in_store = t.path_with(in_store=False, absolute=True)
    assert abs_not_in_store.check("/this/is/absolute")
    assert not abs_not_in_store.check("./this/is/relative")
    assert not abs_not_in_store.check(f"{STORE}/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2-p15")


def test_pathWith_option_error_and_type_merge() -> None:
    cfg = _config(
        {"options": {"p": mk_option(type=t.path_with(in_store=True))}},
        {"_file": "m.nix", "p": "/foo/bar"},
    )
    with pytest.raises(
        TypeMismatchError,
        match=r"is not of type `path in the Nix store'. Definition values:\n- In `m.nix'.*\"/foo/bar\"",
    ):
        _ = cfg.p
    merged = _config(
        {"options": {"p": mk_option(type=t.path_with(in_store=False))}},
        {"options": {"p": mk_option(type=t.path_with(in_store=False, absolute=None))}},
        {"p": "/foo/bar"},
    )
    assert merged.p == "/foo/bar"
    clash = _config(
        {"_file": "a.nix", "options": {"p": mk_option(type=t.path_with(absolute=True))}},
        {"_file": "b.nix", "options": {"p": mk_option(type=t.path_with(absolute=False))}},
        {"p": "/foo/bar"},
    )
    with pytest.raises(ModsysError, match=r"The option `p' in `.*' is already declared in `.*'"):
        _ = clash.p


def test_pathWith_inStore_must_be_absolute() -> None:
    with pytest.raises(
        ModsysError, match=r"^In pathWith, inStore means the path must be absolute$"
    ):
        t.path_with(in_store=True, absolute=False)


CONSTRUCTORS = [
    t.add_check, t.attr_tag, t.attrs_of, t.attrs_with, t.coerced_to, t.deferred_module_with,
    t.either, t.enum, t.function_to, t.ints.between, t.lazy_attrs_of, t.list_of,
    t.non_empty_list_of, t.null_or, t.one_of, t.path_with, t.separated_string, t.str_matching,
    t.submodule, t.submodule_with, t.uniq, t.unique,
]  # fmt: skip


@pytest.mark.parametrize("fn", CONSTRUCTORS, ids=[f.__name__ for f in CONSTRUCTORS])
def test_type_constructor_docstring_names_its_nixpkgs_counterpart(fn: Any) -> None:
    assert fn.__doc__ and re.search(r"\(nixpkgs `types\.[A-Za-z.]+[` ]", fn.__doc__)
