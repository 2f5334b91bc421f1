"""Regenerate `data/api_versions.json`, the kind -> apiVersion table of every bundled version.

Run `python -m modsys.kube._generate` after upgrading `kubernetes-validate`; the test suite fails
while the file is stale. Output is deterministic (sorted keys), so a diff shows what changed.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys

from modsys.kube.kinds import (
    DATA_FILE,
    SUPPORTED_VERSIONS,
    kinds_from_definitions,
    read_definitions,
)


def build_table() -> dict:
    """The content of the data file, computed from the installed kubernetes-validate."""
    return {
        "source": f"kubernetes-validate {importlib.metadata.version('kubernetes-validate')}",
        "versions": {
            minor: kinds_from_definitions(read_definitions(minor)) for minor in SUPPORTED_VERSIONS
        },
    }


def render(table: dict) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def main() -> int:
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    DATA_FILE.write_text(render(build_table()), encoding="utf-8")
    print(f"wrote {DATA_FILE} ({len(SUPPORTED_VERSIONS)} Kubernetes versions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
