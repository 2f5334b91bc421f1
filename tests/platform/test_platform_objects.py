"""Objects: resources merged per key, completion of kind/name/apiVersion/namespace, labels and
the order objects apply in inside a bundle."""

from __future__ import annotations

import pytest
from platform_samples import (
    bundle_in,
    cluster,
    crd,
    deployment,
    objects_of,
    plan_of,
    validation_error,
    write_data,
    write_module,
)

from modsys import mk_force, mk_if


def only(plan, ident="services/web"):
    (obj,) = objects_of(plan, ident)
    return obj


def test_overlay_sets_one_field_of_one_resource_with_mk_force(tmp_path):
    base = write_data(tmp_path, "base.py", bundle_in(
        "services", "web", resources={"Deployment": {"web": deployment("web", replicas=2)}},
    ))
    overlay = write_module(tmp_path, "overlay.py", """
        module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {
            "web": {"resources": {"Deployment": {"web": {"spec": {"replicas": mk_force(5)}}}}}
        }}}}}}}
    """)
    obj = only(plan_of(base, overlay))
    assert obj["spec"]["replicas"] == 5
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_resources_from_several_modules_merge_per_field():
    obj = only(plan_of(
        bundle_in("services", "web", resources={"ConfigMap": {"web": {"data": {"a": "1"}}}}),
        bundle_in("services", "web", resources={"ConfigMap": {"web": {"data": {"b": "2"}}}}),
    ))
    assert obj["data"] == {"a": "1", "b": "2"}


def test_conflicting_plain_values_in_resources_are_an_engine_error():
    from modsys import ConflictingDefinitionsError

    with pytest.raises(ConflictingDefinitionsError, match=r"resources\.ConfigMap\.web\.data\.a"):
        plan_of(
            bundle_in("services", "web", resources={"ConfigMap": {"web": {"data": {"a": "1"}}}}),
            bundle_in("services", "web", resources={"ConfigMap": {"web": {"data": {"a": "2"}}}}),
        )


def test_manifests_concatenate_across_modules_without_merging():
    plan = plan_of(
        bundle_in("services", "web", manifests=[{"kind": "ConfigMap", "metadata": {"name": "a"}}]),
        bundle_in("services", "web", manifests=[{"kind": "ConfigMap", "metadata": {"name": "b"}}]),
    )
    assert [o["metadata"]["name"] for o in objects_of(plan, "services/web")] == ["a", "b"]


def test_definitions_nested_in_objects_are_evaluated():
    module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"web": {
        "manifests": [{"kind": "ConfigMap", "metadata": {"name": lambda: "lazy"},
                       "data": {"on": mk_if(True, "yes"), "off": mk_if(False, "no"),
                                "list": lambda: "x"}}],
        "resources": {"Secret": {"s": {"stringData": {"k": lambda: "v"}}}},
    }}}}}}}}
    plan = plan_of(module)
    cm, secret = sorted(objects_of(plan, "services/web"), key=lambda o: o["kind"])
    assert cm["metadata"]["name"] == "lazy"
    assert cm["data"] == {"on": "yes", "list": "x"}
    assert secret["stringData"] == {"k": "v"}


@pytest.mark.parametrize(
    ("kind", "version", "api_version"),
    [
        ("Deployment", "1.31", "apps/v1"),
        ("ConfigMap", "1.31", "v1"),
        ("HorizontalPodAutoscaler", "1.31", "autoscaling/v2"),
        ("FlowSchema", "1.25", "flowcontrol.apiserver.k8s.io/v1beta2"),
        ("FlowSchema", "1.31", "flowcontrol.apiserver.k8s.io/v1"),
    ],
)
def test_kind_name_and_api_version_come_from_the_keys_and_the_cluster_version(kind, version, api_version):
    module = cluster({"services": {"bundles": {"web": {"resources": {kind: {"thing": {}}}}}}},
                     kubernetesVersion=version)
    obj = only(plan_of(module))
    assert (obj["apiVersion"], obj["kind"], obj["metadata"]["name"]) == (api_version, kind, "thing")


