"""Merging definitions of one Kubernetes object the way strategic merge patch does.

An overlay that says "this container gets image nginx:1.27" must change that container and keep
the others, as `kubectl patch` and kustomize do: lists whose schema names a merge key merge
element by element. `merge_definitions` takes the definitions of one object in merge order
(plain data: dicts, lists, scalars) and the object's `MergeNode` tree (`modsys.kube.mergekeys`)
and returns the merged object plus every problem found, never raising:

* maps merge key by key, recursively (also those marked `x-kubernetes-map-type: atomic`, as
  strategic merge patch does); a map marked `x-kubernetes-patch-strategy: replace` is one value;
* keyed lists ("map") merge element by element; the merged list has each key once, in order of
  first appearance across the definitions in merge order (strategic merge patch keeps the
  original's order and appends the patch's new elements: the same order for two definitions);
* a list of scalars marked as a set (`metadata.finalizers`) is the union, first appearance first;
* any other list is atomic: one value, which the definitions must agree on;
* strategic merge patch's directives work in any definition but the first:
  `$patch: delete` in a keyed element (or a map) removes it, `$patch: replace` in a map or as an
  element `{$patch: replace}` of a list makes that definition replace what came before,
  `$deleteFromPrimitiveList/<field>` removes scalars from a set list, and
  `$setElementOrder/<field>` orders a merged list (elements not named keep their order, after
  the named ones), and `$retainKeys` (which `kubectl apply` writes for fields marked
  `retainKeys`, such as a volume's source) clears the fields of a map it does not list.
  Directives never reach the result.

Two modes, because two different things merge objects:

* definitions (`patch=False`, the module system): definitions are peers, so two different
  scalars, or two different atomic lists, are a conflict. The problem names the field path and,
  for a list, says the list has no merge key and how to replace it (`mk_force` / `!force` or a
  `{$patch: replace}` element). The result then holds the last definition's value so that the
  caller can go on and report everything at once.
* patch (`patch=True`, post-render patches of chart objects): later definitions win, as
  `kubectl patch --type=strategic` does; a `null` removes the field.

Fast: a lone definition is walked once (to drop directives) and returned unchanged when it has
none; otherwise each level costs a dict lookup in the schema tree. The result shares unchanged
sub-values with the definitions: do not mutate either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from modsys.kube.mergekeys import UNKNOWN, ListMerge, MergeNode, key_label, merge_schema

_DIRECTIVE = "$patch"
_DELETE_FROM = "$deleteFromPrimitiveList/"
_SET_ORDER = "$setElementOrder/"
_RETAIN_KEYS = "$retainKeys"


@attrs.frozen
class MergeProblem:
    """Something the definitions of one object disagree on.

    `path` is the field path ("spec.template.spec.containers[web].image"; list elements named by
    their merge key, see `mergekeys.element_label`), `definitions` the positions, in the
    sequence given to `merge_definitions`, of the definitions involved, so the caller can name
    their files and lines.
    """

    path: str
    message: str
    definitions: tuple[int, ...] = ()

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@attrs.frozen
class MergeResult:
    """The merged object (None if a definition deleted it) and the problems found."""

    value: Any
    problems: tuple[MergeProblem, ...] = ()


class _Deleted:
    """Marks a value removed by `$patch: delete` (or a null in patch mode)."""

    def __repr__(self) -> str:
        return "<deleted>"


DELETED: Any = _Deleted()

# linked path: (parent, segment); segment "name", "[label]" or a key tuple of a keyed list's
# element (labelled by `_key_segment`); rendered only for problems
_Path = tuple[Any, Any] | None


def _render(path: _Path) -> str:
    parts: list[str] = []
    while path is not None:
        path, seg = path
        parts.append(seg if type(seg) is str else _key_segment(seg))
    out = ""
    for seg in reversed(parts):
        if seg.startswith("["):
            out += seg
        elif out:
            out += "." + seg if _plain(seg) else f"[{json.dumps(seg)}]"
        else:
            out = seg if _plain(seg) else f"[{json.dumps(seg)}]"
    return out


def _plain(seg: str) -> bool:
    return seg.replace("-", "").replace("_", "").replace("$", "").isalnum()


def _show(v: Any) -> str:
    text = json.dumps(v, default=str, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


class _Merger:
    __slots__ = ("dirty", "patch", "problems")

    def __init__(self, patch: bool, definitions: Sequence[Any]) -> None:
        self.patch = patch
        self.problems: list[MergeProblem] = []
        #: definitions that may hold directives (or, in patch mode, nulls): only values from
        #: these are walked by `clean`; the others are returned as they are
        self.dirty = frozenset(i for i, d in enumerate(definitions) if _may_need_cleaning(d, patch))

    def one(self, pair: tuple[int, Any]) -> Any:
        """The value of one (definition index, value) pair, cleaned if it may need it."""
        return self.clean(pair[1]) if pair[0] in self.dirty else pair[1]

    def problem(self, path: _Path, message: str, defs: Sequence[int]) -> None:
        self.problems.append(MergeProblem(_render(path), message, tuple(defs)))

    # -- one value, from several definitions ------------------------------------------------

    def value(self, node: MergeNode, vals: list[tuple[int, Any]], path: _Path) -> Any:
        """Merge `vals` ((definition index, value) pairs, merge order) at `node`."""
        if len(vals) == 1:
            return self.one(vals[0])
        t0 = type(vals[0][1])
        if t0 is dict or t0 is list:  # fast path: all maps, or all lists
            for _, v in vals:
                if type(v) is not t0:
                    break
            else:
                return self.maps(node, vals, path) if t0 is dict else self.lists(node, vals, path)
        kinds = {_kind(v) for _, v in vals}
        if len(kinds) > 1:
            if self.patch:  # the last value of another kind wins, with what follows it
                last = _kind(vals[-1][1])
                start = max(n for n, (_, v) in enumerate(vals) if _kind(v) != last) + 1
                return self.value(node, vals[start:], path)
            self.problem(
                path,
                "conflicting definitions: "
                + ", ".join(f"{_kind(v)} in definition #{i}" for i, v in vals),
                [i for i, _ in vals],
            )
            return self.one(vals[-1])
        kind = kinds.pop()
        if kind == "map":
            return self.maps(node, vals, path)
        if kind == "list":
            return self.lists(node, vals, path)
        return self.atomic(vals, path, None)

    def atomic(self, vals: list[tuple[int, Any]], path: _Path, what: str | None) -> Any:
        """One indivisible value: the last in patch mode; otherwise all must be equal."""
        if self.patch:
            return self.one(vals[-1])
        first = vals[0][1]
        if all(v == first and type(v) is type(first) for _, v in vals[1:]):
            return self.one(vals[0])
        defs = [i for i, _ in vals]
        if what is None:
            shown = ", ".join(f"{_show(v)} (definition #{i})" for i, v in vals)
            self.problem(path, f"conflicting values: {shown}", defs)
        else:
            numbers = ", ".join(f"#{i}" for i in defs)
            self.problem(
                path,
                f"definitions {numbers} give different values for {what}, so they cannot be "
                "merged element by element or key by key; to replace it as a whole, give the "
                "winning definition with mk_force (Python) or !force (YAML)"
                + (", or add the element {$patch: replace} to its list" if "list" in what else ""),
                defs,
            )
        return self.one(vals[-1])

    # -- maps ---------------------------------------------------------------------------------

    def maps(self, node: MergeNode, vals: list[tuple[int, Any]], path: _Path) -> Any:
        if not node.replace and self.dirty.isdisjoint([i for i, _ in vals]):
            return self.plain_maps(node, vals, path)
        return self.directive_maps(node, vals, path)

    def plain_maps(self, node: MergeNode, vals: list[tuple[int, Any]], path: _Path) -> Any:
        """`maps` for definitions without directives or nulls: the common case, kept fast by
        copying the first map and collecting only the fields more than one map gives."""
        i0, first = vals[0]
        out = dict(first)
        origin: dict[str, int] = {}  # field -> definition that gave it, when not the first
        multi: dict[str, list[tuple[int, Any]]] = {}
        for i, v in vals[1:]:
            for k, sub in v.items():
                if k in out:
                    coll = multi.get(k)
                    if coll is None:
                        multi[k] = [(origin.get(k, i0), out[k]), (i, sub)]
                    else:
                        coll.append((i, sub))
                else:
                    out[k] = sub
                    origin[k] = i
        child = node.child
        for k, coll in multi.items():
            out[k] = self.value(child(k), coll, (path, k))
        return out

    def directive_maps(self, node: MergeNode, vals: list[tuple[int, Any]], path: _Path) -> Any:
        # `$patch` on the map itself: replace drops what came before, delete removes it
        start = 0
        for n, (_, v) in enumerate(vals):
            d = v.get(_DIRECTIVE)
            if d == "replace":
                start = n
            elif d == "delete":
                start = n + 1
        if start:
            vals = vals[start:]
            if not vals:
                return DELETED
        if len(vals) == 1:
            return self.one(vals[0])
        if node.replace:
            return self.atomic(
                vals,
                path,
                "this map, which is replaced as a whole (x-kubernetes-patch-strategy replace)",
            )

        fields: dict[str, list[tuple[int, Any]]] = {}
        extra: dict[str, list[tuple[int, str, Any]]] = {}  # field -> directives, in order
        patch = self.patch
        special = False  # a null (patch mode) or $deleteFromPrimitiveList seen
        retain: tuple[int, list[Any]] | None = None
        for i, v in vals:
            for k, sub in v.items():
                if k[:1] == "$":
                    if k.startswith(_DELETE_FROM):
                        special = True
                        f = k[len(_DELETE_FROM) :]
                        fields.setdefault(f, [])
                        fields[f].append((i, _DeleteFrom(sub)))
                    elif k.startswith(_SET_ORDER):
                        f = k[len(_SET_ORDER) :]
                        extra.setdefault(f, []).append((i, "order", sub))
                    elif k == _RETAIN_KEYS and isinstance(sub, list):
                        retain = (i, sub)
                    continue
                coll = fields.get(k)
                if coll is None:
                    fields[k] = coll = []
                if patch and sub is None:
                    special = True
                    coll.clear()
                    coll.append((i, DELETED))
                else:
                    coll.append((i, sub))
        out: dict[str, Any] = {}
        for k, coll in fields.items():
            if special:
                if coll and coll[-1][1] is DELETED:
                    continue
                if coll and coll[0][1] is DELETED:
                    del coll[0]
                coll = _apply_delete_from(coll)
                if not coll:
                    continue
            merged = self.value(node.child(k), coll, (path, k))
            if merged is DELETED:
                continue
            orders = extra.get(k)
            if orders and type(merged) is list:
                merged = _set_order(node.child(k).list_merge, merged, orders[-1][2])
            out[k] = merged
        if retain is not None:  # `$retainKeys`: fields neither listed nor given later are cleared
            keep = set(retain[1])
            keep.update(k for i, v in vals if i > retain[0] for k in v)
            out = {k: v for k, v in out.items() if k in keep}
        return out

    # -- lists --------------------------------------------------------------------------------

    def lists(self, node: MergeNode, vals: list[tuple[int, Any]], path: _Path) -> Any:
        lm = node.list_merge
        if not self.dirty.isdisjoint([i for i, _ in vals]):
            if lm.strategy != "set":  # $deleteFromPrimitiveList applies to sets only
                vals = [p for p in vals if not isinstance(p[1], _DeleteFrom)]
                if not vals:
                    return DELETED
            # an element {$patch: replace} makes its list replace what came before
            for n in range(len(vals) - 1, 0, -1):
                v = vals[n][1]
                if type(v) is list and any(_is_replace_marker(e) for e in v):
                    vals = vals[n:]
                    break
        if len(vals) == 1:
            return self.one(vals[0])
        if lm.strategy == "map":
            return self.keyed(node, lm, vals, path)
        if lm.strategy == "set":
            return self.union(vals)
        return self.atomic(
            vals,
            path,
            "this list, which has no merge key"
            + (" (x-kubernetes-list-type atomic)" if lm.marker else ""),
        )

    def keyed(
        self, node: MergeNode, lm: ListMerge, vals: list[tuple[int, Any]], path: _Path
    ) -> list[Any]:
        by_key, issues = _group(lm, vals)
        for label, message, defs in issues:
            self.problem((path, label), message, defs)
        items = node.items
        out = []
        for key, coll in by_key.items():
            merged = self.value(items, coll, (path, key))
            if merged is not DELETED:
                out.append(merged)
        return out

    def union(self, vals: list[tuple[int, Any]]) -> list[Any]:
        out: dict[Any, Any] = {}
        for _, lst in vals:
            if isinstance(lst, _DeleteFrom):
                for v in lst.values:
                    out.pop(_hashable(v), None)
                continue
            for v in lst:
                if type(v) is dict and _DIRECTIVE in v:
                    continue
                h = _hashable(v)
                if h not in out:
                    out[h] = v
        return list(out.values())

    # -- one definition -----------------------------------------------------------------------

    def clean(self, v: Any) -> Any:
        """`v` without directives (and, in patch mode, without null fields); `v` itself when
        there is nothing to drop."""
        tv = type(v)
        if tv is dict:
            changed = False
            out = {}
            for k, sub in v.items():
                if k[:1] == "$" or (self.patch and sub is None):
                    changed = True
                    continue
                c = self.clean(sub)
                if c is not sub:
                    changed = True
                out[k] = c
            return out if changed else v
        if tv is list:
            changed = False
            items = []
            for e in v:
                if type(e) is dict and _DIRECTIVE in e and e[_DIRECTIVE] in ("delete", "replace"):
                    changed = True
                    continue
                c = self.clean(e)
                if c is not e:
                    changed = True
                items.append(c)
            return items if changed else v
        if isinstance(v, _DeleteFrom):
            return DELETED
        return v


def _may_need_cleaning(definition: Any, patch: bool) -> bool:
    """Whether a definition may hold a directive (a key starting with "$"), or a null in patch
    mode. `repr` runs in C and is several times faster than walking the data in Python; a
    string value that merely looks like a directive only costs a walk that finds nothing."""
    text = repr(definition)
    return "'$" in text or '"$' in text or (patch and "None" in text)


class _DeleteFrom:
    """A `$deleteFromPrimitiveList/<field>` directive, placed among the field's definitions."""

    __slots__ = ("values",)

    def __init__(self, values: Any) -> None:
        self.values = values if isinstance(values, list) else [values]


