"""Readiness checks: the user's `wait` entries, plus the ones every plan needs anyway.

A CRD must be Established before a later batch creates its custom resources, and a workload
should have rolled out before anything that depends on it starts; so unless the user already
waits for them, every CRD gets `condition=Established` and every Deployment, StatefulSet and
DaemonSet a `rollout` wait.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modsys.kube import install_rank

DEFAULT_FOR: dict[str, str] = {
    "CustomResourceDefinition": "condition=Established",
    "DaemonSet": "rollout",
    "Deployment": "rollout",
    "StatefulSet": "rollout",
}

DEFAULT_TIMEOUT = "300s"


def wait_entry(wait: Mapping[str, Any]) -> dict[str, Any]:
    """A wait in the plan's shape, every key present."""
    return {
        "kind": wait.get("kind"),
        "name": wait.get("name"),
        "namespace": wait.get("namespace"),
        "for": wait.get("for"),
        "command": wait.get("command"),
        "timeout": wait.get("timeout") or DEFAULT_TIMEOUT,
    }


def wait_problem(wait: Mapping[str, Any]) -> str | None:
    """Why a user's wait cannot be run, or None."""
    if wait.get("command") is not None:
        if wait.get("kind") is not None or wait.get("for") is not None:
            return "sets `command` and also `kind`/`for`; a wait is either a command or a kind check"
        return None
    if wait.get("kind") is None or wait.get("for") is None:
        return "needs either `command`, or both `kind` and `for`"
    return None


def default_waits(objects: Sequence[Mapping[str, Any]], user: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The waits added for `objects` that no user wait covers, in install order."""
    whole_kinds = {w["kind"].lower() for w in user if w.get("kind") and w.get("name") is None}
    named = {(w["kind"].lower(), w["name"]) for w in user if w.get("kind") and w.get("name")}
    per_kind: dict[str, list[str | None]] = {}
    for obj in objects:
        kind = obj.get("kind")
        if kind not in DEFAULT_FOR or kind.lower() in whole_kinds:
            continue
        name = (obj.get("metadata") or {}).get("name")
        per_kind.setdefault(kind, []).append(name)
    out = []
    for kind in sorted(per_kind, key=lambda k: (install_rank(k), k)):
        names = per_kind[kind]
        covered = [n for n in names if (kind.lower(), n) in named]
        if not covered:
            out.append(wait_entry({"kind": kind, "for": DEFAULT_FOR[kind]}))
            continue
        out.extend(
            wait_entry({"kind": kind, "name": n, "for": DEFAULT_FOR[kind]})
            for n in sorted({n for n in names if n not in covered}, key=str)
        )
    return out
