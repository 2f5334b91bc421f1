"""Charts as objects: fetch a Helm chart, pin it, render it with real Helm, cache the result.

The platform and renderers use this package in three steps::

    source = ChartSource(ChartCache.default(), LockFile.load(lock_path),
                         chart_mirrors(cli_mirrors), network=True)
    fetched = source.fetch(ChartRef(name, version, repository=repo))   # or path=...
    rendered = render_chart(fetched, RenderRequest(release, values, namespace=ns),
                            RenderCache(ChartCache.default().root))
    source.lock.save()

`ChartUnavailable` from `fetch` means "offline: keep the bundle a chart reference"; every other
`ChartError` is a problem to report. Nothing here imports Helm's native library until a chart
really has to be rendered or pulled from an OCI registry.
"""

from modsys.charts.cache import ChartCache, default_cache_dir
from modsys.charts.errors import (
    ChartDigestMismatch,
    ChartError,
    ChartNotFound,
    ChartRenderError,
    ChartUnavailable,
    ChartValuesError,
    HelmUnavailable,
    ValuesProblem,
)
from modsys.charts.fetch import ChartSource, FetchedChart
from modsys.charts.lock import DEFAULT_LOCK_FILE, LockEntry, LockFile
from modsys.charts.manifests import ChartObject, Hook
from modsys.charts.mirrors import chart_mirrors, mirrors_from_env
from modsys.charts.ref import ChartRef
from modsys.charts.render import render_chart
from modsys.charts.render_cache import RenderCache, render_key
from modsys.charts.rendered import RenderedChart
from modsys.charts.repository import RepositoryClient
from modsys.charts.request import RenderRequest

__all__ = [
    "DEFAULT_LOCK_FILE",
    "ChartCache",
    "ChartDigestMismatch",
    "ChartError",
    "ChartNotFound",
    "ChartObject",
    "ChartRef",
    "ChartRenderError",
    "ChartSource",
    "ChartUnavailable",
    "ChartValuesError",
    "FetchedChart",
    "HelmUnavailable",
    "Hook",
    "LockEntry",
    "LockFile",
    "RenderCache",
    "RenderRequest",
    "RenderedChart",
    "RepositoryClient",
    "ValuesProblem",
    "chart_mirrors",
    "default_cache_dir",
    "mirrors_from_env",
    "render_chart",
    "render_key",
]
