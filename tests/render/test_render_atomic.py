"""write_tree swaps whole trees: a failure leaves the previous output exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modsys.errors import ValidationError
from modsys.render import atomic, write_tree


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _siblings(root: Path) -> list[str]:
    return sorted(p.name for p in root.parent.iterdir())


def test_writes_exactly_the_files_with_their_modes(tmp_path: Path):
    out = write_tree(
        {"a/b.yaml": b"x: 1\n", "run.sh": b"#!/bin/sh\n"}, tmp_path / "out", {"run.sh"}
    )
    assert _snapshot(out) == {
        "a/b.yaml": b"x: 1\n",
        "run.sh": b"#!/bin/sh\n",
        atomic.MARKER: _snapshot(out)[atomic.MARKER],
    }
    assert os.access(out / "run.sh", os.X_OK) and not os.access(out / "a/b.yaml", os.X_OK)


def test_replaces_the_previous_tree_completely(tmp_path: Path):
    out = tmp_path / "out"
    write_tree({"old.yaml": b"old", "keep/x": b"1"}, out)
    write_tree({"new.yaml": b"new"}, out)
    assert set(_snapshot(out)) == {"new.yaml", atomic.MARKER}
    assert _siblings(out) == ["out"]


@pytest.mark.parametrize("stage", ["build", "swap"])
def test_a_failure_keeps_the_previous_tree_and_leaves_no_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
):
    out = tmp_path / "out"
    write_tree({"a.yaml": b"previous"}, out)
    before = _snapshot(out)

    if stage == "build":
        real_write = atomic._write_file

        def failing_write(path: str, data: bytes, mode: int) -> None:
            if os.path.basename(path) == "c.yaml":
                raise OSError("disk full")
            real_write(path, data, mode)

        monkeypatch.setattr(atomic, "_write_file", failing_write)
    else:
        real_rename, failed = os.rename, []

        def failing_rename(src, dst):
            if Path(dst) == out and not failed:  # moving the new tree in; moving back works
                failed.append(src)
                raise OSError("rename failed")
            return real_rename(src, dst)

        monkeypatch.setattr(atomic.os, "rename", failing_rename)

    with pytest.raises(OSError):
        write_tree({"a.yaml": b"next", "b.yaml": b"next", "c.yaml": b"next"}, out)
    assert _snapshot(out) == before
    assert _siblings(out) == ["out"]


def test_refuses_to_replace_a_directory_modsys_did_not_write(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(ValidationError, match="not written by modsys"):
        write_tree({"a.yaml": b"x"}, home)
    assert (home / "thesis.tex").read_text() == "years of work"


def test_writes_into_an_empty_existing_directory(tmp_path: Path):
    (tmp_path / "out").mkdir()
    assert set(_snapshot(write_tree({"a": b"1"}, tmp_path / "out"))) == {"a", atomic.MARKER}


@pytest.mark.parametrize(
    "files",
    [{"../escape": b"x"}, {"/abs": b"x"}, {"a": b"1", "a/b": b"2"}, {atomic.MARKER: b"x"}],
)
def test_refuses_unsafe_trees_before_touching_the_disk(tmp_path: Path, files: dict[str, bytes]):
    with pytest.raises(ValidationError):
        write_tree(files, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
