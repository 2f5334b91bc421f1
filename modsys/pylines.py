"""Line numbers for definitions in `.py` module files, read from the source's syntax tree.

A `.py` module's value is built at run time, so Python cannot say which line a key came from;
the syntax tree can, for the common shapes: `module = {...}` and `def module(...): return {...}`.
Calls wrapping a dict (`mk_force({...})`, `mk_if(c, {...})`) and thunks (`lambda: {...}`) are
looked through, like YAML tags; `set_at("a.b", {...})` (with a literal path) places its value at
`a.b`, and `**` spreads of such values inside a dict count as the dict's own keys.
"""

from __future__ import annotations

import ast
from typing import Any


def _set_at_path(node: ast.Call) -> tuple[str, ...] | None:
    """The literal path of a `set_at(path, value)` call (`modsys.set_at`), else None."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name != "set_at" or len(node.args) != 2 or node.keywords:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return tuple(arg.value.split(".")) if arg.value else ()
    if isinstance(arg, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in arg.elts
    ):
        return tuple(e.value for e in arg.elts)  # type: ignore[attr-defined]
    return None


def _walk(node: ast.AST, path: tuple, table: dict[tuple, int]) -> None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if k is None:  # `**spread`: its keys are this dict's
                _walk(v, path, table)
            elif isinstance(k, ast.Constant) and isinstance(k.value, str):
                sub = (*path, k.value)
                table.setdefault(sub, k.lineno)
                _walk(v, sub, table)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for i, elt in enumerate(node.elts):
            sub = (*path, i)
            table.setdefault(sub, elt.lineno)
            _walk(elt, sub, table)
    elif isinstance(node, ast.Call) and (at := _set_at_path(node)) is not None:
        for i in range(1, len(at) + 1):
            table.setdefault((*path, *at[:i]), node.args[0].lineno)
        _walk(node.args[1], (*path, *at), table)
    elif isinstance(node, ast.Call):
        for arg in node.args:
            if isinstance(arg, (ast.Dict, ast.List, ast.Call, ast.Lambda)):
                _walk(arg, path, table)
    elif isinstance(node, ast.Lambda):
        _walk(node.body, path, table)


def _module_value(tree: ast.Module) -> ast.AST | None:
    found: ast.AST | None = None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "module" for t in stmt.targets
        ):
            found = stmt.value
        elif isinstance(stmt, ast.FunctionDef) and stmt.name == "module":
            returns = [n for n in ast.walk(stmt) if isinstance(n, ast.Return) and n.value]
            found = returns[-1].value if returns else None
    return found


def definition_lines(source: str) -> dict[tuple, Any]:
    """Key path -> line of each literal key under the file's `module` value ({} if unknown)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    value = _module_value(tree)
    table: dict[tuple, int] = {}
    if value is not None:
        table[()] = getattr(value, "lineno", 1)
        _walk(value, (), table)
    return table
