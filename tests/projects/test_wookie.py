"""Project Wookie: Istio charts as bundles, and a Percona XtraDB Cluster checked against its CRD."""

from __future__ import annotations

import pytest
import yaml
from layer_helpers import (
    OVERLAYS,
    bundles,
    evaluate,
    find,
    istio_defaults,
    pxc_crds,
    render,
    schemas_dir,
    unknown_value_keys,
    validate_custom_resource,
)

from modsys import AssertionFailedError, ModsysError
from modsys.platform import validate_plan

ISTIO_BUNDLES = {"crds/istio-base": "base", "operators/istiod": "istiod", "services/istio-ingressgateway": "gateway"}


def wookie(**settings):
    return {"projects": {"wookie": {"enable": True, **settings}}}


def istio(**settings):
    return wookie(istio={"enable": True, **settings})


def test_nothing_unless_enabled():
    assert bundles(evaluate()) == {}
    assert bundles(evaluate(wookie(enable=False, istio={"enable": True}, pxc={"enable": True}))) == {}


def test_project_alone_creates_its_namespace():
    ev = evaluate(wookie(namespace="wk"))
    assert list(bundles(ev)) == ["namespaces/wookie-namespace"]
    assert find(ev, "Namespace", "wk")


def test_istio_bundles_go_to_their_batches():
    """base → crds, istiod → operators, gateway → services, with the seed's version spelling."""
    b = bundles(evaluate(istio(version="1_24_2")))
    for ident, chart in ISTIO_BUNDLES.items():
        assert b[ident]["chart"]["name"] == chart
        assert b[ident]["chart"]["version"] == "1.24.2"
        assert b[ident]["chart"]["repository"] == "https://istio-release.storage.googleapis.com/charts"
        assert b[ident]["namespace"] == "istio-system"
    assert b["operators/istiod"]["dependsOn"] == ["crds/istio-base"]
    assert b["services/istio-ingressgateway"]["dependsOn"] == ["operators/istiod"]
    assert [o["kind"] for o in b["crds/istio-base"]["objects"]] == ["Namespace"]


@pytest.mark.parametrize("version", ["1.24.2", "1_24", "v1_24_2", "1_24_2_"])
def test_version_must_be_written_with_underscores(version):
    ev = evaluate(istio(version=version))
    with pytest.raises(ModsysError, match="is not of type"):
        _ = ev.config.projects.wookie.istio.version


def test_gateway_can_be_turned_off():
    assert "services/istio-ingressgateway" not in bundles(evaluate(istio(gateway={"enable": False})))


def _istio_scenarios():
    yield "standalone", [istio()]
    yield "everything-set", [istio(
        profile="demo",
        namespace="mesh",
        pilot={"minReplicas": 2, "maxReplicas": 4, "resources": {"requests": {"cpu": "1"}}},
        gateway={"minReplicas": 2, "maxReplicas": 3, "serviceType": "NodePort", "resources": {"limits": {"cpu": "1"}}},
    )]
    yield "primary", [istio(multiCluster={"istiodCustomHost": "istiod.example.test"}), wookie(clusterRole="primary")]
    yield "remote", [istio(multiCluster={"remotePilotAddress": "10.0.0.1", "primaryClusterName": "p"}), wookie(clusterRole="remote")]
    for name, path in OVERLAYS.items():
        yield f"overlay-{name}", [istio(), path]


@pytest.mark.parametrize(("scenario", "modules"), list(_istio_scenarios()), ids=[s for s, _ in _istio_scenarios()])
def test_istio_values_exist_in_the_real_charts(scenario, modules):
    """Every value key passed to an Istio chart is one the chart's values.yaml defines
    (under `_internal_defaults_do_not_set`), or on the documented allow-list."""
    schemas_dir()
    allow = _allow_list()
    b = bundles(evaluate(*modules))
    checked = 0
    for ident, bundle in b.items():
        chart = bundle["chart"]
        if chart is None or chart["repository"] != "https://istio-release.storage.googleapis.com/charts":
            continue
        unknown = unknown_value_keys(chart["values"], istio_defaults(chart["name"]), allow)
        assert not unknown, f"{scenario}: {ident} passes values the {chart['name']} chart does not define: {unknown}"
        checked += 1
    assert checked >= 3


