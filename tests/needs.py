"""What some tests need from outside the repository, and what happens when it is missing.

The NixOS-conformance, published-schema and chart tests read the reference data beside the
repository (`../shared`, or `$MODSYS_SHARED_DIR`); the kustomize tests run a real `kubectl`. A
newcomer's clone may have neither: those tests skip, and the run ends with one summary line per
missing thing (see `tests/conftest.py`). Under `CI=true` a missing requirement fails the test
instead, so that CI can never go green by skipping the checks the README advertises.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MODSYS_SHARED_DIR") or REPO.parent / "shared")

#: Every skip for a missing requirement starts with this, so the summary can count them.
MISSING = "missing requirement: "


def in_ci() -> bool:
    """True when the CI convention variable says so (`CI=true`, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(what: str) -> NoReturn:
    """Skip the current test, or fail it under `CI=true`, because `what` is not there."""
    if in_ci():
        pytest.fail(f"{MISSING}{what} (required when CI=true)", pytrace=False)
    pytest.skip(f"{MISSING}{what}")


def shared_path(*parts: str) -> Path:
    """A path inside the shared reference data, or a skip/failure naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{SHARED} (the shared reference data; set MODSYS_SHARED_DIR)")
    return path


def tool(name: str) -> str:
    """The full path of an external command, or a skip/failure naming it."""
    found = shutil.which(name)
    if found is None:
        missing(f"the `{name}` command on PATH")
    return found


def kubectl_with_kustomize() -> str:
    """A `kubectl` whose built-in kustomize is v5 or newer (the output uses `sortOptions`,
    which older kustomize rejects; Debian 12's kubernetes-client 1.20 carries kustomize v2)."""
    kubectl = tool("kubectl")
    major = _kustomize_major(kubectl)
    if major is None or major < 5:
        missing(f"`kubectl` with kustomize v5 or newer (found kustomize v{major})")
    return kubectl


@functools.cache
def _kustomize_major(kubectl: str) -> int | None:
    out = subprocess.run(
        [kubectl, "version", "--client"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"Kustomize Version: v(\d+)", out)
    return int(found.group(1)) if found else None
