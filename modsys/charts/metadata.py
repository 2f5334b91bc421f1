"""A chart's name and version from its `Chart.yaml`, read without Helm.

Fetching checks that an archive is the chart it claims to be (a mirror file named
`pxc-db-1.18.0.tgz` must hold pxc-db 1.18.0), and a warm render cache must not pay for loading
Helm's native library, so this reads the file with Python alone.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import attrs
import yaml

from modsys.charts.errors import ChartError


@attrs.frozen
class ChartMetadata:
    name: str
    version: str


def _parse(text: bytes | str, where: str) -> ChartMetadata:
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChartError(f"{where}: Chart.yaml is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not data.get("name") or data.get("version") is None:
        raise ChartError(f"{where}: Chart.yaml has no name or version")
    return ChartMetadata(str(data["name"]), str(data["version"]))


def read_metadata(path: Path) -> ChartMetadata:
    """Name and version of the chart at `path` (a chart directory or a `.tgz`)."""
    if path.is_dir():
        chart_yaml = path / "Chart.yaml"
        if not chart_yaml.is_file():
            raise ChartError(f"{path} is not a chart directory: it has no Chart.yaml")
        return _parse(chart_yaml.read_bytes(), str(path))
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                parts = member.name.split("/")
                if len(parts) == 2 and parts[1] == "Chart.yaml" and member.isfile():
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    return _parse(extracted.read(), str(path))
    except (OSError, tarfile.TarError) as exc:
        raise ChartError(f"{path} is not a chart archive: {exc}") from None
    raise ChartError(f"{path} is not a chart archive: it has no <chart>/Chart.yaml")
