"""Chart bundles fetched by a command from a Helm repository served on 127.0.0.1: pinned in the
lock file, cached, refused when the archive behind a version changes, and offline behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from modsys.charts.digests import file_sha256
from modsys.cli.app import cli
from tests.charts.conftest import Repository


def _module(tmp_path: Path, url: str) -> Path:
    module = tmp_path / "estate.py"
    module.write_text(
        "module = {'platform': {'kubernetes': {'cluster': {'batches': {\n"
        "    'namespaces': {'bundles': {'ns': {'resources': {'Namespace': {'db': {}}}}}},\n"
        "    'operators': {'bundles': {'pxc-operator': {'namespace': 'db', 'chart': {\n"
        f"        'name': 'pxc-operator', 'version': '1.18.0', 'repository': {url!r}}}}}}}}},\n"
        "}}}}}\n"
    )
    return module


def test_render_fetches_pins_caches_and_refuses_a_changed_archive(
    repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path / "cache"))
    module = str(_module(tmp_path, repository.url))
    runner = CliRunner()
    r = runner.invoke(cli, ["render", module, "--out", "out", "--require-charts"])
    assert r.exit_code == 0, r.output
    index = json.loads((tmp_path / "out/index.json").read_text())
    bundle = index["batches"][1]["bundles"][0]
    assert bundle["renderedChart"]["source"] == "network"
    assert bundle["renderedChart"]["digest"] == "sha256:" + file_sha256(
        repository.root / "pxc-operator-1.18.0.tgz"
    )
    lock = (tmp_path / "modsys.lock").read_text()
    assert "pxc-operator" in lock and repository.url in lock
    served = len(repository.requests)

    # warm: a second render is served from the cache, no request at all
    r = runner.invoke(cli, ["render", module, "--out", "out2", "--require-charts"])
    assert r.exit_code == 0, r.output
    assert len(repository.requests) == served

    # the repository re-publishes 1.18.0 with other bytes (an index agreeing with them)
    archive = repository.root / "pxc-operator-1.18.0.tgz"
    old = file_sha256(archive)
    archive.write_bytes(archive.read_bytes() + b"\0" * 16)
    new = file_sha256(archive)
    index_file = repository.root / "index.yaml"
    index_file.write_text(index_file.read_text().replace(old, new))
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path / "fresh-cache"))
    r = runner.invoke(cli, ["render", module, "--out", "out3"])
    assert r.exit_code == 1
    assert "pxc-operator 1.18.0" in r.stderr and old in r.stderr and new in r.stderr
    assert not (tmp_path / "out3").exists()  # nothing rendered
    assert (tmp_path / "modsys.lock").read_text() == lock

    # offline: the server is gone, nothing cached, no mirror: still renders, says what is not
    repository.stop()
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path / "empty-cache"))
    r = runner.invoke(cli, ["render", module, "--out", "out4"])
    assert r.exit_code == 0, r.output
    assert "chart bundle operators/pxc-operator was not rendered" in r.stderr
    assert "unvalidated" in r.stderr
    r = runner.invoke(cli, ["plan", module, "--require-charts"])
    assert r.exit_code == 1 and "--require-charts" in r.stderr
