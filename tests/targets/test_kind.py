"""`targets/kind.py`: the kind config and the kube context `kind-<name>`."""

from __future__ import annotations

import yaml
from layer_helpers import evaluate, generated, render


def kind_yaml(ev):
    return yaml.safe_load(generated(ev)["kind.yaml"]["text"])


def test_kind_config_and_context():
    ev = evaluate({"targets": {"kind": {
        "enable": True,
        "clusterName": "dev",
        "workers": 2,
        "apiServer": {"port": 6443},
        "ports": {"8080": 30080, "127.0.0.1:8443": 30443},
        "podSubnet": "10.244.0.0/16",
    }}})
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "kind-dev"
    cfg = kind_yaml(ev)
    assert cfg["apiVersion"] == "kind.x-k8s.io/v1alpha4"
    assert cfg["kind"] == "Cluster"
    assert cfg["name"] == "dev"
    assert cfg["networking"] == {"apiServerAddress": "127.0.0.1", "apiServerPort": 6443, "podSubnet": "10.244.0.0/16"}
    assert [n["role"] for n in cfg["nodes"]] == ["control-plane", "worker", "worker"]
    assert all(n["image"] == "kindest/node:v1.31.4" for n in cfg["nodes"])
    assert cfg["nodes"][0]["extraPortMappings"] == [
        {"containerPort": 30443, "hostPort": 8443, "listenAddress": "127.0.0.1", "protocol": "TCP"},
        {"containerPort": 30080, "hostPort": 8080, "protocol": "TCP"},
    ]
    assert "extraPortMappings" not in cfg["nodes"][1]


def test_only_known_kind_config_fields():
    """Every field is one kind's v1alpha4 `Cluster` type has (kind rejects unknown fields)."""
    ev = evaluate({"targets": {"kind": {"enable": True, "controlPlanes": 3, "ports": {"80": 30080}}}})
    cfg = kind_yaml(ev)
    assert set(cfg) <= {"kind", "apiVersion", "name", "nodes", "networking", "featureGates", "runtimeConfig",
                        "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902", "containerdConfigPatches"}
    for node in cfg["nodes"]:
        assert set(node) <= {"role", "image", "labels", "extraMounts", "extraPortMappings", "kubeadmConfigPatches"}


def test_unknown_version_warns_and_leaves_image_to_kind():
    ev = evaluate({"targets": {"kind": {"enable": True}}, "platform": {"kubernetes": {"cluster": {"kubernetesVersion": "1.27"}}}})
    assert all("image" not in n for n in kind_yaml(ev)["nodes"])
    assert any("targets.kind.image is not set" in w for w in ev.check())


def test_kind_scripts(tmp_path):
    ev = evaluate({"targets": {"kind": {"enable": True, "clusterName": "k"}}, "projects": {"webapp": {"enable": True}}})
    _, out = render(ev, tmp_path)
    assert "kind create cluster --name k --config kind.yaml" in (out / "create-cluster.sh").read_text()
    assert "kind delete cluster --name k" in (out / "delete-cluster.sh").read_text()
    assert "kubectl --context kind-k apply" in (out / "apply.sh").read_text()
