"""write_tree switches whole trees: readers see a complete tree, a failure or a kill leaves the
previous output as it was, the next render cleans up, renders of one folder are serialised, and
Secrets are private."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from modsys.errors import ValidationError
from modsys.render import atomic, write_tree


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _siblings(root: Path) -> list[str]:
    return sorted(p.name for p in root.parent.iterdir())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


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


# --- modes -------------------------------------------------------------------------------------

SECRET_YAML = b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  pw: x\n"
FILES = {
    "01/secret-db.yaml": SECRET_YAML,
    "01/deep/er/configmap.yaml": b"apiVersion: v1\nkind: ConfigMap\n",
    "apply.sh": b"#!/bin/sh\n",
    "declared.yaml": b"password: hunter2\n",
}


@pytest.mark.parametrize(
    ("mask", "folder", "secret", "plain", "script", "sub"),
    [
        (0o022, 0o700, 0o600, 0o644, 0o755, 0o755),
        (0o002, 0o700, 0o600, 0o644, 0o755, 0o755),
        (0o077, 0o700, 0o600, 0o600, 0o700, 0o700),
        (0o027, 0o700, 0o600, 0o640, 0o750, 0o750),
    ],
)
def test_modes_follow_the_umask_and_secrets_are_private(
    tmp_path: Path, mask: int, folder: int, secret: int, plain: int, script: int, sub: int
):
    with _umask(mask):
        out = write_tree(FILES, tmp_path / "out", {"apply.sh"}, secret={"declared.yaml"})
    assert _mode(out) == folder
    assert _mode(out / "01/secret-db.yaml") == secret  # found by its `kind: Secret`
    assert _mode(out / "declared.yaml") == secret  # declared by the caller
    assert _mode(out / "01/deep/er/configmap.yaml") == plain
    assert _mode(out / atomic.MARKER) == plain
    assert _mode(out / "apply.sh") == script
    assert _mode(out / "01") == _mode(out / "01/deep") == _mode(out / "01/deep/er") == sub


def test_a_secret_predicate_and_an_executable_secret(tmp_path: Path):
    with _umask(0o022):
        out = write_tree(
            {"s/a": b"1", "s/run": b"#!/bin/sh\n", "p": b"2"},
            tmp_path / "out",
            {"s/run"},
            secret=lambda path: path.startswith("s/"),
        )
    assert (_mode(out / "s/a"), _mode(out / "s/run"), _mode(out / "p")) == (0o600, 0o700, 0o644)


def test_a_declared_secret_must_be_a_rendered_file(tmp_path: Path):
    with pytest.raises(ValidationError, match="secret 'nope' is not a rendered file"):
        write_tree({"a": b"1"}, tmp_path / "out", secret={"nope"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "secret"),
    [
        (SECRET_YAML, True),
        (b"---\nkind: ConfigMap\n---\nkind: 'Secret'\n", True),  # one of several documents
        (b'{"apiVersion": "v1", "kind": "Secret", "data": {}}', True),
        (b"{apiVersion: v1, kind: Secret}\n", True),
        (b"kind: List\nitems:\n  - kind: Secret\n    metadata: {name: a}\n", True),
        (b'kind: "Secret"  # comment\r\n', True),
        (b"kind: SecretProviderClass\n", False),
        (b"kind: ConfigMap\ndata:\n  secretName: Secret-ish\n", False),
        (b"kind: Deployment\nenvFrom:\n  - secretRef: {name: Secret}\n", False),
    ],
)
def test_secret_documents_are_recognised_in_the_bytes(data: bytes, secret: bool):
    assert atomic.holds_secret(data) is secret


def test_a_private_output_folder_stays_private(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    with _umask(0o000):
        write_tree({"a": b"1"}, out)
        assert _mode(out) == 0o700
        write_tree({"a": b"2"}, out)
        assert _mode(out) == 0o700


def test_an_open_folder_of_the_old_layout_becomes_private(tmp_path: Path):
    out = tmp_path / "out"  # as earlier versions wrote it: 0755 with the marker
    out.mkdir()
    (out / atomic.MARKER).write_bytes(b"x")
    (out / "old.yaml").write_bytes(b"old")
    out.chmod(0o755)
    with _umask(0o022):
        write_tree({"a": b"1"}, out)
    assert _mode(out) == 0o700 and set(_snapshot(out)) == {"a", atomic.MARKER}
    assert _siblings(out) == ["out"]


# --- the switch --------------------------------------------------------------------------------


def test_replaces_the_previous_tree_completely(tmp_path: Path):
    out = tmp_path / "out"
    write_tree({"old.yaml": b"old", "keep/x": b"1"}, out)
    inode = out.stat().st_ino
    write_tree({"new.yaml": b"new"}, out)
    assert set(_snapshot(out)) == {"new.yaml", atomic.MARKER}
    assert _siblings(out) == ["out"]
    assert not out.is_symlink() and (atomic._SWAP is None or out.stat().st_ino != inode)


def test_the_switch_is_one_exchange_on_this_system(tmp_path: Path):
    """Linux and macOS exchange the two folders in one call; elsewhere the fallback is used."""
    if not sys.platform.startswith(("linux", "darwin")):
        pytest.skip("no exchange call on this system")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in-a").touch()
    assert atomic._exchange(a, b)
    assert (b / "in-a").exists() and not (a / "in-a").exists()


@pytest.mark.parametrize("stage", ["build", "exchange", "fallback"])
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
    elif stage == "exchange":

        def failing_exchange(a: Path, b: Path) -> bool:
            raise OSError(errno.EBUSY, "busy")

        monkeypatch.setattr(atomic, "_exchange", failing_exchange)
    else:  # no exchange: two renames, and the second fails
        real_rename, failed = os.rename, []

        def failing_rename(src, dst):
            if Path(dst) == out and not failed:  # moving the new tree in; moving back works
                failed.append(src)
                raise OSError("rename failed")
            return real_rename(src, dst)

        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
        monkeypatch.setattr(atomic.os, "rename", failing_rename)

    with pytest.raises(OSError):
        write_tree({"a.yaml": b"next", "b.yaml": b"next", "c.yaml": b"next"}, out)
    assert _snapshot(out) == before
    assert _siblings(out) == ["out"]


def test_without_an_exchange_the_two_renames_still_replace_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_tree({"a": b"1"}, out)
    write_tree({"b": b"2"}, out)
    assert set(_snapshot(out)) == {"b", atomic.MARKER} and _siblings(out) == ["out"]


def _index_tree(version: int, n: int = 40) -> dict[str, bytes]:
    files = {f"d{i % 4}/f{i}.yaml": f"v: {version}\ni: {i}\n".encode() * (1 + i % 3)
             for i in range(n + version % 7)}
    index = {"version": version, "files": {p: hashlib.sha256(d).hexdigest()
                                           for p, d in files.items()}}
    files["index.json"] = json.dumps(index).encode()
    return files


# A reader in its own process (true parallelism): polls until stdin closes, then prints counts.
READER = r"""
import hashlib, json, os, sys, threading
out = sys.argv[1]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
problems, counts = [], {"lookups": 0, "consistent": 0, "restarts": 0}

