"""`modsys.builders`: plain functions returning Kubernetes objects, checked against the schemas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from modsys.builders import (
    dns_egress_rule,
    mk_config_map,
    mk_container,
    mk_default_deny,
    mk_deployment,
    mk_hpa,
    mk_labels,
    mk_namespace,
    mk_network_policy,
    mk_pdb,
    mk_service,
    parse_quantity,
    resource_problems,
    selector_labels,
)
from modsys.kube import validate_objects


def _valid(*objs):
    problems = validate_objects([dict(o, metadata={**o["metadata"], "namespace": "ns"}) if o["kind"] != "Namespace" else o for o in objs], "1.31")
    assert problems == [], problems


def test_every_builder_makes_a_valid_object():
    labels = mk_labels("web", version="1.0", component="frontend")
    container = mk_container(
        "web", "nginx:1.27", ports={"http": 8080}, env={"A": "1", "S": {"secretKeyRef": {"name": "s", "key": "k"}}},
        env_from=[{"configMapRef": {"name": "web"}}], resources={"requests": {"cpu": "100m"}},
        readiness_probe={"httpGet": {"path": "/", "port": "http"}}, security_context={"runAsNonRoot": True},
        volume_mounts=[{"name": "tmp", "mountPath": "/tmp"}],
    )
    _valid(
        mk_namespace("ns", labels={"team": "web"}),
        mk_deployment("web", [container], replicas=2, labels=labels, volumes=[{"name": "tmp", "emptyDir": {}}],
                      pod_security_context={"runAsNonRoot": True}),
        mk_service("web", selector_labels(labels), {"http": 80, "admin": {"port": 9000, "targetPort": 9000}}),
        mk_config_map("web", {"A": "1"}),
        mk_hpa("web", min_replicas=2, max_replicas=5, memory_utilization=80),
        mk_pdb("web", selector_labels(labels), max_unavailable=1),
        mk_network_policy("web", selector_labels(labels), ingress=[{"from": [{"podSelector": {}}]}], egress=[dns_egress_rule()]),
        mk_default_deny(),
    )


def test_labels_and_selectors():
    labels = mk_labels("web", instance="web-blue", version="1.0")
    assert labels == {"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-blue", "app.kubernetes.io/version": "1.0"}
    assert selector_labels(labels) == {"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-blue"}


def test_deployment_defaults():
    d = mk_deployment("web", [mk_container("web", "nginx")])
    assert d["spec"]["replicas"] == 1
    assert d["spec"]["selector"] == {"matchLabels": selector_labels(mk_labels("web"))}
    assert "replicas" not in mk_deployment("web", [mk_container("web", "nginx")], replicas=None)["spec"]


def test_env_is_sorted_and_accepts_value_from():
    assert mk_container("c", "i", env={"B": "2", "A": {"fieldRef": {"fieldPath": "metadata.name"}}})["env"] == [
        {"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "B", "value": "2"},
    ]


def test_hpa_and_pdb_argument_errors():
    with pytest.raises(ValueError, match="minReplicas 5 > maxReplicas 2"):
        mk_hpa("x", min_replicas=5, max_replicas=2)
    with pytest.raises(ValueError, match="give cpu_utilization or memory_utilization"):
        mk_hpa("x", min_replicas=1, max_replicas=2, cpu_utilization=None)
    with pytest.raises(ValueError, match="exactly one"):
        mk_pdb("x", {"a": "b"})
    with pytest.raises(ValueError, match="exactly one"):
        mk_pdb("x", {"a": "b"}, min_available=1, max_unavailable=1)


@pytest.mark.parametrize(("text", "value"), [
    ("500m", Decimal("0.5")), ("2", Decimal(2)), ("1Gi", Decimal(2**30)), ("1G", Decimal(10**9)),
    ("128Mi", Decimal(128 * 2**20)), ("1.5", Decimal("1.5")), (3, Decimal(3)), ("1e3", Decimal(1000)),
])
def test_parse_quantity(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "lots", "1Qi", "--1", True])
def test_parse_quantity_rejects(text):
    with pytest.raises(ValueError, match="not a quantity"):
        parse_quantity(text)


def test_resource_problems():
    assert resource_problems({"requests": {"cpu": "1"}, "limits": {"cpu": "1000m"}}, "r") == []
    assert resource_problems({"requests": {"memory": "1Gi"}, "limits": {"memory": "1G"}}, "r") == [
        "r.limits.memory (1G) must be >= r.requests.memory (1Gi)"
    ]
    assert resource_problems({"limits": {"cpu": "x"}}, "r") == ["r.limits.cpu = 'x' is not a Kubernetes quantity"]
