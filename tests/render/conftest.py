"""Shared fixtures of the renderer tests.

Goldens are regenerated with `MODSYS_UPDATE_GOLDENS=1 pytest tests/render` (or
`pytest tests/render --update-goldens` when this directory is on the command line).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the helper modules next to the tests (render_*.py)

from render_tools import write_fake_tool  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", default=False, help="rewrite tests/render/golden"
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    flag = request.config.getoption("--update-goldens", default=False)
    return bool(flag) or os.environ.get("MODSYS_UPDATE_GOLDENS") == "1"


@pytest.fixture
def fake_tools(tmp_path: Path) -> dict[str, str]:
    """PATH with fake kubectl and helm; `kubectl config current-context` prints $FAKE_CONTEXT."""
    bin_dir = tmp_path / "bin"
    write_fake_tool(
        bin_dir,
        "kubectl",
        'if [ "$1" = config ] && [ "$2" = current-context ]; then echo "${FAKE_CONTEXT:-}"; fi',
    )
    write_fake_tool(bin_dir, "helm", ":")
    log = tmp_path / "calls.log"
    log.write_text("")
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(log),
    }