def _apply_delete_from(coll: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Keep `_DeleteFrom` markers only where a list precedes them (they act on the union)."""
    if not any(isinstance(v, _DeleteFrom) for _, v in coll):
        return coll
    while coll and isinstance(coll[0][1], _DeleteFrom):
        coll = coll[1:]
    return coll


def _set_order(lm: ListMerge, merged: list[Any], order: Any) -> list[Any]:
    """`$setElementOrder/<field>`: the named elements first, in that order, then the rest."""
    if not isinstance(order, list):
        return merged
    ident: Any = lm.key_of if lm.strategy == "map" else _hashable
    rank: dict[Any, int] = {}
    for n, e in enumerate(order):
        k = ident(e)
        if k is not None:
            rank.setdefault(k, n)
    big = len(order)
    decorated = sorted(enumerate(merged), key=lambda p: (rank.get(ident(p[1]), big), p[0]))
    return [e for _, e in decorated]


def _is_replace_marker(e: Any) -> bool:
    return type(e) is dict and e.get(_DIRECTIVE) == "replace"


def _hashable(v: Any) -> Any:
    if isinstance(v, str | int | float | bool) or v is None:
        return (type(v) is bool, v)
    return json.dumps(v, sort_keys=True, default=str)


def _kind(v: Any) -> str:
    tv = type(v)
    if tv is dict or isinstance(v, Mapping):
        return "map"
    if tv is list or isinstance(v, _DeleteFrom):
        return "list"
    if v is None:
        return "null"
    return "scalar"


@attrs.frozen
class ElementGroup:
    """The definitions of one element of a keyed list: its key (None for an element without
    the key fields, kept on its own), its path label ("[web]", see `mergekeys.element_label`)
    and the (definition index, element) pairs to merge, in merge order."""

    key: tuple[Any, ...] | None
    label: str
    elements: tuple[tuple[int, Any], ...]


def _group(
    lm: ListMerge, vals: Sequence[tuple[int, Any]]
) -> tuple[dict[Any, list[tuple[int, Any]]], list[tuple[str, str, list[int]]]]:
    """Elements by key (first appearance first; an element without a key under
    ("#unkeyed", definition, position)) and the problems as (label, message, definitions)."""
    by_key: dict[Any, list[tuple[int, Any]]] = {}
    issues: list[tuple[str, str, list[int]]] = []
    key_of = lm.key_of
    for i, lst in vals:
        seen: set[Any] = set()
        for n, e in enumerate(lst):
            key = key_of(e)
            if type(e) is dict and _DIRECTIVE in e:
                d = e[_DIRECTIVE]
                if d == "replace":
                    continue
                if d == "delete":
                    if key is not None:
                        by_key.pop(key, None)
                    continue
            if key is None:
                issues.append(
                    (
                        f"[{n}]",
                        f"element of a list merged by key {'+'.join(lm.keys)} has no "
                        f"{' or '.join(lm.keys)} field; it is kept as it is",
                        [i],
                    )
                )
                key = ("#unkeyed", i, n)
            elif key in seen:
                issues.append(
                    (
                        key_label(key),
                        f"definition #{i} lists this element twice (same "
                        f"{'+'.join(lm.keys)}); the API server rejects duplicate keys",
                        [i],
                    )
                )
            seen.add(key)
            coll = by_key.get(key)
            if coll is None:
                by_key[key] = coll = []
            coll.append((i, e))
    return by_key, issues


def _key_segment(key: tuple[Any, ...]) -> str:
    """The path label of a key from `_group`."""
    return f"[{key[2]}]" if key[0] == "#unkeyed" else key_label(key)


def group_elements(
    list_merge: ListMerge, lists: Sequence[tuple[int, Sequence[Any]]], path: str = ""
) -> tuple[list[ElementGroup], list[MergeProblem]]:
    """Group the elements of several definitions of one keyed list by key, applying
    `$patch: delete` and `{$patch: replace}` markers as they come; groups in order of first
    appearance. For a caller that merges the elements itself (the module engine, which keeps
    priorities and file positions per field): merge each group's elements as one map.

    `lists` are (definition index, list) pairs in merge order; the problems (an element
    without the key fields, a key twice in one definition) have paths below `path`.
    """
    vals = list(lists)
    for n in range(len(vals) - 1, 0, -1):
        if any(_is_replace_marker(e) for e in vals[n][1]):
            vals = vals[n:]
            break
    by_key, issues = _group(list_merge, vals)
    groups = [
        ElementGroup(None if k[0] == "#unkeyed" else k, _key_segment(k), tuple(coll))
        for k, coll in by_key.items()
    ]
    return groups, [MergeProblem(path + label, message, tuple(d)) for label, message, d in issues]


# --- public -------------------------------------------------------------------------------------


def merge_definitions(
    definitions: Sequence[Any], node: MergeNode = UNKNOWN, *, patch: bool = False
) -> MergeResult:
    """Merge the definitions of one object (merge order: later overlays come later).

    `node` is the object's merge tree (`mergekeys.merge_schema`); with the default `UNKNOWN`
    every list is atomic. `patch=True` gives strategic-merge-patch semantics (later values win,
    null deletes); `patch=False` module-system semantics (different values conflict). See the
    module docstring for the rules.
    """
    if not definitions:
        return MergeResult(None)
    merger = _Merger(patch, definitions)
    value = merger.value(node, list(enumerate(definitions)), None)
    return MergeResult(None if value is DELETED else value, tuple(merger.problems))


def merge_object_definitions(
    definitions: Sequence[Any],
    kubernetes_version: str,
    crds: Any = None,
    *,
    patch: bool = False,
) -> MergeResult:
    """`merge_definitions` with the merge tree of the object's kind at that Kubernetes version
    (custom resources from their CRD in `crds`, a `CustomResourceIndex`). The apiVersion and
    kind are the last ones any definition gives."""
    api_version = kind = None
    for d in definitions:
        if isinstance(d, Mapping):
            api_version = d.get("apiVersion", api_version)
            kind = d.get("kind", kind)
    node = UNKNOWN
    if isinstance(api_version, str) and isinstance(kind, str):
        node = merge_schema(api_version, kind, kubernetes_version, crds)
    return merge_definitions(definitions, node, patch=patch)


def strategic_patch(obj: Any, patch: Any, kubernetes_version: str, crds: Any = None) -> MergeResult:
    """What `kubectl patch --local --type=strategic -p PATCH` gives for `obj` (except that list
    maps use the API server's keys; see `mergekeys`)."""
    return merge_object_definitions([obj, patch], kubernetes_version, crds, patch=True)
