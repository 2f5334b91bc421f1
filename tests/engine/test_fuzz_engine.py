"""A seeded fuzz run of the engine (the long run: `benchmarks/fuzz_engine.py`): random module sets
through `eval_modules`, `to_dict` and `explain`; nothing but `ModsysError` escapes, nothing hangs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "fuzz_engine", Path(__file__).parents[2] / "benchmarks" / "fuzz_engine.py"
)
assert _SPEC is not None and _SPEC.loader is not None
fuzz = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fuzz)


def test_fuzzed_module_sets_raise_only_modsys_errors() -> None:
    assert fuzz.main(500, 1234) == 0
