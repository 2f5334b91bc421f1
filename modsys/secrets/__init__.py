"""Secrets that can live in git: Bitnami SealedSecrets (`seal`), more to come.

A product package: the engine knows nothing of it.
"""

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
    "SealingError",
    "SealingScope",
    "encryption_label",
    "hybrid_decrypt",
    "hybrid_encrypt",
    "load_public_key",
    "seal_secret",
]