def _allow_list():
    import runpy

    from layer_helpers import REPO

    return runpy.run_path(str(REPO / "projects" / "wookie" / "istio.py"))["VALUE_KEY_ALLOW_LIST"]


def test_allow_list_is_short_and_not_in_the_charts():
    """The allow-list only holds keys the charts really lack (so it cannot hide typos)."""
    allow = _allow_list()
    assert allow == ("profile",)
    for chart in ("base", "istiod", "gateway"):
        assert not set(allow) & set(istio_defaults(chart))


def test_values_reach_the_charts():
    b = bundles(evaluate(istio(profile="demo", pilot={"minReplicas": 2}, gateway={"maxReplicas": 7})))
    assert b["operators/istiod"]["chart"]["values"] == {"profile": "demo", "autoscaleMin": 2}
    assert b["crds/istio-base"]["chart"]["values"] == {"profile": "demo"}
    assert b["services/istio-ingressgateway"]["chart"]["values"] == {
        "service": {"type": "LoadBalancer"}, "autoscaling": {"maxReplicas": 7},
    }


def test_chart_values_can_still_be_changed_directly():
    """Chart values deep-merge across modules, so anything the options miss can be set."""
    extra = {"platform": {"kubernetes": {"cluster": {"batches": {"operators": {"bundles": {"istiod": {
        "chart": {"values": {"meshConfig": {"accessLogFile": "/dev/stdout"}}}}}}}}}}}
    values = bundles(evaluate(istio(pilot={"minReplicas": 2}), extra))["operators/istiod"]["chart"]["values"]
    assert values == {"autoscaleMin": 2, "meshConfig": {"accessLogFile": "/dev/stdout"}}


def test_remote_needs_the_pilot_address():
    ev = evaluate(istio(), wookie(clusterRole="remote"))
    with pytest.raises(AssertionFailedError, match="remotePilotAddress must be set"):
        ev.check()


def test_multi_cluster_istio_kinds_are_declared_external():
    ev = evaluate(istio(), wookie(clusterRole="primary"))
    assert {"networking.istio.io/Gateway", "networking.istio.io/VirtualService"} <= set(
        ev.config.platform.kubernetes.cluster.externalCRDs
    )
    validate_plan(ev)


# --- Percona XtraDB Cluster -------------------------------------------------------------------


def pxc(**settings):
    return wookie(pxc={"enable": True, **settings})


def test_pxc_bundles():
    b = bundles(evaluate(pxc()))
    assert sorted(b) == ["namespaces/wookie-namespace", "operators/pxc-operator", "services/pxc-cluster"]
    chart = b["operators/pxc-operator"]["chart"]
    assert (chart["name"], chart["version"], chart["includeCRDs"]) == ("pxc-operator", "1.18.0", True)
    assert b["operators/pxc-operator"]["namespace"] == "wookie"
    assert b["services/pxc-cluster"]["dependsOn"] == ["operators/pxc-operator"]
    assert any(w["name"] == "perconaxtradbclusters.pxc.percona.com" for w in b["operators/pxc-operator"]["wait"])


PXC_SCENARIOS = {
    "defaults": {},
    "small": {"size": 1, "haproxy": {"size": 1}, "tls": False, "antiAffinityTopologyKey": "none"},
    "big": {
        "size": 5, "storage": "100Gi", "storageClass": "fast", "version": "8.4", "name": "orders",
        "resources": {"requests": {"cpu": "2", "memory": "8G"}, "limits": {"cpu": "4", "memory": "8G"}},
    },
    "no-haproxy": {"haproxy": {"enable": False}, "version": "5.7"},
}


