"""The engine's import graph: no edge into the Kubernetes product, and no cycle.

Every `import` / `from ... import` statement counts, wherever it is (inside functions too),
except those under `if TYPE_CHECKING:` (they never run).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "modsys"

#: The engine is the package's top-level modules; the Kubernetes product is every subpackage
#: (`kube`, `platform`, `render`, `charts`, `secrets`, `review`, `builders`, `cli`, …) and these.
PRODUCT_MODULES = ("modsys.bundled", "modsys.__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_product(name: str) -> bool:
    if name in PRODUCT_MODULES:
        return True
    parts = name.split(".")
    return len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir())


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in `tree`, skipping the bodies of `if TYPE_CHECKING:`."""
    out: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(node)
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The `modsys` modules that module `name` imports (a package's submodule named in
    `from package import name` counts as that submodule)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
            base = None
        else:
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            targets = [base]
        for target in targets:
            if target.split(".")[0] != "modsys":
                continue
            if isinstance(node, ast.ImportFrom):
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
                if subs:
                    out.update(subs)
                    if len(subs) == len(node.names):
                        continue
            # the longest known module that the dotted name starts with
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target:
                out.add(target)
    out.discard(name)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def engine_graph() -> dict[str, set[str]]:
    graph = import_graph()
    return {
        name: {t for t in targets if not is_product(t)}
        for name, targets in graph.items()
        if not is_product(name)
    }


def test_the_graph_sees_imports_inside_functions_and_skips_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from modsys import types\n"
        "if TYPE_CHECKING:\n"
        "    from modsys.evaluation import Evaluation\n"
        "def f():\n"
        "    import modsys.kube.validate\n"
        "    from . import options\n"
        "    from .module import load_file\n",
        encoding="utf-8",
    )
    known = set(_modules())
    assert imports_of("modsys.example", source, known) == {
        "modsys.types",
        "modsys.kube.validate",
        "modsys.options",
        "modsys.module",
    }
    # `modsys/__init__.py` imports its names under TYPE_CHECKING (and lazily at run time)
    assert not import_graph()["modsys"]


def test_the_engine_imports_nothing_from_the_product() -> None:
    graph = import_graph()
    bad = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if not is_product(name)
        for target in targets
        if is_product(target)
    )
    assert not bad, "the engine must not depend on the Kubernetes product:\n" + "\n".join(bad)


def test_the_engine_has_no_import_cycle() -> None:
    cycle = find_cycle(engine_graph())
    assert cycle is None, "import cycle in the engine: " + " -> ".join(cycle or ())


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a2"}, "a2": set(), "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_find_cycle(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_the_split_keeps_the_public_names() -> None:
    import modsys
    from modsys import evaluation, option, views

    assert evaluation.Option is option.Option is modsys.Option
    assert evaluation.ConfigView is views.ConfigView is modsys.ConfigView
    assert evaluation.OptionsView is views.OptionsView is modsys.OptionsView
    assert evaluation.Evaluation is modsys.Evaluation
    assert evaluation.eval_modules is modsys.eval_modules


def test_submodule_types_work_when_only_the_types_were_imported_first() -> None:
    """The evaluation registers itself with the types on import; a fresh interpreter that builds
    a submodule type before importing anything else still evaluates it."""
    code = (
        "from modsys import types\n"
        "sub = types.submodule({'options': {'x': __import__('modsys').mk_option(default=1)}})\n"
        "from modsys import eval_modules, mk_option\n"
        "ev = eval_modules([{'options': {'s': mk_option(type=sub, default={})}}])\n"
        "assert ev.to_dict() == {'s': {'x': 1}}, ev.to_dict()\n"
        "assert sub.description == 'submodule'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
