"""Fake command-line tools for the renderer tests: they log their argv and do what they are told."""

from __future__ import annotations

import stat
from pathlib import Path


def write_fake_tool(bin_dir: Path, name: str, body: str) -> Path:
    """A stand-in for kubectl/helm that logs its argv to $FAKE_LOG and runs `body`."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    tool = bin_dir / name
    tool.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "{name} $*" >> "$FAKE_LOG"\n{body}\n')
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool
