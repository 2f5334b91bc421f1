"""Names derived from user data: file names that cannot escape the output directory, and
Kubernetes/Helm names that the tools accept.

Names come from batches, bundles, kinds and object names, which are user input. Only
`[a-z0-9.-]` survives, dot runs collapse (so no `..`), and clashes get `-2`, `-3`, … in the order
the names are claimed, which is the plan order, so the result is deterministic.
"""

from __future__ import annotations

import hashlib
import re

from modsys.errors import ValidationError

_NOT_FILE = re.compile(r"[^a-z0-9.-]+")
_NOT_DNS = re.compile(r"[^a-z0-9-]+")


def _hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def _shorten(name: str, original: str, max_len: int) -> str:
    """Cut to `max_len`, keeping it unique by a hash of the original text."""
    if len(name) <= max_len:
        return name
    return name[: max_len - 9].rstrip(".-") + "-" + _hash(original)


def file_segment(text: str, fallback: str = "x", max_len: int = 100) -> str:
    """One path segment made of `[a-z0-9.-]`, never `.`/`..`, never empty, never hidden."""
    name = _NOT_FILE.sub("-", text.lower())
    name = re.sub(r"[.-]*-[.-]*", "-", name)  # separators around a dash: just the dash
    name = re.sub(r"\.{2,}", ".", name).strip(".-")
    return _shorten(name or fallback, text, max_len)


def dns_label(text: str, max_len: int = 63, fallback: str = "x") -> str:
    """A DNS-1123 label (Kubernetes names, Helm releases with max_len=53)."""
    name = _NOT_DNS.sub("-", text.lower())
    name = name.strip("-")  # a valid label maps to itself
    return _shorten(name or fallback, text, max_len).strip("-")


class Unique:
    """Hands out names, adding `-2`, `-3`, … before the extension when a name is taken."""

    def __init__(self, reserved: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken = set(reserved)

    def claim(self, name: str, ext: str = "") -> str:
        candidate, n = name + ext, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{name}-{n}{ext}"
        self._taken.add(candidate)
        return candidate


def check_relpath(path: str) -> str:
    """Return `path` if it is a plain relative POSIX path inside the tree, else raise."""
    if not isinstance(path, str) or not path:
        raise ValueError("empty path")
    if path.startswith("/") or "\\" in path or "\0" in path:
        raise ValueError(f"{path!r} is not a relative POSIX path")
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise ValueError(f"{path!r} has an empty, '.' or '..' segment")
    return path


def check_relpaths(paths: list[str], what: str) -> None:
    """Raise one ValidationError naming every path that could escape the output directory."""
    problems = []
    for p in paths:
        try:
            check_relpath(p)
        except ValueError as exc:
            problems.append(f"{what}: {exc}")
    if problems:
        raise ValidationError(
            "paths must stay inside the output directory:\n"
            + "\n".join(f"  - {p}" for p in problems),
            problems,
        )


def tree_conflicts(paths: list[str]) -> list[str]:
    """Paths that are also used as a directory by another path (`a` and `a/b`)."""
    files = set(paths)
    return sorted({p for p in paths for i, c in enumerate(p) if c == "/" and p[:i] in files})


def one_line(text: str) -> str:
    """`text` safe inside a comment: control characters (newlines too) become `?`."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]", "?", text)
