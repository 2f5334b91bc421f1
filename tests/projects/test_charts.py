"""The chart catalog (`projects/charts.py`): bundles that name only a chart get the rest from it."""

from __future__ import annotations

import pytest
from layer_helpers import bundles, evaluate

from modsys import ModsysError
from modsys.platform import validate_plan


def chart_bundle(chart):
    return {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"app": {"namespace": "default", "chart": chart}}}}}}}}


def test_catalog_entries():
    catalog = evaluate().config.platform.kubernetes.chartCatalog
    assert sorted(catalog) == ["base", "gateway", "istiod", "pxc-operator"]
    assert catalog["istiod"].repository == "https://istio-release.storage.googleapis.com/charts"
    assert "1.24.2" in catalog["istiod"].versions
    assert catalog["pxc-operator"].repository == "https://percona.github.io/percona-helm-charts/"


def test_a_bundle_naming_only_a_chart_gets_repository_and_default_version():
    chart = bundles(evaluate(chart_bundle({"name": "istiod"})))["services/app"]["chart"]
    assert chart["repository"] == "https://istio-release.storage.googleapis.com/charts"
    assert chart["version"] == "1.24.6"


def test_a_known_version_is_kept():
    chart = bundles(evaluate(chart_bundle({"name": "istiod", "version": "1.24.2"})))["services/app"]["chart"]
    assert chart["version"] == "1.24.2"


def test_an_unknown_chart_is_an_error_listing_the_known_ones():
    ev = evaluate(chart_bundle({"name": "nginx"}))
    with pytest.raises(ModsysError) as err:
        validate_plan(ev)
    message = str(err.value)
    assert "'nginx'" in message
    assert "known charts: base, gateway, istiod, pxc-operator" in message


def test_an_unknown_version_is_an_error_listing_the_known_ones():
    ev = evaluate(chart_bundle({"name": "istiod", "version": "9.9.9"}))
    with pytest.raises(ModsysError) as err:
        validate_plan(ev)
    assert "'9.9.9'" in str(err.value)
    assert "known versions: 1.24.0, 1.24.1, 1.24.2, 1.24.3, 1.24.4, 1.24.5, 1.24.6" in str(err.value)


def test_wookie_with_an_unknown_istio_version_is_an_error():
    """`version = "1_99_0"` maps to chart 1.99.0, which the catalog does not know."""
    ev = evaluate({"projects": {"wookie": {"enable": True, "istio": {"enable": True, "version": "1_99_0"}}}})
    with pytest.raises(ModsysError, match=r"'1\.99\.0'.*known versions: 1\.24\.0"):
        validate_plan(ev)


def test_a_complete_chart_needs_no_catalog_entry():
    chart = {"name": "nginx", "repository": "oci://registry-1.docker.io/bitnamicharts", "version": "18.1.0"}
    ev = evaluate(chart_bundle(chart))
    validate_plan(ev)
    assert bundles(ev)["services/app"]["chart"]["version"] == "18.1.0"


def test_versions_can_be_added_and_the_default_replaced():
    """`versions` concatenate across modules; `defaultVersion` is only a `mk_default`."""
    ev = evaluate(
        chart_bundle({"name": "istiod"}),
        {"platform": {"kubernetes": {"chartCatalog": {"istiod": {"versions": ["1.25.0"], "defaultVersion": "1.25.0"}}}}},
    )
    assert bundles(ev)["services/app"]["chart"]["version"] == "1.25.0"
    assert ev.config.platform.kubernetes.chartCatalog["istiod"].versions[-1] == "1.25.0"
