"""`modsys plan --format`: every format from the command line, on a module and an example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from modsys.cli.app import cli

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def example() -> str:
    return str(REPO / "examples" / "local.py")


def test_text_is_the_default(example):
    assert run("plan", example) == run("plan", example, "--format", "text")
    assert "batch crds  priority 100" in run("plan", example)


def test_json_is_the_plan_data(example):
    data = json.loads(run("plan", example, "--format", "json"))
    assert [b["name"] for b in data["manifestSets"]] == ["crds", "namespaces", "operators",
                                                         "services"]
    assert data["cluster"]["context"] == "k3d-wookie-local"


def test_json_redacts_secrets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(
        'module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": '
        '{"web": {"namespace": "default", "resources": {"Secret": {"creds": '
        '{"stringData": {"password": "hunter2"}}}}}}}}}}}}\n'
    )
    out = run("plan", "app.py", "--format", "json")
    assert "hunter2" not in out and "<redacted>" in out


def test_dot_and_mermaid(example):
    dot = run("plan", example, "--format", "dot")
    assert dot.startswith("digraph plan {") and 'label="plan for k3d-wookie-local";' in dot
    assert 'subgraph cluster_s3 {\n    label="services (priority 600)";' in dot
    mermaid = run("plan", example, "--format", "mermaid")
    assert mermaid.startswith("flowchart LR\n")
    assert mermaid.count("subgraph ") == 4
    assert "  n3 -->|" in mermaid  # pxc-operator -> pxc-cluster, labelled with its wait
