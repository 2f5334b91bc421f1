"""`modsys.dump`: the YAML writer, redaction, selection, and provenance notes."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modsys import eval_modules, mk_force, mk_option, types
from modsys.cli.common import secret_fields
from modsys.dump import (
    HiddenFields,
    Redacted,
    plain,
    provenance_notes,
    redact,
    scalar,
    select,
    to_json,
    to_yaml,
)

# --- the YAML writer ---------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85"), max_size=12
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    _text,
    st.sampled_from(
        ["1_24_2", "yes", "no", "on", "null", "~", "1.0", "0x1f", "a: b", "- x", "#c", "'q'",
         "multi\nline\n", "trailing \n", "\ttab\nx", "", " lead", "é ü", "a\r\nb", "12:30",
         "\nlead", "a\n\n\nb", "  \nb"]
    ),
)
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_text, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_data)
def test_yaml_round_trip(data):
    """Whatever plain data goes in reads back equal (strings stay strings, 1_24_2 included)."""
    assert yaml.safe_load(to_yaml(data)) == data


@settings(max_examples=100, deadline=None)
@given(_data)
def test_yaml_notes_do_not_change_data(data):
    """Comments on every path leave the data as it was."""
    notes = {}

    def collect(value, path):
        notes[path] = "note: with # and 'quotes'"
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                collect(v, (*path, i))

    collect(data, ())
    assert yaml.safe_load(to_yaml(data, notes)) == data


def test_yaml_shapes():
    """Block style, keys in order, nested lists indented, multi-line strings as literals."""
    data = {"b": 1, "a": {"x": [1, {"k": "v", "j": [True]}], "s": "one\ntwo\n"}, "e": {}, "n": []}
    assert to_yaml(data) == (
        "b: 1\n"
        "a:\n"
        "  x:\n"
        "    - 1\n"
        "    - k: v\n"
        "      j:\n"
        "        - true\n"
        "  s: |\n"
        "    one\n"
        "    two\n"
        "e: {}\n"
        "'n': []\n"  # a boolean to go-yaml v2
    )


def test_yaml_note_placement():
    """A note ends the line of its value; on a mapping that starts a list item, or on a list
    inside a list, it goes where that item starts."""
    data = {"a": [{"k": "v"}, ["x"], "s\nt"], "b": {}}
    notes = {("a",): "A", ("a", 0): "M", ("a", 1): "L", ("a", 2): "S", ("b",): "B"}
    assert to_yaml(data, notes) == (
        "a:  # A\n"
        "  # M\n"
        "  - k: v\n"
        "  -  # L\n"
        "    - x\n"
        "  - |-  # S\n"
        "    s\n"
        "    t\n"
        "b: {}  # B\n"
    )
    multi = to_yaml({"a": 1}, {("a",): "two\nlines \x07"})
    assert multi == "a: 1  # two lines \\u0007\n" and yaml.safe_load(multi) == {"a": 1}


def test_yaml_of_values_plain_data_cannot_hold():
    """Redacted values print bare, functions and types as descriptions, also as a whole."""
    assert to_yaml({"p": Redacted("x"), "f": len, "l": [Redacted(1)]}) == (
        "p: <redacted>\nf: '<function>'\nl:\n  - <redacted>\n"
    )
    assert to_yaml(Redacted("x")) == "<redacted>\n"
    assert to_yaml("one\ntwo") == "|-\n  one\n  two\n"
    assert to_yaml(None) == "null\n"


def test_scalars():
    """Scalars that YAML 1.1 would misread are quoted."""
    assert scalar("1_24_2") == "'1_24_2'"
    assert scalar("yes") == "'yes'"
    assert scalar("web") == "web"
    assert scalar(1e-05) == "1.0e-05"
    assert yaml.safe_load(scalar(float("inf"))) == float("inf")
    assert math.isnan(yaml.safe_load(scalar(float("nan"))))
    assert scalar(Redacted("x")) == "<redacted>"


def test_json_of_redacted_and_functions():
    """Redacted values and functions print as strings in JSON."""
    assert to_json({"a": Redacted(1), "f": len}, indent=None) == '{"a": "<redacted>", "f": "<function>"}'


# --- redaction ---------------------------------------------------------------------------------


def test_redacted_compares_by_hidden_value():
    """Two markers are equal when the hidden values are; the marker never shows the value."""
    assert Redacted("a") == Redacted("a")
    assert Redacted("a") != Redacted("b")
    assert "hunter2" not in repr(Redacted("hunter2")) + str(Redacted("hunter2"))


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"kind": "Secret", "apiVersion": "v1", "data": {"k": "djE="}, "stringData": {"p": "x"}}, ()),
        ({"data": {"k": "v"}, "stringData": {"p": "x"}}, ("resources", "Secret", "creds")),
    ],
)
def test_secret_data_is_redacted(data, path):
    """Secrets are recognised by kind, or by sitting at resources.Secret.<name>."""
    out = redact(data, secret_fields(), path=path)
    assert out["data"] == {"k": Redacted("djE=" if "kind" in data else "v")}
    assert list(out["stringData"]) == ["p"] and isinstance(out["stringData"]["p"], Redacted)
    assert data["stringData"] == {"p": "x"}  # the input is not changed


def test_other_objects_are_not_redacted():
    """A ConfigMap keeps its data."""
    cm = {"kind": "ConfigMap", "data": {"k": "v"}}
    assert redact(cm, secret_fields()) == cm


def test_the_engine_hides_only_what_the_caller_names():
    """`modsys.dump` knows no Kubernetes: without a rule a Secret is plain data; a rule hides
    the named fields (each value of a hidden attribute set, keys kept) where it applies."""
    secret = {"kind": "Secret", "data": {"k": "v"}, "password": "p"}
    assert plain(secret) == secret
    rule = HiddenFields(frozenset({"password"}), lambda attrs, path: path == ("users", "alice"))
    users = {"alice": dict(secret), "bob": dict(secret)}
    out = plain({"users": users}, hide=rule)["users"]
    assert out["alice"] == {**secret, "password": Redacted("p")}
    assert out["bob"] == secret
    assert plain({"users": users}, hide=rule, show_secrets=True)["users"]["alice"] == secret


def _secret_eval():
    return eval_modules(
        [
            {
                "options": {
                    "token": mk_option(type=types.str, sensitive=True),
                    "objs": mk_option(type=types.list_of(types.attrs_of(types.anything)), default=[]),
                    "sub": mk_option(
                        type=types.submodule(
                            {"options": {"key": mk_option(type=types.str, sensitive=True),
                                         "name": mk_option(type=types.str, default="n")}}
                        ),
                        default={},
                    ),
                    "unset": mk_option(type=types.str),
                },
                "config": {
                    "token": "t0k3n",
                    "sub": {"key": "s3cr3t"},
                    "objs": [{"kind": "Secret", "metadata": {"name": "x"}, "data": {"a": "b"}}],
                },
            }
        ]
    )


def test_plain_redacts_sensitive_options_at_any_depth():
    """Sensitive options, in submodules too, and Secret objects in lists are redacted."""
    data = plain(_secret_eval().config, hide=secret_fields())
    assert data["token"] == Redacted("t0k3n")
    assert data["sub"] == {"key": Redacted("s3cr3t"), "name": "n"}
    assert data["objs"][0]["data"] == {"a": Redacted("b")}
    assert "unset" not in data
    shown = plain(_secret_eval().config, show_secrets=True, hide=secret_fields())
    assert shown["token"] == "t0k3n" and shown["objs"][0]["data"] == {"a": "b"}


def test_select_keeps_redaction_along_the_path():
    """Selecting into a sensitive option or a Secret still redacts."""
    config, hide = _secret_eval().config, secret_fields()
    assert select(config, ["token"]) == Redacted("t0k3n")
    assert select(config, ["sub", "key"]) == Redacted("s3cr3t")
    assert select(config, ["sub", "name"]) == "n"
    assert select(config, ["objs", "0", "data"], hide=hide) == {"a": Redacted("b")}  # as in dump
    assert select(config, ["objs", "0", "data", "a"], hide=hide) == Redacted("b")
    assert select(config, ["objs", "0", "data"]) == {"a": "b"}  # the engine alone knows no Secret
    assert select(config, ["objs", "0", "metadata", "name"], hide=hide) == "x"
    assert select(config, ["token"], show_secrets=True) == "t0k3n"


# --- provenance notes --------------------------------------------------------------------------


def test_notes_name_winner_priority_and_beaten():
    """A note per leaf: file (and line when known), priority, how many it beat."""
    ev = eval_modules(
        [
            {"options": {"a": mk_option(type=types.int, default=1),
                         "m": mk_option(type=types.attrs_of(types.int), default={}),
                         "l": mk_option(type=types.list_of(types.int), default=[])},
             "config": {"m": {"x": 1}, "l": [1]}},
            {"_file": "over.py", "config": {"a": mk_force(3), "m": {"y": 2}, "l": [2]}},
        ]
    )
    data = plain(ev.config)
    notes = provenance_notes(ev, data)
    assert notes[("a",)].startswith("over.py, priority 50 (mk_force), beat 1")
    assert notes[("m", "y")].startswith("over.py, priority 100")
    assert ("m",) not in notes  # attrs-of entries are annotated one by one
    assert notes[("l",)].startswith("merged 2 definitions (")
