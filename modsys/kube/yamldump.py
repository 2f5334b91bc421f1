"""The canonical YAML text of Kubernetes objects: the one writer every renderer (and every
module writing a Kubernetes-style config file) uses, so all output is byte-stable and fast.

Key order is decided here, never by dict insertion order that an upstream merge might vary:
Kubernetes objects start with `apiVersion, kind, metadata, spec/data`, everything nested is
sorted. The text itself is written by `modsys.yamlemit` (the emitter the command line uses too):
multi-line strings are literal blocks so scripts and configs stay readable, strings are quoted
whenever a YAML 1.1 or 1.2 reader could misread them, anchors are never emitted. Rendered trees
hold thousands of objects and PyYAML's representer is slow, so PyYAML only writes documents
holding something that emitter does not (a date, bytes, a set, ...).
"""

from __future__ import annotations

from typing import Any

import yaml

from modsys.yamlemit import Unsupported, emit

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
    try:
        return emit(data)
    except Unsupported:
        return _pyyaml(data)


def dump_object(obj: dict[str, Any]) -> bytes:
    return dump(k8s_canonical(obj)).encode()
