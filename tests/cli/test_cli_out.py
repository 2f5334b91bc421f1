"""`render --out`: clear messages (exit 1, no traceback) for folders a render must not replace,
private output folders and Secret files, and `-I` on a missing folder (a usage error)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def _clear(r, *needles: str) -> None:
    assert "Traceback" not in r.output and "internal error" not in r.stderr, r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr


def test_out_dot_is_refused(run, fixtures, workdir: Path):
    before = sorted(os.listdir(workdir))
    r = run("render", "app.py", "--out", ".")
    assert r.exit_code == 1
    _clear(r, "cannot write the rendered tree to", "choose a new folder, e.g. ./out")
    assert sorted(os.listdir(workdir)) == before


def test_out_on_a_symbolic_link_is_refused(run, fixtures, workdir: Path):
    (workdir / "real").mkdir()
    (workdir / "link").symlink_to(workdir / "real")
    r = run("render", "app.py", "--out", "link")
    assert r.exit_code == 1
    _clear(r, "symbolic link", "modsys did not create")
    assert list((workdir / "real").iterdir()) == []


def test_out_below_a_file_names_the_folder(run, fixtures, workdir: Path):
    (workdir / "afile").write_text("x")
    r = run("render", "app.py", "--out", "afile/out")
    assert r.exit_code == 1
    _clear(r, "cannot write the rendered tree to", "afile")


def test_rendered_secrets_are_private(run, fixtures, workdir: Path):
    old = os.umask(0o022)
    try:
        r = run("render", "app.py", "--out", "out")
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.stderr
    out = workdir / "out"
    modes = {
        p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in out.rglob("*") if p.is_file()
    }
    secrets = [p for p in modes if b"kind: Secret" in (out / p).read_bytes()]
    assert secrets and all(modes[p] == 0o600 for p in secrets), modes
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert any(m == 0o644 for m in modes.values()) and modes["apply.sh"] == 0o755


def test_include_of_a_missing_folder_is_a_usage_error(run, fixtures, workdir: Path):
    r = run("eval", "-I", "nowhere", "base.py", "--no-default-modules")
    assert r.exit_code == 2
    _clear(r, "nowhere", "does not exist")