def test_explicit_api_version_and_name_are_kept():
    obj = only(plan_of(bundle_in("services", "web", resources={"Deployment": {"key": {
        "apiVersion": "apps/v1", "metadata": {"name": "real"}}}})))
    assert (obj["apiVersion"], obj["metadata"]["name"]) == ("apps/v1", "real")


def test_resource_whose_kind_contradicts_its_key_is_an_error(tmp_path):
    path = write_data(tmp_path, "kinds.py", bundle_in(
        "services", "web", resources={"Deployment": {"web": {"kind": "Service"}}}))
    message = str(validation_error(path))
    assert "has kind 'Service' but is defined under resources.Deployment" in message
    assert str(path) in message


def test_custom_resource_api_version_comes_from_its_crd_in_the_plan():
    plan = plan_of(
        bundle_in("crds", "defs", manifests=[crd("example.com", "Widget", version="v2")]),
        bundle_in("services", "web", resources={"Widget": {"w": {}}}),
    )
    assert only(plan)["apiVersion"] == "example.com/v2"


def test_unknown_kind_without_api_version_is_an_error_naming_the_file(tmp_path):
    path = write_data(tmp_path, "cr.py", bundle_in("services", "web", resources={"Gadget": {"g": {}}}))
    message = str(validation_error(path))
    assert "Gadget is neither built into Kubernetes 1.31 nor defined by a CRD in the plan" in message
    assert "resources.Gadget.g" in message and str(path) in message


