"""Chart bundles: a chart needs a name, a repository and a version before anything can install it.

A bundle may name only the chart (and maybe a version); the chart catalog
(`platform.kubernetes.chartCatalog.<chart>`: repository, known versions, default version) fills
in the rest, so projects pin charts in one place. Unknown charts and versions are errors that
list what the catalog knows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def complete_chart(
    chart: Mapping[str, Any], catalog: Mapping[str, Mapping[str, Any]], bundle: str
) -> tuple[dict[str, Any], list[str]]:
    """The chart in the plan's shape, and what is missing (each a message)."""
    name, repository, version = chart.get("name"), chart.get("repository"), chart.get("version")
    problems: list[str] = []
    path = chart.get("path")
    if path:
        if repository:
            problems.append("the chart has both a path and a repository; set only one")
    elif not name:
        problems.append("the chart has no name; set chart.name")
    elif not repository:
        entry = catalog.get(name)
        if entry is None:
            known = ", ".join(sorted(catalog)) or "none"
            problems.append(
                f"chart {name!r} has no repository and is not in platform.kubernetes.chartCatalog "
                f"(known charts: {known}); set chart.repository and chart.version"
            )
        else:
            repository = entry.get("repository")
            versions = list(entry.get("versions") or [])
            if version is None:
                version = entry.get("defaultVersion") or (versions[-1] if versions else None)
            elif versions and version not in versions:
                problems.append(
                    f"chart {name!r} has no version {version!r} in the chart catalog "
                    f"(known versions: {', '.join(versions)})"
                )
    if name and repository and not version and not path:
        problems.append(f"chart {name!r} has no version; set chart.version")
    out = {
        "name": name,
        "repository": repository,
        "version": version,
        "releaseName": chart.get("releaseName") or bundle,
        "values": dict(chart.get("values") or {}),
        "valuesFiles": list(chart.get("valuesFiles") or []),
        "includeCRDs": bool(chart.get("includeCRDs", True)),
    }
    if path:
        out["path"] = str(path)
        out["name"] = name or Path(str(path)).name.removesuffix(".tgz")
        out["repository"] = ""
    if chart.get("skipSchemaValidation"):
        out["skipSchemaValidation"] = True
    return out, problems