def read(name, dir_fd):
    fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    with os.fdopen(fd, "rb") as f:
        return f.read()

print("ready", flush=True)
while not stop.is_set():
    try:  # a single lookup: never missing, never partial
        with open(os.path.join(out, "index.json"), "rb") as f:
            json.loads(f.read())
        counts["lookups"] += 1
    except (OSError, ValueError) as exc:
        problems.append(f"index.json: {exc!r}")
    try:  # several files: open the folder once, read below it
        dir_fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        problems.append(f"out: {exc!r}")
        continue
    try:
        index = json.loads(read("index.json", dir_fd))
        for path, digest in index["files"].items():
            if hashlib.sha256(read(path, dir_fd)).hexdigest() != digest:
                problems.append(f"{path} is not from version {index['version']}")
        counts["consistent"] += 1
    except FileNotFoundError:
        counts["restarts"] += 1  # its tree was switched out and deleted: start over
    except (OSError, ValueError) as exc:
        problems.append(f"consistent read: {exc!r}")
    finally:
        os.close(dir_fd)
print(json.dumps({"problems": problems[:20], **counts}))
"""


def _poll_while_rendering(out: Path, renders: int) -> dict:
    write_tree(_index_tree(0), out)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
    try:
        for version in range(1, renders + 1):
            write_tree(_index_tree(version), out)
    finally:
        stdout, _ = reader.communicate("", timeout=30)
    return dict(json.loads(stdout))


def test_a_polling_reader_always_sees_a_complete_tree(tmp_path: Path):
    """While renders switch trees, `out/index.json` always exists and parses, and a reader that
    opens `out` once reads files of that one render (or finds its tree gone and starts over)."""
    if atomic._SWAP is None:
        pytest.skip("no exchange call on this system: the two-rename fallback has a window")
    out = tmp_path / "out"
    counts = _poll_while_rendering(out, 25)
    assert counts["problems"] == []
    assert counts["lookups"] > 25 and counts["consistent"] > 5, counts
    assert json.loads((out / "index.json").read_bytes())["version"] == 25
    assert _siblings(out) == ["out"]


def _probe(out: Path) -> str | None:
    """What a reader would find wrong at `out` right now (None: a complete, consistent tree)."""
    try:
        index = json.loads((out / "index.json").read_bytes())
        for path, digest in index["files"].items():
            if hashlib.sha256((out / path).read_bytes()).hexdigest() != digest:
                return f"{path} is not from version {index['version']}"
    except (OSError, ValueError) as exc:
        return repr(exc)
    return None


@pytest.mark.parametrize("exchange", [True, False])
def test_the_tree_is_complete_after_every_step_of_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
):
    """Deterministic twin of the polling reader: check the tree after every filesystem call a
    render makes. With the exchange it is always complete; the two-rename fallback (used only
    where the system cannot exchange) has its moment without `out`, which this check sees."""
    if exchange and atomic._SWAP is None:
        pytest.skip("no exchange call on this system")
    out = tmp_path / "out"
    write_tree(_index_tree(0), out)
    seen: list[str] = []
    steps = [0]

    def probed(fn):
        def call(*args, **kwargs):
            result = fn(*args, **kwargs)
            steps[0] += 1
            problem = _probe(out)
            if problem is not None:
                seen.append(f"after {fn.__name__}{args}: {problem}")
            return result

        return call

    for name in ("rename", "mkdir", "unlink", "rmdir"):
        monkeypatch.setattr(atomic.os, name, probed(getattr(os, name)))
    monkeypatch.setattr(atomic, "_write_file", probed(atomic._write_file))
    if exchange:
        monkeypatch.setattr(atomic, "_exchange", probed(atomic._exchange))
    else:
        monkeypatch.setattr(atomic, "_exchange", probed(lambda a, b: False))
    for version in (1, 2):
        write_tree(_index_tree(version), out)
    assert steps[0] > 100
    if exchange:
        assert seen == []
    else:
        assert seen and all("FileNotFoundError" in s for s in seen), seen


# --- stale temporaries -------------------------------------------------------------------------


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path):
    out = tmp_path / "out"
    write_tree({"a": b"1"}, out)
    dead, alive = _dead_pid(), os.getppid()

    def tree(name: str, marker: bool = True, files: tuple[str, ...] = ("x/y.yaml",)) -> Path:
        root = tmp_path / name
        for f in files:
            (root / f).parent.mkdir(parents=True, exist_ok=True)
            (root / f).write_bytes(b"data")
        root.mkdir(exist_ok=True)
        if marker:
            (root / atomic.MARKER).write_bytes(b"x")
        return root

    stale = [
        tree(f".out.new-{dead}-abcdefgh"),  # killed while building or deleting
        tree(f".out.new-{dead}-abcdefg1", marker=False, files=()),  # killed before the marker
        tree(f".out.new-{os.getpid()}-abcdefg2"),  # our own, from an interrupted call
        tree(".out.new-abc_efgh"),  # earlier versions: built, not switched in
        tree(".out.old-abcdefgh", marker=False, files=("tree/.modsys-render", "tree/a")),
        tree(".out.old-abcdefg3", marker=False, files=()),  # killed before moving out aside
        tree(f".out.old-{dead}-abcdefgh", marker=False, files=("tree/.modsys-render",)),
    ]
    kept = [
        tree(f".out.new-{alive}-abcdefgh"),  # a live process: not ours to judge
        tree(f".out.new-{dead}-abcdefg4", marker=False),  # no marker, not empty: not provably ours
        tree(".out.new-abcdefg5", marker=False),  # earlier version, no marker: unprovable
        tree(".out.new-abcdefghij"),  # not our name pattern
        tree(f".other.new-{dead}-abcdefgh"),  # another output folder's
        tree(".out.old-abcdefg6", marker=False, files=("tree/thesis.tex",)),
        tree("out.new-abcdefgh"),
    ]
    (tmp_path / f".out.new-{dead}-abcdefg7").symlink_to(tmp_path / kept[0].name)
    kept.append(tmp_path / f".out.new-{dead}-abcdefg7")

    write_tree({"b": b"2"}, out)
    for p in stale:
        assert not os.path.lexists(p), p.name
    for p in kept:
        assert os.path.lexists(p), p.name
    assert (kept[0] / "x/y.yaml").exists()
    assert set(_snapshot(out)) == {"b", atomic.MARKER}


def test_removal_deletes_the_marker_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Killed while deleting, a temporary folder still holds its marker (or is empty)."""
    root = tmp_path / ".out.new-1-abcdefgh"
    (root / "a/b").mkdir(parents=True)
    (root / "a/b/c").write_bytes(b"1")
    (root / "d").write_bytes(b"1")
    (root / atomic.MARKER).write_bytes(b"1")
    seen: list[bool] = []
    real_unlink = os.unlink

    def watching_unlink(path, *args, **kwargs):
        seen.append((root / atomic.MARKER).exists())
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "unlink", watching_unlink)
    atomic._remove(root)
    assert not root.exists() and seen and all(seen)


