"""What modsys knows about Kubernetes kinds: versions, apiVersions, scopes, install order, CRDs.

The facts come from the schemas that the `kubernetes-validate` package ships (one folder per
Kubernetes minor version), so that completion and validation agree on what a version serves.
Reading those schemas costs ~15 ms per version, so the kind table is cached in
`data/api_versions.json` (regenerate with `python -m modsys.kube._generate`); a version the cache
lacks is read from the package on demand, which keeps a newer `kubernetes-validate` usable.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

DATA_FILE = Path(__file__).with_name("data") / "api_versions.json"


class UnsupportedVersionError(ValueError):
    """A Kubernetes version whose schemas `kubernetes-validate` does not bundle."""


# --- Kubernetes versions ------------------------------------------------------------------------


def schema_root() -> Path:
    """The `kubernetes-json-schema` folder inside the installed `kubernetes-validate`.

    Found without importing the package, whose import pulls in jsonschema and friends.
    """
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the kubernetes-validate package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


def _minor_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _bundled_versions() -> tuple[str, ...]:
    found = set()
    for entry in schema_root().iterdir():
        m = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", entry.name)
        if m and (entry / "_definitions.json").is_file():
            found.add(f"{m[1]}.{m[2]}")
    return tuple(sorted(found, key=_minor_key))


SUPPORTED_VERSIONS: tuple[str, ...] = _bundled_versions()
"""Kubernetes minor versions ("1.25", …) whose schemas are bundled, oldest first."""

DEFAULT_KUBERNETES_VERSION = "1.31"
"""The Kubernetes minor version a cluster gets when none is given: the default of
`platform.kubernetes.cluster.kubernetesVersion`, of a plain-data plan and of the render model."""


def kubernetes_minor(version: str) -> str:
    """Normalise "v1.31", "1.31" or "1.31.4" to "1.31"; raise if its schemas are not bundled."""
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?", str(version).strip())
    minor = f"{m[1]}.{m[2]}" if m else None
    if minor not in SUPPORTED_VERSIONS:
        raise UnsupportedVersionError(
            f"Kubernetes version {version!r} is not supported; the bundled schemas cover "
            f"{', '.join(SUPPORTED_VERSIONS)}"
        )
    return minor  # type: ignore[return-value]


def definitions_file(minor: str) -> Path:
    """The strict `_definitions.json` of a supported minor version (all object schemas)."""
    return schema_root() / f"v{minor}.0-local-strict" / "_definitions.json"


# --- apiVersions --------------------------------------------------------------------------------


def split_api_version(api_version: str) -> tuple[str, str]:
    """ "apps/v1" -> ("apps", "v1"); "v1" -> ("", "v1") (the core group has no name)."""
    group, _, version = api_version.rpartition("/")
    return group, version


def _version_priority(version: str) -> tuple[int, int, int]:
    """Kubernetes' version priority: GA before beta before alpha, higher numbers first.

    Returned so that larger means preferred: v2 > v1 > v2beta2 > v1beta1 > v1alpha1 > other.
    """
    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not m:
        return (-1, 0, 0)
    stability = {"alpha": 0, "beta": 1, None: 2}[m[2]]
    return (stability, int(m[1]), int(m[3] or 0))


def api_version_preference(api_version: str) -> tuple[Any, ...]:
    """Sort key putting the preferred apiVersion first; across groups the core group wins,
    as in kubectl (core `v1 Event` before `events.k8s.io/v1 Event`)."""
    group, version = split_api_version(api_version)
    stability, major, minor = _version_priority(version)
    return (-stability, -major, -minor, group != "", group, version)


def kinds_from_definitions(definitions: Mapping[str, Any]) -> dict[str, list[str]]:
    """kind -> served apiVersions, preferred first, from one version's `$defs`.

    The apimachinery meta types (DeleteOptions, WatchEvent, Status, …) carry a
    group-version-kind for every group but are not objects anyone applies, so they are skipped.
    """
    table: dict[str, set[str]] = {}
    for name, schema in definitions.items():
        if name.startswith("io.k8s.apimachinery.pkg.apis.meta."):
            continue
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            group, version = gvk["group"], gvk["version"]
            api_version = f"{group}/{version}" if group else version
            table.setdefault(gvk["kind"], set()).add(api_version)
    return {
        kind: sorted(versions, key=api_version_preference)
        for kind, versions in sorted(table.items())
    }


def read_definitions(minor: str) -> dict[str, Any]:
    """The `$defs` of a supported version's bundled schemas."""
    with definitions_file(minor).open(encoding="utf-8") as f:
        return json.load(f)["$defs"]


