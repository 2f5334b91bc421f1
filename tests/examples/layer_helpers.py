"""Shared helpers for the tests of targets, projects and examples (the user-facing layer).

Every scenario evaluates like the `modsys` command does: the platform's default modules plus
every bundled target and project (each off until enabled), then the modules under test.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

from modsys import eval_modules  # noqa: E402
from modsys.platform import default_modules  # noqa: E402
from modsys.render.pipeline import render_evaluation  # noqa: E402
from tests.needs import SHARED, shared_path  # noqa: E402

SCHEMAS = SHARED / "schemas"

#: What `modsys` imports by default besides the platform: every bundled target and project.
BUNDLED = [
    REPO / "modules" / "build" / "default.py",
    REPO / "targets" / "local-k3d.py",
    REPO / "targets" / "kind.py",
    REPO / "targets" / "remote.py",
    REPO / "targets" / "multi-k3d.py",
    REPO / "projects" / "charts.py",
    REPO / "projects" / "wookie" / "default.py",
    REPO / "projects" / "webapp" / "default.py",
]
OVERLAYS = {name: REPO / "examples" / "overlays" / f"{name}.yaml" for name in ("development", "staging", "production")}


def schemas_dir() -> Path:
    """The shared schema folder (a skip, or under CI a failure, when it is missing)."""
    return shared_path("schemas")


def evaluate(*modules: Any) -> Any:
    """Evaluate the default modules, the bundled targets and projects, and `modules`."""
    return eval_modules([*default_modules(), *BUNDLED, *modules])


def render(ev: Any, tmp_path: Path, fmt: str = "dir") -> tuple[Any, Path]:
    out = tmp_path / f"out-{fmt}"
    return render_evaluation(ev, fmt, out), out


def manifest_sets(ev: Any) -> list[dict[str, Any]]:
    return ev.config["platform"]["kubernetes"]["build"]["manifestSets"]


def bundles(ev: Any) -> dict[str, dict[str, Any]]:
    """Every bundle of the plan by `batch/bundle`."""
    return {f"{b['batch']}/{b['name']}": b for batch in manifest_sets(ev) for b in batch["bundles"]}


def objects(ev: Any) -> list[dict[str, Any]]:
    return [o for b in bundles(ev).values() for o in b["objects"]]


def find(ev: Any, kind: str, name: str | None = None) -> dict[str, Any]:
    found = [o for o in objects(ev) if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def generated(ev: Any) -> dict[str, Any]:
    """`platform.kubernetes.build.files`: every generated file by path."""
    from modsys.attrset import to_plain

    return to_plain(ev.config["platform"]["kubernetes"]["build"]["files"])


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _load_yaml_all(path: Path) -> str:
    with path.open(encoding="utf-8") as fh:
        return json.dumps([d for d in yaml.load_all(fh, Loader=_LOADER) if d])


def load_yaml_all(path: Path) -> list[Any]:
    """Every document of a YAML file (parsed once per session; a fresh copy each call)."""
    return json.loads(_load_yaml_all(path))


def k3d_schema() -> Mapping[str, Any]:
    return json.loads((schemas_dir() / "k3d-config-v1alpha5.schema.json").read_text())


def validate_k3d(config: Mapping[str, Any]) -> None:
    """Validate a k3d config against the real schema (with format checks), or fail."""
    import jsonschema

    validator = jsonschema.Draft7Validator(k3d_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def pxc_crds() -> list[dict[str, Any]]:
    return load_yaml_all(schemas_dir() / "crds" / "pxc" / "crd.yaml")


def validate_custom_resource(obj: Mapping[str, Any], crds: Iterable[Mapping[str, Any]]) -> list[str]:
    """Problems of `obj` against `crds` (strict: unknown fields are problems), as text."""
    from modsys.kube import CustomResourceIndex, validate_objects

    problems = validate_objects([dict(obj)], "1.31", CustomResourceIndex.from_objects(crds))
    return [f"{p.path}: {p.message}" for p in problems]


def istio_defaults(chart: str) -> dict[str, Any]:
    values = yaml.safe_load((schemas_dir() / "charts" / "istio" / chart / "values.yaml").read_text())
    return values["_internal_defaults_do_not_set"]


def unknown_value_keys(values: Mapping[str, Any], defaults: Mapping[str, Any], allow: Iterable[str] = (),
                       prefix: str = "") -> list[str]:
    """Value paths that the chart does not define.

    A key must exist in `defaults`; below it, only keys of a non-empty mapping default are
    checked (an empty `{}` default, e.g. `env` or `labels`, takes any key; lists and scalars
    are replaced whole). `allow` lists top-level keys that the chart reads without a default.
    """
    unknown = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if not prefix and key in allow:
            continue
        if key not in defaults:
            unknown.append(path)
            continue
        default = defaults[key]
        if isinstance(value, Mapping) and isinstance(default, Mapping) and default:
            unknown += unknown_value_keys(value, default, (), f"{path}.")
    return unknown
