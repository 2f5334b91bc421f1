"""The declaration tree: every `options` declaration of an evaluation, by path.

Declarations are merged lazily, one namespace level at a time: a level sorts what each module
declares below it by name, and a name becomes a `DeclLeaf` (an option: all its declarations,
merged on first use) or another `DeclNode` (a namespace) only when something looks at it.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import attrs

from modsys import types as t
from modsys.errors import DeclarationError, Location
from modsys.lazy import force
from modsys.merge import NOTHING, LineInfo
from modsys.options import Declaration, MergedDecl, OptionDecl, merge_decls, mk_option
from modsys.show import show_option


@attrs.define(slots=True)
class OptionTree:
    """A namespace in one module's `options`: the attribute set of further declarations."""

    file: str
    line: int | None
    tree: Mapping[str, Any]
    lines: LineInfo | None


#: what a module declares at one name: an option, or a namespace of further declarations
Entry = Declaration | OptionTree


class DeclNode:
    """The declarations below one namespace level, merged lazily per name."""

    __slots__ = ("_children", "entries", "loc")

    def __init__(self, loc: tuple[str, ...]) -> None:
        self.loc = loc
        # name -> its entries in module order (one entry is stored as itself, not in a list:
        # most names are declared once)
        self.entries: dict[str, Entry | list[Entry]] = {}
        self._children: dict[str, DeclNode | DeclLeaf] = {}

    def add_tree(self, tree: Any, file: str, lines: LineInfo | None) -> None:
        tree = force(tree)
        if not isinstance(tree, Mapping):
            raise DeclarationError(
                f"An option declaration for `{show_option(self.loc)}' has type "
                f"`{type(tree).__name__}' rather than an attribute set. Did you mean to define "
                f"this outside of `options'?",
                self.loc,
                [Location(file)],
            )
        entries = self.entries
        for name, value in tree.items():
            line = lines.line(name) if lines else None
            entry: Entry
            if type(value) is OptionDecl or isinstance(value := force(value), OptionDecl):
                entry = Declaration(file, line, value)
            elif isinstance(value, t.Type):
                raise DeclarationError(
                    f"In module {file}: expected an option declaration at option path "
                    f"`{show_option((*self.loc, name))}` but got an attribute set with type "
                    f"option-type. Did you mean to wrap it in `mk_option(type=...)`?",
                    (*self.loc, name),
                    [Location(file, line)],
                )
            elif isinstance(value, Mapping):
                entry = OptionTree(file, line, value, lines.child(name) if lines else None)
            else:
                raise DeclarationError(
                    f"An option declaration for `{show_option((*self.loc, name))}' has type "
                    f"`{type(value).__name__}' rather than an attribute set. Did you mean to "
                    f"define this outside of `options'?",
                    (*self.loc, name),
                    [Location(file, line)],
                )
            old = entries.get(name)
            if old is None:
                entries[name] = entry
            elif isinstance(old, list):
                old.append(entry)
            else:
                entries[name] = [old, entry]

    def names(self) -> list[str]:
        return list(self.entries)

    def declared_once_in(self, name: str, file: str) -> bool:
        """Whether `name` has exactly one entry here, and it is from `file`."""
        e = self.entries.get(name)
        return e is not None and not isinstance(e, list) and e.file == file

    def child(self, name: str) -> DeclNode | DeclLeaf | None:
        node = self._children.get(name)
        if node is not None:
            return node
        e = self.entries.get(name)
        if e is None:
            return None
        loc = (*self.loc, name)
        if isinstance(e, list):
            entries = e
        else:
            if type(e) is Declaration:  # fast path: one declaration
                node = self._children[name] = DeclLeaf(loc, None, e)
                return node
            entries = [e]
        options = [e for e in entries if type(e) is Declaration]
        trees = [e for e in entries if type(e) is OptionTree]
        if options and trees:
            if not all(_is_submodule(o.option.type) for o in options):
                o = next(o for o in options if not _is_submodule(o.option.type))
                otype = o.option.type if o.option.type is not NOTHING else t.unspecified
                tree = trees[0]
                first_child = next(iter(tree.tree), "")
                raise DeclarationError(
                    f"The option `{show_option(loc)}' in module `{o.file}' would be a parent of "
                    f"the following options, but its type `{otype.description}' does not support "
                    f"nested options.\n - option(s) with prefix "
                    f"`{show_option((*loc, first_child))}' in module `{tree.file}'",
                    loc,
                    [Location(o.file, o.line), Location(tree.file, tree.line)],
                )
            # the namespaces become submodule declarations, which merge with the options
            options = [
                e if isinstance(e, Declaration) else _as_submodule_option(e) for e in entries
            ]
        if options:
            node = DeclLeaf(loc, options)
        else:
            node = DeclNode(loc)
            for tree in trees:
                node.add_tree(tree.tree, tree.file, tree.lines)
        self._children[name] = node
        return node


def _as_submodule_option(tree: OptionTree) -> Declaration:
    submodule = t.submodule_with(
        modules=[{"options": tree.tree}], shorthand_only_defines_config=None  # type: ignore[arg-type]
    )
    return Declaration(tree.file, tree.line, mk_option(type=submodule))


def _is_submodule(type_: Any) -> bool:
    return type_ is not NOTHING and type_.name == "submodule"


class DeclLeaf:
    """Every declaration of one option; merged on first use."""

    __slots__ = ("_decls", "_merged", "_single", "loc")

    def __init__(
        self,
        loc: tuple[str, ...],
        decls: list[Declaration] | None,
        single: Declaration | None = None,
    ):
        self.loc = loc
        self._decls = decls
        self._single = single  # or the one declaration, put in a list on demand
        self._merged: MergedDecl | None = None

    @property
    def decls(self) -> list[Declaration]:
        decls = self._decls
        if decls is None:
            single = self._single
            assert single is not None
            decls = self._decls = [single]
        return decls

    @property
    def merged(self) -> MergedDecl:
        merged = self._merged
        if merged is None:
            single = self._single
            if single is not None:
                merged = _merge_single_decl(self.loc, single)
            else:
                decls = self.decls
                if len(decls) == 1:
                    merged = _merge_single_decl(self.loc, decls[0])
                else:
                    merged = merge_decls(self.loc, decls)
            self._merged = merged
        return merged


# One declaration merges to the same `MergedDecl` in every evaluation (it does not depend on the
# option's path), so the many evaluations of one submodule type share it instead of each
# building its own (and its own copy of a submodule type, which would lose every per-type cache).
# Kept per declaration object (and per file and line), for as long as the object lives; treat
# the shared records as read-only.
_MERGED_ALONE: weakref.WeakKeyDictionary[OptionDecl, dict[tuple[str, int | None], MergedDecl]] = (
    weakref.WeakKeyDictionary()
)


def _merge_single_decl(loc: tuple[str, ...], decl: Declaration) -> MergedDecl:
    opt = decl.option
    per_opt = _MERGED_ALONE.get(opt)
    if per_opt is None:
        per_opt = _MERGED_ALONE[opt] = {}
    where = (decl.file, decl.line)
    merged = per_opt.get(where)
    if merged is None:
        merged = per_opt[where] = merge_decls(loc, [decl])
    return merged
