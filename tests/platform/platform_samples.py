"""Builders for the platform tests: modules as files (so messages can name them), valid objects,
and short ways to get at a plan."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from modsys import Evaluation, ValidationError, eval_modules
from modsys.platform import PLATFORM_MODULE, build_plan, validate_plan


def write_module(directory: Path, name: str, source: str) -> Path:
    """A .py module file; `source` must define `module`."""
    path = directory / name
    path.write_text(
        "from modsys import mk_default, mk_force, mk_if, mk_override\n" + textwrap.dedent(source)
    )
    return path


def write_data(directory: Path, name: str, data: dict[str, Any]) -> Path:
    """A .py module file whose module is this plain data."""
    return write_module(directory, name, f"module = {data!r}\n")


def cluster(batches: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    """A module setting `platform.kubernetes.cluster`."""
    return {"platform": {"kubernetes": {"cluster": {**options, "batches": batches or {}}}}}


def bundle_in(batch: str, name: str, **bundle: Any) -> dict[str, Any]:
    return cluster({batch: {"bundles": {name: bundle}}})


def evaluate(*modules: Any) -> Evaluation:
    return eval_modules([PLATFORM_MODULE, *modules])


def plan_of(*modules: Any) -> dict[str, Any]:
    return build_plan(evaluate(*modules))


def bundle_ids(plan: dict[str, Any]) -> list[str]:
    return [f"{b['name']}/{u['name']}" for b in plan["manifestSets"] for u in b["bundles"]]


def find_bundle(plan: dict[str, Any], ident: str) -> dict[str, Any]:
    batch, name = ident.split("/")
    for b in plan["manifestSets"]:
        for u in b["bundles"]:
            if b["name"] == batch and u["name"] == name:
                return u
    raise KeyError(ident)


def objects_of(plan: dict[str, Any], ident: str) -> list[dict[str, Any]]:
    return find_bundle(plan, ident)["objects"]


def validation_error(*modules: Any) -> ValidationError:
    """The error `validate_plan` raises (the test fails if it raises none)."""
    try:
        validate_plan(evaluate(*modules))
    except ValidationError as exc:
        return exc
    raise AssertionError("validate_plan accepted the plan")


def deployment(name: str, **spec: Any) -> dict[str, Any]:
    """A valid Deployment body for `resources.Deployment.<name>`."""
    return {
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]},
            },
            **spec,
        }
    }


def crd(group: str, kind: str, scope: str = "Namespaced", version: str = "v1") -> dict[str, Any]:
    """A CustomResourceDefinition whose objects have `spec.size` (an integer)."""
    plural = kind.lower() + "s"
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": scope,
            "names": {"kind": kind, "plural": plural, "singular": kind.lower(), "listKind": kind + "List"},
            "versions": [{
                "name": version,
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
                }},
            }],
        },
    }


def namespace_bundle(*names: str) -> dict[str, Any]:
    """A module creating namespaces in the seeded `namespaces` batch."""
    return bundle_in("namespaces", "ns", resources={"Namespace": {n: {} for n in names}})