# --- the lock ----------------------------------------------------------------------------------


def test_concurrent_renders_are_serialised(tmp_path: Path):
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def render(tag: str) -> None:
        try:
            for i in range(8):
                write_tree({f"{tag}/{j}": f"{tag}{i}".encode() for j in range(30)}, out)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(t,)) for t in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tree = _snapshot(out)
    tags = {k.split("/")[0] for k in tree if k != atomic.MARKER}
    assert len(tags) == 1 and len(set(tree.values()) - {tree[atomic.MARKER]}) == 1
    assert _siblings(out) == ["out"]


def test_a_render_gives_up_waiting_with_a_clear_message_and_leaves_nothing(tmp_path: Path):
    out = tmp_path / "out"
    write_tree({"a": b"1"}, out)
    told: list[str] = []
    with atomic._locked(out, 1, None):
        start = time.monotonic()
        with pytest.raises(ValidationError) as info:
            write_tree({"b": b"2"}, out, lock_timeout=0.3, on_wait=told.append)
        assert 0.3 <= time.monotonic() - start < 3
        assert _siblings(out) == [".out.lock", "out"]
    message = str(info.value)
    assert "another render of this folder is in progress" in message
    assert f"(pid {os.getpid()})" in message and "0.3 s" in message
    assert told == [f"waiting for another render of {out} (pid {os.getpid()}) to finish"]
    assert set(_snapshot(out)) == {"a", atomic.MARKER} and _siblings(out) == ["out"]


