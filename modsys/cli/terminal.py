"""What reaches a terminal: the one filter on the command's output path.

Values from modules (a YAML string, an object's name, a chart value) end up in messages, plans
and tables; one holding an escape sequence could clear the screen (`ESC[2J`), set the window
title or write to the clipboard (OSC), or hide text. When standard output or standard error is a
terminal, `modsys.cli.main` puts `TerminalStream` in front of it: every control character but
newline and tab is shown escaped (`\\x1b`), except the colour sequences modsys writes itself
(SGR with the codes `click.style` uses for foreground colour, bold, dim and underline) and the
line erase of the progress line. Output to a file or a pipe is left byte for byte as written.
"""

from __future__ import annotations

import io
import re
from typing import IO

# SGR sequences with foreground, bold, dim, underline and reset codes only (no background, no
# conceal or blink), and the progress line's "\r ESC[2K".
_OWN = r"\x1b\[(?:(?:0|1|2|4|22|24|39|3[0-7]|9[0-7])(?:;(?:0|1|2|4|22|24|39|3[0-7]|9[0-7]))*)?m"
_SAFE = re.compile(rf"({_OWN}|\r\x1b\[2K)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    c = ord(match.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def sanitize(text: str) -> str:
    """`text` with every control character escaped, modsys' own colour sequences kept."""
    if not _CONTROL.search(text):
        return text
    parts = _SAFE.split(text)
    # split keeps the separators at odd indices: modsys' own sequences, kept as they are
    return "".join(p if i % 2 else _CONTROL.sub(_escape, p) for i, p in enumerate(parts))


class TerminalStream(io.TextIOBase):
    """A text stream that writes `sanitize(text)` to a terminal stream."""

    def __init__(self, inner: IO[str]) -> None:
        super().__init__()
        self._inner = inner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._inner, "encoding", "utf-8"))

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._inner, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def write(self, text: str) -> int:
        self._inner.write(sanitize(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()


def guard(stream: IO[str]) -> IO[str]:
    """`stream` behind a `TerminalStream` when it is a terminal; otherwise `stream` itself."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError, OSError):
        return stream
    return TerminalStream(stream) if tty else stream  # type: ignore[return-value]
