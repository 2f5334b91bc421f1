"""Helm's error texts, made safe to show and useful to a caller.

Chart values can hold secrets (database passwords, tokens), and Helm's messages sometimes quote
them (a schema `pattern` failure prints the value; a template's `fail` may interpolate one).
Before a message leaves this package, the value at a schema problem's path and every string
under a secret-looking key (`password`, `token`, `key`, …) are replaced by `<redacted>`.

Schema failures arrive as one text per Helm version's formatting; this splits Helm 4's
(`<chart>:` then `- at '/json/pointer': message` lines) into `ValuesProblem`s with key paths,
and keeps the whole text as one problem at the top level if the format is not recognised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from modsys.charts.errors import ValuesProblem

REDACTED = "<redacted>"

_SECRET_KEY = re.compile(r"pass|secret|token|key|cred|cert|auth|private|salt", re.IGNORECASE)
_PROBLEM = re.compile(r"^- at '(?P<pointer>[^']*)': (?P<message>.*)$")
_CHART_LINE = re.compile(r"^(?P<chart>[A-Za-z0-9][\w.-]*):$")


def _leaves(value: Any, secret: bool = False) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield from _leaves(child, secret or bool(_SECRET_KEY.search(str(key))))
    elif isinstance(value, list):
        for child in value:
            yield from _leaves(child, secret)
    elif secret and isinstance(value, str) and len(value) >= 4:
        yield value


def _scrub(text: str, secret: str) -> str:
    for quoted in (f"'{secret}'", f'"{secret}"', secret):
        text = text.replace(quoted, REDACTED)
    return text


def redact(text: str, values: Mapping[str, Any]) -> str:
    """`text` with the values under secret-looking keys replaced by `<redacted>`."""
    for secret in sorted(set(_leaves(values)), key=len, reverse=True):
        text = _scrub(text, secret)
    return text


def value_at(values: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if isinstance(values, Mapping):
            values = values.get(key)
        elif isinstance(values, list) and key.isdigit() and int(key) < len(values):
            values = values[int(key)]
        else:
            return None
    return values


def _pointer(pointer: str) -> tuple[str, ...]:
    parts = pointer.split("/")[1:] if pointer else []
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def values_problems(text: str, chart: str, values: Mapping[str, Any]) -> list[ValuesProblem]:
    """The problems in Helm's schema-failure `text` for a render of `chart` with `values`.

    A subchart's problems are reported under the subchart's key in the parent's values (its
    name, or its alias, which Helm reports as the name).
    """
    problems: list[ValuesProblem] = []
    current = chart
    for line in text.splitlines():
        stripped = line.strip()
        if found := _CHART_LINE.match(stripped):
            current = found["chart"]
        elif found := _PROBLEM.match(stripped):
            prefix = () if current == chart else (current,)
            path = prefix + _pointer(found["pointer"])
            message = found["message"]
            offending = value_at(values, path)
            if isinstance(offending, str) and offending:
                message = message.replace(f"'{offending}'", REDACTED).replace(
                    f'"{offending}"', REDACTED
                )
            problems.append(ValuesProblem(path, redact(message, values), current))
        elif problems and line.startswith((" ", "\t")) and stripped:
            last = problems[-1]
            problems[-1] = ValuesProblem(
                last.path, f"{last.message} {redact(stripped, values)}", last.chart
            )
    if not problems:
        problems.append(ValuesProblem((), redact(" ".join(text.split()), values), chart))
    return problems


_TEMPLATE = re.compile(r"(?P<file>[\w.-]+(?:/[\w.-]+)*/(?:templates|crds)/[^\s:()\"']+)")


def template_of(text: str) -> str | None:
    """The template file a Helm render error names first (`chart/templates/x.yaml`), if any."""
    found = _TEMPLATE.search(text)
    return found["file"] if found else None
