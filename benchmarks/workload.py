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
constant (a subtree that reads neither `config` nor `name`, shared by every call) or into a
small builder closure `build(config, name)` that only re-creates the parts that must close over
this evaluation's `config`. Calling a module function therefore costs a handful of dict
constructions, so a benchmark measures the engine and not the adapter.
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

Builder = Callable[[Any, Any], Any]  # (config, name) -> value


class _Node:
    """A compiled DEF node: either a constant or a builder closure."""

    __slots__ = ("build", "const", "is_const")

    def __init__(self, const: Any = None, build: Builder | None = None) -> None:
        self.is_const = build is None
        self.const = const
        self.build = build


def _const(value: Any) -> _Node:
    return _Node(const=value)


def _dyn(build: Builder) -> _Node:
    return _Node(build=build)


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


# --- DEF -> values ------------------------------------------------------------------------


def _compile_list(items: list[Any]) -> list[_Node]:
    return [compile_def(x) for x in items]


def _wrap(node: _Node, make: Callable[[Any], Any]) -> _Node:
    """A property around one compiled content."""
    if node.is_const:
        return _const(make(node.const))
    inner = node.build
    assert inner is not None
    return _dyn(lambda config, name: make(inner(config, name)))


def compile_def(x: Any) -> _Node:
    """Compile one DEF node (plain JSON data with `$mk` nodes)."""
    if isinstance(x, dict):
        if "$mk" in x:
            return _compile_mk(x)
        items = [(k, compile_def(v)) for k, v in x.items()]
        if all(n.is_const for _, n in items):
            return _const({k: n.const for k, n in items})
        parts = [(k, n.is_const, n.const, n.build) for k, n in items]

        def build_dict(config: Any, name: Any) -> Any:
            return {k: (c if ic else b(config, name)) for k, ic, c, b in parts}  # type: ignore[misc]

        return _dyn(build_dict)
    if isinstance(x, list):
        nodes = _compile_list(x)
        if all(n.is_const for n in nodes):
            return _const([n.const for n in nodes])
        parts = [(n.is_const, n.const, n.build) for n in nodes]

        def build_list(config: Any, name: Any) -> Any:
            return [c if ic else b(config, name) for ic, c, b in parts]  # type: ignore[misc]

        return _dyn(build_list)
    return _const(x)


def _compile_mk(x: dict[str, Any]) -> _Node:
    kind = x["$mk"]
    if kind == "default":
        return _wrap(compile_def(x["content"]), modsys.mk_default)
    if kind == "force":
        return _wrap(compile_def(x["content"]), modsys.mk_force)
    if kind == "override":
        prio = x["priority"]
        return _wrap(compile_def(x["content"]), lambda c: modsys.mk_override(prio, c))
    if kind == "before":
        return _wrap(compile_def(x["content"]), modsys.mk_before)
    if kind == "after":
        return _wrap(compile_def(x["content"]), modsys.mk_after)
    if kind == "order":
        oprio = x["priority"]
        return _wrap(compile_def(x["content"]), lambda c: modsys.mk_order(oprio, c))
    if kind == "if":
        cond = compile_def(x["condition"])
        content = compile_def(x["content"])
        if cond.is_const and content.is_const:
            return _const(modsys.mk_if(cond.const, content.const))
        cb = cond.build if not cond.is_const else (lambda c, n, v=cond.const: v)
        xb = content.build if not content.is_const else (lambda c, n, v=content.const: v)
        return _dyn(lambda config, name: modsys.mk_if(cb(config, name), xb(config, name)))
    if kind == "merge":
        lst = compile_def(list(x["contents"]))
        return _wrap(lst, modsys.mk_merge)
    if kind == "cfg":
        path = tuple(x["path"])

        def build_cfg(config: Any, name: Any) -> Any:
            return lambda: _read(config, path)

        return _dyn(build_cfg)
    if kind == "eq":
        a, b = (compile_def(v) for v in x["args"])
        return _expr(lambda va, vb: _deep(va) == _deep(vb), [a, b])
    if kind == "concat":
        args = _compile_list(x["args"])
        return _expr(lambda *vs: functools.reduce(operator.add, (_force(v) for v in vs)), args)
    if kind == "name":
        return _dyn(lambda config, name: name)
    raise ValueError(f"unknown $mk node {kind!r}")


