"""CRDs modsys knows without a plan: those of the objects it writes itself.

modsys turns Secrets into `SealedSecret` (Bitnami sealed-secrets) and `ExternalSecret` (External
Secrets Operator) objects, so it ships those two published CRDs (`data/crds/`, see its README)
and validates such objects against them when the controller is installed outside the plan (its
CRD listed in `platform.kubernetes.cluster.externalCRDs`). A CRD of the same group and kind in
the plan replaces the known one, and without either the usual "no CRD in the plan" rule applies.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from modsys.kube.kinds import CustomResourceIndex

CRD_DIR = Path(__file__).with_name("data") / "crds"
KNOWN_CRD_FILES = ("bitnami.com_sealedsecrets.yaml", "external-secrets.io_externalsecrets.yaml")

SEALED_SECRET = ("bitnami.com", "SealedSecret")
EXTERNAL_SECRET = ("external-secrets.io", "ExternalSecret")
CONTROLLERS = {
    SEALED_SECRET: "the sealed-secrets controller",
    EXTERNAL_SECRET: "the External Secrets Operator",
}
"""Who serves each known kind, for messages."""


@functools.cache
def known_crds() -> CustomResourceIndex:
    """The bundled CRDs, parsed once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs: list[Any] = []
    for name in KNOWN_CRD_FILES:
        with (CRD_DIR / name).open(encoding="utf-8") as fh:
            docs.extend(d for d in yaml.load_all(fh, Loader=loader) if d)
    return CustomResourceIndex.from_objects(docs)


__all__ = ["CONTROLLERS", "EXTERNAL_SECRET", "KNOWN_CRD_FILES", "SEALED_SECRET", "known_crds"]
