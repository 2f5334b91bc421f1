"""The one object a plan needs: settings in, rendered charts out.

The CLI knows the user's settings (`--chart-mirror`, `MODSYS_CHART_MIRROR`, `--lock-file`,
`$MODSYS_CACHE_DIR`, offline or not); the platform knows the chart bundles. `ChartRenderer`
joins them: one per command, so every bundle naming the same chart fetches it once, and the
lock file is written once, after every chart has been fetched and verified.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from modsys.charts.cache import ChartCache, default_cache_dir
from modsys.charts.fetch import ChartSource, FetchedChart
from modsys.charts.lock import DEFAULT_LOCK_FILE, LockFile
from modsys.charts.mirrors import chart_mirrors
from modsys.charts.ref import ChartRef
from modsys.charts.render import render_chart
from modsys.charts.render_cache import RenderCache
from modsys.charts.rendered import RenderedChart
from modsys.charts.request import RenderRequest


@attrs.define
class ChartRenderer:
    """Fetches (mirrors, cache, network; pinned in the lock) and renders (through the cache)."""

    source: ChartSource
    renders: RenderCache | None

    @classmethod
    def from_settings(
        cls,
        *,
        mirrors: Iterable[str | os.PathLike[str]] = (),
        lock_file: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        network: bool = True,
        environ: Mapping[str, str] | None = None,
    ) -> ChartRenderer:
        """From the command line's settings: `mirrors` are the `--chart-mirror` flags (the
        environment's `MODSYS_CHART_MIRROR` follows them), `lock_file` is `--lock-file`
        (default `./modsys.lock`), `cache_dir` overrides `$MODSYS_CACHE_DIR` and its defaults."""
        root = Path(cache_dir) if cache_dir is not None else default_cache_dir(environ)
        source = ChartSource(
            ChartCache(root),
            LockFile.load(lock_file if lock_file is not None else DEFAULT_LOCK_FILE),
            chart_mirrors(mirrors, environ),
            network,
        )
        return cls(source, RenderCache(root))

    def fetch(self, ref: ChartRef) -> FetchedChart:
        """The chart on disk (once per ref and run); `ChartUnavailable` when offline."""
        return self.source.fetch(ref)

    def render(self, ref: ChartRef, request: RenderRequest) -> RenderedChart:
        """Fetch, then render (or take from the render cache)."""
        return render_chart(self.fetch(ref), request, self.renders)

    def save_lock(self) -> bool:
        """Write the lock file if a chart was pinned; call once the plan has succeeded."""
        return self.source.lock.save() if self.source.lock is not None else False
