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
