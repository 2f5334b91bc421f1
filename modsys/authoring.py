"""Helpers for writing modules, beyond the `mk_*` functions and `types`.

    from modsys import set_at

    module = set_at("services.web.port", 8080)     # {"services": {"web": {"port": 8080}}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def set_at(path: str | Sequence[str], value: Any) -> dict[str, Any] | Any:
    """A nested attribute set holding `value` at `path` (nixpkgs' `lib.setAttrByPath`).

    `path` is a list of attribute names, or one string of names joined by dots; a name that
    holds a dot itself (`"k3d.yaml"`) needs the list form. An empty path gives `value` itself.
    Each call builds new dictionaries, so the result can be changed or merged freely.

        set_at("a.b.c", 1)                     # {"a": {"b": {"c": 1}}}
        set_at(["files", "k3d.yaml"], text)    # {"files": {"k3d.yaml": text}}
    """
    names = path.split(".") if isinstance(path, str) and path else path
    if isinstance(names, str):  # the empty string
        names = ()
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"set_at: {path!r} is not a path of attribute names")
    for name in reversed(names):
        value = {name: value}
    return value


__all__ = ["set_at"]
