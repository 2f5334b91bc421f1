"""Strategic merge of object definitions (modsys.kube.strategic).

Expected results follow the strategic-merge-patch rules (kubernetes/community
contributors/devel/sig-api-machinery/strategic-merge-patch.md); `test_matches_kubectl` checks a
sample against `kubectl patch --local --type=strategic`, which runs offline.
"""

from __future__ import annotations

import copy
import json
import subprocess

import pytest

from modsys.kube import CustomResourceIndex
from modsys.kube.mergekeys import UNKNOWN, list_merge_at, merge_schema
from modsys.kube.strategic import (
    group_elements,
    merge_definitions,
    merge_object_definitions,
    strategic_patch,
)
from tests.needs import tool

V = "1.31"


def deployment(containers, **pod):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": containers, **pod}}},
    }


def overlay(containers=None, **pod):
    spec = dict(pod)
    if containers is not None:
        spec["containers"] = containers
    return {"spec": {"template": {"spec": spec}}}


def containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


BASE = deployment(
    [
        {"name": "web", "image": "nginx", "env": [{"name": "A", "value": "1"}]},
        {"name": "sidecar", "image": "busybox"},
    ]
)


# --- the overlay ------------------------------------------------------------------------


def test_overlay_changes_one_image_and_keeps_the_other_container():
    result = strategic_patch(BASE, overlay([{"name": "web", "image": "nginx:1.27"}]), V)
    assert result.problems == ()
    assert containers(result.value) == [
        {"name": "web", "image": "nginx:1.27", "env": [{"name": "A", "value": "1"}]},
        {"name": "sidecar", "image": "busybox"},
    ]


def test_definitions_merge_containers_and_env_by_name():
    add = overlay(
        [
            {"name": "web", "env": [{"name": "B", "value": "2"}]},
            {"name": "metrics", "image": "exporter"},
        ]
    )
    result = merge_object_definitions([BASE, add], V)
    assert result.problems == ()
    assert containers(result.value) == [
        {
            "name": "web",
            "image": "nginx",
            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
        },
        {"name": "sidecar", "image": "busybox"},
        {"name": "metrics", "image": "exporter"},
    ]


def test_definitions_with_different_scalars_conflict_with_the_element_path():
    result = merge_object_definitions([BASE, overlay([{"name": "web", "image": "nginx:1.27"}])], V)
    [problem] = result.problems
    assert problem.path == "spec.template.spec.containers[web].image"
    assert problem.definitions == (0, 1)
    assert '"nginx" (definition #0)' in problem.message
    assert '"nginx:1.27" (definition #1)' in problem.message


def test_element_order_is_first_appearance_in_merge_order():
    defs = [
        deployment([{"name": "b"}, {"name": "a"}]),
        overlay([{"name": "c"}, {"name": "a", "image": "x"}]),
        overlay([{"name": "d"}, {"name": "b", "image": "y"}]),
    ]
    result = merge_object_definitions(defs, V)
    assert [c["name"] for c in containers(result.value)] == ["b", "a", "c", "d"]
    assert containers(result.value)[0] == {"name": "b", "image": "y"}


def test_ports_keep_protocols_apart():
    # the API server's list-map keys (containerPort, protocol), not SMP's containerPort alone
    base = deployment([{"name": "dns", "ports": [{"containerPort": 53, "protocol": "UDP"}]}])
    add = overlay([{"name": "dns", "ports": [{"containerPort": 53}, {"containerPort": 9153}]}])
    result = merge_object_definitions([base, add], V)
    assert containers(result.value)[0]["ports"] == [
        {"containerPort": 53, "protocol": "UDP"},
        {"containerPort": 53},
        {"containerPort": 9153},
    ]
    same = overlay([{"name": "dns", "ports": [{"containerPort": 53, "protocol": "UDP"}]}])
    assert containers(merge_object_definitions([base, same], V).value)[0]["ports"] == [
        {"containerPort": 53, "protocol": "UDP"}
    ]


# --- directives ---------------------------------------------------------------------------------


