"""The YAML writer: whatever it writes reads back as the same data, in the order given."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modsys.kube.yamldump import canonical, dump, dump_object, k8s_canonical

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(
        [
            "yes",
            "No",
            "on",
            "y",
            "n",
            "~",
            "null",
            "",
            "1:30",
            "0o17",
            "1e3",
            "=",
            "<<",
            "- x",
            "a: b",
            "a #b",
            "#c",
            "'q'",
            '"d"',
            "x\n",
            "\nx",
            " x",
            "x ",
            "a\n\nb\n",
            "a\n\n",
            "\u2028",
            "tab\tx",
            "2024-01-01",
            ".inf",
            "*a",
            "&a",
            "!t",
            "%p",
            "@x",
            "`x",
            "{x}",
            "[x]",
            "--x",
            "---",
            "...",
            ".x",
            "-x",
            "?",
            ":",
            "-",
            "|",
            ">",
            "v1.2.3",
            "6.7.0",
            "0x1F",
            "+1",
            "-.5",
            "ü",
            "😀",
        ]
    )
)
_data = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=10) | st.integers() | st.sampled_from(["on", "y", "1"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.text(max_size=10), _data, min_size=1, max_size=5)
    | st.lists(_data, min_size=1)
)
def test_dump_reads_back_as_the_same_data(data):
    assert yaml.safe_load(dump(data)) == data


def test_multi_line_strings_are_literal_blocks():
    assert (
        dump({"script": "echo a\necho b\n", "x": "a\nb"})
        == "script: |\n  echo a\n  echo b\nx: |-\n  a\n  b\n"
    )


def test_strings_other_readers_could_misread_are_quoted():
    text = dump({"a": "yes", "b": "y", "c": "6.7.0", "d": "0o17", "e": "plain text"})
    assert text == "a: 'yes'\nb: 'y'\nc: '6.7.0'\nd: '0o17'\ne: plain text\n"


def test_keys_too_long_for_simple_keys_are_explicit():
    """PyYAML reads a `key:` of up to 1024 characters; longer key text is written as `? key`."""
    data = {"k" * 600: {"a": 1}, "\x01" * 200: ["x"], "short": [{"l" * 700: "v"}], "a\nb": 1}
    text = dump(data)
    assert text.startswith("? " + "k" * 600 + "\n:\n  a: 1\n")
    assert "\n- ? " + "l" * 700 + "\n  : v\n" in text
    assert '\n"a\\nb": 1\n' in text
    assert yaml.safe_load(text) == data


def test_no_anchors_for_repeated_objects():
    shared = {"k": "v"}
    assert "&" not in dump({"a": shared, "b": shared, "c": [shared]})


def test_kubernetes_objects_start_with_the_usual_keys_and_sort_the_rest():
    obj = {
        "spec": {"b": 1, "a": 2},
        "metadata": {"labels": {}, "name": "x"},
        "kind": "K",
        "apiVersion": "v1",
        "zz": 1,
        "data": {},
    }
    assert list(k8s_canonical(obj)) == ["apiVersion", "kind", "metadata", "spec", "data", "zz"]
    assert list(k8s_canonical(obj)["metadata"]) == ["name", "labels"]
    assert dump_object(obj).startswith(b"apiVersion: v1\nkind: K\nmetadata:\n  name: x\n")
    assert list(canonical(obj)["spec"]) == ["a", "b"]
