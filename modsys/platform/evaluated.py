"""The bridge from an evaluated configuration to the plain-data plan builder.

The plan is computed once per evaluation and cached (weakly, by evaluation), because both the
read-only option `platform.kubernetes.build.manifestSets` and `validate_plan` need it, and the
second must also see the problems that make the first fail.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from modsys.attrset import to_plain
from modsys.evaluation import Evaluation
from modsys.platform.plan import PlanResult, build_sets
from modsys.platform.problems import plan_error
from modsys.platform.provenance import EngineLocator

_CLUSTER_KEYS = (
    "uniqueIdentifier",
    "kubernetesVersion",
    "labels",
    "annotations",
    "externalCRDs",
    "externalNamespaces",
)
_BATCH_KEYS = ("priority", "description")

_RESULTS: weakref.WeakKeyDictionary[Evaluation, PlanResult] = weakref.WeakKeyDictionary()


def read_inputs(config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cluster, chart catalog) as plain data; disabled bundles are read no further than
    `enable`, so a broken definition in a disabled bundle stays harmless (as in Nix)."""
    k8s = config["platform"]["kubernetes"]
    cluster_view = k8s["cluster"]
    cluster: dict[str, Any] = {key: to_plain(cluster_view[key]) for key in _CLUSTER_KEYS}
    batches: dict[str, Any] = {}
    for name, batch in cluster_view["batches"].items():
        bundles: dict[str, Any] = {}
        for bname, bundle in batch["bundles"].items():
            bundles[bname] = to_plain(bundle) if bundle["enable"] else {"enable": False}
        batches[name] = {**{key: batch[key] for key in _BATCH_KEYS}, "bundles": bundles}
    cluster["batches"] = batches
    return cluster, to_plain(k8s["chartCatalog"])


def _files(evaluation: Evaluation) -> Mapping[str, Any]:
    """The plan's generated files (`platform.kubernetes.build.files`), for chart valuesFiles."""
    build = evaluation.config["platform"]["kubernetes"]["build"]
    files = to_plain(build["files"]) if "files" in build else None
    return files if isinstance(files, Mapping) else {}


def plan_result(evaluation: Evaluation) -> PlanResult:
    """The plan of an evaluation with every structural problem, computed once."""
    hit = _RESULTS.get(evaluation)
    if hit is None:
        cluster, catalog = read_inputs(evaluation.config)
        hit = build_sets(cluster, catalog, EngineLocator(evaluation), lambda: _files(evaluation))
        _RESULTS[evaluation] = hit
    return hit


def manifest_sets_of(options: Any) -> list[dict[str, Any]]:
    """The value of `platform.kubernetes.build.manifestSets` (called from the platform module)."""
    evaluation = options["platform"]["kubernetes"]["cluster"]["batches"].ev
    result = plan_result(evaluation)
    if result.problems:
        raise plan_error(result.problems)
    return result.manifest_sets
