"""The platform module: how to deploy to a Kubernetes cluster, as batches of bundles.

Declares `platform.kubernetes.{cluster, chartCatalog, gitops, build}`. Batches apply by ascending
priority (lower first, as in Nix). The seeded batches' priorities are set with
`mk_option_default`, like an option default, so any definition in a project (plain, or even
`mk_default`) overrides them; their descriptions use `mk_default`, since `description` already has
an option default. `build.manifestSets` is the result: read-only, computed from the batches by
`modsys.platform`, and the one source every renderer reads.
"""

from pathlib import Path

from modsys import assertions_module, mk_default, mk_option, mk_option_default
from modsys import types as t
from modsys.platform.authoring import (
    DEFAULT_KUBERNETES_VERSION,
    SUPPORTED_VERSIONS,
    file_path,
    manifest_sets_of,
)

BUNDLE_MODULE = str(Path(__file__).with_name("bundle.py"))

SEEDED_BATCHES = {
    "crds": (100, "CustomResourceDefinitions, so later batches can create custom resources."),
    "namespaces": (200, "Namespaces, so later batches can put objects in them."),
    "operators": (300, "Operators and controllers that serve the CRDs."),
    "services": (600, "Applications."),
}

batch_module = {
    "options": {
        "priority": mk_option(
            type=t.int, description="Apply order of the batch: lower numbers apply first."
        ),
        "description": mk_option(type=t.str, default="", description="What the batch is for."),
        "bundles": mk_option(
            type=t.attrs_of(t.submodule(BUNDLE_MODULE)),
            default={},
            description="The bundles of this batch (names are DNS-1123 labels).",
        ),
    }
}

catalog_entry = {
    "options": {
        "repository": mk_option(type=t.non_empty_str, description="Helm or OCI repository."),
        "versions": mk_option(type=t.list_of(t.str), default=[], description="Known versions."),
        "defaultVersion": mk_option(
            type=t.null_or(t.str),
            default=None,
            description="Version used when a bundle names none; null: the last of `versions`.",
        ),
    }
}


def module(options):
    return {
        "key": "modsys:modules/platform/kubernetes",
        "imports": [assertions_module],
        "options": {
            "platform": {
                "kubernetes": {
                    "cluster": {
                        "uniqueIdentifier": mk_option(
                            type=t.null_or(t.non_empty_str),
                            default=None,
                            description="The kube context of the cluster; null: the current one.",
                        ),
                        "kubernetesVersion": mk_option(
                            type=t.enum(list(SUPPORTED_VERSIONS)),
                            default=DEFAULT_KUBERNETES_VERSION,
                            description="Kubernetes minor version: decides apiVersions and schemas.",
                        ),
                        "labels": mk_option(
                            type=t.attrs_of(t.str), default={}, description="Labels on every object."
                        ),
                        "annotations": mk_option(
                            type=t.attrs_of(t.str),
                            default={},
                            description="Annotations on every object.",
                        ),
                        "externalCRDs": mk_option(
                            type=t.list_of(t.str),
                            default=[],
                            example=["monitoring.coreos.com/ServiceMonitor"],
                            description='CRDs installed outside this plan: "group/Kind" or "Kind".',
                        ),
                        "externalNamespaces": mk_option(
                            type=t.list_of(t.str),
                            default=[],
                            description=(
                                "Namespaces created outside this plan (default, kube-system, "
                                "kube-public and kube-node-lease always count as existing)."
                            ),
                        ),
                        "allowPlaintextSecrets": mk_option(
                            type=t.bool,
                            default=False,
                            description=(
                                "Write Secrets with plaintext values into GitOps trees (argocd, "
                                "flux, fleet, helmfile, kustomize), which are meant for git. Only "
                                "for throwaway clusters (the local-k3d target sets it); otherwise "
                                "seal them (`sealedSecrets.certificate`) or make them external."
                            ),
                        ),
                        "sealedSecrets": {
                            "certificate": mk_option(
                                type=t.null_or(file_path),
                                default=None,
                                example="./sealed-secrets.pem",
                                description=(
                                    "The sealed-secrets controller's certificate (PEM, from "
                                    "`kubeseal --fetch-cert`; relative to the defining module). "
                                    "When set, GitOps formats write each Secret with values as a "
                                    "SealedSecret encrypted for it; `dir` and `stream` are not "
                                    "affected."
                                ),
                            ),
                            "scope": mk_option(
                                type=t.enum(["strict", "namespace-wide", "cluster-wide"]),
                                default="strict",
                                description=(
                                    "Where a sealed Secret may be unsealed: only under its own "
                                    "namespace and name (strict), under any name in its "
                                    "namespace, or anywhere in the cluster (kubeseal's --scope)."
                                ),
                            ),
                        },
                        "externalSecrets": {
                            "refreshInterval": mk_option(
                                type=t.str_matching(r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h))+"),
                                default="1h",
                                description=(
                                    "How often the External Secrets Operator re-reads the values "
                                    "of the ExternalSecrets modsys writes for `external(...)` "
                                    "references."
                                ),
                            ),
                        },
                        "batches": mk_option(
                            type=t.attrs_of(t.submodule(batch_module)),
                            default={},
                            description="Batches of bundles, applied by ascending priority.",
                        ),
                    },
                    "chartCatalog": mk_option(
                        type=t.attrs_of(t.submodule(catalog_entry)),
                        default={},
                        description="Known charts by name: a bundle may then name only the chart.",
                    ),
                    "variants": mk_option(
                        type=t.attrs_of(t.deferred_module),
                        default={},
                        description=(
                            "Configurations rendered side by side, one manifest set each (e.g. "
                            "one per cluster of a multi-cluster target): each is a module added "
                            "to this configuration, and `modsys render` writes it to "
                            "`<out>/<name>/`."
                        ),
                    ),
                    "variant": mk_option(
                        type=t.null_or(t.str),
                        default=None,
                        internal=True,
                        description="The name of the variant this configuration renders, if any.",
                    ),
                    "gitops": {
                        "repoURL": mk_option(
                            type=t.null_or(t.str),
                            default=None,
                            description="Git repository holding the rendered tree.",
                        ),
                        "targetRevision": mk_option(
                            type=t.str, default="HEAD", description="Branch, tag or commit."
                        ),
                        "path": mk_option(
                            type=t.str, default=".", description="Folder of the tree in the repository."
                        ),
                    },
                    "build": {
                        "manifestSets": mk_option(
                            type=t.raw,
                            read_only=True,
                            description=(
                                "The ordered manifest sets (batches, bundles, complete objects, "
                                "waits) as plain data; computed, read-only."
                            ),
                        ),
                    },
                }
            }
        },
        "config": {
            "platform": {
                "kubernetes": {
                    "cluster": {
                        "batches": {
                            name: {
                                "priority": mk_option_default(priority),
                                "description": mk_default(text),
                            }
                            for name, (priority, text) in SEEDED_BATCHES.items()
                        }
                    },
                    "build": {"manifestSets": lambda: manifest_sets_of(options)},
                }
            }
        },
    }
