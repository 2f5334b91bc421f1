"""A sealed-secrets controller key pair made for the tests, and the controller's side of
unsealing (re-implemented from its documented format, independently of `modsys.secrets.seal`)."""

from __future__ import annotations

import base64
import datetime
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID


@functools.cache
def controller_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def controller_cert_pem() -> bytes:
    """A self-signed certificate of `controller_key()`, as `kubeseal --fetch-cert` prints."""
    key = controller_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sealed-secret")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def controller_unseal(key: rsa.RSAPrivateKey, value: str, label: bytes) -> bytes:
    """The controller's side: split, unwrap the session key with OAEP(SHA-256, label), open
    AES-256-GCM with a zero nonce."""
    raw = base64.b64decode(value)
    size = int.from_bytes(raw[:2], "big")
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=label)
    session_key = key.decrypt(raw[2 : 2 + size], oaep)
    assert len(session_key) == 32
    return AESGCM(session_key).decrypt(bytes(12), raw[2 + size :], None)
