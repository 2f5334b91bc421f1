"""`eval_modules`: collect modules, merge their declarations and definitions, and expose the
lazily computed fixpoint `config` (nixpkgs' `evalModules`).

The option tree is built level by level on demand: a namespace level splits its definitions by
attribute name only when something reads below it, and an option merges its definitions only
when its value is read. That keeps evaluation lazy the way Nix is, so definitions may read any
other option's final value.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from pathlib import PurePath
from typing import Any

import attrs

from modsys import types as t
from modsys.errors import (
    AssertionFailedError,
    DeclarationError,
    EvaluationError,
    InfiniteRecursionError,
    InvalidModuleError,
    Location,
    MissingAttributeError,
    ModsysError,
    ReadOnlyOptionError,
    UndeclaredOptionError,
    UndefinedOptionError,
)
from modsys.gcpolicy import collect_promoted, paused
from modsys.gcpolicy import pause as pause_gc
from modsys.gcpolicy import resume as resume_gc
from modsys.lazy import LazyArg, NotAThunk, force
from modsys.merge import (
    _STACK,
    NOTHING,
    Def,
    LineInfo,
    Resolved,
    check_and_merge,
    recursion_error,
    resolve,
    wrap_user_error,
)
from modsys.module import Module, function_signature, module_key, normalize, resolve_path
from modsys.options import MergedDecl, OptionDecl, merge_decls, mk_option
from modsys.plain import PLAIN_TYPES, to_plain
from modsys.properties import (
    DEFAULT_OVERRIDE_PRIORITY,
    If,
    Merge,
    Override,
    mk_option_default,
)
from modsys.show import REDACTING, did_you_mean, show_defs, show_option, show_value

if sys.getrecursionlimit() < 12000:
    sys.setrecursionlimit(12000)

INTERNAL_FILE = "<modsys internal>"


_INTERNAL_MODULES: dict[bool, Module] = {}


def _no_special_args() -> dict[str, Any]:
    return {}


def _internal_module(special_args: Mapping[str, Any], nested: bool) -> Module:
    if not special_args:  # most submodule evaluations: one shared module (never mutated)
        m = _INTERNAL_MODULES.get(nested)
        if m is None:
            m = _INTERNAL_MODULES[nested] = Module(
                INTERNAL_FILE,
                INTERNAL_FILE,
                (),
                (),
                _internal_options(nested),
                {"_module": {"specialArgs": _no_special_args}},
            )
        return m
    return Module(
        INTERNAL_FILE,
        INTERNAL_FILE,
        (),
        (),
        _internal_options(nested),
        {"_module": {"specialArgs": lambda: dict(special_args)}},
    )


_INTERNAL_OPTIONS: dict[bool, dict[str, Any]] = {}


def _internal_options(nested: bool) -> dict[str, Any]:
    """The `_module` declarations, built once and shared by every evaluation (read-only)."""
    opts = _INTERNAL_OPTIONS.get(nested)
    if opts is not None:
        return opts
    opts = _INTERNAL_OPTIONS[nested] = {
        "_module": {
            "args": mk_option(
                type=t.lazy_attrs_of(t.raw),
                internal=nested,
                description="Extra arguments passed to every module function.",
            ),
            "check": mk_option(
                type=t.bool,
                default=True,
                internal=True,
                description="Whether to check that every definition has a declared option.",
            ),
            "freeformType": mk_option(
                type=t.null_or(t.option_type),
                default=None,
                internal=True,
                description="The type that undeclared definitions are merged with.",
            ),
            "specialArgs": mk_option(
                type=t.raw,
                read_only=True,
                internal=True,
                description="The special arguments of this evaluation.",
            ),
        }
    }
    return opts


# --- declarations ------------------------------------------------------------------------------


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


# --- definitions -------------------------------------------------------------------------------


def push_down(value: Any) -> list[Any]:
    """Split `mk_merge` and push `mk_if`/`mk_override` on attribute sets down to each attribute."""
    value = force(value)
    tv = type(value)
    if tv is dict:
        return [value]
    if tv is Merge:
        return [x for c in value.contents for x in push_down(c)]
    if tv is If or tv is Override:
        content = force(value.content)
        if isinstance(content, Mapping) or type(content) in (Merge, If, Override):
            pieces = push_down(content)
            if all(isinstance(p, Mapping) for p in pieces):
                if tv is If:
                    return [{k: If(value.condition, v) for k, v in p.items()} for p in pieces]
                return [{k: Override(value.priority, v) for k, v in p.items()} for p in pieces]
        return [value]
    return [value]


def _value_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if value is None:
        return "null"
    if isinstance(value, (If, Override)):
        try:
            return _value_type_name(force(value.content))
        except Exception:
            return type(value).__name__
    return type(value).__name__


class Level:
    """One namespace level of an evaluation: its declared children and its definitions."""

    __slots__ = ("_children", "_raw_unmatched", "decl", "defs", "ev", "loc")

    def __init__(self, ev: Evaluation, loc: tuple[str, ...], decl: DeclNode, defs: list[Def]):
        self.ev = ev
        self.loc = loc
        self.decl = decl
        self.defs = defs
        self._children: dict[str, Option | Level] | None = None
        self._raw_unmatched: dict[str, list[Def]] = {}

    def _split(self) -> dict[str, list[Def]]:
        raw: dict[str, list[Def]] = {}
        for d in self.defs:
            v = d.value
            if not isinstance(v, Mapping):
                raise InvalidModuleError(
                    f"In module `{d.file}', you're trying to define a value of type "
                    f"`{_value_type_name(v)}'\nrather than an attribute set for the option\n"
                    f"`{show_option(self.loc)}'!\n\nThis usually happens if "
                    f"`{show_option(self.loc)}' has option\ndefinitions inside that are not "
                    f"matched. Please check how to properly define\nthis option.",
                    self.loc,
                    [d.location],
                )
            lines = d.lines
            items = v.items()
            for k, x in items:
                bucket = raw.get(k)
                if bucket is None:
                    raw[k] = bucket = []
                if lines is None:
                    bucket.append(Def(d.file, x, None, None))
                else:
                    bucket.append(Def(d.file, x, lines.line(k), lines.child(k)))
        return raw

    @property
    def children(self) -> dict[str, Option | Level]:
        ch = self._children
        if ch is None:
            ch = self._build()
        return ch

    def _build(self) -> dict[str, Option | Level]:
        raw = self._split()
        children: dict[str, Option | Level] = {}
        decl = self.decl
        ev = self.ev
        for name in list(decl.entries):
            node = decl.child(name)
            defs = raw.get(name)
            if defs is None:
                defs = []
            if type(node) is DeclLeaf:
                opt = ev.option_for(node)
                opt._raw_defs = defs
                children[name] = opt
            else:
                assert isinstance(node, DeclNode)
                pushed = [
                    d if x is d.value else Def(d.file, x, d.line, d.lines)
                    for d in defs
                    for x in push_down(d.value)
                ]
                children[name] = Level(ev, (*self.loc, name), node, pushed)
        if raw.keys() <= children.keys():
            self._raw_unmatched = {}
        else:
            self._raw_unmatched = {k: v for k, v in raw.items() if k not in children}
        self._children = children
        return children

    def child(self, name: str) -> Option | Level | None:
        return self.children.get(name)

    def unmatched(self) -> list[tuple[Def, tuple[str, ...]]]:
        """Definitions below this level that no option claims, with their relative path."""
        children = self.children
        out: list[tuple[Def, tuple[str, ...]]] = []
        if not self._raw_unmatched and not any(
            isinstance(c, Level) and not c._only_internal_defs() for c in children.values()
        ):
            return out  # the common case: everything here is declared
        names = sorted(set(children) | set(self._raw_unmatched))
        for name in names:
            for d in self._raw_unmatched.get(name, ()):
                out.append((d, (name,)))
            c = children.get(name)
            if isinstance(c, Level) and not c._only_internal_defs():
                out.extend((d, (name, *p)) for d, p in c.unmatched())
        return out

    def _only_internal_defs(self) -> bool:
        """No definitions, or (not yet split) only the engine's own, which are all declared:
        nothing below can be unmatched, so the level need not be built to find out."""
        return not self.defs or (
            self._children is None and all(d.file == INTERNAL_FILE for d in self.defs)
        )


class Option:
    """A declared option in one evaluation: its declarations, definitions and value."""

    __slots__ = ("_busy", "_leaf", "_raw_defs", "_resolved", "_resolving", "_value", "ev", "loc")

    def __init__(
        self, ev: Evaluation, loc: tuple[str, ...], leaf: DeclLeaf, defs: list[Def] | None
    ):
        self.ev = ev
        self.loc = loc
        self._leaf = leaf
        self._raw_defs = defs
        self._resolved: Resolved | None = None
        self._value: Any = NOTHING
        self._busy = False
        self._resolving = False

    @property
    def raw_defs(self) -> list[Def]:
        """The definitions as written; splitting them may build the namespace levels above."""
        defs = self._raw_defs
        if defs is None:
            self.ev.level_at(self.loc[len(self.ev.prefix) : -1]).children  # noqa: B018 - fills it
            defs = self._raw_defs
            assert defs is not None
        return defs

    # declaration fields
    @property
    def decl(self) -> MergedDecl:
        return self._leaf.merged

    @property
    def type(self) -> t.Type:
        return self.decl.type

    @property
    def description(self) -> Any:
        d = self.decl.description
        return None if d is NOTHING else d

    @property
    def default(self) -> Any:
        return self.decl.default

    @property
    def has_default(self) -> bool:
        return self.decl.default is not NOTHING

    @property
    def default_text(self) -> Any:
        return self.decl.default_text

    @property
    def example(self) -> Any:
        return self.decl.example

    @property
    def read_only(self) -> bool:
        return self.decl.read_only

    @property
    def visible(self) -> Any:
        return self.decl.visible

    @property
    def internal(self) -> bool:
        return self.decl.internal

    @property
    def sensitive(self) -> bool:
        return self.decl.sensitive

    @property
    def declarations(self) -> list[str]:
        return list(self.decl.declarations)

    @property
    def declaration_positions(self) -> list[Location]:
        return list(self.decl.positions)

    # definitions
    def all_defs(self) -> list[Def]:
        """The raw definitions, preceded by the default (as an `mk_option_default`)."""
        decl = self.decl
        if decl.default is NOTHING:
            return self.raw_defs
        pos = decl.positions[0]
        return [Def(pos.file, mk_option_default(decl.default), pos.line), *self.raw_defs]

    def resolved(self) -> Resolved:
        r = self._resolved
        if r is None:
            decl = self.decl
            raw = self.raw_defs
            if raw and not decl.read_only:
                # fast path: definitions written as plain data all have the default priority,
                # so the default (priority 1500) drops out and they are the result as they are
                for d in raw:
                    if type(d.value) not in PLAIN_TYPES:
                        break
                else:
                    r = self._resolved = Resolved(raw, DEFAULT_OVERRIDE_PRIORITY)
                    return r
            defs = self.all_defs()
            if decl.read_only and len(defs) > 1:
                raise ReadOnlyOptionError(
                    f"The option `{show_option(self.loc)}' is read-only, but it's set multiple "
                    f"times. Definition values:{show_defs(defs, force_thunks=True)}",
                    self.loc,
                    [d.location for d in defs],
                )
            r = self._resolved = resolve(self.loc, defs)
        return r

    def _final(self) -> Resolved:
        r = self._resolved
        if r is None:
            if self._resolving:
                raise recursion_error(self.loc)
            self._resolving = True
            _STACK.append(self.loc)
            try:
                r = self.resolved()
            except ModsysError:
                raise
            except Exception as exc:
                raise wrap_user_error(exc, self.loc) from exc
            finally:
                _STACK.pop()
                self._resolving = False
        return r

    @property
    def is_defined(self) -> bool:
        return bool(self._final().defs)

    @property
    def highest_prio(self) -> int:
        return self._final().highest_prio

    @property
    def definitions(self) -> list[Any]:
        return [d.value for d in self._final().defs]

    @property
    def definitions_with_locations(self) -> list[Def]:
        return list(self._final().defs)

    @property
    def files(self) -> list[str]:
        return [d.file for d in self._final().defs]

    @property
    def value(self) -> Any:
        v = self._value
        if v is NOTHING:
            v = self._compute()
        return v

    def _guarded(self, decl: MergedDecl) -> Any:
        """The merged (and applied) value, computed with the recursion guard."""
        if self._busy:
            raise recursion_error(self.loc)
        self._busy = True
        # The outermost read pauses the cyclic garbage collector: evaluation allocates many
        # small long-lived objects, and full collections during it made time grow with N².
        pause = not _STACK and pause_gc()
        loc = self.loc
        _STACK.append(loc)
        try:
            r = self._final()
            apply = decl.apply
            try:
                value = check_and_merge(loc, decl.type, r.defs)
            except UndefinedOptionError as err:
                if apply is None:
                    raise
                value = _raises(err)  # `apply` may never look at the value, as in Nix
            if apply is not None:
                value = apply(value)
            return value
        except InfiniteRecursionError as err:
            err.add_definitions(loc, [d.location for d in self._raw_defs or ()])
            raise
        except ModsysError:
            raise
        except Exception as exc:
            raise wrap_user_error(exc, loc) from exc
        finally:
            _STACK.pop()
            self._busy = False
            if pause:
                resume_gc()

    def _compute(self) -> Any:
        decl = self.decl
        if decl.sensitive:
            REDACTING.append(self)
            try:
                v = self._guarded(decl)
            finally:
                REDACTING.pop()
        else:
            v = self._guarded(decl)
        self._value = v
        return v

    def __repr__(self) -> str:
        return f"<option {show_option(self.loc)}>"

    def __str__(self) -> str:
        return show_option(self.loc)


# --- views -------------------------------------------------------------------------------------


class ConfigView(Mapping[str, Any], NotAThunk):
    """`config` at one namespace level: attribute and item access, computed on demand."""

    __slots__ = ("_cache", "_ev", "_freeform", "_hide_module", "_level")

    def __init__(self, ev: Evaluation, level: Level | None, freeform: Any, hide_module: bool):
        self._ev = ev
        self._level = level
        self._freeform = freeform
        self._hide_module = hide_module
        self._cache: dict[str, Any] = {}

    def _lvl(self) -> Level:
        ev = self._ev
        if ev._collecting:
            raise InvalidModuleError(
                "`config` was read while modules were still being collected (in `imports`, or "
                "at the top level of a module function). Module structure cannot depend on "
                "configuration values: wrap the read in a thunk (`lambda: config.x`), use "
                "`mk_if(lambda: config.x, ...)` for conditional definitions, or pass the value "
                "through `special_args`.",
                ev.prefix,
            )
        level = self._level
        if level is None:
            level = self._level = ev.root
        return level

    def __getitem__(self, key: str) -> Any:
        cache = self._cache
        if key in cache:
            return cache[key]
        level = self._lvl()
        child = level.children.get(key)
        if child is None or (self._hide_module and key == "_module"):
            ff = self._ff()
            if ff is not None and key in ff:
                v = ff[key]
                cache[key] = v
                return v
            raise MissingAttributeError(
                f"The option `{show_option((*level.loc, key))}' does not exist"
                + did_you_mean(level.loc, key, [n for n in self._keys() if n != key]),
                (*level.loc, key),
            )
        if type(child) is Option:
            v = child.value
        else:
            ff = self._ff()
            sub = ff.get(key) if ff is not None else None
            v = ConfigView(
                self._ev, child, sub if isinstance(sub, Mapping) else None, False  # type: ignore[arg-type]
            )
        cache[key] = v
        return v

    def _ff(self) -> Any:
        ff = self._freeform
        if ff is None and self._lvl().loc == self._ev.prefix:
            ff = self._freeform = self._ev.freeform_config()
        return ff

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def _keys(self) -> list[str]:
        level = self._lvl()
        names = set(level.children)
        if self._hide_module:
            names.discard("_module")
        ff = self._ff()
        if ff is not None:
            names.update(ff)
        return sorted(names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        level = self._lvl()
        if key in level.children and not (self._hide_module and key == "_module"):
            return True
        ff = self._ff()
        return ff is not None and key in ff

    def __dir__(self) -> list[str]:
        return self._keys()

    def __repr__(self) -> str:
        return f"<config {show_option(self._lvl().loc) or '(root)'}>"

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)


class OptionsView:
    """`options` at one namespace level: children are `Option`s or further `OptionsView`s.

    Navigation uses declarations only, so module code may test `"x" in options` while the
    definitions are still being split up (declarations never depend on definitions).
    """

    __slots__ = ("_decl", "_ev")

    def __init__(self, ev: Evaluation, decl: DeclNode | None) -> None:
        self._ev = ev
        self._decl = decl

    def _node(self) -> DeclNode:
        ev = self._ev
        if ev._collecting:
            raise InvalidModuleError(
                "`options` was read while modules were still being collected; read it inside a "
                "thunk (`lambda: ...`) instead.",
                ev.prefix,
            )
        if self._decl is None:
            self._decl = ev._decls
        return self._decl

    def __getitem__(self, key: str) -> Any:
        node = self._node()
        child = node.child(key)
        if child is None:
            raise MissingAttributeError(
                f"The option `{show_option((*node.loc, key))}' does not exist"
                + did_you_mean(node.loc, key, node.names()),
                (*node.loc, key),
            )
        if isinstance(child, DeclLeaf):
            return self._ev.option_for(child)
        return OptionsView(self._ev, child)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __contains__(self, key: object) -> bool:
        return key in self._node().entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def keys(self) -> list[str]:
        return sorted(self._node().entries)

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self[k]) for k in self.keys()]

    def __len__(self) -> int:
        return len(self._node().entries)

    @property
    def loc(self) -> tuple[str, ...]:
        return self._node().loc

    def __repr__(self) -> str:
        return f"<options {show_option(self._node().loc) or '(root)'}>"


# --- the evaluation ----------------------------------------------------------------------------


class Evaluation(NotAThunk):
    """The result of `eval_modules`: `config`, `options`, and ways to explain and extend them."""

    __slots__ = (
        "__weakref__",
        "_any_disabled",
        "_building_root",
        "_builtin_args",
        "_checked",
        "_checked_view",
        "_collecting",
        "_config_arg",
        "_decls",
        "_freeform",
        "_internal_only",
        "_loaded",
        "_options",
        "_options_arg",
        "_root",
        "class_",
        "collected",
        "modules_in",
        "name",
        "prefix",
        "special_args",
    )

    def __init__(
        self,
        modules: Sequence[Any],
        special_args: Mapping[str, Any] | None = None,
        prefix: Sequence[str] = (),
        *,
        _name: str | None = None,
        _class: str | None = None,
    ) -> None:
        if not _STACK:
            collect_promoted()
        self.modules_in = list(modules)
        self.special_args = dict(special_args or {})
        self.prefix: tuple[str, ...] = tuple(prefix)
        self.name = _name
        self.class_ = _class
        self._collecting = True
        self._root: Level | None = None
        self._checked = False
        self._freeform: Any = NOTHING
        self._checked_view: ConfigView | None = None
        self._options: dict[tuple[str, ...], Option] = {}
        self._building_root = False
        self._any_disabled = False
        self._internal_only: bool | None = None
        self._config_arg = ConfigView(self, None, None, False)
        self._options_arg = OptionsView(self, None)
        builtins: dict[str, Any] = {
            "config": self._config_arg,
            "options": self._options_arg,
            "lib": _lib(),
            "special_args": self.special_args,
            "_prefix": self.prefix,
        }
        if _name is not None:
            builtins["name"] = _name
        builtins.update(self.special_args)
        self._builtin_args = builtins
        self._loaded: dict[str, Module] = {}
        # collecting calls every module function: a burst of long-lived allocations that
        # would otherwise trigger full collections over everything loaded so far
        pause = not _STACK and pause_gc()
        try:
            self.collected = self._collect(self.modules_in)
        finally:
            self._collecting = False
            if pause:
                resume_gc()
        self._decls = DeclNode(self.prefix)
        for m in self.collected:
            if m.options:
                self._decls.add_tree(m.options, m.file, m.decl_lines)

    @classmethod
    def for_submodule(
        cls, type_: Any, loc: tuple[str, ...], name: str, extra: list[Any], check: bool
    ) -> Evaluation:
        ev = cls(
            [*type_.modules, *extra],
            type_.special_args,
            loc,
            _name=name,
            _class=type_.class_,
        )
        if not check:
            ev._checked = True
        return ev

    # collecting -------------------------------------------------------------------------------

    def _call(self, fn: Any, file: str, key: str) -> Any:
        sig = function_signature(fn)
        builtins = self._builtin_args
        kwargs: dict[str, Any] = {}
        for name in sig.names:
            if name in builtins:
                kwargs[name] = builtins[name]
            else:
                kwargs[name] = LazyArg(name, self._module_arg_resolver(name, key))
        if sig.var_keyword:
            for k, v in builtins.items():
                kwargs.setdefault(k, v)
        try:
            return fn(**kwargs)
        except ModsysError:
            raise
        except Exception as exc:
            raise EvaluationError(
                f"error while calling the module function in `{file}' (key `{key}'): "
                f"{type(exc).__name__}: {exc}",
                self.prefix,
                [Location(file)],
            ) from exc

    def _module_arg_resolver(self, name: str, key: str) -> Any:
        def resolve_arg() -> Any:
            if self._collecting:
                raise InvalidModuleError(
                    f"the module argument `{name}' of \"{key}\" was used while modules were being "
                    f"collected (for example in `imports`). Values from `_module.args` exist only "
                    f"once all modules are known: pass `{name}` through `special_args` instead, "
                    f"or use it only inside thunks.",
                    self.prefix,
                )
            args = self._config_arg["_module"]["args"]
            if name not in args:
                raise EvaluationError(
                    f"while evaluating the module argument `{name}' in \"{key}\": it is neither "
                    f"a special argument nor defined in `_module.args.{name}'. Pass it with "
                    f"`special_args={{'{name}': ...}}` or define `_module.args.{name}`.",
                    (*self.prefix, "_module", "args", name),
                )
            return args[name]

        return resolve_arg

    def _load(self, value: Any, parent_file: str, parent_key: str, index: int) -> Module:
        lines = None
        if isinstance(value, (str, PurePath)):
            path = resolve_path(value, parent_file)
            spath = str(path)
            hit = self._loaded.get(spath)
            if hit is not None:
                return hit
            file, key = spath, module_key(path)
            from modsys.module import load_file

            value, lines = load_file(path)
        else:
            file = parent_file
            key = f"{parent_key}:anon-{index}"
            spath = None
        if isinstance(value, Module):
            m = value
            if not m.key:
                m = attrs.evolve(m, key=key)
        else:
            m = normalize(value, file, key, self._call, lines)
        if spath is not None:
            self._loaded[spath] = m
        if m.disabled:
            self._any_disabled = True
        if self.class_ is not None and m.class_ is not None and m.class_ != self.class_:
            raise InvalidModuleError(
                f"The module `{m.file}` (class: \"{m.class_}\") cannot be imported into a module "
                f"evaluation that expects class \"{self.class_}\".",
                self.prefix,
                [Location(m.file)],
            )
        if m.imports:
            m.children = [self._load(imp, m.file, m.key, i) for i, imp in enumerate(m.imports, 1)]
        return m

    def _disabled_key(self, item: Any, file: str) -> str:
        if isinstance(item, (str, PurePath)):
            return module_key(resolve_path(item, file))
        if isinstance(item, Mapping):
            if "key" in item:
                return str(item["key"])
            raise InvalidModuleError(
                f"Module `{file}` contains a disabledModules item that is an attribute set, "
                f"presumably a module, that does not have a `key` attribute. This means that the "
                f"module system doesn't have any means to identify the module that should be "
                f"disabled. Make sure that you've put the correct value in disabledModules: a "
                f"string path relative to modulesPath, a path value, or an attribute set with a "
                f"`key` attribute.",
                self.prefix,
                [Location(file)],
            )
        raise InvalidModuleError(
            f"Each disabledModules item must be a path, string, or an attribute set with a key "
            f"attribute, or a value supported by toString. However, one of the disabledModules "
            f"items in `{file}` is none of that, but is of type {type(item).__name__}.",
            self.prefix,
            [Location(file)],
        )

    def _collect(self, modules: Sequence[Any]) -> list[Module]:
        top = [self._load(m, "<unknown-file>", "", i) for i, m in enumerate(modules, 1)]
        top.append(_internal_module(self.special_args, bool(self.prefix)))
        disabled: set[str] = set()
        stack = list(top) if self._any_disabled else []
        seen_ids: set[int] = set()
        while stack:
            m = stack.pop()
            if id(m) in seen_ids:
                continue
            seen_ids.add(id(m))
            for item in m.disabled:
                disabled.add(self._disabled_key(item, m.file))
            stack.extend(m.children)
        out: list[Module] = []
        seen: set[str] = set()
        queue = deque(top)
        while queue:
            m = queue.popleft()
            if m.key in seen or m.key in disabled:
                continue
            seen.add(m.key)
            out.append(m)
            queue.extend(m.children)
        out.reverse()
        return out

    # structure --------------------------------------------------------------------------------

    def option_for(self, leaf: DeclLeaf) -> Option:
        """The one `Option` object of this evaluation for a declaration."""
        opt = self._options.get(leaf.loc)
        if opt is None:
            opt = self._options[leaf.loc] = Option(self, leaf.loc, leaf, None)
        return opt

    def level_at(self, rel: Sequence[str]) -> Level:
        node = self.root
        for p in rel:
            child = node.child(p)
            assert isinstance(child, Level)
            node = child
        return node

    @property
    def root(self) -> Level:
        root = self._root
        if root is None:
            if self._building_root:
                raise InfiniteRecursionError(
                    "infinite recursion encountered while collecting the definitions of "
                    f"`{show_option(self.prefix) or 'config'}': the attribute names of a module's "
                    "`config` depend on configuration values. Make the names fixed and put the "
                    "condition in `mk_if(lambda: ..., value)` instead.",
                    self.prefix,
                )
            self._building_root = True
            try:
                root = self._build_root()
            finally:
                self._building_root = False
        return root

    def _build_root(self) -> Level:
        root = self._root
        if root is None:
            defs: list[Def] = []
            for m in self.collected:
                cfg = m.config
                if type(cfg) is dict and not cfg:
                    continue
                try:
                    pieces = push_down(cfg)
                except ModsysError:
                    raise
                except Exception as exc:
                    raise wrap_user_error(exc, self.prefix, f"(config of `{m.file}')") from exc
                for x in pieces:
                    defs.append(Def(m.file, x, None, m.lines))
            root = self._root = Level(self, self.prefix, self._decls, defs)
        return root

    def _option_value(self, *path: str) -> Any:
        node: Any = self.root
        for p in path:
            node = node.child(p)
        return node.value

    def _module_is_internal(self) -> bool:
        """Nothing but the engine's own module declares or defines anything below `_module`, so
        `_module.check` is True and `_module.freeformType` is None without building the level
        (most submodule evaluations: this saves a level, four options and two merges each).
        The answer never changes once known (declarations and definitions are fixed, and a
        built level stays built), so it is remembered."""
        known = self._internal_only
        if known is not None:
            return known
        entry = self._decls.entries.get("_module")
        if type(entry) is not tuple or entry[1] != INTERNAL_FILE:
            known = False
        else:
            level = self.root.children.get("_module")
            known = (
                type(level) is Level
                and level._children is None
                and all(d.file == INTERNAL_FILE for d in level.defs)
            )
        self._internal_only = known
        return known

    @property
    def freeform_type(self) -> Any:
        if self._module_is_internal():
            return None
        return self._option_value("_module", "freeformType")

    def freeform_config(self) -> Any:
        ff = self._freeform
        if ff is NOTHING:
            ff_type = self.freeform_type
            if ff_type is None:
                ff = None
            else:
                defs = [
                    Def(d.file, _set_attr_by_path(p, d.value), d.line, None)
                    for d, p in self.root.unmatched()
                ]
                if defs:
                    r = resolve(self.prefix, defs)
                    ff = check_and_merge(self.prefix, ff_type, r.defs) if r.defs else {}
                else:
                    ff = {}
            self._freeform = ff
        return ff

    def check_unmatched(self) -> None:
        """nixpkgs' `checkUnmatched`: the first undeclared definition is an error."""
        if self._checked:
            return
        with paused():
            self._check_unmatched()

    def _check_unmatched(self) -> None:
        internal = self._module_is_internal()
        if (internal or self._option_value("_module", "check")) and self.freeform_type is None:
            unmatched = self.root.unmatched()
            if unmatched:
                d, rel = unmatched[0]
                loc = (*self.prefix, *rel)
                parent = loc[:-1]
                candidates = self._names_at(rel[:-1])
                if len(rel) == 1:
                    candidates = [c for c in candidates if c != "_module"]
                msg = (
                    f"The option `{show_option(loc)}' does not exist. Definition values:"
                    f"{show_defs([d], force_thunks=True)}"
                    + did_you_mean(parent, loc[-1], candidates)
                )
                if not [n for n in self.root.children if n != "_module"]:
                    if not self.prefix:
                        msg += (
                            "\n\nIt seems as if you're trying to declare an option by placing it "
                            "into `config' rather than `options'!"
                        )
                    else:
                        msg += (
                            f"\n\nHowever there are no options defined in "
                            f"`{show_option(self.prefix)}'. Are you sure you've declared your "
                            f"options properly? This can happen if you e.g. declared your "
                            f"options in `types.submodule' under `config' rather than `options'."
                        )
                raise UndeclaredOptionError(msg, loc, [d.location])
        self._checked = True

    def _names_at(self, rel: Sequence[str]) -> list[str]:
        node: Any = self.root
        for p in rel:
            node = node.child(p) if isinstance(node, Level) else None
            if node is None:
                return []
        return list(node.children) if isinstance(node, Level) else []

    def checked_config(self) -> ConfigView:
        view = self._checked_view
        if view is None:
            self.check_unmatched()
            view = self._checked_view = ConfigView(self, self.root, None, True)
        return view

    # public API -------------------------------------------------------------------------------

    @property
    def config(self) -> ConfigView:
        """The final configuration (without `_module`), after the undeclared-option check."""
        return self.checked_config()

    @property
    def options(self) -> OptionsView:
        self.check_unmatched()
        return OptionsView(self, self._decls)

    def to_dict(self) -> dict[str, Any]:
        """The whole configuration as plain dicts and lists, fully evaluated."""
        with paused():
            return to_plain(self.config)

    def extend_modules(
        self,
        modules: Sequence[Any] = (),
        special_args: Mapping[str, Any] | None = None,
        prefix: Sequence[str] | None = None,
    ) -> Evaluation:
        return Evaluation(
            [*self.modules_in, *modules],
            {**self.special_args, **(special_args or {})},
            self.prefix if prefix is None else prefix,
        )

    def check(self) -> list[str]:
        """Raise one error for every failed assertion; otherwise return the warnings."""
        cfg = self.config
        failed: list[str] = []
        if "assertions" in cfg:
            for a in cfg["assertions"]:
                a = force(a)
                if not force(a["assertion"]):
                    failed.append(str(force(a["message"])))
        if failed:
            raise AssertionFailedError(
                "\nFailed assertions:\n" + "\n".join(f"- {m}" for m in failed), failed
            )
        warnings = cfg.get("warnings", [])
        return [str(w) for w in warnings]

    def explain(self, path: str | Sequence[str]) -> Any:
        from modsys.explain import explain

        return explain(self, path)

    def option_at(self, path: str | Sequence[str]) -> Option:
        from modsys.explain import find_option

        return find_option(self, path)

    def __repr__(self) -> str:
        return f"<Evaluation {show_option(self.prefix) or '(root)'}: {len(self.collected)} modules>"


_LIB: Any = None


def _lib() -> Any:
    """The `modsys` package (the `lib` module argument), imported on first use."""
    global _LIB
    if _LIB is None:
        import modsys

        _LIB = modsys
    return _LIB


def _raises(err: Exception) -> LazyArg:
    def fail() -> Any:
        raise err

    return LazyArg("value", fail)


def _set_attr_by_path(path: Sequence[str], value: Any) -> Any:
    for p in reversed(path):
        value = {p: value}
    return value


def eval_modules(
    modules: Sequence[Any], special_args: Mapping[str, Any] | None = None, prefix: Sequence[str] = ()
) -> Evaluation:
    """Evaluate a list of modules into a lazily computed, typed, merged configuration."""
    if isinstance(modules, (str, PurePath, Mapping)) or callable(modules):
        modules = [modules]
    return Evaluation(list(modules), special_args, prefix)


__all__ = [
    "ConfigView",
    "Evaluation",
    "Option",
    "OptionsView",
    "eval_modules",
]
_unused = (UndefinedOptionError, show_value, LazyArg)
