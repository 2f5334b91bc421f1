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

Chart values may hold render-time references too: resolved for `dir` / `stream` (and where
plaintext is allowed), a problem in GitOps formats, since Helm values cannot be sealed: the
chart must take the value from a Secret (its `existingSecret`-style value, Flux `valuesFrom`).
A reference anywhere else (another kind, another field) is a problem (`scan_references`), also
for `modsys validate`. A `SealedSecret` or `ExternalSecret` is a
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


_LEAVES = frozenset({str, int, float, bool, type(None)})


def has_references(value: Any) -> bool:
    """Whether plain data holds a reference anywhere (fast: most objects hold none)."""
    tv = type(value)
    if tv is dict:
        for v in value.values():  # noqa: SIM110 (a loop: faster than any() here)
            if type(v) not in _LEAVES and has_references(v):
                return True
        return False
    if tv is list:
        for v in value:  # noqa: SIM110
            if type(v) not in _LEAVES and has_references(v):
                return True
        return False
    if tv in _LEAVES:
        return False
    if isinstance(value, SecretRef):
        return True
    if isinstance(value, Mapping):
        return any(has_references(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_references(v) for v in value)
    return False


def find_references(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], SecretRef]]:
    """Every reference inside plain data, with its path."""
    if isinstance(value, SecretRef):
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if type(v) not in _LEAVES:
                yield from find_references(v, (*path, k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            if type(v) not in _LEAVES:
                yield from find_references(v, (*path, i))


def _allowed(obj: Mapping[str, Any], path: tuple[Any, ...]) -> bool:
    return is_secret_object(obj) and len(path) == 2 and path[0] == "stringData"


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _strip(value: Any) -> Any:
    if isinstance(value, SecretRef):
        return PLACEHOLDER
    if isinstance(value, Mapping):
        return {k: _strip(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strip(v) for v in value]
    return value


def scan_references(result: PlanResult) -> tuple[list[Any], list[PlanProblem]]:
    """The plan's objects as the schema check should see them (a reference is a string
    placeholder), and the references where no value can be taken from them: anywhere but the
    values of a Secret's `stringData`."""
    objects: list[Any] = []
    problems: list[PlanProblem] = []
    for placed in result.placed():
        obj = placed.obj
        if not has_references(obj):
            objects.append(obj)
            continue
        objects.append(_strip(obj))
        for path, ref in find_references(obj):
            if _allowed(obj, path):
                continue
            problems.append(object_problem(
                result.locate, placed.origin, obj,
                f"{_dotted(path)}: {ref} is a secret reference, which may only be the value of a "
                "Secret's stringData entry (resources.Secret.<name>.stringData.<key>); put it in "
                "a Secret and refer to that (secretKeyRef, a volume, …)",
            ))
    return objects, problems


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
            chart = bundle.get("chart")
            if chart and has_references(chart.get("values")):
                origin = ("batches", batch["name"], "bundles", bundle["name"], "chart", "values")
                chart = {**chart, "values": _chart_values(chart["values"], origin, policy, environ, result, problems)}
                bundle = {**bundle, "chart": chart}
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


def _chart_values(
    values: Any,
    origin: Origin,
    policy: SecretPolicy,
    environ: Mapping[str, str],
    result: PlanResult,
    problems: list[PlanProblem],
) -> Any:
    """Chart values with their render-time references resolved, where the output may hold
    them in plaintext; else a problem per reference."""
    resolved: dict[tuple[Any, ...], str] = {}
    for path, ref in find_references(values):
        where = (*origin, *path)
        if isinstance(ref, External):
            message = (
                f"{ref} cannot be a chart value (the cluster fetches it into a Secret): give the "
                "Secret external entries and point the chart at that Secret (its "
                "existingSecret-style value)"
            )
        elif policy.gitops and not policy.allow_plaintext:
            message = (
                f"{ref} would be written in plaintext into the {policy.output} tree: Helm values "
                "cannot be sealed. Put the value in a Secret (resources.Secret.<name>.stringData."
                "<key>, sealed or external like any Secret) and point the chart at it (its "
                f"existingSecret-style value; Flux: valuesFrom), or, for a throwaway cluster "
                f"only, set {PLAINTEXT_OPTION} = true"
            )
        else:
            try:
                resolved[path] = resolve(ref, f"chart values {_dotted(path)}", environ)
                continue
            except SecretSourceError as exc:
                message = str(exc)
        problems.append(problem_at(result.locate, where, message))

    def put(value: Any, path: tuple[Any, ...]) -> Any:
        if path in resolved:
            return resolved[path]
        if isinstance(value, Mapping):
            return {k: put(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [put(v, (*path, i)) for i, v in enumerate(value)]
        return value

    return put(values, ())


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
    "has_references",
    "scan_references",
    "secure_plan",
]
