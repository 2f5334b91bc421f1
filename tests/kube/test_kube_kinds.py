"""Kubernetes knowledge: versions, apiVersion resolution, scope, install order, the CRD index."""

from __future__ import annotations

import json
import random

import pytest

from modsys.kube import (
    INSTALL_ORDER,
    SUPPORTED_VERSIONS,
    CustomResourceIndex,
    UnsupportedVersionError,
    _generate,
    builtin_api_versions,
    install_rank,
    is_namespaced,
    kinds,
    kubernetes_minor,
    object_sort_key,
    parse_crd,
    resolve_api_version,
    split_api_version,
)

# --- versions -----------------------------------------------------------------------------------


def test_supported_versions_are_the_bundled_minor_versions_in_order():
    assert SUPPORTED_VERSIONS[0] == "1.25"
    assert "1.31" in SUPPORTED_VERSIONS
    assert "1.37" in SUPPORTED_VERSIONS
    numeric = [tuple(map(int, v.split("."))) for v in SUPPORTED_VERSIONS]
    assert numeric == sorted(numeric)
    assert len(set(SUPPORTED_VERSIONS)) == len(SUPPORTED_VERSIONS)


@pytest.mark.parametrize(
    ("given", "minor"),
    [("1.31", "1.31"), ("v1.31", "1.31"), ("1.31.4", "1.31"), ("v1.25.0", "1.25")],
)
def test_kubernetes_versions_normalise_to_minor(given, minor):
    assert kubernetes_minor(given) == minor


@pytest.mark.parametrize("given", ["1.24", "1.99", "latest", "", "1"])
def test_unbundled_kubernetes_version_is_an_error_listing_the_supported_ones(given):
    with pytest.raises(UnsupportedVersionError, match=r"1\.25"):
        kubernetes_minor(given)


def test_data_file_is_current_with_the_installed_kubernetes_validate():
    """Fails after upgrading kubernetes-validate: run `python -m modsys.kube._generate`."""
    assert kinds.DATA_FILE.read_text(encoding="utf-8") == _generate.render(_generate.build_table())
    assert list(json.loads(kinds.DATA_FILE.read_text())["versions"]) == list(SUPPORTED_VERSIONS)


# --- apiVersion resolution ----------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize(
    ("kind", "api_version"),
    [
        ("Deployment", "apps/v1"),
        ("StatefulSet", "apps/v1"),
        ("Service", "v1"),
        ("ConfigMap", "v1"),
        ("Namespace", "v1"),
        ("Ingress", "networking.k8s.io/v1"),
        ("IngressClass", "networking.k8s.io/v1"),
        ("NetworkPolicy", "networking.k8s.io/v1"),
        ("CronJob", "batch/v1"),
        ("Job", "batch/v1"),
        ("HorizontalPodAutoscaler", "autoscaling/v2"),
        ("PodDisruptionBudget", "policy/v1"),
        ("CustomResourceDefinition", "apiextensions.k8s.io/v1"),
        ("ClusterRole", "rbac.authorization.k8s.io/v1"),
        ("PriorityClass", "scheduling.k8s.io/v1"),
        ("StorageClass", "storage.k8s.io/v1"),
        ("Event", "v1"),  # core before events.k8s.io, as kubectl resolves it
        ("Eviction", "policy/v1"),
    ],
)
def test_builtin_kinds_resolve_to_their_preferred_api_version(kind, api_version, version):
    assert resolve_api_version(kind, version) == api_version


