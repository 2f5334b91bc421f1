"""`set_at`: nixpkgs' `lib.setAttrByPath` for deep definitions."""

from __future__ import annotations

import pytest

import modsys
from modsys import eval_modules, mk_force, mk_option, set_at, types


def test_set_at_builds_the_nested_attribute_set():
    """`setAttrByPath ["a" "b" "c"] v` is `{ a.b.c = v; }`; the dotted string is the same path."""
    assert set_at(["a", "b", "c"], 1) == {"a": {"b": {"c": 1}}}
    assert set_at("a.b.c", 1) == {"a": {"b": {"c": 1}}}
    assert set_at(("files", "k3d.yaml"), "t") == {"files": {"k3d.yaml": "t"}}


def test_set_at_an_empty_path_is_the_value():
    """`setAttrByPath [] v` is `v`."""
    assert set_at([], 5) == 5
    assert set_at("", 5) == 5


@pytest.mark.parametrize("path", ["a..b", ".a", "a.", ["a", ""], ["a", 1]])
def test_set_at_rejects_paths_that_are_not_names(path):
    with pytest.raises(ValueError, match="not a path of attribute names"):
        set_at(path, 1)


def test_set_at_builds_new_sets_each_call():
    first, second = set_at("a.b", 1), set_at("a.b", 1)
    first["a"]["b"] = 2
    assert second == {"a": {"b": 1}}


def test_set_at_definitions_merge_like_written_out_ones():
    """A module made of `set_at` pieces merges exactly as the nested literal would, properties
    included."""
    ev = eval_modules(
        [
            {"options": {"a": {"b": {"c": mk_option(type=types.list_of(types.int))}}}},
            set_at("a.b.c", [1]),
            {"config": set_at(["a", "b", "c"], mk_force([2]))},
        ]
    )
    assert ev.config.a.b.c == [2]


def test_set_at_is_public():
    assert "set_at" in modsys.__all__ and modsys.set_at is set_at


def test_definitions_made_with_set_at_keep_their_lines(tmp_path):
    """A `.py` module's definitions written with `set_at` (a literal path), spread with `**`
    or not, are located at their lines, as written-out ones are."""
    from modsys.pylines import definition_lines

    source = (
        "from modsys import set_at\n"  # 1
        "module = {\n"  # 2
        "    **set_at('a.b', {\n"  # 3
        "        'c': 1,\n"  # 4
        "    }),\n"  # 5
        "    'x': set_at(['y', 'z.w'], 2),\n"  # 6
        "}\n"
    )
    lines = definition_lines(source)
    assert lines[("a",)] == lines[("a", "b")] == 3
    assert lines[("a", "b", "c")] == 4
    assert lines[("x", "y", "z.w")] == 6
    module = tmp_path / "m.py"
    module.write_text(source)
    ev = eval_modules(
        [{"options": {"a": {"b": {"c": mk_option(type=types.int)}}, "x": mk_option(type=types.anything)}},
         module]
    )
    assert ev.config.a.b.c == 1
    [definition] = ev.explain(["a", "b", "c"]).definitions
    assert definition.line == 4
