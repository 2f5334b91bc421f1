"""Fetching charts: a Helm repository on 127.0.0.1, the cache, mirrors, the lock, offline."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from modsys.charts import (
    ChartCache,
    ChartDigestMismatch,
    ChartError,
    ChartNotFound,
    ChartRef,
    ChartRenderer,
    ChartSource,
    ChartUnavailable,
    LockFile,
    RenderCache,
    RenderRequest,
    render_chart,
)
from modsys.charts.digests import file_sha256, tree_sha256
from tests.charts.chart_files import write_chart
from tests.charts.conftest import Repository


def sums(mirror: Path) -> dict[str, str]:
    lines = (mirror / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines)}


def source(cache: ChartCache, lock: Path, **kw: object) -> ChartSource:
    return ChartSource(cache, LockFile.load(lock), **kw)  # type: ignore[arg-type]


def test_fetch_from_repository_pins_and_caches(
    repository: Repository, cache: ChartCache, tmp_path: Path, mirror: Path
) -> None:
    lock = tmp_path / "modsys.lock"
    src = source(cache, lock)
    ref = ChartRef("pxc-db", "1.18.0", repository=repository.url)
    fetched = src.fetch(ref)
    assert fetched.source == "network"
    assert fetched.sha256 == sums(mirror)["pxc-db-1.18.0.tgz"]
    assert fetched.url == f"{repository.url}/pxc-db-1.18.0.tgz"
    assert (fetched.name, fetched.version) == ("pxc-db", "1.18.0")
    assert fetched.path == cache.archive_path(fetched.sha256)
    assert repository.requests == ["/charts/index.yaml", "/charts/pxc-db-1.18.0.tgz"]
    assert src.fetch(ref) is fetched  # once per run
    assert src.lock is not None and src.lock.save()
    pinned = yaml.safe_load(lock.read_text())["charts"]
    assert pinned == [
        {
            "repository": repository.url,
            "name": "pxc-db",
            "version": "1.18.0",
            "sha256": fetched.sha256,
            "url": fetched.url,
        }
    ]


def test_second_fetch_makes_no_request(
    repository: Repository, cache: ChartCache, tmp_path: Path
) -> None:
    lock = tmp_path / "modsys.lock"
    ref = ChartRef("istiod", "1.24.6", repository=repository.url)
    first = source(cache, lock)
    first.fetch(ref)
    assert first.lock is not None
    first.lock.save()
    count = len(repository.requests)
    again = source(cache, lock).fetch(ref)  # a new run: by the lock's digest
    assert again.source == "cache"
    unlocked = ChartSource(cache).fetch(ref)  # no lock file: by the cache's own record
    assert unlocked.source == "cache"
    assert unlocked.sha256 == again.sha256
    assert len(repository.requests) == count
    repository.stop()  # and it needs no server either
    assert source(cache, lock).fetch(ref).source == "cache"


def test_mirror_comes_before_cache_and_network(
    repository: Repository, cache: ChartCache, tmp_path: Path, mirror: Path
) -> None:
    src = source(cache, tmp_path / "modsys.lock", mirrors=(tmp_path / "empty", mirror))
    fetched = src.fetch(ChartRef("base", "1.24.2", repository=repository.url))
    assert fetched.source == "mirror"
    assert fetched.path == mirror / "base-1.24.2.tgz"
    assert repository.requests == []
    assert src.lock is not None and src.lock.get(fetched.ref, "base", "1.24.2") is not None


def test_changed_archive_behind_the_same_version_is_refused(
    repository: Repository, tmp_path: Path, mirror: Path
) -> None:
    lock = tmp_path / "modsys.lock"
    ref = ChartRef("base", "1.24.6", repository=repository.url)
    first = source(ChartCache(tmp_path / "cache1"), lock)
    first.fetch(ref)
    assert first.lock is not None
    first.lock.save()
    pinned_text = lock.read_text()

    # The repository re-publishes 1.24.6 with other bytes (and an index that agrees with them).
    served = repository.root / "base-1.24.6.tgz"
    served.write_bytes(served.read_bytes() + b"\0" * 16)  # still the same gzip stream
    new_digest = file_sha256(served)
    index = (repository.root / "index.yaml").read_text()
    (repository.root / "index.yaml").write_text(
        index.replace(sums(mirror)["base-1.24.6.tgz"], new_digest)
    )

    fresh_cache = ChartCache(tmp_path / "cache2")
    src = source(fresh_cache, lock)
    with pytest.raises(ChartDigestMismatch) as err:
        src.fetch(ref)
    message = str(err.value)
    assert "base 1.24.6" in message
    assert sums(mirror)["base-1.24.6.tgz"] in message and new_digest in message
    assert err.value.expected == sums(mirror)["base-1.24.6.tgz"]
    assert err.value.actual == new_digest
    assert lock.read_text() == pinned_text
    assert src.lock is not None and not src.lock.save()
    assert not fresh_cache.archive_path(new_digest).exists()  # nothing written


def test_archive_not_matching_the_index_digest_is_refused(
    repository: Repository, cache: ChartCache, tmp_path: Path
) -> None:
    served = repository.root / "istiod-1.24.2.tgz"
    served.write_bytes(served.read_bytes() + b"\0" * 16)
    with pytest.raises(ChartDigestMismatch, match=re.escape("index.yaml says")):
        source(cache, tmp_path / "modsys.lock").fetch(
            ChartRef("istiod", "1.24.2", repository=repository.url)
        )
    assert not any(cache.root.rglob("*.tgz"))


def test_offline_without_mirror_or_cache_is_unavailable(
    repository: Repository, cache: ChartCache, tmp_path: Path
) -> None:
    url = repository.url
    repository.stop()
    ref = ChartRef("pxc-operator", "1.18.0", repository=url)
    with pytest.raises(ChartUnavailable) as err:
        source(cache, tmp_path / "modsys.lock").fetch(ref)
    assert "pxc-operator 1.18.0" in str(err.value)
    assert "cannot reach" in str(err.value)
    assert type(err.value) is ChartUnavailable
    with pytest.raises(ChartUnavailable, match="network is not used"):
        source(cache, tmp_path / "modsys.lock", network=False).fetch(ref)


def test_unknown_version_lists_the_known_ones(
    repository: Repository, cache: ChartCache, tmp_path: Path
) -> None:
    src = source(cache, tmp_path / "modsys.lock")
    with pytest.raises(
        ChartNotFound, match=r"no version 9\.9\.9 of istiod \(it has: 1\.24\.6, 1\.24\.2\)"
    ):
        src.fetch(ChartRef("istiod", "9.9.9", repository=repository.url))
    with pytest.raises(ChartNotFound, match="no chart 'nope'"):
        src.fetch(ChartRef("nope", "1.0.0", repository=repository.url))
    assert repository.requests.count("/charts/index.yaml") == 1  # the index is read once


def test_mirror_file_holding_another_chart_is_refused(
    cache: ChartCache, tmp_path: Path, mirror: Path
) -> None:
    fake = tmp_path / "fake-mirror"
    fake.mkdir()
    shutil.copy(mirror / "base-1.24.6.tgz", fake / "istiod-1.24.6.tgz")
    src = source(cache, tmp_path / "modsys.lock", mirrors=(fake,), network=False)
    with pytest.raises(ChartError, match=re.escape("holds chart base 1.24.6, not istiod 1.24.6")):
        src.fetch(ChartRef("istiod", "1.24.6", repository="https://charts.example"))


def test_local_archive_is_pinned_relative_to_the_lock(
    cache: ChartCache, tmp_path: Path, mirror: Path
) -> None:
    archive = tmp_path / "vendor" / "pxc-db-1.18.0.tgz"
    archive.parent.mkdir()
    shutil.copy(mirror / "pxc-db-1.18.0.tgz", archive)
    src = source(cache, tmp_path / "modsys.lock")
    fetched = src.fetch(ChartRef(path=archive))
    assert (fetched.source, fetched.path, fetched.name) == ("path", archive, "pxc-db")
    assert src.lock is not None
    assert "path: vendor/pxc-db-1.18.0.tgz" in src.lock.text()
    with pytest.raises(ChartError, match=re.escape("holds chart pxc-db 1.18.0, not pxc-db 1.17.0")):
        src.fetch(ChartRef("pxc-db", "1.17.0", path=archive))


def test_local_directory_digest_follows_its_files(cache: ChartCache, tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path / "demo",
        {"Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n", "templates/a.yaml": "# a\n"},
    )
    digest = tree_sha256(chart)
    assert tree_sha256(chart) == digest
    src = source(cache, tmp_path / "modsys.lock")
    fetched = src.fetch(ChartRef(path=chart))
    assert (fetched.sha256, fetched.name, fetched.version) == (digest, "demo", "0.1.0")
    assert src.lock is not None and not src.lock.entries  # directories are not pinned
    (chart / "templates" / "a.yaml").write_text("# b\n")
    assert tree_sha256(chart) != digest
    (chart / "templates" / "a.yaml").write_text("# a\n")
    (chart / "templates" / "b.yaml").write_text("")
    assert tree_sha256(chart) != digest


def test_missing_local_path_is_an_error_not_unavailable(cache: ChartCache, tmp_path: Path) -> None:
    with pytest.raises(ChartError, match="does not exist") as err:
        ChartSource(cache).fetch(ChartRef(path=tmp_path / "nope"))
    assert not isinstance(err.value, ChartUnavailable)


def test_damaged_cache_entry_is_fetched_again(
    repository: Repository, cache: ChartCache, tmp_path: Path
) -> None:
    ref = ChartRef("gateway", "1.24.6", repository=repository.url)
    first = ChartSource(cache).fetch(ref)
    first.path.write_bytes(b"damaged")
    again = ChartSource(cache).fetch(ref)
    assert again.source == "network"
    assert file_sha256(again.path) == first.sha256


def test_renderer_from_settings(
    repository: Repository, tmp_path: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"MODSYS_CACHE_DIR": str(tmp_path / "cache"), "MODSYS_CHART_MIRROR": str(mirror)}
    charts = ChartRenderer.from_settings(mirrors=[tmp_path / "none"], environ=env)
    assert charts.source.mirrors == (tmp_path / "none", mirror)
    assert charts.source.cache.root == tmp_path / "cache"
    ref = ChartRef("pxc-db", "1.18.0", repository=repository.url)
    rendered = charts.render(ref, RenderRequest("db", namespace="db"))
    assert len(rendered.all_objects()) == 3
    assert charts.fetch(ref).source == "mirror"
    assert repository.requests == []
    assert charts.save_lock() and (tmp_path / "modsys.lock").is_file()
    assert not charts.save_lock()


def test_unwritable_cache_and_lock_are_clear_errors(
    repository: Repository, tmp_path: Path, mirror: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    ref = ChartRef("pxc-db", "1.18.0", repository=repository.url)
    with pytest.raises(ChartError, match=r"cannot write to the chart cache .*MODSYS_CACHE_DIR"):
        ChartSource(ChartCache(blocker / "cache")).fetch(ref)
    lock = LockFile.load(tmp_path / "modsys.lock")
    lock.path = blocker / "modsys.lock"  # its folder went away (a read-only checkout)
    src = ChartSource(ChartCache(blocker / "cache"), lock, mirrors=(mirror,))
    rendered = render_chart(src.fetch(ref), RenderRequest("db"), RenderCache(blocker / "cache"))
    assert len(rendered.manifests) == 3  # the render cache is best effort
    assert src.lock is not None
    with pytest.raises(ChartError, match="cannot write the lock file"):
        src.lock.save()
