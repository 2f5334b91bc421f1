"""The option type of a file path written relative to the module that defines it.

Like a Nix path literal (`./sealed-secrets.pem`): a relative path in a module file means the
file next to that module, wherever modsys runs from. A relative path from the command line
(`--set`), or from a definition without a file, stays relative to the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from modsys import types as t
from modsys.merge import Def, merge_equal


def _base_dir(file: str) -> Path | None:
    path = Path(file)
    return path.resolve().parent if path.is_file() else None


def _resolved(d: Def) -> Def:
    value = os.fspath(d.value)
    base = _base_dir(d.file)
    if base is not None and not os.path.isabs(value):
        value = os.path.normpath(base / value)
    return Def(d.file, value, d.line, d.lines)


def _merge(loc: Sequence[str], defs: Sequence[Def]) -> Any:
    return merge_equal(loc, [_resolved(d) for d in defs])


file_path = t._Simple(
    "filePath",
    "path to a file (relative: to the defining module's folder)",
    lambda v: isinstance(v, (PurePath, str)) and str(v) != "",
    _merge,
)
"""A path to a file; a relative one is taken from the folder of the module that defines it."""

__all__ = ["file_path"]
