"""The directory layout shared by every renderer: `NN-<batch>/MM-<bundle>/<kind>-<name>.yaml`.

Computed once per render so that `dir`, `kustomize`, Argo CD, Flux and Fleet all point at the
same paths. The numeric prefixes make `ls` show the apply order; they also keep two batches
or bundles whose sanitised names clash apart. Building the layout also checks that the plan
is really in apply order, because the renderers trust that order.
"""

from __future__ import annotations

from typing import Any

import attrs

from modsys.errors import ValidationError
from modsys.render.model import Batch, Bundle, RenderInput
from modsys.render.naming import Unique, file_segment

# Files the renderers write next to object files; objects never take these names.
RESERVED = frozenset(
    {
        "values.yaml",
        "chart.json",
        "fleet.yaml",
        "kustomization.yaml",
        "helmrelease.yaml",
        "helmrepository.yaml",
        "Chart.yaml",
    }
)


@attrs.frozen
class ObjectFile:
    path: str
    obj: dict[str, Any]


@attrs.frozen
class BundleLayout:
    batch: Batch
    bundle: Bundle
    dir: str
    files: tuple[ObjectFile, ...]

    @property
    def id(self) -> str:
        return self.bundle.id

    @property
    def empty(self) -> bool:
        """Nothing to deploy: GitOps formats skip it and route dependencies around it."""
        return not self.files and self.bundle.chart is None


@attrs.frozen
class BatchLayout:
    batch: Batch
    dir: str
    bundles: tuple[BundleLayout, ...]


@attrs.frozen(eq=False)
class Layout:
    plan: RenderInput
    batches: tuple[BatchLayout, ...]
    # the namespaces that Namespace objects of the plan create -> the bundle id that first does
    namespaces: dict[str, str]

    def created_before_chart(self, namespace: str, bundle_id: str) -> bool:
        """Does a Namespace object exist by the time this bundle's chart is installed?

        A bundle's own objects are applied before its chart, so "the same bundle" counts.
        """
        creator = self.namespaces.get(namespace)
        if creator is None:
            return False
        order = [b.id for b in self.bundles]
        return order.index(creator) <= order.index(bundle_id)

    @property
    def bundles(self) -> list[BundleLayout]:
        return [b for batch in self.batches for b in batch.bundles]


def _width(n: int) -> int:
    return max(2, len(str(max(n - 1, 0))))


def object_label(obj: Any) -> tuple[str, str]:
    """(kind, name) of an object, tolerating malformed ones (the engine validates them)."""
    if not isinstance(obj, dict):
        return "object", "object"
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    return str(obj.get("kind") or "object"), str(meta.get("name") or "object")


def _bundle_files(bundle: Bundle, bundle_dir: str) -> tuple[ObjectFile, ...]:
    names = Unique(RESERVED)
    files = []
    for obj in bundle.objects:
        kind, name = object_label(obj)
        fname = names.claim(file_segment(f"{kind}-{name}", fallback="object"), ".yaml")
        files.append(ObjectFile(f"{bundle_dir}/{fname}", obj))
    return tuple(files)


def check_plan(plan: RenderInput) -> None:
    """Refuse a plan that is not in apply order; every problem is reported at once."""
    problems: list[str] = []
    seen_batches: set[str] = set()
    seen: set[str] = set()
    last: tuple[int, str] | None = None
    for batch in plan.manifest_sets:
        if batch.name in seen_batches:
            problems.append(f"batch {batch.name!r} appears twice")
        seen_batches.add(batch.name)
        if last is not None and batch.priority < last[0]:
            problems.append(
                f"batch {batch.name!r} (priority {batch.priority}) comes after "
                f"{last[1]!r} (priority {last[0]}): batches must be in ascending priority"
            )
        last = (batch.priority, batch.name)
        for bundle in batch.bundles:
            if bundle.batch != batch.name:
                problems.append(f"bundle {bundle.id!r} is listed in batch {batch.name!r}")
            if bundle.id in seen:
                problems.append(f"bundle {bundle.id!r} appears twice")
            for dep in bundle.depends_on:
                if dep not in seen:
                    problems.append(
                        f"bundle {bundle.id!r} depends on {dep!r}, which is not applied before it"
                    )
            seen.add(bundle.id)
    if problems:
        raise ValidationError(
            "the render plan is not in apply order:\n" + "\n".join(f"  - {p}" for p in problems),
            problems,
        )


def plan_layout(plan: RenderInput) -> Layout:
    check_plan(plan)
    bw = _width(len(plan.manifest_sets))
    batches = []
    for i, batch in enumerate(plan.manifest_sets):
        batch_dir = f"{i:0{bw}d}-{file_segment(batch.name, fallback='batch', max_len=60)}"
        uw = _width(len(batch.bundles))
        bundles = []
        for j, bundle in enumerate(batch.bundles):
            seg = file_segment(bundle.name, fallback="bundle", max_len=60)
            bundle_dir = f"{batch_dir}/{j:0{uw}d}-{seg}"
            bundles.append(
                BundleLayout(batch, bundle, bundle_dir, _bundle_files(bundle, bundle_dir))
            )
        batches.append(BatchLayout(batch, batch_dir, tuple(bundles)))
    return Layout(plan, tuple(batches), _created_namespaces(plan))


def _created_namespaces(plan: RenderInput) -> dict[str, str]:
    created: dict[str, str] = {}
    for batch in plan.manifest_sets:
        for bundle in batch.bundles:
            for obj in bundle.objects:
                if (
                    isinstance(obj, dict)
                    and obj.get("kind") == "Namespace"
                    and isinstance(obj.get("metadata"), dict)
                    and isinstance(obj["metadata"].get("name"), str)
                ):
                    created.setdefault(obj["metadata"]["name"], bundle.id)
    return created
