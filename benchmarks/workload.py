"""Adapter: a `nix-anchor-workload/1` JSON document (see `../shared/bench/gen_workload.py`)
turned into modsys modules, one to one.

* OPTTREE -> nested dicts of `mk_option(...)`; TYPE -> `modsys.types`; a submodule whose option
  defaults use `{"$mk": "name"}` becomes a module *function* taking `name` (as in Nix,
  `{ name, ... }: { options = ...; }`), otherwise a plain `{"options": ...}` dict.
* each workload module -> a function module `def module(config): {...}` with `_file` set.
* DEF `$mk` nodes -> modsys properties (`mk_default`, `mk_force`, `mk_override`, `mk_before`,
  `mk_after`, `mk_order`, `mk_if`, `mk_merge`); `cfg` -> a thunk reading the final config along
  the path (item access); `eq`/`concat` -> thunks over their forced arguments; `name` -> the
  submodule name.

All JSON interpretation happens once, at load time: every node is compiled either into a
constant (a subtree that reads neither `config` nor `name`, shared by every call of the module
function) or into a small `_Dyn` node that, when the module function is called, rebuilds only
the parts that must close over this evaluation's `config` (the `cfg` thunks and the containers
on their path). Calling a module function therefore costs a handful of dict copies, so a
benchmark measures the engine and not the adapter.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import modsys
from modsys import types
from modsys.lazy import is_thunk

FORMAT = "nix-anchor-workload/1"


class _Dyn:
    """A compiled DEF node that depends on the module's `config` or `name` argument.

    Everything else compiles to a plain constant, shared by every call of the module function;
    a `_Dyn` node rebuilds only itself and the containers on its path. Slotted objects and
    templates (rather than one closure per key) keep the compiled workload small, which matters
    because the garbage collector walks it on every full collection during evaluation.
    """

    __slots__ = ()

    def build(self, config: Any, name: Any) -> Any:
        raise NotImplementedError


def _build(node: Any, config: Any, name: Any) -> Any:
    return node.build(config, name) if isinstance(node, _Dyn) else node


class _DynDict(_Dyn):
    __slots__ = ("keys", "nodes", "template")

    def __init__(self, template: dict[str, Any], keys: tuple[str, ...], nodes: tuple[_Dyn, ...]):
        self.template = template  # the constants; placeholders (None) at the dynamic keys
        self.keys = keys
        self.nodes = nodes

    def build(self, config: Any, name: Any) -> Any:
        d = self.template.copy()
        for k, n in zip(self.keys, self.nodes, strict=True):
            d[k] = n.build(config, name)
        return d


class _DynList(_Dyn):
    __slots__ = ("index", "nodes", "template")

    def __init__(self, template: list[Any], index: tuple[int, ...], nodes: tuple[_Dyn, ...]):
        self.template = template
        self.index = index
        self.nodes = nodes

    def build(self, config: Any, name: Any) -> Any:
        items = self.template.copy()
        for i, n in zip(self.index, self.nodes, strict=True):
            items[i] = n.build(config, name)
        return items


class _DynProp(_Dyn):
    """A property (`mk_default`, `mk_force`, ...) around dynamic content."""

    __slots__ = ("content", "make")

    def __init__(self, make: Callable[[Any], Any], content: _Dyn) -> None:
        self.make = make
        self.content = content

    def build(self, config: Any, name: Any) -> Any:
        return self.make(self.content.build(config, name))


class _DynIf(_Dyn):
    __slots__ = ("condition", "content")

    def __init__(self, condition: Any, content: Any) -> None:
        self.condition = condition
        self.content = content

    def build(self, config: Any, name: Any) -> Any:
        return modsys.mk_if(
            _build(self.condition, config, name), _build(self.content, config, name)
        )


class _Cfg(_Dyn):
    """`config.a.b...`: a thunk reading the final config along the path."""

    __slots__ = ("path",)

    def __init__(self, path: tuple[str, ...]) -> None:
        self.path = path

    def build(self, config: Any, name: Any) -> Any:
        path = self.path
        return lambda: _read(config, path)


class _Expr(_Dyn):
    """`eq` / `concat` over dynamic arguments: a thunk over the built arguments."""

    __slots__ = ("args", "fn")

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.fn = fn
        self.args = args

    def build(self, config: Any, name: Any) -> Any:
        fn = self.fn
        vals = [_build(a, config, name) for a in self.args]
        return lambda: fn(*vals)


class _Name(_Dyn):
    __slots__ = ()

    def build(self, config: Any, name: Any) -> Any:
        return name


class _DynOption(_Dyn):
    """`mk_option(...)` whose default is dynamic (uses the submodule's `name`)."""

    __slots__ = ("default", "kw")

    def __init__(self, kw: dict[str, Any], default: _Dyn) -> None:
        self.kw = kw
        self.default = default

    def build(self, config: Any, name: Any) -> Any:
        return modsys.mk_option(default=self.default.build(config, name), **self.kw)


def _force(value: Any) -> Any:
    """Force a thunk (the engine's notion: a zero-argument callable), repeatedly."""
    while is_thunk(value):
        value = value()
    return value


def _deep(value: Any) -> Any:
    """Force thunks at every depth and turn config attribute sets into plain dicts."""
    value = _force(value)
    if isinstance(value, Mapping):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_deep(v) for v in value]
    return value


