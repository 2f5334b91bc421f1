"""References show as references in every command that shows configuration (`dump`, `eval`,
`why`, `diff`); literal Secret values stay redacted."""

from __future__ import annotations

import json

import pytest
import yaml

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


APP = """
from modsys.platform.authoring import from_env

module = {"platform": {"kubernetes": {
    "gitops": {"repoURL": "https://git.example.test/deploy.git"},
    "cluster": {
        "externalCRDs": ["bitnami.com/SealedSecret"],
        "externalNamespaces": ["shop"],
        "batches": {"services": {"bundles": {"app": {
            "namespace": "shop",
            "resources": {"Secret": {"db": {"stringData": {"password": from_env("DB_PASSWORD")}}}},
        }}}},
    },
}}}
"""


def test_render_without_the_variable_names_secret_and_key_and_writes_nothing(run, write, workdir):
    write("app.py", APP)
    r = run("render", "app.py", "--out", "out", env={"DB_PASSWORD": None})
    assert r.exit_code == 1
    assert "Secret shop/db, key password: environment variable DB_PASSWORD is not set" in r.output
    assert not (workdir / "out").exists()


def test_render_seals_for_a_certificate_given_on_the_command_line(run, write, workdir):
    from tests.secrets.keys import controller_cert_pem, controller_key, controller_unseal

    write("app.py", APP)
    (workdir / "cert.pem").write_bytes(controller_cert_pem())
    cert = "--set=platform.kubernetes.cluster.sealedSecrets.certificate=cert.pem"
    r = run("render", "app.py", "--format", "argocd", "--out", "out", cert, env={"DB_PASSWORD": "pw-123"})
    assert r.exit_code == 0, r.output
    (sealed,) = (workdir / "out").rglob("sealedsecret-db.yaml")
    value = yaml.safe_load(sealed.read_text())["spec"]["encryptedData"]["password"]
    assert controller_unseal(controller_key(), value, b"shop/db") == b"pw-123"
    assert not any(b"pw-123" in p.read_bytes() for p in (workdir / "out").rglob("*") if p.is_file())


def test_validate_for_a_format_checks_the_secrets_too(run, write, workdir):
    write("app.py", APP)
    assert run("validate", "app.py", env={"DB_PASSWORD": None}).exit_code == 0  # no format: a string
    r = run("validate", "app.py", "--format", "dir", env={"DB_PASSWORD": None})
    assert r.exit_code == 1 and "DB_PASSWORD is not set" in r.output
    r = run("validate", "app.py", "--format", "flux", env={"DB_PASSWORD": "pw-123"})
    assert r.exit_code == 1 and "would be written in plaintext into the flux tree" in r.output
    r = run("validate", "app.py", "--format", "stream", env={"DB_PASSWORD": "pw-123"})
    assert r.exit_code == 0, r.output
    assert "pw-123" not in r.output
    assert not any(workdir.rglob("*.yaml"))
