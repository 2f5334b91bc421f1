"""Sealing for the Bitnami sealed-secrets controller: what modsys writes opens with the
controller's algorithm (re-implemented here from its documented format, independently of
`modsys.secrets.seal`), and only for the scope it was sealed for."""

from __future__ import annotations

import base64

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from modsys.secrets import SealingError, SealingScope, load_public_key, seal_secret
from tests.needs import shared_path
from tests.secrets.keys import controller_cert_pem, controller_key, controller_unseal


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return controller_key()


@pytest.fixture(scope="module")
def cert_pem() -> bytes:
    return controller_cert_pem()


SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "shop"}},
    "type": "Opaque",
    "data": {"user": base64.b64encode(b"root").decode()},
    "stringData": {"password": "s3cr3t-Pr0d!"},
}


def test_sealed_values_open_with_the_controller_algorithm_under_the_strict_label(key, cert_pem):
    sealed = seal_secret(SECRET, load_public_key(cert_pem))
    data = sealed["spec"]["encryptedData"]
    assert controller_unseal(key, data["password"], b"shop/db") == b"s3cr3t-Pr0d!"
    assert controller_unseal(key, data["user"], b"shop/db") == b"root"
    assert sealed["spec"]["template"] == {
        "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "shop"}},
        "type": "Opaque",
    }
    assert "s3cr3t" not in yaml.safe_dump(sealed)


def test_a_strict_value_does_not_open_under_another_name(key, cert_pem):
    sealed = seal_secret(SECRET, load_public_key(cert_pem))
    with pytest.raises(ValueError):
        controller_unseal(key, sealed["spec"]["encryptedData"]["password"], b"shop/other")


@pytest.mark.parametrize(
    ("scope", "label", "annotation"),
    [
        (SealingScope.NAMESPACE_WIDE, b"shop", "sealedsecrets.bitnami.com/namespace-wide"),
        (SealingScope.CLUSTER_WIDE, b"", "sealedsecrets.bitnami.com/cluster-wide"),
    ],
)
def test_wider_scopes_use_their_label_and_announce_themselves(key, cert_pem, scope, label, annotation):
    sealed = seal_secret(SECRET, load_public_key(cert_pem), scope)
    assert sealed["metadata"]["annotations"] == {annotation: "true"}
    assert controller_unseal(key, sealed["spec"]["encryptedData"]["password"], label) == b"s3cr3t-Pr0d!"


def test_each_sealing_is_a_different_ciphertext_of_the_same_data(key, cert_pem):
    public = load_public_key(cert_pem)
    one, two = (seal_secret(SECRET, public)["spec"]["encryptedData"]["password"] for _ in "12")
    assert one != two
    assert controller_unseal(key, one, b"shop/db") == controller_unseal(key, two, b"shop/db")


def test_a_pem_public_key_works_like_the_certificate(key):
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    sealed = seal_secret(SECRET, load_public_key(pem))
    assert controller_unseal(key, sealed["spec"]["encryptedData"]["user"], b"shop/db") == b"root"


def test_unusable_certificates_are_clear_errors(tmp_path):
    with pytest.raises(SealingError, match="neither a PEM certificate nor a PEM public key"):
        load_public_key(b"not a certificate", source="cluster.pem")
    with pytest.raises(SealingError, match=r"cannot read the sealing certificate .*missing\.pem"):
        load_public_key(tmp_path / "missing.pem")
    ec_pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(SealingError, match="does not hold an RSA key"):
        load_public_key(ec_pem)


def test_bad_secrets_are_refused_without_showing_their_values(cert_pem):
    public = load_public_key(cert_pem)
    bad = {**SECRET, "data": {"user": "%%%not-base64-hunter2"}}
    with pytest.raises(SealingError, match=r"data\.user is not valid base64") as info:
        seal_secret(bad, public)
    assert "hunter2" not in str(info.value)
    with pytest.raises(SealingError, match="needs a name and a namespace"):
        seal_secret({**SECRET, "metadata": {"name": "db"}}, public)


def test_the_sealed_secret_validates_against_the_published_crd(cert_pem):
    import jsonschema

    crd = yaml.safe_load(
        shared_path("schemas", "crds", "sealed-secrets", "bitnami.com_sealedsecrets.yaml").read_text()
    )
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    sealed = seal_secret(SECRET, load_public_key(cert_pem), SealingScope.NAMESPACE_WIDE)
    jsonschema.validate(sealed, schema)
    assert (crd["spec"]["group"], crd["spec"]["names"]["kind"]) == ("bitnami.com", "SealedSecret")