@pytest.mark.parametrize("patch", [False, True])
def test_patch_delete_removes_an_element(patch):
    result = merge_object_definitions(
        [BASE, overlay([{"name": "sidecar", "$patch": "delete"}])], V, patch=patch
    )
    assert result.problems == ()
    assert [c["name"] for c in containers(result.value)] == ["web"]


def test_deleted_element_can_come_back_later():
    defs = [
        BASE,
        overlay([{"name": "sidecar", "$patch": "delete"}]),
        overlay([{"name": "sidecar", "image": "alpine"}]),
    ]
    result = merge_object_definitions(defs, V)
    assert containers(result.value)[1] == {"name": "sidecar", "image": "alpine"}


def test_patch_replace_element_replaces_the_list():
    result = merge_object_definitions(
        [BASE, overlay([{"$patch": "replace"}, {"name": "only", "image": "x"}])], V
    )
    assert result.problems == ()
    assert containers(result.value) == [{"name": "only", "image": "x"}]


def test_patch_replace_and_delete_on_a_map():
    base = {"metadata": {"labels": {"a": "1", "b": "2"}}}
    replaced = merge_definitions([base, {"metadata": {"labels": {"$patch": "replace", "c": "3"}}}])
    assert replaced.value == {"metadata": {"labels": {"c": "3"}}}
    deleted = merge_definitions([base, {"metadata": {"labels": {"$patch": "delete"}}}])
    assert deleted.value == {"metadata": {}}


def test_atomic_list_conflict_says_how_to_replace():
    base = deployment([{"name": "web"}], tolerations=[{"key": "a"}])
    result = merge_object_definitions([base, overlay(tolerations=[{"key": "b"}])], V)
    [problem] = result.problems
    assert problem.path == "spec.template.spec.tolerations"
    assert "no merge key" in problem.message
    assert "mk_force" in problem.message and "!force" in problem.message
    assert "{$patch: replace}" in problem.message
    # the same list twice is no conflict
    same = merge_object_definitions([base, overlay(tolerations=[{"key": "a"}])], V)
    assert same.problems == ()
    # and a {$patch: replace} element replaces it
    forced = merge_object_definitions(
        [base, overlay(tolerations=[{"$patch": "replace"}, {"key": "b"}])], V
    )
    assert forced.problems == ()
    assert forced.value["spec"]["template"]["spec"]["tolerations"] == [{"key": "b"}]


def test_atomic_list_in_patch_mode_is_replaced():
    base = deployment([{"name": "web", "args": ["a", "b"]}])
    result = strategic_patch(base, overlay([{"name": "web", "args": ["c"]}]), V)
    assert result.problems == () and containers(result.value)[0]["args"] == ["c"]


def test_set_lists_union_and_delete_from_primitive_list():
    base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"finalizers": ["a", "b"]}}
    add = {"metadata": {"finalizers": ["c", "a"]}}
    assert merge_object_definitions([base, add], V).value["metadata"]["finalizers"] == [
        "a",
        "b",
        "c",
    ]
    drop = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}}
    result = merge_object_definitions([base, add, drop], V)
    assert result.value["metadata"] == {"finalizers": ["a", "c"]}


