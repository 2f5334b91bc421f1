"""Hardening (issue 10): hostile values on the command line and in manifests, and the terminal."""

from __future__ import annotations

import math

from modsys.cli.diff import diff_data
from modsys.cli.terminal import sanitize
from modsys.kube.kinds import object_sort_key


def test_terminal_sanitize_escapes_control_sequences_but_keeps_own_colours() -> None:
    assert sanitize("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert sanitize("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert sanitize("\x1b[8mhidden") == "\\x1b[8mhidden"
    assert sanitize("\x1b[31m\x1b[1merror:\x1b[0m x\n\t") == "\x1b[31m\x1b[1merror:\x1b[0m x\n\t"
    assert sanitize("\x9b2J") == "\\x9b2J"


def test_diff_of_nan_with_itself_is_no_difference() -> None:
    a = {"values": {"x": math.nan, "l": [1.0, math.nan]}}
    b = {"values": {"x": math.nan, "l": [1.0, math.nan]}}
    assert diff_data(a, b) == []


def test_sorting_objects_with_a_non_string_name_does_not_crash() -> None:
    objs = [{"kind": "ConfigMap", "metadata": {"name": 5}}, {"kind": 3, "metadata": "x"},
            {"kind": "ConfigMap", "metadata": {"name": "a"}}]
    assert len(sorted(objs, key=object_sort_key)) == 3


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
)


def test_set_with_an_alias_bomb_or_deep_nesting_is_a_usage_error(run, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text("platform: {}\n")
    for value in (BOMB, "[" * 10000 + "]" * 10000):
        r = run("eval", "--no-default-modules", "--set", f"foo={value}", "m.yaml")
        assert r.exit_code == 2, r.output
        assert "not valid YAML" in r.stderr and "Traceback" not in r.output
