"""The configuration tree of the page: the values the modules set, each with its provenance.

A full dump repeats every option default and every disabled project; a reviewer wants what
the modules changed. So a value is kept when a module's definition (not the option default)
wins, or when it differs from the base configuration. Values are cut where provenance stops,
as in `modsys dump --annotate`: at options and attrs-of entries, not inside plain values.
Disabled projects, targets and bundles (`enable: false`) show only their `enable`.
The plan's own output (`platform.kubernetes.build.manifestSets`) and `assertions` are left out:
the bundles show the first, and the second are checks, not settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from modsys.dump import Redacted, scalar, to_yaml
from modsys.review.provenance import provenance, set_by_modules

LEFT_OUT: tuple[tuple[str, ...], ...] = (
    ("assertions",),
    ("platform", "kubernetes", "build", "manifestSets"),
)
TEXT_LIMIT = 4000

Path_ = tuple[str, ...]
#: How a value compares with the base configuration (None: the same, or no base).
Mark = Callable[[Path_, Any], "dict[str, Any] | None"]


def value_text(value: Any) -> str:
    """A leaf's value as YAML (one line for scalars), cut when very long."""
    if isinstance(value, (Mapping, list)) and value:
        text = to_yaml(value).rstrip("\n")
    else:
        text = scalar(value)
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT] + f"\n… ({len(text) - TEXT_LIMIT} more characters)"
    return text


def contains_redacted(value: Any) -> bool:
    if isinstance(value, Redacted):
        return True
    if isinstance(value, Mapping):
        return any(contains_redacted(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_redacted(v) for v in value)
    return False


def config_data(evaluation: Any) -> Any:
    """The plain, redacted configuration, without what the page leaves out."""
    from modsys.cli.diff import without
    from modsys.dump import plain
    from modsys.kube.secrets import hidden_fields

    data = plain(evaluation.config, hide=hidden_fields())
    for path in LEFT_OUT:
        data = without(data, path)
    return data


def config_tree(evaluation: Any, data: Any, show_file: Callable[[str], str],
                mark: Mark | None = None) -> list[dict[str, Any]]:
    """The page's tree: `{"k": key, "c": [children]}` for sets of options, and
    `{"k": key, "path": "a.b.c", "v": text, "p": provenance, "d": change}` for values, kept
    when a module sets them or when `mark` finds them changed."""
    return _Walker(evaluation, show_file, mark or (lambda _p, _v: None)).children(
        evaluation.config, data, ())


class _Walker:
    def __init__(self, ev: Any, show_file: Callable[[str], str], mark: Mark) -> None:
        self.ev = ev
        self.show_file = show_file
        self.mark = mark

    def children(self, node: Any, data: Mapping[str, Any], path: Path_) -> list[dict[str, Any]]:
        out = []
        # a disabled project, target or bundle: its settings do nothing, only `enable` counts
        keys = ["enable"] if path and data.get("enable") is False else list(data)
        for key in keys:
            child: Any = None
            with contextlib.suppress(Exception):
                child = node[key]
            entry = self.entry(child, data[key], (*path, str(key)))
            if entry is not None:
                out.append(entry)
        return out

    def entry(self, node: Any, value: Any, path: Path_) -> dict[str, Any] | None:
        from modsys.attrset import AttrSet
        from modsys.evaluation import ConfigView
        from modsys.lazy import force
        from modsys.show import show_option

        if node is not None:
            node = force(node)
        descend = isinstance(node, ConfigView) or (
            isinstance(node, AttrSet) and node._meta is not None
        )
        if descend and isinstance(value, dict) and value:
            kids = self.children(node, value, path)
            return {"k": path[-1], "c": kids} if kids else None
        try:
            explanation = self.ev.explain(list(path))
        except Exception:
            return None
        change = self.mark(path, value)
        if change is None and not set_by_modules(explanation):
            return None
        redact = contains_redacted(value)
        entry = {
            "k": path[-1],
            "path": show_option(path),
            "v": value_text(value),
            "p": provenance(explanation, self.show_file, redact),
        }
        if change is not None:
            entry["d"] = change
        return entry
