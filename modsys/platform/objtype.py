"""The option type of one Kubernetes object: `attrs_of(anything)`, with a fast path.

Most objects are written once, in one module, as plain data. Merging such a definition through
`anything` builds a lazy attribute set per nesting level (about 20 per Deployment), which made
evaluation of large plans several times slower than everything else together. A single definition
that is plain data all the way down (no thunks, no `mk_*` properties) merges to itself, so it is
returned as is; anything else takes the general path, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from modsys import types as t
from modsys.merge import Def
from modsys.plain import is_plain


class _KubeObject(type(t.attrs_of(t.anything))):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(t.anything)

    def merge(self, loc: Sequence[str], defs: Sequence[Def]) -> Any:
        if len(defs) == 1 and type(defs[0].value) is dict and is_plain(defs[0].value):
            return defs[0].value
        return super().merge(loc, defs)


kube_object = _KubeObject()
"""`attrs_of(anything)` for Kubernetes objects (same checks, same merge, same description)."""
