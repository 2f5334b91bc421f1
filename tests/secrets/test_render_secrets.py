"""Secrets through the render pipeline: what each output format may hold, and nothing written
when a Secret cannot be made fit for it."""

from __future__ import annotations

import base64

import pytest
import yaml

from modsys import eval_modules, mk_force
from modsys.errors import ValidationError
from modsys.kube.known import CRD_DIR, KNOWN_CRD_FILES
from modsys.platform import PLATFORM_MODULE, validate_plan
from modsys.platform.authoring import external, from_env, from_file
from modsys.render.pipeline import render_files
from modsys.render.registry import GITOPS_FORMATS, RENDERERS
from tests.needs import shared_path
from tests.secrets.keys import controller_cert_pem, controller_key, controller_unseal

PASSWORD = "s3cr3t-Pr0d!"
DIRECT = sorted(set(RENDERERS) - GITOPS_FORMATS)
GITOPS = sorted(GITOPS_FORMATS)
ALL_EXTERNAL = ["bitnami.com/SealedSecret", "external-secrets.io/ExternalSecret"]


def config(secrets, *, external_crds=ALL_EXTERNAL, cluster=None, bundle=None):
    """A bundle `app` in namespace `shop` with `secrets` as resources.Secret, and a repo URL."""
    return {
        "_file": "test.py",
        "platform": {"kubernetes": {
            "gitops": {"repoURL": "https://git.example.test/deploy.git"},
            "cluster": {
                "externalCRDs": external_crds,
                "externalNamespaces": ["shop"],
                **(cluster or {}),
                "batches": {"services": {"bundles": {"app": {
                    "namespace": "shop",
                    "resources": {"Secret": secrets},
                    **(bundle or {}),
                }}}},
            },
        }},
    }


def evaluate(*modules):
    return eval_modules([PLATFORM_MODULE, *modules])


def objects(files):
    out = []
    for path, data in sorted(files.items()):
        if path.endswith((".yaml", ".yml")):
            out.extend(d for d in yaml.safe_load_all(data) if isinstance(d, dict))
    return out


def by_kind(files, kind):
    return [o for o in objects(files) if o.get("kind") == kind]


@pytest.fixture
def cert(tmp_path):
    path = tmp_path / "cert.pem"
    path.write_bytes(controller_cert_pem())
    return {"_file": "cert.py", "platform": {"kubernetes": {"cluster": {"sealedSecrets": {"certificate": str(path)}}}}}


LITERAL = {"db": {"stringData": {"password": PASSWORD}}}
FROM_ENV = {"db": {"stringData": {"password": from_env("DB_PASSWORD"), "user": "shop"}}}
EXTERNAL = {"db": {"type": "Opaque", "stringData": {
    "password": external("prod/db", "password", store="vault", cluster_store=True),
}}}


