"""Engine behaviour that real Nix shows and modsys once lacked (issue 8, item 5).

Each test names the nixpkgs behaviour it follows; expected texts were taken from
`nix-instantiate --eval` against nixpkgs `lib` (see `../shared/bench/nixpkgs-lib`).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from modsys import (
    InfiniteRecursionError,
    ModsysError,
    TypeMismatchError,
    eval_modules,
    mk_force,
    mk_if,
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
    (t.null_or(t.either(t.ints.unsigned, t.str)), "null or unsigned integer, meaning >=0, or string"),
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
    (t.list_of(t.coerced_to(t.int, str, t.str)), "list of (string or signed integer convertible to it)"),
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
    (t.either(t.non_empty_list_of(t.int), t.int), "(non-empty (list of signed integer)) or signed integer"),
    (t.attrs_of(t.str_matching("a+")), "attribute set of string matching the pattern a+"),
    (t.list_of(t.ints.u8), "list of 8 bit unsigned integer; between 0 and 255 (both inclusive)"),
    (t.list_of(t.deferred_module), "list of module"),
    (t.attrs_of(t.attrs_of(t.list_of(t.str))), "attribute set of attribute set of list of string"),
    (t.separated_string(""), 'strings concatenated with ""'),
    (
        t.submodule({"freeform_type": t.attrs_of(t.either(t.int, t.str))}),
        "open submodule of attribute set of (signed integer or string)",
    ),
    (t.submodule({"freeform_type": t.either(t.int, t.str)}), "open submodule of (signed integer or string)"),
]


@pytest.mark.parametrize(("type_", "expected"), DESCRIPTIONS, ids=[d for _, d in DESCRIPTIONS])
def test_description_parenthesised_as_nixpkgs_optionDescriptionPhrase(type_: Any, expected: str) -> None:
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
    svc = {"options": {"port": mk_option(type=t.int, default=1), "label": mk_option(type=t.str, default="")}}
    return {"options": {"services": mk_option(type=t.attrs_of(t.submodule(svc)), default={})}}


def _write(path: Any, text: str) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_submodule_definition_as_relative_string_path_resolves_against_the_defining_file(
    tmp_path: Any,
) -> None:
    _write(tmp_path / "sub" / "web.yaml", "port: 8080\n")
    main = _write(tmp_path / "main.yaml", "services:\n  web: ./sub/web.yaml\n  db: sub/db.py\n")
    _write(
        tmp_path / "sub" / "db.py",
        "def module(name):\n    return {'port': 5432, 'label': f'svc-{name}'}\n",
    )
    cfg = eval_modules([_service_decl(), main]).config
    assert cfg.services.web.port == 8080
    assert (cfg.services.db.port, cfg.services.db.label) == (5432, "svc-db")


def test_submodule_definition_as_path_object_and_absolute_string(tmp_path: Any) -> None:
    web = _write(tmp_path / "web.json", '{"port": 81}')
    cfg = _config(
        _service_decl(),
        {"services": {"a": web, "b": str(web)}},
        {"services": {"b": {"label": "merged with the file"}}},
    )
    assert (cfg.services.a.port, cfg.services.b.port, cfg.services.b.label) == (81, 81, "merged with the file")


def test_submodule_definition_path_in_a_list_of_submodules(tmp_path: Any) -> None:
    _write(tmp_path / "one.yaml", "port: 1\n")
    main = _write(
        tmp_path / "main.py",
        "module = {'items': ['./one.yaml', {'port': 2}]}\n",
    )
    decl = {"options": {"items": mk_option(type=t.list_of(t.submodule({"options": {"port": mk_option(type=t.int)}})))}}
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
