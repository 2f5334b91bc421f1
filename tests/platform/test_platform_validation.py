"""validate_plan: every problem of the plan in one error, each naming the objects and files."""

from __future__ import annotations

import pytest
from platform_samples import (
    bundle_in,
    cluster,
    crd,
    deployment,
    evaluate,
    namespace_bundle,
    validation_error,
    write_data,
)

from modsys.platform import validate_plan

CRDS = bundle_in("crds", "defs", manifests=[crd("example.com", "Widget")])


def test_valid_plan_passes():
    validate_plan(evaluate(
        CRDS,
        namespace_bundle("web"),
        bundle_in("services", "web", namespace="web", resources={
            "Deployment": {"web": deployment("web")},
            "Service": {"web": {"spec": {"ports": [{"port": 80}], "selector": {"app": "web"}}}},
            "Widget": {"w": {"spec": {"size": 3}}},
        }),
    ))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"spec": {"replicas": 1}}, "spec.selector: required field is missing"),
        ({**deployment("web"), "spec": {**deployment("web")["spec"], "replicass": 2}}, 'spec.replicass: unknown field "replicass"'),
        ({**deployment("web"), "spec": {**deployment("web")["spec"], "replicas": "two"}}, "spec.replicas"),
    ],
)
def test_object_failing_the_kubernetes_schema_is_reported_with_object_and_file(tmp_path, body, expected):
    path = write_data(tmp_path, "app.py", bundle_in("services", "web", resources={"Deployment": {"web": body}}))
    message = str(validation_error(path))
    assert expected in message
    assert "services.bundles.web.resources.Deployment.web (apps/v1 Deployment web)" in message
    assert str(path) in message


def test_manifest_problems_name_the_file_that_contributed_the_manifest(tmp_path):
    good = write_data(tmp_path, "good.py", bundle_in("services", "web", manifests=[
        {"kind": "ConfigMap", "metadata": {"name": "a"}}]))
    bad = write_data(tmp_path, "bad.py", bundle_in("services", "web", manifests=[
        {"kind": "ConfigMap", "metadata": {"name": "b"}, "dataa": {}}]))
    err = validation_error(good, bad)
    (problem,) = err.problems
    assert "ConfigMap b" in problem and "dataa" in problem
    assert str(bad) in problem and str(good) not in problem


def test_custom_resource_is_validated_against_its_crd(tmp_path):
    path = write_data(tmp_path, "cr.py", bundle_in("services", "web", resources={"Widget": {"w": {"spec": {"size": "big"}}}}))
    message = str(validation_error(CRDS, path))
    assert "example.com/v1 Widget w" in message and "spec.size" in message and str(path) in message


def test_custom_resource_without_crd_in_the_plan_is_reported(tmp_path):
    path = write_data(tmp_path, "cr.py", bundle_in("services", "web", manifests=[
        {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "m"}}]))
    message = str(validation_error(path))
    assert "no CRD in the plan for monitoring.coreos.com/ServiceMonitor" in message
    assert "externalCRDs" in message and str(path) in message


@pytest.mark.parametrize("entry", ["monitoring.coreos.com/ServiceMonitor", "ServiceMonitor"])
def test_external_crds_are_not_reported(entry):
    validate_plan(evaluate(
        cluster(externalCRDs=[entry]),
        bundle_in("services", "web", manifests=[
            {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "m"}}]),
    ))


@pytest.mark.parametrize(("crd_batch", "where"), [("services", "the same batch"), ("late", "a later batch")])
def test_custom_resource_before_its_crd_is_reported_with_both_files(tmp_path, crd_batch, where):
    defs = write_data(tmp_path, "defs.py", bundle_in(crd_batch, "defs", manifests=[crd("example.com", "Widget")]))
    app = write_data(tmp_path, "app.py", bundle_in("services", "web", resources={"Widget": {"w": {}}}))
    err = validation_error(cluster({"late": {"priority": 900}}), defs, app)
    (problem,) = err.problems
    assert f"its CRD widgets.example.com is applied in {where} ({crd_batch}/defs)" in problem
    assert str(defs) in problem and str(app) in problem


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("ConfigMap", "Bad_Name", "'Bad_Name' is not a DNS-1123 subdomain"),
        ("Service", "1web", "'1web' is not a DNS-1035 label"),
    ],
)
def test_invalid_object_names_are_reported(tmp_path, kind, name, expected):
    path = write_data(tmp_path, "names.py", bundle_in("services", "web", resources={kind: {name: {}}}))
    message = str(validation_error(path))
    assert expected in message and f"{kind} {name}" in message and str(path) in message


