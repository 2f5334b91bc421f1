"""Schema validation of built-in kinds and custom resources."""

from __future__ import annotations

import copy
from types import MappingProxyType

import pytest
from kube_samples import make_config_map, make_deployment, make_service

from modsys.kube import (
    SUPPORTED_VERSIONS,
    CustomResourceIndex,
    Problem,
    UnsupportedVersionError,
    validate_objects,
)


def messages(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in problems]


# --- built-in kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_valid_deployment_service_and_config_map_pass(version):
    assert validate_objects([make_deployment(), make_service(), make_config_map()], version) == []


def test_unknown_field_is_rejected_with_its_path(deployment):
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    [problem] = validate_objects([deployment], "1.31")
    assert problem.object_ref == "apps/v1 Deployment web-ns/web"
    assert problem.path == "spec.template.spec.containers[0].imagePullPolicyy"
    assert problem.message == 'unknown field "imagePullPolicyy"'
    assert problem.index == 0
    assert str(problem) == (
        "apps/v1 Deployment web-ns/web: spec.template.spec.containers[0].imagePullPolicyy: "
        'unknown field "imagePullPolicyy"'
    )


def test_unknown_fields_are_allowed_when_not_strict(deployment):
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    deployment["spec"]["whatever"] = {"x": 1}
    assert validate_objects([deployment], "1.31", strict=False) == []
    deployment["spec"]["replicas"] = "two"
    assert messages(validate_objects([deployment], "1.31", strict=False)) == [
        ("spec.replicas", 'must be integer; got string "two"')
    ]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (
            lambda d: d["spec"].update(replicas="3"),
            "spec.replicas",
            'must be integer; got string "3"',
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].update(imagePullPolicy=3),
            "spec.template.spec.containers[0].imagePullPolicy",
            "must be string; got integer 3",
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].update(
                ports={"containerPort": 80}
            ),
            "spec.template.spec.containers[0].ports",
            "must be array; got object",
        ),
        (
            lambda d: d["metadata"]["labels"].update({"app.kubernetes.io/part-of": 7}),
            'metadata.labels["app.kubernetes.io/part-of"]',
            "must be string; got integer 7",
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"].update(
                cpu=True
            ),
            "spec.template.spec.containers[0].resources.limits.cpu",
            "must be string or number; got boolean true",
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"][
                "httpGet"
            ].update(port=[80]),
            "spec.template.spec.containers[0].readinessProbe.httpGet.port",
            "must be string or integer; got array",
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("name"),
            "spec.template.spec.containers[0].name",
            "required field is missing",
        ),
        (lambda d: d["spec"].pop("selector"), "spec.selector", "required field is missing"),
    ],
)
def test_wrong_types_and_missing_fields_are_reported_at_their_path(
    deployment, mutate, path, message
):
    mutate(deployment)
    assert messages(validate_objects([deployment], "1.31")) == [(path, message)]


def test_enums_are_checked_where_the_schema_has_them():
    service = make_service()
    service["spec"]["type"] = "Loadbalancer"
    problems = validate_objects([service], "1.37")
    # not every version's schema carries the enum; where it does, the message lists the choices
    assert all(p.path == "spec.type" and "LoadBalancer" in p.message for p in problems)


def test_int_or_string_and_quantities_accept_both_forms(deployment):
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["httpGet"]["port"] = 8080
    container["resources"]["limits"]["cpu"] = 1
    container["resources"]["limits"]["memory"] = 0.5
    deployment["spec"]["strategy"] = {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}}
    assert validate_objects([deployment], "1.31") == []


def test_every_problem_of_every_object_is_reported_in_order(deployment):
    service = make_service()
    deployment["spec"]["replicas"] = "x"
    deployment["spec"]["bogus"] = 1
    service["spec"]["ports"][0]["port"] = "eighty"
    problems = validate_objects([deployment, make_config_map(), service], "1.31")
    assert [(p.index, p.path) for p in problems] == [
        (0, "spec.replicas"),
        (0, "spec.bogus"),
        (2, "spec.ports[0].port"),
    ]
    assert problems[2].object_ref == "v1 Service web-ns/web"


def test_cluster_scoped_objects_are_named_without_namespace():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web-ns"}, "spex": {}}
    [problem] = validate_objects([ns], "1.31")
    assert problem.object_ref == "v1 Namespace web-ns"
    assert problem.path == "spex"