@pytest.mark.parametrize("fmt", GITOPS)
@pytest.mark.parametrize("secrets", [LITERAL, FROM_ENV], ids=["literal", "from-env"])
def test_gitops_formats_refuse_plaintext_naming_the_ways_out(fmt, secrets, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    with pytest.raises(ValidationError) as info:
        render_files(evaluate(config(secrets)), fmt)
    text = str(info.value)
    assert f"Secret shop/db would be written in plaintext into the {fmt} tree" in text
    assert "platform.kubernetes.cluster.sealedSecrets.certificate" in text
    assert "external(" in text
    assert "platform.kubernetes.cluster.allowPlaintextSecrets = true" in text
    assert "defined in test.py" in text
    assert PASSWORD not in text


@pytest.mark.parametrize("fmt", GITOPS)
def test_gitops_formats_write_sealed_secrets_that_the_controller_opens(fmt, cert, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    files = render_files(evaluate(config(FROM_ENV), cert), fmt).files
    assert not by_kind(files, "Secret")
    assert all(PASSWORD.encode() not in data for data in files.values())
    (sealed,) = by_kind(files, "SealedSecret")
    data = sealed["spec"]["encryptedData"]
    assert controller_unseal(controller_key(), data["password"], b"shop/db").decode() == PASSWORD
    assert controller_unseal(controller_key(), data["user"], b"shop/db") == b"shop"
    assert sealed["metadata"]["labels"]["modsys.io/bundle"] == "app"


@pytest.mark.parametrize("fmt", GITOPS + DIRECT)
def test_external_entries_become_an_external_secret_in_every_format(fmt):
    files = render_files(evaluate(config(EXTERNAL)), fmt).files
    assert not by_kind(files, "Secret")
    (es,) = by_kind(files, "ExternalSecret")
    assert es["spec"]["secretStoreRef"] == {"name": "vault", "kind": "ClusterSecretStore"}
    assert es["spec"]["data"] == [
        {"secretKey": "password", "remoteRef": {"key": "prod/db", "property": "password"}}
    ]
    assert es["spec"]["refreshInterval"] == "1h"


@pytest.mark.parametrize("fmt", GITOPS)
def test_allow_plaintext_secrets_writes_them_as_they_are(fmt, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    allow = {"allowPlaintextSecrets": True}
    files = render_files(evaluate(config(FROM_ENV, cluster=allow)), fmt).files
    (secret,) = by_kind(files, "Secret")
    assert secret["stringData"] == {"password": PASSWORD, "user": "shop"}


@pytest.mark.parametrize("fmt", DIRECT)
def test_direct_formats_resolve_render_time_references(fmt, tmp_path, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    (tmp_path / "token").write_text("t0k3n\n")
    secrets = {**FROM_ENV, "api": {"stringData": {"token": from_file(tmp_path / "token")}}}
    files = render_files(evaluate(config(secrets)), fmt).files
    found = {s["metadata"]["name"]: s["stringData"] for s in by_kind(files, "Secret")}
    assert found == {"db": {"password": PASSWORD, "user": "shop"}, "api": {"token": "t0k3n"}}


@pytest.mark.parametrize("fmt", ["dir", "argocd"])
def test_a_missing_variable_names_the_secret_and_key_and_nothing_is_written(fmt, cert, monkeypatch):
    monkeypatch.delenv("DB_PASSWORD", raising=False)
    with pytest.raises(ValidationError, match=r"Secret shop/db, key password: environment variable DB_PASSWORD is not set"):
        render_files(evaluate(config(FROM_ENV), cert), fmt)


def test_sealing_differs_between_renders_and_nothing_else_does(cert, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    ev = evaluate(config({**FROM_ENV, "other": {"stringData": {"a": "b"}}}), cert)
    one, two = (render_files(ev, "argocd").files for _ in "12")
    assert one.keys() == two.keys()
    changed = {path for path in one if one[path] != two[path]}
    assert changed and all("sealedsecret-" in path for path in changed)
    for path in changed:
        a, b = (yaml.safe_load(f[path])["spec"]["encryptedData"] for f in (one, two))
        name = yaml.safe_load(one[path])["metadata"]["name"]
        for key in a:
            assert a[key] != b[key]
            label = f"shop/{name}".encode()
            assert controller_unseal(controller_key(), a[key], label) == controller_unseal(controller_key(), b[key], label)


@pytest.mark.parametrize(
    ("scope", "label", "annotation"),
    [("namespace-wide", b"shop", "sealedsecrets.bitnami.com/namespace-wide"),
     ("cluster-wide", b"", "sealedsecrets.bitnami.com/cluster-wide")],
)
def test_the_sealing_scope_is_an_option(cert, scope, label, annotation):
    ev = evaluate(config(LITERAL, cluster={"sealedSecrets": {"scope": scope}}), cert)
    (sealed,) = by_kind(render_files(ev, "flux").files, "SealedSecret")
    assert sealed["metadata"]["annotations"][annotation] == "true"
    assert controller_unseal(controller_key(), sealed["spec"]["encryptedData"]["password"], label).decode() == PASSWORD


def test_data_entries_are_sealed_too(cert):
    secrets = {"db": {"data": {"user": base64.b64encode(b"root").decode()}}}
    (sealed,) = by_kind(render_files(evaluate(config(secrets), cert), "kustomize").files, "SealedSecret")
    assert controller_unseal(controller_key(), sealed["spec"]["encryptedData"]["user"], b"shop/db") == b"root"


def test_a_certificate_that_cannot_be_read_is_one_problem_at_the_option(tmp_path):
    missing = {"_file": "cert.py", "platform": {"kubernetes": {"cluster": {"sealedSecrets": {
        "certificate": str(tmp_path / "nope.pem")}}}}}
    secrets = {"a": {"stringData": {"x": "1"}}, "b": {"stringData": {"y": "2"}}}
    with pytest.raises(ValidationError) as info:
        render_files(evaluate(config(secrets), missing), "argocd")
    assert len(info.value.problems) == 1
    assert "platform.kubernetes.cluster.sealedSecrets.certificate: cannot read the sealing certificate" in str(info.value)
    assert "kubeseal --fetch-cert" in str(info.value)


def test_a_relative_certificate_path_is_taken_from_the_defining_module(tmp_path):
    module = tmp_path / "site" / "cluster.py"
    module.parent.mkdir()
    module.write_text('module = {"platform": {"kubernetes": {"cluster": {"sealedSecrets": {"certificate": "./keys/cert.pem"}}}}}\n')
    ev = evaluate(module)
    assert ev.config.platform.kubernetes.cluster.sealedSecrets.certificate == str(tmp_path / "site" / "keys" / "cert.pem")


# --- the controller rule and validation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("secrets", "kind", "fmt"),
    [(LITERAL, "bitnami.com/SealedSecret", "argocd"), (EXTERNAL, "external-secrets.io/ExternalSecret", "dir")],
)
def test_sealed_and_external_secrets_need_their_controller(secrets, kind, fmt, cert):
    with pytest.raises(ValidationError) as info:
        render_files(evaluate(config(secrets, external_crds=[]), cert), fmt)
    assert f"no CRD in the plan for {kind} (served by the " in str(info.value)
    assert f"list {kind} in platform.kubernetes.cluster.externalCRDs" in str(info.value)


def test_the_controller_may_be_in_the_plan(cert):
    crd = yaml.safe_load((CRD_DIR / "bitnami.com_sealedsecrets.yaml").read_text())
    crds = {"_file": "crds.py", "platform": {"kubernetes": {"cluster": {"batches": {"crds": {"bundles": {
        "sealed-secrets-crds": {"manifests": [crd]}}}}}}}}
    files = render_files(evaluate(config(LITERAL, external_crds=[]), cert, crds), "fleet").files
    assert len(by_kind(files, "SealedSecret")) == 1


def test_written_objects_are_validated_against_the_known_crds():
    """An ExternalSecret with a bad refresh interval reaches the CRD's schema (through the
    bundled CRD, the controller being external)."""
    bad = {"_file": "bad.py", "platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"app": {
        "manifests": [{"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                       "metadata": {"name": "x"}, "spec": {"target": {"creationPolicy": "Sometimes"}}}]}}}}}}}}
    with pytest.raises(ValidationError, match="creationPolicy"):
        render_files(evaluate(config({}), bad), "dir")


@pytest.mark.parametrize("name", KNOWN_CRD_FILES)
def test_the_bundled_crds_are_the_published_ones(name):
    group = "sealed-secrets" if name.startswith("bitnami") else "external-secrets"
    assert (CRD_DIR / name).read_bytes() == shared_path("schemas", "crds", group, name).read_bytes()


def test_references_pass_validation_and_misplaced_ones_are_problems():
    validate_plan(evaluate(config(FROM_ENV)))  # `modsys validate`: a reference is a string
    misplaced = {"_file": "bad.py", "platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"app": {
        "resources": {"ConfigMap": {"c": {"data": {"pw": from_env("DB_PASSWORD")}}}}}}}}}}}}
    with pytest.raises(ValidationError) as info:
        validate_plan(evaluate(config({}), misplaced))
    assert "data.pw: <from env DB_PASSWORD> is a secret reference, which may only be the value of a Secret's stringData entry" in str(info.value)
    with pytest.raises(ValidationError, match=r"data\.pw: <from env DB_PASSWORD> is a secret reference"):
        render_files(evaluate(config({}), misplaced), "dir", validate=False)


