"""Every target × project × overlay combination evaluates, validates and renders.

Also checked on every combination: a k3d config validates against the real k3d schema, and a
PerconaXtraDBCluster against the real CRD.
"""

from __future__ import annotations

import itertools

import pytest
import yaml
from layer_helpers import (
    OVERLAYS,
    evaluate,
    generated,
    objects,
    pxc_crds,
    validate_custom_resource,
    validate_k3d,
)

from modsys.platform import cluster_names, for_cluster, validate_plan
from modsys.render.pipeline import render_evaluation

TARGETS = {
    "local-k3d": lambda env: {"targets": {"local-k3d": {"enable": True}}},
    "kind": lambda env: {"targets": {"kind": {"enable": True}}},
    "remote": lambda env: {"targets": {"remote": {"enable": True, "context": f"{env}-cluster", "environment": env}}},
    "multi-k3d": lambda env: {"targets": {"multi-k3d": {"enable": True}}},
}
PROJECTS = {
    "wookie": {"wookie": {"enable": True, "istio": {"enable": True}, "pxc": {"enable": True}}},
    "webapp": {"webapp": {"enable": True}},
    "both": {
        "wookie": {"enable": True, "istio": {"enable": True}, "pxc": {"enable": True}},
        "webapp": {"enable": True},
    },
}
COMBINATIONS = list(itertools.product(TARGETS, PROJECTS, OVERLAYS))


def per_cluster(ev, target):
    """The evaluations to render: one per cluster for the multi-cluster target."""
    if target == "multi-k3d":
        return {name: for_cluster(ev, name) for name in cluster_names(ev)}
    return {"": ev}


@pytest.mark.parametrize(("target", "project", "overlay"), COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS])
def test_combination(target, project, overlay, tmp_path):
    ev = evaluate(TARGETS[target](overlay), {"projects": PROJECTS[project]}, OVERLAYS[overlay])
    for cluster, sub in per_cluster(ev, target).items():
        sub.check()
        validate_plan(sub)
        rendered = render_evaluation(sub, "dir", tmp_path / (cluster or "out"))
        assert "apply.sh" in rendered.files
        for path, file in generated(sub).items():
            if path.startswith("k3d") and path.endswith(".yaml"):
                validate_k3d(yaml.safe_load(file["text"]))
        for obj in objects(sub):
            if obj["kind"] == "PerconaXtraDBCluster":
                assert validate_custom_resource(obj, pxc_crds()) == []
        guarded = target == "remote" and overlay == "production"
        assert ("refusing to run" in (tmp_path / (cluster or "out") / "apply.sh").read_text()) == guarded
