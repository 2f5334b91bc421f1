"""Chart references, mirrors and the cache directory: what the CLI hands this package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modsys.charts import ChartError, ChartRef, chart_mirrors, default_cache_dir, mirrors_from_env


def test_ref_needs_exactly_one_origin() -> None:
    with pytest.raises(ChartError, match="exactly one"):
        ChartRef("a", "1", repository="https://x", path=Path("/tmp/a"))
    with pytest.raises(ChartError, match="exactly one"):
        ChartRef("a", "1")
    with pytest.raises(ChartError, match="needs a name and a version"):
        ChartRef("a", repository="https://x")
    with pytest.raises(ChartError, match="must be absolute"):
        ChartRef(path=Path("charts/a"))
    with pytest.raises(ChartError, match="neither"):
        ChartRef("a", "1", repository="ftp://x")
    with pytest.raises(ChartError, match="carries credentials") as err:
        ChartRef("a", "1", repository="https://me:hunter2@charts.example")
    assert "hunter2" not in str(err.value)


def test_ref_identity() -> None:
    a = ChartRef("a", "1", repository="https://x/charts/")
    assert a == ChartRef("a", "1", repository="https://x/charts")
    assert len({a, ChartRef("a", "1", repository="https://x/charts")}) == 1
    assert ChartRef("a", "1", repository="oci://r.example/charts").is_oci
    assert ChartRef(path="/tmp/a").is_local


def test_mirrors_from_the_environment() -> None:
    env = {"MODSYS_CHART_MIRROR": os.pathsep.join(["/m/one", "", "/m/two"])}
    assert mirrors_from_env(env) == (Path("/m/one"), Path("/m/two"))
    assert mirrors_from_env({}) == ()
    assert chart_mirrors(["/m/flag", "/m/two"], env) == (
        Path("/m/flag"),
        Path("/m/two"),
        Path("/m/one"),
    )


def test_cache_directory() -> None:
    assert default_cache_dir({"MODSYS_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}) == Path("/c")
    assert default_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/modsys")
    assert default_cache_dir({}) == Path("~/.cache/modsys").expanduser()
