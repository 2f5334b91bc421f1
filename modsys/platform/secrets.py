"""Secrets made fit for the output they are rendered into: the one place that decides, per
Secret of the plan, what is written.

A Secret's `stringData` entries may be references (`modsys.secrets`: `from_env`, `from_file`,
`external`). When rendering (`secure_plan`, called by `modsys.platform.api.output_plan`):

- a Secret with `external(...)` entries becomes an `ExternalSecret` (every entry external, one
  store), in every format: the cluster fetches the value, the tree never holds it;
- otherwise its render-time references are resolved (a missing variable or file is a problem
  naming the Secret and key, and nothing is written), and then
  - `dir` / `stream` (applied from the operator's machine): the Secret is written as is;
  - GitOps formats (the tree goes into git): the Secret is sealed into a Bitnami `SealedSecret`
    for `platform.kubernetes.cluster.sealedSecrets.certificate`; without a certificate it is a
    problem naming the three ways out, unless the cluster sets
    `platform.kubernetes.cluster.allowPlaintextSecrets` (throwaway clusters).

A reference anywhere else (another kind, another field, chart values) is a problem
(`reference_problems`), also for `modsys validate`. A `SealedSecret` or `ExternalSecret` is a
custom resource like any other: its CRD must be in an earlier batch or listed in
`externalCRDs`, and it is validated against that CRD (or modsys' bundled copy,
`modsys.kube.known`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from modsys.platform.plan import PlanResult, object_problem
from modsys.platform.problems import Origin, PlanProblem, problem_at
from modsys.secrets.refs import External, SecretRef, SecretSourceError, external_secret, resolve

PLAINTEXT_OPTION = "platform.kubernetes.cluster.allowPlaintextSecrets"
CERTIFICATE_OPTION = "platform.kubernetes.cluster.sealedSecrets.certificate"
CERTIFICATE_ORIGIN: Origin = ("sealedSecrets", "certificate")
PLACEHOLDER = ""
"""What a reference counts as when an object is checked against its schema (a string)."""


@attrs.frozen
class SecretPolicy:
    """How the Secrets of one rendering are written (see the module docstring)."""

    output: str
    gitops: bool
    allow_plaintext: bool = False
    certificate: str | None = None
    scope: str = "strict"
    refresh_interval: str = "1h"
    environ: Mapping[str, str] | None = None


def is_secret_object(obj: Mapping[str, Any]) -> bool:
    return obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1"


# --- references in the wrong place --------------------------------------------------------------


def find_references(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], SecretRef]]:
    """Every reference inside plain data, with its path."""
    if isinstance(value, SecretRef):
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(v, (str, int, float, bool)) and v is not None:
                yield from find_references(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if not isinstance(v, (str, int, float, bool)) and v is not None:
                yield from find_references(v, (*path, i))


def _allowed(obj: Mapping[str, Any], path: tuple[Any, ...]) -> bool:
    return is_secret_object(obj) and len(path) == 2 and path[0] == "stringData"


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def without_references(obj: Any) -> Any:
    """`obj` with every reference replaced by a string placeholder, for the schema check (the
    object itself when it has none)."""
    found = list(find_references(obj)) if isinstance(obj, Mapping) else []
    if not found:
        return obj

    def strip(value: Any) -> Any:
        if isinstance(value, SecretRef):
            return PLACEHOLDER
        if isinstance(value, Mapping):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(obj)


def reference_problems(result: PlanResult) -> list[PlanProblem]:
    """References where no value can be taken from them: outside a Secret's `stringData`, or
    in chart values (Helm would write the value in plaintext)."""
    out: list[PlanProblem] = []
    for placed in result.placed():
        obj = placed.obj
        for path, ref in find_references(obj):
            if _allowed(obj, path):
                continue
            out.append(object_problem(
                result.locate, placed.origin, obj,
                f"{_dotted(path)}: {ref} is a secret reference, which may only be the value of a "
                "Secret's stringData entry (resources.Secret.<name>.stringData.<key>); put it in "
                "a Secret and refer to that (secretKeyRef, a volume, …)",
            ))
    for batch in result.manifest_sets:
        for bundle in batch["bundles"]:
            chart = bundle.get("chart") or {}
            for path, ref in find_references(chart.get("values") or {}):
                origin = ("batches", batch["name"], "bundles", bundle["name"], "chart", "values", *path)
                out.append(problem_at(
                    result.locate, origin,
                    f"{ref} is a secret reference, and chart values are written in plaintext; "
                    "put the value in a Secret (resources.Secret.<name>.stringData.<key>) and "
                    "point the chart at it (its existingSecret / secretKeyRef-style value)",
                ))
    return out


# --- Secrets for the output ---------------------------------------------------------------------


class _Sealer:
    """The public key of the certificate, loaded on first use; one problem if it cannot be."""

    def __init__(self, policy: SecretPolicy) -> None:
        self.policy = policy
        self.key: Any = None
        self.failed: str | None = None

    def seal(self, secret: Mapping[str, Any]) -> dict[str, Any]:
        from modsys.secrets.seal import SealingScope, load_public_key, seal_secret

        if self.key is None:
            self.key = load_public_key(Path(self.policy.certificate or ""))
        sealed = seal_secret(secret, self.key, SealingScope(self.policy.scope))
        meta = secret.get("metadata") or {}
        out_meta = dict(sealed["metadata"])
        if meta.get("labels"):
            out_meta["labels"] = dict(meta["labels"])
        annotations = {**(meta.get("annotations") or {}), **(out_meta.get("annotations") or {})}
        if annotations:
            out_meta["annotations"] = annotations
        return {**sealed, "metadata": out_meta}


def _plaintext_message(policy: SecretPolicy, name: str, keys: list[str]) -> str:
    return (
        f"{name} would be written in plaintext into the {policy.output} tree, which is meant "
        f"for git ({', '.join(keys)}). Either seal it: set {CERTIFICATE_OPTION} to the "
        "sealed-secrets controller's certificate (`kubeseal --fetch-cert`) and it is written "
        "as a SealedSecret; or make it external: give its entries as "
        "external(key, property, store=...) and the External Secrets Operator fetches them; or, "
        f"for a throwaway cluster only, set {PLAINTEXT_OPTION} = true"
    )


def secure_plan(result: PlanResult, policy: SecretPolicy) -> tuple[PlanResult, list[PlanProblem]]:
    """The plan with every Secret as the output may hold it, and the problems (see the module
    docstring). Objects keep their places (and origins); nothing else changes."""
    problems: list[PlanProblem] = []
    sealer = _Sealer(policy)
    environ = os.environ if policy.environ is None else policy.environ
    sets: list[dict[str, Any]] = []
    for batch in result.manifest_sets:
        bundles = []
        for bundle in batch["bundles"]:
            objects = list(bundle["objects"])
            for i, obj in enumerate(objects):
                if not isinstance(obj, Mapping) or not is_secret_object(obj):
                    continue
                origin = result.origins.get((batch["name"], bundle["name"], i), ())

                def problem(message: str, obj: Mapping[str, Any] = obj, origin: Origin = origin) -> None:
                    problems.append(object_problem(result.locate, origin, obj, message))

                objects[i] = _secure(obj, policy, sealer, environ, problem, result, problems)
            bundles.append({**bundle, "objects": objects})
        sets.append({**batch, "bundles": bundles})
    return attrs.evolve(result, manifest_sets=sets), problems


def _secure(
    obj: Mapping[str, Any],
    policy: SecretPolicy,
    sealer: _Sealer,
    environ: Mapping[str, str],
    problem: Any,
    result: PlanResult,
    problems: list[PlanProblem],
) -> Any:
    meta = obj.get("metadata") or {}
    name = f"Secret {meta.get('namespace')}/{meta.get('name')}"
    string_data = obj.get("stringData") or {}
    if not isinstance(string_data, Mapping):
        return obj  # the schema check reports it
    if any(isinstance(v, External) for v in string_data.values()):
        try:
            return external_secret(obj, policy.refresh_interval)
        except SecretSourceError as exc:
            problem(str(exc))
            return obj
    keys = [f"data.{k}" for k in obj.get("data") or {}] + [f"stringData.{k}" for k in string_data]
    if not keys:
        return obj  # no values: nothing to hide
    if policy.gitops and not policy.allow_plaintext and policy.certificate is None:
        problem(_plaintext_message(policy, name, keys))
        return obj
    resolved: dict[str, Any] = {}
    failed = False
    for key, value in string_data.items():
        if isinstance(value, SecretRef):
            try:
                value = resolve(value, f"{name}, key {key}", environ)
            except SecretSourceError as exc:
                problem(str(exc))
                failed = True
        resolved[key] = value
    if failed:
        return obj
    plain = {**obj, "stringData": resolved} if string_data else dict(obj)
    if not policy.gitops or policy.certificate is None:
        return plain
    if sealer.failed is not None:
        return obj
    from modsys.secrets.seal import SealingError

    try:
        return sealer.seal(plain)
    except SealingError as exc:
        if sealer.key is None:  # the certificate: one problem, at the option
            sealer.failed = str(exc)
            problems.append(problem_at(
                result.locate, CERTIFICATE_ORIGIN,
                f"{exc} (the sealed-secrets controller's certificate: `kubeseal --fetch-cert`)",
            ))
        else:
            problem(str(exc))
        return obj


__all__ = [
    "SecretPolicy",
    "find_references",
    "reference_problems",
    "secure_plan",
    "without_references",
]
