"""Hardening (issue 10): data modules run no code, and hostile input is a `ModsysError`.

Each test is one case the adversarial pass found; the error must name the option or the file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from modsys import eval_modules, mk_option, mk_order, mk_override, types
from modsys.errors import (
    DeclarationError,
    EvaluationError,
    InfiniteRecursionError,
    InvalidModuleError,
    ModsysError,
    TypeMismatchError,
)

EVIL = "import pathlib\npathlib.Path(__file__).with_suffix('.ran').write_text('ran')\nmodule = {}\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    return _write(tmp_path / "evil.py", EVIL)


def _ran(evil: Path) -> bool:
    return evil.with_suffix(".ran").exists()


# --- no code from data -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bare.yaml", "bare.json"])
def test_a_bare_string_document_is_an_error_not_a_module_path(
    tmp_path: Path, evil: Path, name: str
) -> None:
    doc = _write(tmp_path / name, '"./evil.py"\n')
    with pytest.raises(InvalidModuleError, match="must be a mapping") as info:
        eval_modules([doc]).to_dict()
    assert str(doc) in str(info.value)
    assert not _ran(evil)


@pytest.mark.parametrize("text", ["- a\n- b\n", "5\n", "true\n"])
def test_a_data_document_of_another_shape_is_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidModuleError, match="must be a mapping"):
        eval_modules([_write(tmp_path / "m.yaml", text)])


def test_a_yaml_module_cannot_import_python(tmp_path: Path, evil: Path) -> None:
    doc = _write(tmp_path / "overlay.yaml", "imports: [./evil.py]\n")
    with pytest.raises(InvalidModuleError, match="may import only data modules") as info:
        eval_modules([doc])
    assert str(doc) in str(info.value)
    assert not _ran(evil)


def test_a_json_module_cannot_import_python_nor_a_folder(tmp_path: Path, evil: Path) -> None:
    _write(tmp_path / "pkg" / "default.py", EVIL)
    for target in ("./evil.py", "./pkg"):
        doc = _write(tmp_path / "o.json", f'{{"imports": ["{target}"]}}')
        with pytest.raises(InvalidModuleError, match="may import only data modules"):
            eval_modules([doc])
    assert not _ran(evil) and not (tmp_path / "pkg" / "default.ran").exists()


def test_an_inline_module_inside_a_data_module_is_data_too(tmp_path: Path, evil: Path) -> None:
    doc = _write(tmp_path / "o.yaml", "imports:\n  - imports: [./evil.py]\n")
    with pytest.raises(InvalidModuleError, match="may import only data modules"):
        eval_modules([doc])
    assert not _ran(evil)


def test_data_modules_import_data_modules(tmp_path: Path) -> None:
    _write(tmp_path / "b.json", '{"x": 2}')
    _write(tmp_path / "c.yml", "y: 3\n")
    a = _write(tmp_path / "a.yaml", "imports: [./b.json, c.yml]\n")
    decl = {"options": {"x": mk_option(), "y": mk_option()}}
    assert eval_modules([decl, a]).to_dict() == {"x": 2, "y": 3}


def test_a_data_module_cannot_reattribute_itself_with_file(tmp_path: Path, evil: Path) -> None:
    doc = _write(tmp_path / "o.yaml", "_file: ./x.py\nimports: [./evil.py]\n")
    with pytest.raises(InvalidModuleError, match="`_file' is not allowed"):
        eval_modules([doc])
    assert not _ran(evil)


def test_disabled_modules_in_data_does_not_run_a_python_file(tmp_path: Path, evil: Path) -> None:
    doc = _write(tmp_path / "o.yaml", "disabled_modules: [./evil.py, some:key]\n")
    eval_modules([doc]).to_dict()
    assert not _ran(evil)


def test_disabled_modules_in_data_still_disables_a_loaded_python_module(tmp_path: Path) -> None:
    py = _write(tmp_path / "m.py", "module = {'options': {'x': __import__('modsys').mk_option()}}\n")
    doc = _write(tmp_path / "o.yaml", "disabled_modules: [./m.py]\n")
    ev = eval_modules([py, doc])
    assert "x" not in ev.to_dict()


def test_a_submodule_definition_from_yaml_cannot_name_python(tmp_path: Path, evil: Path) -> None:
    decl = {"options": {"s": mk_option(type=types.attrs_of(types.submodule({})))}}
    doc = _write(tmp_path / "o.yaml", "s:\n  a: ./evil.py\n")
    with pytest.raises(InvalidModuleError, match="may import only data modules"):
        eval_modules([decl, doc]).to_dict()
    assert not _ran(evil)


def test_python_modules_may_still_import_python(tmp_path: Path) -> None:
    _write(tmp_path / "b.py", "module = {'x': 1}\n")
    a = _write(tmp_path / "a.py", "module = {'imports': ['./b.py']}\n")
    assert eval_modules([{"options": {"x": mk_option()}}, a]).to_dict() == {"x": 1}


# --- no internal errors ----------------------------------------------------------------------

NS = {"options": {"platform": {"kubernetes": {"x": mk_option(default=1)}}}}


def test_a_raising_thunk_at_namespace_level_names_the_namespace() -> None:
    with pytest.raises(EvaluationError, match=r"`platform'.*\n.*KeyError") as info:
        eval_modules([NS, {"platform": lambda: {}["kubernetes"]}]).to_dict()
    assert info.value.loc == ("platform",)


def test_a_namespace_thunk_reading_its_own_namespace_is_infinite_recursion() -> None:
    def module(config: Any) -> Any:
        return {"platform": lambda: {"kubernetes": {"x": config.platform.kubernetes.x}}}

    with pytest.raises(InfiniteRecursionError, match=r"infinite recursion.*`platform'"):
        eval_modules([NS, module]).to_dict()


def test_a_self_containing_value_in_an_untyped_option() -> None:
    d: dict[str, Any] = {}
    d["self"] = d
    with pytest.raises(EvaluationError, match="`o' contains itself"):
        eval_modules([{"options": {"o": mk_option()}}, {"o": d}]).to_dict()


@pytest.mark.parametrize("field", ["imports", "disabled_modules"])
@pytest.mark.parametrize("value", [5, "other.yaml", {"a": 1}])
def test_imports_and_disabled_modules_must_be_lists(field: str, value: Any) -> None:
    with pytest.raises(InvalidModuleError, match=f"`{field}' of the module .* must be a list"):
        eval_modules([{field: value}])


def test_imports_that_is_not_a_list_in_yaml_names_the_file(tmp_path: Path) -> None:
    doc = _write(tmp_path / "o.yaml", "imports: other.yaml\n")
    with pytest.raises(InvalidModuleError, match=r"o\.yaml.*must be a list.*imports: \[other"):
        eval_modules([doc])


@pytest.mark.parametrize("options", [{"_module": mk_option()}, {"_module": {"x": mk_option()}}])
def test_declaring_module_is_refused(options: Any) -> None:
    with pytest.raises(DeclarationError, match="declares an option `_module'"):
        eval_modules([{"options": options}])


@pytest.mark.parametrize(
    ("decl", "value", "where"),
    [
        (types.list_of(types.str), ["x"], "entry 0 of `assertions'"),
        (types.unspecified, 5, "assertions"),
        (types.list_of(types.unspecified), [{"assertion": "yes", "message": "m"}], "`assertion' of entry 0"),
    ],
)
def test_user_declared_assertions_of_another_shape(decl: Any, value: Any, where: str) -> None:
    ev = eval_modules([{"options": {"assertions": mk_option(type=decl)}}, {"assertions": value}])
    with pytest.raises(TypeMismatchError, match=where):
        ev.check()


def test_user_declared_warnings_of_another_shape() -> None:
    ev = eval_modules([{"options": {"warnings": mk_option()}}, {"warnings": [{"a": 1}]}])
    with pytest.raises(TypeMismatchError, match="entry 0 of `warnings'"):
        ev.check()


@pytest.mark.parametrize("prio", ["a", 1.5, None, True])
def test_mk_override_and_mk_order_with_a_non_integer_priority(prio: Any) -> None:
    decl = {"options": {"o": mk_option()}}
    for mk in (mk_override, mk_order):
        thunk = (lambda f: lambda: f(prio, 1))(mk)
        with pytest.raises(EvaluationError, match="priority must be an integer") as info:
            eval_modules([decl, {"o": thunk}]).to_dict()
        assert info.value.loc == ("o",)
        module = (lambda f: lambda config: {"o": f(prio, 1)})(mk)
        with pytest.raises(EvaluationError, match="priority must be an integer"):
            eval_modules([decl, module])


def test_a_module_path_over_255_bytes(tmp_path: Path) -> None:
    long = str(tmp_path / ("a" * 300 + ".yaml"))
    with pytest.raises(InvalidModuleError, match="cannot load module"):
        eval_modules([long])
    doc = _write(tmp_path / "o.yaml", f"imports: [./{'b' * 300}.yaml]\n")
    with pytest.raises(InvalidModuleError, match=r"cannot load module.*o\.yaml"):
        eval_modules([doc])


def test_an_import_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def run() -> None:
        try:
            eval_modules([str(fifo)])
        except BaseException as exc:
            result.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # unblock the reader so the thread ends
        with open(fifo, "w"):
            pass
        pytest.fail("loading a FIFO blocked")
    assert isinstance(result[0], InvalidModuleError) and "not a regular file" in str(result[0])


def test_a_json_integer_of_5000_digits(tmp_path: Path) -> None:
    doc = _write(tmp_path / "big.json", '{"a": ' + "1" * 5000 + "}")
    with pytest.raises(InvalidModuleError, match=r"big\.json.*digits"):
        eval_modules([doc])


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": -Infinity}'])
def test_json_nan_and_infinity_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidModuleError, match="not a JSON number"):
        eval_modules([_write(tmp_path / "n.json", text)])


@pytest.mark.parametrize("text", ['{"a": "x\\ud800"}', '{"\\udfff": 1}', '{"a": [["\\ud83d"]]}'])
def test_a_lone_surrogate_in_json_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidModuleError, match="lone surrogate"):
        eval_modules([_write(tmp_path / "s.json", text)])


def test_a_surrogate_pair_in_json_is_fine(tmp_path: Path) -> None:
    doc = _write(tmp_path / "s.json", '{"a": "\\ud83d\\ude00"}')
    assert eval_modules([{"options": {"a": mk_option()}}, doc]).to_dict() == {"a": "\U0001f600"}


def test_errors_are_modsys_errors() -> None:
    assert issubclass(InvalidModuleError, ModsysError)
