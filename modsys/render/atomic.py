"""Write a rendered tree so that readers only ever see a complete tree: the old one or the new one.

Layout: the output folder `OUT` stays a plain folder. (Not a symlink to a versioned sibling:
git stores a symlink as a link, so a rendered tree committed for Argo CD, Flux or Fleet would
move to a new path on every render, and tools that walk `OUT` without following links (`find`,
Go's `filepath.Walk`) would see only the link.) Beside it, in `OUT`'s parent, a render uses only names starting with `.OUT.`:

- `.OUT.lock` - held (`flock`, exclusive) for the whole render and removed when the render ends;
- `.OUT.new-<pid>-<random>` - the new tree, built here, then switched in; after the switch the
  same folder holds the previous tree, which is deleted. Its marker is written first and
  deleted last, so at every moment it is empty or marked as ours.

Guarantee (documented for readers and tested with a polling reader):

- On Linux (`renameat2(RENAME_EXCHANGE)`: ext4, xfs, btrfs, tmpfs, ...) and macOS (APFS,
  `renamex_np(RENAME_SWAP)`) the switch is ONE atomic system call that exchanges the new tree and
  `OUT`. At every instant the path `OUT` names a complete tree, the previous render's or the new
  one's: `OUT/index.json` (or any file of the tree) is never missing, partial or mixed. Looking a
  path up always gives a file of one complete render.
- A reader that reads several files and needs them all from the same render opens `OUT` once
  (`cd OUT`, or a directory file descriptor) and reads relative to it. It keeps the tree it
  opened; if a render switches meanwhile, that tree is deleted just after the switch, so the
  reader gets "no such file" (never a file of another render) and starts over. (Reading
  `OUT/a` then `OUT/b` by path may give files of two consecutive renders.)
- Where the filesystem cannot exchange two folders (some network and FUSE filesystems), the tree
  is switched with two renames as before: `OUT` is briefly missing (never partial or mixed).
- If anything fails, or the process is killed, before the switch, `OUT` is left exactly as it
  was. A render killed at any point leaves at most `.OUT.lock` and a `.OUT.new-*` (with the
  fallback, `.OUT.old-*`) folder; the next render of the same `OUT` removes them. A temporary
  folder is removed only when it is provably a stale one of ours: we hold the lock, and its
  name, owner and marker (or emptiness) match and its writer's process is gone.
- Renders of the same `OUT` are serialised by the lock: the second waits (`LOCK_TIMEOUT`
  seconds at most, then fails with a message naming the other render's process), and leaves
  nothing behind when it gives up.

Modes: the output folder is 0700, rendered Secrets 0600, other files 0644 (0755 executable) and
folders 0755, each masked by the user's umask (so a stricter umask wins). A file is a Secret when
the caller says so (`secret=`: a set of paths or a predicate) or when its bytes hold a
`kind: Secret` document (a cheap, deliberately over-eager scan: a false positive only makes a
file private).

A marker file identifies folders modsys wrote; an existing non-empty folder without it is never
replaced, so a mistyped `--out ~` cannot wipe someone's home folder. Nor is the current
folder (or one containing it) replaced, nor a symbolic link followed or replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from modsys.errors import ValidationError
from modsys.render.naming import check_relpaths, tree_conflicts

MARKER = ".modsys-render"
_MARKER_TEXT = b"This directory is rendered by modsys; it is replaced on every render.\n"

LOCK_TIMEOUT = 120.0  # seconds a render waits for another render of the same folder
_POLL = 0.05

SecretSpec = Collection[str] | Callable[[str], bool] | None

# `kind: Secret` as a YAML (block or flow) or JSON key/value pair.
_SECRET_KIND = re.compile(
    rb"""(?:^|[\s{,])["']?kind["']?[ \t]*:\s*["']?Secret["']?[ \t]*(?:$|[,}#\r])""", re.M
)
# Our temporary folders, after the `.OUT.` prefix: `new-<pid>-<random>`; `new-<random>` and
# `old-<random>` (holding `tree/`) were written by earlier versions.
_TEMPORARY = re.compile(r"(new|old)-(?:(\d+)-)?[a-z0-9_]{8}")


def holds_secret(data: bytes) -> bool:
    """Whether `data` holds a `kind: Secret` document (over-eager by design)."""
    return b"Secret" in data and _SECRET_KIND.search(data) is not None


def _check(
    files: dict[str, bytes], executable: frozenset[str], secret: Collection[str]
) -> None:
    check_relpaths(sorted(files), "rendered file")
    problems = [f"{p!r} is both a file and a directory" for p in tree_conflicts(list(files))]
    problems += [
        f"executable {p!r} is not a rendered file" for p in sorted(executable - set(files))
    ]
    problems += [f"secret {p!r} is not a rendered file" for p in sorted(set(secret) - set(files))]
    if MARKER in files:
        problems.append(f"{MARKER!r} is reserved for the output marker")
    if problems:
        raise ValidationError("cannot write the rendered tree: " + "; ".join(problems), problems)


def _refuse(out: Path, reason: str, short: str | None = None) -> ValidationError:
    return ValidationError(
        f"cannot write the rendered tree to {out}: {reason}", [f"{out}: {short or reason}"]
    )


def _output_path(out_dir: Path | str) -> Path:
    """The absolute output folder, refusing the current folder, `/` and symbolic links."""
    given = Path(out_dir)
    if given.name in ("", ".", ".."):
        raise _refuse(
            given,
            "the output must be a named folder that modsys replaces on every render, not "
            f"{str(out_dir)!r}; choose a new folder, e.g. ./out",
            "not a named folder",
        )
    out = Path(os.path.abspath(given))
    if os.path.islink(out):
        target = os.readlink(out)
        raise _refuse(
            out,
            f"it is a symbolic link (to {target}) that modsys did not create; modsys writes the "
            "output folder itself and neither follows nor replaces links: give the folder "
            "itself, or remove the link",
            "symbolic link",
        )
    here = os.path.realpath(os.getcwd())
    real = os.path.realpath(out)
    if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
        what = "the current folder" if here == real else "a folder containing the current folder"
        raise _refuse(
            out,
            f"it is {what}, which a render would replace; choose a new folder, e.g. ./out",
            what,
        )
    return out


def _ensure_parent(out: Path) -> Path:
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, (FileExistsError, NotADirectoryError)):
            blocker = next((p for p in (parent, *parent.parents) if p.exists()), parent)
            reason = f"{blocker} is a file, not a folder"
        raise _refuse(out, f"cannot create its parent folder {parent}: {reason}") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(
            out,
            f"its parent folder {parent} is not writable (the new tree is built beside it)",
            "parent not writable",
        )
    return parent


