"""What a chart is rendered with: values, release name, namespace, cluster version, flags.

Values are plain data (the platform merges `valuesFiles` and `values` before this); they are
checked to be JSON-serialisable here, since Helm receives them as JSON and the render cache
keys on their canonical JSON text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from modsys.charts.digests import canonical_json
from modsys.charts.errors import ChartError, ChartValuesError

_KUBE_VERSION = re.compile(r"^v?(?P<core>\d+\.\d+(?P<patch>\.\d+)?)(?P<rest>[-+][\w.+-]*)?$")


def _kube_version(value: str | None) -> str | None:
    """`1.30` or `v1.30.2`, spelled `v1.30.0`/`v1.30.2`: what `.Capabilities.KubeVersion`
    says under `helm template --kube-version` (the SDK would keep `v1.30` as given)."""
    if value is None:
        return None
    value = str(value).strip()
    found = _KUBE_VERSION.match(value)
    if not found:
        raise ChartError(f"Kubernetes version {value!r} is not of the form 1.30 or v1.30.2")
    patch = "" if found["patch"] else ".0"
    return f"v{found['core']}{patch}{found['rest'] or ''}"


def _values(value: Mapping[str, Any] | None) -> dict[str, Any]:
    values = dict(value or {})
    try:
        canonical_json(values)
    except (TypeError, ValueError) as exc:
        raise ChartValuesError(f"chart values are not plain data: {exc}") from None
    return values


def merge_values(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's rule for several values files (`-f a.yaml -f b.yaml`): maps merge, anything
    else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_values(out[key], value)
        else:
            out[key] = value
    return out


@attrs.frozen(hash=False)
class RenderRequest:
    """How to render a chart (`helm template` with these flags, as an install).

    `kube_version` and `api_versions` set Helm's `.Capabilities` (charts that branch on the
    cluster version render for the target cluster, not Helm's built-in default).
    `skip_schema_validation` is `helm --skip-schema-validation`: the chart's (and subcharts')
    `values.schema.json` are ignored.
    """

    release_name: str
    values: dict[str, Any] = attrs.field(factory=dict, converter=_values)
    namespace: str | None = None
    kube_version: str | None = attrs.field(default=None, converter=_kube_version)
    api_versions: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    skip_schema_validation: bool = False

    def helm_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"name": self.release_name, "is_install": True}
        if self.namespace:
            options["namespace"] = self.namespace
        if self.kube_version:
            options["kube_version"] = self.kube_version
        if self.api_versions:
            options["api_versions"] = list(self.api_versions)
        return options

    def key_data(self) -> dict[str, Any]:
        """Everything that changes what Helm renders (the render cache key)."""
        return {
            "values": self.values,
            "release": self.release_name,
            "namespace": self.namespace,
            "kube_version": self.kube_version,
            "api_versions": sorted(self.api_versions),
            "skip_schema_validation": self.skip_schema_validation,
        }
