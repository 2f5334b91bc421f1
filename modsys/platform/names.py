"""Batch and bundle names become directory names, Argo CD Applications, Flux objects and
labels, so they must be DNS-1123 labels: nothing that could climb out of a directory (`../x`),
nest (`a/b`) or be rejected by the API server (`Upper`).
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?")

LABEL_RULE = (
    "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a "
    "letter or digit"
)


def is_dns_label(name: object) -> bool:
    return isinstance(name, str) and len(name) <= 63 and _LABEL.fullmatch(name) is not None


def label_problem(what: str, name: str) -> str | None:
    """Why `name` cannot be a batch/bundle/namespace name, or None when it can."""
    if is_dns_label(name):
        return None
    return f"{what} name {name!r} is not {LABEL_RULE}"
