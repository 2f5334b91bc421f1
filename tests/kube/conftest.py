"""Fixtures for the Kubernetes library tests: the shared schema folder and sample objects."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
import yaml
from kube_samples import make_deployment

from tests.needs import SHARED, shared_path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # appended, so an installed or explicitly chosen modsys wins
    sys.path.append(str(REPO))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared reference data (`../shared` or `$MODSYS_SHARED_DIR`)."""
    shared_path("schemas")
    return SHARED


def _load_all(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [
            doc
            for doc in yaml.load_all(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            if doc
        ]


@pytest.fixture(scope="session")
def pxc_crds(shared_dir: Path) -> list[dict]:
    return _load_all(shared_dir / "schemas" / "crds" / "pxc" / "crd.yaml")


@pytest.fixture(scope="session")
def _pxc_cr(shared_dir: Path) -> dict:
    return _load_all(shared_dir / "schemas" / "crds" / "pxc" / "cr.yaml")[0]


@pytest.fixture
def pxc_cr(_pxc_cr: dict) -> dict:
    """Upstream's example PerconaXtraDBCluster; a fresh copy per test, free to mutate."""
    return copy.deepcopy(_pxc_cr)


@pytest.fixture(scope="session")
def all_crds(shared_dir: Path) -> list[dict]:
    """Every CRD in the shared folder (Argo CD, Flux, Fleet, PXC)."""
    docs: list[dict] = []
    for path in sorted((shared_dir / "schemas" / "crds").glob("*/*.yaml")):
        docs.extend(d for d in _load_all(path) if d.get("kind") == "CustomResourceDefinition")
    return docs


@pytest.fixture
def deployment() -> dict:
    return make_deployment()