def test_set_element_order():
    add = overlay(
        [{"name": "web", "image": "nginx"}],
        **{"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}]},
    )
    result = merge_object_definitions([BASE, add], V)
    assert [c["name"] for c in containers(result.value)] == ["sidecar", "web"]
    assert "$setElementOrder/containers" not in result.value["spec"]["template"]["spec"]


def test_patch_mode_null_deletes_a_field():
    base = deployment([{"name": "web", "image": "nginx", "command": ["x"]}])
    result = strategic_patch(base, overlay([{"name": "web", "command": None}]), V)
    assert containers(result.value) == [{"name": "web", "image": "nginx"}]


def test_lone_definition_is_returned_as_is_or_cleaned():
    assert merge_object_definitions([BASE], V).value is BASE
    with_directive = deployment([{"name": "web"}, {"name": "gone", "$patch": "delete"}])
    cleaned = merge_object_definitions([with_directive], V).value
    assert containers(cleaned) == [{"name": "web"}]
    assert len(containers(with_directive)) == 2  # inputs are never mutated


# --- problems -----------------------------------------------------------------------------------


def test_element_without_key_and_duplicate_key():
    base = deployment([{"name": "web"}])
    add = overlay([{"image": "x"}, {"name": "a"}, {"name": "a", "image": "y"}])
    result = merge_object_definitions([base, add], V)
    paths = sorted((p.path, p.definitions) for p in result.problems)
    assert paths == [
        ("spec.template.spec.containers[0]", (1,)),
        ("spec.template.spec.containers[a]", (1,)),
    ]
    assert any("has no name field" in p.message for p in result.problems)
    assert any("twice" in p.message for p in result.problems)


def test_kind_mismatch_conflicts():
    result = merge_definitions([{"a": {"b": 1}}, {"a": [1]}])
    [problem] = result.problems
    assert problem.path == "a" and "map in definition #0" in problem.message
    assert merge_definitions([{"a": {"b": 1}}, {"a": [1]}], patch=True).value == {"a": [1]}


def test_unknown_kind_keeps_lists_atomic():
    a = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"items": [{"name": "x"}]}}
    b = {"spec": {"items": [{"name": "y"}]}}
    result = merge_object_definitions([a, b], V)
    assert len(result.problems) == 1 and "no merge key" in result.problems[0].message


def test_custom_resource_list_map_from_its_crd(pxc_crds):
    crds = CustomResourceIndex.from_objects(pxc_crds)
    cr = {
        "apiVersion": "pxc.percona.com/v1",
        "kind": "PerconaXtraDBCluster",
        "metadata": {"name": "db"},
        "spec": {"pxc": {"resources": {"claims": [{"name": "gpu"}, {"name": "fpga"}]}}},
    }
    add = {"spec": {"pxc": {"resources": {"claims": [{"name": "gpu", "request": "one"}]}}}}
    result = merge_object_definitions([cr, add], V, crds)
    assert result.problems == ()
    assert result.value["spec"]["pxc"]["resources"]["claims"] == [
        {"name": "gpu", "request": "one"},
        {"name": "fpga"},
    ]
    # without the CRD the same list is atomic
    assert merge_object_definitions([cr, add], V).problems


def test_group_elements_for_the_engine():
    lm = list_merge_at("apps/v1", "Deployment", V, "spec.template.spec.containers")
    groups, problems = group_elements(
        lm,
        [
            (0, [{"name": "a"}, {"name": "b"}]),
            (1, [{"name": "b", "image": "x"}, {"name": "a", "$patch": "delete"}]),
        ],
        path="spec.template.spec.containers",
    )
    assert problems == []
    assert [(g.key, g.label, g.elements) for g in groups] == [
        (("b",), "[b]", ((0, {"name": "b"}), (1, {"name": "b", "image": "x"})))
    ]


def test_merge_definitions_defaults_to_unknown_schema():
    assert merge_schema("x/v1", "Y", V) is UNKNOWN
    assert merge_definitions([]).value is None
    assert merge_definitions([{"a": 1}, {"b": 2}]).value == {"a": 1, "b": 2}


# --- kubectl ------------------------------------------------------------------------------------