def test_kinds_gone_from_a_kubernetes_version_are_reported_with_the_replacement():
    ingress = {"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "web"}}
    hpa = {
        "apiVersion": "autoscaling/v2beta2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "minReplicas": 1,
            "maxReplicas": 2,
        },
    }
    problems = validate_objects([ingress, hpa], "1.31")
    assert messages(problems) == [
        (
            "apiVersion",
            "Kubernetes 1.31 does not serve Ingress as extensions/v1beta1; use networking.k8s.io/v1",
        ),
        (
            "apiVersion",
            "Kubernetes 1.31 does not serve HorizontalPodAutoscaler as autoscaling/v2beta2; "
            "use autoscaling/v2",
        ),
    ]
    assert validate_objects([hpa], "1.25") == []


def test_unknown_kind_in_a_builtin_group_is_reported_as_such():
    [problem] = validate_objects(
        [{"apiVersion": "apps/v1", "kind": "Deploymnet", "metadata": {"name": "x"}}], "1.31"
    )
    assert (problem.path, problem.message) == (
        "kind",
        "Kubernetes 1.31 has no kind Deploymnet in apps",
    )


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        ({"kind": "ConfigMap", "metadata": {"name": "x"}}, "apiVersion"),
        ({"apiVersion": "v1", "metadata": {"name": "x"}}, "kind"),
        ({"apiVersion": "", "kind": "ConfigMap"}, "apiVersion"),
    ],
)
def test_objects_without_api_version_or_kind_are_reported(obj, path):
    [problem] = validate_objects([obj], "1.31")
    assert (problem.path, problem.message) == (path, "required field is missing")


def test_non_mappings_are_reported_not_crashed_on():
    [problem] = validate_objects([["not", "an", "object"]], "1.31")
    assert problem.index == 0 and "not an object" in problem.message


def test_other_mapping_and_sequence_types_are_checked_like_dicts_and_lists(deployment):
    """Read-only views (MappingProxyType, tuples) must not slip through unchecked."""
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["bogus"] = 1
    deployment["spec"]["template"]["spec"]["containers"] = (MappingProxyType(container),)
    deployment["spec"] = MappingProxyType(deployment["spec"])
    assert messages(validate_objects([MappingProxyType(deployment)], "1.31")) == [
        ("spec.template.spec.containers[0].bogus", 'unknown field "bogus"')
    ]


def test_unsupported_kubernetes_version_raises():
    with pytest.raises(UnsupportedVersionError):
        validate_objects([make_config_map()], "1.19")


def test_crds_themselves_validate_against_the_builtin_crd_schema(all_crds):
    assert validate_objects(all_crds, "1.31") == []
    broken = copy.deepcopy(all_crds[0])
    broken["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["type"] = 5
    [problem] = validate_objects([broken], "1.31")
    assert problem.path == "spec.versions[0].schema.openAPIV3Schema.properties.spec.type"
    assert problem.message == "must be string; got integer 5"


# --- custom resources against real CRDs ---------------------------------------------------------


@pytest.mark.parametrize("version", ["1.25", "1.31", "1.37"])
def test_upstream_pxc_example_validates_against_the_pxc_crd(pxc_crds, pxc_cr, version):
    index = CustomResourceIndex.from_objects(pxc_crds)
    assert validate_objects([*pxc_crds, pxc_cr], version, index) == []


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda cr: cr["spec"]["pxc"].update(sizee=3), "spec.pxc.sizee", 'unknown field "sizee"'),
        (
            lambda cr: cr["spec"]["pxc"].update(size="three"),
            "spec.pxc.size",
            'must be integer; got string "three"',
        ),
        (
            lambda cr: cr["spec"]["haproxy"].update(enabled="yes"),
            "spec.haproxy.enabled",
            'must be boolean; got string "yes"',
        ),
        (
            lambda cr: cr["spec"]["pxc"]["resources"]["requests"].update(memory={"gb": 1}),
            "spec.pxc.resources.requests.memory",
            "must be integer or string; got object",
        ),
        (lambda cr: cr["metadata"].update(labelz={}), "metadata.labelz", 'unknown field "labelz"'),
        (
            lambda cr: cr["metadata"].update(labels={"a": 1}),
            "metadata.labels.a",
            "must be string; got integer 1",
        ),
        (lambda cr: cr["spec"].update(pxcc={}), "spec.pxcc", 'unknown field "pxcc"'),
    ],
)
def test_broken_pxc_cluster_fails_with_the_path_of_the_bad_field(
    pxc_crds, pxc_cr, mutate, path, message
):
    mutate(pxc_cr)
    problems = validate_objects([pxc_cr], "1.31", CustomResourceIndex.from_objects(pxc_crds))
    assert messages(problems) == [(path, message)]
    assert problems[0].object_ref == "pxc.percona.com/v1 PerconaXtraDBCluster cluster1"


