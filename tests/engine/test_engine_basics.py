"""Behaviour of the engine's public API that the nixpkgs ports don't cover: reading results,
provenance, laziness rules specific to Python, and error shapes."""

from __future__ import annotations

import pytest

from modsys import (
    EvaluationError,
    InfiniteRecursionError,
    InvalidModuleError,
    MissingAttributeError,
    ModsysError,
    TypeMismatchError,
    UndeclaredOptionError,
    eval_modules,
    mk_default,
    mk_force,
    mk_if,
    mk_option,
    types,
)

DECLS = {
    "options": {
        "a": mk_option(type=types.int, default=1),
        "names": mk_option(type=types.list_of(types.str), default=[]),
        "svc": mk_option(
            type=types.attrs_of(
                types.submodule(
                    lambda name: {
                        "options": {
                            "host": mk_option(type=types.str, default=f"{name}.local"),
                            "port": mk_option(type=types.port, default=80),
                        }
                    }
                )
            ),
            default={},
        ),
    }
}


def test_config_reads_by_attribute_item_and_mapping_protocol():
    ev = eval_modules([DECLS, {"svc": {"web": {"port": 8080}}}])
    cfg = ev.config
    assert cfg.svc.web.port == cfg["svc"]["web"]["port"] == 8080
    assert "svc" in cfg and "nope" not in cfg
    assert sorted(cfg.keys()) == ["a", "names", "svc"]
    assert dict(cfg.svc.items())["web"].host == "web.local"
    assert len(cfg.svc) == 1
    assert ev.to_dict() == {
        "a": 1,
        "names": [],
        "svc": {"web": {"host": "web.local", "port": 8080}},
    }


def test_to_dict_leaves_out_module_internals():
    assert "_module" not in eval_modules([DECLS]).to_dict()


def test_definitions_read_the_final_config_lazily():
    def mod(config):
        return {"a": 5, "names": [lambda: f"a={config.a}"]}

    assert eval_modules([DECLS, mod]).config.names == ["a=5"]


def test_function_with_parameters_is_a_value_not_a_thunk():
    decl = {"options": {"f": mk_option(type=types.function_to(types.int))}}
    ev = eval_modules([decl, {"f": lambda x: x + 1}])
    assert ev.config.f(2) == 3


def test_reading_config_while_collecting_modules_says_what_to_do():
    def bad(config):
        return {"imports": [{"a": 2}] if config.a else []}

    with pytest.raises(InvalidModuleError, match="wrap the read in a thunk"):
        eval_modules([DECLS, bad])


def test_missing_attribute_is_both_modsys_error_and_attribute_error():
    cfg = eval_modules([DECLS]).config
    with pytest.raises(MissingAttributeError, match="does not exist"):
        _ = cfg.nope
    assert getattr(cfg, "nope", "fallback") == "fallback"


def test_infinite_recursion_names_the_chain():
    decl = {"options": {"x": mk_option(type=types.int), "y": mk_option(type=types.int)}}

    def loop(config):
        return {"x": lambda: config.y + 1, "y": lambda: config.x + 1}

    with pytest.raises(InfiniteRecursionError) as info:
        _ = eval_modules([decl, loop]).config.x
    assert "infinite recursion" in str(info.value)
    assert info.value.chain[0] == ("x",) and ("y",) in info.value.chain


