"""Helm's rendered text as Kubernetes objects: documents parsed, empties dropped, hooks named.

Helm renders each template to text; `helm template` and `kubectl apply` then split it into
YAML documents. This does the same, keeping for every object the template it came from (error
messages and `explain` point at it) and its place there (so the order is stable). Objects
carrying the `helm.sh/hook` annotation are hooks: Helm runs them around an install or
upgrade rather than applying them with the rest, so they are classified here and the platform
decides where they go.

Values are parsed the way Kubernetes reads YAML: timestamps stay strings (`documents.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import yaml

from modsys.charts.documents import load_documents
from modsys.charts.errors import ChartRenderError

HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_POLICY_ANNOTATION = "helm.sh/hook-delete-policy"

#: Every hook event Helm 3/4 knows (`test-success` is the Helm 2 spelling of `test`).
HOOK_EVENTS = frozenset(
    {
        "pre-install", "post-install", "pre-delete", "post-delete",
        "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback",
        "test", "test-success", "test-failure",
    }
)  # fmt: skip


@attrs.frozen
class Hook:
    """What `helm.sh/hook*` annotations say about an object."""

    events: tuple[str, ...]
    weight: int = 0
    delete_policies: tuple[str, ...] = ()

    @property
    def is_test(self) -> bool:
        """Run by `helm test` only, never by an install."""
        return bool(set(self.events) & {"test", "test-success", "test-failure"})

    @property
    def install_phase(self) -> Literal["before", "after"] | None:
        """When an install runs it: before the chart's other objects (`pre-install`), after them
        (`post-install`), or never (`None`: upgrade/delete/rollback/test-only hooks)."""
        if "pre-install" in self.events:
            return "before"
        if "post-install" in self.events:
            return "after"
        return None

    @property
    def unknown_events(self) -> tuple[str, ...]:
        return tuple(e for e in self.events if e not in HOOK_EVENTS)


def hook_of(obj: Mapping[str, Any]) -> Hook | None:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    raw = annotations.get(HOOK_ANNOTATION)
    if not raw:
        return None
    events = tuple(e.strip() for e in str(raw).split(",") if e.strip())
    try:
        weight = int(str(annotations.get(HOOK_WEIGHT_ANNOTATION, "0")).strip())
    except ValueError:
        weight = 0  # Helm's reading of an unparsable weight
    policies = str(annotations.get(HOOK_DELETE_POLICY_ANNOTATION, ""))
    return Hook(events, weight, tuple(p.strip() for p in policies.split(",") if p.strip()))


@attrs.frozen(hash=False)
class ChartObject:
    """One object a chart renders, and where it came from.

    `template` is Helm's name for the file (`istiod/templates/deployment.yaml`,
    `pxc-operator/crds/crd.yaml`; subcharts are `parent/charts/sub/templates/…`), `index` its
    position among the objects of that file.
    """

    template: str
    index: int
    object: dict[str, Any]
    hook: Hook | None = None

    @property
    def kind(self) -> str:
        return str(self.object.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.object.get("metadata") or {}).get("name", ""))

    @property
    def api_version(self) -> str:
        return str(self.object.get("apiVersion", ""))


def _documents(chart: str, template: str, text: str) -> list[Any]:
    try:
        return load_documents(text)
    except yaml.YAMLError as exc:
        # Not str(exc): its snippet of the offending line could show a secret value.
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ChartRenderError(
            f"chart {chart}: template {template} did not render valid YAML{where}: {problem}",
            chart=chart,
            template=template,
        ) from None


def parse_template(chart: str, template: str, text: str) -> list[ChartObject]:
    """The objects in one rendered template, in order; empty documents dropped and `List`
    kinds expanded into their items (as `kubectl apply` does)."""
    out: list[ChartObject] = []
    for doc in _documents(chart, template, text):
        if doc is None:
            continue
        items = doc.get("items") if isinstance(doc, dict) and doc.get("kind") == "List" else None
        for obj in items if isinstance(items, list) else [doc]:
            if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
                shape = "a mapping" if isinstance(obj, dict) else type(obj).__name__
                raise ChartRenderError(
                    f"chart {chart}: template {template} rendered a document that is not a "
                    f"Kubernetes object ({shape} without apiVersion and kind; object "
                    f"{len(out) + 1} of the file)",
                    chart=chart,
                    template=template,
                )
            out.append(ChartObject(template, len(out), obj, hook_of(obj)))
    return out
