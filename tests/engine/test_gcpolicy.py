"""The garbage-collector policy: pauses nest, overlap across threads, and leave the program's
own choice alone."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from modsys import eval_modules, gcpolicy, mk_option


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_nested_pauses_enable_the_collector_when_the_outermost_closes() -> None:
    with gcpolicy.paused():
        assert not gc.isenabled()
        with gcpolicy.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_program_turned_off_stays_off() -> None:
    gc.disable()
    with gcpolicy.paused():
        pass
    assert not gc.isenabled()
    eval_modules([{"options": {}}]).to_dict()
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads() -> None:
    opened = threading.Barrier(2)
    closed_first = threading.Event()

    def first() -> None:
        assert gcpolicy.pause() is True
        opened.wait()
        gcpolicy.resume()
        closed_first.set()

    thread = threading.Thread(target=first)
    thread.start()
    opened.wait()  # the other thread's pause is open: this one has nothing to close
    assert not gc.isenabled()
    with gcpolicy.paused():
        closed_first.wait()
    thread.join()
    assert gc.isenabled()


def test_an_error_inside_a_pause_closes_it() -> None:
    with pytest.raises(ZeroDivisionError), gcpolicy.paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_evaluation_leaves_the_collector_on() -> None:
    ev = eval_modules([{"options": {"a": {"b": mk_option(default=1)}}}])
    assert ev.to_dict() == {"a": {"b": 1}}
    assert gc.isenabled()
