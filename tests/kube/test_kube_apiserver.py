"""API-server checks beyond the schema (modsys.kube.apiserver, quantity, enums): each check
with an object it rejects and a close one it accepts."""

from __future__ import annotations

import base64
import copy
from fractions import Fraction

import pytest
from kube_samples import make_config_map, make_deployment, make_service

from modsys.kube import UnsupportedVersionError, validate_objects
from modsys.kube.apiserver import (
    check_object,
    check_objects,
    label_value_problem,
    port_name_problem,
    qualified_name_problem,
)
from modsys.kube.enums import ENUMS, allowed_values
from modsys.kube.quantity import parse_quantity

V = "1.31"


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def container(obj, i=0):
    return pod_spec(obj)["containers"][i]


def secret(**fields):
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "n"},
        **fields,
    }


def stateful_set():
    obj = make_deployment()
    obj["kind"] = "StatefulSet"
    obj["spec"]["serviceName"] = "web"
    return obj


def daemon_set():
    obj = make_deployment()
    obj["kind"] = "DaemonSet"
    del obj["spec"]["replicas"]
    return obj


def pvc(storage="1Gi", **spec):
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "namespace": "n"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": storage}},
            **spec,
        },
    }


def cron_job(policy="Forbid"):
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c", "namespace": "n"},
        "spec": {
            "schedule": "* * * * *",
            "concurrencyPolicy": policy,
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "Never",
                            "containers": [{"name": "c", "image": "x"}],
                        }
                    }
                }
            },
        },
    }


def edit(make, change):
    def build():
        obj = make()
        change(obj)
        return obj

    return build


def set_in(path, value):
    """A change setting `value` at a path of keys / list indexes."""

    def change(obj):
        target = obj
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


C0 = ("spec", "template", "spec", "containers", 0)
POD = ("spec", "template", "spec")

