"""Where the bundled module tree (`modules/`, `targets/`, `projects/`, `examples/`) lives.

One rule for the platform's default modules and the CLI's module look-up: after a non-editable
install it is the package's `_bundled` folder (see `pyproject.toml`); in a source checkout (or an
editable install) it is the repository root next to the package.
"""

from __future__ import annotations

from pathlib import Path

#: The top-level folders of the bundled module tree.
BUNDLED_FOLDERS = ("modules", "targets", "projects", "examples")

PACKAGE_DIR = Path(__file__).resolve().parent


def find_bundled_root(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The bundled tree of the `modsys` package in `package_dir`, or None when there is none
    (a bare copy of the package)."""
    installed = package_dir / "_bundled"
    if installed.is_dir():
        return installed
    repo = package_dir.parent
    if (repo / "pyproject.toml").is_file() and any(
        (repo / name).is_dir() for name in BUNDLED_FOLDERS
    ):
        return repo
    return None
