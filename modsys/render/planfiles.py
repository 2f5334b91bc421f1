"""Extra files that targets and projects contribute (`plan.files`), added to every format.

Their paths are written by people, not derived, so a path that could leave the output directory
or that clashes with a rendered file is an error rather than something to rename silently.
"""

from __future__ import annotations

from modsys.errors import ValidationError
from modsys.render.model import RenderInput
from modsys.render.naming import check_relpaths, tree_conflicts


def add_plan_files(
    files: dict[str, bytes], plan: RenderInput, reserved: tuple[str, ...] = ()
) -> dict[str, bytes]:
    """Add `plan.files` to `files`; `reserved` names files the renderer writes afterwards."""
    check_relpaths(sorted(plan.files), "files")
    taken = [*files, *reserved]
    clashes = sorted(
        {p for p in plan.files if p in taken} | set(tree_conflicts([*taken, *plan.files]))
    )
    if clashes:
        raise ValidationError(
            "extra files clash with rendered files: " + ", ".join(clashes),
            [f"files: {p!r} is also a rendered file" for p in clashes],
        )
    for path in sorted(plan.files):
        files[path] = plan.files[path].text.encode()
    return files


def executable_files(plan: RenderInput) -> frozenset[str]:
    return frozenset(p for p, f in plan.files.items() if f.executable)


def names_under(plan: RenderInput, directory: str) -> set[str]:
    """First path segments below `directory/` that plan files use, so renderers avoid them."""
    prefix = directory.rstrip("/") + "/"
    return {p[len(prefix) :].split("/", 1)[0] for p in plan.files if p.startswith(prefix)}
