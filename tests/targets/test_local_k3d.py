"""`targets/local-k3d.py`: the k3d config, the kube context and the cluster scripts."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml
from layer_helpers import evaluate, generated, render, validate_k3d

from modsys import ModsysError

FULL = {
    "enable": True,
    "clusterName": "wookie-local",
    "servers": 3,
    "agents": 2,
    "image": "rancher/k3s:v1.30.8-k3s1",
    "kubeAPI": {"host": "k3d.example.test", "hostIP": "0.0.0.0", "port": 6550},
    "ports": {"8080": 80, "127.0.0.1:8443": 443, "30000": {"port": 30000, "nodeFilters": ["agent:*"]}},
    "registries": {"create": {"enable": True, "hostPort": 5111}, "use": ["k3d-shared:5000"]},
    "k3sArgs": ["--disable=traefik", {"arg": "--tls-san=127.0.0.1", "nodeFilters": ["server:0"]}],
    "volumes": ["/tmp/data:/data"],
}


def k3d_yaml(ev):
    return yaml.safe_load(generated(ev)["k3d.yaml"]["text"])


def test_disabled_target_contributes_nothing():
    ev = evaluate()
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier is None
    assert generated(ev) == {}


def test_defaults_validate_against_the_k3d_schema():
    ev = evaluate({"targets": {"local-k3d": {"enable": True}}})
    cfg = k3d_yaml(ev)
    validate_k3d(cfg)
    assert cfg["apiVersion"] == "k3d.io/v1alpha5"
    assert cfg["kind"] == "Simple"
    assert cfg["metadata"] == {"name": "local"}
    assert cfg["image"] == "rancher/k3s:v1.31.4-k3s1"  # follows kubernetesVersion 1.31
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "k3d-local"


def test_every_option_validates_against_the_k3d_schema():
    ev = evaluate({"targets": {"local-k3d": FULL}})
    cfg = k3d_yaml(ev)
    validate_k3d(cfg)
    assert cfg["servers"] == 3 and cfg["agents"] == 2
    assert cfg["kubeAPI"] == {"host": "k3d.example.test", "hostIP": "0.0.0.0", "hostPort": "6550"}
    assert {"port": "8080:80", "nodeFilters": ["loadbalancer"]} in cfg["ports"]
    assert {"port": "127.0.0.1:8443:443", "nodeFilters": ["loadbalancer"]} in cfg["ports"]
    assert {"port": "30000:30000", "nodeFilters": ["agent:*"]} in cfg["ports"]
    assert cfg["registries"] == {
        "create": {"name": "wookie-local-registry", "host": "0.0.0.0", "hostPort": "5111"},
        "use": ["k3d-shared:5000"],
    }
    assert cfg["options"]["k3s"]["extraArgs"] == [
        {"arg": "--disable=traefik", "nodeFilters": ["server:*", "agent:*"]},
        {"arg": "--tls-san=127.0.0.1", "nodeFilters": ["server:0"]},
    ]
    assert cfg["volumes"] == [{"volume": "/tmp/data:/data", "nodeFilters": ["server:*", "agent:*"]}]
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "k3d-wookie-local"


def test_image_follows_the_kubernetes_version():
    ev = evaluate({"targets": {"local-k3d": {"enable": True}}, "platform": {"kubernetes": {"cluster": {"kubernetesVersion": "1.30"}}}})
    assert k3d_yaml(ev)["image"] == "rancher/k3s:v1.30.8-k3s1"
    assert ev.check() == []


def test_unknown_kubernetes_version_without_image_warns():
    """No known k3s image: k3d's default is used, and a warning says so."""
    ev = evaluate({"targets": {"local-k3d": {"enable": True}}, "platform": {"kubernetes": {"cluster": {"kubernetesVersion": "1.27"}}}})
    cfg = k3d_yaml(ev)
    validate_k3d(cfg)
    assert "image" not in cfg
    [warning] = ev.check()
    assert "targets.local-k3d.image is not set" in warning and "1.27" in warning


@pytest.mark.parametrize("name", ["Local", "a_b", "-x", "x" * 40])
def test_bad_cluster_names_are_type_errors(name):
    ev = evaluate({"targets": {"local-k3d": {"enable": True, "clusterName": name}}})
    with pytest.raises(ModsysError, match="is not of type"):
        k3d_yaml(ev)


def test_scripts_are_rendered_executable_next_to_the_manifests(tmp_path):
    ev = evaluate({"targets": {"local-k3d": {"enable": True, "clusterName": "dev"}}, "projects": {"webapp": {"enable": True}}})
    _, out = render(ev, tmp_path)
    for script in ("create-cluster.sh", "delete-cluster.sh", "apply.sh"):
        assert os.access(out / script, os.X_OK), script
    create = (out / "create-cluster.sh").read_text()
    assert "k3d cluster create --config k3d.yaml" in create
    assert "kubectl --context k3d-dev cluster-info" in create
    assert "k3d cluster delete dev" in (out / "delete-cluster.sh").read_text()
    assert "--context k3d-dev" in (out / "apply.sh").read_text()
    validate_k3d(yaml.safe_load((out / "k3d.yaml").read_text()))


def test_create_script_is_idempotent(tmp_path):
    """With a fake `k3d` that reports the cluster as existing, nothing is created."""
    ev = evaluate({"targets": {"local-k3d": {"enable": True}}})
    _, out = render(ev, tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    for tool in ("k3d", "kubectl"):
        (bin_dir / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\n')
        (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    run = subprocess.run([str(out / "create-cluster.sh")], env=env, capture_output=True, text=True, check=True)
    assert "already exists" in run.stdout
    assert log.read_text().splitlines() == ["k3d cluster get local", "kubectl --context k3d-local cluster-info"]


def test_two_enabled_targets_conflict():
    """Two targets cannot both own the cluster's context."""
    ev = evaluate({"targets": {"local-k3d": {"enable": True}, "kind": {"enable": True}}})
    with pytest.raises(ModsysError, match="conflicting definition values"):
        _ = ev.config.platform.kubernetes.cluster.uniqueIdentifier
