"""From an evaluation to files on disk: build the plan, validate it, render it, write it.

Nothing is written unless every step succeeded, and every failure is a `ModsysError` whose
message a person can act on (the CLI prints it without a traceback).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from modsys.attrset import to_plain
from modsys.evaluation import Evaluation, gc_paused
from modsys.platform.checks import check_objects
from modsys.platform.evaluated import plan_result
from modsys.platform.problems import plan_error

# `platform.kubernetes.build.*` options that other layers (targets) may declare, with the same
# names as the plan's keys; read only when declared, left out when null.
_OPTIONAL_BUILD_KEYS = ("files", "productionGuard")


def build_plan(evaluation: Evaluation) -> dict[str, Any]:
    """The plan as plain data in `modsys.render.RenderInput.from_data`'s shape.

    The manifest sets are shared with the option's value: treat the result as read-only.
    """
    with gc_paused():
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


def render_evaluation(
    evaluation: Evaluation, fmt: str, out_dir: Path | str, validate: bool = True
) -> Rendered:
    """Assertions, plan, validation, render, then one atomic write of the whole tree."""
    from modsys.render import RenderInput, render

    warnings = evaluation.check()
    if validate:
        validate_plan(evaluation)
    plan = RenderInput.from_data(build_plan(evaluation))
    result = render(plan, fmt)
    written = result.write(out_dir)
    return Rendered(written, tuple(sorted(result.files)), tuple(result.notes), tuple(warnings))
