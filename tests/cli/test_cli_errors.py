"""Error paths: short messages, the right exit code, and no traceback unless --show-trace."""

from __future__ import annotations

import pytest

NO_DEFAULTS = "--no-default-modules"


def _no_trace(r):
    assert "Traceback" not in r.output


def test_undeclared_option(run, fixtures, write):
    """A definition of an undeclared option: exit 1, "does not exist", a suggestion, the file."""
    write("typo.py", 'module = {"app": {"nme": "x"}}\n')
    r = run("eval", "base.py", "typo.py", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)
    assert r.stdout == ""
    assert r.stderr.startswith("error: The option `app.nme' does not exist.")
    assert "Did you mean `app.name'" in r.stderr
    assert "typo.py" in r.stderr
    assert "/" not in r.stderr.split("typo.py")[0].splitlines()[-1]  # shown relative to cwd


def test_type_error(run, fixtures, write):
    """A value of the wrong type: exit 1, "is not of type", where it was defined."""
    write("bad.py", 'module = {"app": {"replicas": "three"}}\n')
    r = run("dump", "base.py", "bad.py", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)
    assert "is not of type `positive integer, meaning >0'" in r.stderr
    assert "bad.py" in r.stderr


def test_show_trace_prints_the_traceback(run, fixtures, write):
    """--show-trace adds the Python traceback before the message."""
    write("bad.py", 'module = {"app": {"replicas": "three"}}\n')
    r = run("eval", "base.py", "bad.py", NO_DEFAULTS, "--show-trace")
    assert r.exit_code == 1
    assert "Traceback (most recent call last)" in r.stderr
    assert "is not of type" in r.stderr


@pytest.mark.parametrize("cmd", ["eval", "dump", "why", "options", "schema", "plan", "validate"])
def test_missing_module_is_a_usage_error(run, workdir, cmd):
    """A module argument that names nothing: exit 2 with the search folders."""
    args = [cmd, "missing.py"] + (["a.b"] if cmd == "why" else [])
    r = run(*args)
    assert r.exit_code == 2
    _no_trace(r)
    assert "no module `missing.py'" in r.stderr


def test_missing_bundled_name_suggests(run, workdir):
    """A misspelt bundled name gets a suggestion."""
    r = run("eval", "targts/local-k3d")
    assert r.exit_code == 2
    assert "did you mean `targets/local-k3d'" in r.stderr


@pytest.mark.parametrize("arg", ["novalue", "=3", "a..b=1"])
def test_bad_set_syntax(run, fixtures, arg):
    """A --set without PATH=VALUE: exit 2."""
    r = run("eval", "base.py", NO_DEFAULTS, "--set", arg)
    assert r.exit_code == 2, r.output
    _no_trace(r)


def test_bad_set_yaml(run, fixtures):
    """A --set VALUE that is not YAML (for a non-string option): exit 2."""
    r = run("eval", "base.py", NO_DEFAULTS, "--set", "app.tags=[a, b")
    assert r.exit_code == 2
    assert "not valid YAML" in r.stderr


def test_set_type_error_names_the_command_line(run, fixtures):
    """A --set of the wrong type fails like any definition, naming `<command line --set>`."""
    r = run("eval", "base.py", NO_DEFAULTS, "--set", "app.replicas=0")
    assert r.exit_code == 1
    assert "<command line --set>" in r.stderr


def test_set_of_undeclared_option(run, fixtures):
    """--set of an option that does not exist: exit 1, "does not exist"."""
    r = run("eval", "base.py", NO_DEFAULTS, "--set", "app.nope=1")
    assert r.exit_code == 1
    assert "does not exist" in r.stderr


def test_why_unknown_option(run, fixtures):
    """`why` of an unknown option: exit 1 with suggestions."""
    r = run("why", "base.py", "app.nmae", NO_DEFAULTS)
    assert r.exit_code == 1
    assert "does not exist" in r.stderr and "app.name" in r.stderr


def test_eval_missing_attr(run, fixtures):
    """-A of a missing attribute: exit 1."""
    r = run("eval", "base.py", "-A", "app.servers.nope", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)


def test_options_of_an_unknown_prefix_is_an_error_with_suggestions(run, fixtures):
    """A mistyped PREFIX must not look like "no options"."""
    r = run("options", "base.py", "app.nmae", NO_DEFAULTS)
    assert r.exit_code == 1
    assert "does not exist" in r.stderr and "app.name" in r.stderr


