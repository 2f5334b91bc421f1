"""Finding the modules named on the command line: files, `-I` folders and the bundled tree.

A module argument is, in this order: a local path (a file, the same with `.py` added, or a folder
holding `default.py`); a path inside one of the `-I` search folders; a path inside the bundled
module tree (`targets/local-k3d`, `projects/wookie`, `examples/local`). The `.py` suffix may be
left out everywhere, and a folder means its `default.py`. So in a source checkout,
`examples/local` is the checkout's file, not the installed copy.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

from modsys.bundled import BUNDLED_FOLDERS, PACKAGE_DIR, find_bundled_root

_SUFFIXES = (".py", ".yaml", ".yml", ".json")


class ModuleNotFound(LookupError):
    """A module argument that names no file, search-path entry or bundled module."""

    def __init__(self, arg: str, searched: Sequence[Path], suggestions: Sequence[str]) -> None:
        self.arg = arg
        self.searched = tuple(searched)
        self.suggestions = tuple(suggestions)
        msg = f"no module `{arg}': not a file, and not found in " + (
            ", ".join(str(p) for p in searched) or "any search folder"
        )
        if suggestions:
            msg += "; did you mean " + " or ".join(f"`{s}'" for s in suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:
        return str(self.args[0])


def _package_dir() -> Path:
    return PACKAGE_DIR


def bundled_root() -> Path | None:
    """The folder holding `modules/`, `targets/`, `projects/` and `examples/` (see
    `modsys.bundled`), or None without a bundled tree."""
    return find_bundled_root(_package_dir())


def search_roots(search_path: Iterable[str | Path] = ()) -> list[Path]:
    """The folders a module name is looked up in: `-I` folders first, then the bundled tree."""
    roots = [Path(p).expanduser() for p in search_path]
    root = bundled_root()
    if root is not None:
        roots.append(root)
    return roots


def _as_module_file(p: Path) -> Path | None:
    if p.is_file():
        return p
    if p.is_dir() and (p / "default.py").is_file():
        return p / "default.py"
    if p.suffix not in _SUFFIXES:
        with_py = p.with_name(p.name + ".py")
        if with_py.is_file():
            return with_py
    return None


def resolve_module_arg(arg: str, search_path: Iterable[str | Path] = ()) -> Path:
    """The file a command-line module argument names (see the module docstring for the rules).

    Raises:
        ModuleNotFound: when nothing matches; it carries close bundled names as suggestions.
    """
    direct = Path(arg).expanduser()
    local = _as_module_file(direct)  # a local path wins, with or without `.py`
    if local is not None:
        return local.resolve()
    roots = search_roots(search_path)
    if not direct.is_absolute():
        for root in roots:
            hit = _as_module_file(root / arg)
            if hit is not None:
                return hit.resolve()
    names = bundled_module_names(search_path)
    suggestions = difflib.get_close_matches(arg.removesuffix(".py"), names, n=3, cutoff=0.6)
    raise ModuleNotFound(arg, roots, suggestions)


def bundled_module_names(search_path: Iterable[str | Path] = ()) -> list[str]:
    """Every module name the search folders and the bundled tree offer, for completion and hints.

    A folder with `default.py` is offered as the folder; other `.py` files without their suffix;
    data modules (`.yaml`, `.json`) with theirs.
    """
    names: set[str] = set()
    for root in search_roots(search_path):
        folders = BUNDLED_FOLDERS if root == bundled_root() else ("",)
        for folder in folders:
            base = root / folder if folder else root
            if not base.is_dir():
                continue
            for f in base.rglob("*"):
                if not f.is_file() or "__pycache__" in f.parts or f.name.startswith("."):
                    continue
                rel = f.relative_to(root)
                if f.name == "default.py":
                    if rel.parent != Path("."):
                        names.add(rel.parent.as_posix())
                elif f.suffix == ".py":
                    names.add(rel.with_suffix("").as_posix())
                elif f.suffix in _SUFFIXES:
                    names.add(rel.as_posix())
    return sorted(names)


def display_path(file: str) -> str:
    """A definition's file as users should read it: relative to the working directory when it
    lies below it, relative to the bundled tree when it comes from there, else as it is."""
    if not file or file.startswith("<"):
        return file
    head, sep, tail = file.partition(", via option")
    p = Path(head)
    if not p.is_absolute():
        return file
    cwd = Path.cwd()
    try:
        if cwd == Path(cwd.anchor):
            raise ValueError("every path is below the root folder")
        shown = p.relative_to(cwd).as_posix()
    except ValueError:
        root = bundled_root()
        shown = head
        if root is not None:
            with contextlib.suppress(ValueError):
                shown = p.relative_to(root).as_posix()
    return shown + sep + tail
