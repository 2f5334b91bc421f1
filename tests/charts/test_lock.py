"""The lock file: deterministic text, verification, and a clear error for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from modsys.charts import ChartDigestMismatch, ChartError, ChartRef, LockFile

A = "a" * 64
B = "b" * 64


def test_text_is_sorted_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "modsys.lock"
    one, two = LockFile.load(path), LockFile.load(path)
    refs = [
        ChartRef("zeta", "1.0.0", repository="https://z.example"),
        ChartRef("alpha", "2.0", repository="https://a.example"),
        ChartRef("alpha", "1.0", repository="https://a.example"),
    ]
    for ref in refs:
        assert ref.name and ref.version
        one.pin(ref, ref.name, ref.version, A, f"{ref.repository}/x.tgz")
    for ref in reversed(refs):
        assert ref.name and ref.version
        two.pin(ref, ref.name, ref.version, A, f"{ref.repository}/x.tgz")
    assert one.text() == two.text()
    assert one.save() and not one.save()
    text = path.read_text()
    assert text.index("version: '1.0'") < text.index("version: '2.0'") < text.index("zeta")
    assert LockFile.load(path).text() == text


def test_verify_names_chart_version_and_both_digests(tmp_path: Path) -> None:
    lock = LockFile.load(tmp_path / "modsys.lock")
    ref = ChartRef("pxc-db", "1.18.0", repository="https://charts.example")
    lock.pin(ref, "pxc-db", "1.18.0", A, None)
    lock.verify(ref, "pxc-db", "1.18.0", A)
    with pytest.raises(ChartDigestMismatch) as err:
        lock.pin(ref, "pxc-db", "1.18.0", B, None)
    assert "pxc-db 1.18.0" in str(err.value)
    assert A in str(err.value) and B in str(err.value)
    assert lock.get(ref, "pxc-db", "1.18.0").sha256 == A  # type: ignore[union-attr]


def test_malformed_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "modsys.lock"
    path.write_text("charts: [{name: x}]\n")
    with pytest.raises(
        ChartError, match="is not a modsys lock file: charts\\[0\\] has no repository"
    ):
        LockFile.load(path)
    path.write_text("version: 7\n")
    with pytest.raises(ChartError, match="version: 1"):
        LockFile.load(path)
    path.write_text("charts: [\n")
    with pytest.raises(ChartError, match="invalid YAML"):
        LockFile.load(path)
