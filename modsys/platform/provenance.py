"""Where definitions live: the engine's provenance (`Evaluation.explain`) turned into file:line
locations for problem messages. Only consulted when there is a problem to report, so its cost
never shows up on a good plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsys.errors import Location, ModsysError
from modsys.platform.problems import CLUSTER_PATH, Origin

if TYPE_CHECKING:
    from modsys.evaluation import Evaluation


class EngineLocator:
    """A `Locator` backed by an evaluation; paths are relative to `platform.kubernetes.cluster`."""

    def __init__(self, evaluation: Evaluation, root: tuple[str, ...] = CLUSTER_PATH) -> None:
        self.evaluation = evaluation
        self.root = root
        self._cache: dict[Origin, tuple[Location, ...]] = {}

    def __call__(self, origin: Origin) -> tuple[Location, ...]:
        hit = self._cache.get(origin)
        if hit is None:
            try:
                if origin and isinstance(origin[-1], int):
                    hit = self._element(origin[:-1], origin[-1])
                else:
                    hit = tuple(_location(r) for r in self._records(origin))
            except ModsysError:
                hit = ()
            self._cache[origin] = hit
        return hit

    def _records(self, path: Origin) -> list[Any]:
        explanation = self.evaluation.explain([*self.root, *path])
        return [r for r in explanation.definitions if r.status == "won" and not r.is_default]

    def _element(self, path: Origin, index: int) -> tuple[Location, ...]:
        """The definition that contributed element `index` of a list option."""
        records = sorted(self._records(path), key=lambda r: r.order)
        start = 0
        for r in records:
            size = len(r.value) if isinstance(r.value, (list, tuple)) else 0
            if start <= index < start + size:
                return (_location(r),)
            start += size
        return tuple(_location(r) for r in records)


def _location(record: Any) -> Location:
    return Location(record.file, record.line)