def _refuse_foreign(out: Path) -> None:
    if os.path.islink(out) or (out.exists() and not out.is_dir()):
        raise _refuse(out, "it exists and is not a folder; refusing to replace it",
                      "not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise _refuse(
            out,
            f"it is not empty and was not written by modsys (no {MARKER} file); "
            "refusing to replace it",
            "foreign directory",
        )


# --- the lock ----------------------------------------------------------------------------------


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def _locked(
    out: Path, timeout: float, on_wait: Callable[[str], None] | None
) -> Iterator[None]:
    """Hold `.OUT.lock` exclusively; the file is removed (while held) when done.

    Removing a lock file is safe with the usual check: after locking, the file must still be the
    one at the path, else another render removed it and we start over.
    """
    path = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + timeout
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = _holder(path)
            if time.monotonic() >= deadline:
                raise _refuse(
                    out,
                    f"another render of this folder is in progress{holder}; gave up waiting "
                    f"after {timeout:g} s (lock file {path})",
                    "locked by another render",
                ) from None
            if on_wait is not None and not told:
                on_wait(f"waiting for another render of {out}{holder} to finish")
                told = True
            time.sleep(_POLL)
            continue
        except BaseException:
            os.close(fd)
            raise
        try:
            mine = os.fstat(fd)
            now = os.stat(path, follow_symlinks=False)
            same = (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)
        except FileNotFoundError:
            same = False
        if not same:  # removed by the render that held it: lock the new file instead
            os.close(fd)
            continue
        break
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


# --- stale temporaries -------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier call of ours that was interrupted; we hold the lock now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process its parent has not reaped yet is gone too
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _is_marker(path: str) -> bool:
    with contextlib.suppress(OSError):
        st = os.lstat(path)
        return (st.st_mode & 0o170000) == 0o100000
    return False


def _empty(path: Path) -> bool:
    try:
        return not os.listdir(path)
    except OSError:
        return False


def _provably_ours(path: Path, old: bool) -> bool:
    """A tree holding our marker, or empty (killed before the marker was written); `old`
    folders of the two-rename switch hold the tree in `tree/`, or nothing."""
    if old:
        if _empty(path):
            return True
        path = path / "tree"
    return _is_marker(os.path.join(path, MARKER)) or _empty(path)


def _remove(path: Path) -> None:
    """Delete one of our temporary folders, the marker last: a kill at any point leaves a
    folder still provably ours (marker or empty) for the next render to finish."""
    inner = path / "tree"
    if ".old-" in path.name and os.path.isdir(inner) and not os.path.islink(inner):
        _remove(inner)
    with contextlib.suppress(OSError):
        with os.scandir(path) as entries:
            rest = [e for e in entries if e.name != MARKER]
        for e in rest:
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            else:
                os.unlink(e.path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path / MARKER)
        os.rmdir(path)


