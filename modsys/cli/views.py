"""`modsys dump`'s focused views: `--path` subtrees, `--changed`, and what they fold.

The generic parts (narrowing to paths, folding computed outputs, keeping what differs from the
defaults) are `modsys.dump`'s; this module adds the Kubernetes product's policy for `--changed`:
Kubernetes objects that a module built whole (with their `apiVersion`: CRD bodies, thousands of
lines of schema, and the objects a project generates from its options) fold to one line
(`… CustomResourceDefinition, 1,234 lines, --full to show`); the options they were built from
are in the view, and `plan`, `render` and `diff` show the objects. What a module writes itself
in a bundle's `resources` (no `apiVersion`: the platform completes it) stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

CRD_KIND = "CustomResourceDefinition"


def object_fold(attrs: Mapping[str, Any], path: tuple[Any, ...]) -> str | None:
    """The fold rule of `--changed`: a complete Kubernetes object (in a manifests list, or an
    entry of a bundle's `resources.<Kind>` with its `apiVersion`) folds, called by its kind; so
    does any CRD with a body."""
    kind = attrs.get("kind")
    in_resources = len(path) >= 3 and path[-3] == "resources" and isinstance(path[-2], str)
    if in_resources and not isinstance(kind, str):
        kind = path[-2]
    if not isinstance(kind, str):
        return None
    if kind == CRD_KIND and "spec" in attrs:
        return CRD_KIND
    if isinstance(attrs.get("apiVersion"), str) and isinstance(attrs.get("metadata"), Mapping):
        return kind
    return None


def dump_view(
    ev: Any,
    paths: Sequence[Sequence[str]] = (),
    *,
    changed: bool = False,
    full: bool = False,
    annotate: bool = False,
    as_json: bool = False,
    show_secrets: bool = False,
    show_file: Callable[[str], str] = str,
) -> str:
    """The text `modsys dump` prints.

    `paths` narrows the dump to those subtrees (each under its full path); `changed` keeps
    what differs from the option defaults; computed outputs (the plan, the file list) fold to
    one line, and with `changed` so do complete Kubernetes objects (`object_fold`), unless
    `full`.
    """
    from modsys.cli.common import secret_fields
    from modsys.dump import (
        changed_only,
        fold,
        paths_tree,
        plain,
        provenance_notes,
        select,
        to_json,
        to_yaml,
    )

    hide = secret_fields()
    for p in paths:  # a path that is not there fails here, saying what is
        select(ev.config, p, show_secrets=show_secrets, hide=hide)
    only = paths_tree(paths)
    data = plain(
        ev.config, show_secrets=show_secrets, hide=hide, only=only, fold_computed=not full
    )
    if changed:
        data = changed_only(ev.config, data, asked=paths)
        if not full:
            data = fold(data, object_fold)
    if as_json:
        if annotate:
            notes = provenance_notes(ev, data, show_file)
            return to_json({"value": data, "notes": _notes_data(notes)}) + "\n"
        return to_json(data) + "\n"
    return to_yaml(data, provenance_notes(ev, data, show_file) if annotate else None)


def _notes_data(notes: Mapping[tuple[Any, ...], str]) -> dict[str, str]:
    """Provenance notes as JSON can hold them: by dotted option path."""
    from modsys.show import show_option

    return {show_option([str(p) for p in path]): note for path, note in notes.items()}


@contextmanager
def with_path_hint() -> Iterator[None]:
    """A module argument that is no module but looks like an option path (`projects.shop`)
    is a usage error that points at `--path`."""
    from modsys.cli.resolve import ModuleNotFound

    try:
        yield
    except ModuleNotFound as exc:
        arg = exc.arg
        if "/" in arg or "." not in arg or Path(arg).suffix in (".py", ".yaml", ".yml", ".json"):
            raise
        raise click.UsageError(
            f"{exc}\n(to print the subtree at `{arg}', give it with --path: --path {arg})"
        ) from None
