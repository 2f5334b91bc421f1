"""Chart bundles: complete charts, values merged with priorities, and the chart catalog."""

from __future__ import annotations

import pytest
from platform_samples import (
    bundle_in,
    find_bundle,
    plan_of,
    validation_error,
    write_data,
    write_module,
)


def catalog(**entries):
    return {"platform": {"kubernetes": {"chartCatalog": entries}}}


CERT_MANAGER = {"repository": "https://charts.jetstack.io", "versions": ["v1.14.0", "v1.15.1"]}


def chart_of(*modules, ident="operators/cm"):
    return find_bundle(plan_of(*modules), ident)["chart"]


def test_complete_chart_reaches_the_plan_with_defaults():
    module = bundle_in("operators", "cm", namespace="cert-manager", chart={
        "name": "cert-manager", "repository": "https://charts.jetstack.io", "version": "v1.15.1"})
    assert chart_of(module) == {
        "name": "cert-manager",
        "repository": "https://charts.jetstack.io",
        "version": "v1.15.1",
        "releaseName": "cm",
        "values": {},
        "valuesFiles": [],
        "includeCRDs": True,
    }


def test_chart_values_deep_merge_with_priorities(tmp_path):
    base = write_data(tmp_path, "base.py", bundle_in("operators", "cm", chart={
        "name": "cert-manager", "repository": "https://charts.jetstack.io", "version": "v1.15.1",
        "values": {"crds": {"enabled": True}, "replicaCount": 1, "extraArgs": ["--a"]}}))
    overlay = write_module(tmp_path, "overlay.py", """
        module = {"platform": {"kubernetes": {"cluster": {"batches": {"operators": {"bundles": {
            "cm": {"chart": {"values": {"replicaCount": mk_force(3), "prometheus": {"enabled": False}}}}
        }}}}}}}
    """)
    assert chart_of(base, overlay)["values"] == {
        "crds": {"enabled": True},
        "replicaCount": 3,
        "extraArgs": ["--a"],
        "prometheus": {"enabled": False},
    }


@pytest.mark.parametrize(
    ("chart", "repository", "version"),
    [
        ({"name": "cert-manager"}, "https://charts.jetstack.io", "v1.15.1"),
        ({"name": "cert-manager", "version": "v1.14.0"}, "https://charts.jetstack.io", "v1.14.0"),
    ],
)
def test_chart_catalog_fills_in_repository_and_version(chart, repository, version):
    result = chart_of(catalog(**{"cert-manager": CERT_MANAGER}), bundle_in("operators", "cm", chart=chart))
    assert (result["repository"], result["version"]) == (repository, version)


def test_catalog_default_version_wins_over_the_latest():
    entry = {**CERT_MANAGER, "defaultVersion": "v1.14.0"}
    result = chart_of(catalog(**{"cert-manager": entry}), bundle_in("operators", "cm", chart={"name": "cert-manager"}))
    assert result["version"] == "v1.14.0"


@pytest.mark.parametrize(
    ("chart", "expected"),
    [
        ({"name": "cert-manager", "version": "v0.1"},
         "chart 'cert-manager' has no version 'v0.1' in the chart catalog (known versions: v1.14.0, v1.15.1)"),
        ({"name": "nginx"},
         "chart 'nginx' has no repository and is not in platform.kubernetes.chartCatalog (known charts: cert-manager)"),
        ({"name": "nginx", "repository": "https://example.com"}, "chart 'nginx' has no version"),
        ({"repository": "https://example.com", "version": "1"}, "the chart has no name"),
    ],
)
def test_incomplete_chart_is_an_error_naming_the_file(tmp_path, chart, expected):
    path = write_data(tmp_path, "chart.py", bundle_in("operators", "cm", chart=chart))
    message = str(validation_error(catalog(**{"cert-manager": CERT_MANAGER}), path))
    assert expected in message
    assert "operators.bundles.cm.chart" in message and str(path) in message
