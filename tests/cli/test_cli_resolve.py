"""`resolve_module_arg`: files first, then -I folders, then the bundled module tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from modsys.cli import resolve
from modsys.cli.resolve import ModuleNotFound, bundled_module_names, resolve_module_arg


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake bundled tree, so the tests do not depend on what the repository ships."""
    root = tmp_path / "bundled"
    (root / "targets").mkdir(parents=True)
    (root / "targets" / "local-k3d.py").write_text("module = {}\n")
    (root / "projects" / "wookie").mkdir(parents=True)
    (root / "projects" / "wookie" / "default.py").write_text("module = {}\n")
    (root / "projects" / "wookie" / "istio.py").write_text("module = {}\n")
    (root / "examples" / "overlays").mkdir(parents=True)
    (root / "examples" / "local.py").write_text("module = {}\n")
    (root / "examples" / "overlays" / "staging.yaml").write_text("{}\n")
    monkeypatch.setattr(resolve, "bundled_root", lambda: root)
    return root


def test_a_local_path_wins_over_a_bundled_name_with_or_without_py(bundled, tmp_path, monkeypatch):
    """In a source checkout, `examples/local` is the checkout's (maybe just edited) file."""
    work = tmp_path / "work"
    (work / "targets").mkdir(parents=True)
    (work / "targets" / "local-k3d.py").write_text("module = {}\n")
    (work / "projects" / "wookie").mkdir(parents=True)
    (work / "projects" / "wookie" / "default.py").write_text("module = {}\n")
    monkeypatch.chdir(work)
    assert resolve_module_arg("targets/local-k3d.py") == work / "targets" / "local-k3d.py"
    assert resolve_module_arg("targets/local-k3d") == work / "targets" / "local-k3d.py"
    assert resolve_module_arg("projects/wookie") == work / "projects/wookie/default.py"
    # names with no local file still come from the bundled tree
    assert resolve_module_arg("examples/local") == bundled / "examples" / "local.py"


def test_show_trace_says_which_file_each_name_resolved_to(bundled, tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.py").write_text("module = {'options': {}}\n")
    result = run(
        "eval", "--no-default-modules", "--show-trace", "mine", "examples/local"
    )
    assert result.exit_code == 0, result.output
    assert f"module mine -> {tmp_path / 'mine.py'}" in result.stderr
    assert f"module examples/local -> {bundled / 'examples' / 'local.py'}" in result.stderr


def test_bundled_names(bundled, tmp_path, monkeypatch):
    """Bundled names: `.py` optional, a folder means its default.py, data files by name."""
    monkeypatch.chdir(tmp_path)
    assert resolve_module_arg("targets/local-k3d") == bundled / "targets" / "local-k3d.py"
    assert resolve_module_arg("projects/wookie") == bundled / "projects" / "wookie" / "default.py"
    assert resolve_module_arg("projects/wookie/istio") == bundled / "projects/wookie/istio.py"
    assert resolve_module_arg("examples/local.py") == bundled / "examples" / "local.py"
    assert (
        resolve_module_arg("examples/overlays/staging.yaml")
        == bundled / "examples/overlays/staging.yaml"
    )


def test_search_path_before_bundled(bundled, tmp_path, monkeypatch):
    """-I folders are searched before the bundled tree, in order."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine"
    (mine / "targets").mkdir(parents=True)
    (mine / "targets" / "local-k3d.py").write_text("module = {}\n")
    assert resolve_module_arg("targets/local-k3d", [mine]) == mine / "targets" / "local-k3d.py"
    assert resolve_module_arg("projects/wookie", [mine]) == bundled / "projects/wookie/default.py"


def test_folder_argument(bundled, tmp_path, monkeypatch):
    """An existing folder with default.py is its default.py."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "default.py").write_text("module = {}\n")
    assert resolve_module_arg("proj") == tmp_path / "proj" / "default.py"


def test_not_found_suggests(bundled, tmp_path, monkeypatch):
    """An unknown name raises ModuleNotFound with close bundled names."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModuleNotFound) as info:
        resolve_module_arg("projects/wokie")
    assert info.value.suggestions[0] == "projects/wookie"
    assert "did you mean `projects/wookie'" in str(info.value)


def test_module_names_for_completion(bundled):
    """Names are listed as users type them."""
    assert bundled_module_names() == [
        "examples/local",
        "examples/overlays/staging.yaml",
        "projects/wookie",
        "projects/wookie/istio",
        "targets/local-k3d",
    ]


def test_real_bundled_root_is_the_checkout():
    """In a source checkout the bundled tree is the repository root."""
    root = resolve.bundled_root()
    assert root is not None
    assert (root / "modules").is_dir() or (root / "targets").is_dir()


def test_display_path(bundled, tmp_path, monkeypatch):
    """Files below the cwd show relative; bundled files relative to the tree; others as is."""
    monkeypatch.chdir(tmp_path)
    assert resolve.display_path(str(tmp_path / "a" / "b.py")) == "a/b.py"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert resolve.display_path(str(bundled / "targets" / "local-k3d.py")) == "targets/local-k3d.py"
    monkeypatch.chdir("/")
    assert resolve.display_path(str(bundled / "targets" / "local-k3d.py")) == "targets/local-k3d.py"
    assert resolve.display_path("<command line --set>") == "<command line --set>"


def test_installed_layout_uses_the_bundled_copy(tmp_path, monkeypatch):
    """After a non-editable install, the package's `_bundled` folder is the bundled tree."""
    pkg = tmp_path / "site-packages" / "modsys"
    (pkg / "_bundled" / "targets").mkdir(parents=True)
    (pkg / "_bundled" / "targets" / "local-k3d.py").write_text("module = {}\n")
    monkeypatch.setattr(resolve, "_package_dir", lambda: pkg)
    monkeypatch.chdir(tmp_path)
    assert resolve.bundled_root() == pkg / "_bundled"
    assert resolve_module_arg("targets/local-k3d") == pkg / "_bundled" / "targets" / "local-k3d.py"


def test_no_bundled_tree(tmp_path, monkeypatch):
    """Without a bundled tree (a bare copy of the package), names are looked up in -I only."""
    monkeypatch.setattr(resolve, "_package_dir", lambda: tmp_path / "pkg" / "modsys")
    monkeypatch.chdir(tmp_path)
    assert resolve.bundled_root() is None
    with pytest.raises(ModuleNotFound):
        resolve_module_arg("targets/local-k3d")
