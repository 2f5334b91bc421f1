"""Bundled modules carry explicit keys (`modsys:targets/local-k3d`), so the installed copy and a
source checkout's identical copy count as one module (`pip install . && modsys render
examples/local.py` run inside a checkout imports the defaults from the installed package and the
example's imports from the checkout), while a user's edited copy is a different module whose
declarations clash loudly with the original's; `disabled_modules` replaces a module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from modsys import DeclarationError, eval_modules
from modsys.platform import DEFAULT_MODULE_PATHS, build_plan

REPO = Path(__file__).resolve().parents[2]


def _copy_tree(dest: Path) -> Path:
    for folder in ("modules", "targets", "projects", "examples"):
        shutil.copytree(REPO / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_two_copies_of_the_bundled_tree_do_not_declare_options_twice(tmp_path):
    installed = _copy_tree(tmp_path / "site-packages" / "modsys" / "_bundled")
    checkout = _copy_tree(tmp_path / "checkout")
    defaults = [installed / p for p in DEFAULT_MODULE_PATHS]
    ev = eval_modules([*defaults, checkout / "examples" / "local.py"])
    plan = build_plan(ev)
    assert plan["cluster"]["context"] == "k3d-wookie-local"
    assert [s["name"] for s in plan["manifestSets"]][:2] == ["crds", "namespaces"]


def test_a_module_outside_the_bundled_tree_is_keyed_by_its_path(tmp_path):
    (tmp_path / "mine.py").write_text("module = {'imports': ['./mine.py']}\n")
    ev = eval_modules([tmp_path / "mine.py"])
    assert [m.key for m in ev.collected if m.key.endswith("mine.py")] == [str(tmp_path / "mine.py")]


def test_every_bundled_default_module_carries_an_explicit_key():
    ev = eval_modules([REPO / p for p in DEFAULT_MODULE_PATHS])
    keys = {m.file: m.key for m in ev.collected if m.file.startswith(str(REPO))}
    for path in DEFAULT_MODULE_PATHS:
        file = str(REPO / path)
        name = path.removesuffix("/default.py").removesuffix(".py")
        assert keys[file] == f"modsys:{name}"


def _edited_copy(tmp_path: Path, extra: str = "") -> Path:
    """The local-k3d target copied out of the tree, with an extra option (imports made absolute)."""
    text = (REPO / "targets" / "local-k3d.py").read_text()
    text = text.replace('"../modules/', f'"{REPO}/modules/')
    text = text.replace(
        '"enable": mk_enable_option("the local k3d cluster target"),',
        '"enable": mk_enable_option("the local k3d cluster target"),\n'
        '                    "myExtra": mk_enable_option("an extra"),',
    )
    text = text.replace('"key": "modsys:targets/local-k3d",', '"key": "modsys:targets/local-k3d",' + extra)
    mine = tmp_path / "mine.py"
    mine.write_text(text)
    return mine


def test_an_edited_copy_of_a_bundled_module_is_already_declared_naming_both_files(tmp_path):
    mine = _edited_copy(tmp_path)
    ev = eval_modules([mine, *(REPO / p for p in DEFAULT_MODULE_PATHS)])
    with pytest.raises(DeclarationError, match="is already declared in") as info:
        ev.config.targets["local-k3d"].enable  # noqa: B018
    assert str(mine) in str(info.value)
    assert str(REPO / "targets" / "local-k3d.py") in str(info.value)


@pytest.mark.parametrize(
    "disabled", ['"modsys:targets/local-k3d"', f'"{REPO}/targets/local-k3d.py"'], ids=["key", "path"]
)
def test_disabled_modules_replaces_a_bundled_module_by_key_or_path(tmp_path, disabled):
    mine = _edited_copy(tmp_path, f"\n        \"disabled_modules\": [{disabled}],")
    mine.write_text(mine.read_text().replace('"key": "modsys:targets/local-k3d",', '"key": "mine",'))
    ev = eval_modules([mine, *(REPO / p for p in DEFAULT_MODULE_PATHS)])
    assert ev.config.targets["local-k3d"].myExtra is False
