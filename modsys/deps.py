"""Dependencies of values: which options a computation read.

While an option's value is computed (its definitions resolved, thunks forced, the type's merge,
`apply`), an attribute-set entry is filled or a freeform configuration is merged, the engine
keeps a *frame* on `FRAMES`: a list that every option read appends to (`Option.value`, so every
`config.x.y` read through a `ConfigView`, cached or not). When the computation ends, the frame
becomes the value's dependency record (`Option._deps`, `AttrSet._deps[key]`,
`Evaluation._freeform_deps`); reading an attribute-set entry or a freeform value forwards its
record to the reader's frame, so a reader depends on what it read transitively.

One record serves two purposes:

- provenance (`Evaluation.explain(path).reads`: the options a value was computed from, and
  where those came from, recursively);
- secrecy: a value is *secret* when its option is declared `sensitive`, lies inside a sensitive
  option (an entry, a submodule option), or was computed from a secret value
  (`Option._secret`). Secret values never appear in messages (`redacting`) or outputs
  (`modsys.dump`).

A frame holds `Option` objects (duplicates allowed: deduplicated when stored). The record is
cycle-free by construction: a value that is being computed cannot be read (that is an
"infinite recursion" error), so every option in a record finished before the reader did.

`ENABLED = False` turns recording off (for measuring its cost); secrecy through derived values
then stops working, so only benchmarks do that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: the frames of the computations in progress, innermost last (shared by all evaluations)
FRAMES: list[list[Any]] = []

#: whether computations record their reads (benchmarks switch it off to measure the cost)
ENABLED = True

#: non-empty while the value of a sensitive option (or something inside one) is computed
REDACTING: list[object] = []

#: set by a front end that was asked to show secrets (`--show-secrets`): messages then show them
REVEAL = False


#: the text of every secret value computed so far (strings of `MIN_SECRET_TEXT` characters or
#: more, and their base64): outputs that carry values beyond the reach of the dependency
#: record (a plan built from the whole configuration) hide whatever contains one
SECRET_TEXTS: set[str] = set()
MIN_SECRET_TEXT = 6
_MAX_TEXTS = 100_000


def remember(value: Any, depth: int = 0) -> None:
    """Note the strings of a secret value (plain data only: nothing lazy is forced)."""
    t = type(value)
    if t is str:
        if len(value) >= MIN_SECRET_TEXT and len(SECRET_TEXTS) < _MAX_TEXTS:
            import base64

            SECRET_TEXTS.add(value)
            SECRET_TEXTS.add(base64.b64encode(value.encode()).decode())
    elif depth < 20 and t is dict:
        for v in value.values():
            remember(v, depth + 1)
    elif depth < 20 and (t is list or t is tuple):
        for v in value:
            remember(v, depth + 1)


def secret_scope(loc: tuple[str, ...]) -> bool:
    """Whether something created now at `loc` lies inside the sensitive value being computed
    (a submodule evaluation or attribute set that is part of it)."""
    if not REDACTING:
        return False
    top = REDACTING[-1]
    top_loc = getattr(top, "loc", None)
    if top_loc is None:
        top_loc = getattr(top, "_loc", None)
    return top_loc is not None and tuple(loc[: len(top_loc)]) == tuple(top_loc)


def stored(frame: list[Any]) -> tuple[Any, ...]:
    """A frame as a record: each option once, in first-read order."""
    if not frame:
        return ()
    return tuple(dict.fromkeys(frame))


def any_secret(record: Iterable[Any]) -> bool:
    return any(opt._secret for opt in record)


def in_secret_computation() -> bool:
    """Whether the computation in progress has read a secret value so far (or is the value of a
    sensitive option): a message about it must not show values."""
    if REVEAL:
        return False
    if REDACTING:
        return True
    return any(any_secret(frame) for frame in FRAMES)


def sources(record: Iterable[Any], limit: int = 200) -> list[Any]:
    """The sensitive options a record leads to, transitively (the secrets a value was computed
    from)."""
    out: dict[Any, None] = {}
    seen: set[int] = set()
    todo = list(record)
    while todo and len(seen) < limit:
        opt = todo.pop()
        if id(opt) in seen or not opt._secret:
            continue
        seen.add(id(opt))
        if opt.sensitive:
            out[opt] = None
        todo.extend(opt._deps or ())
    return list(out)
