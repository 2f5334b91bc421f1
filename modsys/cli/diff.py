"""`modsys diff`: what changes between two configurations, and between their rendered objects.

The configuration diff is structural (by option path; `assertions` are left out: they are
checks, and a failing one stops the diff anyway); the object diff keys objects by
kind/namespace/name, adds each chart bundle as `HelmRelease <namespace>/<release name>` (its
chart reference and values), then sums the changes up per batch/bundle. Secrets stay redacted: a changed secret shows as changed, not as
its value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from modsys.cli.common import Style

#: The config subtree that duplicates the rendered objects; left out of the config diff when
#: the objects are compared.
PLAN_OPTION = ("platform", "kubernetes", "build", "manifestSets")
#: Config paths never compared.
SKIPPED = (("assertions",),)


@attrs.frozen
class Change:
    """One difference: `+` added, `-` removed, `~` changed, at a path."""

    op: str
    path: tuple[Any, ...]
    old: Any = None
    new: Any = None


_MISSING: Any = object()


def diff_data(a: Any, b: Any, path: tuple[Any, ...] = ()) -> list[Change]:
    """The structural differences between two plain values."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out: list[Change] = []
        for k in a:
            if k not in b:
                out.append(Change("-", (*path, k), a[k], None))
            else:
                out.extend(diff_data(a[k], b[k], (*path, k)))
        out.extend(Change("+", (*path, k), None, b[k]) for k in b if k not in a)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if a == b:
            return []
        if not any(isinstance(x, (Mapping, list)) for x in (*a, *b)):
            return [Change("~", path, a, b)]
        out = []
        for i in range(max(len(a), len(b))):
            if i >= len(b):
                out.append(Change("-", (*path, i), a[i], None))
            elif i >= len(a):
                out.append(Change("+", (*path, i), None, b[i]))
            else:
                out.extend(diff_data(a[i], b[i], (*path, i)))
        return out
    if a == b and type(a) is type(b):
        return []
    return [Change("~", path, a, b)]


def show_path(path: Sequence[Any]) -> str:
    from modsys.show import show_part

    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + show_part(str(p))
    return out or "(root)"


def show_value(value: Any, limit: int = 120) -> str:
    from modsys.dump import Redacted, scalar, to_json

    if isinstance(value, Redacted):
        return "<redacted>"
    if isinstance(value, (Mapping, list)) and value:
        text = to_json(value, indent=None)
    else:
        text = scalar(value)
        if "\n" in text:
            text = to_json(value, indent=None)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_change(c: Change, st: Style, indent: str = "  ") -> str:
    from modsys.dump import Redacted

    where = show_path(c.path)
    if c.op == "+":
        return f"{indent}{st('+', fg='green')} {where}: {show_value(c.new)}"
    if c.op == "-":
        return f"{indent}{st('-', fg='red')} {where}: {show_value(c.old)}"
    note = ""
    if isinstance(c.old, Redacted) and isinstance(c.new, Redacted):
        note = " (secret value changed)"
    return f"{indent}{st('~', fg='yellow')} {where}: {show_value(c.old)} → {show_value(c.new)}{note}"


# --- objects -----------------------------------------------------------------------------------

ObjKey = tuple[str, str, str]
Counter_ = dict[str, int]


@attrs.frozen
class PlacedObject:
    key: ObjKey
    bundle: str  # "batch/bundle"
    data: Any


def plan_objects(plan: Mapping[str, Any]) -> dict[ObjKey, PlacedObject]:
    """Every rendered object (and chart) of a plain-data plan, by kind/namespace/name."""
    out: dict[ObjKey, PlacedObject] = {}
    for batch in plan.get("manifestSets") or []:
        for bundle in batch.get("bundles") or []:
            ident = f"{batch.get('name')}/{bundle.get('name')}"
            chart = bundle.get("chart")
            if chart:
                release = chart.get("releaseName") or chart.get("name") or bundle.get("name")
                key = ("HelmRelease", str(bundle.get("namespace") or ""), str(release))
                out[key] = PlacedObject(key, ident, chart)
            for obj in bundle.get("objects") or []:
                meta = obj.get("metadata") or {}
                key = (str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name")))
                out[key] = PlacedObject(key, ident, obj)
    return out


def show_key(key: ObjKey) -> str:
    kind, ns, name = key
    return f"{kind} {ns}/{name}" if ns else f"{kind} {name}"


@attrs.frozen
class ObjectDiff:
    added: list[PlacedObject]
    removed: list[PlacedObject]
    changed: list[tuple[PlacedObject, PlacedObject, list[Change]]]
    moved: list[tuple[PlacedObject, PlacedObject]]

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed) + len(self.moved)


def diff_objects(a: Mapping[ObjKey, PlacedObject], b: Mapping[ObjKey, PlacedObject]) -> ObjectDiff:
    added = [b[k] for k in sorted(b) if k not in a]
    removed = [a[k] for k in sorted(a) if k not in b]
    changed = []
    moved = []
    for k in sorted(set(a) & set(b)):
        changes = diff_data(a[k].data, b[k].data)
        if changes:
            changed.append((a[k], b[k], changes))
        elif a[k].bundle != b[k].bundle:
            moved.append((a[k], b[k]))
    return ObjectDiff(added, removed, changed, moved)


def bundle_summary(d: ObjectDiff) -> dict[str, Counter_]:
    out: dict[str, Counter_] = {}

    def bump(bundle: str, what: str) -> None:
        out.setdefault(bundle, {}).setdefault(what, 0)
        out[bundle][what] += 1

    for o in d.added:
        bump(o.bundle, "added")
    for o in d.removed:
        bump(o.bundle, "removed")
    for _old, new, _c in d.changed:
        bump(new.bundle, "changed")
    for old, new in d.moved:
        bump(new.bundle, f"moved in from {old.bundle}")
    return dict(sorted(out.items()))


def format_object_diff(d: ObjectDiff, st: Style) -> list[str]:
    lines: list[str] = []
    for o in d.removed:
        lines.append(f"  {st('-', fg='red')} {show_key(o.key)}  [{o.bundle}]")
    for o in d.added:
        lines.append(f"  {st('+', fg='green')} {show_key(o.key)}  [{o.bundle}]")
    for old, new, changes in d.changed:
        where = new.bundle if old.bundle == new.bundle else f"{old.bundle} → {new.bundle}"
        lines.append(f"  {st('~', fg='yellow')} {show_key(new.key)}  [{where}]")
        lines.extend(format_change(c, st, "      ") for c in changes)
    for old, new in d.moved:
        lines.append(
            f"  {st('~', fg='yellow')} {show_key(new.key)}  [moved {old.bundle} → {new.bundle}]"
        )
    return lines


def without(data: Any, path: Sequence[str]) -> Any:
    """`data` without the subtree at `path` (a shallow copy along the path)."""
    if not path or not isinstance(data, Mapping) or path[0] not in data:
        return data
    head, rest = path[0], path[1:]
    out = dict(data)
    if rest:
        out[head] = without(data[head], rest)
    else:
        del out[head]
    return out
