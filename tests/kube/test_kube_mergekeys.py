"""How lists merge, read from the bundled schemas and from CRDs (modsys.kube.mergekeys)."""

from __future__ import annotations

import pytest

from modsys.kube import SUPPORTED_VERSIONS, CustomResourceIndex, UnsupportedVersionError
from modsys.kube.mergekeys import (
    UNKNOWN,
    ListMerge,
    builtin_merge_schema,
    element_label,
    find_element,
    list_merge_at,
    merge_schema,
    parse_path,
)

POD = "spec.template.spec"


@pytest.mark.parametrize(
    ("path", "strategy", "keys"),
    [
        (f"{POD}.containers", "map", ("name",)),
        (f"{POD}.initContainers", "map", ("name",)),
        (f"{POD}.containers[].env", "map", ("name",)),
        (f"{POD}.containers[web].ports", "map", ("containerPort", "protocol")),
        (f"{POD}.containers[0].volumeMounts", "map", ("mountPath",)),
        (f"{POD}.volumes", "map", ("name",)),
        (f"{POD}.imagePullSecrets", "map", ("name",)),
        ("metadata.finalizers", "set", ()),
        ("metadata.ownerReferences", "map", ("uid",)),
        (f"{POD}.containers[].args", "atomic", ()),
        (f"{POD}.tolerations", "atomic", ()),
        (f"{POD}.containers[].envFrom", "atomic", ()),
        ("spec.selector.matchExpressions", "atomic", ()),
    ],
)
@pytest.mark.parametrize("version", [SUPPORTED_VERSIONS[0], SUPPORTED_VERSIONS[-1]])
def test_deployment_lists(version, path, strategy, keys):
    lm = list_merge_at("apps/v1", "Deployment", version, path)
    assert (lm.strategy, lm.keys) == (strategy, keys)


def test_service_ports_by_port_and_protocol():
    lm = list_merge_at("v1", "Service", "1.31", "spec.ports")
    assert lm.keys == ("port", "protocol")
    # protocol defaults to TCP, as the API server defaults it before comparing
    assert lm.key_of({"port": 80}) == lm.key_of({"port": 80, "protocol": "TCP"}) == (80, "TCP")
    assert lm.key_of({"port": 53, "protocol": "UDP"}) != lm.key_of({"port": 53})


def test_replace_strategy_and_atomic_maps_are_recorded():
    pdb = builtin_merge_schema("policy/v1", "PodDisruptionBudget", "1.31")
    assert pdb is not None and pdb.at("spec.selector").replace
    deployment = builtin_merge_schema("apps/v1", "Deployment", "1.31")
    assert deployment is not None
    assert deployment.at("spec.selector").map_atomic
    assert not deployment.at("spec.selector").replace
    assert deployment.at("spec.template.spec.volumes").retain_keys


def test_lookups_are_cached_per_kind_and_version():
    a = builtin_merge_schema("apps/v1", "Deployment", "1.31")
    assert a is builtin_merge_schema("apps/v1", "Deployment", "v1.31.4")
    assert a is not None
    assert a.at(f"{POD}.containers") is a.at(f"{POD}.containers")
    # the Container node is shared by Deployments and Pods: one node per schema dict
    pod = builtin_merge_schema("v1", "Pod", "1.31")
    assert pod is not None
    assert pod.at("spec.containers").items is a.at(f"{POD}.containers").items


def test_unknown_kind_and_fields_are_atomic():
    assert builtin_merge_schema("example.com/v1", "Widget", "1.31") is None
    assert merge_schema("example.com/v1", "Widget", "1.31") is UNKNOWN
    node = merge_schema("apps/v1", "Deployment", "1.31").at("spec.nonsense[].more")
    assert node is UNKNOWN and node.list_merge.strategy == "atomic"
    assert not node.known


def test_unsupported_version_raises():
    with pytest.raises(UnsupportedVersionError):
        builtin_merge_schema("apps/v1", "Deployment", "1.2")


def test_crd_list_map_keys(pxc_crds):
    crds = CustomResourceIndex.from_objects(pxc_crds)
    lm = list_merge_at(
        "pxc.percona.com/v1", "PerconaXtraDBCluster", "1.31", "spec.pxc.resources.claims", crds
    )
    assert (lm.strategy, lm.keys) == ("map", ("name",))
    # a CR list without markers is atomic
    sidecars = list_merge_at(
        "pxc.percona.com/v1", "PerconaXtraDBCluster", "1.31", "spec.pxc.sidecars", crds
    )
    assert sidecars.strategy == "atomic"


def test_crd_schema_inline():
    from modsys.kube.mergekeys import crd_merge_schema

    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "routes": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["host", "path"],
                        "items": {"type": "object"},
                    },
                    "tags": {"type": "array", "x-kubernetes-list-type": "set"},
                },
            }
        },
    }
    root = crd_merge_schema(schema)
    assert root is crd_merge_schema(schema)
    assert root.at("spec.routes").list_merge.keys == ("host", "path")
    assert root.at("spec.tags").list_merge.strategy == "set"


def test_marker_precedence():
    both = {
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
        "x-kubernetes-patch-merge-key": "containerPort",
        "x-kubernetes-patch-strategy": "merge",
    }
    assert ListMerge.of(both).keys == ("containerPort", "protocol")
    assert ListMerge.of({"x-kubernetes-patch-strategy": "merge"}).strategy == "set"
    assert ListMerge.of({"x-kubernetes-list-type": "set"}).strategy == "set"
    assert ListMerge.of({"x-kubernetes-patch-strategy": "replace"}).strategy == "atomic"
    assert ListMerge.of({}).describe() == "atomic (no merge key)"


def test_element_label_and_path_syntax():
    lm = list_merge_at("apps/v1", "Deployment", "1.31", f"{POD}.containers[].ports")
    assert element_label(lm, {"containerPort": 80}, 3) == "[80,TCP]"
    assert element_label(lm, {"name": "http"}, 3) == "[3]"
    assert element_label(None, {"name": "x"}, 0) == "[0]"
    assert parse_path('metadata.labels["app.kubernetes.io/name"]') == [
        "metadata",
        "labels",
        "app.kubernetes.io/name",
    ]
    assert parse_path("a[web].b[0][]") == ["a", None, "b", None, None]
    with pytest.raises(ValueError):
        parse_path("a[")


def test_find_element_by_key_or_index():
    containers = list_merge_at("apps/v1", "Deployment", "1.31", f"{POD}.containers")
    elements = [{"name": "web"}, {"name": "sidecar"}]
    assert find_element(containers, elements, "sidecar") == 1
    assert find_element(containers, elements, "1") == 1
    assert find_element(containers, elements, "nope") is None
    assert find_element(containers, elements, "5") is None
    ports = list_merge_at("apps/v1", "Deployment", "1.31", f"{POD}.containers[].ports")
    port_list = [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53}]
    assert find_element(ports, port_list, "53,UDP") == 0
    assert find_element(ports, port_list, "53,TCP") == 1
    assert find_element(ports, port_list, "53") == 1  # protocol defaults to TCP
    args = list_merge_at("apps/v1", "Deployment", "1.31", f"{POD}.containers[].args")
    assert find_element(args, ["a", "b"], "1") == 1
