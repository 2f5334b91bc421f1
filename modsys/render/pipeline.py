"""From an evaluation to files: assertions, plan, validation, render, then one atomic write.

The one sequence that both the Python API (`render_evaluation`) and the command line
(`modsys render`, the `stream` format to stdout included) run. It lives in the render layer
because it joins the platform (evaluation → plan, `modsys.platform`) to the renderers
(plan → files); the platform never imports a renderer.

Nothing is written unless every step succeeded, and every failure is a `ModsysError` whose
message a person can act on (the CLI prints it without a traceback).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from modsys.errors import ValidationError
from modsys.platform import cluster_names, for_cluster, output_plan, variants_of
from modsys.render.atomic import write_tree
from modsys.render.charts import chart_view
from modsys.render.model import RenderInput
from modsys.render.registry import CHART_OBJECT_FORMATS, GITOPS_FORMATS, render


@attrs.frozen
class RenderedFiles:
    """What `render_files` produced: the tree (not written yet) and what to tell the user."""

    files: dict[str, bytes]
    executable: frozenset[str]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


@attrs.frozen
class Rendered:
    """What `render_evaluation` wrote, and what the user should hear about."""

    out_dir: Path
    files: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def _no_phase(_: str) -> None:
    pass


def render_files(
    evaluation: Any,
    fmt: str,
    validate: bool = True,
    on_phase: Callable[[str], None] = _no_phase,
) -> RenderedFiles:
    """Assertions, plan, validation and render of `evaluation` in format `fmt`, in memory.

    A configuration with `platform.kubernetes.variants` renders each variant into its own
    folder of the one tree, so a multi-cluster target gives one manifest set per cluster.
    `on_phase` hears "validating" and "rendering" as they start (for a progress line).

    Secrets are made fit for the format here, once (`modsys.platform.output_plan`): references
    resolved, Secrets sealed or made external for GitOps formats (`GITOPS_FORMATS`), plaintext
    in a GitOps tree refused unless the cluster allows it. Sealing uses a fresh session key, so
    a sealed value differs between renders; everything else is byte-identical.
    """
    variants = variants_of(evaluation) or {"": evaluation}
    files: dict[str, bytes] = {}
    executable: set[str] = set()
    notes: list[str] = []
    warnings: list[str] = []
    for name, ev in variants.items():
        prefix = f"{name}/" if name else ""
        warnings.extend(w for w in ev.check() if w not in warnings)
        if validate:
            on_phase("validating")
        plan = output_plan(ev, fmt, gitops=fmt in GITOPS_FORMATS, validate=validate)
        on_phase("rendering")
        chart_notes: list[str] = []
        plan = chart_view(plan, objects=fmt in CHART_OBJECT_FORMATS, notes=chart_notes)
        result = render(RenderInput.from_data(plan), fmt)
        notes.extend(f"{name}: {n}" if name else n for n in chart_notes)
        files.update({prefix + path: data for path, data in result.files.items()})
        executable.update(prefix + path for path in result.executable)
        notes.extend(f"{name}: {n}" if name else n for n in result.notes)
    return RenderedFiles(files, frozenset(executable), tuple(notes), tuple(warnings))


def write_rendered(
    rendered: RenderedFiles,
    out_dir: Path | str,
    on_wait: Callable[[str], None] | None = None,
) -> Rendered:
    """One atomic write of the tree to `out_dir`; an unwritable folder is the user's to fix.
    `on_wait` hears, once, that another render of the same folder holds its lock."""
    try:
        written = write_tree(rendered.files, out_dir, rendered.executable, on_wait=on_wait)
    except OSError as exc:  # unwritable, not a folder, disk full: the user's to fix, not a bug
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        raise ValidationError(
            f"cannot write the rendered tree to {out_dir}: {reason}{where}",
            [f"{out_dir}: {reason}"],
        ) from exc
    return Rendered(written, tuple(sorted(rendered.files)), rendered.notes, rendered.warnings)


def render_evaluation(
    evaluation: Any, fmt: str, out_dir: Path | str, validate: bool = True
) -> Rendered:
    """Assertions, plan, validation, render, then one atomic write of the whole tree
    (`render_files`, then `write_rendered`)."""
    return write_rendered(render_files(evaluation, fmt, validate), out_dir)


def render_clusters(
    evaluation: Any, fmt: str, out_dir: Path | str, target: str = "multi-k3d"
) -> dict[str, Rendered]:
    """Render every cluster of a multi-cluster target into its own `<out_dir>/<cluster>/`
    (one write per cluster; see `modsys.platform.for_cluster`).

    `render_evaluation` does the same in one atomic write through the target's
    `platform.kubernetes.variants`; this stays for callers that want one tree per call.
    """
    out = Path(out_dir)
    return {
        name: render_evaluation(for_cluster(evaluation, name, target), fmt, out / name)
        for name in cluster_names(evaluation, target)
    }


__all__ = [
    "Rendered",
    "RenderedFiles",
    "render_clusters",
    "render_evaluation",
    "render_files",
    "write_rendered",
]
