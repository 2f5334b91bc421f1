"""Everything the review page shows, as plain data (and the plan's picture as SVG).

One function gathers it from the evaluations: the plan (as far as it can be built, so a
broken configuration still gets a page that shows its problems), the validation status of
each object, the configuration tree with provenance, and with a base evaluation the changes.
The result is JSON-ready: the page embeds it and its script draws from it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from modsys.dump import to_yaml

OBJECT_TEXT_LIMIT = 20000


@attrs.frozen
class Report:
    """The page's title, its data (embedded as JSON) and the plan picture (inline SVG)."""

    title: str
    data: dict[str, Any]
    svg: str


def has_platform(evaluation: Any) -> bool:
    """Whether the configuration declares the platform at all (`--no-default-modules` may not)."""
    from modsys.errors import MissingAttributeError

    try:
        config = evaluation.config
        return "platform" in config and "kubernetes" in config["platform"]
    except MissingAttributeError:
        return False


def plan_of(evaluation: Any, manifest_sets: list[dict[str, Any]], version: str) -> dict[str, Any]:
    """The plain-data plan; when problems stop `build_plan`, the sets as far as they were
    built, so the page can show the problems next to the objects."""
    from modsys.attrset import to_plain
    from modsys.cli.plan import plan_data
    from modsys.errors import ModsysError

    try:
        return plan_data(evaluation)
    except ModsysError:
        context = None
        with contextlib.suppress(ModsysError):
            context = evaluation.config["platform"]["kubernetes"]["cluster"]["uniqueIdentifier"]
        return {"manifestSets": to_plain(manifest_sets),
                "cluster": {"context": context, "kubernetesVersion": version}}


def _text(data: Any) -> str:
    text = to_yaml(data).rstrip("\n")
    if len(text) > OBJECT_TEXT_LIMIT:
        text = text[:OBJECT_TEXT_LIMIT] + f"\n… ({len(text) - OBJECT_TEXT_LIMIT} more characters)"
    return text


def bundle_keys(plan: Mapping[str, Any]) -> set[str]:
    """`batch/bundle` of every bundle of a plain-data plan."""
    return {f"{b.get('name')}/{u.get('name')}" for b in plan.get("manifestSets") or []
            for u in b.get("bundles") or []}


def _bundles(plan: Mapping[str, Any], validation: Any, marks: Mapping[Any, Any],
             removed: Sequence[Mapping[str, Any]],
             base_bundles: set[str] | None) -> list[dict[str, Any]]:
    from modsys.review.changes import object_key
    from modsys.review.graph import bundle_summary, plan_graph

    graph = plan_graph(plan)
    node_of = {n.key: n for n in graph.nodes}
    out = []
    for batch in plan.get("manifestSets") or []:
        for bundle in batch.get("bundles") or []:
            ident = (str(batch.get("name")), str(bundle.get("name")))
            key = "/".join(ident)
            objects = []
            for i, obj in enumerate(bundle.get("objects") or []):
                meta = obj.get("metadata") or {}
                objects.append({
                    "kind": obj.get("kind"),
                    "apiVersion": obj.get("apiVersion"),
                    "name": meta.get("name"),
                    "namespace": meta.get("namespace"),
                    "problems": list(validation.by_object.get((*ident, i), [])),
                    "d": marks.get(object_key(obj)),
                    "yaml": _text(obj),
                })
            chart = bundle.get("chart")
            chart_data = None
            if chart:
                release = chart.get("releaseName") or chart.get("name") or ident[1]
                chart_data = {
                    "name": chart.get("name"), "version": chart.get("version"),
                    "repository": chart.get("repository"), "release": release,
                    "d": marks.get(("HelmRelease", str(bundle.get("namespace") or ""),
                                    str(release))),
                    "yaml": _text(chart),
                }
            problems = list(validation.by_bundle.get(ident, []))
            gone = [r for r in removed if r["bundle"] == key]
            node = node_of.get(key)
            out.append({
                "key": key,
                "id": node.id if node else "",
                "name": ident[1],
                "batch": ident[0],
                "priority": batch.get("priority"),
                "namespace": bundle.get("namespace"),
                "summary": bundle_summary(bundle),
                "dependsOn": list(bundle.get("dependsOn") or []),
                "waits": list(node.waits) if node else [],
                "chart": chart_data,
                "objects": objects,
                "problems": problems,
                "removed": gone,
                "ok": not problems and not any(o["problems"] for o in objects),
                "changed": bool(gone) or any(o["d"] for o in objects)
                or bool(chart_data and chart_data["d"]),
                "added": base_bundles is not None and key not in base_bundles,
            })
    return out


def report_data(
    head: Any,
    base: Any | None = None,
    *,
    modules: Sequence[str] = (),
    base_modules: Sequence[str] = (),
    show_file: Callable[[str], str] = str,
) -> Report:
    """The page of `head` (an evaluation), compared with `base` when given."""
    from modsys.dump import redact
    from modsys.kube.secrets import hidden_fields
    from modsys.review import changes
    from modsys.review.config import config_data, config_tree
    from modsys.review.graph import plan_graph
    from modsys.review.status import Validation, validate
    from modsys.review.svg import to_svg

    empty = Validation({}, {}, [], [], "")
    validation = validate(head, show_file) if has_platform(head) else empty
    plan = (redact(plan_of(head, validation.manifest_sets, validation.kubernetes_version), hidden_fields())
            if has_platform(head) else {"manifestSets": [], "cluster": {}})
    config = config_data(head)
    marks: Mapping[Any, Any] = {}
    removed_objects: list[dict[str, Any]] = []
    comparison = None
    mark = None
    base_bundles: set[str] | None = None
    if base is not None:
        base_config = config_data(base)

        def mark(path: tuple[str, ...], value: Any) -> dict[str, Any] | None:
            return changes.config_mark(base_config, path, value)

        removed_config = changes.removed_config(base_config, config)
        object_count = 0
        if has_platform(base) and has_platform(head):
            base_validation = validate(base, show_file)
            base_plan = redact(plan_of(base, base_validation.manifest_sets,
                                       base_validation.kubernetes_version), hidden_fields())
            base_bundles = bundle_keys(base_plan)
            found = changes.object_changes(base_plan, plan)
            marks, removed_objects, object_count = found.marks, found.removed, found.count
        comparison = {"modules": list(base_modules), "removedConfig": removed_config,
                      "objects": object_count}
    tree = config_tree(head, config, show_file, mark)
    bundles = _bundles(plan, validation, marks, removed_objects, base_bundles)
    head_bundles = {b["key"] for b in bundles}
    if comparison is not None:
        comparison["removedObjects"] = [r for r in removed_objects
                                        if r["bundle"] not in head_bundles]
    cluster = plan.get("cluster") or {}
    context = cluster.get("context") or "(current kube context)"
    title = f"modsys review: {' '.join(modules) or '(default modules)'}"
    data = {
        "title": title,
        "modules": list(modules),
        "cluster": {"context": context, "kubernetesVersion": cluster.get("kubernetesVersion")},
        "summary": {
            "batches": len(plan.get("manifestSets") or []),
            "bundles": len(bundles),
            "objects": sum(len(b["objects"]) for b in bundles),
            "charts": sum(1 for b in bundles if b["chart"]),
            "problems": validation.count,
        },
        "problems": list(validation.general),
        "bundles": bundles,
        "config": tree,
        "base": comparison,
    }
    return Report(title, data, to_svg(plan_graph(plan), f"plan for {context}"))
