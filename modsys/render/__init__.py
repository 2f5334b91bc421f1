"""Renderers: turn the ordered manifest sets into file trees for kubectl, kustomize, Helmfile,
Argo CD, Flux and Fleet.

Each renderer is a pure function of a `RenderInput` plan; `render(plan, fmt)` picks one and
`write_tree` (or `RenderResult.write`) puts the result on disk atomically.
"""

from __future__ import annotations

from modsys.render.atomic import write_tree
from modsys.render.model import (
    Batch,
    Bundle,
    Chart,
    Cluster,
    GeneratedFile,
    GitOps,
    ProductionGuard,
    RenderInput,
    Wait,
)
from modsys.render.registry import RENDERERS, RenderResult, render

__all__ = [
    "RENDERERS",
    "Batch",
    "Bundle",
    "Chart",
    "Cluster",
    "GeneratedFile",
    "GitOps",
    "ProductionGuard",
    "RenderInput",
    "RenderResult",
    "Wait",
    "render",
    "write_tree",
]
