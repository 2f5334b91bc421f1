"""`targets/multi-k3d.py`: several k3d clusters, one manifest set per cluster."""

from __future__ import annotations

import pytest
import yaml
from layer_helpers import bundles, evaluate, generated, validate_k3d

from modsys import AssertionFailedError, ModsysError
from modsys.platform import cluster_names, for_cluster
from modsys.render.pipeline import render_clusters

MESH = {"targets": {"multi-k3d": {"enable": True}}, "projects": {"wookie": {"enable": True, "istio": {"enable": True}}}}


def test_every_cluster_config_validates_and_shares_the_network():
    ev = evaluate(MESH)
    files = generated(ev)
    for name in ("primary", "remote"):
        cfg = yaml.safe_load(files[f"k3d-{name}.yaml"]["text"])
        validate_k3d(cfg)
        assert cfg["metadata"]["name"] == name
        assert cfg["network"] == "k3d-mesh"
    primary = yaml.safe_load(files["k3d-primary.yaml"]["text"])
    assert {"port": "15012:15012", "nodeFilters": ["loadbalancer"]} in primary["ports"]
    assert "ports" not in yaml.safe_load(files["k3d-remote.yaml"]["text"])
    for script in ("create-clusters.sh", "delete-clusters.sh", "link-clusters.sh"):
        assert files[script]["executable"]


def test_current_defaults_to_the_primary():
    ev = evaluate(MESH)
    assert ev.config.targets["multi-k3d"].current == "primary"
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "k3d-primary"
    assert ev.config.projects.wookie.clusterRole == "primary"


def test_each_cluster_gets_its_own_plan():
    ev = evaluate(MESH)
    assert cluster_names(ev) == ["primary", "remote"]
    primary, remote = for_cluster(ev, "primary"), for_cluster(ev, "remote")
    assert remote.config.platform.kubernetes.cluster.uniqueIdentifier == "k3d-remote"
    p, r = bundles(primary), bundles(remote)
    assert "services/istio-eastwestgateway" in p and "services/istio-eastwestgateway" in r
    istiod_p = p["operators/istiod"]["chart"]["values"]
    istiod_r = r["operators/istiod"]["chart"]["values"]
    assert istiod_p["global"]["externalIstiod"] is True
    assert istiod_p["env"] == {"ISTIOD_CUSTOM_HOST": "host.k3d.internal"}
    assert istiod_r["profile"] == "remote"
    assert istiod_r["global"]["remotePilotAddress"] == "host.k3d.internal"
    assert istiod_r["global"]["multiCluster"] == {"clusterName": "remote"}
    names = {o["metadata"]["name"] for o in p["services/istio-expose"]["objects"]}
    assert names == {"cross-network-gateway", "istiod-gateway", "istiod-vs"}
    names = {o["metadata"]["name"] for o in r["services/istio-expose"]["objects"]}
    assert names == {"cross-network-gateway"}
    ns = r["crds/istio-base"]["objects"][0]
    assert ns["metadata"]["annotations"] == {"topology.istio.io/controlPlaneClusters": "primary"}


def test_render_clusters_writes_one_tree_per_cluster(tmp_path):
    rendered = render_clusters(evaluate(MESH), "dir", tmp_path)
    assert sorted(rendered) == ["primary", "remote"]
    assert "--context k3d-primary" in (tmp_path / "primary" / "apply.sh").read_text()
    assert "--context k3d-remote" in (tmp_path / "remote" / "apply.sh").read_text()
    link = (tmp_path / "remote" / "link-clusters.sh").read_text()
    assert "istioctl create-remote-secret --context=k3d-remote --name=remote" in link
    assert "--context=k3d-primary" in link


def test_one_render_writes_one_manifest_set_per_cluster(tmp_path):
    """The target declares a `platform.kubernetes.variants` entry per cluster, so the plain
    render (what `modsys render examples/multi-cluster.py` calls) writes every cluster."""
    from modsys.render.pipeline import render_evaluation

    render_evaluation(evaluate(MESH), "dir", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["primary", "remote"]
    assert "--context k3d-primary" in (tmp_path / "out" / "primary" / "apply.sh").read_text()
    assert "--context k3d-remote" in (tmp_path / "out" / "remote" / "apply.sh").read_text()


def test_unknown_current_cluster_is_an_error():
    ev = evaluate(MESH, {"targets": {"multi-k3d": {"current": "nope"}}})
    with pytest.raises(ModsysError, match="current = 'nope' is not one of the clusters: primary, remote"):
        ev.check()


def test_exactly_one_primary():
    ev = evaluate(MESH, {"targets": {"multi-k3d": {"clusters": {"a": {"role": "remote"}, "b": {"role": "remote"}}}}})
    with pytest.raises(AssertionFailedError, match="exactly one primary cluster"):
        ev.check()


def test_three_clusters():
    ev = evaluate(MESH, {"targets": {"multi-k3d": {"clusters": {
        "hub": {"role": "primary"},
        "east": {"role": "remote", "ports": {"9080": 80}},
        "west": {"role": "remote", "ports": {"10080": 80}},
    }}}})
    assert ev.check() == []
    assert ev.config.targets["multi-k3d"].current == "hub"
    link = generated(ev)["link-clusters.sh"]["text"]
    assert "--name=east" in link and "--name=west" in link
    west = for_cluster(ev, "west")
    assert west.config.projects.wookie.istio.multiCluster.primaryClusterName == "hub"
