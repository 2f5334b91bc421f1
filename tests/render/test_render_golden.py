"""Every format renders the fixed sample plan to exactly the files stored in golden/<format>/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from render_plans import sample_plan

from modsys.render import RENDERERS, render

GOLDEN = Path(__file__).resolve().parent / "golden"


def _meta(result) -> str:
    meta = {"notes": result.notes, "executable": sorted(result.executable)}
    return json.dumps(meta, indent=2) + "\n"


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_renders_the_sample_plan_exactly_as_the_golden_files(fmt: str, update_goldens: bool):
    result = render(sample_plan(), fmt)
    tree, meta = GOLDEN / fmt, GOLDEN / f"{fmt}.json"
    if update_goldens:
        shutil.rmtree(tree, ignore_errors=True)
        for rel, data in result.files.items():
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_bytes(data)
        meta.write_text(_meta(result))
    stored = {
        p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*") if p.is_file()
    }
    assert sorted(result.files) == sorted(stored)
    for rel, data in result.files.items():
        assert data == stored[rel], f"{fmt}: {rel} differs from its golden file"
    assert _meta(result) == meta.read_text()
