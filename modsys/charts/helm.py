"""The one door to Helm: helm-python-sdk, loaded on first use.

Importing `helm_python` loads an ~85 MB native library (about half a second), so nothing imports
it until a chart really has to be rendered or pulled: a warm render cache never pays for it.
A machine where the library cannot load (another architecture, an old libc) gets one
`HelmUnavailable` error saying so and what to do, instead of an import traceback.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
from typing import Any

from modsys.charts.errors import HelmUnavailable

_DISTRIBUTION = "helm-python-sdk"


_failure: HelmUnavailable | None = None


def sdk() -> Any:
    """The `helm_python` module, or `HelmUnavailable` (a failure is remembered, not retried)."""
    global _failure
    if _failure is not None:
        raise _failure
    try:
        import helm_python
    except ImportError as exc:
        _failure = HelmUnavailable(
            f"cannot render charts: the Python package {_DISTRIBUTION} is not installed "
            f"({exc}); install it with `pip install {_DISTRIBUTION}`"
        )
        raise _failure from None
    except Exception as exc:  # HelmLibraryError, OSError from ctypes
        reason = " ".join(str(exc).split())
        _failure = HelmUnavailable(
            f"cannot render charts: Helm's native library (from {_DISTRIBUTION}) does not load "
            f"on this machine: {reason}. Install a {_DISTRIBUTION} wheel built for this "
            "platform, or point HELM_C_LIB at a libhelm_c built for it. Commands that do not "
            "need chart objects still work (chart bundles stay chart references)."
        )
        raise _failure from None
    return helm_python


@functools.cache
def _package_version() -> str:
    try:
        return importlib.metadata.version(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def sdk_version() -> str:
    """Which Helm renders, without loading it: the package version plus any library override.

    Part of the render cache key, so upgrading Helm re-renders.
    """
    version = _package_version()
    override = os.environ.get("HELM_C_LIB")
    return f"{version}+{override}" if override else version


def render(chart: Any, values: dict[str, Any], options: dict[str, Any]) -> dict[str, str]:
    """`Chart.render` with the options the public wrapper does not pass on.

    The native call takes `kube_version` and `api_versions` (Helm's `.Capabilities`), which
    `Chart.render` 0.2 does not expose; options it does know go through it.
    """
    sdk()  # HelmUnavailable, before touching the chart
    known = {"name", "namespace", "revision", "is_install", "is_upgrade"}
    if set(options) <= known:
        rendered: dict[str, str] = chart.render(values, **options)
        return rendered
    from helm_python import _native

    text = _native.call_string("helm_render", chart._raw(), json.dumps(values), json.dumps(options))
    out: dict[str, str] = json.loads(text)
    return out