def test_pxc_cluster_root_preserves_unknown_fields_as_its_crd_says(pxc_crds, pxc_cr):
    pxc_cr["extra"] = {"kept": True}
    assert validate_objects([pxc_cr], "1.31", CustomResourceIndex.from_objects(pxc_crds)) == []


def test_custom_resource_in_a_version_its_crd_does_not_serve_is_reported(pxc_crds, pxc_cr):
    pxc_cr["apiVersion"] = "pxc.percona.com/v1-9-0"
    [problem] = validate_objects([pxc_cr], "1.31", CustomResourceIndex.from_objects(pxc_crds))
    assert problem.path == "apiVersion"
    assert problem.message == (
        "version v1-9-0 of pxc.percona.com/PerconaXtraDBCluster is not served by CRD "
        "perconaxtradbclusters.pxc.percona.com (served: v1-10-0, v1-11-0, v1)"
    )


@pytest.mark.parametrize("crds", [None, CustomResourceIndex()])
def test_custom_resource_without_crd_is_reported_as_no_crd_in_the_plan(pxc_cr, crds):
    [problem] = validate_objects([pxc_cr], "1.31", crds)
    assert problem.path == ""
    assert problem.message == "no CRD in the plan for pxc.percona.com/PerconaXtraDBCluster"
    assert str(problem) == (
        "pxc.percona.com/v1 PerconaXtraDBCluster cluster1: no CRD in the plan for "
        "pxc.percona.com/PerconaXtraDBCluster"
    )


def test_aggregated_api_groups_ending_in_k8s_io_still_need_a_crd():
    obj = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": "gw"},
    }
    assert messages(validate_objects([obj], "1.31")) == [
        ("", "no CRD in the plan for gateway.networking.k8s.io/Gateway")
    ]


def test_gitops_objects_validate_against_their_real_crds(all_crds):
    index = CustomResourceIndex.from_objects(all_crds)
    objects = [
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {
                "name": "web",
                "namespace": "argocd",
                "annotations": {"argocd.argoproj.io/sync-wave": "3"},
            },
            "spec": {
                "project": "default",
                "destination": {"server": "https://kubernetes.default.svc", "namespace": "web"},
                "source": {
                    "repoURL": "https://git.example/repo",
                    "path": "out/web",
                    "targetRevision": "HEAD",
                },
            },
        },
        {
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
            "kind": "Kustomization",
            "metadata": {"name": "web", "namespace": "flux-system"},
            "spec": {
                "interval": "5m",
                "prune": True,
                "path": "./web",
                "dependsOn": [{"name": "crds"}],
                "sourceRef": {"kind": "GitRepository", "name": "repo"},
            },
        },
        {
            "apiVersion": "helm.toolkit.fluxcd.io/v2",
            "kind": "HelmRelease",
            "metadata": {"name": "istiod", "namespace": "flux-system"},
            "spec": {
                "interval": "5m",
                "values": {"pilot": {"resources": {"cpu": 1}}, "anything": [None, 1]},
                "chart": {
                    "spec": {
                        "chart": "istiod",
                        "version": "1.24.6",
                        "sourceRef": {"kind": "HelmRepository", "name": "istio"},
                    }
                },
            },
        },
        {
            "apiVersion": "fleet.cattle.io/v1alpha1",
            "kind": "GitRepo",
            "metadata": {"name": "web", "namespace": "fleet-local"},
            "spec": {"repo": "https://git.example/repo", "paths": ["out/web"]},
        },
    ]
    assert validate_objects(objects, "1.31", index) == []
    objects[1]["spec"]["dependsOn"] = [{"nam": "crds"}]
    objects[3]["spec"]["paths"] = "out/web"
    assert messages(validate_objects(objects, "1.31", index)) == [
        ("spec.dependsOn[0].nam", 'unknown field "nam"'),
        ("spec.dependsOn[0].name", "required field is missing"),
        ("spec.paths", 'must be array; got string "out/web"'),
    ]


# --- structural-schema semantics, on small hand-written CRDs ------------------------------------


