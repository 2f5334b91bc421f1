"""Kubernetes knowledge and validation, independent of the module engine.

Plain dicts in, plain data out: the platform layer uses this to complete objects (apiVersion,
namespace), order them the way Helm does, and check them against the schemas of the cluster's
Kubernetes version before anything is written.
"""

from modsys.kube.kinds import (
    DEFAULT_KUBERNETES_VERSION,
    INSTALL_ORDER,
    SUPPORTED_VERSIONS,
    CustomResourceDefinitionInfo,
    CustomResourceIndex,
    UnsupportedVersionError,
    builtin_api_versions,
    install_rank,
    is_namespaced,
    kubernetes_minor,
    object_sort_key,
    parse_crd,
    resolve_api_version,
    split_api_version,
)
from modsys.kube.validate import Problem, object_ref, validate_names, validate_objects

__all__ = [
    "DEFAULT_KUBERNETES_VERSION",
    "INSTALL_ORDER",
    "SUPPORTED_VERSIONS",
    "CustomResourceDefinitionInfo",
    "CustomResourceIndex",
    "Problem",
    "UnsupportedVersionError",
    "builtin_api_versions",
    "install_rank",
    "is_namespaced",
    "kubernetes_minor",
    "object_ref",
    "object_sort_key",
    "parse_crd",
    "resolve_api_version",
    "split_api_version",
    "validate_names",
    "validate_objects",
]