KUBECTL_CASES = {
    "image": (BASE, overlay([{"name": "web", "image": "nginx:1.27"}])),
    "add-env-and-sidecar": (
        BASE,
        overlay([{"name": "web", "env": [{"name": "B", "value": "2"}]}, {"name": "new"}]),
    ),
    "delete": (BASE, overlay([{"name": "sidecar", "$patch": "delete"}])),
    "replace-list": (BASE, overlay([{"$patch": "replace"}, {"name": "only"}])),
    "atomic-args": (
        deployment([{"name": "web", "args": ["a", "b"]}]),
        overlay([{"name": "web", "args": ["c"]}]),
    ),
    "null-deletes": (
        deployment([{"name": "web", "image": "x", "command": ["sh"]}]),
        overlay([{"name": "web", "command": None}]),
    ),
    "volumes-and-mounts": (
        deployment(
            [{"name": "web", "volumeMounts": [{"name": "a", "mountPath": "/a"}]}],
            volumes=[{"name": "a", "emptyDir": {}}],
        ),
        overlay(
            [{"name": "web", "volumeMounts": [{"name": "b", "mountPath": "/b"}]}],
            volumes=[{"name": "b", "configMap": {"name": "cm"}}],
        ),
    ),
    "finalizers-and-labels": (
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "labels": {"a": "1"}, "finalizers": ["f.io/x"]},
            "data": {"k": "v"},
        },
        {
            "metadata": {"labels": {"b": "2"}, "finalizers": ["f.io/y"]},
            "data": {"k": None, "l": "w"},
        },
    ),
    "service-ports": (
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "s"},
            "spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]},
        },
        {"spec": {"ports": [{"port": 443, "targetPort": 8443}]}},
    ),
    "map-replace": (
        {**BASE, "metadata": {"name": "web", "labels": {"a": "1", "b": "2"}}},
        {"metadata": {"labels": {"$patch": "replace", "z": "1"}}},
    ),
    "set-element-order": (
        BASE,
        overlay(
            [{"name": "web", "image": "v2"}],
            **{"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}]},
        ),
    ),
    "retain-keys": (
        deployment([{"name": "web"}], volumes=[{"name": "data", "emptyDir": {}}]),
        overlay(
            volumes=[
                {"name": "data", "$retainKeys": ["name", "configMap"], "configMap": {"name": "c"}}
            ],
        ),
    ),
    "delete-from-primitive-list": (
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "finalizers": ["f.io/a", "f.io/b"]},
        },
        {"metadata": {"$deleteFromPrimitiveList/finalizers": ["f.io/a"]}},
    ),
}


# kubectl orders a merged list differently: the patch's elements first, in the patch's order,
# then the original's other elements. modsys keeps first appearance (the original's elements
# where they were, new ones appended), so that an overlay adding an env var does not move the
# container's existing ones; for these cases the comparison ignores the order of such lists.
ORDER_DIFFERS = {"add-env-and-sidecar", "finalizers-and-labels", "volumes-and-mounts"}


def _unordered(value):
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def kubectl_patch(obj, patch, tmp_path):
    kubectl = tool("kubectl")
    path = tmp_path / "obj.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    argv = [kubectl, "patch", "--local", "--type=strategic", "-f", str(path)]
    run = subprocess.run(
        [*argv, "-p", json.dumps(patch), "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if run.returncode != 0:
        pytest.fail(f"kubectl patch failed: {run.stderr}")
    return json.loads(run.stdout)


@pytest.mark.parametrize("case", sorted(KUBECTL_CASES))
def test_matches_kubectl(case, tmp_path):
    obj, patch = KUBECTL_CASES[case]
    expected = kubectl_patch(obj, patch, tmp_path)
    result = strategic_patch(copy.deepcopy(obj), patch, V)
    assert result.problems == ()
    if case in ORDER_DIFFERS:
        assert _unordered(result.value) == _unordered(expected)
        assert result.value != expected  # if kubectl changes its order, revisit the note above
    else:
        assert result.value == expected


def test_kubectl_merges_ports_by_container_port_alone(tmp_path):
    """kubernetes/kubernetes#108255: strategic merge patch keys ports by containerPort, so a
    TCP port patched onto a UDP one replaces it; modsys uses the API server's list-map keys."""
    obj = deployment([{"name": "dns", "ports": [{"containerPort": 53, "protocol": "UDP"}]}])
    patch = overlay([{"name": "dns", "ports": [{"containerPort": 53, "protocol": "TCP"}]}])
    expected = kubectl_patch(obj, patch, tmp_path)
    assert containers(expected)[0]["ports"] == [{"containerPort": 53, "protocol": "TCP"}]
    ours = strategic_patch(obj, patch, V).value
    assert containers(ours)[0]["ports"] == [
        {"containerPort": 53, "protocol": "UDP"},
        {"containerPort": 53, "protocol": "TCP"},
    ]
