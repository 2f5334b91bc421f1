"""The installed copy of the bundled modules and a source checkout's copy count as one module:
`pip install . && modsys render examples/local.py` run inside a checkout imports the defaults
from the installed package and the example's imports from the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

from modsys import eval_modules
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
