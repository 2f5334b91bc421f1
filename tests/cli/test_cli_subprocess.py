"""The real command in a subprocess: `python -m modsys`, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_python_m_modsys_end_to_end(tmp_path):
    """`python -m modsys` evaluates a module (exit 0), reports an error (exit 1, no traceback)
    and rejects bad usage (exit 2)."""
    (tmp_path / "m.py").write_text(
        textwrap.dedent(
            """
            from modsys import mk_option, types as t
            module = {"options": {"version": mk_option(type=t.str, default="1")}}
            """
        )
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("NO_COLOR", None)

    def modsys(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "modsys", *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )

    ok = modsys("eval", "m.py", "--no-default-modules", "--json", "--set", "version=1_24_2")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"version": "1_24_2"}
    bad = modsys("eval", "m.py", "--no-default-modules", "--set", "nope=1")
    assert bad.returncode == 1
    assert "does not exist" in bad.stderr and "Traceback" not in bad.stderr
    assert "\x1b[" not in bad.stderr  # not a terminal: no colour
    usage = modsys("eval", "missing.py")
    assert usage.returncode == 2
