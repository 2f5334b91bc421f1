"""Secrets that can live in git: values given as references (`refs`: read when rendering, or
fetched by the cluster through the External Secrets Operator) and Bitnami SealedSecrets (`seal`).

A product package: the engine knows nothing of it. The sealing names load `cryptography` on
first use only, so that evaluating modules that merely write references stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from modsys.secrets.refs import (
    External,
    FromEnv,
    FromFile,
    SecretRef,
    SecretSourceError,
    external,
    external_secret,
    from_env,
    from_file,
    is_reference,
    resolve,
)

if TYPE_CHECKING:
    from modsys.secrets.seal import (
        SealingError,
        SealingScope,
        encryption_label,
        hybrid_decrypt,
        hybrid_encrypt,
        load_public_key,
        seal_secret,
    )

_SEAL_NAMES = frozenset({
    "SealingError",
    "SealingScope",
    "encryption_label",
    "hybrid_decrypt",
    "hybrid_encrypt",
    "load_public_key",
    "seal_secret",
})


def __getattr__(name: str) -> Any:
    if name in _SEAL_NAMES:
        return getattr(importlib.import_module("modsys.secrets.seal"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "External",
    "FromEnv",
    "FromFile",
    "SealingError",
    "SealingScope",
    "SecretRef",
    "SecretSourceError",
    "encryption_label",
    "external",
    "external_secret",
    "from_env",
    "from_file",
    "hybrid_decrypt",
    "hybrid_encrypt",
    "is_reference",
    "load_public_key",
    "resolve",
    "seal_secret",
]
