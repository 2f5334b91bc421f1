"""Chart tests: the shared mirror, a Helm repository served on 127.0.0.1, small charts.

The repository is a copy of `../shared/charts/mirror` served by `http.server` in a thread; a
test can change the copy (a re-pushed archive) or stop the server (offline). Every request is
recorded, so "the second fetch makes no request" is checked, not assumed.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from modsys.charts import ChartCache, ChartSource, LockFile, RenderCache
from tests.needs import shared_path


@pytest.fixture
def mirror() -> Path:
    return shared_path("charts", "mirror")


@attrs.define
class Repository:
    """A Helm repository on 127.0.0.1 serving `root`."""

    root: Path
    server: http.server.ThreadingHTTPServer
    requests: list[str]

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/charts"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def repository(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Repository]:
    for proxy in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(proxy, raising=False)
    root = tmp_path / "served"
    shutil.copytree(mirror, root / "charts")
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            requests.append(self.path)

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    repo = Repository(root / "charts", server, requests)
    try:
        yield repo
    finally:
        if thread.is_alive():
            repo.stop()


@pytest.fixture(autouse=True)
def _fresh_render_memory() -> Iterator[None]:
    RenderCache.forget_memory()
    yield
    RenderCache.forget_memory()


@pytest.fixture
def cache(tmp_path: Path) -> ChartCache:
    return ChartCache(tmp_path / "cache")


@pytest.fixture
def offline(cache: ChartCache, tmp_path: Path) -> ChartSource:
    """A source that never uses the network and pins nothing (for rendering local charts)."""
    return ChartSource(cache, LockFile.load(tmp_path / "modsys.lock"), network=False)
