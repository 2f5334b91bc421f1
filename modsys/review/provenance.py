"""Where a value comes from, as data for the page: the definitions, which won, and why.

The same facts as `modsys why` (from `Evaluation.explain`), shaped for a browser that shows
them when a reviewer expands a value. Values of sensitive options, and values that hold a
redacted secret, are never written out: the definitions then show `<redacted>` too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modsys.dump import PRIORITY_NAMES, REDACTED_TEXT

ShowFile = Callable[[str], str]
VALUE_LIMIT = 300


def place(file: str, line: int | None, show_file: ShowFile) -> str:
    """`file:line` (or the file alone when the line is unknown)."""
    shown = show_file(file)
    return shown if line is None else f"{shown}:{line}"


def priority_label(priority: int) -> str:
    name = PRIORITY_NAMES.get(priority)
    return f"{priority} ({name})" if name else str(priority)


def verdict(records: list[Any]) -> str:
    """Why the value is what it is, in one sentence (the short form of `why`'s verdict)."""
    winners = [r for r in records if r.status == "won"]
    losers = [r for r in records if r.status == "overridden"]
    skipped = [r for r in records if r.status == "condition false"]
    if not winners:
        return "no definition is active" + (
            f" ({len(skipped)} skipped: an mk_if condition was false)" if skipped else "")
    prio = priority_label(winners[0].priority)
    if len(winners) > 1:
        text = f"{len(winners)} definitions share the highest priority {prio} and are merged"
    elif winners[0].is_default:
        text = "no module sets it: the option's default applies"
    elif losers:
        text = f"it has the highest priority ({prio}; lower numbers win)"
    else:
        text = f"the only active definition (priority {prio})"
    if losers:
        text += f"; it overrides {len(losers)} other definition{'s' if len(losers) != 1 else ''}"
    if skipped:
        text += f"; {len(skipped)} skipped (mk_if false)"
    return text


def _value(record: Any, redact: bool, path: tuple[Any, ...]) -> str:
    if redact:
        return REDACTED_TEXT
    if record.status == "condition false":
        return "(not evaluated: its mk_if condition is false)"
    from modsys.cli.why import render_definition

    try:
        text = render_definition(record.value, 0, path)
    except Exception as exc:  # a definition that fails to evaluate is still listed
        text = f"<error: {exc}>"
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def provenance(explanation: Any, show_file: ShowFile, redact: bool = False) -> dict[str, Any]:
    """The page's data for one value: type, declarations, definitions and the verdict."""
    # sensitive, or computed from a sensitive value (`modsys.deps`)
    redact = redact or bool(explanation.sensitive) or bool(getattr(explanation, "secret", False))
    path = tuple(explanation.path)
    records = list(explanation.definitions)
    return {
        "type": explanation.type,
        "declared": [place(d.file, d.line, show_file) for d in explanation.declarations],
        "defs": [
            {
                "at": place(r.file, r.line, show_file),
                "priority": priority_label(r.priority),
                "status": r.status,
                "detail": r.detail,
                "default": bool(r.is_default),
                "value": _value(r, redact, path),
            }
            for r in records
        ],
        "why": verdict(records),
    }


def set_by_modules(explanation: Any) -> bool:
    """True when a module's definition (not the option default) is among the winners."""
    return any(r.status == "won" and not r.is_default for r in explanation.definitions)
