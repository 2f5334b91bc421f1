"""How each list (and map) inside a Kubernetes object merges, read from the object's schema.

Merging several definitions of one object needs, at every list, the answer to "are these
elements identified by a key, a set of scalars, or one indivisible value?". The answer is in the
schemas: built-in kinds carry the strategic-merge-patch markers (`x-kubernetes-patch-strategy`,
`x-kubernetes-patch-merge-key`) and the server-side-apply markers (`x-kubernetes-list-type`,
`x-kubernetes-list-map-keys`), in the JSON schemas `kubernetes-validate` ships per version; a
custom resource has the latter in its CRD's `openAPIV3Schema`.

The schema of a kind becomes a tree of `MergeNode`s, built lazily (a node's children are made
on first use, so recursive schemas such as JSONSchemaProps cost nothing until walked) and cached
per (Kubernetes version, apiVersion, kind) and per CRD schema: after the first object of a kind,
finding how `spec.template.spec.containers[].env` merges is a few dict lookups.

Which marker wins when they disagree (`ListMerge.of`): `x-kubernetes-list-type: map` with its
`list-map-keys` first, because those are the keys the API server itself uses to identify
elements (server-side apply, duplicate detection). Strategic merge patch keys container ports by
`containerPort` alone, which merges 53/TCP into 53/UDP (kubernetes/kubernetes#108255, quoted in
the field's own description); with the list-map keys they stay two ports. Then
`x-kubernetes-patch-strategy: merge` (with its merge key a keyed list, without one a set of
scalars, as `metadata.finalizers`), then `x-kubernetes-list-type: set`; everything else, and
`x-kubernetes-patch-strategy: replace`, is atomic.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

#: Values the API server defaults a list-map key field to, so that an element that omits it
#: matches one that spells it out (`{containerPort: 80}` is the same port as
#: `{containerPort: 80, protocol: TCP}`). Only `protocol` is both a key field and defaulted.
KEY_DEFAULTS: Mapping[str, Any] = {"protocol": "TCP"}


@attrs.frozen
class ListMerge:
    """How one list merges.

    `strategy` is "map" (elements identified by the fields `keys`, merged recursively),
    "set" (a list of scalars merged as a union) or "atomic" (one value: replaced, or a conflict
    when definitions differ). `marker` says which schema marker decided, for messages and docs.
    """

    strategy: str
    keys: tuple[str, ...] = ()
    marker: str = ""

    @classmethod
    def of(cls, schema: Mapping[str, Any]) -> ListMerge:
        """The merge of a list from the markers of its schema (see the module docstring)."""
        list_type = schema.get("x-kubernetes-list-type")
        map_keys = schema.get("x-kubernetes-list-map-keys")
        strategies = str(schema.get("x-kubernetes-patch-strategy") or "").split(",")
        merge_key = schema.get("x-kubernetes-patch-merge-key")
        if list_type == "map" and map_keys:
            return cls("map", tuple(map_keys), f"x-kubernetes-list-map-keys {list(map_keys)}")
        if "merge" in strategies and merge_key:
            return cls("map", (merge_key,), f"x-kubernetes-patch-merge-key {merge_key}")
        if "merge" in strategies:
            return cls("set", (), "x-kubernetes-patch-strategy merge")
        if list_type == "set":
            return cls("set", (), "x-kubernetes-list-type set")
        if list_type == "atomic":
            return ATOMIC_MARKED
        return ATOMIC

    def describe(self) -> str:
        """ "merged by key name", "merged as a set", "atomic (no merge key)": for messages."""
        if self.strategy == "map":
            return f"merged by key {'+'.join(self.keys)}"
        if self.strategy == "set":
            return "merged as a set of values"
        return "atomic (x-kubernetes-list-type atomic)" if self.marker else "atomic (no merge key)"

    def key_of(self, element: Any) -> tuple[Any, ...] | None:
        """The identity of an element of a "map" list; None if it has none of the key fields.

        Missing key fields take `KEY_DEFAULTS` (else None), as the API server defaults them
        before it compares elements. Values are made hashable (a key field may be an object).
        """
        if type(element) is not dict and not isinstance(element, Mapping):
            return None
        found = False
        out = []
        for k in self.keys:
            if k in element:
                found = True
                v = element[k]
                out.append(
                    v if isinstance(v, str | int | float | bool) or v is None else _frozen(v)
                )
            else:
                out.append(KEY_DEFAULTS.get(k))
        return tuple(out) if found else None


ATOMIC = ListMerge("atomic")
ATOMIC_MARKED = ListMerge("atomic", (), "x-kubernetes-list-type atomic")


def _frozen(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def element_label(list_merge: ListMerge | None, element: Any, index: int) -> str:
    """How paths name a list element: "[web]" by its merge key, "[80,TCP]" for several key
    fields, "[3]" by position when the list has no key (or the element lacks it).

    The same syntax `modsys.kube.checks` uses in its problem paths, so that a merge problem and
    a check problem on the same container read alike.
    """
    if list_merge is not None and list_merge.strategy == "map":
        key = list_merge.key_of(element)
        if key is not None:
            return key_label(key)
    return f"[{index}]"


def find_element(list_merge: ListMerge, elements: Sequence[Any], selector: str) -> int | None:
    """The position of the element a path step names: its merge key as `element_label` writes
    it without brackets ("web", "80,TCP", a key field's value alone also matching when the
    other key fields take their defaults: "80" for port 80/TCP), or its numeric index ("0").
    None when no element matches. For `why`/`explain` paths such as
    `…containers.web.image` or `…containers[0].image`."""
    for i, element in enumerate(elements):
        if list_merge.strategy != "map":
            break
        key = list_merge.key_of(element)
        if key is None:
            continue
        label = key_label(key)[1:-1]
        if label == selector:
            return i
        parts = selector.split(",")
        padded = [str(KEY_DEFAULTS.get(k, "")) for k in list_merge.keys[len(parts) :]]
        if len(parts) < len(key) and label == ",".join([*parts, *padded]):
            return i
    if selector.isdigit() and int(selector) < len(elements):
        return int(selector)
    return None


def key_label(key: tuple[Any, ...]) -> str:
    """The path label of an element key: ("web",) -> "[web]", (80, "TCP") -> "[80,TCP]"."""
    return "[" + ",".join("" if k is None else str(k) for k in key) + "]"


# --- schema trees -------------------------------------------------------------------------------

_REF = "$ref"


class MergeNode:
    """What merging needs to know about one place in an object's schema.

    `child(field)` is the node of a field of this object (an unknown field gives `UNKNOWN`,
    about which nothing is known: maps merge, lists are atomic), `items` the node of this list's
    elements, `list_merge` how this list merges, `replace` whether this map is replaced rather
    than merged (`x-kubernetes-patch-strategy: replace`, as strategic merge patch honours);
    `map_atomic` records `x-kubernetes-map-type: atomic`, which server-side apply honours and
    strategic merge patch does not (neither does `strategic.merge_definitions`: a selector
    written in two modules merges key by key, as `modsys` always merged maps).
    """

    __slots__ = (
        "_fields",
        "_items",
        "_paths",
        "_schema",
        "_tree",
        "_values",
        "list_merge",
        "map_atomic",
        "replace",
        "retain_keys",
    )

    def __init__(self, schema: Mapping[str, Any], tree: _Tree | None) -> None:
        self._schema = schema
        self._tree = tree
        self._fields: dict[str, MergeNode] | None = None
        self._values: MergeNode | None = None
        self._items: MergeNode | None = None
        strategies = str(schema.get("x-kubernetes-patch-strategy") or "").split(",")
        self.list_merge: ListMerge = ListMerge.of(schema)
        self.replace: bool = "replace" in strategies
        self.map_atomic: bool = schema.get("x-kubernetes-map-type") == "atomic"
        self.retain_keys: bool = "retainKeys" in strategies
        self._paths: dict[str, MergeNode] = {}

    def _build(self) -> None:
        tree = self._tree
        fields: dict[str, MergeNode] = {}
        if tree is not None:
            props = self._schema.get("properties")
            if isinstance(props, Mapping):
                for name, sub in props.items():
                    fields[name] = tree.node(sub)
            addl = self._schema.get("additionalProperties")
            self._values = tree.node(addl) if isinstance(addl, Mapping) else UNKNOWN
            items = self._schema.get("items")
            self._items = tree.node(items) if isinstance(items, Mapping) else UNKNOWN
        else:
            self._values = self._items = self
        self._fields = fields

    def child(self, field: str) -> MergeNode:
        """The node of `field` in this object (a declared property, else the map's values)."""
        fields = self._fields
        if fields is None:
            self._build()
            fields = self._fields
            assert fields is not None
        node = fields.get(field)
        if node is not None:
            return node
        return self._values  # type: ignore[return-value]

    @property
    def items(self) -> MergeNode:
        """The node of this list's elements."""
        if self._fields is None:
            self._build()
        return self._items  # type: ignore[return-value]

    @property
    def known(self) -> bool:
        """False for `UNKNOWN` (no schema here: preserve-unknown-fields, or an unknown field)."""
        return self._tree is not None

    @property
    def description(self) -> str:
        """The schema's description of this place ("" when none), for `explain`."""
        return str(self._schema.get("description") or "")

    def at(self, path: str) -> MergeNode:
        """The node at a field path below this one: "spec.template.spec.containers[].env".

        `[]`, `[web]` or `[0]` all step into a list's elements; the result is cached per path.
        """
        node = self._paths.get(path)
        if node is None:
            node = self
            for step in parse_path(path):
                node = node.items if step is None else node.child(step)
            self._paths[path] = node
        return node

    def __repr__(self) -> str:
        return f"<MergeNode {self.list_merge.describe() if self._schema.get('type') else '?'}>"


_STEP = re.compile(r'\.?([^.\[\]]+)|\[("(?:[^"\\]|\\.)*"|[^\]]*)\]')


def parse_path(path: str) -> list[str | None]:
    """ "spec.containers[web].env" -> ["spec", "containers", None, "env"]: None steps into a
    list element (whatever the brackets hold, unless it is a quoted field name:
    `metadata.labels["app.kubernetes.io/name"]` steps into that field)."""
    steps: list[str | None] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if m is None:
            raise ValueError(f"cannot read field path {path!r} at {path[pos:]!r}")
        if m[1] is not None:
            steps.append(m[1])
        elif m[2].startswith('"'):
            steps.append(json.loads(m[2]))
        else:
            steps.append(None)
        pos = m.end()
    return steps


class _Tree:
    """Nodes of one schema document, one per schema dict (so `$ref` cycles share nodes)."""

    def __init__(self, definitions: Mapping[str, Any] | None) -> None:
        self.definitions = definitions or {}
        self.nodes: dict[int, MergeNode] = {}
        self.keep: list[Any] = []  # the schemas behind `nodes` keys stay alive with the tree

    def node(self, schema: Mapping[str, Any]) -> MergeNode:
        node = self.nodes.get(id(schema))
        if node is None:
            node = MergeNode(self._resolve(schema), self)
            self.nodes[id(schema)] = node
            self.keep.append(schema)
        return node

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow `$ref` (and a lone `allOf: [{$ref}]`) to the structure, keeping the markers
        written beside the reference: they describe this use of the referenced type."""
        target = schema
        for _ in range(32):
            ref = target.get(_REF)
            if ref is None:
                all_of = target.get("allOf")
                if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
                    ref = all_of[0].get(_REF)
            if not isinstance(ref, str):
                break
            target = self.definitions.get(ref.rsplit("/", 1)[-1], {})
        if target is schema:
            return schema
        merged = dict(target)
        merged.update((k, v) for k, v in schema.items() if k.startswith("x-kubernetes-"))
        return merged


UNKNOWN = MergeNode({}, None)
"""The node of a place without a schema: maps merge key by key, lists are atomic."""


# --- lookups ------------------------------------------------------------------------------------


@functools.cache
def _builtin_tree(minor: str) -> tuple[_Tree, dict[tuple[str, str], str]]:
    from modsys.kube.validate import _builtin  # shares the loaded definitions with validation

    schemas = _builtin(minor)
    return _Tree(schemas.definitions), schemas.by_gvk


@functools.cache
def _builtin_root(minor: str, api_version: str, kind: str) -> MergeNode | None:
    tree, by_gvk = _builtin_tree(minor)
    name = by_gvk.get((api_version, kind))
    return None if name is None else tree.node(tree.definitions[name])


def builtin_merge_schema(api_version: str, kind: str, kubernetes_version: str) -> MergeNode | None:
    """The merge tree of a built-in kind at a Kubernetes version; None if that version does not
    serve `kind` as `api_version`. Raises `UnsupportedVersionError` for a version without
    bundled schemas."""
    from modsys.kube.kinds import kubernetes_minor

    return _builtin_root(kubernetes_minor(kubernetes_version), api_version, kind)


_CRD_TREES: dict[int, tuple[Mapping[str, Any], MergeNode]] = {}


def crd_merge_schema(open_api_v3_schema: Mapping[str, Any]) -> MergeNode:
    """The merge tree of a custom resource from its CRD version's `openAPIV3Schema` (cached per
    schema object: the same parsed CRD gives the same tree)."""
    entry = _CRD_TREES.get(id(open_api_v3_schema))
    if entry is None or entry[0] is not open_api_v3_schema:
        entry = (open_api_v3_schema, _Tree(None).node(open_api_v3_schema))
        _CRD_TREES[id(open_api_v3_schema)] = entry
    return entry[1]


def merge_schema(
    api_version: str,
    kind: str,
    kubernetes_version: str,
    crds: Any = None,
) -> MergeNode:
    """The merge tree of any object: built-in kinds from the bundled schemas, custom resources
    from their CRD in `crds` (a `CustomResourceIndex`), `UNKNOWN` for anything else (every
    list atomic, so merging it behaves exactly as before list merging existed)."""
    node = builtin_merge_schema(api_version, kind, kubernetes_version)
    if node is not None:
        return node
    if crds is not None:
        schema = crds.schema(api_version, kind)
        if isinstance(schema, Mapping):
            return crd_merge_schema(schema)
    return UNKNOWN


def list_merge_at(
    api_version: str, kind: str, kubernetes_version: str, path: str, crds: Any = None
) -> ListMerge:
    """How the list at `path` of such an object merges:
    `list_merge_at("apps/v1", "Deployment", "1.31", "spec.template.spec.containers")` is
    `ListMerge("map", ("name",), …)`."""
    return merge_schema(api_version, kind, kubernetes_version, crds).at(path).list_merge