# id -> (bad object, good object, expected path, fragment of the message)
CASES = {
    "cpu-abc": (
        edit(make_deployment, set_in((*C0, "resources", "limits", "cpu"), "abc")),
        edit(make_deployment, set_in((*C0, "resources", "limits", "cpu"), "1.5")),
        "spec.template.spec.containers[app].resources.limits.cpu",
        "must be a quantity",
    ),
    "negative-quantity": (
        edit(make_deployment, set_in((*C0, "resources", "limits", "memory"), "-1Gi")),
        edit(make_deployment, set_in((*C0, "resources", "limits", "memory"), "1Gi")),
        "spec.template.spec.containers[app].resources.limits.memory",
        "greater than or equal to 0",
    ),
    "limit-below-request": (
        edit(make_deployment, set_in((*C0, "resources", "requests"), {"memory": "512Mi"})),
        edit(
            make_deployment,
            set_in((*C0, "resources", "requests"), {"memory": "256Mi", "cpu": "0.5"}),
        ),
        "spec.template.spec.containers[app].resources.requests.memory",
        'must be less than or equal to memory limit of "256Mi"',
    ),
    "replicas": (
        edit(make_deployment, set_in(("spec", "replicas"), -1)),
        edit(make_deployment, set_in(("spec", "replicas"), 0)),
        "spec.replicas",
        "must be greater than or equal to 0",
    ),
    "container-port-range": (
        edit(make_deployment, set_in((*C0, "ports", 0, "containerPort"), 70000)),
        edit(make_deployment, set_in((*C0, "ports", 0, "containerPort"), 65535)),
        "spec.template.spec.containers[app].ports[70000,TCP].containerPort",
        "between 1 and 65535",
    ),
    "host-port-range": (
        edit(make_deployment, set_in((*C0, "ports", 0, "hostPort"), -5)),
        edit(make_deployment, set_in((*C0, "ports", 0, "hostPort"), 8080)),
        "spec.template.spec.containers[app].ports[8080,TCP].hostPort",
        "between 1 and 65535",
    ),
    "duplicate-port": (
        edit(
            make_deployment,
            set_in(
                (*C0, "ports"), [{"containerPort": 80}, {"containerPort": 80, "protocol": "TCP"}]
            ),
        ),
        edit(
            make_deployment,
            set_in(
                (*C0, "ports"), [{"containerPort": 53}, {"containerPort": 53, "protocol": "UDP"}]
            ),
        ),
        "spec.template.spec.containers[app].ports[80,TCP]",
        "listed twice",
    ),
    "port-name-syntax": (
        edit(make_deployment, set_in((*C0, "ports", 0, "name"), "http_port")),
        edit(make_deployment, set_in((*C0, "ports", 0, "name"), "http-alt")),
        "spec.template.spec.containers[app].ports[8080,TCP].name",
        "only lower-case letters, digits and '-'",
    ),
    "port-name-unique": (
        edit(
            make_deployment,
            set_in(
                (*C0, "ports"),
                [{"containerPort": 80, "name": "web"}, {"containerPort": 81, "name": "web"}],
            ),
        ),
        edit(
            make_deployment,
            set_in(
                (*C0, "ports"),
                [{"containerPort": 80, "name": "web"}, {"containerPort": 81, "name": "web2"}],
            ),
        ),
        "spec.template.spec.containers[app].ports[81,TCP].name",
        "Duplicate value",
    ),
    "container-name-syntax": (
        edit(make_deployment, set_in((*C0, "name"), "App_1")),
        edit(make_deployment, set_in((*C0, "name"), "app-1")),
        "spec.template.spec.containers[App_1].name",
        "DNS-1123 label",
    ),
    "container-name-unique": (
        edit(make_deployment, set_in((*POD, "initContainers"), [{"name": "app", "image": "x"}])),
        edit(make_deployment, set_in((*POD, "initContainers"), [{"name": "init", "image": "x"}])),
        "spec.template.spec.containers[app].name",
        "must be unique across containers, initContainers",
    ),
    "image-pull-policy": (
        edit(make_deployment, set_in((*C0, "imagePullPolicy"), "Sometimes")),
        edit(make_deployment, set_in((*C0, "imagePullPolicy"), "Always")),
        "spec.template.spec.containers[app].imagePullPolicy",
        'Unsupported value "Sometimes": supported values: Always, Never, IfNotPresent',
    ),
    "pod-restart-policy": (
        edit(
            cron_job,
            set_in(
                ("spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"), "Sometimes"
            ),
        ),
        cron_job,
        "spec.jobTemplate.spec.template.spec.restartPolicy",
        "Unsupported value",
    ),
    "cron-concurrency-policy": (
        lambda: cron_job("Maybe"),
        lambda: cron_job("Replace"),
        "spec.concurrencyPolicy",
        "Allow, Forbid, Replace",
    ),
    "service-type": (
        edit(make_service, set_in(("spec", "type"), "Internal")),
        edit(make_service, set_in(("spec", "type"), "NodePort")),
        "spec.type",
        "ClusterIP, NodePort, LoadBalancer, ExternalName",
    ),
    "service-protocol": (
        edit(make_service, set_in(("spec", "ports", 0, "protocol"), "HTTP")),
        edit(make_service, set_in(("spec", "ports", 0, "protocol"), "UDP")),
        "spec.ports[80,HTTP].protocol",
        "TCP, UDP, SCTP",
    ),
    "service-port-names": (
        edit(
            make_service, set_in(("spec", "ports"), [{"port": 80, "name": "http"}, {"port": 443}])
        ),
        edit(
            make_service,
            set_in(
                ("spec", "ports"), [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]
            ),
        ),
        "spec.ports[443,TCP].name",
        "must be named",
    ),
    "service-port-range": (
        edit(make_service, set_in(("spec", "ports", 0, "port"), 0)),
        edit(make_service, set_in(("spec", "ports", 0, "port"), 1)),
        "spec.ports[0,TCP].port",
        "between 1 and 65535",
    ),
    "deployment-strategy": (
        edit(make_deployment, set_in(("spec", "strategy"), {"type": "BlueGreen"})),
        edit(make_deployment, set_in(("spec", "strategy"), {"type": "Recreate"})),
        "spec.strategy.type",
        "RollingUpdate, Recreate",
    ),
    "pvc-access-mode": (
        lambda: pvc(accessModes=["ReadWriteSometimes"]),
        lambda: pvc(accessModes=["ReadWriteOncePod"]),
        "spec.accessModes[0]",
        "Unsupported value",
    ),
    "pvc-storage-quantity": (
        lambda: pvc("10 GB"),
        lambda: pvc("10G"),
        "spec.resources.requests.storage",
        "must be a quantity",
    ),
    "label-key": (
        edit(make_deployment, set_in(("metadata", "labels"), {"Example.com/app": "x"})),
        edit(make_deployment, set_in(("metadata", "labels"), {"example.com/app": "x"})),
        'metadata.labels["Example.com/app"]',
        "invalid label key",
    ),
    "label-value": (
        edit(make_deployment, set_in(("metadata", "labels"), {"tier": "front end"})),
        edit(make_deployment, set_in(("metadata", "labels"), {"tier": ""})),
        "metadata.labels.tier",
        "invalid label value",
    ),
    "template-label-value": (
        edit(make_deployment, set_in(("spec", "template", "metadata", "labels", "v"), "x" * 64)),
        edit(make_deployment, set_in(("spec", "template", "metadata", "labels", "v"), "x" * 63)),
        "spec.template.metadata.labels.v",
        "at most 63 characters",
    ),
    "annotation-size": (
        edit(make_deployment, set_in(("metadata", "annotations"), {"a": "x" * (256 * 1024)})),
        edit(make_deployment, set_in(("metadata", "annotations"), {"a": "x" * (256 * 1024 - 1)})),
        "metadata.annotations",
        "256 KiB",
    ),
    "annotation-key": (
        edit(make_deployment, set_in(("metadata", "annotations"), {"a/b/c": "x"})),
        edit(make_deployment, set_in(("metadata", "annotations"), {"a.io/b": "x"})),
        'metadata.annotations["a/b/c"]',
        "invalid annotation key",
    ),
    "secret-base64": (
        lambda: secret(data={"password": "hunter2!"}),
        lambda: secret(data={"password": base64.b64encode(b"hunter2!").decode()}),
        "data.password",
        "not valid base64",
    ),
    "secret-key": (
        lambda: secret(stringData={"my key": "x"}),
        lambda: secret(stringData={"my-key.txt": "x"}),
        'stringData["my key"]',
        "only letters, digits, '-', '_' and '.'",
    ),
    "secret-key-dots": (
        lambda: secret(stringData={"..data": "x"}),
        lambda: secret(stringData={".data": "x"}),
        'stringData["..data"]',
        "start with '..'",
    ),
    "secret-tls-keys": (
        lambda: secret(type="kubernetes.io/tls", stringData={"tls.crt": "x"}),
        lambda: secret(
            type="kubernetes.io/tls", stringData={"tls.crt": "x"}, data={"tls.key": "eA=="}
        ),
        'data["tls.key"]',
        'needs "tls.key"',
    ),
    "secret-basic-auth": (
        lambda: secret(type="kubernetes.io/basic-auth", stringData={"user": "x"}),
        lambda: secret(type="kubernetes.io/basic-auth", stringData={"password": "x"}),
        "data.username",
        'needs "username" or "password"',
    ),
    "secret-service-account-token": (
        lambda: secret(type="kubernetes.io/service-account-token"),
        lambda: secret(
            type="kubernetes.io/service-account-token",
            metadata={
                "name": "t",
                "namespace": "n",
                "annotations": {"kubernetes.io/service-account.name": "sa"},
            },
        ),
        'metadata.annotations["kubernetes.io/service-account.name"]',
        "Required value",
    ),
    "config-map-key-twice": (
        edit(
            make_config_map,
            set_in(("binaryData",), {next(iter(make_config_map()["data"])): "eA=="}),
        ),
        edit(make_config_map, set_in(("binaryData",), {"other.bin": "eA=="})),
        None,
        "the same key is in data",
    ),
    "selector-matches-template": (
        edit(make_deployment, set_in(("spec", "selector", "matchLabels"), {"app": "other"})),
        edit(
            make_deployment,
            set_in(
                ("spec", "selector"),
                {
                    "matchExpressions": [
                        {"key": "app.kubernetes.io/name", "operator": "In", "values": ["web"]}
                    ]
                },
            ),
        ),
        "spec.template.metadata.labels",
        "`selector` does not match template `labels`",
    ),
    "statefulset-selector": (
        edit(stateful_set, set_in(("spec", "template", "metadata", "labels"), {"x": "y"})),
        stateful_set,
        "spec.template.metadata.labels",
        "does not match",
    ),
    "daemonset-empty-selector": (
        edit(daemon_set, set_in(("spec", "selector"), {})),
        daemon_set,
        "spec.selector",
        "empty selector is invalid for DaemonSet",
    ),
    "volume-mount-needs-volume": (
        edit(
            make_deployment, set_in((*C0, "volumeMounts"), [{"name": "data", "mountPath": "/data"}])
        ),
        edit(
            edit(
                make_deployment,
                set_in((*C0, "volumeMounts"), [{"name": "data", "mountPath": "/data"}]),
            ),
            set_in((*POD, "volumes"), [{"name": "data", "emptyDir": {}}]),
        ),
        "spec.template.spec.containers[app].volumeMounts[/data].name",
        'Not found: "data"',
    ),
    "mount-path-unique": (
        edit(
            edit(
                make_deployment,
                set_in(
                    (*C0, "volumeMounts"),
                    [{"name": "a", "mountPath": "/d"}, {"name": "b", "mountPath": "/d"}],
                ),
            ),
            set_in(
                (*POD, "volumes"), [{"name": "a", "emptyDir": {}}, {"name": "b", "emptyDir": {}}]
            ),
        ),
        edit(
            edit(
                make_deployment,
                set_in(
                    (*C0, "volumeMounts"),
                    [{"name": "a", "mountPath": "/d"}, {"name": "b", "mountPath": "/e"}],
                ),
            ),
            set_in(
                (*POD, "volumes"), [{"name": "a", "emptyDir": {}}, {"name": "b", "emptyDir": {}}]
            ),
        ),
        "spec.template.spec.containers[app].volumeMounts[/d].mountPath",
        "must be unique",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_rejects_bad_and_accepts_good(case):
    bad, good, path, fragment = CASES[case]
    good_obj = good()
    assert validate_objects([good_obj], V) == []  # the passing object is schema-valid
    assert check_object(good_obj, V) == []
    bad_obj = bad()
    problems = check_object(bad_obj, V, index=4)
    assert len(problems) == 1, problems
    [problem] = problems
    assert fragment in problem.message
    if path is not None:
        assert problem.path == path
    assert problem.index == 4
    assert problem.object_ref.startswith(bad_obj["apiVersion"])


def test_samples_pass_in_every_version():
    from modsys.kube import SUPPORTED_VERSIONS

    for version in SUPPORTED_VERSIONS:
        assert check_objects([make_deployment(), make_service(), make_config_map()], version) == []


def test_check_objects_keeps_indexes_and_rejects_unknown_versions():
    bad = make_deployment()
    bad["spec"]["replicas"] = -2
    problems = check_objects([make_service(), bad], V)
    assert [(p.index, p.path) for p in problems] == [(1, "spec.replicas")]
    with pytest.raises(UnsupportedVersionError):
        check_objects([], "1.2")
    assert check_object("not an object", V) == []


# --- enums by version ---------------------------------------------------------------------------


def test_enum_values_by_version():
    assert "Always" not in allowed_values("Container.restartPolicy", "1.27")
    assert allowed_values("Container.restartPolicy", "1.28") == ("Always",)
    assert "PreferSameNode" in allowed_values("ServiceSpec.trafficDistribution", "1.33")
    assert allowed_values("ServiceSpec.trafficDistribution", "1.29") == ()


def test_enum_message_says_when_a_value_is_too_new():
    obj = make_deployment()
    pod_spec(obj)["initContainers"] = [{"name": "proxy", "image": "x", "restartPolicy": "Always"}]
    assert check_object(obj, "1.29") == []
    [problem] = check_object(obj, "1.27")
    assert problem.path == "spec.template.spec.initContainers[proxy].restartPolicy"
    assert "Kubernetes 1.27 does not accept Always yet" in problem.message


def test_every_enum_field_has_values():
    for name, field in ENUMS.items():
        assert field.values, name
        assert set(field.since) <= set(field.values), name


# --- syntax helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Fraction(1, 2)),
        ("0.5", Fraction(1, 2)),
        ("1Gi", Fraction(2**30)),
        ("1.5Gi", Fraction(3 * 2**29)),
        ("1e3", Fraction(1000)),
        ("1E-3", Fraction(1, 1000)),
        (".5k", Fraction(500)),
        ("2.", Fraction(2)),
        ("+3M", Fraction(3 * 10**6)),
        (2, Fraction(2)),
        (0.25, Fraction(1, 4)),
    ],
)
def test_quantities_parse(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    "text", ["abc", "1 Gi", "1GB", "1gi", "", ".", "1e", "--1", True, None, "1Ki5"]
)
def test_quantities_reject(text):
    assert parse_quantity(text) is None


