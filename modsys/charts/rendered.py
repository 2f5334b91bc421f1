"""A rendered chart: its objects, its CRDs and its hooks, as plain data that can be cached.

Objects keep the order Helm's template files have (sorted by file name, documents in file
order), which is deterministic; ordering them for applying (Helm's kind order, CRDs first) is
the platform's business. Hooks stay in `objects`, marked, and are offered separately so the
platform can place or refuse them.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import attrs

from modsys.charts.manifests import ChartObject, hook_of

FORMAT = 1


@attrs.frozen(hash=False)
class RenderedChart:
    """What one chart renders with one set of values, release name and namespace.

    `objects` are the templates' objects (hooks included, each with `.hook`); `crds` the
    CustomResourceDefinitions of the chart's (and its subcharts') `crds/` folders, which Helm
    applies before anything else and never templates.
    """

    name: str
    version: str
    sha256: str
    objects: tuple[ChartObject, ...]
    crds: tuple[ChartObject, ...] = ()

    @property
    def manifests(self) -> tuple[ChartObject, ...]:
        """The objects an install applies together: every object that is not a hook."""
        return tuple(o for o in self.objects if o.hook is None)

    @property
    def hooks(self) -> tuple[ChartObject, ...]:
        """The hook objects, in Helm's running order (weight, then template order)."""
        hooks = [o for o in self.objects if o.hook is not None]
        return tuple(sorted(hooks, key=lambda o: o.hook.weight if o.hook else 0))

    def install_hooks(self, phase: Literal["before", "after"]) -> tuple[ChartObject, ...]:
        """The hooks an install runs before (`pre-install`) or after (`post-install`) the rest."""
        return tuple(o for o in self.hooks if o.hook and o.hook.install_phase == phase)

    def all_objects(self, include_crds: bool = True) -> list[dict[str, Any]]:
        """CRDs (when included) then the non-hook objects, as plain dicts."""
        crds = [o.object for o in self.crds] if include_crds else []
        return crds + [o.object for o in self.manifests]

    # --- the cached form -----------------------------------------------------------------

    def to_json(self) -> str:
        def rows(objs: tuple[ChartObject, ...]) -> list[list[Any]]:
            return [[o.template, o.index, o.object] for o in objs]

        data = {
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "objects": rows(self.objects),
            "crds": rows(self.crds),
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RenderedChart | None:
        """The chart `to_json` wrote, or None for anything else (an old format, damage)."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                return None

            def objs(rows: list[list[Any]]) -> tuple[ChartObject, ...]:
                return tuple(ChartObject(t, i, o, hook_of(o)) for t, i, o in rows)

            return cls(
                data["name"], data["version"], data["sha256"],
                objs(data["objects"]), objs(data["crds"]),
            )  # fmt: skip
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
