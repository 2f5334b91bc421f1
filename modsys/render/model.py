"""The plan every renderer reads: ordered manifest sets as plain attrs classes.

Renderers never see the module engine. They take this plain-data plan, so they can be tested,
benchmarked and fed by hand without evaluating any module. The plain-data form (`from_data` /
`to_data`) uses the camelCase keys of the Nix-style options (`manifestSets`, `dependsOn`, …).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import cattrs
from cattrs.cols import is_sequence, list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from modsys.errors import ValidationError
from modsys.kube.kinds import DEFAULT_KUBERNETES_VERSION


@attrs.frozen
class Wait:
    """A readiness check run after a bundle is applied and before anything that needs it."""

    kind: str | None = None
    name: str | None = None  # None: every object of `kind` in the bundle
    namespace: str | None = None
    for_: str | None = None  # "condition=Available", "jsonpath=…" or "rollout"
    command: str | None = None  # a shell command, instead of kind/for
    timeout: str = "300s"


@attrs.frozen
class Chart:
    """A Helm chart reference; `release_name` defaults to the chart name."""

    name: str
    repository: str
    version: str
    release_name: str = attrs.field(default=attrs.Factory(lambda self: self.name, takes_self=True))
    values: dict[str, Any] = attrs.Factory(dict)
    values_files: list[str] = attrs.Factory(list)
    include_crds: bool = True
    path: str | None = None  # a local chart (directory or .tgz) instead of repository
    skip_schema_validation: bool = False


@attrs.frozen
class Bundle:
    """One unit of deployment: raw objects (in apply order) and/or a chart."""

    name: str
    batch: str
    namespace: str | None = None
    depends_on: list[str] = attrs.Factory(list)  # resolved "batch/bundle" ids
    labels: dict[str, str] = attrs.Factory(dict)
    annotations: dict[str, str] = attrs.Factory(dict)
    chart: Chart | None = None
    objects: list[dict[str, Any]] = attrs.Factory(list)
    wait: list[Wait] = attrs.Factory(list)
    # the chart as modsys rendered it (name, version, digest, source, objects, indices of its
    # objects in `objects`); None when the bundle has no chart or it was not rendered
    rendered_chart: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.batch}/{self.name}"


@attrs.frozen
class Batch:
    """A group of bundles applied together; bundles are already in topological order."""

    name: str
    priority: int
    description: str = ""
    bundles: list[Bundle] = attrs.Factory(list)


@attrs.frozen
class Cluster:
    context: str | None = None
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION


@attrs.frozen
class GitOps:
    """Where the rendered tree lives in Git, for the pull-based formats."""

    repo_url: str | None = None
    target_revision: str = "HEAD"
    path: str = "."


@attrs.frozen
class GeneratedFile:
    text: str
    executable: bool = False


@attrs.frozen
class ProductionGuard:
    """Makes apply.sh/destroy.sh refuse to run unless the kube context matches and a human agrees."""

    context: str
    environment: str


@attrs.frozen
class RenderInput:
    manifest_sets: list[Batch] = attrs.Factory(list)
    cluster: Cluster = attrs.Factory(Cluster)
    gitops: GitOps = attrs.Factory(GitOps)
    files: dict[str, GeneratedFile] = attrs.Factory(dict)
    production_guard: ProductionGuard | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RenderInput:
        """Build a plan from plain data; every shape problem is reported in one ValidationError."""
        try:
            return _converter.structure(_fill_batches(data), cls)
        except cattrs.BaseValidationError as exc:
            problems = [_camel_path(p) for p in cattrs.transform_error(exc, path="plan")]
            raise ValidationError(
                "the render plan is malformed:\n" + "\n".join(f"  - {p}" for p in problems),
                problems,
            ) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValidationError(f"the render plan is malformed: {exc}", [str(exc)]) from None

    def to_data(self) -> dict[str, Any]:
        return _converter.unstructure(self)


def _fill_batches(data: Any) -> Any:
    """Bundles nested in a batch may leave out `batch`; fill it from the parent."""
    if not isinstance(data, dict) or not isinstance(data.get("manifestSets"), list):
        return data
    batches = []
    for batch in data["manifestSets"]:
        if isinstance(batch, dict) and isinstance(batch.get("bundles"), list):
            bundles = [
                {"batch": batch.get("name"), **b} if isinstance(b, dict) else b
                for b in batch["bundles"]
            ]
            batch = {**batch, "bundles": bundles}
        batches.append(batch)
    return {**data, "manifestSets": batches}


# Inner classes first: a generated hook binds the hooks of its field types when it is made.
_RENAMES: dict[type, dict[str, str]] = {
    Wait: {"for_": "for"},
    Chart: {
        "release_name": "releaseName",
        "values_files": "valuesFiles",
        "include_crds": "includeCRDs",
        "skip_schema_validation": "skipSchemaValidation",
    },
    Bundle: {"depends_on": "dependsOn", "rendered_chart": "renderedChart"},
    Batch: {},
    Cluster: {"kubernetes_version": "kubernetesVersion"},
    GitOps: {"repo_url": "repoURL", "target_revision": "targetRevision"},
    ProductionGuard: {},
    GeneratedFile: {},
    RenderInput: {"manifest_sets": "manifestSets", "production_guard": "productionGuard"},
}


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)

    def structure_str(value: Any, _: type) -> str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__} {value!r}")
        return value

    conv.register_structure_hook(str, structure_str)
    conv.register_structure_hook_factory(
        is_sequence, lambda t, c: _only_lists(list_structure_factory(t, c))
    )
    for cls, renames in _RENAMES.items():
        overrides: dict[str, Any] = {a: override(rename=k) for a, k in renames.items()}
        hook: Any = make_dict_structure_fn(cls, conv, **overrides)
        if cls is GeneratedFile:
            hook = _accept_bare_text(hook)
        conv.register_structure_hook(cls, hook)
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv, **overrides))
    return conv


def _only_lists(hook: Any) -> Any:
    """cattrs would turn the string "web" into ["w", "e", "b"]; a list option must be a list."""

    def structure(value: Any, cls: type) -> Any:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__} {value!r}")
        return hook(value, cls)

    return structure


def _accept_bare_text(hook: Any) -> Any:
    """`files` may map a path straight to its text."""

    def structure(value: Any, cls: type) -> GeneratedFile:
        return GeneratedFile(text=value) if isinstance(value, str) else hook(value, cls)

    return structure


_converter = _make_converter()
_KEY_OF = {attr: key for renames in _RENAMES.values() for attr, key in renames.items()}


def _camel_path(problem: str) -> str:
    """cattrs names attributes in its paths; show the keys the user wrote instead."""
    return re.sub(r"\.([a-z_]+)", lambda m: "." + _KEY_OF.get(m.group(1), m.group(1)), problem)
