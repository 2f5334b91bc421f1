"""The `modsys` command line: evaluate, review, explain, diff and render module configurations.

Only `click` is imported at start; the engine, YAML and the platform layer are imported inside
the commands that need them, so `modsys --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> Any:
    """Run the `modsys` command (the console script's entry point)."""
    import gc

    from modsys.cli.app import cli

    # A command evaluates once and exits: collect young objects rarely. Full collections over
    # the large, long-lived configuration were most of the run time on big estates.
    gc.set_threshold(50_000, 20, 100)

    return cli.main(args=list(argv) if argv is not None else None, prog_name="modsys")


def __getattr__(name: str) -> Any:
    if name == "cli":
        from modsys.cli.app import cli

        return cli
    raise AttributeError(name)


__all__ = ["cli", "main"]
