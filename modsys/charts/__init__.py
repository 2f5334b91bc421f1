"""Charts as objects: fetch a Helm chart, pin it, render it with real Helm, cache the result.

A command uses it like this::

    charts = ChartRenderer.from_settings(mirrors=cli_mirrors, lock_file=cli_lock_file)
    ref = ChartRef(name, version, repository=repo)        # or ChartRef(path=absolute_path)
    try:
        rendered = charts.render(ref, RenderRequest(release, values, namespace=ns,
                                                    kube_version=kube))
    except ChartUnavailable:
        ...                                               # offline: keep the chart reference
    charts.save_lock()                                    # once every chart is fetched

`rendered.all_objects(include_crds)` are the bundle's objects (CRDs first), `rendered.hooks`
the Helm hooks to place, `charts.fetch(ref)` the provenance (digest, source, url).

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
from modsys.charts.renderer import ChartRenderer
from modsys.charts.repository import RepositoryClient
from modsys.charts.request import RenderRequest, merge_values

__all__ = [
    "DEFAULT_LOCK_FILE",
    "ChartCache",
    "ChartDigestMismatch",
    "ChartError",
    "ChartNotFound",
    "ChartObject",
    "ChartRef",
    "ChartRenderError",
    "ChartRenderer",
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
    "merge_values",
    "mirrors_from_env",
    "render_chart",
    "render_key",
]
