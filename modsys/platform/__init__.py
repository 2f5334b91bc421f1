"""The platform layer: batches and bundles of Kubernetes objects, ordered, completed, validated.

`modules/platform/kubernetes/default.py` declares the options; this package turns an evaluation
of them into the ordered manifest sets that every renderer reads (`build_plan`), checks them
(`validate_plan`) and expands the variants (`variants_of`, `for_cluster`). It never renders:
`modsys.render.pipeline.render_evaluation` joins this layer to the renderers. The plain-data
builder (`build_sets`) and the checks work without the engine.
"""

from __future__ import annotations

from pathlib import Path

from modsys.bundled import PACKAGE_DIR, find_bundled_root
from modsys.platform.api import (
    build_plan,
    cluster_names,
    for_cluster,
    output_plan,
    secret_policy,
    validate_plan,
    variants_of,
)
from modsys.platform.checks import check_objects
from modsys.platform.plan import PlanResult, build_sets
from modsys.platform.problems import PlanProblem

#: The folder holding `modules/`, `targets/` and `projects/` (see `modsys.bundled`).
BUNDLED_ROOT: Path = find_bundled_root() or PACKAGE_DIR.parent
PLATFORM_MODULE: Path = BUNDLED_ROOT / "modules" / "platform" / "kubernetes" / "default.py"
"""The module that declares `platform.kubernetes.*`; the CLI imports it by default."""

#: Like NixOS' module list: the platform, then every bundled target and project, each off
#: until its `enable` is set.
DEFAULT_MODULE_PATHS: tuple[str, ...] = (
    "modules/platform/kubernetes/default.py",
    "modules/build/default.py",
    "targets/local-k3d.py",
    "targets/kind.py",
    "targets/remote.py",
    "targets/multi-k3d.py",
    "projects/charts.py",
    "projects/wookie/default.py",
    "projects/webapp/default.py",
)


def default_modules() -> list[Path]:
    """The modules every evaluation starts from (`modsys --no-default-modules` skips them)."""
    return [BUNDLED_ROOT / p for p in DEFAULT_MODULE_PATHS]


__all__ = [
    "PLATFORM_MODULE",
    "PlanProblem",
    "PlanResult",
    "build_plan",
    "build_sets",
    "check_objects",
    "cluster_names",
    "default_modules",
    "for_cluster",
    "output_plan",
    "secret_policy",
    "validate_plan",
    "variants_of",
]
