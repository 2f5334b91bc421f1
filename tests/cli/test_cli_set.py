"""`--set` and `--force-set`: YAML values, the verbatim rule for string options, priorities."""

from __future__ import annotations

import json

import pytest

from modsys.cli.setopt import SetSyntaxError, parse_set_arg

NO_DEFAULTS = "--no-default-modules"

TYPES = '''
from modsys import mk_option, types as t

module = {"options": {"o": {
    "s": mk_option(type=t.str, default=""),
    "ns": mk_option(type=t.null_or(t.str), default="x"),
    "ne": mk_option(type=t.non_empty_str, default="x"),
    "sl": mk_option(type=t.single_line_str, default="x"),
    "sm": mk_option(type=t.str_matching("[0-9_]+"), default="0"),
    "lines": mk_option(type=t.lines, default=""),
    "en": mk_option(type=t.enum(["yes", "no", "1_2"]), default="no"),
    "i": mk_option(type=t.int, default=0),
    "b": mk_option(type=t.bool, default=False),
    "l": mk_option(type=t.list_of(t.str), default=[]),
    "m": mk_option(type=t.attrs_of(t.int), default={}),
    "u": mk_option(type=t.uniq(t.str), default="x"),
    "e": mk_option(type=t.either(t.int, t.str), default=0),
    "any": mk_option(type=t.anything, default=None),
    "sub": mk_option(type=t.attrs_of(t.submodule({"options": {
        "version": mk_option(type=t.str, default="0"),
        "count": mk_option(type=t.int, default=0),
    }})), default={}),
}}}
'''


@pytest.fixture
def typed(write):
    return write("types.py", TYPES)


def _value(run, path, *sets):
    r = run("eval", "types.py", NO_DEFAULTS, "-A", path, "--json", *sets)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("o.s", "1_24_2", "1_24_2"),  # YAML 1.1 would read 12422
        ("o.s", "yes", "yes"),
        ("o.s", "null", "null"),
        ("o.s", "[a, b]", "[a, b]"),
        ("o.s", "", ""),
        ("o.s", "a=b", "a=b"),
        ("o.ns", "1.0", "1.0"),
        ("o.ns", "null", None),
        ("o.ne", "007", "007"),
        ("o.sl", "on", "on"),
        ("o.sm", "1_24_2", "1_24_2"),
        ("o.lines", "true", "true"),
        ("o.en", "yes", "yes"),
        ("o.en", "1_2", "1_2"),
        ("o.u", "3", "3"),
        ("o.sub.web.version", "1_24_2", "1_24_2"),  # through attrs-of and a submodule
    ],
)
def test_string_options_take_text_verbatim(run, typed, path, text, expected):
    """For string-typed options the text after `=` is the value, untouched."""
    assert _value(run, path, "--set", f"{path}={text}") == expected


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("o.i", "42", 42),
        ("o.b", "true", True),
        ("o.b", "yes", True),
        ("o.l", "[a, b]", ["a", "b"]),
        ("o.m", "{x: 1, y: 2}", {"x": 1, "y": 2}),
        ("o.e", "3", 3),
        ("o.e", "hello", "hello"),
        ("o.any", "{a: [1, 2]}", {"a": [1, 2]}),
        ("o.sub.web.count", "7", 7),
    ],
)
def test_other_options_read_yaml(run, typed, path, text, expected):
    """Everything else is read as YAML."""
    assert _value(run, path, "--set", f"{path}={text}") == expected


def test_set_is_plain_priority(run, write):
    """--set loses to mk_force, beats mk_default, and conflicts with another plain value."""
    write(
        "m.py",
        """
        from modsys import mk_default, mk_force, mk_option, types as t
        module = {
            "options": {"a": mk_option(type=t.int), "b": mk_option(type=t.int),
                        "c": mk_option(type=t.int)},
            "config": {"a": mk_default(1), "b": mk_force(2), "c": 3},
        }
        """,
    )
    r = run("eval", "m.py", NO_DEFAULTS, "--json", "--set", "a=10", "--set", "b=20")
    assert json.loads(r.stdout) == {"a": 10, "b": 2, "c": 3}
    r = run("eval", "m.py", NO_DEFAULTS, "--set", "c=30")
    assert r.exit_code == 1 and "conflicting definition values" in r.stderr
    assert "use --force-set" in r.stderr
    r = run("eval", "m.py", NO_DEFAULTS, "--json", "--force-set", "b=20", "--force-set", "c=30")
    assert r.exit_code == 1  # b: two definitions at mk_force priority conflict
    r = run("eval", "m.py", NO_DEFAULTS, "--json", "--force-set", "c=30")
    assert json.loads(r.stdout) == {"a": 1, "b": 2, "c": 30}


def test_set_shows_in_why_and_annotate(run, typed):
    """The command line is named as the definition's file."""
    r = run("why", "types.py", "o.i", NO_DEFAULTS, "--set", "o.i=5")
    assert "<command line --set>" in r.stdout
    r = run("dump", "types.py", NO_DEFAULTS, "--annotate", "--force-set", "o.i=5")
    line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("i:"))
    assert line.strip() == "i: 5  # <command line --force-set>, priority 50 (mk_force), beat 1"


def test_quoted_path_parts(run, write):
    """A quoted path part may hold dots and `=`."""
    write(
        "m.py",
        """
        from modsys import mk_option, types as t
        module = {"options": {"labels": mk_option(type=t.attrs_of(t.str), default={})}}
        """,
    )
    r = run(
        "eval", "m.py", NO_DEFAULTS, "--json",
        "--set", 'labels."app.kubernetes.io/name"=web',
        "--set", 'labels."a=b"=c',
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"labels": {"a=b": "c", "app.kubernetes.io/name": "web"}}


@pytest.mark.parametrize("arg", ["x", "=1", ".a=1", "a.=1", "a..b=1", '"unterminated=1'])
def test_parse_errors(arg):
    """Malformed --set arguments raise SetSyntaxError (a usage error)."""
    with pytest.raises(SetSyntaxError):
        parse_set_arg(arg)


def test_parse_keeps_everything_after_the_first_equals():
    """`a=b=c` sets `a` to `b=c`."""
    parsed = parse_set_arg("a.b=c=d")
    assert (parsed.path, parsed.text) == (("a", "b"), "c=d")
