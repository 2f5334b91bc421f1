"""`eval_modules`: collect modules, merge their declarations and definitions, and expose the
lazily computed fixpoint `config` (nixpkgs' `evalModules`).

The option tree is built level by level on demand: a namespace level splits its definitions by
attribute name only when something reads below it, and an option merges its definitions only
when its value is read. That keeps evaluation lazy the way Nix is, so definitions may read any
other option's final value.

The pieces live in files of their own: module collection (`modsys.collect`), the declaration
tree (`modsys.decltree`), definitions and their push-down (`modsys.definitions`), option values
(`modsys.option`) and the `config`/`options` views (`modsys.views`); this file ties them
together.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from modsys import types as t
from modsys.collect import ModuleCollector
from modsys.decltree import DeclLeaf, DeclNode
from modsys.definitions import Level, push_def
from modsys.deps import FRAMES, secret_scope, stored
from modsys.errors import (
    AssertionFailedError,
    DeclarationError,
    EvaluationError,
    InfiniteRecursionError,
    InvalidModuleError,
    Location,
    ModsysError,
    TypeMismatchError,
    UndeclaredOptionError,
)
from modsys.explain import explain, find_option
from modsys.gcpolicy import collect_promoted, paused
from modsys.gcpolicy import pause as pause_gc
from modsys.gcpolicy import resume as resume_gc
from modsys.internal import INTERNAL_FILE
from modsys.lazy import LazyArg, NotAThunk, force
from modsys.merge import _STACK, NOTHING, Def, check_and_merge, resolve, wrap_user_error
from modsys.module import EvaluationResult, Module, function_signature
from modsys.option import Option
from modsys.plain import to_plain
from modsys.show import did_you_mean, show_defs, show_option
from modsys.views import ConfigView, OptionsView

if sys.getrecursionlimit() < 12000:
    sys.setrecursionlimit(12000)


class Evaluation(ModuleCollector, EvaluationResult, NotAThunk):
    """The result of `eval_modules`: `config`, `options`, and ways to explain and extend them."""

    __slots__ = (
        "__weakref__",
        "_building_root",
        "_builtin_args",
        "_checked",
        "_checked_view",
        "_collecting",
        "_config_arg",
        "_decls",
        "_freeform",
        "_freeform_deps",
        "_internal_only",
        "_options",
        "_options_arg",
        "_root",
        "_secret_scope",
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
        self._freeform_deps: tuple[Option, ...] = ()
        #: a submodule evaluation inside a sensitive option: all its values are secret
        self._secret_scope = False
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
                if (
                    isinstance(m.options, Mapping)
                    and "_module" in m.options
                    and m.file != INTERNAL_FILE
                ):
                    raise DeclarationError(
                        f"The module `{m.file}' declares an option `_module': that name is the "
                        f"module system's own (`_module.args', `_module.check', "
                        f"`_module.freeformType'); pick another name",
                        (*self.prefix, "_module"),
                        [Location(m.file)],
                    )
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
        ev._secret_scope = secret_scope(loc)
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
                    pieces = push_def(Def(m.file, cfg, None, m.lines))
                except ModsysError:
                    raise
                except Exception as exc:
                    raise wrap_user_error(exc, self.prefix, f"(config of `{m.file}')") from exc
                defs.extend(pieces)
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
        if not self._decls.declared_once_in("_module", INTERNAL_FILE):
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

    def module_arg_name(self) -> Any:
        """`_module.args.name` of a submodule evaluation, or None when nothing but the engine
        defines below `_module` (then it is the attribute name the evaluation was given)."""
        if self._module_is_internal():
            return None
        args = self._option_value("_module", "args")
        return args.get("name")

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
                    Def(d.file, _set_attr_by_path(p, d.value), d.line, None, d.deps)
                    for d, p in self.root.unmatched()
                ]
                if defs:
                    frame: list[Any] = []
                    FRAMES.append(frame)
                    try:
                        r = resolve(self.prefix, defs)
                        ff = check_and_merge(self.prefix, ff_type, r.defs) if r.defs else {}
                    finally:
                        FRAMES.pop()
                    self._freeform_deps = stored(frame)
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
        """Raise one error for every failed assertion; otherwise return the warnings.

        `assertions` must be a list of `{assertion: bool, message: str}` and `warnings` a list of
        strings, whoever declares them: another shape is an error naming the entry."""
        cfg = self.config
        failed: list[str] = []
        if "assertions" in cfg:
            items = force(cfg["assertions"])
            if not isinstance(items, (list, tuple)):
                raise self._shape_error(("assertions",), "a list of {assertion, message}", items)
            for i, a in enumerate(items):
                a = force(a)
                if not isinstance(a, Mapping) or "assertion" not in a or "message" not in a:
                    raise self._shape_error(("assertions",), "{assertion: bool, message: str}", a, i)
                ok = force(a["assertion"])
                if type(ok) is not bool:
                    raise self._shape_error(("assertions",), "a bool", ok, i, "assertion")
                if not ok:
                    failed.append(str(force(a["message"])))
        if failed:
            raise AssertionFailedError(
                "\nFailed assertions:\n" + "\n".join(f"- {m}" for m in failed), failed
            )
        warnings = force(cfg.get("warnings", []))
        if not isinstance(warnings, (list, tuple)):
            raise self._shape_error(("warnings",), "a list of strings", warnings)
        out = []
        for i, w in enumerate(warnings):
            w = force(w)
            if not isinstance(w, str):
                raise self._shape_error(("warnings",), "a string", w, i)
            out.append(w)
        return out

    def _shape_error(
        self, rel: tuple[str, ...], want: str, got: Any, entry: int | None = None, field: str = ""
    ) -> TypeMismatchError:
        loc = (*self.prefix, *rel)
        what = f"`{show_option(loc)}'"
        if entry is not None:
            what = f"entry {entry} of {what}" if not field else f"`{field}' of entry {entry} of {what}"
        shown = type(got).__name__ if isinstance(got, Mapping) else repr(got)[:80]
        return TypeMismatchError(
            f"{what} must be {want}, but it is {shown} (`assertions' and `warnings' have the "
            f"shape NixOS gives them)",
            loc,
        )

    def explain(self, path: str | Sequence[str]) -> Any:
        return explain(self, path)

    def option_at(self, path: str | Sequence[str]) -> Option:
        return find_option(self, path)

    def __repr__(self) -> str:
        return f"<Evaluation {show_option(self.prefix) or '(root)'}: {len(self.collected)} modules>"



t.register_submodule_evaluator(Evaluation.for_submodule)

_LIB: Any = None


def _lib() -> Any:
    """The `modsys` package (the `lib` module argument), imported on first use."""
    global _LIB
    if _LIB is None:
        import modsys

        _LIB = modsys
    return _LIB


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