def chart_with(values):
    return {"chart": {"name": "x", "repository": "https://charts.example.test", "version": "1.0.0", "values": values}}


def test_chart_values_take_render_time_references_only_where_plaintext_is_fine(monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    values = {"auth": {"password": from_env("DB_PASSWORD")}, "replicas": 2}
    ev = evaluate(config({}, bundle=chart_with(values)))
    files = render_files(ev, "dir").files
    assert any(PASSWORD.encode() in data for data in files.values())
    for fmt in GITOPS:
        with pytest.raises(ValidationError) as info:
            render_files(ev, fmt)
        text = str(info.value)
        assert f"chart.values.auth.password: <from env DB_PASSWORD> would be written in plaintext into the {fmt} tree" in text
        assert "existingSecret" in text and PASSWORD not in text
    allowed = evaluate(config({}, bundle=chart_with(values), cluster={"allowPlaintextSecrets": True}))
    assert any(PASSWORD.encode() in data for data in render_files(allowed, "flux").files.values())


def test_chart_values_cannot_be_external():
    ev = evaluate(config({}, bundle=chart_with({"token": external("k", store="s")})))
    with pytest.raises(ValidationError, match="cannot be a chart value"):
        render_files(ev, "dir")


def test_an_external_secret_mixing_literals_is_a_problem():
    secrets = {"db": {"stringData": {"a": "literal", "b": external("k", store="s")}}}
    with pytest.raises(ValidationError, match="every entry of an external Secret must be external"):
        render_files(evaluate(config(secrets)), "dir")


def test_overriding_a_reference_works_like_any_value(monkeypatch):
    monkeypatch.setenv("OTHER", "x")
    override = {"_file": "o.py", "platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"app": {
        "resources": {"Secret": {"db": {"stringData": {"password": mk_force(from_env("OTHER"))}}}}}}}}}}}}
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    files = render_files(evaluate(config(FROM_ENV), override), "stream").files
    (secret,) = by_kind(files, "Secret")
    assert secret["stringData"]["password"] == "x"