@pytest.mark.parametrize(
    ("kind", "version", "api_version"),
    [
        # GA replaces beta when it arrives
        ("FlowSchema", "1.25", "flowcontrol.apiserver.k8s.io/v1beta2"),
        ("FlowSchema", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
        ("ValidatingAdmissionPolicy", "1.25", None),
        ("ValidatingAdmissionPolicy", "1.26", "admissionregistration.k8s.io/v1alpha1"),
        ("ValidatingAdmissionPolicy", "1.28", "admissionregistration.k8s.io/v1beta1"),
        ("ValidatingAdmissionPolicy", "1.30", "admissionregistration.k8s.io/v1"),
        ("ResourceClaim", "1.34", "resource.k8s.io/v1"),
    ],
)
def test_api_version_resolution_follows_the_kubernetes_version(kind, version, api_version):
    assert resolve_api_version(kind, version) == api_version


def test_every_served_api_version_is_listed_ga_first():
    assert builtin_api_versions("HorizontalPodAutoscaler", "1.25") == (
        "autoscaling/v2",
        "autoscaling/v1",
        "autoscaling/v2beta2",
    )


@pytest.mark.parametrize(
    "kind", ["PerconaXtraDBCluster", "Application", "deployment", "", "PodSecurityPolicy"]
)
def test_unknown_kinds_resolve_to_none(kind):
    assert resolve_api_version(kind, "1.31") is None


def test_resolution_rejects_unsupported_kubernetes_versions():
    with pytest.raises(UnsupportedVersionError):
        resolve_api_version("Deployment", "1.12")


def test_version_preference_orders_like_kubernetes():
    versions = ["v1alpha1", "v2beta1", "v1", "v1beta2", "v2", "v1beta1", "v10", "v11alpha2"]
    ordered = sorted(versions, key=kinds.api_version_preference)
    assert ordered == ["v10", "v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v11alpha2", "v1alpha1"]


@pytest.mark.parametrize(
    ("api_version", "parts"),
    [("apps/v1", ("apps", "v1")), ("v1", ("", "v1")), ("a.b.c/v2beta1", ("a.b.c", "v2beta1"))],
)
def test_api_versions_split_into_group_and_version(api_version, parts):
    assert split_api_version(api_version) == parts


# --- scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "StorageClass",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "APIService",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "CertificateSigningRequest",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "FlowSchema",
        "PriorityLevelConfiguration",
    ],
)
def test_cluster_scoped_kinds_are_not_namespaced(kind):
    assert is_namespaced(kind) is False
    assert is_namespaced(kind, resolve_api_version(kind, "1.37")) is False


@pytest.mark.parametrize(
    "kind",
    [
        "Deployment",
        "Service",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "Ingress",
        "NetworkPolicy",
        "CronJob",
        "Job",
        "PersistentVolumeClaim",
        "Pod",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Event",
        "Lease",
        "ResourceQuota",
    ],
)
def test_namespaced_kinds_are_namespaced(kind):
    assert is_namespaced(kind) is True
    assert is_namespaced(kind, resolve_api_version(kind, "1.37")) is True


@pytest.mark.parametrize(
    ("kind", "api_version"),
    [
        ("PerconaXtraDBCluster", None),
        ("Application", "argoproj.io/v1alpha1"),
        ("Deployment", "example.com/v1"),
        ("DeploymentList", None),
    ],
)
def test_scope_of_unknown_kinds_is_none(kind, api_version):
    assert is_namespaced(kind, api_version) is None


def test_every_builtin_kind_of_every_version_has_a_known_scope():
    """A new kubernetes-validate with new kinds fails here until they are classified."""
    classified = kinds.CLUSTER_SCOPED | kinds.NAMESPACED
    assert not kinds.CLUSTER_SCOPED & kinds.NAMESPACED
    missing = set()
    for version in SUPPORTED_VERSIONS:
        for kind in kinds._kind_table(version):
            if kind.endswith("List"):
                continue
            for api_version in builtin_api_versions(kind, version):
                key = (split_api_version(api_version)[0], kind)
                if key not in classified:
                    missing.add(key)
    assert not missing


# --- install order ------------------------------------------------------------------------------


def test_install_order_is_helms():
    assert INSTALL_ORDER[:3] == ("PriorityClass", "Namespace", "NetworkPolicy")
    assert INSTALL_ORDER[-3:] == (
        "APIService",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    )
    for before, after in [
        ("Namespace", "ServiceAccount"),
        ("ServiceAccount", "Secret"),
        ("ConfigMap", "Deployment"),
        ("CustomResourceDefinition", "ClusterRole"),
        ("ClusterRoleBinding", "Role"),
        ("Service", "Deployment"),
        ("Deployment", "HorizontalPodAutoscaler"),
        ("CronJob", "IngressClass"),
        ("IngressClass", "Ingress"),
    ]:
        assert install_rank(before) < install_rank(after), (before, after)


