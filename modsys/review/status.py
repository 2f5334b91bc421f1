"""Validation status of each object and bundle of the plan, for the review page.

`modsys validate` stops at the first failing configuration with one error listing every
problem; a reviewer instead wants each problem next to the object it is about. This module
runs the same checks (the plan's structural problems and `check_objects`) and files each
problem under its object, its bundle, or the plan as a whole. It is the only place the review
package reads the platform's plan result, so a restructuring of `modsys.platform` has one
place to follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen
class Validation:
    """Problems by object (`(batch, bundle, index)`), by bundle (`(batch, bundle)`), and
    those about the plan as a whole; `manifest_sets` is the plan as far as it could be built."""

    by_object: Mapping[tuple[str, str, int], list[str]]
    by_bundle: Mapping[tuple[str, str], list[str]]
    general: list[str]
    manifest_sets: list[dict[str, Any]]
    kubernetes_version: str

    @property
    def count(self) -> int:
        return (sum(map(len, self.by_object.values())) + sum(map(len, self.by_bundle.values()))
                + len(self.general))


def problem_text(problem: Any, show_file: Any = str) -> str:
    """A problem as the page shows it under its object: the message and where it is defined."""
    text = str(problem.message)
    places = list(dict.fromkeys(
        show_file(loc.file) + (f":{loc.line}" if loc.line is not None else "")
        for loc in problem.locations
    ))
    return text + (f" (defined in {', '.join(places)})" if places else "")


def validate(evaluation: Any, show_file: Any = str) -> Validation:
    """Every problem of the evaluation's plan, filed where the page shows it."""
    from modsys.kube.validate import object_ref
    from modsys.platform import check_objects
    from modsys.platform.evaluated import plan_result
    from modsys.platform.problems import show_origin

    result = plan_result(evaluation)
    problems = [*result.problems, *check_objects(result)]
    objects: dict[str, tuple[str, str, int]] = {}
    counters: dict[tuple[str, str], int] = {}
    for placed in result.placed():
        bundle = (placed.batch, placed.bundle)
        index = counters.get(bundle, 0)
        counters[bundle] = index + 1
        objects[f"{show_origin(placed.origin)} ({object_ref(placed.obj)})"] = (*bundle, index)
    bundles = {
        show_origin(("batches", b["name"], "bundles", u["name"])): (b["name"], u["name"])
        for b in result.manifest_sets for u in b["bundles"]
    }
    by_object: dict[tuple[str, str, int], list[str]] = {}
    by_bundle: dict[tuple[str, str], list[str]] = {}
    general: list[str] = []
    for problem in problems:
        text = problem_text(problem, show_file)
        if problem.subject in objects:
            by_object.setdefault(objects[problem.subject], []).append(text)
            continue
        owner = next((key for prefix, key in bundles.items()
                      if problem.subject == prefix or problem.subject.startswith(prefix + ".")),
                     None)
        if owner is not None:
            by_bundle.setdefault(owner, []).append(text)
        else:
            general.append(f"{problem.subject}: {text}")
    return Validation(by_object, by_bundle, general, result.manifest_sets,
                      result.kubernetes_version)
