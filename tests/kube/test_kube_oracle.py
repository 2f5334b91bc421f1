"""The compiled built-in validators agree with kubernetes-validate itself.

modsys checks built-in kinds with its own compiled closures (~20x faster than jsonschema); these
tests hold them to the verdict of `kubernetes_validate.validate` on randomly mutated objects, and
make sure every schema of every bundled version compiles (an unsupported keyword would fail here
rather than be silently skipped).
"""

from __future__ import annotations

import copy
import functools

import kubernetes_validate
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kube_samples import make_config_map, make_deployment, make_service

from modsys.gcpolicy import paused
from modsys.kube import SUPPORTED_VERSIONS, validate_objects
from modsys.kube._schema import BuiltinCompiler
from modsys.kube.kinds import read_definitions

SAMPLES = [
    make_deployment(),
    make_service(),
    make_config_map(),
    {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "nightly", "namespace": "jobs"},
        "spec": {
            "schedule": "0 3 * * *",
            "concurrencyPolicy": "Forbid",
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 2,
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [
                                {"name": "job", "image": "busybox", "command": ["sh", "-c", "true"]}
                            ],
                        }
                    },
                }
            },
        },
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "web", "annotations": {"a/b": "c"}},
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["web.example"], "secretName": "web-tls"}],
            "rules": [
                {
                    "host": "web.example",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            }
                        ]
                    },
                }
            ],
        },
    },
    {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "web"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
        },
    },
    {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "db"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {
                    "containers": [
                        {
                            "name": "db",
                            "image": "postgres:16",
                            "volumeMounts": [{"name": "data", "mountPath": "/d"}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    },
                }
            ],
        },
    },
    {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"kind": "Widget", "plural": "widgets"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "x-kubernetes-preserve-unknown-fields": True,
                                    "properties": {"size": {"type": "integer", "minimum": 1}},
                                }
                            },
                        }
                    },
                }
            ],
        },
    },
]

FIELD_NAMES = [
    "name",
    "image",
    "spec",
    "ports",
    "port",
    "labels",
    "replicas",
    "value",
    "items",
    "x",
    "type",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-2, max_value=70000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(["", "a", "80", "http", "Always", "Prefix", "1Gi", "apps/v1"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=3)
    ),
    max_leaves=5,
)


def _containers(node, path=()):
    """Every dict and list inside `node`, with its path."""
    if isinstance(node, dict | list):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _containers(value, (*path, key))


@st.composite
def mutated_objects(draw):
    obj = copy.deepcopy(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path, node = draw(st.sampled_from(list(_containers(obj))))
        action = draw(st.sampled_from(["replace", "add", "delete"]))
        if isinstance(node, dict):
            keys = [k for k in node if path or k not in ("apiVersion", "kind")]
            if action == "add" or not keys:
                node[draw(st.sampled_from(FIELD_NAMES))] = draw(json_values)
            elif action == "replace":
                node[draw(st.sampled_from(keys))] = draw(json_values)
            else:
                del node[draw(st.sampled_from(keys))]
        elif action == "add" or not node:
            node.append(draw(json_values))
        elif action == "replace":
            node[draw(st.integers(0, len(node) - 1))] = draw(json_values)
        else:
            del node[draw(st.integers(0, len(node) - 1))]
    return obj


@pytest.fixture(scope="module", autouse=True)
def _kubernetes_validate_reads_each_schema_file_once():
    """kubernetes-validate re-reads its 1.3 MB definitions file on every call; memoise the reads
    (its own validation logic stays untouched) so the oracle is fast enough for many examples."""
    utils = kubernetes_validate.utils
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            utils, "schema_contents", functools.lru_cache(maxsize=None)(utils.schema_contents)
        )
        yield


def oracle_accepts(obj, version, strict) -> bool:
    try:
        kubernetes_validate.validate(obj, version, strict=strict)
    except kubernetes_validate.ValidationError:
        return False
    return True


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obj=mutated_objects(), version=st.sampled_from(SUPPORTED_VERSIONS))
def test_builtin_verdict_matches_kubernetes_validate(obj, version, strict):
    problems = validate_objects([obj], version, strict=strict)
    assert (not problems) == oracle_accepts(obj, version, strict), problems


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["kind"] for s in SAMPLES])
def test_samples_are_valid_for_both(sample):
    assert validate_objects([sample], "1.31") == []
    assert oracle_accepts(sample, "1.31", True)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_bundled_definition_compiles(version):
    definitions = read_definitions(version)
    compiler = BuiltinCompiler(definitions)
    with paused():
        for name in definitions:
            compiler.definition(name)