def test_stream_to_stdout_of_several_variants_is_a_usage_error(run):
    """Several clusters cannot share one `kubectl apply -f -` stream."""
    r = run("render", "examples/multi-cluster.py", "--format", "stream")
    assert r.exit_code == 2
    assert "2 variants (primary, remote)" in r.stderr and "--out" in r.stderr


def test_syntax_error_in_module(run, write):
    """A Python syntax error in a module file: exit 1 with file and line."""
    write("broken.py", "module = {\n")
    r = run("eval", "broken.py", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)
    assert "broken.py:" in r.stderr


def test_exception_in_module_code(run, write):
    """A Python exception in a definition: exit 1, short message, no traceback."""
    write(
        "boom.py",
        """
        from modsys import mk_option, types as t
        module = {"options": {"a": mk_option(type=t.int)}, "config": {"a": lambda: 1 // 0}}
        """,
    )
    r = run("eval", "boom.py", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)
    assert "ZeroDivisionError" in r.stderr


def test_failed_assertion(run, write):
    """Failed assertions: exit 1 listing every message."""
    write(
        "asserts.py",
        """
        from modsys import assertions_module
        module = {"imports": [assertions_module], "config": {"assertions": [
            {"assertion": False, "message": "first problem"},
            {"assertion": False, "message": "second problem"},
        ]}}
        """,
    )
    r = run("eval", "asserts.py", NO_DEFAULTS)
    assert r.exit_code == 1
    assert "first problem" in r.stderr and "second problem" in r.stderr


def test_warnings_printed_once_to_stderr(run, write):
    """Warnings go to stderr, each once (also when diff evaluates two configurations)."""
    write(
        "warns.py",
        """
        from modsys import assertions_module
        module = {"imports": [assertions_module], "config": {"warnings": ["careful now"]}}
        """,
    )
    r = run("eval", "warns.py", "-A", "assertions", NO_DEFAULTS)
    assert r.exit_code == 0
    assert r.stderr == "warning: careful now\n"
    assert r.stdout == "[]\n"
    r = run("diff", "warns.py", NO_DEFAULTS, "--", "warns.py")
    assert r.stderr.count("careful now") == 1


def test_no_colour_when_not_a_terminal_or_no_color(run, fixtures, write):
    """Output has no ANSI escapes off a terminal, nor with NO_COLOR."""
    write("typo.py", 'module = {"app": {"nme": "x"}}\n')
    r = run("eval", "base.py", "typo.py", NO_DEFAULTS, env={"NO_COLOR": "1"})
    assert "\x1b[" not in r.output
    r = run("why", "base.py", "app.name", NO_DEFAULTS)
    assert "\x1b[" not in r.output


def test_colour_on_a_terminal(monkeypatch):
    """Colour is on for a terminal, and off again with NO_COLOR."""
    from modsys.cli.common import Style

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Style(Tty())("x", fg="red") != "x"  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert Style(Tty())("x", fg="red") == "x"  # type: ignore[arg-type]


def test_unknown_command_and_option_are_usage_errors(run):
    """Click's own usage errors exit 2."""
    assert run("frobnicate").exit_code == 2
    assert run("eval", "--frob").exit_code == 2


def test_unwritable_out_is_a_user_error(run, fixtures, workdir):
    """--out below a file: exit 1 with a message naming the folder, not an internal error."""
    (workdir / "afile").write_text("x")
    r = run("render", "app.py", "--out", "afile/out")
    assert r.exit_code == 1
    _no_trace(r)
    assert "cannot write the rendered tree to" in r.stderr and "afile" in r.stderr
    assert "internal error" not in r.stderr


def test_internal_error_is_short(run, fixtures, monkeypatch):
    """A bug (not a ModsysError) still gives exit 1 and a short message pointing at --show-trace."""
    import modsys.cli.common as common

    def broken(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(common, "load", broken)
    r = run("eval", "base.py", NO_DEFAULTS)
    assert r.exit_code == 1
    _no_trace(r)
    assert "error: something broke" in r.stderr and "--show-trace" in r.stderr


def test_progress_only_on_a_terminal(monkeypatch):
    """The render progress line is written to a terminal only, and cleared afterwards."""
    import io

    from modsys.cli.common import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    p = Progress()
    p.phase("rendering")
    p.done()
    assert "rendering…" in tty.getvalue() and tty.getvalue().endswith("\r\x1b[2K")
    plain = io.StringIO()
    monkeypatch.setattr("sys.stderr", plain)
    p = Progress()
    p.phase("rendering")
    p.done()
    assert plain.getvalue() == ""
