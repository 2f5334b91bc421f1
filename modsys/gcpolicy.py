"""When the cyclic garbage collector runs: the one place that decides it.

Evaluation allocates many small, long-lived objects (the option tree, merged values, lazy sets);
collections during it only walk them again and again, which made run time grow with N². So a
bulk stretch of work pauses the collector (`paused()`, or `pause()`/`resume()` where a
`with` block would cost too much on a hot path) and, on resuming, moves what it allocated
straight to the oldest generation (`resume`'s docstring says why and how). A new top-level
evaluation first makes up for the full collections the promoted objects did not trigger
(`collect_promoted`). A short-lived command tunes the thresholds once (`tune_for_command`).

Pauses nest and may overlap across threads: the collector is paused while any pause is open,
and is enabled again when the last one closes, only if it was enabled when the first began (a
program that disabled it itself keeps it disabled).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

#: young objects left by a paused stretch of evaluation above which `resume` promotes them
_PROMOTE_ABOVE = 20_000
#: objects promoted since the last full collection above which a new evaluation collects first
_COLLECT_ABOVE = 1_000_000
#: thresholds for a command that evaluates once and exits (`tune_for_command`)
_COMMAND_THRESHOLDS = (50_000, 20, 100)

_lock = threading.RLock()  # (a finalizer run by a collection may pause again)
_depth = 0  # open pauses
_promoted = 0  # objects promoted by `resume` since the full collection numbered `_full_seen`
_full_seen = -1


def pause() -> bool:
    """Pause the collector; True if this opened a pause, which `resume()` must then close.

    False when the collector is off already (an open pause, or the program's own choice):
    there is nothing to close then, and the check costs next to nothing on hot paths.
    """
    global _depth
    if not gc.isenabled():
        return False
    with _lock:
        if _depth == 0:
            if not gc.isenabled():  # (the program turned it off meanwhile)
                return False
            gc.disable()
        _depth += 1
    return True


def resume() -> None:
    """Close a pause that `pause()` opened (returned True for); the last one to close
    enables the collector again.

    The objects allocated meanwhile are nearly all long-lived (the evaluation's option tree and
    values), and they all sit in the youngest generation: left there, the next young collection
    would walk every one of them, and the middle generation's collection again, only to promote
    them. They are moved to the oldest generation directly instead (`gc.freeze()` then
    `gc.unfreeze()`: two list splices), where the next full collection examines them as it
    would anyway. Skipped when the program keeps objects frozen itself.

    Promoted objects bypass the interpreter's count of what survived into the oldest generation,
    which is what schedules full collections; `collect_promoted` makes up for it, so garbage
    from earlier evaluations (cyclic: an evaluation refers to itself) does not pile up.
    """
    global _depth, _promoted, _full_seen
    with _lock:
        _depth -= 1
        if _depth:
            return
        # (still paused: with the collector on, any allocation here would start the young
        # collection this is meant to spare)
        young = gc.get_count()[0]
        if young > _PROMOTE_ABOVE and not gc.get_freeze_count():
            full = _full_collections()
            if full != _full_seen:
                _full_seen, _promoted = full, 0
            gc.freeze()
            gc.unfreeze()
            _promoted += young
        gc.enable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the duration of a `with` block (see the module docstring)."""
    opened = pause()
    try:
        yield
    finally:
        if opened:
            resume()


def _full_collections() -> int:
    return int(gc.get_stats()[-1]["collections"])


def collect_promoted() -> None:
    """Before a new top-level evaluation: a full collection if many objects were promoted
    since the last one (what the interpreter would have scheduled for them)."""
    global _promoted, _full_seen
    with _lock:
        if _promoted > _COLLECT_ABOVE and gc.isenabled():
            if _full_collections() == _full_seen:
                gc.collect()
            _full_seen, _promoted = _full_collections(), 0


def tune_for_command() -> None:
    """For a process that evaluates once and exits (the CLI): collect young objects rarely.
    Full collections over the large, long-lived configuration were most of the run time on
    big estates."""
    gc.set_threshold(*_COMMAND_THRESHOLDS)


__all__ = ["collect_promoted", "pause", "paused", "resume", "tune_for_command"]
