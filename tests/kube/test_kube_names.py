"""Object names: DNS rules per kind, valid namespaces, and no duplicates."""

from __future__ import annotations

import pytest
from kube_samples import make_config_map, make_deployment, make_service

from modsys.kube import validate_names


def named(kind: str, name, api_version: str = "v1", namespace=None) -> dict:
    meta = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": meta}


@pytest.mark.parametrize(
    "obj",
    [
        named("ConfigMap", "web"),
        named("ConfigMap", "web.config-1"),
        named("ConfigMap", "a" * 253),
        named("Secret", "0-starts-with-digit"),
        named("Namespace", "team-a"),
        named("Namespace", "a" * 63),
        named("Service", "web"),
        named("Service", "w" + "1" * 62),
        named("Deployment", "web.v2", "apps/v1"),
        named("CustomResourceDefinition", "widgets.example.com", "apiextensions.k8s.io/v1"),
        named("ClusterRole", "system:aggregate-to-edit", "rbac.authorization.k8s.io/v1"),
        named("RoleBinding", "Odd_But:Allowed", "rbac.authorization.k8s.io/v1"),
        named("CronJob", "a" * 52, "batch/v1"),
        named("PerconaXtraDBCluster", "cluster1", "pxc.percona.com/v1"),
    ],
    ids=lambda o: f"{o['kind']}:{o['metadata']['name'][:20]}",
)
def test_valid_names_pass(obj):
    assert validate_names([obj]) == []


@pytest.mark.parametrize(
    ("obj", "fragment"),
    [
        (named("ConfigMap", "Web"), "DNS-1123 subdomain"),
        (named("ConfigMap", "web_config"), "DNS-1123 subdomain"),
        (named("ConfigMap", "-web"), "DNS-1123 subdomain"),
        (named("ConfigMap", "web."), "DNS-1123 subdomain"),
        (named("ConfigMap", "a" * 254), "DNS-1123 subdomain"),
        (named("ConfigMap", "../evil"), "DNS-1123 subdomain"),
        (named("Deployment", "a/b", "apps/v1"), "DNS-1123 subdomain"),
        (named("PerconaXtraDBCluster", "Cluster1", "pxc.percona.com/v1"), "DNS-1123 subdomain"),
        (named("Namespace", "team.a"), "DNS-1123 label"),
        (named("Namespace", "a" * 64), "DNS-1123 label"),
        (named("Service", "1web"), "DNS-1035 label"),
        (named("Service", "web.svc"), "DNS-1035 label"),
        (named("ClusterRole", "a/b", "rbac.authorization.k8s.io/v1"), "path segment"),
        (named("Role", "..", "rbac.authorization.k8s.io/v1"), "path segment"),
        (named("CronJob", "a" * 53, "batch/v1"), "52 characters"),
    ],
    ids=lambda v: v["metadata"]["name"][:20] if isinstance(v, dict) else v,
)
def test_invalid_names_are_reported(obj, fragment):
    [problem] = validate_names([obj])
    assert problem.path == "metadata.name"
    assert fragment in problem.message
    assert repr(obj["metadata"]["name"]) in problem.message


@pytest.mark.parametrize("name", [None, "", 5])
def test_missing_name_is_reported(name):
    [problem] = validate_names([named("ConfigMap", name)])
    assert (problem.path, problem.message) == ("metadata.name", "required field is missing")


@pytest.mark.parametrize("namespace", ["Team", "a.b", "a" * 64, 5])
def test_invalid_namespace_is_reported(namespace):
    [problem] = validate_names([named("ConfigMap", "web", namespace=namespace)])
    assert problem.path == "metadata.namespace"
    assert "DNS-1123 label" in problem.message


def test_duplicates_are_reported_once_per_extra_copy_naming_the_first():
    objects = [
        make_deployment(),
        make_service(),
        make_config_map(),
        make_deployment(),
        make_deployment(),
    ]
    problems = validate_names(objects)
    assert [(p.index, p.object_ref, p.message) for p in problems] == [
        (
            3,
            "apps/v1 Deployment web-ns/web",
            "duplicate: object #0 has the same group, kind, namespace and name",
        ),
        (
            4,
            "apps/v1 Deployment web-ns/web",
            "duplicate: object #0 has the same group, kind, namespace and name",
        ),
    ]


@pytest.mark.parametrize(
    "other",
    [
        make_deployment(namespace="other-ns"),  # another namespace
        make_deployment(name="web2"),  # another name
        make_service(),  # another kind, same name
        {**make_deployment(), "apiVersion": "example.com/v1"},  # another group, same kind
    ],
    ids=["namespace", "name", "kind", "group"],
)
def test_objects_differing_in_group_kind_namespace_or_name_are_not_duplicates(other):
    assert validate_names([make_deployment(), other]) == []


def test_same_group_in_another_version_is_still_a_duplicate():
    a = named("HorizontalPodAutoscaler", "web", "autoscaling/v2", namespace="n")
    b = named("HorizontalPodAutoscaler", "web", "autoscaling/v1", namespace="n")
    [problem] = validate_names([a, b])
    assert problem.index == 1 and "duplicate" in problem.message
