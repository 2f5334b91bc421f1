"""NixOS' `assertions` and `warnings` options, as a module with a fixed key."""

from __future__ import annotations

from modsys import types as t
from modsys.options import mk_option

assertions_module = {
    "key": "modsys:assertions",
    "_file": "modsys/assertions.py",
    "options": {
        "assertions": mk_option(
            type=t.list_of(t.unspecified),
            default=[],
            internal=True,
            description=(
                "Conditions that must hold, as `{assertion: bool, message: str}` records; "
                "`Evaluation.check()` reports every one that fails."
            ),
        ),
        "warnings": mk_option(
            type=t.list_of(t.str),
            default=[],
            internal=True,
            description="Messages printed (once, to stderr) when the configuration is used.",
        ),
    },
}
