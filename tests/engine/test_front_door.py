"""The package's front door: what `import modsys` offers and says about itself."""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

import modsys


def test_version_comes_from_the_package_metadata():
    assert modsys.__version__ == version("modsys")


def test_the_package_is_marked_typed():
    assert (Path(modsys.__file__).parent / "py.typed").is_file()


def test_every_public_name_resolves_and_is_listed_in_dir():
    for name in modsys.__all__:
        assert getattr(modsys, name) is not None, name
    assert set(modsys.__all__) <= set(dir(modsys))


def test_every_public_function_has_a_docstring_naming_its_nixpkgs_counterpart_or_purpose():
    for name in modsys.__all__:
        obj = getattr(modsys, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = inspect.getdoc(obj)
        assert doc, f"modsys.{name} has no docstring"
        if name.startswith("mk_") and "_module" not in name:
            assert "lib.mk" in doc, f"modsys.{name}'s docstring does not name its nixpkgs function"
