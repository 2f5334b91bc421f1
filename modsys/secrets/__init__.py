"""Secrets that can live in git: values given as references (`refs`: read when rendering, or
fetched by the cluster through the External Secrets Operator) and Bitnami SealedSecrets (`seal`).

A product package: the engine knows nothing of it.
"""

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
from modsys.secrets.seal import (
    SealingError,
    SealingScope,
    encryption_label,
    hybrid_decrypt,
    hybrid_encrypt,
    load_public_key,
    seal_secret,
)

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