@pytest.mark.parametrize("settings", PXC_SCENARIOS.values(), ids=PXC_SCENARIOS.keys())
def test_cluster_object_validates_against_the_real_crd(settings):
    cr = find(evaluate(pxc(**settings)), "PerconaXtraDBCluster")
    assert validate_custom_resource(cr, pxc_crds()) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_cluster_object_validates_with_every_overlay(overlay):
    cr = find(evaluate(pxc(), OVERLAYS[overlay]), "PerconaXtraDBCluster")
    assert validate_custom_resource(cr, pxc_crds()) == []


def test_the_crd_check_is_real():
    """Upstream's example validates; a broken copy of ours does not."""
    example = yaml.safe_load((schemas_dir() / "crds" / "pxc" / "cr.yaml").read_text())
    assert validate_custom_resource(example, pxc_crds()) == []
    cr = find(evaluate(pxc()), "PerconaXtraDBCluster")
    cr["spec"]["pxc"]["size"] = "three"
    cr["spec"]["pxc"]["colour"] = "blue"
    problems = validate_custom_resource(cr, pxc_crds())
    assert any("spec.pxc.size" in p for p in problems)
    assert any("colour" in p for p in problems)


def test_cluster_object_from_options():
    cr = find(evaluate(pxc(size=1, storage="2G", storageClass="local-path", name="db")), "PerconaXtraDBCluster")
    spec = cr["spec"]
    assert cr["metadata"]["name"] == "db" and cr["metadata"]["namespace"] == "wookie"
    assert spec["crVersion"] == "1.18.0"
    assert spec["pxc"]["size"] == 1
    assert spec["pxc"]["image"] == "percona/percona-xtradb-cluster:8.0.42-33.1"
    assert spec["pxc"]["volumeSpec"]["persistentVolumeClaim"] == {
        "resources": {"requests": {"storage": "2G"}}, "storageClassName": "local-path",
    }
    assert spec["unsafeFlags"] == {"pxcSize": True}


def test_without_vendored_crds_the_chart_brings_the_crd():
    """No `externalCRDs` workaround: the CRD comes from the rendered chart (and while the chart
    is not rendered, the cluster object is "not checked" rather than a problem)."""
    ev = evaluate(pxc())
    assert "pxc.percona.com/PerconaXtraDBCluster" not in ev.config.platform.kubernetes.cluster.externalCRDs
    validate_plan(ev)


def test_vendored_crds_are_applied_and_checked_by_the_plan(tmp_path):
    """With `crdFile`, the CRDs are plain manifests of the crds batch, the chart skips its own,
    and the platform validates the cluster object against them."""
    crd_file = schemas_dir() / "crds" / "pxc" / "crd.yaml"
    ev = evaluate(pxc(crdFile=str(crd_file)))
    b = bundles(ev)
    assert [o["kind"] for o in b["crds/pxc-crds"]["objects"]] == ["CustomResourceDefinition"] * 3
    assert b["operators/pxc-operator"]["chart"]["includeCRDs"] is False
    assert "pxc.percona.com/PerconaXtraDBCluster" not in ev.config.platform.kubernetes.cluster.externalCRDs
    validate_plan(ev)
    _, out = render(ev, tmp_path)
    assert "--skip-crds" in (out / "apply.sh").read_text()
    broken = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"pxc-cluster": {
        "resources": {"PerconaXtraDBCluster": {"wookie-db": {"spec": {"pxc": {"colour": "blue"}}}}}}}}}}}}}
    with pytest.raises(ModsysError, match="colour"):
        validate_plan(evaluate(pxc(crdFile=str(crd_file)), broken))


def test_whole_project_renders(tmp_path):
    ev = evaluate(wookie(istio={"enable": True}, pxc={"enable": True}))
    _result, out = render(ev, tmp_path)
    apply = (out / "apply.sh").read_text()
    order = [apply.index(f"-> bundle {b}") for b in (
        "crds/istio-base", "namespaces/wookie-namespace", "operators/istiod", "operators/pxc-operator",
        "services/istio-ingressgateway", "services/pxc-cluster",
    )]
    assert order == sorted(order)
