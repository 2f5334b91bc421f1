"""Suite-wide: one summary line per missing external requirement (see `tests/needs.py`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.needs import MISSING


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
