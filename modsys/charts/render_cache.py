"""Rendered charts remembered, so an unchanged estate does not run Helm again.

The key is everything a render depends on: the archive's digest, the values (canonical JSON),
release name, namespace, Kubernetes version and API versions, schema validation on or off, and
which Helm renders. Entries live in memory for the process and as files under
`<cache dir>/renders/`, readable by their owner only: rendered objects include Secrets.
A warm entry is read without loading Helm at all.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from pathlib import Path
from typing import ClassVar

import attrs

from modsys.charts.atomic import write_atomic
from modsys.charts.digests import bytes_sha256, canonical_json
from modsys.charts.helm import sdk_version
from modsys.charts.rendered import FORMAT, RenderedChart
from modsys.charts.request import RenderRequest


def render_key(sha256: str, request: RenderRequest) -> str:
    """The cache key of rendering the chart with digest `sha256` as `request` asks."""
    key = {
        "format": FORMAT,
        "helm": sdk_version(),
        "chart": sha256,
        **request.key_data(),
    }
    return bytes_sha256(canonical_json(key).encode("utf-8"))


@attrs.define
class RenderCache:
    """Renders by key, in memory (shared by every cache in the process) and on disk.

    `root` is the cache directory (`None`: memory only). `hits`/`misses` count lookups.
    """

    root: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))
    hits: int = 0
    misses: int = 0

    #: JSON text by key; text, not objects, so no caller can alter another's result.
    _memory: ClassVar[OrderedDict[str, str]] = OrderedDict()
    MEMORY_ENTRIES: ClassVar[int] = 256

    def _file(self, key: str) -> Path | None:
        return None if self.root is None else self.root / "renders" / f"{key}.json"

    def get(self, key: str) -> RenderedChart | None:
        text = self._memory.get(key)
        if text is None and (path := self._file(key)) is not None:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                text = None
        rendered = RenderedChart.from_json(text) if text is not None else None
        if rendered is None:
            self.misses += 1
            return None
        self.hits += 1
        self._remember(key, text or "")
        return rendered

    def put(self, key: str, rendered: RenderedChart) -> None:
        text = rendered.to_json()
        self._remember(key, text)
        if (path := self._file(key)) is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
                write_atomic(path, text.encode("utf-8"), private=True)

    def _remember(self, key: str, text: str) -> None:
        self._memory[key] = text
        self._memory.move_to_end(key)
        while len(self._memory) > self.MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    @classmethod
    def forget_memory(cls) -> None:
        """Drop the in-process entries (tests measuring the disk cache; long-lived servers)."""
        cls._memory.clear()
