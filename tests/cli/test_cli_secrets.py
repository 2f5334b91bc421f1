"""References show as references in every command that shows configuration (`dump`, `eval`,
`why`, `diff`); literal Secret values stay redacted."""

from __future__ import annotations

import json

import pytest

SECRET = "platform.kubernetes.cluster.batches.services.bundles.app.resources.Secret.db"

MODULE = """
from modsys.platform.authoring import external, from_env

module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"app": {
    "namespace": "default",
    "resources": {"Secret": {
        "db": {"stringData": {"password": from_env("%s"), "user": "hunter2-literal"}},
        "ext": {"stringData": {"token": external("prod/api", "token", store="vault")}},
    }},
}}}}}}}}
"""


@pytest.fixture
def modules(write):
    write("a.py", MODULE % "DB_PASSWORD")
    write("b.py", MODULE % "DB_PASSWORD_V2")


def test_dump_shows_references_and_hides_literals(run, modules):
    r = run("dump", "a.py")
    assert r.exit_code == 0, r.output
    assert "password: <from env DB_PASSWORD>" in r.stdout
    assert "token: <external SecretStore vault key prod/api property token>" in r.stdout
    assert "user: <redacted>" in r.stdout
    assert "hunter2" not in r.stdout


def test_eval_shows_references(run, modules):
    r = run("eval", "a.py", "-A", f"{SECRET}.stringData.password")
    assert (r.exit_code, r.stdout) == (0, "<from env DB_PASSWORD>\n"), r.output
    r = run("eval", "a.py", "-A", f"{SECRET}.stringData", "--json")
    assert json.loads(r.stdout) == {"password": "<from env DB_PASSWORD>", "user": "<redacted>"}
    r = run("eval", "a.py", "-A", f"{SECRET}.stringData.user")
    assert "hunter2" not in r.stdout and "<redacted>" in r.stdout


@pytest.mark.parametrize("below", ["", ".stringData", ".stringData.password", ".stringData.user"])
def test_why_shows_references_and_hides_literals(run, modules, below):
    r = run("why", "a.py", SECRET + below)
    assert r.exit_code == 0, r.output
    assert "hunter2" not in r.stdout
    if not below.endswith("user"):
        assert "<from env DB_PASSWORD>" in r.stdout
    if below != ".stringData.password":
        assert "<redacted>" in r.stdout


def test_why_shows_literals_with_show_secrets(run, modules):
    r = run("why", "a.py", f"{SECRET}.stringData.user", "--show-secrets")
    assert "hunter2-literal" in r.stdout


def test_diff_shows_where_a_secret_comes_from(run, modules):
    r = run("diff", "a.py", "--", "b.py")
    assert "<from env DB_PASSWORD> → <from env DB_PASSWORD_V2>" in r.stdout, r.output
    assert "hunter2" not in r.stdout