@functools.cache
def _cached_table() -> dict[str, dict[str, list[str]]]:
    try:
        with DATA_FILE.open(encoding="utf-8") as f:
            return json.load(f)["versions"]
    except FileNotFoundError:
        return {}


@functools.cache
def _kind_table(minor: str) -> dict[str, tuple[str, ...]]:
    table = _cached_table().get(minor)
    if table is None:
        table = kinds_from_definitions(read_definitions(minor))
    return {kind: tuple(versions) for kind, versions in table.items()}


def builtin_api_versions(kind: str, kubernetes_version: str) -> tuple[str, ...]:
    """Every apiVersion under which that Kubernetes version serves `kind`, preferred first."""
    return _kind_table(kubernetes_minor(kubernetes_version)).get(kind, ())


def resolve_api_version(kind: str, kubernetes_version: str) -> str | None:
    """The preferred apiVersion of a built-in kind at a Kubernetes version, None if not built in.

    GA beats beta beats alpha, so HorizontalPodAutoscaler gives autoscaling/v2.
    """
    versions = builtin_api_versions(kind, kubernetes_version)
    return versions[0] if versions else None


def is_builtin(api_version: str, kind: str, kubernetes_version: str) -> bool:
    """Whether that Kubernetes version serves `kind` under exactly this apiVersion."""
    return api_version in builtin_api_versions(kind, kubernetes_version)


@functools.cache
def builtin_groups() -> frozenset[str]:
    """API groups of built-in kinds in any supported version ("" is the core group), plus the
    retired `extensions` group, so a stale apiVersion is reported as such, not as a missing CRD."""
    groups = {"extensions"}
    for minor in SUPPORTED_VERSIONS:
        for versions in _kind_table(minor).values():
            groups.update(split_api_version(v)[0] for v in versions)
    return frozenset(groups)


# --- Scope --------------------------------------------------------------------------------------

