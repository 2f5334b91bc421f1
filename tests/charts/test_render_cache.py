"""The render cache: an unchanged chart, values and release do not run Helm again."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import modsys.charts.render as render_module
from modsys.charts import (
    ChartRef,
    ChartSource,
    RenderCache,
    RenderRequest,
    render_chart,
    render_key,
)
from tests.needs import REPO


@pytest.fixture
def helm_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call into Helm's render, by chart (the real one still runs)."""
    calls: list[str] = []
    real = render_module.helm_render

    def counting(chart: object, values: dict, options: dict) -> dict[str, str]:
        calls.append(options["name"])
        return real(chart, values, options)

    monkeypatch.setattr(render_module, "helm_render", counting)
    return calls


def test_second_render_does_not_call_helm(
    offline: ChartSource, mirror: Path, tmp_path: Path, helm_calls: list[str]
) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / "istiod-1.24.6.tgz"))
    request = RenderRequest("istiod", {"pilot": {"replicaCount": 2}}, namespace="istio-system")
    cache = RenderCache(tmp_path / "cache")
    cold = render_chart(fetched, request, cache)
    warm = render_chart(fetched, request, cache)  # from memory
    assert helm_calls == ["istiod"]
    assert (cache.hits, cache.misses) == (1, 1)
    assert warm.to_json() == cold.to_json()
    warm.manifests[0].object["kind"] = "Mutated"  # a caller's change stays its own
    assert render_chart(fetched, request, cache).to_json() == cold.to_json()

    RenderCache.forget_memory()  # a new process: from disk
    from_disk = render_chart(fetched, request, RenderCache(tmp_path / "cache"))
    assert from_disk.to_json() == cold.to_json()
    assert helm_calls == ["istiod"]
    (entry,) = (tmp_path / "cache" / "renders").iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # rendered Secrets stay private


def test_anything_that_changes_the_output_changes_the_key(
    offline: ChartSource, mirror: Path
) -> None:
    sha = offline.fetch(ChartRef(path=mirror / "pxc-db-1.18.0.tgz")).sha256
    base = RenderRequest("db", {"a": {"b": 1, "c": 2}}, namespace="ns")
    keys = {
        render_key(sha, base),
        render_key("0" * 64, base),
        render_key(sha, RenderRequest("db", {"a": {"b": 1, "c": 3}}, namespace="ns")),
        render_key(sha, RenderRequest("db2", {"a": {"b": 1, "c": 2}}, namespace="ns")),
        render_key(sha, RenderRequest("db", {"a": {"b": 1, "c": 2}}, namespace="other")),
        render_key(
            sha, RenderRequest("db", {"a": {"b": 1, "c": 2}}, namespace="ns", kube_version="1.30")
        ),
        render_key(
            sha,
            RenderRequest(
                "db", {"a": {"b": 1, "c": 2}}, namespace="ns", skip_schema_validation=True
            ),
        ),
    }
    assert len(keys) == 7
    same_values_other_order = RenderRequest("db", {"a": {"c": 2, "b": 1}}, namespace="ns")
    assert render_key(sha, same_values_other_order) == render_key(sha, base)


def test_a_warm_render_does_not_load_helm(
    offline: ChartSource, mirror: Path, tmp_path: Path
) -> None:
    """The ~85 MB native library is not even loaded when every chart is in the cache."""
    script = """
import json, sys
from pathlib import Path
from modsys.charts import ChartCache, ChartRef, ChartSource, RenderCache, RenderRequest, render_chart
cache = ChartCache(Path(sys.argv[1]))
fetched = ChartSource(cache, network=False).fetch(ChartRef(path=Path(sys.argv[2])))
rendered = render_chart(fetched, RenderRequest("db", namespace="db"), RenderCache(cache.root))
print(json.dumps([len(rendered.manifests), "helm_python" in sys.modules]))
"""
    archive = str(mirror / "pxc-db-1.18.0.tgz")
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def run() -> list:
        out = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "cache"), archive],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
        return json.loads(out.stdout)

    assert run() == [3, True]  # cold: Helm renders
    assert run() == [3, False]  # warm: from disk, Helm never loaded


def test_a_damaged_entry_is_rendered_again(
    offline: ChartSource, mirror: Path, tmp_path: Path, helm_calls: list[str]
) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / "istiod-1.24.6.tgz"))
    request = RenderRequest("istiod")
    render_chart(fetched, request, RenderCache(tmp_path / "c"))
    RenderCache.forget_memory()
    (entry,) = (tmp_path / "c" / "renders").iterdir()
    entry.write_text("{not json")
    again = render_chart(fetched, request, RenderCache(tmp_path / "c"))
    assert len(again.manifests) == 17
    assert helm_calls == ["istiod", "istiod"]