def test_user_exceptions_become_evaluation_errors_naming_the_option():
    def boom(config):
        return {"a": lambda: 1 // 0}

    with pytest.raises(EvaluationError, match=r"(?s)option `a.*ZeroDivisionError"):
        _ = eval_modules([DECLS, boom]).config.a


def test_never_read_definitions_never_fail():
    def boom(config):
        return {"names": [lambda: 1 // 0]}

    assert eval_modules([DECLS, boom]).config.a == 1


@pytest.mark.parametrize(
    ("module", "error", "phrase"),
    [
        ({"a": "x"}, TypeMismatchError, "is not of type `signed integer'"),
        ({"b": 1}, UndeclaredOptionError, "does not exist"),
        ({"svc": {"web": {"port": 70000}}}, TypeMismatchError, "16 bit unsigned integer"),
        ({"svc": {"web": {"prot": 1}}}, UndeclaredOptionError, "Did you mean `svc.web.port'"),
    ],
    ids=["type", "undeclared", "nested-type", "nested-suggestion"],
)
def test_errors_name_the_option_and_the_file(module, error, phrase):
    with pytest.raises(error) as info:
        eval_modules([DECLS, {"_file": "overlay.py", **module}]).to_dict()
    assert phrase in str(info.value)
    assert "overlay.py" in str(info.value)
    assert any(loc.file == "overlay.py" for loc in info.value.locations)


def test_explain_reports_every_definition_and_the_winner():
    ev = eval_modules(
        [
            DECLS,
            {"_file": "base.py", "a": mk_default(2)},
            {"_file": "prod.py", "a": mk_force(7)},
            {"_file": "cond.py", "a": mk_if(False, 9)},
        ]
    )
    ex = ev.explain("a")
    by_file = {d.file: d for d in ex.definitions}
    assert ex.value == 7 and ex.highest_prio == 50
    assert by_file["prod.py"].status == "won"
    assert by_file["base.py"].status == "overridden" and by_file["base.py"].priority == 1000
    assert by_file["cond.py"].status == "condition false"
    assert any(d.is_default for d in ex.definitions)


def test_explain_reaches_into_submodules_and_attrs_entries():
    ev = eval_modules([DECLS, {"_file": "web.py", "svc": {"web": {"port": 8080}}}])
    ex = ev.explain(["svc", "web", "port"])
    assert ex.path == ("svc", "web", "port")
    assert ex.value == 8080
    assert [d.file for d in ex.definitions if d.status == "won"] == ["web.py"]


def test_option_records_carry_file_and_line_from_yaml(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("a: !force 3\nnames:\n  - one\n")
    ev = eval_modules([DECLS, overlay])
    (d,) = ev.options.a.definitions_with_locations
    assert (d.file, d.line, d.value) == (str(overlay), 1, 3)


def test_py_module_files_and_relative_imports(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "extra.py").write_text("module = {'names': ['from-extra']}\n")
    (tmp_path / "main.py").write_text(
        "module = {'imports': ['sub/extra.py'], 'names': ['from-main']}\n"
    )
    ev = eval_modules([DECLS, tmp_path / "main.py"])
    assert ev.config.names == ["from-extra", "from-main"]
    assert ev.options.names.files == [str(tmp_path / "sub" / "extra.py"), str(tmp_path / "main.py")]


def test_every_error_is_a_modsys_error():
    for cls in (TypeMismatchError, UndeclaredOptionError, InvalidModuleError):
        assert issubclass(cls, ModsysError)


def test_py_module_definitions_and_declarations_carry_lines(tmp_path):
    mod = tmp_path / "web.py"
    mod.write_text(
        "from modsys import mk_option, mk_force, types\n"
        "\n"
        "def module(config):\n"
        "    return {\n"
        "        'options': {\n"
        "            'replicas': mk_option(type=types.int, default=1),\n"
        "        },\n"
        "        'config': {\n"
        "            'replicas': mk_force(4),\n"
        "        },\n"
        "    }\n"
    )
    opt = eval_modules([mod]).options.replicas
    assert [(d.file, d.line) for d in opt.definitions_with_locations] == [(str(mod), 9)]
    assert [(p.file, p.line) for p in opt.declaration_positions] == [(str(mod), 6)]


def test_sensitive_values_never_appear_in_error_messages():
    decl = {"options": {"password": mk_option(type=types.str, sensitive=True)}}
    with pytest.raises(ModsysError) as info:
        _ = eval_modules([decl, {"password": "hunter2"}, {"password": "swordfish"}]).config.password
    assert "has conflicting definition values" in str(info.value)
    assert "hunter2" not in str(info.value) and "swordfish" not in str(info.value)
    assert "<redacted>" in str(info.value)


def test_explain_marks_only_the_declared_default_as_default():
    from modsys import mk_option_default

    ev = eval_modules([{"options": {"a": mk_option(type=types.int)}, "config": {"a": mk_option_default(5)}}])
    assert [d.is_default for d in ev.explain("a").definitions] == [False]
    ev = eval_modules([{"options": {"a": mk_option(type=types.int, default=1)}}])
    assert [d.is_default for d in ev.explain("a").definitions] == [True]


def test_explain_reaches_into_a_value_set_once_as_plain_data(tmp_path):
    """One definition of a structured value merges to itself; explain still finds the key's
    definition and line inside it."""
    overlay = tmp_path / "objects.yaml"
    overlay.write_text(
        "objects:\n  web:\n    spec:\n      replicas: 3\n      ports:\n        - 80\n        - 443\n"
    )
    decl = {"options": {"objects": mk_option(type=types.attrs_of(types.anything), default={})}}
    ex = eval_modules([decl, overlay]).explain("objects.web.spec.replicas")
    assert ex.value == 3
    assert [(d.file, d.line, d.value, d.status) for d in ex.definitions] == [
        (str(overlay), 4, 3, "won")
    ]
    assert "part of the value of `objects.web'" in ex.type
    port = eval_modules([decl, overlay]).explain("objects.web.spec.ports.1")
    assert (port.value, port.definitions[0].line) == (443, 7)


def test_explain_refuses_positions_of_a_list_built_by_several_definitions():
    decl = {"options": {"names": mk_option(type=types.list_of(types.str), default=[])}}
    ev = eval_modules([decl, {"names": ["a"]}, {"names": ["b"]}])
    with pytest.raises(MissingAttributeError, match="several definitions build together"):
        ev.explain("names.1")
    assert eval_modules([decl, {"names": ["a", "b"]}]).explain("names.1").value == "b"
