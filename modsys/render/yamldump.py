"""The one YAML writer every renderer uses, so all output is canonical, byte-stable and fast.

Key order is decided here, never by dict insertion order that an upstream merge might vary:
Kubernetes objects start with `apiVersion, kind, metadata, spec/data`, everything nested is
sorted. Multi-line strings are literal blocks so scripts and configs stay readable; anchors
are never emitted.

Rendered trees hold thousands of objects, and PyYAML's representer spends most of the render
time building nodes, so plain data (dict, list, str, int, float, bool, None) is written by a
small emitter here. Strings are quoted whenever a YAML 1.1 or 1.2 reader (PyYAML, go-yaml
v2/v3) could read them as anything but the same string; anything unusual goes to PyYAML.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import yaml
from yaml.resolver import Resolver

_TOP = ("apiVersion", "kind", "metadata", "spec", "data", "stringData", "binaryData")
_META = ("name", "namespace", "labels", "annotations")


def _key(k: Any) -> tuple[bool, str]:
    return (not isinstance(k, str), str(k))


def canonical(value: Any) -> Any:
    """A deep copy with every mapping's keys sorted; lists keep their order."""
    if isinstance(value, dict):
        return {k: canonical(value[k]) for k in sorted(value, key=_key)}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def _leading(mapping: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    out = {k: mapping[k] for k in first if k in mapping}
    out.update((k, v) for k, v in mapping.items() if k not in out)
    return out


def k8s_canonical(obj: dict[str, Any]) -> dict[str, Any]:
    """A Kubernetes object in the order people expect to read it."""
    out = _leading(canonical(obj), _TOP)
    if isinstance(out.get("metadata"), dict):
        out["metadata"] = _leading(out["metadata"], _META)
    return out


# --- scalars ---------------------------------------------------------------------------------

_RESOLVER = Resolver()
_PLAIN = re.compile(r"[A-Za-z_/$(.-][A-Za-z0-9 _./:=+@$()~^,;-]*")
_NUMBERISH = re.compile(r"[-+.]?\.?[0-9]")
_YAML11_EXTRA = frozenset({"y", "Y", "n", "N"})  # booleans to go-yaml v2, strings to PyYAML
# Printable and not a YAML 1.1 line break (U+0085, U+2028, U+2029 are).
_PRINTABLE = re.compile(
    r"[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


class _Unsupported(Exception):
    """Data the fast emitter does not write; PyYAML writes the whole document instead."""


def _is_plain(s: str) -> bool:
    return (
        _PLAIN.fullmatch(s) is not None
        and not s.endswith((" ", ":"))
        and not s.startswith(("- ", "---", "..."))
        and s != "-"
        and ": " not in s
        and " #" not in s
        and _NUMBERISH.match(s) is None
        and s not in _YAML11_EXTRA
        and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == "tag:yaml.org,2002:str"
    )


def _double_quoted(s: str) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return '"' + "".join(out) + '"'


@functools.lru_cache(maxsize=65536)
def _string(s: str) -> str:
    """A one-line scalar for `s`: plain when unambiguous, else single or double quoted."""
    if _is_plain(s):
        return s
    if _PRINTABLE.fullmatch(s):
        return "'" + s.replace("'", "''") + "'"
    return _double_quoted(s)


def _literal_ok(s: str) -> bool:
    """Whether `s` survives a literal block exactly (clip or strip chomping)."""
    if s.endswith("\n\n") or s.startswith((" ", "\n")) or "\t" in s or "\r" in s:
        return False
    lines = s.split("\n")
    return all(_PRINTABLE.fullmatch(line) and not line.endswith(" ") for line in lines)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "." not in text and "e" in text:  # YAML 1.1 floats need a dot: 1e+20 -> 1.0e+20
            text = text.replace("e", ".0e", 1)
        return text
    if isinstance(value, str):
        return _string(value)
    raise _Unsupported(type(value).__name__)


def _key_text(key: Any) -> str:
    if isinstance(key, str) and (len(key) > 512 or "\n" in key):
        raise _Unsupported("long or multi-line key")
    if isinstance(key, (dict, list, tuple)):
        raise _Unsupported("collection key")
    return _scalar(key)


# --- collections -----------------------------------------------------------------------------


def _value(value: Any, indent: int, out: list[str]) -> None:
    """Append what follows `key:` or `- ` (already written) for `value`."""
    if isinstance(value, dict):
        if not value:
            out.append(" {}\n")
        else:
            out.append("\n")
            _mapping(value, indent, out)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append(" []\n")
        else:
            out.append("\n")
            _sequence(value, indent - 2 if indent >= 2 else 0, out)
    elif isinstance(value, str) and "\n" in value and _literal_ok(value):
        out.append(" |\n" if value.endswith("\n") else " |-\n")
        pad = " " * indent
        body = value[:-1] if value.endswith("\n") else value
        out.extend(f"{pad}{line}\n" if line else "\n" for line in body.split("\n"))
    else:
        out.append(f" {_scalar(value)}\n")


def _mapping(
    mapping: dict[Any, Any], indent: int, out: list[str], first_inline: bool = False
) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(mapping.items()):
        out.append(f"{'' if first_inline and i == 0 else pad}{_key_text(key)}:")
        _value(value, indent + 2, out)


def _sequence(items: list[Any] | tuple[Any, ...], indent: int, out: list[str]) -> None:
    """Block sequences sit at their key's indentation, as PyYAML writes them."""
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            out.append(f"{pad}- ")
            _mapping(item, indent + 2, out, first_inline=True)
        elif isinstance(item, (list, tuple)) and item:
            out.append(f"{pad}-\n")
            _sequence(item, indent + 2, out)
        else:
            out.append(f"{pad}-")
            _value(item, indent + 2, out)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _pyyaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 30,
    )


def dump(data: Any) -> str:
    """YAML text of `data`, keeping the key order it was given."""
    out: list[str] = []
    try:
        if isinstance(data, dict) and data:
            _mapping(data, 0, out)
        elif isinstance(data, (list, tuple)) and data:
            _sequence(data, 0, out)
        else:
            return _pyyaml(data)
    except _Unsupported:
        return _pyyaml(data)
    return "".join(out)


def dump_object(obj: dict[str, Any]) -> bytes:
    return dump(k8s_canonical(obj)).encode()
