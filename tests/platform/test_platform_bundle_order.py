"""Bundles inside a batch: topological order of dependsOn, ties by name, and the errors."""

from __future__ import annotations

import pytest
from platform_samples import bundle_ids, cluster, find_bundle, plan_of, validation_error, write_data


def batch(**deps: list[str]) -> dict:
    return {"bundles": {name: {"dependsOn": d} for name, d in deps.items()}}


@pytest.mark.parametrize(
    ("deps", "order"),
    [
        ({"c": [], "a": [], "b": []}, ["a", "b", "c"]),
        ({"a": ["c"], "b": [], "c": []}, ["b", "c", "a"]),
        ({"a": ["b"], "b": ["c"], "c": []}, ["c", "b", "a"]),
        ({"web": ["db", "cache"], "db": [], "cache": ["db"]}, ["db", "cache", "web"]),
        ({"x": ["services/y"], "y": []}, ["y", "x"]),
    ],
)
def test_bundles_apply_in_dependency_order_with_ties_by_name(deps, order):
    plan = plan_of(cluster({"services": batch(**deps)}))
    assert bundle_ids(plan) == [f"services/{n}" for n in order]


@pytest.mark.parametrize("ref", ["crds/defs", "defs"])
def test_dependency_on_an_earlier_batch_is_resolved_to_its_id(ref):
    plan = plan_of(cluster({"crds": batch(defs=[]), "services": batch(app=[ref])}))
    assert find_bundle(plan, "services/app")["dependsOn"] == ["crds/defs"]


def test_dependencies_are_listed_in_apply_order_without_duplicates():
    plan = plan_of(cluster({
        "crds": batch(defs=[]),
        "services": batch(app=["db", "crds/defs", "db"], db=[]),
    }))
    assert find_bundle(plan, "services/app")["dependsOn"] == ["crds/defs", "services/db"]


def test_same_batch_name_wins_over_an_earlier_batch():
    plan = plan_of(cluster({"crds": batch(db=[]), "services": batch(app=["db"], db=[])}))
    assert find_bundle(plan, "services/app")["dependsOn"] == ["services/db"]


def test_dependency_on_a_later_batch_names_both_bundles_and_files(tmp_path):
    app = write_data(tmp_path, "app.py", cluster({"crds": batch(app=["late"])}))
    late = write_data(tmp_path, "late.py", cluster({"services": batch(late=[])}))
    err = validation_error(app, late)
    assert len(err.problems) == 1
    message = str(err)
    assert "crds/app depends on 'late'" in message
    assert "batch 'services' (priority 600)" in message
    assert "applied after batch 'crds' (priority 100)" in message
    assert "app.py" in message and "late.py" in message


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("ghost", "which does not exist (bundles of batch 'services': app)"),
        ("nobatch/x", "there is no batch 'nobatch'"),
        ("crds/ghost", "which does not exist (bundles of batch 'crds': none)"),
        ("a/b/c", 'neither "bundle" nor "batch/bundle"'),
    ],
)
def test_dependency_on_an_unknown_bundle_is_an_error_naming_the_file(tmp_path, ref, expected):
    path = write_data(tmp_path, "deps.py", cluster({"services": batch(app=[ref])}))
    err = validation_error(path)
    assert expected in str(err)
    assert "services/app" in str(err)
    assert f"{path}:" in str(err)


def test_dependency_on_a_disabled_bundle_is_an_error(tmp_path):
    path = write_data(tmp_path, "deps.py", cluster({"services": {"bundles": {
        "app": {"dependsOn": ["db"]}, "db": {"enable": False},
    }}}))
    assert "which is disabled (enable = false)" in str(validation_error(path))


def test_ambiguous_short_dependency_lists_the_candidates():
    err = validation_error(cluster({
        "crds": batch(db=[]), "operators": batch(db=[]), "services": batch(app=["db"]),
    }))
    assert "ambiguous: write one of crds/db, operators/db" in str(err)


def test_cycle_is_one_error_naming_every_bundle_and_its_file(tmp_path):
    a = write_data(tmp_path, "a.py", cluster({"services": batch(a=["b"])}))
    b = write_data(tmp_path, "b.py", cluster({"services": batch(b=["c"])}))
    c = write_data(tmp_path, "c.py", cluster({"services": batch(c=["a"], d=["a"])}))
    err = validation_error(a, b, c)
    cycles = [p for p in err.problems if "cycle" in p]
    assert len(cycles) == 1
    assert "services/a" in cycles[0] and "services/b" in cycles[0] and "services/c" in cycles[0]
    assert "services/d" not in cycles[0].split("cycle")[0]
    assert "(a -> b -> c -> a)" in cycles[0]
    for f in (a, b, c):
        assert str(f) in cycles[0]


def test_self_dependency_is_a_cycle():
    err = validation_error(cluster({"services": batch(a=["a"])}))
    assert "(a -> a)" in str(err)
