"""Readiness checks: the ones the user writes, and the ones every plan gets by default."""

from __future__ import annotations

import pytest
from platform_samples import (
    bundle_in,
    crd,
    deployment,
    find_bundle,
    plan_of,
    validation_error,
    write_data,
)

from modsys import TypeMismatchError


def waits(*modules, ident="services/web"):
    return [
        {k: v for k, v in w.items() if v is not None and k != "timeout"}
        for w in find_bundle(plan_of(*modules), ident)["wait"]
    ]


@pytest.mark.parametrize(
    ("kind", "body", "for_"),
    [
        ("CustomResourceDefinition", crd("a.io", "A"), "condition=Established"),
        ("Deployment", deployment("x"), "rollout"),
        ("StatefulSet", {"spec": {"serviceName": "x", **deployment("x")["spec"]}}, "rollout"),
        ("DaemonSet", deployment("x"), "rollout"),
    ],
)
def test_kinds_that_need_waiting_get_a_default_wait(kind, body, for_):
    module = bundle_in("services", "web", resources={kind: {"x": {k: v for k, v in body.items() if k not in ("apiVersion", "kind")}}})
    assert waits(module) == [{"kind": kind, "for": for_}]


def test_other_kinds_get_no_default_wait():
    module = bundle_in("services", "web", resources={"Service": {"s": {}}, "ConfigMap": {"c": {}}})
    assert waits(module) == []


def test_default_waits_follow_install_order_with_user_waits_first():
    module = bundle_in("services", "web",
                       resources={"StatefulSet": {"s": {}}, "Deployment": {"d": {}}, "DaemonSet": {"ds": {}}},
                       wait=[{"command": "true"}])
    assert waits(module) == [
        {"command": "true"},
        {"kind": "DaemonSet", "for": "rollout"},
        {"kind": "Deployment", "for": "rollout"},
        {"kind": "StatefulSet", "for": "rollout"},
    ]


def test_user_wait_for_a_whole_kind_replaces_the_default():
    module = bundle_in("services", "web", resources={"Deployment": {"a": {}, "b": {}}},
                       wait=[{"kind": "Deployment", "for": "condition=Available", "timeout": "10m"}])
    (wait,) = find_bundle(plan_of(module), "services/web")["wait"]
    assert wait == {"kind": "Deployment", "name": None, "namespace": None,
                    "for": "condition=Available", "command": None, "timeout": "10m"}


def test_user_wait_for_one_object_leaves_defaults_for_the_others():
    module = bundle_in("services", "web", resources={"Deployment": {"a": {}, "b": {}, "c": {}}},
                       wait=[{"kind": "Deployment", "name": "a", "for": "condition=Available"}])
    assert waits(module) == [
        {"kind": "Deployment", "name": "a", "for": "condition=Available"},
        {"kind": "Deployment", "name": "b", "for": "rollout"},
        {"kind": "Deployment", "name": "c", "for": "rollout"},
    ]


def test_wait_timeout_defaults_to_300s():
    module = bundle_in("services", "web", wait=[{"kind": "Job", "name": "migrate", "for": "condition=Complete"}])
    assert find_bundle(plan_of(module), "services/web")["wait"][0]["timeout"] == "300s"


@pytest.mark.parametrize(
    ("wait", "expected"),
    [
        ({"kind": "Job"}, "needs either `command`, or both `kind` and `for`"),
        ({"for": "rollout"}, "needs either `command`, or both `kind` and `for`"),
        ({"command": "true", "kind": "Job"}, "sets `command` and also `kind`/`for`"),
    ],
)
def test_incomplete_wait_is_an_error_naming_the_file(tmp_path, wait, expected):
    path = write_data(tmp_path, "waits.py", bundle_in("services", "web", wait=[wait]))
    message = str(validation_error(path))
    assert expected in message and "services.bundles.web.wait[0]" in message
    assert str(path) in message


@pytest.mark.parametrize("field", [{"for": "ready"}, {"timeout": "5 minutes"}])
def test_malformed_wait_fields_are_type_errors(field):
    module = bundle_in("services", "web", wait=[{"kind": "Job", "for": "rollout", **field}])
    with pytest.raises(TypeMismatchError, match="is not of type"):
        plan_of(module)
