"""The lock file: the sha256 of every chart archive, pinned on first fetch, verified after.

A chart repository can serve different bytes behind the same version (a re-pushed tag, a
compromised mirror). Like a `Chart.lock`/`go.sum`, `modsys.lock` records what was fetched the
first time, and every later fetch must produce the same bytes or fail before anything is
rendered. The file is sorted YAML, so it is the same text for the same charts and diffs well.

Packaged charts are pinned, whether from a repository or a local `.tgz` (recorded relative to
the lock file when below its folder, so the file can be committed). Chart directories are not:
they are source in the user's own tree, under version control already, and change with every
edit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
import yaml

from modsys.charts.atomic import write_atomic
from modsys.charts.errors import ChartDigestMismatch, ChartError
from modsys.charts.ref import ChartRef

DEFAULT_LOCK_FILE = "modsys.lock"
FORMAT = 1

_HEADER = (
    "# modsys.lock: the sha256 of every chart archive modsys has fetched, pinned on first\n"
    "# fetch and verified on every later one. Commit it. To accept a changed archive, delete\n"
    "# its entry and fetch again.\n"
)

#: (repository or path as written in the file, chart name, chart version)
LockKey = tuple[str, str, str]


@attrs.frozen
class LockEntry:
    origin: str
    name: str
    version: str
    sha256: str
    url: str | None = None
    local: bool = False

    @property
    def key(self) -> LockKey:
        return (self.origin, self.name, self.version)

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path" if self.local else "repository": self.origin}
        data.update(name=self.name, version=self.version, sha256=self.sha256)
        if self.url:
            data["url"] = self.url
        return data


@attrs.define
class LockFile:
    """The pins of one lock file; changes are kept in memory until `save()`."""

    path: Path
    entries: dict[LockKey, LockEntry] = attrs.Factory(dict)
    changed: bool = False

    @classmethod
    def load(cls, path: str | os.PathLike[str] = DEFAULT_LOCK_FILE) -> LockFile:
        """The lock file at `path`; an absent file is an empty lock (written on first pin)."""
        path = Path(path).absolute()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise ChartError(f"cannot read the lock file {path}: {exc}") from None
        return cls(path, _parse(text, path))

    def origin(self, ref: ChartRef) -> str:
        """How the file spells the ref's repository or path."""
        if ref.path is None:
            assert ref.repository is not None
            return ref.repository
        try:
            return ref.path.relative_to(self.path.parent).as_posix()
        except ValueError:
            return ref.path.as_posix()

    def get(self, ref: ChartRef, name: str, version: str) -> LockEntry | None:
        return self.entries.get((self.origin(ref), name, version))

    def verify(self, ref: ChartRef, name: str, version: str, sha256: str) -> None:
        """Raise `ChartDigestMismatch` when the ref is pinned to another digest."""
        entry = self.get(ref, name, version)
        if entry is not None and entry.sha256 != sha256:
            raise ChartDigestMismatch(
                f"chart {name} {version} from {entry.origin}: the archive's sha256 is "
                f"{sha256}, but {self.path} pins {entry.sha256}. The archive behind this "
                f"version has changed; if that is expected, delete its entry from "
                f"{self.path.name} and fetch again.",
                expected=entry.sha256,
                actual=sha256,
            )

    def pin(self, ref: ChartRef, name: str, version: str, sha256: str, url: str | None) -> None:
        """Record a digest (verifying it first if the ref is pinned already)."""
        self.verify(ref, name, version, sha256)
        entry = LockEntry(self.origin(ref), name, version, sha256, url, ref.is_local)
        old = self.entries.get(entry.key)
        if old is None or (url and old.url != url):
            self.entries[entry.key] = entry
            self.changed = True

    def text(self) -> str:
        charts = [self.entries[k].as_data() for k in sorted(self.entries)]
        body = yaml.safe_dump(
            {"version": FORMAT, "charts": charts}, sort_keys=False, default_flow_style=False
        )
        return _HEADER + body

    def save(self) -> bool:
        """Write the file if anything was pinned since it was read; True when written."""
        if not self.changed:
            return False
        try:
            write_atomic(self.path, self.text().encode("utf-8"))
        except OSError as exc:
            raise ChartError(
                f"cannot write the lock file {self.path}: {exc.strerror or exc}"
            ) from None
        self.changed = False
        return True


def _parse(text: str, path: Path) -> dict[LockKey, LockEntry]:
    def bad(why: str) -> ChartError:
        return ChartError(f"{path} is not a modsys lock file: {why}")

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise bad(f"invalid YAML ({exc})") from None
    if not isinstance(data, dict) or data.get("version", FORMAT) != FORMAT:
        raise bad(f"expected a mapping with version: {FORMAT}")
    entries: dict[LockKey, LockEntry] = {}
    for i, item in enumerate(data.get("charts") or []):
        if not isinstance(item, dict):
            raise bad(f"charts[{i}] is not a mapping")
        local = "path" in item
        try:
            entry = LockEntry(
                str(item["path" if local else "repository"]),
                str(item["name"]),
                str(item["version"]),
                str(item["sha256"]),
                item.get("url"),
                local,
            )
        except KeyError as exc:
            raise bad(f"charts[{i}] has no {exc.args[0]}") from None
        entries[entry.key] = entry
    return entries
