"""A machine where Helm's native library does not load gets one clear error, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.needs import REPO

SCRIPT = """
from modsys.charts import HelmUnavailable
from modsys.charts.helm import sdk
for attempt in range(2):
    try:
        sdk()
    except HelmUnavailable as err:
        print(err)
"""


def test_native_library_that_does_not_load(tmp_path: Path) -> None:
    broken = tmp_path / "libhelm_c.so"
    broken.write_bytes(b"not a shared library")
    env = {**os.environ, "HELM_C_LIB": str(broken), "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == lines[1]  # remembered, same message each time
    assert lines[0].startswith("cannot render charts: Helm's native library")
    assert "HELM_C_LIB" in lines[0] and "does not load on this machine" in lines[0]
    assert "Traceback" not in out.stdout + out.stderr
