"""Conformance on the realistic workload: modsys must produce exactly the `config` that the real
NixOS module system produced for the same modules (`../shared/bench/`).

The workload is generated with `gen_workload.py N --out-dir <tmp>`; the `.sha256` pin in
`expected/` proves it is the workload the expected output came from. The JSON is turned into
modsys modules by `benchmarks/workload.py`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import modsys
from benchmarks.workload import load_workload
from tests.needs import SHARED, shared_path

BENCH = SHARED / "bench"
GENERATOR = BENCH / "gen_workload.py"
EXPECTED = BENCH / "expected"


@pytest.fixture(autouse=True)
def _reference_workload() -> None:
    shared_path("bench", "gen_workload.py")


def _generate(n: int, out_dir: Path) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), str(n), "--out-dir", str(out_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    path = out_dir / f"workload-{n}.json"
    assert path.exists(), f"the generator did not write {path}"
    return path


def _pinned_sha256(n: int) -> str:
    line = (EXPECTED / f"workload-{n}.json.sha256").read_text().split()
    return line[0]


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 200 else text[:200] + "…"


def _differences(expected: Any, actual: Any, path: str = "config", limit: int = 10) -> list[str]:
    """The first differing paths, with both values (as `sort_keys` JSON, shortened)."""
    out: list[str] = []

    def walk(e: Any, a: Any, p: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(e, dict) and isinstance(a, dict):
            for k in sorted(set(e) | set(a)):
                if k not in a:
                    out.append(f"{p}.{k}: missing in modsys (expected {_show(e[k])})")
                elif k not in e:
                    out.append(f"{p}.{k}: unexpected in modsys (got {_show(a[k])})")
                else:
                    walk(e[k], a[k], f"{p}.{k}")
                if len(out) >= limit:
                    return
        elif isinstance(e, list) and isinstance(a, list):
            if len(e) != len(a):
                out.append(f"{p}: list length {len(a)}, expected {len(e)}")
            for i, (x, y) in enumerate(zip(e, a, strict=False)):
                walk(x, y, f"{p}[{i}]")
                if len(out) >= limit:
                    return
        elif type(e) is not type(a) or e != a:
            out.append(f"{p}: modsys gives {_show(a)}, expected {_show(e)}")

    walk(expected, actual, path)
    return out


@pytest.mark.parametrize("n", [10, 100])
def test_workload_matches_nixos(n: int, tmp_path: Path) -> None:
    workload = _generate(n, tmp_path)
    digest = hashlib.sha256(workload.read_bytes()).hexdigest()
    assert digest == _pinned_sha256(n), (
        f"the generated workload-{n}.json (sha256 {digest}) is not the one "
        f"expected/config-{n}.json was produced from; the generator or its Python changed"
    )
    expected = json.loads((EXPECTED / f"config-{n}.json").read_text())

    evaluation = modsys.eval_modules(load_workload(workload))
    actual = evaluation.to_dict()

    # `==` alone would accept 1 for true and a tuple for a list; the walk compares types too
    diffs = _differences(expected, actual)
    if diffs or actual != expected:
        pytest.fail(
            f"modsys differs from NixOS on workload N={n} (first {len(diffs)} differences):\n  "
            + "\n  ".join(diffs or ["(no structural difference found: check key order/types)"])
        )


def test_difference_report_names_paths() -> None:
    diffs = _differences({"a": {"b": [1, 2], "c": "x"}}, {"a": {"b": [1, 3], "d": True}})
    assert diffs == [
        "config.a.b[1]: modsys gives 3, expected 2",
        'config.a.c: missing in modsys (expected "x")',
        "config.a.d: unexpected in modsys (got true)",
    ]


def test_adapter_maps_every_mk_node() -> None:
    """The `$mk` kinds the generated workload does not use (`order`) and the corner cases of the
    others, on a hand-written document in the same format."""

    def cfg(*path: str) -> dict[str, Any]:
        return {"$mk": "cfg", "path": list(path)}

    doc = {
        "format": "nix-anchor-workload/1",
        "modules": [
            {
                "file": "decl.nix",
                "options": {
                    "xs": {"$option": {"type": {"type": "listOf", "elemType": {"type": "int"}}}},
                    "name": {"$option": {"type": {"type": "str"}, "default": "n"}},
                    "subs": {
                        "$option": {
                            "type": {
                                "type": "attrsOf",
                                "elemType": {
                                    "type": "submodule",
                                    "options": {
                                        "ns": {
                                            "$option": {
                                                "type": {"type": "str"},
                                                "default": {"$mk": "name"},
                                            }
                                        }
                                    },
                                },
                            },
                            "default": {},
                        }
                    },
                    "greeting": {
                        "$option": {"type": {"type": "nullOr", "elemType": {"type": "str"}}}
                    },
                },
                "config": {},
            },
            {
                "file": "a.nix",
                "config": {
                    "xs": {"$mk": "order", "priority": 1200, "content": [3]},
                    "name": {"$mk": "override", "priority": 90, "content": "m"},
                    "subs": {"one": {}, "two": {"ns": "other"}},
                    "greeting": {
                        "$mk": "merge",
                        "contents": [
                            {
                                "$mk": "if",
                                "condition": {"$mk": "eq", "args": [cfg("name"), "m"]},
                                "content": {"$mk": "concat", "args": ["hi ", cfg("name"), "!"]},
                            },
                            {
                                "$mk": "if",
                                "condition": {"$mk": "eq", "args": [cfg("name"), "n"]},
                                "content": "unused",
                            },
                        ],
                    },
                },
            },
            {
                "file": "b.nix",
                "config": {
                    "xs": [{"$mk": "default", "content": 2}],
                    "name": "plain loses to mkOverride 90",
                },
            },
            {"file": "c.nix", "config": {"xs": {"$mk": "before", "content": [1]}}},
        ],
    }
    from benchmarks.workload import workload_modules

    result = modsys.eval_modules(workload_modules(doc)).to_dict()
    assert result == {
        "xs": [1, 2, 3],
        "name": "m",
        "subs": {"one": {"ns": "one"}, "two": {"ns": "other"}},
        "greeting": "hi m!",
    }