def _obj(kind, name, namespace=None):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"kind": kind, "metadata": meta}


def test_objects_sort_by_kind_then_namespace_then_name_with_unknown_kinds_last():
    expected = [
        _obj("Namespace", "a"),
        _obj("Namespace", "b"),
        _obj("ServiceAccount", "x", "a"),
        _obj("ConfigMap", "z", "a"),
        _obj("ConfigMap", "a", "b"),
        _obj("CustomResourceDefinition", "widgets.example.com"),
        _obj("Service", "web", "a"),
        _obj("Deployment", "web", "a"),
        _obj("Ingress", "web", "a"),
        _obj("ValidatingWebhookConfiguration", "hook"),
        _obj("Application", "app", "argocd"),  # unknown kinds: after every known one,
        _obj("PerconaXtraDBCluster", "db", "a"),  # alphabetically by kind
        _obj("Widget", "w"),
    ]
    shuffled = list(expected)
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=object_sort_key) == expected


def test_sort_key_tolerates_objects_without_metadata():
    assert object_sort_key({"kind": "Deployment"}) == (
        install_rank("Deployment"),
        "Deployment",
        "",
        "",
    )
    assert object_sort_key({}) == (len(INSTALL_ORDER), "", "", "")


# --- CRD index ----------------------------------------------------------------------------------


def test_crd_index_knows_scope_versions_and_schema_of_the_pxc_crds(pxc_crds):
    index = CustomResourceIndex.from_objects(pxc_crds)
    assert len(index) == 3
    info = index.get("pxc.percona.com", "PerconaXtraDBCluster")
    assert info is not None
    assert info.scope == "Namespaced" and info.namespaced
    assert info.served_versions == ("v1-10-0", "v1-11-0", "v1")
    assert info.storage_version == "v1"
    assert index.scope("pxc.percona.com/v1", "PerconaXtraDBCluster") == "Namespaced"
    assert index.is_namespaced("pxc.percona.com/v1", "PerconaXtraDBCluster") is True
    schema = index.schema("pxc.percona.com/v1", "PerconaXtraDBCluster")
    assert schema is not None and "spec" in schema["properties"]
    assert ("pxc.percona.com", "PerconaXtraDBClusterBackup") in index
    assert index.lookup("example.com/v1", "PerconaXtraDBCluster") is None
    assert index.served_versions("pxc.percona.com", "Nope") == ()


def test_crd_index_reads_cluster_scope(all_crds):
    index = CustomResourceIndex.from_objects(all_crds)
    assert index.scope("fleet.cattle.io/v1alpha1", "Content") == "Cluster"
    assert index.is_namespaced("fleet.cattle.io/v1alpha1", "Content") is False
    assert index.is_namespaced("argoproj.io/v1alpha1", "Application") is True
    assert index.served_versions("helm.toolkit.fluxcd.io", "HelmRelease") == ("v2",)


def test_crd_index_skips_other_objects_and_malformed_crds(deployment):
    broken = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "spec": {},
    }
    assert len(CustomResourceIndex.from_objects([deployment, broken, "junk"])) == 0


def test_extending_an_index_adds_crds_without_changing_the_original(pxc_crds, all_crds):
    base = CustomResourceIndex.from_objects(pxc_crds)
    bigger = base.extended(all_crds)
    assert len(base) == 3
    assert ("argoproj.io", "Application") in bigger and ("argoproj.io", "Application") not in base


def test_parse_crd_rejects_objects_that_are_not_crds():
    with pytest.raises(ValueError, match=r"spec\.group"):
        parse_crd({"kind": "CustomResourceDefinition", "spec": {"names": {"kind": "X"}}})
