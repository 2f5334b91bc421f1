"""Which parts of Kubernetes objects are secret: the `data` and `stringData` of Secrets.

The command line hides them in dumps, diffs and explanations (unless `--show-secrets`) by
passing this rule to the engine's generic redaction (`modsys.dump.HiddenFields`). A value given
as a reference (`modsys.secrets.from_env("DB_PASSWORD")`, …) is not the secret but where it comes
from, so it stays visible: `<from env DB_PASSWORD>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SECRET_DATA_FIELDS = frozenset({"data", "stringData"})
"""The fields of a Secret that hold its values."""


def is_shown(value: Any) -> bool:
    """A Secret value that output shows although it sits in the hidden fields: a reference."""
    from modsys.secrets.refs import SecretRef

    return isinstance(value, SecretRef)


def is_secret(obj: Mapping[str, Any], path: Sequence[Any] = ()) -> bool:
    """A Kubernetes Secret: by its `kind`, or by sitting at `resources.Secret.<name>` (where the
    platform's bundles keep objects by kind and name, without a `kind` field).

    `obj` may be a lazy attribute set: only its `kind` is read, and a `kind` that fails to
    evaluate means "not known to be a Secret".
    """
    if len(path) >= 3 and path[-2] == "Secret" and path[-3] == "resources":
        return True
    try:
        return obj.get("kind") == "Secret"
    except Exception:
        return False


def hidden_fields() -> Any:
    """The rule every output uses to hide Secret values (`--show-secrets` lifts it): the data of
    Kubernetes Secrets, as a `modsys.dump.HiddenFields`; references stay visible."""
    from modsys.dump import HiddenFields

    return HiddenFields(SECRET_DATA_FIELDS, is_secret, is_shown)