# --- namespaces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bundle_ns", "obj", "expected"),
    [
        ("web", {"kind": "ConfigMap", "metadata": {"name": "c"}}, "web"),
        ("web", {"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "other"}}, "other"),
        (None, {"kind": "ConfigMap", "metadata": {"name": "c"}}, None),
        ("web", {"kind": "ClusterRole", "metadata": {"name": "r"}}, None),
        ("web", {"kind": "Namespace", "metadata": {"name": "n"}}, None),
        ("web", {"kind": "CustomResourceDefinition", **{k: v for k, v in crd("a.io", "A").items() if k != "kind"}}, None),
    ],
)
def test_namespace_comes_from_the_bundle_for_namespaced_kinds_only(bundle_ns, obj, expected):
    obj = only(plan_of(bundle_in("services", "web", namespace=bundle_ns, manifests=[obj])))
    assert obj["metadata"].get("namespace") == expected


@pytest.mark.parametrize(("scope", "expected"), [("Namespaced", "web"), ("Cluster", None)])
def test_custom_resources_get_a_namespace_by_the_scope_of_their_crd(scope, expected):
    plan = plan_of(
        bundle_in("crds", "defs", manifests=[crd("example.com", "Widget", scope=scope)]),
        bundle_in("services", "web", namespace="web", resources={"Widget": {"w": {}}}),
    )
    assert only(plan)["metadata"].get("namespace") == expected


@pytest.mark.parametrize(
    ("modules", "subject"),
    [
        ([], "ClusterRole"),
        ([bundle_in("crds", "defs", manifests=[crd("example.com", "Widget", scope="Cluster")])], "Widget"),
    ],
)
def test_explicit_namespace_on_a_cluster_scoped_kind_is_an_error(tmp_path, modules, subject):
    path = write_data(tmp_path, "scoped.py", bundle_in("services", "web", resources={
        subject: {"x": {"metadata": {"namespace": "web"}}}}))
    err = validation_error(path, *modules)
    message = str(err)
    assert f"{subject} is cluster-scoped, but metadata.namespace is set to 'web'" in message
    assert f"resources.{subject}.x" in message and str(path) in message
    assert len(err.problems) == 1


# --- labels and annotations ---------------------------------------------------------------------


def test_common_labels_are_injected():
    labels = only(plan_of(bundle_in("services", "web", resources={"ConfigMap": {"c": {}}})))["metadata"]["labels"]
    assert labels == {
        "app.kubernetes.io/managed-by": "modsys",
        "modsys.io/batch": "services",
        "modsys.io/bundle": "web",
    }


def test_labels_layer_cluster_then_bundle_then_object_and_user_labels_win():
    module = cluster(
        {"services": {"bundles": {"web": {
            "labels": {"team": "bundle", "tier": "web"},
            "annotations": {"b": "bundle", "shared": "bundle"},
            "resources": {"ConfigMap": {"c": {"metadata": {
                "labels": {"tier": "object", "app.kubernetes.io/managed-by": "me"},
                "annotations": {"shared": "object"},
            }}}},
        }}}},
        labels={"team": "cluster", "env": "prod"},
        annotations={"c": "cluster", "shared": "cluster"},
    )
    meta = only(plan_of(module))["metadata"]
    assert meta["labels"] == {
        "app.kubernetes.io/managed-by": "me",
        "modsys.io/batch": "services",
        "modsys.io/bundle": "web",
        "team": "bundle",
        "env": "prod",
        "tier": "object",
    }
    assert meta["annotations"] == {"c": "cluster", "b": "bundle", "shared": "object"}


def test_bundle_labels_and_annotations_reach_the_plan_bundle():
    from platform_samples import find_bundle

    plan = plan_of(bundle_in("services", "web", labels={"a": "1"}, annotations={"b": "2"}))
    bundle = find_bundle(plan, "services/web")
    assert (bundle["labels"], bundle["annotations"]) == ({"a": "1"}, {"b": "2"})


# --- order inside a bundle ----------------------------------------------------------------------


def test_objects_apply_in_helm_kind_order_then_namespace_and_name():
    resources = {
        "Deployment": {"web": {}, "api": {}},
        "Service": {"web": {}},
        "Namespace": {"web": {}},
        "ConfigMap": {"b": {}, "a": {"metadata": {"namespace": "aaa"}}},
        "ServiceAccount": {"sa": {}},
        "Ingress": {"web": {}},
        "ClusterRole": {"r": {}},
    }
    manifests = [
        {"apiVersion": "example.com/v1", "kind": "Zebra", "metadata": {"name": "z"}},
        {"apiVersion": "example.com/v1", "kind": "Apple", "metadata": {"name": "a"}},
        {"kind": "CustomResourceDefinition", "metadata": {"name": "x"}},
    ]
    plan = plan_of(bundle_in("services", "web", namespace="web", resources=resources, manifests=manifests))
    order = [(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]) for o in objects_of(plan, "services/web")]
    assert order == [
        ("Namespace", None, "web"),
        ("ServiceAccount", "web", "sa"),
        ("ConfigMap", "aaa", "a"),
        ("ConfigMap", "web", "b"),
        ("CustomResourceDefinition", None, "x"),
        ("ClusterRole", None, "r"),
        ("Service", "web", "web"),
        ("Deployment", "web", "api"),
        ("Deployment", "web", "web"),
        ("Ingress", "web", "web"),
        ("Apple", "web", "a"),
        ("Zebra", "web", "z"),
    ]


def test_object_keys_start_with_api_version_kind_metadata():
    obj = only(plan_of(bundle_in("services", "web", resources={"ConfigMap": {"c": {"data": {}}}})))
    assert list(obj)[:3] == ["apiVersion", "kind", "metadata"]


def test_mk_force_on_a_whole_resource_replaces_it():
    obj = only(plan_of(
        bundle_in("services", "web", resources={"ConfigMap": {"c": {"data": {"a": "1"}}}}),
        bundle_in("services", "web", resources={"ConfigMap": {"c": mk_force({"data": {"b": "2"}})}}),
    ))
    assert obj["data"] == {"b": "2"}