def test_name_syntax_helpers():
    assert qualified_name_problem("app.kubernetes.io/name") is None
    assert qualified_name_problem("/x") is not None
    assert qualified_name_problem("x/") is not None
    assert qualified_name_problem("a" * 64) is not None
    assert label_value_problem("") is None
    assert label_value_problem("-x") is not None
    assert port_name_problem("http") is None
    for bad in ("8080", "a--b", "-a", "abcdefghijklmnop", "HTTP"):
        assert port_name_problem(bad) is not None, bad


def test_many_problems_at_once():
    obj = copy.deepcopy(make_deployment())
    obj["spec"]["replicas"] = -1
    container(obj)["imagePullPolicy"] = "Sometimes"
    container(obj)["resources"] = {"limits": {"cpu": "abc"}}
    assert {p.path for p in check_object(obj, V)} == {
        "spec.replicas",
        "spec.template.spec.containers[app].imagePullPolicy",
        "spec.template.spec.containers[app].resources.limits.cpu",
    }


def test_enum_table_names_fields_of_the_schemas():
    """Every `<Type>.<field>` of the table is a field of that type in the newest schemas, so a
    typo (or a field Kubernetes renamed) shows here rather than as a check that never runs."""
    from modsys.kube import SUPPORTED_VERSIONS
    from modsys.kube.kinds import read_definitions

    definitions = read_definitions(SUPPORTED_VERSIONS[-1])
    fields: dict[str, set[str]] = {}
    for name, schema in definitions.items():
        fields.setdefault(name.rsplit(".", 1)[-1], set()).update(schema.get("properties", {}))
    for entry in ENUMS:
        type_name, field = entry.split(".")
        assert field in fields.get(type_name, set()), entry
