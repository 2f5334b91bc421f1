"""The bundled examples: the README's first command, every render format, the multi-cluster set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from layer_helpers import REPO, bundles, evaluate

from modsys import mk_force
from modsys.errors import ValidationError
from modsys.platform import validate_plan
from modsys.render import RENDERERS
from modsys.render.pipeline import render_clusters, render_evaluation
from modsys.render.registry import GITOPS_FORMATS
from tests.secrets.keys import controller_cert_pem, controller_key, controller_unseal

EXAMPLES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "examples").glob("*.py"))
GITOPS = {"platform": {"kubernetes": {"gitops": {"repoURL": "https://git.example.test/deploy.git", "path": "clusters/x"}}}}


def test_examples_are_there():
    assert {"examples/local.py", "examples/production.py", "examples/multi-cluster.py"} <= set(EXAMPLES)


DB_PASSWORD = "s3cr3t-Pr0d!"


@pytest.fixture
def sealing(tmp_path, monkeypatch):
    """The production example's password in the environment, and a certificate of a key pair
    made for the test in place of the cluster's (the example names `sealed-secrets.pem`)."""
    monkeypatch.setenv("DB_PASSWORD", DB_PASSWORD)
    cert = tmp_path / "sealed-secrets.pem"
    cert.write_bytes(controller_cert_pem())
    return {"platform": {"kubernetes": {"cluster": {"sealedSecrets": {"certificate": mk_force(str(cert))}}}}}


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_example_renders_in_every_format(example, fmt, tmp_path, sealing):
    ev = evaluate(REPO / example, GITOPS, sealing)
    ev.check()
    validate_plan(ev)
    result = render_evaluation(ev, fmt, tmp_path / "out")
    assert result.files
    if fmt in GITOPS_FORMATS:
        assert_no_plaintext_secrets(tmp_path / "out")


def assert_no_plaintext_secrets(out):
    """No file of a GitOps tree holds the password, and no Secret in it holds any data."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        assert DB_PASSWORD not in text, path
        if path.suffix not in (".yaml", ".yml"):
            continue
        for doc in yaml.safe_load_all(text):
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                assert not doc.get("data") and not doc.get("stringData"), path


def test_production_keeps_its_password_out_of_the_modules(tmp_path, sealing):
    """`dir` takes it from the environment; `argocd` holds it only sealed, and the controller's
    key opens it; nothing renders without the variable."""
    ev = evaluate(REPO / "examples" / "production.py", GITOPS, sealing)
    assert DB_PASSWORD not in (REPO / "examples" / "production.py").read_text()
    render_evaluation(ev, "dir", tmp_path / "dir")
    (secret,) = (tmp_path / "dir").rglob("secret-db.yaml")
    assert yaml.safe_load(secret.read_text())["stringData"] == {"password": DB_PASSWORD}
    render_evaluation(ev, "argocd", tmp_path / "argocd")
    (sealed,) = (tmp_path / "argocd").rglob("sealedsecret-db.yaml")
    value = yaml.safe_load(sealed.read_text())["spec"]["encryptedData"]["password"]
    assert controller_unseal(controller_key(), value, b"webapp/db").decode() == DB_PASSWORD
    assert not list((tmp_path / "argocd").rglob("secret-db.yaml"))


def test_production_needs_its_password_when_rendering(tmp_path, monkeypatch):
    monkeypatch.delenv("DB_PASSWORD", raising=False)
    ev = evaluate(REPO / "examples" / "production.py", GITOPS)
    with pytest.raises(ValidationError, match="Secret webapp/db, key password: environment variable DB_PASSWORD is not set"):
        render_evaluation(ev, "dir", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_local_example_is_wookie_on_k3d():
    ev = evaluate(REPO / "examples" / "local.py")
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "k3d-wookie-local"
    assert set(bundles(ev)) == {
        "crds/istio-base", "namespaces/wookie-namespace", "operators/istiod", "operators/pxc-operator",
        "services/istio-ingressgateway", "services/pxc-cluster",
    }
    assert bundles(ev)["operators/istiod"]["chart"]["version"] == "1.24.2"


def test_production_example_is_guarded_and_hardened():
    from modsys.platform import build_plan

    ev = evaluate(REPO / "examples" / "production.py")
    assert build_plan(ev)["productionGuard"] == {"context": "prod-eu-1", "environment": "production"}
    assert ev.config.projects.webapp.environment == "production"
    assert "services/webapp" in bundles(ev)


def test_multi_cluster_example_renders_every_cluster(tmp_path):
    rendered = render_clusters(evaluate(REPO / "examples" / "multi-cluster.py"), "dir", tmp_path)
    assert sorted(rendered) == ["primary", "remote"]
    for name in rendered:
        assert (tmp_path / name / "create-clusters.sh").exists()


def _modsys(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "modsys", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_readme_first_command(tmp_path):
    """`modsys render examples/local.py --out out/local`, from the repository."""
    out = tmp_path / "out" / "local"
    proc = _modsys("render", "examples/local.py", "--out", str(out), cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    for name in ("apply.sh", "k3d.yaml", "create-cluster.sh", "delete-cluster.sh"):
        assert (out / name).is_file(), name


def test_bundled_example_by_name_from_anywhere(tmp_path):
    """`examples/local` (no suffix) names the bundled example from any working directory."""
    proc = _modsys("render", "examples/local", "--out", str(tmp_path / "o"),
                   "--set", "projects.wookie.pxc.size=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cr = (tmp_path / "o" / "03-services" / "01-pxc-cluster" / "perconaxtradbcluster-wookie-db.yaml").read_text()
    assert "size: 2" in cr


def test_cli_shows_who_won(tmp_path):
    proc = _modsys("why", "examples/local.py", "projects.wookie.pxc.size", "--set", "projects.wookie.pxc.size=2", cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert "examples/overlays/development.yaml" in proc.stdout
    assert "<command line --set>" in proc.stdout