def test_a_waiting_render_goes_ahead_when_the_other_finishes(tmp_path: Path):
    out = tmp_path / "out"
    release = threading.Event()

    def hold() -> None:
        with atomic._locked(out, 1, None):
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    while not (tmp_path / ".out.lock").exists():
        time.sleep(0.01)
    threading.Timer(0.2, release.set).start()
    write_tree({"a": b"1"}, out, lock_timeout=5)
    holder.join()
    assert set(_snapshot(out)) == {"a", atomic.MARKER} and _siblings(out) == ["out"]


def test_a_lock_file_removed_under_a_waiter_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The render holding the lock removes the lock file when done; a waiter that then locks the
    removed file must notice and lock the new one, or two renders would run at once."""
    out = tmp_path / "out"
    lock = tmp_path / ".out.lock"
    real_flock, calls = atomic.fcntl.flock, []

    def flock_after_the_holder_left(fd: int, op: int) -> None:
        calls.append(os.fstat(fd).st_ino)
        if len(calls) == 1:
            os.unlink(lock)  # the previous holder finishes between our open and our flock
        real_flock(fd, op)

    monkeypatch.setattr(atomic.fcntl, "flock", flock_after_the_holder_left)
    write_tree({"a": b"1"}, out)
    assert len(calls) == 2  # the first, on the removed file, was not trusted
    assert set(_snapshot(out)) == {"a", atomic.MARKER} and _siblings(out) == ["out"]


# --- kill -9 -----------------------------------------------------------------------------------


def _render_forever(out: Path) -> None:  # in a forked child
    version = 0
    while True:
        version += 1
        write_tree(_index_tree(version, 300), out, secret={"d0/f0.yaml"})


def test_renders_killed_at_random_points_are_cleaned_up_by_the_next(tmp_path: Path):
    """Fork a render loop, kill -9 it at a random moment (seeded, bounded), and check the output
    is complete after each kill and after the next render, with nothing left beside it."""
    rng = random.Random(10)
    out = tmp_path / "out"
    write_tree(_index_tree(0), out)
    deadline = time.monotonic() + 6
    trials, left_behind = 0, 0
    while trials < 12 and time.monotonic() < deadline:
        trials += 1
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                _render_forever(out)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.005, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        index = json.loads((out / "index.json").read_bytes())  # complete even now
        tree = _snapshot(out)
        assert set(tree) == set(index["files"]) | {"index.json", atomic.MARKER}
        left_behind += any(n.startswith(".out.new-") for n in _siblings(out))
        write_tree(_index_tree(1000 + trials), out, secret={"d0/f0.yaml"})
        assert _siblings(out) == ["out"], trials
        assert json.loads((out / "index.json").read_bytes())["version"] == 1000 + trials
        assert _mode(out / "d0/f0.yaml") == 0o600 & ~_current_umask()
    assert trials >= 4 and left_behind >= 2, (trials, left_behind)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- refusals ----------------------------------------------------------------------------------


def test_refuses_to_replace_a_directory_modsys_did_not_write(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(ValidationError, match="not written by modsys"):
        write_tree({"a.yaml": b"x"}, home)
    assert (home / "thesis.tex").read_text() == "years of work"
    assert _siblings(home) == ["home"]


def test_a_foreign_directory_is_named_as_such_before_anything_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """`--out ~`: the message is about the folder, even where its parent is not writable."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: False)
    with pytest.raises(ValidationError, match="not written by modsys"):
        write_tree({"a.yaml": b"x"}, home)
    assert _siblings(home) == ["home"]


