"""From a `ChartRef` to a chart on local disk, pinned in the lock file.

Where a chart is looked for, in order:

1. a local `path`: used where it is;
2. the offline mirrors (`<name>-<version>.tgz`), in the order given;
3. the content-addressed cache (by the digest the lock file pins, else the one the cache
   remembers for the ref);
4. the network (the repository's `index.yaml`, or the OCI registry), unless `network=False`;
   the download goes into the cache.

Whatever the source, the archive's sha256 is checked against the lock file before anything
is written (a mismatch raises `ChartDigestMismatch`), and the archive's `Chart.yaml` must name
the chart and version asked for. Pins are kept in the `LockFile` object; the caller saves it
once the plan has succeeded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import attrs

from modsys.charts.cache import ChartCache
from modsys.charts.digests import bytes_sha256, chart_sha256, file_sha256
from modsys.charts.errors import ChartError, ChartUnavailable
from modsys.charts.lock import LockFile
from modsys.charts.metadata import ChartMetadata, read_metadata
from modsys.charts.mirrors import find_in_mirrors
from modsys.charts.ref import ChartRef
from modsys.charts.repository import RepositoryClient

Source = Literal["path", "mirror", "cache", "network"]


@attrs.frozen
class FetchedChart:
    """A chart on local disk: an archive, or a directory for a local chart directory.

    `sha256` is the archive's digest (a directory's tree digest, see `digests.py`); it is what
    `index.json` records and what the render cache is keyed by. `source` says where it was
    found this time, `url` where its bytes originally came from when that is known.
    """

    ref: ChartRef
    name: str
    version: str
    path: Path
    sha256: str
    source: Source
    url: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def _paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[Path, ...]:
    return tuple(Path(p) for p in paths)


@attrs.define
class ChartSource:
    """Fetches charts for one run: mirrors, cache, network, and the lock file that pins them."""

    cache: ChartCache
    lock: LockFile | None = None
    mirrors: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    network: bool = True
    client: RepositoryClient = attrs.Factory(RepositoryClient)
    _fetched: dict[ChartRef, FetchedChart] = attrs.field(factory=dict, repr=False)

    def fetch(self, ref: ChartRef) -> FetchedChart:
        """The chart `ref` names, on disk; `ChartUnavailable` when it can be had from nowhere."""
        if ref not in self._fetched:
            fetched = self._local(ref) if ref.path is not None else self._remote(ref)
            self._fetched[ref] = fetched
        return self._fetched[ref]

    # --- local charts ------------------------------------------------------------------

    def _local(self, ref: ChartRef) -> FetchedChart:
        assert ref.path is not None
        if not ref.path.exists():
            raise ChartError(f"chart path {ref.path} does not exist")
        meta = read_metadata(ref.path)
        _check_identity(ref, meta, str(ref.path))
        sha = chart_sha256(ref.path)
        if ref.path.is_file() and self.lock is not None:
            self.lock.pin(ref, meta.name, meta.version, sha, None)
        return FetchedChart(ref, meta.name, meta.version, ref.path, sha, "path")

    # --- charts from a repository ------------------------------------------------------

    def _remote(self, ref: ChartRef) -> FetchedChart:
        assert ref.name and ref.version
        pinned = self.lock.get(ref, ref.name, ref.version) if self.lock is not None else None
        mirrored = find_in_mirrors(self.mirrors, ref.name, ref.version)
        if mirrored is not None:
            url = pinned.url if pinned is not None else None
            return self._accept(ref, mirrored, file_sha256(mirrored), "mirror", url)
        known = pinned or self.cache.lookup(ref)  # a lock entry, else what the cache recalls
        cached = self.cache.archive(known.sha256) if known is not None else None
        if cached is not None and known is not None:
            return self._accept(ref, cached, known.sha256, "cache", known.url)
        if not self.network:
            raise ChartUnavailable(self._nowhere(ref, "the network is not used"))
        try:
            download = self.client.download(ref)
        except ChartUnavailable as exc:
            raise type(exc)(self._nowhere(ref, exc.message)) from None
        sha = bytes_sha256(download.data)
        self._verify(ref, sha)  # before anything is written
        sha, path = self.cache.put_archive(download.data)
        fetched = self._accept(ref, path, sha, "network", download.url)
        self.cache.remember(ref, sha, download.url)
        return fetched

    def _verify(self, ref: ChartRef, sha: str) -> None:
        if self.lock is not None:
            assert ref.name and ref.version
            self.lock.verify(ref, ref.name, ref.version, sha)

    def _accept(
        self, ref: ChartRef, path: Path, sha: str, source: Source, url: str | None
    ) -> FetchedChart:
        self._verify(ref, sha)
        meta = read_metadata(path)
        _check_identity(ref, meta, f"{source} archive {path}")
        if self.lock is not None:
            self.lock.pin(ref, meta.name, meta.version, sha, url)
        return FetchedChart(ref, meta.name, meta.version, path, sha, source, url)

    def _nowhere(self, ref: ChartRef, network: str) -> str:
        mirrors = ", ".join(str(m) for m in self.mirrors) or "none given"
        return (
            f"chart {ref.name} {ref.version} from {ref.repository} is not available: not in "
            f"the chart mirrors ({mirrors}), not in the cache ({self.cache.root}), and "
            f"{network}"
        )


def _check_identity(ref: ChartRef, meta: ChartMetadata, where: str) -> None:
    wrong = (ref.name and ref.name != meta.name) or (ref.version and ref.version != meta.version)
    if wrong:
        raise ChartError(
            f"{where} holds chart {meta.name} {meta.version}, not "
            f"{ref.name or meta.name} {ref.version or meta.version}"
        )
