"""The plan's plain-data form: camelCase keys in, the same keys out, every problem reported."""

from __future__ import annotations

import pytest
from render_plans import sample_data

from modsys.errors import ValidationError
from modsys.render import Chart, GeneratedFile, RenderInput, Wait


def test_from_data_and_to_data_round_trip():
    plan = RenderInput.from_data(sample_data())
    assert RenderInput.from_data(plan.to_data()) == plan


def test_camel_case_keys_reach_the_snake_case_fields():
    plan = RenderInput.from_data(sample_data())
    podinfo = plan.manifest_sets[3].bundles[2]
    assert plan.cluster.kubernetes_version == "1.31"
    assert plan.gitops.repo_url == "https://github.com/example/platform.git"
    assert podinfo.depends_on == ["services/web"]
    assert podinfo.chart == Chart(
        name="podinfo",
        repository="oci://ghcr.io/stefanprodan/charts",
        version="6.7.0",
        release_name="podinfo",
        values={"ui": {"message": "from modsys"}},
        values_files=["values/podinfo.yaml"],
        include_crds=False,
    )
    assert plan.manifest_sets[0].bundles[0].wait[0] == Wait(
        kind="CustomResourceDefinition", for_="condition=Established", timeout="60s"
    )
    data = plan.to_data()
    assert data["manifestSets"][3]["bundles"][2]["chart"]["includeCRDs"] is False
    assert data["manifestSets"][0]["bundles"][0]["wait"][0]["for"] == "condition=Established"


def test_bundles_take_their_batch_from_the_enclosing_batch():
    plan = RenderInput.from_data(sample_data())
    assert plan.manifest_sets[3].bundles[1].id == "services/web"


def test_defaults_fill_what_a_minimal_plan_leaves_out():
    plan = RenderInput.from_data({"manifestSets": [{"name": "a", "priority": 1}]})
    assert plan.cluster.kubernetes_version == "1.31"
    assert plan.gitops.target_revision == "HEAD" and plan.gitops.path == "."
    assert plan.production_guard is None and plan.files == {}
    chart = Chart(name="x", repository="https://r", version="1")
    assert chart.release_name == "x" and chart.include_crds is True


def test_a_file_may_be_given_as_bare_text():
    plan = RenderInput.from_data({"files": {"a.txt": "hi"}})
    assert plan.files == {"a.txt": GeneratedFile("hi", executable=False)}


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"manifestSets": [{"name": 1, "priority": 1}]}, "plan.manifestSets[0].name"),
        ({"manifestSets": [{"name": "a", "priority": "high"}]}, "plan.manifestSets[0].priority"),
        (
            {
                "manifestSets": [
                    {"name": "a", "priority": 1, "bundles": [{"name": "b", "dependsOn": "x"}]}
                ]
            },
            "plan.manifestSets[0].bundles[0].dependsOn",
        ),
        ({"manifestSets": [], "gitops": {"repoUrl": "x"}}, "plan.gitops"),
        ({"cluster": {"kubernetesVersion": 1.31}}, "plan.cluster.kubernetesVersion"),
    ],
)
def test_malformed_plans_name_the_offending_key(data, where):
    with pytest.raises(ValidationError) as err:
        RenderInput.from_data(data)
    assert any(where in p for p in err.value.problems), err.value.problems


def test_all_problems_are_reported_together():
    with pytest.raises(ValidationError) as err:
        RenderInput.from_data({"manifestSets": [{"name": 1, "priority": "x", "bogus": 1}]})
    assert len(err.value.problems) == 3