def crd(schema: dict, *, served=("v1",), scope="Namespaced") -> dict:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": scope,
            "names": {
                "kind": "Widget",
                "plural": "widgets",
                "singular": "widget",
                "listKind": "WidgetList",
            },
            "versions": [
                {
                    "name": v,
                    "served": True,
                    "storage": i == 0,
                    "schema": {"openAPIV3Schema": schema},
                }
                for i, v in enumerate(served)
            ],
        },
    }


def widget(spec) -> dict:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "n"},
        "spec": spec,
    }


def check_widget(spec_schema: dict, spec, *, strict=True, version="1.31") -> list[tuple[str, str]]:
    definition = crd({"type": "object", "properties": {"spec": spec_schema}})
    assert validate_objects([definition], version) == [], "the test CRD itself must be valid"
    index = CustomResourceIndex.from_objects([definition])
    return messages(validate_objects([widget(spec)], version, index, strict=strict))


OBJ = {"type": "object"}


@pytest.mark.parametrize(
    ("schema", "spec", "expected"),
    [
        # unknown fields are rejected where the structural schema does not preserve them
        (
            {**OBJ, "properties": {"a": {"type": "string"}}},
            {"a": "x", "b": 1},
            [("spec.b", 'unknown field "b"')],
        ),
        (
            {
                **OBJ,
                "properties": {"a": {"type": "string"}},
                "x-kubernetes-preserve-unknown-fields": True,
            },
            {"a": "x", "b": {"deep": [1]}},
            [],
        ),
        ({**OBJ, "x-kubernetes-preserve-unknown-fields": True}, {"anything": {"goes": True}}, []),
        ({"x-kubernetes-preserve-unknown-fields": True}, ["even", "a", "list"], []),
        # a typed object without properties keeps nothing (the server would prune everything)
        (OBJ, {"a": 1}, [("spec.a", 'unknown field "a"')]),
        # preserving at one level does not open the levels below that declare properties
        (
            {
                **OBJ,
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"inner": {**OBJ, "properties": {"a": {"type": "integer"}}}},
            },
            {"x": 1, "inner": {"a": 1, "b": 2}},
            [("spec.inner.b", 'unknown field "b"')],
        ),
        # maps
        (
            {**OBJ, "additionalProperties": {"type": "string"}},
            {"k": "v", "k2": 3},
            [("spec.k2", "must be string; got integer 3")],
        ),
        ({**OBJ, "additionalProperties": True}, {"k": {"any": 1}}, []),
        # int-or-string
        (
            {
                **OBJ,
                "properties": {
                    "p": {
                        "x-kubernetes-int-or-string": True,
                        "anyOf": [{"type": "integer"}, {"type": "string"}],
                    }
                },
            },
            {"p": 80},
            [],
        ),
        (
            {
                **OBJ,
                "properties": {
                    "p": {
                        "x-kubernetes-int-or-string": True,
                        "anyOf": [{"type": "integer"}, {"type": "string"}],
                    }
                },
            },
            {"p": "http"},
            [],
        ),
        (
            {**OBJ, "properties": {"p": {"x-kubernetes-int-or-string": True}}},
            {"p": 1.5},
            [("spec.p", "must be integer or string; got number 1.5")],
        ),
        # value validations
        (
            {**OBJ, "properties": {"e": {"type": "string", "enum": ["a", "b"]}}},
            {"e": "c"},
            [("spec.e", 'must be one of "a", "b"; got string "c"')],
        ),
        (
            {**OBJ, "properties": {"s": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 3}}},
            {"s": "ABCD"},
            [
                ("spec.s", 'string "ABCD" does not match the pattern ^[a-z]+$'),
                ("spec.s", "must have at most 3 characters, has 4"),
            ],
        ),
        (
            {
                **OBJ,
                "properties": {
                    "n": {"type": "integer", "minimum": 1, "maximum": 5, "exclusiveMaximum": True}
                },
            },
            {"n": 5},
            [("spec.n", "must be < 5; got 5")],
        ),
        (
            {
                **OBJ,
                "properties": {"l": {"type": "array", "items": {"type": "integer"}, "maxItems": 2}},
            },
            {"l": [1, "2", 3]},
            [
                ("spec.l[1]", 'must be integer; got string "2"'),
                ("spec.l", "must have at most 2 items, has 3"),
            ],
        ),
        ({**OBJ, "properties": {"n": {"type": "integer"}}}, {"n": 2.0}, []),
        (
            {**OBJ, "properties": {"t": {"type": "string", "format": "date-time"}}},
            {"t": "not checked"},
            [],
        ),
        (
            {**OBJ, "required": ["a"], "properties": {"a": {"type": "string"}}},
            {},
            [("spec.a", "required field is missing")],
        ),
        # junctors only validate values: their properties do not make fields unknown or known
        (
            {
                **OBJ,
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            },
            {"a": "x"},
            [],
        ),
        (
            {
                **OBJ,
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            },
            {"a": "x", "b": "y"},
            [("spec", "must match exactly one of the allowed forms, matches 2; got object")],
        ),
        (
            {
                **OBJ,
                "properties": {"a": {"type": "string"}},
                "anyOf": [{"properties": {"a": {"maxLength": 1}}}],
            },
            {"a": "xy"},
            [("spec", "must match one of the allowed forms; got object")],
        ),
        (
            {**OBJ, "properties": {"a": {"type": "string"}}, "not": {"required": ["a"]}},
            {"a": "x"},
            [("spec", "object matches a form that is not allowed")],
        ),
        # nulls: allowed when nullable, dropped (as the server prunes) when not, unless required
        ({**OBJ, "properties": {"a": {"type": "string", "nullable": True}}}, {"a": None}, []),
        ({**OBJ, "properties": {"a": {"type": "string"}}}, {"a": None}, []),
        (
            {**OBJ, "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"a": None},
            [("spec.a", "required field is null (not nullable, no default)")],
        ),
        (
            {**OBJ, "required": ["a"], "properties": {"a": {"type": "string", "default": "x"}}},
            {"a": None},
            [],
        ),
        (
            {**OBJ, "properties": {"l": {"type": "array", "items": {"type": "string"}}}},
            {"l": [None]},
            [("spec.l[0]", "must be string; got null")],
        ),
        # embedded resources carry apiVersion, kind and a real ObjectMeta
        (
            {
                **OBJ,
                "properties": {
                    "tpl": {
                        **OBJ,
                        "x-kubernetes-embedded-resource": True,
                        "x-kubernetes-preserve-unknown-fields": True,
                    }
                },
            },
            {
                "tpl": {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": "x", "labels": {"a": "b"}},
                    "data": {"k": "v"},
                }
            },
            [],
        ),
        (
            {
                **OBJ,
                "properties": {
                    "tpl": {
                        **OBJ,
                        "x-kubernetes-embedded-resource": True,
                        "properties": {"data": {**OBJ, "additionalProperties": {"type": "string"}}},
                    }
                },
            },
            {"tpl": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"nam": "x"}, "dat": {}}},
            [
                ("spec.tpl.metadata.nam", 'unknown field "nam"'),
                ("spec.tpl.dat", 'unknown field "dat"'),
            ],
        ),
    ],
)
def test_custom_resources_follow_structural_schema_semantics(schema, spec, expected):
    assert check_widget(schema, spec) == expected


