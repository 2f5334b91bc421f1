"""Content digests: what the lock file pins and what both caches are keyed by.

A packaged chart is one file, so its digest is the sha256 of its bytes, the same number Helm
repository indexes carry. A chart directory has no single byte stream; its digest is the
sha256 of a sorted listing of (relative path, sha256 of the file), so it changes exactly when
a file is added, removed, renamed or edited, and not with timestamps or walk order.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def tree_sha256(root: Path) -> str:
    """The digest of a directory: every regular file below it, by relative path and content."""
    listing: list[tuple[str, str]] = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = Path(dirpath, name)
            if full.is_file():
                listing.append((full.relative_to(root).as_posix(), file_sha256(full)))
    return bytes_sha256("".join(f"{digest}  {rel}\n" for rel, digest in sorted(listing)).encode())


def chart_sha256(path: Path) -> str:
    """The digest of a chart, packaged (`.tgz`) or a directory."""
    return tree_sha256(path) if path.is_dir() else file_sha256(path)


def canonical_json(data: Any) -> str:
    """One text per value: sorted keys, no insignificant whitespace (for cache keys)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
