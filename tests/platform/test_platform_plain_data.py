"""The plan builder on plain data, without the module engine; and the ordering property."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from modsys.platform import build_sets, check_objects
from modsys.render import RenderInput


def test_plain_data_builds_the_same_shape_as_modules():
    result = build_sets({"batches": {
        "apps": {"priority": 5, "bundles": {"web": {"namespace": "web", "resources": {"ConfigMap": {"c": {}}}}}},
    }})
    assert result.problems == []
    (batch,) = result.manifest_sets
    assert batch["bundles"][0]["objects"][0]["metadata"]["namespace"] == "web"
    RenderInput.from_data({"manifestSets": result.manifest_sets})


def test_plain_data_problems_have_no_locations():
    result = build_sets({"batches": {"Bad": {"priority": 1, "bundles": {}}}})
    (problem,) = result.problems
    assert problem.locations == () and "batch name 'Bad'" in str(problem)


def test_unsupported_version_in_plain_data_is_a_problem():
    result = build_sets({"kubernetesVersion": "0.9", "batches": {}})
    assert "is not supported" in result.problems[0].message


def test_check_objects_works_on_plain_data():
    result = build_sets({"batches": {"apps": {"priority": 1, "bundles": {"web": {
        "namespace": "web", "resources": {"ConfigMap": {"c": {"bogus": 1}}}}}}}})
    messages = [p.message for p in check_objects(result)]
    assert any("bogus" in m for m in messages)
    assert any("namespace 'web'" in m for m in messages)


NAMES = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@st.composite
def bundle_graphs(draw):
    """Random batches with random (tied) priorities, and acyclic dependencies that point to
    bundles of the same batch or of batches applied earlier."""
    batch_names = draw(st.lists(st.sampled_from(["x", "y", "z", "w"]), min_size=1, max_size=4, unique=True))
    priorities = {b: draw(st.integers(0, 3)) for b in batch_names}
    applied = sorted(batch_names, key=lambda b: (priorities[b], b))
    seen: list[tuple[str, str]] = []
    batches = {}
    for batch in applied:
        names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
        bundles = {}
        for name in draw(st.permutations(names)):
            deps = draw(st.lists(st.sampled_from(seen), max_size=3)) if seen else []
            bundles[name] = {"dependsOn": [d[1] if d[0] == batch else f"{d[0]}/{d[1]}" for d in deps]}
            seen.append((batch, name))
        batches[batch] = {"priority": priorities[batch], "bundles": bundles}
    return batches


@settings(max_examples=150, deadline=None)
@given(bundle_graphs())
def test_plan_order_respects_every_dependency_and_batch_priority(batches):
    result = build_sets({"batches": batches})
    assert result.problems == []
    order = [(b["name"], u["name"]) for b in result.manifest_sets for u in b["bundles"]]
    position = {ident: i for i, ident in enumerate(order)}
    assert len(order) == sum(len(b["bundles"]) for b in batches.values())
    for batch, spec in batches.items():
        for name, bundle in spec["bundles"].items():
            for ref in bundle["dependsOn"]:
                target = tuple(ref.split("/")) if "/" in ref else (batch, ref)
                assert position[target] < position[(batch, name)]
    keys = [(b["priority"], b["name"]) for b in result.manifest_sets]
    assert keys == sorted(keys)
    assert build_sets({"batches": batches}).manifest_sets == result.manifest_sets


@settings(max_examples=25, deadline=None)
@given(bundle_graphs())
def test_modules_give_the_same_order_as_plain_data(batches):
    from platform_samples import cluster, plan_of

    plan = plan_of(cluster({b: {"priority": s["priority"], "bundles": s["bundles"]} for b, s in batches.items()}))
    expected = build_sets({"batches": batches}).manifest_sets
    assert [(b["name"], [u["name"] for u in b["bundles"]]) for b in plan["manifestSets"]] == [
        (b["name"], [u["name"] for u in b["bundles"]]) for b in expected
    ]
