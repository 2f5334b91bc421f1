"""Turn a bundle's `wait` entries into command lines (apply.sh steps, helmfile hooks).

A wait without a name covers every object of that kind in the bundle, listed by name so that
unrelated objects in the namespace are never waited on. For a chart bundle the objects are
unknown before Helm runs, so the chart's standard `app.kubernetes.io/instance` label selects
them instead.
"""

from __future__ import annotations

from typing import Any

from modsys.errors import ValidationError
from modsys.render.model import Bundle, Wait


def _resource(obj: dict[str, Any]) -> str:
    """`kind.group` as kubectl accepts it, so custom resources are never ambiguous."""
    api = str(obj.get("apiVersion") or "")
    group = api.split("/", 1)[0] if "/" in api else ""
    kind = str(obj.get("kind")).lower()
    return f"{kind}.{group}" if group else kind


def _namespace(obj: dict[str, Any]) -> str | None:
    meta = obj.get("metadata") or {}
    return meta.get("namespace")


def _targets(wait: Wait, bundle: Bundle) -> list[tuple[str | None, list[str]]]:
    """(namespace, ["kind.group/name", …]) groups of the objects a wait covers."""
    assert wait.kind is not None
    matches = [
        o
        for o in bundle.objects
        if isinstance(o, dict)
        and str(o.get("kind", "")).lower() == wait.kind.lower()
        and (wait.name is None or (o.get("metadata") or {}).get("name") == wait.name)
    ]
    if wait.name is not None and not matches:
        return [(wait.namespace or bundle.namespace, [f"{wait.kind.lower()}/{wait.name}"])]
    groups: dict[str | None, list[str]] = {}
    for o in matches:
        ns = wait.namespace or _namespace(o)
        groups.setdefault(ns, []).append(f"{_resource(o)}/{o['metadata']['name']}")
    return list(groups.items())


def wait_commands(wait: Wait, bundle: Bundle, context: str | None) -> list[list[str]]:
    """The argv lists that perform one wait; empty when it covers nothing."""
    if wait.command is not None:
        return [["bash", "-c", wait.command]]
    if wait.kind is None or wait.for_ is None:
        raise ValidationError(
            f"bundle {bundle.id!r}: a wait needs either `command` or both `kind` and `for`",
            [f"{bundle.id}: incomplete wait {wait!r}"],
        )
    kubectl = ["kubectl", *(["--context", context] if context else [])]
    timeout = f"--timeout={wait.timeout}"
    rollout = wait.for_ == "rollout"

    def command(ns: str | None, targets: list[str]) -> list[str]:
        ns_args = ["-n", ns] if ns else []
        if rollout:
            return [*kubectl, "rollout", "status", *ns_args, *targets, timeout]
        return [*kubectl, "wait", *ns_args, f"--for={wait.for_}", timeout, *targets]

    groups = _targets(wait, bundle)
    if not groups and bundle.chart is not None:
        selector = f"app.kubernetes.io/instance={bundle.chart.release_name}"
        return [command(wait.namespace or bundle.namespace, [wait.kind.lower(), "-l", selector])]
    if rollout:  # `rollout status` takes one object at a time
        return [command(ns, [name]) for ns, names in groups for name in names]
    return [command(ns, names) for ns, names in groups]


def bundle_wait_commands(bundle: Bundle, context: str | None) -> list[list[str]]:
    return [argv for wait in bundle.wait for argv in wait_commands(wait, bundle, context)]


def note_command_waits(bundles: list[Any], fmt: str, notes: list[str]) -> None:
    """Controllers check health themselves but cannot run a shell command: say which are dropped."""
    dropped = [b.id for b in bundles if any(w.command is not None for w in b.bundle.wait)]
    if dropped:
        notes.append(
            f"{fmt}: wait commands cannot run under a controller and are left out for: "
            + ", ".join(dropped)
        )