def test_custom_resource_unknown_fields_are_allowed_when_not_strict():
    schema = {**OBJ, "properties": {"a": {"type": "string"}}}
    assert check_widget(schema, {"a": "x", "b": 1}, strict=False) == []
    assert check_widget(schema, {"a": 1}, strict=False) == [
        ("spec.a", "must be string; got integer 1")
    ]


def test_custom_resource_metadata_is_validated_as_object_meta_whatever_the_crd_says():
    definition = crd(
        {"type": "object", "properties": {"metadata": {"type": "object"}, "spec": OBJ}}
    )
    index = CustomResourceIndex.from_objects([definition])
    ok = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "labels": {"a": "b"}, "annotations": {"c": "d"}},
    }
    assert validate_objects([ok], "1.31", index) == []
    ok["metadata"]["labels"]["a"] = 1
    assert messages(validate_objects([ok], "1.31", index)) == [
        ("metadata.labels.a", "must be string; got integer 1")
    ]


def test_custom_resource_checks_are_per_served_version():
    definition = crd(
        {
            "type": "object",
            "properties": {"spec": {**OBJ, "properties": {"a": {"type": "string"}}}},
        },
        served=("v1", "v2"),
    )
    definition["spec"]["versions"][1]["schema"]["openAPIV3Schema"] = {
        "type": "object",
        "properties": {"spec": {**OBJ, "properties": {"b": {"type": "integer"}}}},
    }
    index = CustomResourceIndex.from_objects([definition])
    v1, v2 = widget({"a": "x"}), {**widget({"b": 1}), "apiVersion": "example.com/v2"}
    assert validate_objects([v1, v2], "1.31", index) == []
    v2["spec"] = {"a": "x"}
    assert messages(validate_objects([v2], "1.31", index)) == [("spec.a", 'unknown field "a"')]
