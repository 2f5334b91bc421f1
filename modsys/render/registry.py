"""The renderer registry: one entry point for the CLI and tests, returning files and notes.

Each renderer is a function `(plan, notes) -> {path: bytes}` that appends anything the user
should hear about (left-out chart bundles, values files it could not read) to `notes`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from modsys.errors import ValidationError
from modsys.render import argocd, directory, fleet, flux, helmfile, kustomize, stream
from modsys.render.atomic import write_tree
from modsys.render.model import RenderInput
from modsys.render.planfiles import executable_files

Renderer = Callable[..., dict[str, bytes]]

RENDERERS: dict[str, Renderer] = {
    "dir": directory.render_dir,
    "stream": stream.render_stream,
    "kustomize": kustomize.render_kustomize,
    "helmfile": helmfile.render_helmfile,
    "argocd": argocd.render_argocd,
    "flux": flux.render_flux,
    "fleet": fleet.render_fleet,
}

CHART_OBJECT_FORMATS = frozenset({"dir", "stream", "kustomize"})
"""Formats that hold a rendered chart's objects (applied like any other object); the others
keep referencing the chart, which their controller (Helm, Argo CD, Flux, Fleet) renders."""

GITOPS_FORMATS = frozenset({"argocd", "flux", "fleet", "helmfile", "kustomize"})
"""Formats whose tree is meant to be committed to git (a controller, or a person, applies it
from there): no plaintext Secret may go into them (see `modsys.platform.secrets`)."""

# Scripts a format writes that must be executable.
_EXECUTABLE: dict[str, frozenset[str]] = {"dir": directory.EXECUTABLE}


@attrs.frozen
class RenderResult:
    files: dict[str, bytes]
    notes: list[str] = attrs.Factory(list)
    executable: frozenset[str] = frozenset()

    def write(self, out_dir: Path | str) -> Path:
        return write_tree(self.files, out_dir, set(self.executable))


def render(plan: RenderInput, fmt: str = "dir") -> RenderResult:
    if fmt not in RENDERERS:
        raise ValidationError(
            f"unknown render format {fmt!r}; choose one of: {', '.join(RENDERERS)}",
            [f"unknown format {fmt!r}"],
        )
    notes: list[str] = []
    files = RENDERERS[fmt](plan, notes)
    executable = (_EXECUTABLE.get(fmt, frozenset()) | executable_files(plan)) & set(files)
    return RenderResult(files, notes, frozenset(executable))