def test_duplicate_objects_across_bundles_name_both_bundles_and_files(tmp_path):
    one = write_data(tmp_path, "one.py", bundle_in("services", "a", resources={"ConfigMap": {"cfg": {}}}))
    two = write_data(tmp_path, "two.py", bundle_in("services", "b", resources={"ConfigMap": {"cfg": {}}}))
    (problem,) = validation_error(one, two).problems
    assert "is defined twice: bundle services/b and bundle services/a" in problem
    assert "v1 ConfigMap cfg" in problem and str(one) in problem and str(two) in problem


def test_same_name_in_different_namespaces_is_not_a_duplicate():
    validate_plan(evaluate(
        cluster(externalNamespaces=["x", "y"]),
        bundle_in("services", "a", namespace="x", resources={"ConfigMap": {"cfg": {}}}),
        bundle_in("services", "b", namespace="y", resources={"ConfigMap": {"cfg": {}}}),
    ))


def test_namespace_not_created_is_one_problem_per_bundle_naming_its_objects(tmp_path):
    path = write_data(tmp_path, "app.py", bundle_in("services", "web", namespace="web", resources={
        "ConfigMap": {"a": {}, "b": {}}}))
    (problem,) = validation_error(path).problems
    assert "bundle services/web puts ConfigMap a, ConfigMap b in namespace 'web'" in problem
    assert "which no Namespace object of the plan creates" in problem and str(path) in problem


def test_namespace_created_in_the_same_batch_is_too_late(tmp_path):
    ns = write_data(tmp_path, "ns.py", bundle_in("services", "ns", resources={"Namespace": {"web": {}}}))
    app = write_data(tmp_path, "app.py", bundle_in("services", "web", namespace="web", resources={"ConfigMap": {"a": {}}}))
    (problem,) = validation_error(ns, app).problems
    assert "which is created in the same batch (services/ns)" in problem
    assert str(ns) in problem and str(app) in problem


@pytest.mark.parametrize(
    "modules",
    [
        [namespace_bundle("web")],
        [cluster(externalNamespaces=["web"])],
    ],
)
def test_namespace_created_earlier_or_external_is_accepted(modules):
    validate_plan(evaluate(*modules, bundle_in("services", "web", namespace="web", resources={"ConfigMap": {"a": {}}})))


@pytest.mark.parametrize("namespace", ["default", "kube-system"])
def test_namespaces_every_cluster_has_need_no_declaration(namespace):
    validate_plan(evaluate(bundle_in("services", "web", namespace=namespace, resources={"ConfigMap": {"a": {}}})))


def test_chart_bundle_namespace_needs_no_namespace_object():
    validate_plan(evaluate(bundle_in("operators", "cm", namespace="cert-manager", chart={
        "name": "cert-manager", "repository": "https://charts.jetstack.io", "version": "v1.15.1"})))


def test_all_problems_are_reported_together(tmp_path):
    path = write_data(tmp_path, "many.py", cluster({
        "services": {"bundles": {
            "Bad": {},
            "web": {"namespace": "nowhere", "dependsOn": ["ghost"], "resources": {
                "Deployment": {"web": {"spec": {}}},
                "ClusterRole": {"r": {"metadata": {"namespace": "x"}}},
            }},
        }},
    }))
    err = validation_error(path)
    text = "\n".join(err.problems)
    for expected in ("bundle name 'Bad'", "depends on 'ghost'", "spec.selector", "cluster-scoped",
                     "namespace 'nowhere'"):
        assert expected in text
    assert str(err).startswith(f"the platform plan has {len(err.problems)} problems:")


def test_long_problem_lists_fit_one_screen():
    module = bundle_in("services", "web", namespace="web", resources={
        "Deployment": {f"d{i}": {"spec": {}} for i in range(30)}})
    err = validation_error(module, namespace_bundle("web"))
    assert len(err.problems) == 60
    assert "… and 40 more" in str(err)
    assert len(str(err).splitlines()) < 50
