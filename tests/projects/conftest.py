"""Make the shared layer helpers (tests/examples/layer_helpers.py) importable."""

import sys
from pathlib import Path

_HELPERS = str(Path(__file__).resolve().parents[1] / "examples")
if _HELPERS not in sys.path:
    sys.path.insert(0, _HELPERS)
