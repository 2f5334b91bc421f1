"""From an evaluation to a checked plan: build the plan, validate it, expand the variants.

Rendering and writing the files is the render layer's (`modsys.render.pipeline`); every
failure here is a `ModsysError` whose message a person can act on.
"""

from __future__ import annotations

from typing import Any

from modsys.attrset import to_plain
from modsys.errors import ValidationError
from modsys.evaluation import Evaluation
from modsys.gcpolicy import paused
from modsys.platform.checks import check_objects
from modsys.platform.evaluated import plan_result
from modsys.platform.names import is_dns_label
from modsys.platform.problems import plan_error
from modsys.platform.secrets import SecretPolicy, scan_references, secure_plan
from modsys.properties import mk_force

# `platform.kubernetes.build.*` options that other layers (targets) may declare, with the same
# names as the plan's keys; read only when declared, left out when null.
_OPTIONAL_BUILD_KEYS = ("files", "productionGuard")


def build_plan(evaluation: Evaluation) -> dict[str, Any]:
    """The plan as plain data in `modsys.render.RenderInput.from_data`'s shape.

    The manifest sets are shared with the option's value: treat the result as read-only.
    """
    with paused():
        return _build_plan(evaluation)


def _build_plan(evaluation: Evaluation) -> dict[str, Any]:
    k8s = evaluation.config["platform"]["kubernetes"]
    cluster, gitops, build = k8s["cluster"], k8s["gitops"], k8s["build"]
    data: dict[str, Any] = {
        "manifestSets": build["manifestSets"],
        "cluster": {
            "context": cluster["uniqueIdentifier"],
            "kubernetesVersion": cluster["kubernetesVersion"],
        },
        "gitops": {
            "repoURL": gitops["repoURL"],
            "targetRevision": gitops["targetRevision"],
            "path": gitops["path"],
        },
    }
    for key in _OPTIONAL_BUILD_KEYS:
        if key in build:
            value = to_plain(build[key])
            if value is not None:
                data[key] = value
    return data


def validate_plan(evaluation: Evaluation) -> None:
    """Raise one `ValidationError` listing every problem of the plan, structural or schema."""
    result = plan_result(evaluation)
    problems = [*result.problems, *check_objects(result)]
    if problems:
        raise plan_error(problems)


def secret_policy(evaluation: Evaluation, output: str, gitops: bool) -> SecretPolicy:
    """How the Secrets of `evaluation` are written into format `output` (`gitops`: a tree
    meant for git), from `platform.kubernetes.cluster.{allowPlaintextSecrets, sealedSecrets,
    externalSecrets}`."""
    cluster = evaluation.config["platform"]["kubernetes"]["cluster"]
    sealed, external = cluster["sealedSecrets"], cluster["externalSecrets"]
    certificate = sealed["certificate"]
    return SecretPolicy(
        output=output,
        gitops=gitops,
        allow_plaintext=bool(cluster["allowPlaintextSecrets"]),
        certificate=None if certificate is None else str(certificate),
        scope=str(sealed["scope"]),
        refresh_interval=str(external["refreshInterval"]),
    )


def output_plan(
    evaluation: Evaluation, output: str, *, gitops: bool, validate: bool = True
) -> dict[str, Any]:
    """`build_plan` with every Secret as format `output` may hold it (`secure_plan`: resolved,
    sealed or external), checked: one `ValidationError` lists the problems of the Secrets and,
    with `validate`, every other problem of the plan (`validate_plan`), checking the objects
    as they will be written. Sealing happens here, so nothing else sees a sealed value."""
    with paused():
        result = plan_result(evaluation)
        secured, problems = secure_plan(result, secret_policy(evaluation, output, gitops))
        if validate:
            problems = [*result.problems, *problems, *check_objects(secured)]
        elif not problems:
            problems = scan_references(secured)[1]
        if problems:
            raise plan_error(problems)
        plan = _build_plan(evaluation)
    plan["manifestSets"] = secured.manifest_sets
    return plan


def variants_of(evaluation: Evaluation) -> dict[str, Evaluation]:
    """One evaluation per `platform.kubernetes.variants` entry (empty for a plain config)."""
    k8s = evaluation.config["platform"]["kubernetes"]
    if "variants" not in k8s or k8s["variant"] is not None:
        return {}
    variants = k8s["variants"]
    bad = [n for n in variants if not is_dns_label(n)]
    if bad:
        raise ValidationError(
            "platform.kubernetes.variants: names must be DNS-1123 labels (they name output "
            f"folders): {', '.join(repr(n) for n in bad)}",
            [f"platform.kubernetes.variants.{n}: not a DNS-1123 label" for n in bad],
            ("platform", "kubernetes", "variants"),
        )
    return {
        name: evaluation.extend_modules(
            [
                variants[name],
                {
                    "_file": f"<variant {name}>",
                    "platform": {"kubernetes": {"variant": name}},
                },
            ]
        )
        for name in variants
    }


def cluster_names(evaluation: Evaluation, target: str = "multi-k3d") -> list[str]:
    """The clusters of a multi-cluster target, `targets.<target>.clusters`, sorted."""
    return sorted(evaluation.config["targets"][target]["clusters"])


def for_cluster(evaluation: Evaluation, name: str, target: str = "multi-k3d") -> Evaluation:
    """The evaluation with `targets.<target>.current` forced to `name`: the configuration of
    that one cluster (its variants are not expanded again)."""
    return evaluation.extend_modules(
        [
            {
                "_file": f"<cluster {name}>",
                "targets": {target: {"current": mk_force(name)}},
                # this is already the cluster's own configuration: don't expand the variants
                "platform": {"kubernetes": {"variant": name}},
            }
        ]
    )