def test_writes_into_an_empty_existing_directory(tmp_path: Path):
    (tmp_path / "out").mkdir()
    assert set(_snapshot(write_tree({"a": b"1"}, tmp_path / "out"))) == {"a", atomic.MARKER}


@pytest.mark.parametrize("where", [".", "./", "..", "sub/..", "/"])
def test_refuses_the_current_folder_and_unnamed_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    with pytest.raises(ValidationError, match=r"choose a new folder, e\.g\. \./out"):
        write_tree({"a": b"1"}, where)
    assert list(tmp_path.iterdir()) == [tmp_path / "cwd"]
    assert list((tmp_path / "cwd").iterdir()) == []


def test_refuses_a_folder_holding_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    write_tree({"a": b"1"}, out)
    (out / "deep").mkdir()
    monkeypatch.chdir(out / "deep")
    with pytest.raises(ValidationError, match="a folder containing the current folder"):
        write_tree({"a": b"2"}, out)
    with pytest.raises(ValidationError, match="it is the current folder"):
        write_tree({"a": b"2"}, "../deep")


@pytest.mark.parametrize("target", ["folder", "missing"])
def test_refuses_a_symbolic_link(tmp_path: Path, target: str):
    if target == "folder":
        (tmp_path / "folder").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / target)
    with pytest.raises(ValidationError) as info:
        write_tree({"a": b"1"}, tmp_path / "out")
    assert f"symbolic link (to {tmp_path / target})" in str(info.value)
    assert "modsys did not create" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"out", target} - {"missing"})


def test_creates_missing_parents_and_names_an_unwritable_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_tree({"a": b"1"}, tmp_path / "x/y/out")
    assert (tmp_path / "x/y/out/a").exists()
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: False)
    with pytest.raises(ValidationError, match=r"its parent folder .*/x/y is not writable"):
        write_tree({"a": b"1"}, tmp_path / "x/y/out")
    (tmp_path / "file").write_text("x")
    with pytest.raises(
        ValidationError, match=r"cannot create its parent folder .*file/sub: .*/file is a file"
    ):
        write_tree({"a": b"1"}, tmp_path / "file/sub/out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_parent_is_refused(tmp_path: Path):
    (tmp_path / "ro").mkdir(mode=0o500)
    try:
        with pytest.raises(ValidationError, match="is not writable"):
            write_tree({"a": b"1"}, tmp_path / "ro/out")
    finally:
        (tmp_path / "ro").chmod(0o700)


@pytest.mark.parametrize(
    "files",
    [{"../escape": b"x"}, {"/abs": b"x"}, {"a": b"1", "a/b": b"2"}, {atomic.MARKER: b"x"}],
)
def test_refuses_unsafe_trees_before_touching_the_disk(tmp_path: Path, files: dict[str, bytes]):
    with pytest.raises(ValidationError):
        write_tree(files, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
