"""Project webapp: six kinds of objects from a few options, hardened for production."""

from __future__ import annotations

import pytest
from layer_helpers import OVERLAYS, bundles, evaluate, find, objects, render

from modsys import AssertionFailedError, ModsysError
from modsys.platform import validate_plan

PROD_RESOURCES = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}


def webapp(**settings):
    return {"projects": {"webapp": {"enable": True, **settings}}}


def kinds(ev):
    return sorted(o["kind"] for o in objects(ev))


def test_defaults_are_secure_and_valid():
    ev = evaluate(webapp())
    assert ev.check() == []
    validate_plan(ev)
    assert kinds(ev) == ["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "NetworkPolicy", "Service"]
    pod = find(ev, "Deployment")["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert {m["mountPath"] for m in container["volumeMounts"]} == {"/tmp", "/var/cache/nginx"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/", "port": "http"}


def test_all_six_kinds():
    ev = evaluate(webapp(
        replicas=3,
        autoscaling={"enable": True, "maxReplicas": 9, "targetMemoryUtilizationPercentage": 70},
        podDisruptionBudget={"enable": True, "minAvailable": "50%"},
        resources=PROD_RESOURCES,
        files={"app.yaml": "debug: false\n"},
    ))
    validate_plan(ev)
    assert kinds(ev) == [
        "ConfigMap", "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace",
        "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "Service",
    ]
    deployment = find(ev, "Deployment")
    assert "replicas" not in deployment["spec"]  # the HPA owns it
    hpa = find(ev, "HorizontalPodAutoscaler")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 9)
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu", "memory"]
    assert find(ev, "PodDisruptionBudget")["spec"] == {
        "selector": {"matchLabels": {"app.kubernetes.io/name": "webapp", "app.kubernetes.io/instance": "webapp"}},
        "minAvailable": "50%",
    }
    assert find(ev, "ConfigMap", "webapp-files")["data"] == {"app.yaml": "debug: false\n"}


def test_options_reach_the_objects():
    ev = evaluate(webapp(
        name="shop", namespace="web", image={"repository": "ghcr.io/acme/shop", "tag": "2.1.0"},
        ports={"http": 8080, "metrics": 9090}, service={"type": "NodePort", "ports": {"http": 80}},
        env={"LOG_LEVEL": "INFO", "DB_PASSWORD": {"secretKeyRef": {"name": "db", "key": "password"}}},
    ))
    deployment = find(ev, "Deployment", "shop")
    assert deployment["metadata"]["namespace"] == "web"
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "ghcr.io/acme/shop:2.1.0"
    assert container["env"] == [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]
    assert container["envFrom"] == [{"configMapRef": {"name": "shop-env"}}]
    assert find(ev, "ConfigMap", "shop-env")["data"] == {"LOG_LEVEL": "INFO"}
    service = find(ev, "Service", "shop")["spec"]
    assert service["type"] == "NodePort"
    assert {(p["name"], p["port"]) for p in service["ports"]} == {("http", 80), ("metrics", 9090)}
    assert find(ev, "Namespace", "web")


def test_config_changes_roll_the_pods():
    def checksum(env):
        ev = evaluate(webapp(env=env))
        return find(ev, "Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum({"A": "1"}) == checksum({"A": "1"})
    assert checksum({"A": "1"}) != checksum({"A": "2"})


def test_network_policy_is_default_deny_plus_allow_rules():
    ev = evaluate(webapp(networkPolicy={
        "ingressFrom": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}],
        "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "postgres"}}}], "ports": [{"port": 5432, "protocol": "TCP"}]}],
    }))
    deny = find(ev, "NetworkPolicy", "webapp-default-deny")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [], "egress": []}
    allow = find(ev, "NetworkPolicy", "webapp")["spec"]
    assert allow["ingress"] == [{
        "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}],
        "ports": [{"port": "http", "protocol": "TCP"}],
    }]
    assert [r["ports"][0]["port"] for r in allow["egress"]] == [53, 5432]
    assert "NetworkPolicy" not in kinds(evaluate(webapp(networkPolicy={"enable": False})))


def test_limits_below_requests_are_refused():
    ev = evaluate(webapp(resources={"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "250m", "memory": "512Mi"}}))
    with pytest.raises(AssertionFailedError) as err:
        ev.check()
    assert "projects.webapp.resources.limits.cpu (250m) must be >= projects.webapp.resources.requests.cpu (500m)" in str(err.value)
    assert "limits.memory (512Mi) must be >= projects.webapp.resources.requests.memory (1Gi)" in str(err.value)


def test_equal_limits_and_requests_in_other_units_are_fine():
    ev = evaluate(webapp(resources={"requests": {"cpu": "1", "memory": "1024Mi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}}))
    assert ev.check() == []


def test_bad_quantity_is_a_type_error():
    ev = evaluate(webapp(resources={"requests": {"cpu": "lots"}}))
    with pytest.raises(ModsysError, match="is not of type"):
        ev.check()


def test_production_requires_the_hardening():
    ev = evaluate(webapp(environment="production", securityContext={"container": {"readOnlyRootFilesystem": False}},
                         networkPolicy={"enable": False}))
    with pytest.raises(AssertionFailedError) as err:
        ev.check()
    message = str(err.value)
    for expected in (
        "projects.webapp.resources.requests.cpu must be set in production",
        "projects.webapp.resources.limits.memory must be set in production",
        "readOnlyRootFilesystem must be true in production",
        "networkPolicy.enable must be true in production",
        "podDisruptionBudget.enable must be true in production",
        "must be at least 2 in production",
    ):
        assert expected in message


def test_production_with_the_hardening_passes():
    ev = evaluate(webapp(environment="production", replicas=3, resources=PROD_RESOURCES, podDisruptionBudget={"enable": True}))
    assert ev.check() == []
    validate_plan(ev)


def test_running_as_root_is_refused_in_production():
    ev = evaluate(webapp(
        environment="production", replicas=3, resources=PROD_RESOURCES, podDisruptionBudget={"enable": True},
        securityContext={"pod": {"runAsNonRoot": False, "runAsUser": 0}, "container": {"runAsNonRoot": False}},
    ))
    with pytest.raises(AssertionFailedError, match="runAsNonRoot must be true in production"):
        ev.check()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_render(overlay, tmp_path):
    ev = evaluate(webapp(), OVERLAYS[overlay])
    assert ev.check() == []
    result, _out = render(ev, tmp_path)
    assert any(f.endswith("deployment-webapp.yaml") for f in result.files)
    assert "services/webapp" in bundles(ev)
