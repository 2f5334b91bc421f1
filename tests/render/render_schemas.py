"""Validators for the real published schemas in ../shared/schemas (see SOURCES.md there).

CRD schemas are checked the way the API server does with strict field validation: an object
with declared `properties` rejects unknown fields unless it preserves unknown fields, so a
misspelt key in a rendered Application or Kustomization fails here and not in a cluster.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tests.needs import shared_path

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
def _schema_file(relpath: str) -> Path:
    return shared_path("schemas", relpath)


CRD_FILES = {
    ("argoproj.io/v1alpha1", "Application"): "crds/argocd/application-crd.yaml",
    (
        "kustomize.toolkit.fluxcd.io/v1",
        "Kustomization",
    ): "crds/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
    (
        "helm.toolkit.fluxcd.io/v2",
        "HelmRelease",
    ): "crds/flux/helm.toolkit.fluxcd.io_helmreleases.yaml",
    (
        "source.toolkit.fluxcd.io/v1",
        "GitRepository",
    ): "crds/flux/source.toolkit.fluxcd.io_gitrepositories.yaml",
    (
        "source.toolkit.fluxcd.io/v1",
        "HelmRepository",
    ): "crds/flux/source.toolkit.fluxcd.io_helmrepositories.yaml",
    ("fleet.cattle.io/v1alpha1", "GitRepo"): "crds/fleet/crds.yaml",
}


def _strict(node: Any) -> Any:
    """OpenAPI v3 (as CRDs use it) to JSON Schema, rejecting undeclared fields."""
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if not k.startswith("x-kubernetes")}
    if "properties" in node:  # property names are data, not schema keywords
        out["properties"] = {k: _strict(v) for k, v in node["properties"].items()}
    if node.get("x-kubernetes-int-or-string"):
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (
        "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    out.pop("nullable", None)
    return out


@functools.cache
def crd_validator(api_version: str, kind: str) -> jsonschema.protocols.Validator:
    group, version = api_version.split("/")
    for doc in yaml.load_all(
        _schema_file(CRD_FILES[(api_version, kind)]).read_text(), Loader=_LOADER
    ):
        if not doc or doc.get("kind") != "CustomResourceDefinition":
            continue
        if doc["spec"]["group"] != group or doc["spec"]["names"]["kind"] != kind:
            continue
        for v in doc["spec"]["versions"]:
            if v["name"] == version and v.get("served"):
                schema = _strict(v["schema"]["openAPIV3Schema"])
                return jsonschema.Draft7Validator(schema)
    raise LookupError(f"no served CRD version for {api_version} {kind}")


@functools.cache
def json_validator(relpath: str) -> jsonschema.protocols.Validator:
    schema = json.loads(_schema_file(relpath).read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def errors(validator: jsonschema.protocols.Validator, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(data)
    ]


def object_errors(obj: dict[str, Any]) -> list[str]:
    """Errors of a rendered custom resource against its CRD (and basic metadata rules)."""
    problems = errors(crd_validator(obj["apiVersion"], obj["kind"]), obj)
    name = obj.get("metadata", {}).get("name", "")
    if not (0 < len(name) <= 63) or not name.replace("-", "a").isalnum() or name != name.lower():
        problems.append(f"metadata.name {name!r} is not a DNS label")
    return problems


def _load(data: bytes) -> Any:
    return yaml.safe_load(data)


def schema_problems(fmt: str, files: dict[str, bytes]) -> dict[str, list[str]]:
    """Validate every file a GitOps format generates (objects of the plan are not its output)."""
    problems: dict[str, list[str]] = {}
    for path, data in files.items():
        if path == "helmfile.yaml":
            found = errors(json_validator("helmfile.schema.json"), _load(data))
        elif path.endswith("/fleet.yaml"):
            found = errors(json_validator("crds/fleet/fleet.yaml.schema.json"), _load(data))
        elif path.endswith((".yaml", ".yml")) and not path.startswith(("charts/", "values/")):
            doc = _load(data)
            key = (doc.get("apiVersion"), doc.get("kind")) if isinstance(doc, dict) else None
            if key not in CRD_FILES:
                continue
            found = object_errors(doc)
        else:
            continue
        if found:
            problems[path] = found
    return problems
