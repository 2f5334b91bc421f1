"""The content-addressed chart cache on disk.

Layout under the cache directory (`$MODSYS_CACHE_DIR`, else `$XDG_CACHE_HOME/modsys`, else
`~/.cache/modsys`):

- `charts/sha256/<hex>.tgz`: archives, named by the sha256 of their bytes, so a file is valid
  by construction and two refs to the same bytes share it;
- `charts/refs/<hex>.json`: which archive a (repository, name, version) resolved to, so a
  second fetch without a lock file still makes no request;
- `renders/`: rendered charts (see `render_cache.py`).

Every file is written atomically; a damaged archive (its name no longer matches its bytes) is
ignored and fetched again.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from modsys.charts.atomic import write_atomic
from modsys.charts.digests import bytes_sha256, canonical_json, file_sha256
from modsys.charts.errors import ChartError
from modsys.charts.ref import ChartRef


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$MODSYS_CACHE_DIR`, else `$XDG_CACHE_HOME/modsys`, else `~/.cache/modsys`."""
    env = os.environ if environ is None else environ
    if env.get("MODSYS_CACHE_DIR"):
        return Path(env["MODSYS_CACHE_DIR"]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "modsys"
    return Path("~/.cache/modsys").expanduser()


@attrs.frozen
class CachedRef:
    """What a repository ref resolved to when it was last downloaded."""

    sha256: str
    url: str | None


@attrs.frozen
class ChartCache:
    """Archives by digest, and the refs that resolved to them."""

    root: Path = attrs.field(converter=Path)

    @classmethod
    def default(cls) -> ChartCache:
        return cls(default_cache_dir())

    def archive_path(self, sha256: str) -> Path:
        return self.root / "charts" / "sha256" / f"{sha256}.tgz"

    def archive(self, sha256: str) -> Path | None:
        """The cached archive with this digest, if present and intact."""
        path = self.archive_path(sha256)
        if path.is_file() and file_sha256(path) == sha256:
            return path
        return None

    def put_archive(self, data: bytes) -> tuple[str, Path]:
        """Store archive bytes; returns their digest and where they now are."""
        sha = bytes_sha256(data)
        path = self.archive_path(sha)
        if self.archive(sha) is None:  # absent, or damaged since it was written
            try:
                write_atomic(path, data)
            except OSError as exc:
                raise ChartError(
                    f"cannot write to the chart cache {self.root}: {exc.strerror or exc} "
                    "(set MODSYS_CACHE_DIR to a writable folder)"
                ) from None
        return sha, path

    def _ref_path(self, ref: ChartRef) -> Path:
        key = canonical_json([ref.repository, ref.name, ref.version])
        return self.root / "charts" / "refs" / f"{bytes_sha256(key.encode())}.json"

    def lookup(self, ref: ChartRef) -> CachedRef | None:
        try:
            data = json.loads(self._ref_path(ref).read_text())
            return CachedRef(str(data["sha256"]), data.get("url"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, ref: ChartRef, sha256: str, url: str | None) -> None:
        """Record what `ref` resolved to (best effort: the lock file is the real record)."""
        record = {
            "repository": ref.repository,
            "name": ref.name,
            "version": ref.version,
            "sha256": sha256,
            "url": url,
        }
        with contextlib.suppress(OSError):
            write_atomic(self._ref_path(ref), (canonical_json(record) + "\n").encode())
