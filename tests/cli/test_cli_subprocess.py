"""The real command in a subprocess: `python -m modsys`, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
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


def _installed_script() -> list[str]:
    """The `modsys` console script beside this interpreter when installed, else `-m modsys`."""
    script = Path(sys.executable).with_name("modsys")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "modsys"]


COMMANDS = {
    "eval": (
        ["eval", "examples/local", "-A", "platform.kubernetes.cluster.uniqueIdentifier"],
        0,
        "k3d-wookie-local",
    ),
    "dump": (["dump", "examples/local", "--annotate"], 0, "priority"),
    "why": (["why", "examples/local", "projects.wookie.pxc.size"], 0, "won"),
    "options": (
        ["options", "examples/local", "--format", "md", "targets.local-k3d"],
        0,
        "clusterName",
    ),
    "schema": (["schema", "examples/local"], 0, '"$schema"'),
    "plan": (["plan", "examples/local"], 0, "crds"),
    "render": (["render", "examples/local", "--out", "OUT"], 0, "rendered"),
    "validate": (["validate", "examples/local"], 0, ""),
    "diff": (["diff", "examples/local", "--", "examples/production"], 1, "production"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_runs_as_a_real_process_from_any_folder(tmp_path, command):
    """Each command through the installed script, from an unrelated working folder, naming the
    bundled example by its path inside the bundled tree."""
    args, code, expected = COMMANDS[command]
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [*_installed_script(), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == code, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert expected in proc.stdout + proc.stderr
