"""The fast YAML path gives exactly what PyYAML's safe loader gives (timestamps as text)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml

from modsys.charts.documents import _Loader, load_documents
from modsys.charts.helm import sdk

SAMPLES = [
    "a: 1\nb: -0x1F\nc: 0o17\nd: 017\ne: 1_000\nf: 1:20\ng: 3.5\nh: .inf\ni: -.NaN\nj: 6.8e+3\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: ''\nj: 'yes'\nk: \"1\"\n",
    "when: 2024-01-01\nstamp: 2001-12-14t21:59:43.10-05:00\nversion: 1.20\nport: '80'\n",
    "script: |\n  echo 1\n  echo 2\nfolded: >\n  a\n  b\nlist: [1, two, {x: y}]\nempty: {}\n",
    "---\n# comment only\n---\napiVersion: v1\nkind: List\n...\n---\n",
    "base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n",  # the PyYAML path
    "<<: {a: 1}\nb: 2\n",
    "tagged: !!str 12\nbinary: !!binary aGk=\nset: !!set {a, b}\n",
    "? [complex, key]\n: value\n",  # an error either way
    "1: int key\ntrue: bool key\nnull: null key\n3.5: float key\n",
    "=: value-tag\nunicode: \u00e9t\u00e9 \U0001f600\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_as_pyyaml(text: str) -> None:
    try:
        expected = list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            load_documents(text)
        return
    assert load_documents(text) == expected


def test_errors_are_yaml_errors() -> None:
    with pytest.raises(yaml.YAMLError):
        load_documents("kind: [\n")


def test_every_mirror_chart_output(mirror: Path) -> None:
    helm = sdk()
    for archive in sorted(mirror.glob("*.tgz")):
        if "1.24.2" in archive.name:  # the same templates as 1.24.6
            continue
        with helm.Chart.load(archive) as chart:
            texts = {c["filename"]: c["data"] for c in chart.crds}
            # Istio 1.24's gateway rejects its own defaults (see test_render.py)
            with contextlib.suppress(helm.HelmValuesError):
                texts |= chart.render({}, name="r", namespace="ns")
        for name, text in texts.items():
            if not name.endswith("NOTES.txt"):
                assert load_documents(text) == list(yaml.load_all(text, Loader=_Loader)), name
