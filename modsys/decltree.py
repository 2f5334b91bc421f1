"""The declaration tree: every `options` declaration of an evaluation, by path.

Declarations are merged lazily, one namespace level at a time: a level sorts what each module
declares below it by name, and a name becomes a `DeclLeaf` (an option: all its declarations,
merged on first use) or another `DeclNode` (a namespace) only when something looks at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modsys import types as t
from modsys.errors import DeclarationError, Location
from modsys.lazy import force
from modsys.merge import NOTHING, LineInfo
from modsys.options import MergedDecl, OptionDecl, merge_decls, mk_option
from modsys.show import show_option


class DeclNode:
    """The declarations below one namespace level, merged lazily per name."""

    __slots__ = ("_children", "entries", "loc")

    def __init__(self, loc: tuple[str, ...]) -> None:
        self.loc = loc
        # name -> [("option", file, line, OptionDecl, lines) | ("tree", file, line, subtree, lines)]
        # (one entry is stored as itself, not in a list: most names are declared once)
        self.entries: dict[str, Any] = {}
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
        for name, value in tree.items():
            line = lines.line(name) if lines else None
            if type(value) is OptionDecl or isinstance(value := force(value), OptionDecl):
                kind = "option"
            elif isinstance(value, t.Type):
                raise DeclarationError(
                    f"In module {file}: expected an option declaration at option path "
                    f"`{show_option((*self.loc, name))}` but got an attribute set with type "
                    f"option-type. Did you mean to wrap it in `mk_option(type=...)`?",
                    (*self.loc, name),
                    [Location(file, line)],
                )
            elif isinstance(value, Mapping):
                kind = "tree"
            else:
                raise DeclarationError(
                    f"An option declaration for `{show_option((*self.loc, name))}' has type "
                    f"`{type(value).__name__}' rather than an attribute set. Did you mean to "
                    f"define this outside of `options'?",
                    (*self.loc, name),
                    [Location(file, line)],
                )
            child_lines = lines.child(name) if lines else None
            entry = (kind, file, line, value, child_lines)
            entries = self.entries
            old = entries.get(name)
            if old is None:
                entries[name] = entry
            elif type(old) is tuple:
                entries[name] = [old, entry]
            else:
                old.append(entry)

    def names(self) -> list[str]:
        return list(self.entries)

    def child(self, name: str) -> DeclNode | DeclLeaf | None:
        node = self._children.get(name)
        if node is not None:
            return node
        e = self.entries.get(name)
        if e is None:
            return None
        loc = (*self.loc, name)
        if type(e) is tuple:
            if e[0] == "option":  # fast path: one declaration
                node = self._children[name] = DeclLeaf(loc, None, e)
                return node
            entries = [e]
        else:
            entries = e
        options = [e for e in entries if e[0] == "option"]
        trees = [e for e in entries if e[0] == "tree"]
        if options and trees:
            if not all(o[3].type is not NOTHING and o[3].type.name == "submodule" for o in options):
                o = next(
                    o for o in options if o[3].type is NOTHING or o[3].type.name != "submodule"
                )
                otype = o[3].type if o[3].type is not NOTHING else t.unspecified
                tfile = trees[0][1]
                first_child = next(iter(trees[0][3]), "")
                raise DeclarationError(
                    f"The option `{show_option(loc)}' in module `{o[1]}' would be a parent of the "
                    f"following options, but its type `{otype.description}' does not support "
                    f"nested options.\n - option(s) with prefix "
                    f"`{show_option((*loc, first_child))}' in module `{tfile}'",
                    loc,
                    [Location(o[1], o[2]), Location(tfile, trees[0][2])],
                )
            entries = [
                e
                if e[0] == "option"
                else (
                    "option",
                    e[1],
                    e[2],
                    mk_option(
                        type=t.submodule_with(
                            modules=[{"options": e[3]}], shorthand_only_defines_config=None  # type: ignore[arg-type]
                        )
                    ),
                    None,
                )
                for e in entries
            ]
            options = entries
        if options:
            node = DeclLeaf(loc, [(e[1], e[2], e[3]) for e in options])
        else:
            node = DeclNode(loc)
            for _, file, _line, tree, lines in trees:
                node.add_tree(tree, file, lines)
        self._children[name] = node
        return node


class DeclLeaf:
    """Every declaration of one option; merged on first use."""

    __slots__ = ("_decls", "_merged", "_single", "loc")

    def __init__(
        self,
        loc: tuple[str, ...],
        decls: list[tuple[str, int | None, OptionDecl]] | None,
        single: tuple[str, str, int | None, Any, Any] | None = None,
    ):
        self.loc = loc
        self._decls = decls
        self._single = single  # or the one `DeclNode` entry, unpacked on demand
        self._merged: MergedDecl | None = None

    @property
    def decls(self) -> list[tuple[str, int | None, OptionDecl]]:
        decls = self._decls
        if decls is None:
            e = self._single
            assert e is not None
            decls = self._decls = [(e[1], e[2], e[3])]
        return decls

    @property
    def merged(self) -> MergedDecl:
        merged = self._merged
        if merged is None:
            e = self._single
            if e is not None:
                merged = _merge_single_decl(self.loc, (e[1], e[2], e[3]))
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
# Kept on the declaration object itself (per file and line); treat the shared records as
# read-only.
def _merge_single_decl(
    loc: tuple[str, ...], decl: tuple[str, int | None, OptionDecl]
) -> MergedDecl:
    file, line, opt = decl
    per_opt = opt._merged
    if per_opt is None:
        per_opt = {}
        object.__setattr__(opt, "_merged", per_opt)
    merged = per_opt.get((file, line))
    if merged is None:
        merged = per_opt[(file, line)] = merge_decls(loc, [decl])
    return merged
