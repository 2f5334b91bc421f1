"""What changed against the base configuration, filed where the page shows it.

The comparison is `modsys diff`'s (`modsys.cli.diff`: by option path for the configuration,
by kind/namespace/name for objects, charts as `HelmRelease`s), on redacted data, so a changed
secret shows as changed without its value. The page needs the result per place: per config
value (added, or changed and from what), per object and chart (added, changed with its field
changes, moved), and what is gone (removed values and objects).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

_ABSENT: Any = object()


def value_at(data: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in plain data, or `_ABSENT`."""
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return _ABSENT
        data = data[key]
    return data


def config_mark(base: Any, path: tuple[str, ...], value: Any) -> dict[str, Any] | None:
    """How a config value of the head compares with the base: None when equal."""
    from modsys.review.config import value_text

    old = value_at(base, path)
    if old is _ABSENT:
        return {"op": "added"}
    if old == value and type(old) is type(value):
        return None
    return {"op": "changed", "old": value_text(old)}


def removed_config(base: Any, head: Any) -> list[dict[str, str]]:
    """Config values of the base that the head no longer has, as `{path, old}`."""
    from modsys.cli.diff import diff_data, show_path
    from modsys.review.config import value_text

    return [
        {"path": show_path(c.path), "old": value_text(c.old)}
        for c in diff_data(base, head) if c.op == "-"
    ]


@attrs.frozen
class ObjectChanges:
    """Per object key (`kind`, `namespace`, `name`): a mark for the page; and what is gone."""

    marks: Mapping[tuple[str, str, str], dict[str, Any]]
    removed: list[dict[str, Any]]  # {"bundle": "batch/name", "kind", "namespace", "name"}
    count: int


def object_key(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    """How `modsys diff` keys an object: kind, namespace, name."""
    meta = obj.get("metadata") or {}
    return (str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name")))


def object_changes(base_plan: Mapping[str, Any], head_plan: Mapping[str, Any]) -> ObjectChanges:
    """The object diff of two redacted plain-data plans."""
    from modsys.cli.diff import diff_objects, plan_objects, show_path, show_value

    d = diff_objects(plan_objects(base_plan), plan_objects(head_plan))
    marks: dict[tuple[str, str, str], dict[str, Any]] = {}
    for placed in d.added:
        marks[placed.key] = {"op": "added"}
    for old, new, changes in d.changed:
        marks[new.key] = {
            "op": "changed",
            "from": old.bundle if old.bundle != new.bundle else None,
            "changes": [
                {"op": c.op, "path": show_path(c.path),
                 "old": None if c.op == "+" else show_value(c.old),
                 "new": None if c.op == "-" else show_value(c.new)}
                for c in changes
            ],
        }
    for old, new in d.moved:
        marks[new.key] = {"op": "moved", "from": old.bundle}
    removed = [
        {"bundle": p.bundle, "kind": p.key[0], "namespace": p.key[1], "name": p.key[2]}
        for p in d.removed
    ]
    return ObjectChanges(marks, removed, d.count)
