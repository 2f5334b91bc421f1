"""Batch and bundle names become directory names, Argo CD Applications, Flux objects and
labels, so they must be DNS-1123 labels: nothing that could climb out of a directory (`../x`),
nest (`a/b`) or be rejected by the API server (`Upper`).
"""

from __future__ import annotations

from modsys.kube.validate import LABEL_TEXT as LABEL_RULE
from modsys.kube.validate import is_dns1123_label as is_dns_label


def label_problem(what: str, name: str) -> str | None:
    """Why `name` cannot be a batch/bundle/namespace name, or None when it can."""
    if is_dns_label(name):
        return None
    return f"{what} name {name!r} is not {LABEL_RULE}"


__all__ = ["LABEL_RULE", "is_dns_label", "label_problem"]
