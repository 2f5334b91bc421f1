"""YAML and JSON data modules: tags map onto properties, keys keep their lines, and hostile or
malformed documents fail with a `file:line:` message instead of crashing or hanging."""

from __future__ import annotations

import itertools
import textwrap
import time

import pytest
import yaml

from modsys import yamlload
from modsys.errors import InvalidModuleError, Location
from modsys.properties import If, Merge, Order, Override
from modsys.yamlload import (
    YamlModuleError,
    load_json_module,
    load_yaml_module,
    load_yaml_text,
)


def load(text: str):
    return load_yaml_text(textwrap.dedent(text), "m.yaml")


def fails(text: str, *needles: str) -> YamlModuleError:
    with pytest.raises(YamlModuleError) as info:
        load(text)
    for needle in needles:
        assert needle in str(info.value)
    return info.value


@pytest.fixture(params=["libyaml", "pure-python"])
def both_parsers(request, monkeypatch):
    """Line numbers must not depend on which PyYAML parser is installed."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not available")


# --- tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("!default 3", Override(1000, 3)),
        ("!force 5", Override(50, 5)),
        ("!optionDefault x", Override(1500, "x")),
        ("!override {priority: 60, value: 7}", Override(60, 7)),
        ("!override {priority: -3, value: 7}", Override(-3, 7)),
        ("!before [a, b]", Order(500, ["a", "b"])),
        ("!after [c]", Order(1500, ["c"])),
        ("!order {priority: 400, value: [d]}", Order(400, ["d"])),
        ("!merge [1, 2]", Merge([1, 2])),
        ("!if {condition: true, value: 1}", If(True, 1)),
        ("!if {condition: false, value: 1}", If(False, 1)),
    ],
)
def test_each_tag_becomes_its_property(source, expected):
    data, _ = load(f"v: {source}\n")
    assert data == {"v": expected}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("!force 5", 5),
        ("!force '5'", "5"),
        ("!force true", True),
        ("!force 1.5", 1.5),
        ("!force", None),
        ("!force null", None),
        ("!force [1, x]", [1, "x"]),
        ("!force {a: 1}", {"a": 1}),
        ("!before |\n    line\n", "line\n"),
    ],
)
def test_tagged_content_reads_as_it_would_untagged(source, expected):
    data, _ = load(f"v: {source}\n")
    assert data == {"v": Override(50, expected) if "force" in source else Order(500, expected)}


def test_tags_nest_inside_tagged_content():
    data, _ = load(
        """\
        a: !default
          b: !force [1, !after [2]]
          c: !merge
            - !if {condition: true, value: {d: !default 1}}
            - {d: 2}
        e: !override {priority: 60, value: {f: !before [x]}}
        """
    )
    assert data == {
        "a": Override(
            1000,
            {
                "b": Override(50, [1, Order(1500, [2])]),
                "c": Merge([If(True, {"d": Override(1000, 1)}), {"d": 2}]),
            },
        ),
        "e": Override(60, {"f": Order(500, ["x"])}),
    }


def test_a_tagged_root_is_a_property():
    data, lines = load("!force\na: 1\n")
    assert data == Override(50, {"a": 1})
    assert lines == {(): 1, ("a",): 2}


# --- line numbers --------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_parsers")
def test_lines_of_keys_list_items_and_keys_inside_tags():
    _, lines = load(
        """\
        # a comment
        a: 1
        b:
          c: !force
            d: 2
          e:
            - x
            - f: 3
              g: !default [y,
                 z]
        h: !override {priority: 60, value: {i: 1}}
        j: !merge
          - {k: 1}
          - {k: 2, l: 3}
        """
    )
    assert lines == {
        (): 1,
        ("a",): 2,
        ("b",): 3,
        ("b", "c"): 4,
        ("b", "c", "d"): 5,
        ("b", "e"): 6,
        ("b", "e", 0): 7,
        ("b", "e", 1): 8,
        ("b", "e", 1, "f"): 8,
        ("b", "e", 1, "g"): 9,
        ("b", "e", 1, "g", 0): 9,
        ("b", "e", 1, "g", 1): 10,
        ("h",): 11,
        ("h", "i"): 11,
        ("j",): 12,
        ("j", "k"): 13,  # the first definition of a path gives its line
        ("j", "l"): 14,
    }


@pytest.mark.usefixtures("both_parsers")
def test_lines_count_crlf_line_ends_once():
    _, lines = load_yaml_text("a: 1\r\nb:\r\n  c: 2\r\n", "m.yaml")
    assert lines == {(): 1, ("a",): 1, ("b",): 2, ("b", "c"): 3}


def test_aliased_content_is_copied_under_the_alias_path():
    data, lines = load(
        """\
        base: &b {x: 1}
        use: *b
        """
    )
    assert data == {"base": {"x": 1}, "use": {"x": 1}}
    assert data["use"] is not data["base"]  # no shared mutable data between paths
    assert lines[("use",)] == 2 and lines[("use", "x")] == 1


def test_merge_keys_fill_in_missing_keys_and_explicit_keys_win():
    data, lines = load(
        """\
        base: &b {x: 1, y: 2}
        more: &m {y: 3, z: 4}
        use:
          <<: [*b, *m]
          x: 0
        """
    )
    assert data["use"] == {"x": 0, "y": 2, "z": 4}
    assert lines[("use", "x")] == 5 and lines[("use", "y")] == 1


# --- malformed payloads and tags -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "needles"),
    [
        ("!override {value: 1}", ["'priority' is missing"]),
        ("!override {priority: 60}", ["'value' is missing"]),
        ("!override {priority: '60', value: 1}", ["priority must be a literal int", "str '60'"]),
        ("!override {priority: 1.5, value: 1}", ["priority must be a literal int"]),
        ("!override {priority: true, value: 1}", ["priority must be a literal int", "bool"]),
        ("!override {priority: !force 1, value: 1}", ["priority must be a literal int"]),
        ("!override {priority: 1, value: 1, extra: 2}", ["'extra' is not one of its keys"]),
        ("!override 60", ["!override takes a mapping", "not a scalar"]),
        ("!order [1]", ["!order takes a mapping", "not a list"]),
        ("!order {value: [1]}", ["'priority' is missing"]),
        ("!if {condition: x, value: 1}", ["condition must be a literal bool", "str 'x'"]),
        ("!if {condition: 1, value: 1}", ["condition must be a literal bool"]),
        ("!if {value: 1}", ["'condition' is missing"]),
        ("!merge {a: 1}", ["!merge takes a list"]),
    ],
)
def test_bad_tag_payloads_are_rejected_with_their_line(source, needles):
    err = fails(f"a: 1\nb: {source}\n", "m.yaml:2: ", *needles)
    assert err.locations == (Location("m.yaml", 2),)


@pytest.mark.parametrize("tag", ["!forse", "!Force", "!mkForce", "!<tag:example.com:x>"])
def test_unknown_tags_are_rejected_listing_the_known_ones(tag):
    err = fails(f"a: 1\nb: {tag} 1\n", "m.yaml:2: unknown tag", "known: !default, !force")
    assert isinstance(err, InvalidModuleError)


@pytest.mark.parametrize(
    "source",
    [
        "!!python/object/apply:os.system [echo hi]",
        "!!python/object:collections.OrderedDict {}",
        "!!python/name:os.system",
        "!!python/tuple [1, 2]",
        "!!binary aGk=",
        "!!set {a, b}",
        "!!omap [{a: 1}]",
    ],
)
def test_python_and_other_object_tags_are_rejected(source):
    fails(f"a: {source}\n", "m.yaml:1: unknown tag !!")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("!!str 5", "5"),
        ("!!int '7'", 7),
        ("!!float 1", 1.0),
        ("!!bool 'yes'", True),
        ("0x10", 16),
        ("2024-01-31", "2024-01-31"),  # timestamps stay text: plain data only
        ("=", "="),
        ("~", None),
    ],
)
def test_standard_scalar_tags_give_plain_values(source, expected):
    assert load(f"a: {source}\n")[0] == {"a": expected}


@pytest.mark.parametrize(
    ("source", "needle"),
    [("!!int x", "'x' is not a valid !!int"), ("!!str [1]", "tag !!str does not apply to a list")],
)
def test_standard_tags_that_do_not_fit_are_errors(source, needle):
    fails(f"a: {source}\n", f"m.yaml:1: {needle}")


# --- hostile documents ---------------------------------------------------------------------------


def laughs(levels: int, fanout: int = 10) -> str:
    """The 'billion laughs' document: each level holds `fanout` aliases of the one before."""
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * fanout)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [7, 9, 30])
def test_alias_bombs_are_rejected_fast(levels):
    start = time.perf_counter()
    with pytest.raises(YamlModuleError, match="more than 1,000,000 nodes") as info:
        load_yaml_text(laughs(levels), "bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert str(info.value).startswith("bomb.yaml:")


def test_a_document_under_the_node_limit_with_aliases_loads():
    data, _ = load_yaml_text(laughs(4), "ok.yaml")
    assert len(data["l3"]) == 10 and data["l3"][0][0][0] == ["lol"] * 10


def test_a_few_harmless_aliases_load():
    data, _ = load(
        """\
        labels: &labels {app: web, tier: front}
        deployment: {labels: *labels, replicas: !force 3}
        service: {selector: *labels}
        """
    )
    assert data["service"]["selector"] == {"app": "web", "tier": "front"}
    assert data["deployment"]["labels"] == data["labels"]


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("a: &a [*a]\n", "recursive alias"),
        ("a: &a {b: *a}\n", "recursive alias"),
        ("a: *nowhere\n", "alias *nowhere names no anchor"),
    ],
)
def test_recursive_and_dangling_aliases_are_errors(source, needle):
    fails(source, "m.yaml:1: ", needle)


@pytest.mark.parametrize("depth", [101, 100_000])
def test_very_deep_nesting_is_rejected_fast_without_crashing(depth):
    start = time.perf_counter()
    with pytest.raises(YamlModuleError, match="nested more than 100 deep"):
        load_yaml_text("[" * depth + "]" * depth, "deep.yaml")
    assert time.perf_counter() - start < 1.0


def test_nesting_within_the_limit_loads():
    data, _ = load_yaml_text("[" * 100 + "]" * 100)
    for _ in range(99):
        data = data[0]
    assert data == []


# --- keys ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_parsers")
def test_duplicate_keys_name_both_lines():
    err = fails(
        """\
        a: 1
        b:
          c: 1
          d: 2
          c: 3
        """,
        "m.yaml:5: duplicate key 'c' (first on line 3)",
    )
    assert err.locations == (Location("m.yaml", 5), Location("m.yaml", 3))


def test_duplicate_keys_inside_tagged_content_are_errors():
    fails("a: !force {b: 1, b: 2}\n", "m.yaml:1: duplicate key 'b'")


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ("1", "key 1 reads as !!int"),
        ("yes", "key yes reads as !!bool"),
        ("null", "key null reads as !!null"),
        ("1.5", "key 1.5 reads as !!float"),
        ("[a, b]", "not a list"),
        ("{a: 1}", "not a mapping"),
        ("!force a", "not tagged with !force"),
    ],
)
def test_keys_must_be_strings(key, needle):
    fails(f"x: 1\n? {key}\n: 1\n", "m.yaml:2: ", needle)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("'1'", "1"),
        ('"yes"', "yes"),
        ("!!str 1", "1"),
        ("a.b", "a.b"),
        ("2024-01-01", "2024-01-01"),
    ],
)
def test_quoted_or_string_keys_are_fine(key, expected):
    assert load(f"{key}: 1\n")[0] == {expected: 1}


# --- documents and syntax ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "--- null\n", "~\n"])
def test_an_empty_document_is_an_empty_module(text):
    assert load_yaml_text(text) == ({}, {})


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: 1\n---\n", "---\na: 1\n--- \nb: 2\n"])
def test_several_documents_are_rejected(text):
    with pytest.raises(YamlModuleError, match="one YAML document"):
        load_yaml_text(text, "m.yaml")


@pytest.mark.usefixtures("both_parsers")
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3),
        ("a: 1\nb: c: d\n", 2),
        ("a:\n  b: 1\n c: 2\n", 3),
        ("a: 'open\n", 2),
        ("a: 1\n\tb: 2\n", 2),
        ("a: 1\nb: \x00\n", 2),
        ("a: 1\nb: \ud800\n", 2),
    ],
)
def test_syntax_errors_name_file_and_line(text, line):
    with pytest.raises(YamlModuleError) as info:
        load_yaml_text(text, "examples/bad.yaml")
    assert str(info.value).startswith(f"examples/bad.yaml:{line}: ")
    assert info.value.locations == (Location("examples/bad.yaml", line),)
    assert not isinstance(info.value, yaml.YAMLError)


# --- files ---------------------------------------------------------------------------------------


def test_load_yaml_module_reads_a_file_and_names_it_in_errors(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("\ufeffa: !force 1\n", encoding="utf-8")  # a BOM is allowed
    assert load_yaml_module(good) == ({"a": Override(50, 1)}, {(): 1, ("a",): 1})
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\nb: !forse 2\n")
    with pytest.raises(YamlModuleError, match=r"bad\.yaml:2: unknown tag !forse"):
        load_yaml_module(str(bad))


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "cannot read"), (b"a: 1\nb: \xff\n", "bad.yaml:2: the file is not UTF-8")],
)
def test_unreadable_files_are_module_errors(tmp_path, content, needle):
    path = tmp_path / "bad.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(YamlModuleError, match=needle):
        load_yaml_module(path)


def test_json_modules_are_plain_data_with_lines(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{\n  "a": {"b": [1,\n    {"c": "!force x"}]},\n  "d": null\n}\n')
    data, lines = load_json_module(path)
    assert data == {"a": {"b": [1, {"c": "!force x"}]}, "d": None}
    assert lines == {
        (): 1,
        ("a",): 2,
        ("a", "b"): 2,
        ("a", "b", 0): 2,
        ("a", "b", 1): 3,
        ("a", "b", 1, "c"): 3,
        ("d",): 4,
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ({}, {})),
        ("  \n", ({}, {})),
        ("null", ({}, {})),
        ("[]", ([], {(): 1})),
        ('{"a": [], "b": {}}', ({"a": [], "b": {}}, {(): 1, ("a",): 1, ("b",): 1})),
    ],
)
def test_json_edge_documents(tmp_path, content, expected):
    path = tmp_path / "m.json"
    path.write_text(content)
    assert load_json_module(path) == expected


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"a": 1,\n "a": 2}', "m.json:2: duplicate key 'a' (first on line 1)"),
        ('{"a": 1,\n "b": }', "m.json:2: Expecting value"),
        ('{"a": 1}\n{"b": 2}', "m.json:2: Extra data"),
        ("[" * 200 + "]" * 200, "nested"),
    ],
)
def test_bad_json_is_a_module_error(tmp_path, content, needle):
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(YamlModuleError) as info:
        load_json_module(path)
    assert needle in str(info.value)
