"""Secret values given as references instead of data, so that they never sit in the modules.

A Secret entry (`stringData.<key>`) may be one of:

* `from_env("DB_PASSWORD")`: read from the environment **when rendering**, for output applied
  from the operator's machine (`dir`, `stream`) or sealed before it goes into git;
* `from_file("secrets/db-password")`: the same, from a file (relative paths are taken from the
  working directory at render time; one trailing newline is dropped, as `kubectl create secret
  --from-file` users expect from editors);
* `external("prod/db", property="password", store="vault")`: fetched **by the cluster** through
  the External Secrets Operator; modsys writes an `ExternalSecret`, never the value.

References are plain immutable records, not callables (a zero-argument callable in a definition
is a thunk to the engine), and they print as `<from env DB_PASSWORD>`, so `dump`, `why` and
`diff` show where a secret comes from without showing it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from modsys.errors import ModsysError

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+")
EXTERNAL_SECRETS_API = "external-secrets.io/v1"


class SecretSourceError(ModsysError):
    """A reference that cannot be resolved: a missing variable or file, a bad name."""


@attrs.frozen
class SecretRef:
    """Base of all references; `str()` is what reviewers see in place of the value."""

    def __str__(self) -> str:
        return f"<{self.describe()}>"

    def describe(self) -> str:
        raise NotImplementedError


@attrs.frozen(str=False)
class FromEnv(SecretRef):
    variable: str

    def describe(self) -> str:
        return f"from env {self.variable}"


@attrs.frozen(str=False)
class FromFile(SecretRef):
    path: str

    def describe(self) -> str:
        return f"from file {self.path}"


@attrs.frozen(str=False)
class External(SecretRef):
    key: str
    property: str | None
    store: str
    cluster_store: bool

    def describe(self) -> str:
        kind = "ClusterSecretStore" if self.cluster_store else "SecretStore"
        prop = f" property {self.property}" if self.property else ""
        return f"external {kind} {self.store} key {self.key}{prop}"


def from_env(variable: str) -> FromEnv:
    """The value of environment variable `variable` at render time."""
    if not _ENV_NAME.fullmatch(variable):
        raise SecretSourceError(f"`{variable}' is not an environment variable name")
    return FromEnv(variable)


def from_file(path: str | os.PathLike[str]) -> FromFile:
    """The content of `path` at render time (UTF-8, one trailing newline dropped)."""
    return FromFile(os.fspath(path))


def external(
    key: str, property: str | None = None, *, store: str, cluster_store: bool = False
) -> External:
    """A value the cluster fetches: `key` (and `property` of it) from the `SecretStore` (or, with
    `cluster_store`, the `ClusterSecretStore`) named `store`."""
    if not key or not store:
        raise SecretSourceError("an external secret needs a remote key and a store name")
    return External(key, property, store, cluster_store)


def is_reference(value: Any) -> bool:
    return isinstance(value, SecretRef)


def resolve(ref: SecretRef, where: str, environ: Mapping[str, str] | None = None) -> str:
    """The value behind a render-time reference. `where` names the Secret and key in errors
    (`Secret shop/db, key password`); the errors never contain a value."""
    env = os.environ if environ is None else environ
    if isinstance(ref, FromEnv):
        value = env.get(ref.variable)
        if value is None:
            raise SecretSourceError(
                f"{where}: environment variable {ref.variable} is not set (the value is read "
                f"when rendering; set it, or make the entry external)"
            )
        return value
    if isinstance(ref, FromFile):
        try:
            text = Path(ref.path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SecretSourceError(f"{where}: file {ref.path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise SecretSourceError(f"{where}: cannot read {ref.path}: {reason}") from None
        return text.removesuffix("\n")
    raise SecretSourceError(f"{where}: {ref} is fetched by the cluster, not when rendering")


def external_secret(
    secret: Mapping[str, Any], refresh_interval: str = "1h"
) -> dict[str, Any]:
    """The `ExternalSecret` that makes the External Secrets Operator create `secret` (a complete
    Secret object whose `stringData` entries are all `External` references to one store)."""
    meta = secret.get("metadata") or {}
    name, namespace = meta.get("name"), meta.get("namespace")
    where = f"Secret {namespace}/{name}"
    entries = dict(secret.get("stringData") or {})
    if secret.get("data"):
        raise SecretSourceError(f"{where}: cannot mix literal data with external entries")
    refs = [(k, v) for k, v in sorted(entries.items())]
    if not refs or not all(isinstance(v, External) for _, v in refs):
        raise SecretSourceError(f"{where}: every entry of an external Secret must be external")
    stores = {(v.store, v.cluster_store) for _, v in refs}
    if len(stores) != 1:
        raise SecretSourceError(f"{where}: its entries name {len(stores)} stores; use one")
    (store, cluster_store), = stores
    data = []
    for key, ref in refs:
        if not _SECRET_KEY.fullmatch(key):
            raise SecretSourceError(f"{where}: `{key}' is not a valid Secret key")
        remote: dict[str, Any] = {"key": ref.key}
        if ref.property:
            remote["property"] = ref.property
        data.append({"secretKey": key, "remoteRef": remote})
    target: dict[str, Any] = {"name": name, "creationPolicy": "Owner"}
    template: dict[str, Any] = {}
    if secret.get("type"):
        template["type"] = secret["type"]
    template_meta = {f: dict(meta[f]) for f in ("labels", "annotations") if meta.get(f)}
    if template_meta:
        template["metadata"] = template_meta
    if template:
        target["template"] = template
    out_meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if meta.get("labels"):
        out_meta["labels"] = dict(meta["labels"])
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": "ExternalSecret",
        "metadata": out_meta,
        "spec": {
            "refreshInterval": refresh_interval,
            "secretStoreRef": {
                "name": store,
                "kind": "ClusterSecretStore" if cluster_store else "SecretStore",
            },
            "target": target,
            "data": data,
        },
    }
