"""`modsys diff`: what changes between two configurations, and between their rendered objects.

The configuration diff is structural (by option path; `assertions` are left out: they are
checks, and a failing one stops the diff anyway); the object diff keys objects by
kind/namespace/name, adds each chart bundle as `HelmRelease <namespace>/<release name>` (its
chart reference and values), then sums the changes up per batch/bundle. Secrets stay
redacted: a changed secret shows as changed, not as its value.

`compare` does both and finds, for each added or changed config value, the head-side
definitions that produced it (`origin_of`, from `Evaluation.explain`). Three formats print the
result: `format_text` (the terminal), `format_markdown` (a pull-request comment: summary counts,
a table of changed values with old → new and their origin, object changes by bundle, long
object diffs and, with `--objects full`, whole objects in <details> blocks) and `format_json`
(the same information as data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
            if len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True)):
                return []
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
    if _same(a, b):
        return []
    return [Change("~", path, a, b)]


def _same(a: Any, b: Any) -> bool:
    """Equal scalars of one type; NaN is the same as NaN (`.nan` in both sides is no change)."""
    if type(a) is not type(b):
        return False
    return bool(a == b) or (type(a) is float and a != a and b != b)


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


def format_object_diff(d: ObjectDiff, st: Style, *, full_objects: bool = False) -> list[str]:
    lines: list[str] = []

    def full(o: PlacedObject) -> None:
        if full_objects:
            lines.extend("      " + ln for ln in _object_yaml(o.data).split("\n"))

    for o in d.removed:
        lines.append(f"  {st('-', fg='red')} {show_key(o.key)}  [{o.bundle}]")
        full(o)
    for o in d.added:
        lines.append(f"  {st('+', fg='green')} {show_key(o.key)}  [{o.bundle}]")
        full(o)
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


# --- the whole comparison ----------------------------------------------------------------------


@attrs.frozen
class Winner:
    """A definition that produced a new value: where it is and at which priority."""

    file: str
    line: int | None
    priority: int
    is_default: bool = False

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@attrs.frozen
class Origin:
    """Why a config value is what it is on the head side: the winning definitions of `option`
    (the value's own path, or the nearest option above it when one definition sets a whole
    value there), how many they beat, and `note`, the one-line text of `dump --annotate`."""

    option: tuple[str, ...]
    winners: tuple[Winner, ...]
    beat: int
    note: str


@attrs.frozen
class DiffResult:
    """What `modsys diff` found: config changes (each with the head-side origin of its new
    value, None for removals or where nothing can be explained) and, when both sides have the
    platform, the object diff."""

    base: tuple[str, ...]
    head: tuple[str, ...]
    config: list[Change]
    origins: list[Origin | None]
    objects: ObjectDiff | None

    @property
    def count(self) -> int:
        return len(self.config) + (self.objects.count if self.objects is not None else 0)


def origin_of(ev: Any, path: Sequence[Any], show_file: Callable[[str], str] = str) -> Origin | None:
    """The head-side origin of the value at `path` (see `Origin`), from `Evaluation.explain`.

    Inside the plain value of an option (`explain` then says "part of the value of …"), the
    winners are the definitions that set that part (their file:line points at the key), with
    the priority and the count of beaten definitions of the option that holds the value.
    """
    from modsys.dump import note_for, priority_text
    from modsys.show import show_option

    parts = [str(p) for p in path]
    part_of: Any = None
    for n in range(len(parts), 0, -1):
        try:
            expl = ev.explain(parts[:n])
        except Exception:
            continue  # e.g. a position in a list several definitions build: explain the option
        if str(expl.type).startswith("part of the value of") and n > 1:
            part_of = part_of or expl
            continue
        won = [d for d in expl.definitions if d.status == "won"]
        beat = sum(1 for d in expl.definitions if d.status == "overridden")
        note = note_for(expl, show_file)
        if part_of is not None and won:
            priority = won[0].priority
            won = [d for d in part_of.definitions if d.status == "won"]
            winners = tuple(Winner(show_file(d.file), d.line, priority) for d in won)
            places = ", ".join(dict.fromkeys(w.where for w in winners))
            note = f"{places}, {priority_text(priority)}" + (f", beat {beat}" if beat else "")
            note += f" (part of `{show_option(parts[:n])}')"
        else:
            winners = tuple(
                Winner(show_file(d.file), d.line, d.priority, d.is_default) for d in won
            )
        return Origin(tuple(parts[:n]), winners, beat, note)
    return None


def compare(
    base: Sequence[str],
    head: Sequence[str],
    common: Any,
    *,
    show_secrets: bool = False,
    show_file: Callable[[str], str] = str,
    with_origins: bool = True,
) -> DiffResult:
    """Evaluate both sides and compare them (secrets redacted unless `show_secrets`); without
    `with_origins`, no origins are looked up (the text format does not show them)."""
    from modsys.cli.common import check, load, secret_fields
    from modsys.dump import plain, redact

    seen: set[str] = set()
    evs = []
    for mods in (base, head):
        ev = load(mods, common)
        check(ev, seen)
        evs.append(ev)
    plans = [plan_or_none(ev) for ev in evs]
    with_objects = all(p is not None for p in plans)
    hide = secret_fields()
    configs = [plain(ev.config, show_secrets=show_secrets, hide=hide) for ev in evs]
    for skipped in (*SKIPPED, *([PLAN_OPTION] if with_objects else [])):
        configs = [without(c, skipped) for c in configs]
    changes = diff_data(configs[0], configs[1])
    origins = [
        None if c.op == "-" or not with_origins else origin_of(evs[1], c.path, show_file)
        for c in changes
    ]
    objects = None
    if with_objects:
        objs = [plan_objects(p if show_secrets else redact(p, hide)) for p in plans]
        objects = diff_objects(objs[0], objs[1])
    return DiffResult(tuple(base), tuple(head), changes, origins, objects)


def plan_or_none(ev: Any) -> Any:
    """The plan as plain data, or None when the platform is not part of the configuration."""
    from modsys.cli.plan import plan_data
    from modsys.errors import MissingAttributeError

    config = ev.config
    try:
        if "platform" not in config or "kubernetes" not in config["platform"]:
            return None
    except MissingAttributeError:
        return None
    return plan_data(ev)


def _sides(mods: Sequence[str]) -> str:
    return " ".join(mods) or "(default modules only)"


def _object_yaml(data: Any) -> str:
    from modsys.dump import to_yaml

    return to_yaml(data).rstrip("\n")


# --- text --------------------------------------------------------------------------------------


def format_text(r: DiffResult, st: Style, *, full_objects: bool = False) -> str:
    """The terminal format: config changes, object changes, a summary per batch/bundle; with
    `full_objects`, added and removed objects in full below their line."""
    lines = [
        st(f"--- base: {_sides(r.base)}", bold=True),
        st(f"+++ head: {_sides(r.head)}", bold=True),
        "",
        st("configuration:", bold=True),
    ]
    from modsys.cli.common import shorten_paths

    # paths in values (files next to modules) shown as the locations are: relative
    lines.extend(shorten_paths(format_change(c, st)) for c in r.config)
    if not r.config:
        lines.append("  (no differences)")
    od = r.objects
    if od is not None:
        lines += ["", st("objects:", bold=True)]
        lines.extend(format_object_diff(od, st, full_objects=full_objects) or ["  (no differences)"])
        summary = bundle_summary(od)
        if summary:
            lines += ["", st("summary by batch/bundle:", bold=True)]
            for bundle, counts in summary.items():
                lines.append(f"  {bundle}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    total = r.count
    lines += ["", f"{total} difference{'s' if total != 1 else ''}" if total else "no differences"]
    return "\n".join(lines)


# --- data (JSON) -------------------------------------------------------------------------------


def _counts(ops: Sequence[str]) -> dict[str, int]:
    return {name: sum(1 for o in ops if o == op) for op, name in _OP_NAMES.items()}


_OP_NAMES = {"+": "added", "-": "removed", "~": "changed"}


def _change_data(c: Change) -> dict[str, Any]:
    from modsys.dump import Redacted

    out: dict[str, Any] = {"op": _OP_NAMES[c.op], "path": show_path(c.path), "parts": list(c.path)}
    if c.op != "+":
        out["old"] = c.old
    if c.op != "-":
        out["new"] = c.new
    if isinstance(c.old, Redacted) and isinstance(c.new, Redacted):
        out["secretChanged"] = True
    return out


def _origin_data(o: Origin | None) -> dict[str, Any] | None:
    from modsys.show import show_option

    if o is None:
        return None
    return {
        "option": show_option(o.option),
        "definitions": [
            {"file": w.file, "line": w.line, "priority": w.priority, "optionDefault": w.is_default}
            for w in o.winners
        ],
        "beat": o.beat,
        "note": o.note,
    }


def _key_data(o: PlacedObject) -> dict[str, Any]:
    kind, ns, name = o.key
    return {"kind": kind, "namespace": ns or None, "name": name, "id": show_key(o.key)}


def _bundles_of(od: ObjectDiff) -> dict[str, dict[str, list[Any]]]:
    """The object changes by (head-side) bundle, each as kind: list of changes."""
    out: dict[str, dict[str, list[Any]]] = {}

    def add(bundle: str, what: str, item: Any) -> None:
        out.setdefault(bundle, {"removed": [], "added": [], "changed": [], "moved": []})[what].append(item)

    for o in od.removed:
        add(o.bundle, "removed", o)
    for o in od.added:
        add(o.bundle, "added", o)
    for old, new, changes in od.changed:
        add(new.bundle, "changed", (old, new, changes))
    for old, new in od.moved:
        add(new.bundle, "moved", (old, new))
    return dict(sorted(out.items()))


def diff_json_data(r: DiffResult, *, full_objects: bool = False) -> dict[str, Any]:
    """The comparison as plain data: the same information as the other formats (redacted
    values stay `Redacted` markers, which `modsys.dump.to_json` writes as `<redacted>`)."""
    config = []
    for c, o in zip(r.config, r.origins, strict=True):
        item = _change_data(c)
        item["origin"] = _origin_data(o)
        config.append(item)
    out: dict[str, Any] = {
        "base": list(r.base),
        "head": list(r.head),
        "differences": r.count,
        "summary": {
            "configuration": _counts([c.op for c in r.config]),
            "objects": None,
        },
        "configuration": config,
        "objects": None,
    }
    od = r.objects
    if od is None:
        return out
    out["summary"]["objects"] = {
        "added": len(od.added), "removed": len(od.removed), "changed": len(od.changed),
        "moved": len(od.moved),
    }
    bundles: dict[str, Any] = {}
    for bundle, groups in _bundles_of(od).items():
        entry: dict[str, Any] = {}
        for what in ("added", "removed"):
            entry[what] = [
                {**_key_data(o), **({"object": o.data} if full_objects else {})}
                for o in groups[what]
            ]
        entry["changed"] = [
            {**_key_data(new), "fromBundle": old.bundle, "changes": [_change_data(c) for c in cs]}
            for old, new, cs in groups["changed"]
        ]
        entry["moved"] = [{**_key_data(new), "fromBundle": old.bundle} for old, new in groups["moved"]]
        bundles[bundle] = entry
    out["objects"] = bundles
    return out


def format_json(r: DiffResult, *, full_objects: bool = False) -> str:
    from modsys.dump import to_json

    return to_json(diff_json_data(r, full_objects=full_objects))


# --- Markdown ----------------------------------------------------------------------------------

#: Changed fields of one object shown in the bundle's table; more go into a <details> block.
MD_INLINE_FIELDS = 3
#: Config changes shown before the rest goes into a <details> block.
MD_CONFIG_ROWS = 40


def md_code(text: str) -> str:
    """`text` as a Markdown code span that survives a table cell."""
    text = text.replace("\n", " ").replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_value(value: Any, limit: int = 80) -> str:
    return md_code(show_value(value, limit))


def _md_origin(o: Origin | None, path: Sequence[Any]) -> str:
    from modsys.show import show_option

    if o is None:
        return ""
    if not o.winners:
        return "no definition"
    places = ", ".join(md_code(w.where) for w in o.winners[:3]) + (", …" if len(o.winners) > 3 else "")
    w = o.winners[0]
    from modsys.dump import PRIORITY_NAMES

    name = PRIORITY_NAMES.get(w.priority)
    text = f"{places} (priority {w.priority}" + (f", {name}" if name else "") + ")"
    if o.beat:
        text += f", beat {o.beat}"
    if tuple(o.option) != tuple(str(p) for p in path):
        text += f", via {md_code(show_option(o.option))}"
    return text


def _md_change_row(c: Change, o: Origin | None) -> str:
    from modsys.dump import Redacted

    old = "" if c.op == "+" else _md_value(c.old)
    new = "" if c.op == "-" else _md_value(c.new)
    if isinstance(c.old, Redacted) and isinstance(c.new, Redacted):
        new += " (secret value changed)"
    return f"| {c.op} | {md_code(show_path(c.path))} | {old} | {new} | {_md_origin(o, c.path)} |"


def _md_inline_change(c: Change) -> str:
    """One changed field in a table cell: `+ path new`, `- path old`, `~ path old → new`."""
    from modsys.dump import Redacted

    text = f"{c.op} {md_code(show_path(c.path))}"
    if c.op != "+":
        text += f" {_md_value(c.old, 60)}"
    if c.op == "~":
        text += " →"
    if c.op != "-":
        text += f" {_md_value(c.new, 60)}"
    if isinstance(c.old, Redacted) and isinstance(c.new, Redacted):
        text += " (secret value changed)"
    return text


def _md_fields_table(changes: Sequence[Change]) -> list[str]:
    from modsys.dump import Redacted

    rows = ["| | field | old | new |", "|---|---|---|---|"]
    for c in changes:
        old = "" if c.op == "+" else _md_value(c.old)
        new = "" if c.op == "-" else _md_value(c.new)
        if isinstance(c.old, Redacted) and isinstance(c.new, Redacted):
            new += " (secret value changed)"
        rows.append(f"| {c.op} | {md_code(show_path(c.path))} | {old} | {new} |")
    return rows


def _md_details(summary: str, body: Sequence[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_markdown(r: DiffResult, *, full_objects: bool = False) -> str:
    """A pull-request comment: summary counts, the changed config values (old → new, and the
    head-side definition that produced each new value), object changes by bundle, long
    object diffs and full objects in collapsible <details> blocks."""
    counts = _counts([c.op for c in r.config])
    out = [
        "## modsys diff",
        "",
        f"**base:** {md_code(_sides(r.base))} → **head:** {md_code(_sides(r.head))}",
        "",
    ]
    if not r.count:
        out += ["No differences.", ""]
        return "\n".join(out)
    summary = [
        f"**{r.count} difference{'s' if r.count != 1 else ''}**",
        f"configuration: {counts['changed']} changed, {counts['added']} added, "
        f"{counts['removed']} removed",
    ]
    od = r.objects
    if od is not None:
        summary.append(
            f"objects: {len(od.changed)} changed, {len(od.added)} added, {len(od.removed)} removed"
            + (f", {len(od.moved)} moved" if od.moved else "")
        )
    out += [" · ".join(summary), ""]

    out += ["### Configuration", ""]
    if r.config:
        head = [
            "| | option | old | new | new value set by |",
            "|---|---|---|---|---|",
        ]
        rows = [_md_change_row(c, o) for c, o in zip(r.config, r.origins, strict=True)]
        out += head + rows[:MD_CONFIG_ROWS] + [""]
        if len(rows) > MD_CONFIG_ROWS:
            out += _md_details(f"{len(rows) - MD_CONFIG_ROWS} more configuration changes",
                               head + rows[MD_CONFIG_ROWS:])
    else:
        out += ["No differences.", ""]

    if od is None:
        return "\n".join(out)
    out += ["### Objects", ""]
    if not od.count:
        out += ["No differences.", ""]
        return "\n".join(out)
    summaries = bundle_summary(od)
    for bundle, groups in _bundles_of(od).items():
        counts_text = ", ".join(f"{n} {what}" for what, n in summaries.get(bundle, {}).items())
        out += [f"#### {md_code(bundle)}: {counts_text}", "", "| | object | changes |", "|---|---|---|"]
        after: list[str] = []
        for o in groups["removed"]:
            out.append(f"| - | {md_code(show_key(o.key))} | removed |")
            if full_objects:
                after += _md_details(f"- {_html(show_key(o.key))} (removed)",
                                     ["```yaml", _object_yaml(o.data), "```"])
        for o in groups["added"]:
            out.append(f"| + | {md_code(show_key(o.key))} | added |")
            if full_objects:
                after += _md_details(f"+ {_html(show_key(o.key))} (added)",
                                     ["```yaml", _object_yaml(o.data), "```"])
        for old, new, changes in groups["changed"]:
            moved = f" (moved from {md_code(old.bundle)})" if old.bundle != new.bundle else ""
            if len(changes) <= MD_INLINE_FIELDS:
                cells = "<br>".join(_md_inline_change(c) for c in changes)
                out.append(f"| ~ | {md_code(show_key(new.key))}{moved} | {cells} |")
            else:
                out.append(
                    f"| ~ | {md_code(show_key(new.key))}{moved} | {len(changes)} fields, "
                    f"see below |"
                )
                after += _md_details(
                    f"~ {_html(show_key(new.key))}: {len(changes)} changed fields",
                    _md_fields_table(changes),
                )
        for old, new in groups["moved"]:
            out.append(f"| ~ | {md_code(show_key(new.key))} | moved from {md_code(old.bundle)} |")
        out.append("")
        out += after
    return "\n".join(out).rstrip("\n") + "\n"
