"""References to ConfigMaps, Secrets and ServiceAccounts across a plan (modsys.kube.references)."""

from __future__ import annotations

import pytest
from kube_samples import make_deployment

from modsys.kube.references import Reference, check_references, find_references, parse_external

POD = "spec.template.spec"


def data_object(kind, name, namespace, data):
    meta = {"name": name, "namespace": namespace}
    return {"apiVersion": "v1", "kind": kind, "metadata": meta, "data": data}


def config_map(name="settings", namespace="web-ns", **data):
    return data_object("ConfigMap", name, namespace, data)


def secret(name="db", namespace="web-ns", **data):
    return data_object("Secret", name, namespace, data)


def service_account(name="web", namespace="web-ns"):
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": namespace},
    }


def deployment_with(**pod):
    obj = make_deployment()
    spec = obj["spec"]["template"]["spec"]
    container = pod.pop("container", None)
    if container:
        spec["containers"][0].update(container)
    spec.update(pod)
    return obj


def everything():
    return deployment_with(
        serviceAccountName="web",
        imagePullSecrets=[{"name": "registry"}],
        volumes=[
            {"name": "conf", "configMap": {"name": "settings"}},
            {"name": "certs", "secret": {"secretName": "tls"}},
            {"name": "maybe", "secret": {"secretName": "absent", "optional": True}},
            {
                "name": "both",
                "projected": {
                    "sources": [{"configMap": {"name": "extra"}}, {"secret": {"name": "token"}}]
                },
            },
        ],
        container={
            "envFrom": [{"secretRef": {"name": "db"}}, {"configMapRef": {"name": "settings"}}],
            "env": [
                {
                    "name": "PASSWORD",
                    "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                },
                {
                    "name": "MODE",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode"}},
                },
            ],
        },
    )


def test_find_references_of_a_deployment():
    refs = find_references(everything())
    assert [(r.kind, r.name, r.path) for r in refs] == [
        ("ServiceAccount", "web", f"{POD}.serviceAccountName"),
        ("Secret", "registry", f"{POD}.imagePullSecrets[registry].name"),
        ("ConfigMap", "settings", f"{POD}.volumes[conf].configMap.name"),
        ("Secret", "tls", f"{POD}.volumes[certs].secret.secretName"),
        ("ConfigMap", "extra", f"{POD}.volumes[both].projected.sources[0].configMap.name"),
        ("Secret", "token", f"{POD}.volumes[both].projected.sources[1].secret.name"),
        ("Secret", "db", f"{POD}.containers[app].envFrom[0].secretRef.name"),
        ("ConfigMap", "settings", f"{POD}.containers[app].envFrom[1].configMapRef.name"),
        ("Secret", "db", f"{POD}.containers[app].env[PASSWORD].valueFrom.secretKeyRef.name"),
        (
            "ConfigMap",
            "settings",
            f"{POD}.containers[app].env[MODE].valueFrom.configMapKeyRef.name",
        ),
    ]
    assert all(r.namespace == "web-ns" for r in refs)
    assert refs[8].key == "password"


def test_all_present_gives_no_warning():
    plan = [
        everything(),
        service_account(),
        config_map(mode="x"),
        config_map("extra"),
        secret(password="eA=="),
        secret("tls"),
        secret("token"),
        secret("registry"),
    ]
    assert check_references(plan) == []


def test_missing_references_warn_with_how_to_declare_them():
    obj = deployment_with(container={"envFrom": [{"secretRef": {"name": "db"}}]})
    [problem] = check_references([obj])
    assert problem.index == 0
    assert problem.path == f"{POD}.containers[app].envFrom[0].secretRef.name"
    assert 'Secret "db" in namespace web-ns is not in the plan' in problem.message
    assert '"Secret/web-ns/db"' in problem.message
    assert check_references([obj], ["Secret/web-ns/db"]) == []
    assert check_references([obj], ["Secret/db"]) == []  # any namespace
    assert len(check_references([obj], ["Secret/other-ns/db"])) == 1


def test_wrong_namespace_is_missing():
    obj = deployment_with(serviceAccountName="web")
    assert len(check_references([obj, service_account(namespace="elsewhere")])) == 1
    assert check_references([obj, service_account()]) == []


def test_default_service_account_and_optional_references_need_nothing():
    obj = deployment_with(
        serviceAccountName="default",
        container={"envFrom": [{"configMapRef": {"name": "x", "optional": True}}]},
    )
    assert check_references([obj]) == []


def test_missing_key_of_a_plan_object():
    obj = deployment_with(
        container={
            "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]
        }
    )
    [problem] = check_references([obj, secret(user="eA==")])
    assert problem.path == f"{POD}.containers[app].env[P].valueFrom.secretKeyRef.key"
    assert 'has no key "password"' in problem.message
    assert check_references([obj, secret(password="eA==")]) == []


def test_objects_without_namespace_use_the_default():
    obj = deployment_with(serviceAccountName="web")
    del obj["metadata"]["namespace"]
    sa = service_account(namespace="apps")
    assert check_references([obj, sa], default_namespace="apps") == []
    assert len(check_references([obj, sa], default_namespace="other")) == 1
    del sa["metadata"]["namespace"]
    assert check_references([obj, sa]) == []


def test_ingress_tls_and_cron_job():
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "i", "namespace": "n"},
        "spec": {"tls": [{"secretName": "cert"}]},
    }
    cron = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c", "namespace": "n"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {"serviceAccountName": "runner"}}}}},
    }
    assert [(p.index, p.path) for p in check_references([ingress, cron])] == [
        (0, "spec.tls[0].secretName"),
        (1, "spec.jobTemplate.spec.template.spec.serviceAccountName"),
    ]


def test_parse_external():
    assert parse_external(["Secret/a", "ConfigMap/ns/b"]) == {
        ("Secret", None, "a"),
        ("ConfigMap", "ns", "b"),
    }
    for bad in ("Secret", "Pod/a", "Secret//a", "Secret/a/b/c"):
        with pytest.raises(ValueError, match="external reference"):
            parse_external([bad])
    assert Reference("Secret", "x", None, "p").external_spelling() == "Secret/x"