# Scope is not in the OpenAPI schemas, so it is listed here (from `kubectl api-resources` and the
# `+genclient:nonNamespaced` markers of the Kubernetes API types). Both sets are explicit: a test
# fails when a new kubernetes-validate brings a kind that is in neither.
CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "ComponentStatus"),
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("authentication.k8s.io", "SelfSubjectReview"),
        ("authentication.k8s.io", "TokenReview"),
        ("authorization.k8s.io", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "SelfSubjectRulesReview"),
        ("authorization.k8s.io", "SubjectAccessReview"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("certificates.k8s.io", "ClusterTrustBundle"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("internal.apiserver.k8s.io", "StorageVersion"),
        ("networking.k8s.io", "ClusterCIDR"),
        ("networking.k8s.io", "IPAddress"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "DeviceTaintRule"),
        ("resource.k8s.io", "ResourceClass"),
        ("resource.k8s.io", "ResourcePoolStatusRequest"),
        ("resource.k8s.io", "ResourceSlice"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("storage.k8s.io", "VolumeAttributesClass"),
        ("storagemigration.k8s.io", "StorageVersionMigration"),
    }
)

NAMESPACED: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "Binding"),
        ("", "ConfigMap"),
        ("", "Endpoints"),
        ("", "Event"),
        ("", "LimitRange"),
        ("", "PersistentVolumeClaim"),
        ("", "Pod"),
        ("", "PodTemplate"),
        ("", "ReplicationController"),
        ("", "ResourceQuota"),
        ("", "Secret"),
        ("", "Service"),
        ("", "ServiceAccount"),
        ("apps", "ControllerRevision"),
        ("apps", "DaemonSet"),
        ("apps", "Deployment"),
        ("apps", "ReplicaSet"),
        ("apps", "StatefulSet"),
        ("authentication.k8s.io", "TokenRequest"),
        ("authorization.k8s.io", "LocalSubjectAccessReview"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("autoscaling", "Scale"),
        ("batch", "CronJob"),
        ("batch", "Job"),
        ("certificates.k8s.io", "PodCertificateRequest"),
        ("coordination.k8s.io", "Lease"),
        ("coordination.k8s.io", "LeaseCandidate"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("events.k8s.io", "Event"),
        ("lifecycle.k8s.io", "Eviction"),
        ("lifecycle.k8s.io", "EvictionRequest"),
        ("networking.k8s.io", "Ingress"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("policy", "Eviction"),
        ("policy", "PodDisruptionBudget"),
        ("rbac.authorization.k8s.io", "Role"),
        ("rbac.authorization.k8s.io", "RoleBinding"),
        ("resource.k8s.io", "PodScheduling"),
        ("resource.k8s.io", "PodSchedulingContext"),
        ("resource.k8s.io", "ResourceClaim"),
        ("resource.k8s.io", "ResourceClaimParameters"),
        ("resource.k8s.io", "ResourceClaimTemplate"),
        ("resource.k8s.io", "ResourceClassParameters"),
        ("scheduling.k8s.io", "CompositePodGroup"),
        ("scheduling.k8s.io", "PodGroup"),
        ("scheduling.k8s.io", "Workload"),
        ("storage.k8s.io", "CSIStorageCapacity"),
    }
)

_SCOPE_BY_KIND: dict[str, bool | None] = {}
for _group, _kind in CLUSTER_SCOPED | NAMESPACED:
    _value = (_group, _kind) in NAMESPACED
    _SCOPE_BY_KIND[_kind] = _value if _SCOPE_BY_KIND.get(_kind, _value) == _value else None


def is_namespaced(kind: str, api_version: str | None = None) -> bool | None:
    """Whether a built-in kind lives in a namespace; None when modsys does not know the kind.

    With `api_version` the group decides; without it the kind name alone must be unambiguous.
    Custom resources give None: their scope is in their CRD (see `CustomResourceIndex`).
    """
    if api_version is not None:
        key = (split_api_version(api_version)[0], kind)
        if key in NAMESPACED:
            return True
        if key in CLUSTER_SCOPED:
            return False
        return None
    return _SCOPE_BY_KIND.get(kind)


# --- Install order ------------------------------------------------------------------------------

# Helm's InstallOrder (helm/helm, pkg/release/util/kind_sorter.go on main, Helm 4): Helm 3.x's
# pkg/releaseutil list is the same without the leading PriorityClass, which Helm 4 installs first
# so that pods can name it.
INSTALL_ORDER: tuple[str, ...] = (
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
)

_RANK = {kind: i for i, kind in enumerate(INSTALL_ORDER)}


def install_rank(kind: str) -> int:
    """Position of `kind` in Helm's install order; every unknown kind gets len(INSTALL_ORDER)."""
    return _RANK.get(kind, len(INSTALL_ORDER))


def object_sort_key(obj: Mapping[str, Any]) -> tuple[int, str, str, str]:
    """Sort key for objects inside a bundle: Helm's kind order, unknown kinds after known ones
    (alphabetically by kind, as Helm does), then namespace and name, so the order is total and
    does not depend on the order definitions were merged in. A field of the wrong type
    (`metadata.name: 5`, which validation reports) sorts by its `repr`, never crashes the sort."""
    kind = _sort_text(obj.get("kind"))
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping):
        meta = {}
    return (
        install_rank(kind), kind, _sort_text(meta.get("namespace")), _sort_text(meta.get("name"))
    )


def _sort_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else repr(value)


# --- Custom resource definitions ----------------------------------------------------------------


