"""From an evaluation to files on disk: build the plan, validate it, render it, write it.

Nothing is written unless every step succeeded, and every failure is a `ModsysError` whose
message a person can act on (the CLI prints it without a traceback).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from modsys.attrset import to_plain
from modsys.errors import ValidationError
from modsys.evaluation import Evaluation
from modsys.gcpolicy import paused
from modsys.platform.checks import check_objects
from modsys.platform.evaluated import plan_result
from modsys.platform.names import is_dns_label
from modsys.platform.problems import plan_error

# `platform.kubernetes.build.*` options that other layers (targets) may declare, with the same
# names as the plan's keys; read only when declared, left out when null.
_OPTIONAL_BUILD_KEYS = ("files", "productionGuard")


def build_plan(evaluation: Evaluation) -> dict[str, Any]:
    """The plan as plain data in `modsys.render.RenderInput.from_data`'s shape.

    The manifest sets are shared with the option's value: treat the result as read-only.
    """
    with paused():
        return _build_plan(evaluation)


def _build_plan(evaluation: Evaluation) -> dict[str, Any]:
    k8s = evaluation.config["platform"]["kubernetes"]
    cluster, gitops, build = k8s["cluster"], k8s["gitops"], k8s["build"]
    data: dict[str, Any] = {
        "manifestSets": build["manifestSets"],
        "cluster": {
            "context": cluster["uniqueIdentifier"],
            "kubernetesVersion": cluster["kubernetesVersion"],
        },
        "gitops": {
            "repoURL": gitops["repoURL"],
            "targetRevision": gitops["targetRevision"],
            "path": gitops["path"],
        },
    }
    for key in _OPTIONAL_BUILD_KEYS:
        if key in build:
            value = to_plain(build[key])
            if value is not None:
                data[key] = value
    return data


def validate_plan(evaluation: Evaluation) -> None:
    """Raise one `ValidationError` listing every problem of the plan, structural or schema."""
    result = plan_result(evaluation)
    problems = [*result.problems, *check_objects(result)]
    if problems:
        raise plan_error(problems)


@attrs.frozen
class Rendered:
    """What `render_evaluation` wrote, and what the user should hear about."""

    out_dir: Path
    files: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def variants_of(evaluation: Evaluation) -> dict[str, Evaluation]:
    """One evaluation per `platform.kubernetes.variants` entry (empty for a plain config)."""
    k8s = evaluation.config["platform"]["kubernetes"]
    if "variants" not in k8s or k8s["variant"] is not None:
        return {}
    variants = k8s["variants"]
    bad = [n for n in variants if not is_dns_label(n)]
    if bad:
        raise ValidationError(
            "platform.kubernetes.variants: names must be DNS-1123 labels (they name output "
            f"folders): {', '.join(repr(n) for n in bad)}",
            [f"platform.kubernetes.variants.{n}: not a DNS-1123 label" for n in bad],
            ("platform", "kubernetes", "variants"),
        )
    return {
        name: evaluation.extend_modules(
            [
                variants[name],
                {
                    "_file": f"<variant {name}>",
                    "platform": {"kubernetes": {"variant": name}},
                },
            ]
        )
        for name in variants
    }


def render_evaluation(
    evaluation: Evaluation, fmt: str, out_dir: Path | str, validate: bool = True
) -> Rendered:
    """Assertions, plan, validation, render, then one atomic write of the whole tree.

    A configuration with `platform.kubernetes.variants` renders each variant into its own
    folder of the one tree, so a multi-cluster target gives one manifest set per cluster.
    """
    from modsys.render import RenderInput, render
    from modsys.render.atomic import write_tree

    variants = variants_of(evaluation) or {"": evaluation}
    files: dict[str, bytes] = {}
    executable: set[str] = set()
    notes: list[str] = []
    warnings: list[str] = []
    for name, ev in variants.items():
        prefix = f"{name}/" if name else ""
        warnings.extend(w for w in ev.check() if w not in warnings)
        if validate:
            validate_plan(ev)
        result = render(RenderInput.from_data(build_plan(ev)), fmt)
        files.update({prefix + path: data for path, data in result.files.items()})
        executable.update(prefix + path for path in result.executable)
        notes.extend(f"{name}: {n}" if name else n for n in result.notes)
    try:
        written = write_tree(files, out_dir, executable)
    except OSError as exc:  # unwritable, not a folder, disk full: the user's to fix, not a bug
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        raise ValidationError(
            f"cannot write the rendered tree to {out_dir}: {reason}{where}",
            [f"{out_dir}: {reason}"],
        ) from exc
    return Rendered(written, tuple(sorted(files)), tuple(notes), tuple(warnings))
