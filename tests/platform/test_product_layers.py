"""The Kubernetes product's layers import each other in one direction only.

    secrets ◄── kube ◄── builders ◄── platform ◄── render.pipeline ──► render (the renderers)
                                                       ▲
                                                      cli

Imports inside functions count: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "modsys"


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names), at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# (layer folder, files of it left out, packages it must not import)
RULES = [
    ("secrets", (), ("modsys.kube", "modsys.builders", "modsys.platform", "modsys.render", "modsys.cli")),
    ("kube", (), ("modsys.builders", "modsys.platform", "modsys.render", "modsys.cli")),
    ("builders", (), ("modsys.platform", "modsys.render", "modsys.cli")),
    ("platform", (), ("modsys.render", "modsys.cli")),
    ("render", ("pipeline.py",), ("modsys.platform", "modsys.builders", "modsys.cli")),
    ("render", (), ("modsys.cli",)),
]


@pytest.mark.parametrize(("layer", "except_files", "forbidden"), RULES)
def test_layer_imports_point_one_way(layer, except_files, forbidden):
    bad = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        if path.name not in except_files
        for name in sorted(_imports(path))
        if any(_within(name, f) for f in forbidden)
    ]
    assert not bad, "\n".join(bad)


REPO = PACKAGE.parent
PUBLIC = {"modsys": "modsys", "modsys.platform.authoring": "modsys.platform.authoring"}


def _bundled_files() -> list[Path]:
    return sorted(
        path
        for folder in ("modules", "targets", "projects", "examples")
        for path in (REPO / folder).rglob("*.py")
    )


@pytest.mark.parametrize("path", _bundled_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_modules_use_only_the_public_module_author_api(path):
    """`modsys` and `modsys.platform.authoring`, and only names their `__all__` lists."""
    import importlib

    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if _within(a.name, "modsys")]
        elif isinstance(node, ast.ImportFrom) and node.module and _within(node.module, "modsys"):
            if node.module not in PUBLIC:
                bad.append(node.module)
                continue
            public = set(importlib.import_module(node.module).__all__)
            bad += [f"{node.module}.{a.name}" for a in node.names if a.name not in public]
    assert not bad, f"{path.relative_to(REPO)} imports non-public {', '.join(bad)}"


def test_the_module_author_api_is_documented():
    from modsys.platform import authoring

    assert authoring.__doc__
    for name in authoring.__all__:
        value = getattr(authoring, name)
        if callable(value) and not isinstance(value, type):
            assert value.__doc__, f"modsys.platform.authoring.{name} has no docstring"