@attrs.frozen
class CustomResourceDefinitionInfo:
    """The parts of one CRD that completion and validation need."""

    name: str
    group: str
    kind: str
    plural: str
    scope: str  # "Namespaced" or "Cluster", as the CRD spells it
    served_versions: tuple[str, ...]
    storage_version: str | None
    schemas: Mapping[str, Mapping[str, Any]] = attrs.field(repr=False)  # version -> openAPIV3Schema

    @property
    def namespaced(self) -> bool:
        return self.scope == "Namespaced"

    def schema(self, version: str) -> Mapping[str, Any] | None:
        """The openAPIV3Schema of a version, None when the CRD gives none."""
        return self.schemas.get(version)


def parse_crd(crd: Mapping[str, Any]) -> CustomResourceDefinitionInfo:
    """Read an apiextensions.k8s.io/v1 CustomResourceDefinition; ValueError if it lacks the
    group, kind or versions (the built-in schema check reports the details)."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    group, kind = spec.get("group"), names.get("kind")
    versions = spec.get("versions")
    if not isinstance(group, str) or not isinstance(kind, str) or not isinstance(versions, list):
        raise ValueError(
            "not a CustomResourceDefinition with spec.group, spec.names.kind, spec.versions"
        )
    served, storage, schemas = [], None, {}
    for entry in versions:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            continue
        if entry.get("served", False):
            served.append(entry["name"])
        if entry.get("storage", False):
            storage = entry["name"]
        schema = (entry.get("schema") or {}).get("openAPIV3Schema")
        if isinstance(schema, Mapping):
            schemas[entry["name"]] = schema
    return CustomResourceDefinitionInfo(
        name=(crd.get("metadata") or {}).get("name") or f"{names.get('plural', '')}.{group}",
        group=group,
        kind=kind,
        plural=names.get("plural") or "",
        scope=spec.get("scope") or "Namespaced",
        served_versions=tuple(served),
        storage_version=storage,
        schemas=schemas,
    )


def _is_crd(obj: Any) -> bool:
    return (
        isinstance(obj, Mapping)
        and obj.get("kind") == "CustomResourceDefinition"
        and split_api_version(str(obj.get("apiVersion", "")))[0] == "apiextensions.k8s.io"
    )


@attrs.frozen
class CustomResourceIndex:
    """The CRDs of a plan, by (group, kind): scope, served versions and schema per version.

    Build it with `from_objects` from any list of objects (non-CRDs are skipped); a later CRD
    for the same group and kind replaces an earlier one. Compiled validators are cached here.
    """

    by_key: Mapping[tuple[str, str], CustomResourceDefinitionInfo] = attrs.field(factory=dict)
    _validators: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @classmethod
    def from_objects(cls, objects: Iterable[Any]) -> CustomResourceIndex:
        by_key: dict[tuple[str, str], CustomResourceDefinitionInfo] = {}
        for obj in objects:
            if _is_crd(obj):
                try:
                    info = parse_crd(obj)
                except ValueError:
                    continue
                by_key[(info.group, info.kind)] = info
        return cls(by_key)

    def extended(self, objects: Iterable[Any]) -> CustomResourceIndex:
        """A new index with the CRDs among `objects` added (for "CRDs of earlier batches")."""
        return CustomResourceIndex(
            {**self.by_key, **CustomResourceIndex.from_objects(objects).by_key}
        )

    def get(self, group: str, kind: str) -> CustomResourceDefinitionInfo | None:
        return self.by_key.get((group, kind))

    def lookup(self, api_version: str, kind: str) -> CustomResourceDefinitionInfo | None:
        """The CRD for an object's apiVersion and kind (whatever version it names)."""
        return self.by_key.get((split_api_version(api_version)[0], kind))

    def scope(self, api_version: str, kind: str) -> str | None:
        info = self.lookup(api_version, kind)
        return info.scope if info else None

    def is_namespaced(self, api_version: str, kind: str) -> bool | None:
        info = self.lookup(api_version, kind)
        return info.namespaced if info else None

    def served_versions(self, group: str, kind: str) -> tuple[str, ...]:
        info = self.get(group, kind)
        return info.served_versions if info else ()

    def schema(self, api_version: str, kind: str) -> Mapping[str, Any] | None:
        info = self.lookup(api_version, kind)
        return info.schema(split_api_version(api_version)[1]) if info else None

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def __iter__(self) -> Iterator[CustomResourceDefinitionInfo]:
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)
