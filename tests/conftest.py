"""Suite-wide: one summary line per missing external requirement (see `tests/needs.py`), and
commands kept off the network for charts (see `_charts_offline`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.needs import MISSING

_PROXIES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")


@pytest.fixture(autouse=True)
def _charts_offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every planning command fetches charts: in tests the chart repositories are unreachable
    (a proxy nobody listens on; tests that serve a repository on 127.0.0.1 unset it), the cache
    is a temporary folder, and no mirror comes from the environment, so results never depend
    on the machine's network or `~/.cache`."""
    for proxy in _PROXIES:
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")
    for name in ("no_proxy", "NO_PROXY", "MODSYS_CHART_MIRROR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "modsys-cache"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        message = message.removeprefix("Skipped: ")
        if message.startswith(MISSING):
            reasons[message.removeprefix(MISSING)] += 1
    for what, count in sorted(reasons.items()):
        terminalreporter.write_line(
            f"{count} test{'s' if count != 1 else ''} skipped: {what} is missing "
            f"(with CI=true they fail instead)",
            yellow=True,
        )
