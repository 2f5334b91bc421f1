"""CEL validation rules of CRDs (modsys.kube.cel), on the shared CRDs and inline schemas."""

from __future__ import annotations

import pytest

from modsys.kube import CustomResourceIndex
from modsys.kube.cel import cel_available, check_cel, check_cel_objects, evaluate_rule
from tests.needs import missing


@pytest.fixture(autouse=True)
def _runtime():
    if not cel_available():
        missing("the cel-expr-python package (pip install '.[test]')")


def schema_of(crds, api_version, kind):
    schema = CustomResourceIndex.from_objects(crds).schema(api_version, kind)
    assert schema is not None
    return schema


def test_upstream_example_passes_and_a_broken_rule_is_reported(pxc_crds, pxc_cr):
    schema = schema_of(pxc_crds, pxc_cr["apiVersion"], pxc_cr["kind"])
    assert check_cel(pxc_cr, schema).problems == ()
    pxc_cr["spec"]["passwordGenerationOptions"] = {"minLength": 20, "maxLength": 10}
    [problem] = check_cel(pxc_cr, schema, index=3).problems
    assert problem.path == "spec.passwordGenerationOptions"
    assert problem.index == 3
    assert problem.object_ref.startswith("pxc.percona.com/v1 PerconaXtraDBCluster")
    pxc_cr["spec"]["passwordGenerationOptions"] = {"minLength": 10, "maxLength": 20}
    assert check_cel(pxc_cr, schema).problems == ()


def test_flux_helm_release_needs_exactly_one_chart_source(all_crds):
    schema = schema_of(all_crds, "helm.toolkit.fluxcd.io/v2", "HelmRelease")
    chart = {"spec": {"chart": "web", "sourceRef": {"kind": "HelmRepository", "name": "r"}}}
    release = {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": {"name": "web", "namespace": "flux"},
        "spec": {"interval": "5m", "chart": chart},
    }
    assert check_cel(release, schema).problems == ()
    release["spec"]["chartRef"] = {"kind": "OCIRepository", "name": "web"}
    [problem] = check_cel(release, schema).problems
    assert problem.path == "spec"
    assert "chart" in problem.message and "chartRef" in problem.message


SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "x-kubernetes-validations": [
                {
                    "rule": "self.replicas <= self.max",
                    "messageExpression": "'replicas above ' + string(self.max)",
                },
                {"rule": "self.replicas == oldSelf.replicas"},
                {"rule": "self.size.isSorted()"},
                {"rule": "self.missing > 1"},
            ],
            "properties": {
                "replicas": {"type": "integer"},
                "max": {"type": "integer"},
                "routes": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {
                        "type": "object",
                        "x-kubernetes-validations": [
                            {
                                "rule": "self.weight <= 100",
                                "message": "weight is a percentage",
                                "fieldPath": ".weight",
                            }
                        ],
                    },
                },
                "labels": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "string",
                        "x-kubernetes-validations": [{"rule": "self.size() <= 5"}],
                    },
                },
            },
        }
    },
}


def cr(**spec):
    return {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": spec,
    }


def test_rules_on_items_and_map_values_name_the_element():
    result = check_cel(
        cr(
            replicas=1,
            max=3,
            routes=[{"name": "a", "weight": 50}, {"name": "b", "weight": 150}],
            labels={"x": "toolong"},
        ),
        SCHEMA,
    )
    assert [(p.path, p.message) for p in result.problems] == [
        ("spec.routes[b].weight", "weight is a percentage"),
        ("spec.labels.x", "failed rule: self.size() <= 5"),
    ]


def test_message_expression():
    [problem] = check_cel(cr(replicas=5, max=3), SCHEMA).problems
    assert (problem.path, problem.message) == ("spec", "replicas above 3")


def test_rules_that_cannot_be_checked_are_listed_not_reported():
    result = check_cel(cr(replicas=1, max=3), SCHEMA)
    assert result.problems == ()
    reasons = "\n".join(result.unchecked)
    assert "transition rule" in reasons
    assert "Kubernetes' CEL libraries" in reasons
    assert "evaluation error" in reasons
    assert len(result.unchecked) == 3


def test_evaluate_rule():
    assert evaluate_rule("self.a == 1", {"a": 1}) is True
    assert evaluate_rule("self.a == 1", {"a": 2}) is False
    assert evaluate_rule("self.a == 1", {}) is None
    assert evaluate_rule("[has(self.a), has(self.b)].filter(x, x).size() == 1", {"a": 1}) is True
    assert evaluate_rule("self.lowerAscii() == 'abc'", "ABC") is True  # the strings extension
    assert evaluate_rule("oldSelf == self", 1) is None


def test_check_cel_objects_finds_each_resources_crd(pxc_crds, pxc_cr):
    crds = CustomResourceIndex.from_objects(pxc_crds)
    bad = {
        **pxc_cr,
        "spec": {**pxc_cr["spec"], "passwordGenerationOptions": {"minLength": 9, "maxLength": 1}},
    }
    other = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    result = check_cel_objects([other, pxc_cr, bad], crds)
    assert [(p.index, p.path) for p in result.problems] == [(2, "spec.passwordGenerationOptions")]
