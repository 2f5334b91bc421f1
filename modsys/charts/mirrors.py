"""Offline chart mirrors: folders of `<name>-<version>.tgz`, looked at before the network.

A mirror is what `helm pull` leaves behind, or a static Helm repository checked out on disk
(its `index.yaml` is not needed). The CLI collects them from `--chart-mirror DIR` (repeatable)
and `MODSYS_CHART_MIRROR` (`os.pathsep`-separated, like `PATH`); flags come first.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

ENV_VAR = "MODSYS_CHART_MIRROR"


def mirrors_from_env(environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """The mirrors `MODSYS_CHART_MIRROR` names, in order (empty entries are skipped)."""
    env = os.environ if environ is None else environ
    return tuple(Path(p).expanduser() for p in env.get(ENV_VAR, "").split(os.pathsep) if p)


def chart_mirrors(
    flags: Iterable[str | os.PathLike[str]] = (), environ: Mapping[str, str] | None = None
) -> tuple[Path, ...]:
    """`--chart-mirror` flags then the environment's mirrors, each once, as absolute paths."""
    found = [Path(p).expanduser() for p in flags] + list(mirrors_from_env(environ))
    return tuple(dict.fromkeys(p.absolute() for p in found))


def find_in_mirrors(mirrors: Iterable[Path], name: str, version: str) -> Path | None:
    """The first mirror's `<name>-<version>.tgz`, if any mirror has it."""
    for mirror in mirrors:
        candidate = mirror / f"{name}-{version}.tgz"
        if candidate.is_file():
            return candidate
    return None
