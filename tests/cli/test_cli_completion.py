"""Shell completion: commands, bundled module names and option paths."""

from __future__ import annotations

from click.shell_completion import ShellComplete

from modsys.cli.app import cli


def _complete(args: list[str], incomplete: str) -> list[str]:
    comp = ShellComplete(cli, {}, "modsys", "_MODSYS_COMPLETE")
    return [c.value for c in comp.get_completions(args, incomplete)]


def test_commands():
    """Command names complete."""
    assert _complete([], "d") == ["diff", "dump"]


def test_bundled_module_names(workdir):
    """Module arguments complete to bundled names (plus files)."""
    names = _complete(["eval"], "targets/")
    assert "targets/local-k3d" in names
    assert all(n.startswith("targets/") for n in names)


def test_option_paths_of_given_modules(fixtures, monkeypatch):
    """`why` and `-A` complete option paths of the modules named before them."""
    why = ["why", "--no-default-modules", "base.py"]
    assert _complete(why, "app.re") == ["app.replicas", "app.re"]  # the last: a file name
    names = _complete(why, "app.")
    assert "app.servers" in names and "app.name" in names
    # into attrs-of entries of submodules
    assert _complete(why, "app.servers.main.p") == ["app.servers.main.port", "app.servers.main.p"]

    monkeypatch.setenv("COMP_WORDS", "modsys eval --no-default-modules base.py -A ap")
    assert _complete(["eval", "--no-default-modules", "base.py", "-A"], "ap") == ["app"]


def test_set_paths(fixtures, monkeypatch):
    """`--set` completes the path before `=` (the modules come from the shell's words)."""
    monkeypatch.setenv("COMP_WORDS", "modsys eval --no-default-modules base.py --set app.mo")
    assert _complete(["eval", "--no-default-modules", "base.py", "--set"], "app.mo") == ["app.mode"]
    assert _complete(["eval", "--no-default-modules", "base.py", "--set"], "app.mode=") == []


def test_completion_never_raises(workdir):
    """Completion with a broken module offers nothing instead of failing."""
    (workdir / "broken.py").write_text("module = {\n")
    assert _complete(["eval", "--no-default-modules", "broken.py", "-A"], "a") == []
    assert _complete(["why", "--no-default-modules", "broken.py"], "a") == ["a"]  # files only
