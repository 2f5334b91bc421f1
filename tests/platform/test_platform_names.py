"""Batch, bundle and namespace names end up in paths and API objects: DNS-1123 labels only."""

from __future__ import annotations

import pytest
from platform_samples import bundle_in, cluster, plan_of, validation_error, write_data

from modsys import ValidationError

BAD = ["../evil", "a/b", "Upper", "-lead", "trail-", "dot.ted", "x" * 64, "", "sp ace"]


@pytest.mark.parametrize("name", BAD)
def test_bad_bundle_name_is_an_error_naming_the_file(tmp_path, name):
    path = write_data(tmp_path, "names.py", bundle_in("services", name))
    err = validation_error(path)
    assert f"bundle name {name!r} is not a DNS-1123 label" in str(err)
    assert f"{path}:" in str(err)


@pytest.mark.parametrize("name", BAD)
def test_bad_batch_name_is_an_error_naming_the_file(tmp_path, name):
    path = write_data(tmp_path, "names.py", cluster({name: {"priority": 1}}))
    err = validation_error(path)
    assert f"batch name {name!r} is not a DNS-1123 label" in str(err)
    assert f"{path}:" in str(err)


def test_bad_bundle_namespace_is_an_error(tmp_path):
    path = write_data(tmp_path, "ns.py", bundle_in("services", "web", namespace="../x"))
    message = str(validation_error(path))
    assert "services.bundles.web.namespace: namespace name '../x'" in message


@pytest.mark.parametrize("name", ["a", "web-1", "0x", "x" * 63])
def test_good_names_are_accepted(name):
    plan = plan_of(bundle_in("services", name), cluster({name: {"priority": 5}}), bundle_in(name, "b"))
    assert name in [b["name"] for b in plan["manifestSets"]]


def test_bad_names_stop_the_build_of_the_plan():
    with pytest.raises(ValidationError, match="is not a DNS-1123 label"):
        plan_of(bundle_in("services", "../evil"))