def _read(config: Any, path: tuple[str, ...]) -> Any:
    v = config
    for k in path:
        v = v[k]
    return v


def _nix_equal(a: Any, b: Any) -> bool:
    """Nix `==` on forced data: like Python's, except that a bool never equals a number."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_nix_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_nix_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _eq(a: Any, b: Any) -> bool:
    return _nix_equal(_deep(a), _deep(b))


def _concat(*args: Any) -> Any:
    return functools.reduce(operator.add, (_force(a) for a in args))


# --- DEF -> values ------------------------------------------------------------------------


def _mapping(items: list[tuple[str, Any]]) -> Any:
    """A dict of compiled nodes: a constant, or a template with its dynamic keys."""
    dyn = [(k, n) for k, n in items if isinstance(n, _Dyn)]
    template = {k: (None if isinstance(n, _Dyn) else n) for k, n in items}
    if not dyn:
        return template
    return _DynDict(template, tuple(k for k, _ in dyn), tuple(n for _, n in dyn))


def compile_def(x: Any) -> Any:
    """Compile one DEF node (plain JSON data with `$mk` nodes): a constant or a `_Dyn`."""
    if type(x) is dict:
        if "$mk" in x:
            return _compile_mk(x)
        return _mapping([(k, compile_def(v)) for k, v in x.items()])
    if type(x) is list:
        nodes = [compile_def(v) for v in x]
        index = tuple(i for i, n in enumerate(nodes) if isinstance(n, _Dyn))
        template = [None if isinstance(n, _Dyn) else n for n in nodes]
        if not index:
            return template
        return _DynList(template, index, tuple(nodes[i] for i in index))
    return x


def _prop(make: Callable[[Any], Any], content: Any) -> Any:
    if isinstance(content, _Dyn):
        return _DynProp(make, content)
    return make(content)


def _compile_mk(x: dict[str, Any]) -> Any:
    kind = x["$mk"]
    if kind == "default":
        return _prop(modsys.mk_default, compile_def(x["content"]))
    if kind == "force":
        return _prop(modsys.mk_force, compile_def(x["content"]))
    if kind == "override":
        return _prop(
            functools.partial(modsys.mk_override, x["priority"]), compile_def(x["content"])
        )
    if kind == "before":
        return _prop(modsys.mk_before, compile_def(x["content"]))
    if kind == "after":
        return _prop(modsys.mk_after, compile_def(x["content"]))
    if kind == "order":
        return _prop(functools.partial(modsys.mk_order, x["priority"]), compile_def(x["content"]))
    if kind == "if":
        cond = compile_def(x["condition"])
        content = compile_def(x["content"])
        if isinstance(cond, _Dyn) or isinstance(content, _Dyn):
            return _DynIf(cond, content)
        return modsys.mk_if(cond, content)
    if kind == "merge":
        contents = compile_def(list(x["contents"]))
        return _prop(modsys.mk_merge, contents)
    if kind == "cfg":
        return _Cfg(tuple(x["path"]))
    if kind == "eq":
        a, b = (compile_def(v) for v in x["args"])
        return _expr(_eq, (a, b))
    if kind == "concat":
        return _expr(_concat, tuple(compile_def(v) for v in x["args"]))
    if kind == "name":
        return _Name()
    raise ValueError(f"unknown $mk node {kind!r}")


def _expr(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """A lazy expression: a thunk computing `fn` of its (forced) arguments."""
    if any(isinstance(a, _Dyn) for a in args):
        return _Expr(fn, args)
    return lambda: fn(*args)


# --- OPTTREE / TYPE -----------------------------------------------------------------------


_SIMPLE_TYPES = {
    "str": types.str,
    "int": types.int,
    "bool": types.bool,
    "attrs": types.attrs,
    "anything": types.anything,
}


def compile_type(t: Mapping[str, Any]) -> Any:
    kind = t["type"]
    if kind in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[kind]
    if kind == "listOf":
        return types.list_of(compile_type(t["elemType"]))
    if kind == "attrsOf":
        return types.attrs_of(compile_type(t["elemType"]))
    if kind == "nullOr":
        return types.null_or(compile_type(t["elemType"]))
    if kind == "submodule":
        tree = _compile_opttree(t["options"])
        if not isinstance(tree, _Dyn):
            return types.submodule({"options": tree})

        def submodule_module(name: str) -> dict[str, Any]:
            return {"options": tree.build(None, name)}

        return types.submodule(submodule_module)
    raise ValueError(f"unknown workload type {kind!r}")


def _compile_opttree(tree: Mapping[str, Any]) -> Any:
    """OPTTREE -> a (possibly `name`-dependent) tree of `mk_option` declarations."""
    items: list[tuple[str, Any]] = []
    for k, v in tree.items():
        if "$option" not in v:
            items.append((k, _compile_opttree(v)))
            continue
        o = v["$option"]
        kw: dict[str, Any] = {"type": compile_type(o["type"])}
        if "description" in o:
            kw["description"] = o["description"]
        default = compile_def(o["default"]) if "default" in o else NO_DEFAULT
        if default is NO_DEFAULT:
            items.append((k, modsys.mk_option(**kw)))
        elif isinstance(default, _Dyn):
            items.append((k, _DynOption(kw, default)))
        else:
            items.append((k, modsys.mk_option(default=default, **kw)))
    return _mapping(items)


NO_DEFAULT: Any = object()


# --- modules ------------------------------------------------------------------------------


def _module_function(file: str, options: Any, config: Any) -> Callable[..., Any]:
    if isinstance(config, _Dyn):
        build = config.build

        def module(config: Any) -> dict[str, Any]:
            m = {"_file": file, "config": build(config, None)}
            if options is not None:
                m["options"] = options
            return m

    else:
        const = {"_file": file, "config": config}
        if options is not None:
            const["options"] = options

        def module(config: Any) -> dict[str, Any]:
            return const

    module.__qualname__ = module.__name__ = f"module<{file}>"
    return module


def workload_modules(data: Mapping[str, Any]) -> list[Callable[..., Any]]:
    """The modsys modules of a parsed workload document, in order."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document (format: {data.get('format')!r})")
    out = []
    for m in data["modules"]:
        options = None
        if "options" in m:
            options = _compile_opttree(m["options"])
            if isinstance(options, _Dyn):
                raise ValueError(f"{m['file']}: top-level option declarations may not use `name`")
        out.append(_module_function(m["file"], options, compile_def(m.get("config", {}))))
    return out


def load_workload(path: str | Path) -> list[Callable[..., Any]]:
    """Read `workload-N.json` and return its modules."""
    with open(path, encoding="utf-8") as f:
        return workload_modules(json.load(f))


__all__ = ["FORMAT", "compile_def", "compile_type", "load_workload", "workload_modules"]
