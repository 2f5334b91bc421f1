"""What a chart bundle names: a chart in a repository, or a chart on disk.

A `ChartRef` is the identity the lock file and the cache key on. It is frozen and hashable so
that a plan can collect the refs of all its bundles in a set and fetch each once.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import attrs

from modsys.charts.errors import ChartError


def _repository(value: str | None) -> str | None:
    return value.rstrip("/") if value else None


@attrs.frozen
class ChartRef:
    """A chart by `repository` + `name` + `version`, or by `path`.

    `repository` is an `https://` (or `http://`) Helm repository serving `index.yaml`, or an
    `oci://host/path` registry prefix (the chart is `oci://host/path/<name>:<version>`).
    `path` is a chart directory or packaged `.tgz`, already absolute (the caller resolves it
    against the file that defined it); `name`/`version` are then optional and, when given,
    checked against the chart's `Chart.yaml`.
    """

    name: str | None = None
    version: str | None = None
    repository: str | None = attrs.field(default=None, converter=_repository)
    path: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))

    def __attrs_post_init__(self) -> None:
        if (self.repository is None) == (self.path is None):
            raise ChartError("a chart needs exactly one of a repository and a path")
        if self.path is not None and not self.path.is_absolute():
            raise ChartError(f"chart path {self.path} must be absolute (resolve it first)")
        if self.repository is not None and not (self.name and self.version):
            raise ChartError(
                f"chart {self.name or '?'} from {self.repository} needs a name and a version"
            )
        if self.repository is not None and not self.repository.startswith(
            ("https://", "http://", "oci://")
        ):
            raise ChartError(
                f"chart repository {self.repository!r} is neither https://… nor oci://…"
            )
        if self.repository is not None and urlsplit(self.repository).username is not None:
            # Refused rather than used: the URL is written to modsys.lock and shown in messages.
            raise ChartError(
                f"chart {self.name}: the repository URL carries credentials; credentials in "
                "chart repository URLs are not supported (they would be written to modsys.lock)"
            )

    @property
    def is_oci(self) -> bool:
        return bool(self.repository and self.repository.startswith("oci://"))

    @property
    def is_local(self) -> bool:
        return self.path is not None

    @property
    def origin(self) -> str:
        """The repository, or the path: where the lock file says the chart comes from."""
        return self.repository if self.repository is not None else str(self.path)

    def __str__(self) -> str:
        if self.path is not None:
            return str(self.path)
        return f"{self.name} {self.version} from {self.repository}"
