"""YAML and JSON data modules: plain data, with YAML tags standing in for `mk_*` properties.

YAML is parsed to events by PyYAML (libyaml when available) and composed here, without recursion
and with a depth limit: libyaml's own composer crashes, and its parser slows down quadratically, on
very deep nesting. Alias expansion is counted on the composed graph before anything is built, so a
"billion laughs" document fails in milliseconds. Values are built by this module, never by PyYAML's
constructors, so no tag can create an arbitrary Python object. `lines` maps key paths to the line
where each key starts; definitions carry them for error messages and provenance.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from modsys.errors import InvalidModuleError, Location
from modsys.properties import If, Merge, Order, Override

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 1_000_000
MAX_DEPTH = 100

Lines = dict[tuple, int]

_STD = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _STD + "str", _STD + "seq", _STD + "map", _STD + "merge"
# Standard scalar tags, and the SafeConstructor method that reads each (None: keep the text).
# Timestamps stay strings: config values are plain data, and an option's type decides the rest.
_SCALARS = {
    _STR: None,
    _STD + "timestamp": None,
    _STD + "value": None,
    _STD + "null": "construct_yaml_null",
    _STD + "bool": "construct_yaml_bool",
    _STD + "int": "construct_yaml_int",
    _STD + "float": "construct_yaml_float",
}
_WRAPPERS: dict[str, Callable[[Any], Any]] = {
    "!default": lambda v: Override(1000, v),
    "!force": lambda v: Override(50, v),
    "!optionDefault": lambda v: Override(1500, v),
    "!before": lambda v: Order(500, v),
    "!after": lambda v: Order(1500, v),
}
_PAYLOADS = {"!override": "priority", "!order": "priority", "!if": "condition"}
KNOWN_TAGS = (*_WRAPPERS, *_PAYLOADS, "!merge")


class YamlModuleError(InvalidModuleError):
    """A YAML or JSON data module cannot be loaded; the message starts with `file:line:`."""


def _error(file: str, line: int | None, problem: str, *more: int) -> YamlModuleError:
    where = file if line is None else f"{file}:{line}"
    locations = [Location(file, line), *(Location(file, m) for m in more)]
    return YamlModuleError(f"{where}: {problem}", locations=locations)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _kind(node: Node) -> str:
    return {ScalarNode: "a scalar", SequenceNode: "a list", MappingNode: "a mapping"}[type(node)]


def load_yaml_module(path: str | os.PathLike) -> tuple[Any, Lines]:
    """Load a YAML data module from a file; see `load_yaml_text`."""
    file = os.fspath(path)
    return load_yaml_text(_read_text(file), file)


def load_yaml_text(
    text: str, filename: str = "<string>", *, module: bool = True
) -> tuple[Any, Lines]:
    """Parse one YAML document into (data, lines); tagged nodes become property objects.

    An empty document gives `({}, {})` (`module=False`, one value such as a `--set`'s: `None`,
    with the same limits); several documents, unknown tags, duplicate or non-string
    keys, and documents that expand past `MAX_NODES` raise `YamlModuleError`.
    """
    loader = None
    try:
        loader = _Loader(text)
        root = _compose(loader, filename)
        if root is None or (isinstance(root, ScalarNode) and root.tag == _STD + "null"):
            return ({}, {}) if module else (None, {})
        builder = _Builder(loader, filename)
        builder.count(root, set())
        data = builder.build(root, ())
        return data, {(): 1, **builder.lines}
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        if "nesting depth" in problem:
            # libyaml ≥ 0.2.5 (PyYAML 6.0.2+) has a nesting limit of its own, which may fire
            # before ours; one message whatever the parser.
            problem = f"the document is nested more than {MAX_DEPTH} deep"
        elif e.context and e.context_mark and e.problem:
            problem += f" ({e.context} that starts on line {e.context_mark.line + 1})"
        raise _error(filename, mark.line + 1 if mark else None, problem) from None
    except yaml.reader.ReaderError as e:
        # libyaml reports a byte offset into the UTF-8 text, the pure-Python reader a character.
        if _Loader is yaml.SafeLoader:
            line = text[: e.position].count("\n") + 1
        else:
            line = text.encode("utf-8", "surrogatepass")[: e.position].count(b"\n") + 1
        raise _error(filename, line, f"{e.reason} (character #x{e.character:04x})") from None
    except UnicodeEncodeError as e:  # libyaml reads UTF-8, and a lone surrogate has none
        line = text[: e.start].count("\n") + 1
        raise _error(
            filename, line, f"character #x{ord(text[e.start]):04x} is not allowed"
        ) from None
    except RecursionError:
        raise _error(filename, None, "the document is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


def _compose(loader: Any, file: str) -> Node | None:
    """Build the node graph of the only document from parser events, iteratively.

    Anchors are registered when their node starts, as PyYAML does, so a node may contain itself;
    `_Builder.count` rejects that.
    """
    loader.get_event()  # StreamStartEvent
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # DocumentStartEvent
    anchors: dict[str, Node] = {}
    stack: list[list[Any]] = []  # [collection node, pending mapping key]
    root: Node | None = None
    while root is None:
        event = loader.get_event()
        start: Any = event.start_mark  # a pure-Python or a libyaml mark
        end: Any = event.end_mark
        line = start.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _error(file, line, f"alias *{event.anchor} names no anchor defined before it")
            node = anchors[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(ScalarNode, event.value, event.implicit)
            node = ScalarNode(tag, event.value, start, end, event.style)
        elif isinstance(event, yaml.CollectionStartEvent):
            kind = SequenceNode if isinstance(event, yaml.SequenceStartEvent) else MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            node = kind(tag, [], start, end, event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = node
            stack.append([node, None])
            if len(stack) > MAX_DEPTH:
                raise _error(file, line, f"the document is nested more than {MAX_DEPTH} deep")
            continue
        else:  # CollectionEndEvent
            node = stack.pop()[0]
            node.end_mark = end
        if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            anchors[event.anchor] = node
        if not stack:
            root = node
        elif isinstance(stack[-1][0], SequenceNode):
            stack[-1][0].value.append(node)
        elif stack[-1][1] is None:
            stack[-1][1] = node
        else:
            stack[-1][0].value.append((stack[-1][1], node))
            stack[-1][1] = None
    loader.get_event()  # DocumentEndEvent
    if not loader.check_event(yaml.StreamEndEvent):
        line = loader.peek_event().start_mark.line + 1
        raise _error(file, line, "a module file holds one YAML document, but another starts here")
    return root


class _Builder:
    """Turns a composed node graph into plain data and property objects, recording key lines."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines: Lines = {}
        self.sizes: dict[int, int] = {}

    def fail(self, node: Node, problem: str, *more: int) -> YamlModuleError:
        return _error(self.file, node.start_mark.line + 1, problem, *more)

    def count(self, node: Node, active: set[int]) -> int:
        """Nodes in `node` with every alias expanded; memoized per node, so linear in the graph."""
        if isinstance(node, ScalarNode):
            return 1
        size = self.sizes.get(id(node))
        if size is not None:
            return size
        if id(node) in active:
            raise self.fail(node, "an alias refers to a node that contains it (recursive alias)")
        active.add(id(node))
        children = (
            node.value if isinstance(node, SequenceNode) else [n for p in node.value for n in p]
        )
        size = 1
        for child in children:
            size += self.count(child, active)
            if size > MAX_NODES:
                raise self.fail(
                    node,
                    f"aliases expand this document to more than {MAX_NODES:,} nodes "
                    "(a YAML 'billion laughs' document?); write the data out instead",
                )
        active.discard(id(node))
        self.sizes[id(node)] = size
        return size

    def build(self, node: Node, path: tuple, tag: str | None = None) -> Any:
        tag = tag or node.tag
        if tag.startswith("!"):
            return self.tagged(node, path, tag)
        if isinstance(node, ScalarNode) and tag in _SCALARS:
            method = _SCALARS[tag]
            if method is None:
                return node.value
            try:
                return getattr(self.loader, method)(node)
            except (ValueError, KeyError):
                raise self.fail(node, f"{node.value!r} is not a valid {_show_tag(tag)}") from None
        if isinstance(node, SequenceNode) and tag == _SEQ:
            out = []
            for i, item in enumerate(node.value):
                self.lines.setdefault((*path, i), item.start_mark.line + 1)
                out.append(self.build(item, (*path, i)))
            return out
        if isinstance(node, MappingNode) and tag == _MAP:
            return self.mapping(node, path)
        if tag in (_STR, _SEQ, _MAP) or tag in _SCALARS:
            raise self.fail(node, f"tag {_show_tag(tag)} does not apply to {_kind(node)}")
        raise self.unknown_tag(node, tag)

    def unknown_tag(self, node: Node, tag: str) -> YamlModuleError:
        return self.fail(node, f"unknown tag {_show_tag(tag)} (known: {', '.join(KNOWN_TAGS)})")

    def tagged(self, node: Node, path: tuple, tag: str) -> Any:
        """A property tag; its content keeps the path of the tagged node."""
        if tag in _WRAPPERS:
            return _WRAPPERS[tag](self.build(node, path, self.untagged(node)))
        if tag == "!merge":
            if not isinstance(node, SequenceNode):
                raise self.fail(node, f"!merge takes a list of definitions, not {_kind(node)}")
            return Merge([self.build(item, path) for item in node.value])
        if tag not in _PAYLOADS:
            raise self.unknown_tag(node, tag)
        first = _PAYLOADS[tag]
        usage = f"{tag} takes a mapping {{{first}: ..., value: ...}}"
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{usage}, not {_kind(node)}")
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key not in (first, "value"):
                raise self.fail(key_node, f"{usage}; {key!r} is not one of its keys")
            if key in fields:
                raise self.fail(key_node, f"duplicate key {key!r} in {tag}")
            fields[key] = value_node
        missing = [k for k in (first, "value") if k not in fields]
        if missing:
            raise self.fail(node, f"{usage}; {missing[0]!r} is missing")
        head = self.build(fields[first], path)
        want = bool if tag == "!if" else int
        if type(head) is not want:
            shown = f"{type(head).__name__} {head!r}"
            raise self.fail(
                fields[first], f"{tag}: {first} must be a literal {want.__name__}, not {shown}"
            )
        value = self.build(fields["value"], path)
        return {"!if": If, "!override": Override, "!order": Order}[tag](head, value)

    def untagged(self, node: Node) -> str:
        """The tag `node` would have had without its explicit tag."""
        if isinstance(node, ScalarNode):
            plain = node.style in (None, "")
            return self.loader.resolve(ScalarNode, node.value, (plain, False))
        return _SEQ if isinstance(node, SequenceNode) else _MAP

    def key(self, node: Node) -> str:
        """Keys are option names, so only strings; `1:`, `yes:` and `null:` must be quoted."""
        if isinstance(node, ScalarNode) and not node.tag.startswith("!"):
            key = self.build(node, ())
            if isinstance(key, str):
                return key
            raise self.fail(
                node,
                f"key {node.value} reads as {_show_tag(node.tag)}, not as a string; "
                f'keys are option names: quote it ("{node.value}")',
            )
        what = f"tagged with {node.tag}" if node.tag.startswith("!") else _kind(node)
        raise self.fail(node, f"a key must be a string (an option name), not {what}")

    def mapping(self, node: MappingNode, path: tuple) -> dict[str, Any]:
        """Duplicate keys are an error; `<<` merge keys fill in keys the mapping lacks."""
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self.merge_pairs(value_node))
                continue
            key, line = self.key(key_node), key_node.start_mark.line + 1
            if key in seen:
                raise self.fail(
                    key_node, f"duplicate key {key!r} (first on line {seen[key]})", seen[key]
                )
            seen[key] = line
            self.lines.setdefault((*path, key), line)
            out[key] = self.build(value_node, (*path, key))
        for key_node, value_node in merged:  # first source wins, explicit keys win over all
            key = self.key(key_node)
            if key not in out:
                self.lines.setdefault((*path, key), key_node.start_mark.line + 1)
                out[key] = self.build(value_node, (*path, key))
        return out

    def merge_pairs(self, node: Node) -> list[tuple[Node, Node]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            if not isinstance(source, MappingNode) or source.tag != _MAP:
                raise self.fail(source, "a merge key (<<) takes a mapping or a list of mappings")
            own = [(k, v) for k, v in source.value if k.tag != _MERGE]
            inner = [p for k, v in source.value if k.tag == _MERGE for p in self.merge_pairs(v)]
            pairs += own + inner
        return pairs


# --- JSON ---------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")


def load_json_module(path: str | os.PathLike) -> tuple[Any, Lines]:
    """Load a JSON data module: plain config, no tags. Duplicate keys are an error, as in YAML."""
    file = os.fspath(path)
    text = _read_text(file)
    if not text.strip():
        return {}, {}
    try:
        data = json.loads(text, parse_constant=_no_constant)
        if data is None:
            return {}, {}
        lines = _json_lines(text, file)
    except json.JSONDecodeError as e:
        raise _error(file, e.lineno, f"{e.msg} (column {e.colno})") from None
    except RecursionError:
        raise _error(file, None, "the document is nested too deeply") from None
    except ValueError as e:  # an integer past Python's digit limit, NaN or Infinity
        raise _error(file, None, f"invalid JSON: {str(e).split(';')[0]}") from None
    _check_strings(data, (), file, lines)
    return data, lines


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_strings(data: Any, path: tuple, file: str, lines: Lines) -> None:
    """Strings must be Unicode text: JSON's `\\ud800` escapes can make a lone surrogate, which
    no file, terminal or API server accepts. Iterative, so any depth is fine."""
    stack: list[tuple[Any, tuple]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if type(value) is str:
            if _SURROGATE.search(value):
                raise _error(file, lines.get(where), "a string holds a lone surrogate (an "
                             "invalid \\uD800-\\uDFFF escape); strings must be Unicode text")
        elif type(value) is dict:
            for k, v in value.items():
                if _SURROGATE.search(k):
                    raise _error(file, lines.get(where), "a key holds a lone surrogate (an "
                                 "invalid \\uD800-\\uDFFF escape); keys must be Unicode text")
                stack.append((v, (*where, k)))
        elif type(value) is list:
            stack.extend((v, (*where, i)) for i, v in enumerate(value))


def _json_lines(text: str, file: str) -> Lines:
    """Key and item lines of valid JSON `text`, found by walking it once; flags duplicate keys."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    scan = json.JSONDecoder().raw_decode  # one value at an index
    lines: Lines = {(): 1}

    def line_of(i: int) -> int:
        return bisect.bisect_right(newlines, i) + 1

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: tuple) -> int:
        if len(path) > MAX_DEPTH:
            raise _error(file, line_of(i), f"the document is nested more than {MAX_DEPTH} deep")
        if text[i] == "{":
            seen: dict[str, int] = {}
            i = skip(i + 1)
            while text[i] != "}":
                key, end = scan(text, i)
                line = line_of(i)
                if key in seen:
                    raise _error(
                        file, line, f"duplicate key {key!r} (first on line {seen[key]})", seen[key]
                    )
                seen[key] = lines[(*path, key)] = line
                i = skip(value(skip(skip(end) + 1), (*path, key)))  # past ':' and the value
                i = skip(i + 1) if text[i] == "," else i
            return i + 1
        if text[i] == "[":
            i, n = skip(i + 1), 0
            while text[i] != "]":
                lines[(*path, n)] = line_of(i)
                i = skip(value(i, (*path, n)))
                i, n = (skip(i + 1) if text[i] == "," else i), n + 1
            return i + 1
        return scan(text, i)[1]

    value(skip(0), ())
    return lines


def _read_text(file: str) -> str:
    try:
        with open(file, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise _error(file, None, f"cannot read the module file: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _error(
            file, line, f"the file is not UTF-8 text ({e.reason} at byte {e.start})"
        ) from None
