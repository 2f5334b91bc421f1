"""Secret values as references: read when rendering, or fetched by the cluster; never shown."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from modsys.secrets import (
    SecretSourceError,
    external,
    external_secret,
    from_env,
    from_file,
    is_reference,
    resolve,
)
from tests.needs import shared_path


def test_references_print_as_where_the_value_comes_from():
    assert str(from_env("DB_PASSWORD")) == "<from env DB_PASSWORD>"
    assert str(from_file("secrets/db")) == "<from file secrets/db>"
    assert str(external("prod/db", "password", store="vault")) == (
        "<external SecretStore vault key prod/db property password>"
    )
    assert is_reference(from_env("X")) and not is_reference("X")
    assert not callable(from_env("X"))  # a zero-argument callable would be a thunk


def test_render_time_references_read_the_environment_and_files(tmp_path):
    assert resolve(from_env("DB_PASSWORD"), "Secret shop/db, key password", {"DB_PASSWORD": "pw"}) == "pw"
    (tmp_path / "pw").write_text("from-a-file\n")
    assert resolve(from_file(tmp_path / "pw"), "Secret shop/db, key password") == "from-a-file"


def test_a_missing_variable_or_file_names_the_secret_and_key(tmp_path):
    with pytest.raises(SecretSourceError, match="Secret shop/db, key password: environment variable DB_PASSWORD is not set"):
        resolve(from_env("DB_PASSWORD"), "Secret shop/db, key password", {})
    with pytest.raises(SecretSourceError, match=r"Secret shop/db, key token: file .*nope does not exist"):
        resolve(from_file(tmp_path / "nope"), "Secret shop/db, key token")


def test_an_external_reference_is_not_resolved_when_rendering():
    with pytest.raises(SecretSourceError, match="fetched by the cluster"):
        resolve(external("k", store="s"), "Secret a/b, key c")


def test_bad_reference_arguments_are_refused():
    with pytest.raises(SecretSourceError, match="not an environment variable name"):
        from_env("DB-PASSWORD; rm -rf /")
    with pytest.raises(SecretSourceError, match="needs a remote key and a store"):
        external("", store="vault")


SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "shop"}},
    "type": "Opaque",
    "stringData": {
        "password": external("prod/db", "password", store="vault", cluster_store=True),
        "user": external("prod/db", "user", store="vault", cluster_store=True),
    },
}


def test_an_external_secret_names_the_store_and_each_remote_key():
    es = external_secret(SECRET)
    assert es["spec"]["secretStoreRef"] == {"name": "vault", "kind": "ClusterSecretStore"}
    assert es["spec"]["data"] == [
        {"secretKey": "password", "remoteRef": {"key": "prod/db", "property": "password"}},
        {"secretKey": "user", "remoteRef": {"key": "prod/db", "property": "user"}},
    ]
    assert es["spec"]["target"]["name"] == "db"
    assert es["spec"]["target"]["template"] == {"type": "Opaque", "metadata": {"labels": {"app": "shop"}}}


def test_the_external_secret_validates_against_the_published_crd():
    crd = yaml.safe_load(
        shared_path("schemas", "crds", "external-secrets", "external-secrets.io_externalsecrets.yaml").read_text()
    )
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    jsonschema.validate(external_secret(SECRET), version["schema"]["openAPIV3Schema"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stringData": {"a": "literal", "b": external("k", store="s")}}, "every entry"),
        ({"stringData": {"a": external("k", store="s"), "b": external("k", store="t")}}, "2 stores"),
        ({"stringData": {"bad key": external("k", store="s")}}, "not a valid Secret key"),
        ({"data": {"a": "eA=="}}, "cannot mix literal data"),
    ],
)
def test_external_secrets_must_be_wholly_external_from_one_store(change, message):
    with pytest.raises(SecretSourceError, match=message):
        external_secret({**SECRET, **change})


def test_the_engine_carries_references_through_untouched():
    """A reference is a value to the engine (not a thunk): through `anything`, the platform's
    object type, priorities and `to_plain`, the very same record comes out."""
    from modsys import eval_modules, mk_default, mk_option, types
    from modsys.attrset import to_plain
    from modsys.platform.authoring import kube_object

    ref, other = from_env("DB_PASSWORD"), from_env("OTHER")
    ev = eval_modules([
        {"options": {"obj": mk_option(type=kube_object), "any": mk_option(type=types.anything)}},
        {"config": {"obj": {"stringData": {"password": ref}}, "any": {"a": [ref]}}},
        {"config": {"obj": {"stringData": {"password": mk_default(other)}}}},
    ])
    plain = to_plain(ev.config)
    assert plain["obj"]["stringData"]["password"] is ref
    assert plain["any"]["a"][0] is ref
