"""Batches: the seeded ones, overriding their priorities, and the order batches apply in."""

from __future__ import annotations

import pytest
from platform_samples import bundle_ids, bundle_in, cluster, evaluate, plan_of

from modsys import UndefinedOptionError, mk_default, mk_force

SEEDED = {"crds": 100, "namespaces": 200, "operators": 300, "services": 600}


@pytest.mark.parametrize(("batch", "priority"), sorted(SEEDED.items()))
def test_seeded_batches_have_their_priorities(batch, priority):
    batches = evaluate().config.platform.kubernetes.cluster.batches
    assert batches[batch].priority == priority


@pytest.mark.parametrize("value", [50, mk_force(50), mk_default(50)])
def test_seeded_priority_is_overridden_by_any_definition_above_the_seed(value):
    batches = evaluate(cluster({"services": {"priority": value}})).config.platform.kubernetes.cluster.batches
    assert batches.services.priority == 50
    assert batches.crds.priority == 100


def test_seeded_description_is_overridden_by_a_plain_definition():
    batches = evaluate(cluster({"crds": {"description": "mine"}})).config.platform.kubernetes.cluster.batches
    assert batches.crds.description == "mine"


def test_new_batch_without_priority_is_an_error_naming_the_option():
    with pytest.raises(UndefinedOptionError, match=r"batches\.monitoring\.priority"):
        plan_of(bundle_in("monitoring", "prom"))


def test_batches_apply_by_ascending_priority():
    plan = plan_of(
        cluster({"monitoring": {"priority": 700}, "early": {"priority": 10}}),
        *(bundle_in(b, "x") for b in ("services", "monitoring", "early", "crds", "namespaces")),
    )
    assert [b["name"] for b in plan["manifestSets"]] == [
        "early", "crds", "namespaces", "services", "monitoring",
    ]
    assert [b["priority"] for b in plan["manifestSets"]] == [10, 100, 200, 600, 700]


def test_batches_with_equal_priority_apply_by_name():
    plan = plan_of(
        cluster({"zeta": {"priority": 600}, "alpha": {"priority": 600}}),
        *(bundle_in(b, "x") for b in ("zeta", "services", "alpha")),
    )
    assert [b["name"] for b in plan["manifestSets"]] == ["alpha", "services", "zeta"]


def test_raising_a_seeded_priority_moves_the_batch():
    plan = plan_of(
        cluster({"crds": {"priority": 900}}),
        bundle_in("crds", "x"),
        bundle_in("services", "y"),
    )
    assert bundle_ids(plan) == ["services/y", "crds/x"]


def test_batches_without_enabled_bundles_are_left_out():
    plan = plan_of(bundle_in("services", "off", enable=False), bundle_in("crds", "on"))
    assert [b["name"] for b in plan["manifestSets"]] == ["crds"]
    assert plan_of()["manifestSets"] == []


def test_batch_description_reaches_the_plan():
    plan = plan_of(bundle_in("crds", "x"))
    assert plan["manifestSets"][0]["description"].startswith("CustomResourceDefinitions")
