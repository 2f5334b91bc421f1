"""`modules/build`: files and scripts that targets and projects contribute to every rendering."""

from __future__ import annotations

import os

import pytest
from layer_helpers import evaluate, generated, render

from modsys import AssertionFailedError, mk_force


def test_files_and_scripts_reach_the_plan():
    """`build.files` keep their mode; `build.scripts` become executable files."""
    ev = evaluate({
        "build": {
            "files": {"notes/README.txt": {"text": "hello"}},
            "scripts": {"hello.sh": "#!/bin/sh\necho hi"},
        }
    })
    assert generated(ev) == {
        "hello.sh": {"text": "#!/bin/sh\necho hi", "executable": True},
        "notes/README.txt": {"text": "hello", "executable": False},
    }


def test_rendered_files_are_written_with_their_mode(tmp_path):
    """Every tree format writes the generated files next to the manifests, scripts executable
    (`stream` is one document for `kubectl apply -f -`, so it carries no extra files)."""
    ev = evaluate({"build": {"files": {"a.txt": {"text": "a\n"}}, "scripts": {"run.sh": "#!/bin/sh\n"}}})
    for fmt in ("dir", "kustomize", "helmfile"):
        _, out = render(ev, tmp_path, fmt)
        assert (out / "a.txt").read_text() == "a\n"
        assert os.access(out / "run.sh", os.X_OK)
        assert not os.access(out / "a.txt", os.X_OK)


def test_several_definitions_of_one_file_are_joined_as_lines():
    """`text` is `lines`: definitions from several modules are joined with newlines."""
    ev = evaluate({"build": {"files": {"x": {"text": "one"}}}}, {"build": {"files": {"x": {"text": "two"}}}})
    assert generated(ev)["x"]["text"] == "one\ntwo"


def test_a_file_may_be_replaced_with_mk_force():
    ev = evaluate({"build": {"files": {"x": {"text": "one"}}}}, {"build": {"files": {"x": {"text": mk_force("two")}}}})
    assert generated(ev)["x"]["text"] == "two"


def test_a_path_defined_as_file_and_script_is_an_error():
    """The same path in `build.files` and `build.scripts` is reported by name."""
    ev = evaluate({"build": {"files": {"run.sh": {"text": "a"}}, "scripts": {"run.sh": "b"}}})
    with pytest.raises(AssertionFailedError, match=r"build.files and build.scripts both define run.sh"):
        ev.check()


def test_a_path_leaving_the_output_directory_is_refused(tmp_path):
    """The renderer refuses generated paths with `..` instead of writing outside `--out`."""
    from modsys import ModsysError

    ev = evaluate({"build": {"files": {"../evil": {"text": "x"}}}})
    with pytest.raises(ModsysError, match=r"\.\./evil"):
        render(ev, tmp_path)
    assert not (tmp_path / "evil").exists()


def test_production_guard_reaches_the_plan():
    from modsys.platform import build_plan

    ev = evaluate({"build": {"productionGuard": {"context": "prod", "environment": "production"}}})
    assert build_plan(ev)["productionGuard"] == {"context": "prod", "environment": "production"}
    assert "productionGuard" not in build_plan(evaluate())
