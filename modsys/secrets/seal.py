"""Seal a Kubernetes Secret for the Bitnami sealed-secrets controller.

The format is the controller's own (its `pkg/crypto` hybrid encryption), so nothing but the
controller's private key can open what modsys writes into a GitOps tree:

    value = len(rsa) as 2 bytes, big-endian ‖ rsa ‖ aes
    rsa   = RSA-OAEP(SHA-256, label)(session key)          the key of the controller's cert
    aes   = AES-256-GCM(session key, nonce = 12 zero bytes)(plaintext) with its 16-byte tag

A fresh 32-byte session key per value makes the all-zero nonce safe (each key encrypts once),
and makes every sealing of the same value a different ciphertext. The OAEP label binds the value
to where it may be unsealed (the scope): `namespace/name` (strict, the default), `namespace`
(namespace-wide) or nothing (cluster-wide); the two wider scopes are also announced by an
annotation, which the controller reads to choose the label when it unseals.
"""

from __future__ import annotations

import base64
import binascii
import enum
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from modsys.errors import ModsysError

SESSION_KEY_BYTES = 32
_NONCE = bytes(12)
_ANNOTATIONS = {
    "namespace-wide": "sealedsecrets.bitnami.com/namespace-wide",
    "cluster-wide": "sealedsecrets.bitnami.com/cluster-wide",
}


class SealingError(ModsysError):
    """A Secret that cannot be sealed: no usable certificate, bad data, a wrong key."""


class SealingScope(enum.Enum):
    """Where a sealed value may be unsealed (kubeseal's `--scope`)."""

    STRICT = "strict"
    NAMESPACE_WIDE = "namespace-wide"
    CLUSTER_WIDE = "cluster-wide"


def encryption_label(namespace: str, name: str, scope: SealingScope) -> bytes:
    """The OAEP label that pins a value to its scope."""
    if scope is SealingScope.STRICT:
        return f"{namespace}/{name}".encode()
    if scope is SealingScope.NAMESPACE_WIDE:
        return namespace.encode()
    return b""


def _oaep(label: bytes) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=label)


def hybrid_encrypt(public_key: rsa.RSAPublicKey, plaintext: bytes, label: bytes) -> bytes:
    """One value sealed for `public_key` (see the module docstring for the layout)."""
    session_key = os.urandom(SESSION_KEY_BYTES)
    wrapped = public_key.encrypt(session_key, _oaep(label))
    sealed = AESGCM(session_key).encrypt(_NONCE, plaintext, None)
    return len(wrapped).to_bytes(2, "big") + wrapped + sealed


def hybrid_decrypt(private_key: rsa.RSAPrivateKey, ciphertext: bytes, label: bytes) -> bytes:
    """What the controller does to unseal one value; modsys uses it only to prove its output."""
    if len(ciphertext) < 2:
        raise SealingError("sealed value is too short")
    size = int.from_bytes(ciphertext[:2], "big")
    wrapped, sealed = ciphertext[2 : 2 + size], ciphertext[2 + size :]
    try:
        session_key = private_key.decrypt(wrapped, _oaep(label))
        return AESGCM(session_key).decrypt(_NONCE, sealed, None)
    except (ValueError, InvalidTag) as exc:
        raise SealingError("sealed value does not open with this key and scope") from exc


def load_public_key(pem: bytes | str | Path, *, source: str = "") -> rsa.RSAPublicKey:
    """The RSA key of the controller's certificate (`kubeseal --fetch-cert`), or of a PEM
    public key. `pem` is the PEM text or a path to it; `source` names it in errors."""
    where = source
    if isinstance(pem, Path):
        where = where or str(pem)
        try:
            pem = pem.read_bytes()
        except OSError as exc:
            raise SealingError(f"cannot read the sealing certificate {where}: {exc.strerror}") from exc
    data = pem.encode() if isinstance(pem, str) else pem
    where = where or "the sealing certificate"
    key: Any
    try:
        key = x509.load_pem_x509_certificate(data).public_key()
    except ValueError:
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError as exc:
            raise SealingError(
                f"{where} is neither a PEM certificate nor a PEM public key"
            ) from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SealingError(f"{where} does not hold an RSA key (sealed-secrets uses RSA)")
    return key


def _plain_data(secret: Mapping[str, Any], where: str) -> dict[str, bytes]:
    """The Secret's entries as bytes: `data` base64-decoded, then `stringData` over it, as the
    API server merges them."""
    out: dict[str, bytes] = {}
    for key, value in sorted((secret.get("data") or {}).items()):
        try:
            out[key] = base64.b64decode(str(value), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SealingError(f"{where}: data.{key} is not valid base64") from exc
    for key, value in sorted((secret.get("stringData") or {}).items()):
        out[key] = str(value).encode()
    return out


def seal_secret(
    secret: Mapping[str, Any],
    public_key: rsa.RSAPublicKey,
    scope: SealingScope = SealingScope.STRICT,
) -> dict[str, Any]:
    """A `bitnami.com/v1alpha1` SealedSecret carrying `secret` (a complete Secret object, with
    its namespace) encrypted for `public_key`. The Secret's labels, annotations and type go to
    the template the controller recreates it from."""
    meta = secret.get("metadata") or {}
    name, namespace = meta.get("name"), meta.get("namespace")
    where = f"Secret {namespace}/{name}"
    if not name or not namespace:
        raise SealingError(f"{where}: a Secret needs a name and a namespace to be sealed")
    label = encryption_label(namespace, name, scope)
    encrypted = {
        key: base64.b64encode(hybrid_encrypt(public_key, value, label)).decode("ascii")
        for key, value in _plain_data(secret, where).items()
    }
    template_meta: dict[str, Any] = {"name": name, "namespace": namespace}
    for field in ("labels", "annotations"):
        if meta.get(field):
            template_meta[field] = dict(meta[field])
    template: dict[str, Any] = {"metadata": template_meta}
    if secret.get("type"):
        template["type"] = secret["type"]
    if secret.get("immutable") is not None:
        template["immutable"] = secret["immutable"]
    sealed_meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if scope is not SealingScope.STRICT:
        sealed_meta["annotations"] = {_ANNOTATIONS[scope.value]: "true"}
    return {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": sealed_meta,
        "spec": {"encryptedData": encrypted, "template": template},
    }