def _expr(fn: Callable[..., Any], args: list[_Node]) -> _Node:
    """A lazy expression: a thunk computing `fn` of its (forced) arguments."""
    if all(n.is_const for n in args):
        consts = [n.const for n in args]
        return _const(lambda: fn(*consts))
    parts = [(n.is_const, n.const, n.build) for n in args]

    def build_expr(config: Any, name: Any) -> Any:
        vals = [c if ic else b(config, name) for ic, c, b in parts]  # type: ignore[misc]
        return lambda: fn(*vals)

    return _dyn(build_expr)


# --- OPTTREE / TYPE -----------------------------------------------------------------------


def compile_type(t: Mapping[str, Any]) -> Any:
    kind = t["type"]
    simple = {
        "str": types.str,
        "int": types.int,
        "bool": types.bool,
        "attrs": types.attrs,
        "anything": types.anything,
    }
    if kind in simple:
        return simple[kind]
    if kind == "listOf":
        return types.list_of(compile_type(t["elemType"]))
    if kind == "attrsOf":
        return types.attrs_of(compile_type(t["elemType"]))
    if kind == "nullOr":
        return types.null_or(compile_type(t["elemType"]))
    if kind == "submodule":
        tree = _compile_opttree(t["options"])
        if tree.is_const:
            return types.submodule({"options": tree.const})
        build = tree.build
        assert build is not None

        def submodule_module(name: str) -> dict[str, Any]:
            return {"options": build(None, name)}  # type: ignore[misc]

        return types.submodule(submodule_module)
    raise ValueError(f"unknown workload type {kind!r}")


def _option_builder(kw: dict[str, Any], default: Builder | None) -> Builder:
    assert default is not None

    def build_option(config: Any, name: Any) -> Any:
        return modsys.mk_option(default=default(config, name), **kw)

    return build_option


def _compile_opttree(tree: Mapping[str, Any]) -> _Node:
    """OPTTREE -> a (possibly `name`-dependent) tree of `mk_option` declarations."""
    items: list[tuple[str, _Node]] = []
    for k, v in tree.items():
        if "$option" in v:
            o = v["$option"]
            kw: dict[str, Any] = {"type": compile_type(o["type"])}
            if "description" in o:
                kw["description"] = o["description"]
            dnode = compile_def(o["default"]) if "default" in o else None
            if dnode is None:
                items.append((k, _const(modsys.mk_option(**kw))))
            elif dnode.is_const:
                items.append((k, _const(modsys.mk_option(default=dnode.const, **kw))))
            else:
                items.append((k, _dyn(_option_builder(kw, dnode.build))))
        else:
            items.append((k, _compile_opttree(v)))
    if all(n.is_const for _, n in items):
        return _const({k: n.const for k, n in items})
    parts = [(k, n.is_const, n.const, n.build) for k, n in items]

    def build_tree(config: Any, name: Any) -> Any:
        return {k: (c if ic else b(config, name)) for k, ic, c, b in parts}  # type: ignore[misc]

    return _dyn(build_tree)


# --- modules ------------------------------------------------------------------------------


def _module_function(file: str, options: Any, config_node: _Node) -> Callable[..., Any]:
    if config_node.is_const:
        const_cfg = config_node.const

        def module(config: Any) -> dict[str, Any]:
            m = {"_file": file, "config": const_cfg}
            if options is not None:
                m["options"] = options
            return m

    else:
        build = config_node.build
        assert build is not None

        def module(config: Any) -> dict[str, Any]:
            m = {"_file": file, "config": build(config, None)}  # type: ignore[misc]
            if options is not None:
                m["options"] = options
            return m

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
            tree = _compile_opttree(m["options"])
            if not tree.is_const:
                raise ValueError(f"{m['file']}: top-level option declarations may not use `name`")
            options = tree.const
        out.append(_module_function(m["file"], options, compile_def(m.get("config", {}))))
    return out


def load_workload(path: str | Path) -> list[Callable[..., Any]]:
    """Read `workload-N.json` and return its modules."""
    with open(path, encoding="utf-8") as f:
        return workload_modules(json.load(f))


__all__ = ["FORMAT", "compile_def", "compile_type", "load_workload", "workload_modules"]
