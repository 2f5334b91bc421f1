"""Write a rendered tree so that readers only ever see the old tree or the new one.

The tree is built in a temporary directory beside `out_dir` (same filesystem, so the renames
are atomic), then swapped in: old renamed away, new renamed in, old deleted. If anything fails
the temporary directory is removed and the previous output is left as it was.

A marker file identifies directories modsys wrote; an existing non-empty directory without it is
never replaced, so a mistyped `--out ~` cannot wipe someone's home directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from modsys.errors import ValidationError
from modsys.render.naming import check_relpaths, tree_conflicts

MARKER = ".modsys-render"


def _check(files: dict[str, bytes], executable: set[str] | frozenset[str]) -> None:
    check_relpaths(sorted(files), "rendered file")
    problems = [f"{p!r} is both a file and a directory" for p in tree_conflicts(list(files))]
    problems += [
        f"executable {p!r} is not a rendered file" for p in sorted(executable - set(files))
    ]
    if MARKER in files:
        problems.append(f"{MARKER!r} is reserved for the output marker")
    if problems:
        raise ValidationError("cannot write the rendered tree: " + "; ".join(problems), problems)


def _refuse_foreign(out_dir: Path) -> None:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ValidationError(
            f"{out_dir} exists and is not a directory; refusing to replace it",
            [f"{out_dir}: not a directory"],
        )
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise ValidationError(
            f"{out_dir} is not empty and was not written by modsys (no {MARKER} file); "
            "refusing to replace it",
            [f"{out_dir}: foreign directory"],
        )


def _write_file(path: str, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(fd, mode)  # exact modes, whatever the umask
        f.write(data)


def _build(tmp: Path, files: dict[str, bytes], executable: set[str] | frozenset[str]) -> None:
    # Plain os calls, one mkdir per folder: a render writes thousands of small files.
    base = str(tmp)
    made: set[str] = set()
    for rel in sorted(files):
        parent = os.path.dirname(rel)
        if parent and parent not in made:
            os.makedirs(os.path.join(base, parent), exist_ok=True)
            made.add(parent)
        _write_file(os.path.join(base, rel), files[rel], 0o755 if rel in executable else 0o644)
    (tmp / MARKER).write_text(
        "This directory is rendered by modsys; it is replaced on every render.\n"
    )
    tmp.chmod(0o755)


def write_tree(
    files: dict[str, bytes],
    out_dir: Path | str,
    executable: set[str] | frozenset[str] | None = None,
) -> Path:
    """Replace `out_dir` with exactly `files` (relative POSIX path -> bytes); returns out_dir."""
    executable = frozenset(executable or ())
    _check(files, executable)
    out_dir = Path(out_dir).absolute()
    _refuse_foreign(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    old: Path | None = None
    try:
        _build(tmp, files, executable)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.rename(out_dir, old / "tree")
        try:
            os.rename(tmp, out_dir)
        except BaseException:
            if old is not None:
                os.rename(old / "tree", out_dir)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not (old / "tree").exists():
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out_dir
