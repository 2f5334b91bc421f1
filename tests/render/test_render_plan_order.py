"""Renderers trust the plan's order, so they refuse a plan that is not in apply order, and they
route dependencies around bundles that have nothing to deploy."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from modsys.errors import ValidationError
from modsys.render import RENDERERS, RenderInput, render
from modsys.render.flux import git_url
from modsys.render.graph import predecessors, waves
from modsys.render.layout import plan_layout


def _cm(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "apps"},
    }


def _plan(batches: list[dict[str, Any]]) -> RenderInput:
    return RenderInput.from_data(
        {"manifestSets": batches, "gitops": {"repoURL": "https://g/p.git"}}
    )


@pytest.mark.parametrize(
    ("batches", "message"),
    [
        (
            [{"name": "late", "priority": 500}, {"name": "early", "priority": 100}],
            "batch 'early' (priority 100) comes after 'late' (priority 500)",
        ),
        (
            [
                {
                    "name": "a",
                    "priority": 1,
                    "bundles": [{"name": "x", "dependsOn": ["a/y"]}, {"name": "y"}],
                }
            ],
            "bundle 'a/x' depends on 'a/y', which is not applied before it",
        ),
        (
            [{"name": "a", "priority": 1, "bundles": [{"name": "x", "dependsOn": ["nowhere/z"]}]}],
            "depends on 'nowhere/z'",
        ),
        (
            [{"name": "a", "priority": 1, "bundles": [{"name": "x"}, {"name": "x"}]}],
            "bundle 'a/x' appears twice",
        ),
        (
            [{"name": "a", "priority": 1, "bundles": [{"name": "x", "batch": "b"}]}],
            "bundle 'b/x' is listed in batch 'a'",
        ),
    ],
)
@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_a_plan_out_of_apply_order_is_refused(batches, message, fmt):
    with pytest.raises(ValidationError) as err:
        render(_plan(batches), fmt)
    assert any(message in p for p in err.value.problems), err.value.problems


def test_equal_priorities_are_accepted():
    render(_plan([{"name": "a", "priority": 1}, {"name": "b", "priority": 1}]), "dir")


@pytest.fixture
def with_empty_bundle() -> RenderInput:
    """b/hollow deploys nothing; c/app depends on it, and b/hollow depends on a/base."""
    return _plan(
        [
            {"name": "a", "priority": 1, "bundles": [{"name": "base", "objects": [_cm("base")]}]},
            {
                "name": "b",
                "priority": 2,
                "bundles": [
                    {"name": "hollow", "dependsOn": ["a/base"]},
                    {"name": "side", "objects": [_cm("side")]},
                ],
            },
            {
                "name": "c",
                "priority": 3,
                "bundles": [{"name": "app", "dependsOn": ["b/hollow"], "objects": [_cm("app")]}],
            },
        ]
    )


def test_empty_bundles_are_skipped_and_their_edges_pass_through(with_empty_bundle):
    layout = plan_layout(with_empty_bundle)
    assert predecessors(layout) == {
        "a/base": [],
        "b/side": ["a/base"],
        "c/app": ["a/base", "b/side"],
    }
    assert waves(layout) == {"a/base": 0, "b/side": 1, "c/app": 2}


def test_fleet_never_waits_for_a_bundle_it_does_not_emit(with_empty_bundle):
    files = render(with_empty_bundle, "fleet").files
    fleet = {
        yaml.safe_load(files[p])["name"]: yaml.safe_load(files[p])
        for p in files
        if p.endswith("fleet.yaml")
    }
    assert sorted(fleet) == ["p-a-base", "p-b-side", "p-c-app"]
    assert [d["name"] for d in fleet["p-c-app"]["dependsOn"]] == ["p-a-base", "p-b-side"]


def test_a_batch_without_deployable_bundles_does_not_break_the_chain():
    plan = _plan(
        [
            {"name": "a", "priority": 1, "bundles": [{"name": "x", "objects": [_cm("x")]}]},
            {"name": "b", "priority": 2, "bundles": [{"name": "nothing"}]},
            {"name": "c", "priority": 3},
            {"name": "d", "priority": 4, "bundles": [{"name": "y", "objects": [_cm("y")]}]},
        ]
    )
    assert predecessors(plan_layout(plan)) == {"a/x": [], "d/y": ["a/x"]}
    assert yaml.safe_load(render(plan, "fleet").files["fleet/gitrepo.yaml"])["spec"]["paths"] == [
        "00-a",
        "03-d",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:org/repo.git", "ssh://git@github.com/org/repo.git"),
        ("https://github.com/org/repo.git", "https://github.com/org/repo.git"),
    ],
)
def test_flux_gets_a_url_even_for_scp_like_git_addresses(url, expected):
    assert git_url(url) == expected
