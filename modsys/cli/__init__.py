"""The `modsys` command line: evaluate, review, explain, diff and render module configurations.

Only `click` is imported at start; the engine, YAML and the platform layer are imported inside
the commands that need them, so `modsys --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> Any:
    """Run the `modsys` command (the console script's entry point).

    A terminal gets its output through `terminal.TerminalStream` (no control sequences from
    values); Ctrl-C at any point, start-up included, ends with "interrupted" and status 130."""
    import sys

    try:
        from modsys.cli.terminal import guard

        sys.stdout = guard(sys.stdout)
        sys.stderr = guard(sys.stderr)
        from modsys.cli.app import cli
        from modsys.gcpolicy import tune_for_command

        tune_for_command()  # a command evaluates once and exits

        return cli.main(args=list(argv) if argv is not None else None, prog_name="modsys")
    except KeyboardInterrupt:
        _interrupted()
    return None


def _interrupted() -> None:
    import os
    import sys

    try:
        sys.stderr.write("\nmodsys: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)  # no teardown that a second Ctrl-C could interrupt with a traceback


def __getattr__(name: str) -> Any:
    if name == "cli":
        from modsys.cli.app import cli

        return cli
    raise AttributeError(name)


__all__ = ["cli", "main"]
