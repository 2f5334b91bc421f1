"""Small charts written by the tests: each exercises one Helm behaviour the mirror lacks."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_chart(root: Path, files: dict[str, str]) -> Path:
    """A chart directory made of `files` (relative path -> text, dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root