def stale_temporaries(out: Path) -> list[Path]:
    """Temporary folders of renders of `out` that are provably ours and dead.

    Call only while holding the lock. Each is a real folder named `.OUT.new-<pid>-<random>`
    whose process is gone, owned by us and holding the modsys marker (or empty: killed before
    the marker was written); `.OUT.old-<pid>-<random>/tree` of the two-rename switch, and the
    earlier versions' `.OUT.new-<random>` and `.OUT.old-<random>/tree` likewise.
    """
    prefix = f".{out.name}."
    found = []
    with os.scandir(out.parent) as entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            m = _TEMPORARY.fullmatch(entry.name[len(prefix):])
            if m is None or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_uid != os.geteuid():
                continue
            pid = m.group(2)
            if pid is not None and _alive(int(pid)):
                continue
            if _provably_ours(Path(entry.path), old=m.group(1) == "old"):
                found.append(Path(entry.path))
    return sorted(found)


# --- the switch --------------------------------------------------------------------------------


def _swap_function() -> Callable[[bytes, bytes], int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux"):
        renameat2 = getattr(libc, "renameat2", None)  # glibc >= 2.28
        if renameat2 is None:
            return None
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                              ctypes.c_uint]
        renameat2.restype = ctypes.c_int
        at_fdcwd, rename_exchange = -100, 2
        return lambda a, b: int(renameat2(at_fdcwd, a, at_fdcwd, b, rename_exchange))
    if sys.platform == "darwin":
        renamex_np = getattr(libc, "renamex_np", None)
        if renamex_np is None:
            return None
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        renamex_np.restype = ctypes.c_int
        rename_swap = 2
        return lambda a, b: int(renamex_np(a, b, rename_swap))
    return None


_SWAP = _swap_function()
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange folders `a` and `b`; False when the system cannot."""
    if _SWAP is None:
        return False
    if _SWAP(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _switch(new: Path, out: Path) -> Path | None:
    """Make `new` the tree at `out`; returns the folder now holding the previous tree, if any."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return None
    if _exchange(new, out):
        return new
    # No exchange here: two renames, with a moment where `out` is missing.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    try:
        os.rename(out, old / "tree")
    except BaseException:
        os.rmdir(old)
        raise
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old / "tree", out)
        os.rmdir(old)
        raise
    return old


# --- building ----------------------------------------------------------------------------------


def _write_file(path: str, data: bytes, mode: int) -> None:
    # `mode` is masked by the umask: a stricter umask wins.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _build(
    tmp: Path,
    files: dict[str, bytes],
    executable: frozenset[str],
    is_secret: Callable[[str, bytes], bool],
) -> None:
    # Plain os calls, one mkdir per folder: a render writes thousands of small files.
    base = str(tmp)
    _write_file(os.path.join(base, MARKER), _MARKER_TEXT, 0o644)  # first: claims the folder
    made: set[str] = {""}
    for rel in sorted(files):
        parent = os.path.dirname(rel)
        if parent not in made:
            missing = []
            while parent not in made:
                missing.append(parent)
                parent = os.path.dirname(parent)
            for folder in reversed(missing):
                os.mkdir(os.path.join(base, folder), 0o755)
                made.add(folder)
        data = files[rel]
        mode = 0o600 if is_secret(rel, data) else 0o644
        if rel in executable:
            mode |= 0o100 | ((mode & 0o044) >> 2)  # read implies execute
        _write_file(os.path.join(base, rel), data, mode)


def _secret_test(secret: SecretSpec) -> tuple[Callable[[str, bytes], bool], Collection[str]]:
    if secret is None:
        return (lambda rel, data: holds_secret(data)), ()
    if callable(secret):
        declared = secret
        return (lambda rel, data: declared(rel) or holds_secret(data)), ()
    paths = frozenset(secret)
    return (lambda rel, data: rel in paths or holds_secret(data)), paths


def write_tree(
    files: dict[str, bytes],
    out_dir: Path | str,
    executable: set[str] | frozenset[str] | None = None,
    *,
    secret: SecretSpec = None,
    lock_timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Path:
    """Replace `out_dir` with exactly `files` (relative POSIX path -> bytes); returns out_dir.

    `secret` names the rendered paths holding Secrets (a set, or a predicate on the path); files
    whose bytes hold a `kind: Secret` document count as secret too. `lock_timeout` bounds the
    wait for another render of the same folder (default `LOCK_TIMEOUT`); `on_wait` is told once
    when the render has to wait. See the module docstring for the guarantees.
    """
    executable = frozenset(executable or ())
    is_secret, declared = _secret_test(secret)
    _check(files, executable, declared)
    out = _output_path(out_dir)
    _refuse_foreign(out)  # before touching anything; checked again under the lock
    parent = _ensure_parent(out)
    timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
    with _locked(out, timeout, on_wait):
        _refuse_foreign(out)
        for stale in stale_temporaries(out):
            _remove(stale)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=parent))
        try:
            _build(tmp, files, executable, is_secret)
            previous = _switch(tmp, out)
        except BaseException:
            _remove(tmp)
            raise
        if previous is not None:
            _remove(previous)
    return out
