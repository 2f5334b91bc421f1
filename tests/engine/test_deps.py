"""Dependencies of every value (`modsys.deps`): what a computation read, the chain `explain`
gives, and secrecy through derived values."""

from __future__ import annotations

import pytest

import modsys.deps
from modsys import eval_modules, mk_force, mk_if, mk_option, types
from modsys.errors import ModsysError


def _paths(reads):
    return [".".join(r.path) for r in reads]


def test_a_thunk_records_the_options_it_read():
    def m(config):
        return {
            "options": {
                "api": {"replicas": mk_option(types.int, default=1)},
                "out": mk_option(types.int),
                "other": mk_option(types.int, default=7),
            },
            "config": {"api": {"replicas": mk_force(3)}, "out": lambda: config.api.replicas},
        }

    ev = eval_modules([m])
    assert ev.config.out == 3
    e = ev.explain("out")
    assert _paths(e.reads) == ["api.replicas"]
    (r,) = e.reads
    assert r.value == 3 and r.priority == 50 and not r.secret
    assert ev.option_at("out").reads == (ev.option_at("api.replicas"),)
    assert ev.explain("other").reads == ()


def test_reads_are_recursive_and_depth_limited():
    n = 8

    def m(config):
        def after(i):
            return lambda: config[f"o{i - 1}"] + 1

        opts = {f"o{i}": mk_option(types.int) for i in range(n)}
        cfg = {"o0": 1, **{f"o{i}": after(i) for i in range(1, n)}}
        return {"options": opts, "config": cfg}

    ev = eval_modules([m])
    e = ev.explain(f"o{n - 1}")
    depth, rs = 0, e.reads
    while rs:
        assert len(rs) == 1
        depth += 1
        last = rs[0]
        rs = last.reads
    from modsys.explain import READ_DEPTH

    assert depth == READ_DEPTH and last.more == 1  # the rest is counted, not followed


def test_mk_if_conditions_and_namespace_thunks_count():
    def m(config):
        return {
            "options": {"on": mk_option(types.bool, default=True), "x": mk_option(types.int),
                        "ns": {"sub": {"y": mk_option(types.int)}},
                        "n": mk_option(types.int, default=4)},
            "config": {
                "x": mk_if(lambda: config.on, lambda: config.n * 2),
                # a thunk that computes a namespace's definitions: its reads go to what it defines
                "ns": {"sub": lambda: {"y": config.n + 1}},
            },
        }

    ev = eval_modules([m])
    assert ev.config.x == 8 and ev.config.ns.sub.y == 5
    assert set(_paths(ev.explain("x").reads)) == {"on", "n"}
    assert _paths(ev.explain("ns.sub.y").reads) == ["n"]


def test_attrs_of_entries_and_freeform_reads():
    def m(config):
        return {
            "options": {
                "a": mk_option(types.int, default=1),
                "b": mk_option(types.int, default=2),
                "set": mk_option(types.attrs_of(types.int), default={}),
                "sum": mk_option(types.int),
            },
            "config": {
                "set": {"x": lambda: config.a, "y": lambda: config.b},
                "sum": lambda: config.set.x,
            },
        }

    ev = eval_modules([m])
    assert _paths(ev.explain("set.x").reads) == ["a"]
    assert _paths(ev.explain("set.y").reads) == ["b"]
    # the reader of an entry depends on what the entry read
    assert "a" in _paths(ev.explain("sum").reads)


def test_secrets_follow_derived_values():
    def m(config):
        return {
            "options": {
                "pw": mk_option(types.str, sensitive=True, default="hunter22"),
                "url": mk_option(types.str),
                "port": mk_option(types.int, default=5432),
                "creds": mk_option(types.attrs_of(types.str), sensitive=True, default={}),
            },
            "config": {"url": lambda: f"pg://u:{config.pw}@db:{config.port}",
                       "creds": {"k": "v" * 8}},
        }

    from modsys.dump import Redacted, plain, select

    ev = eval_modules([m])
    data = plain(ev.config)
    assert isinstance(data["url"], Redacted) and isinstance(data["pw"], Redacted)
    assert data["port"] == 5432
    assert isinstance(select(ev.config, ["creds", "k"]), Redacted)
    assert ev.explain("url").secret and not ev.explain("url").sensitive
    assert ev.explain("creds.k").sensitive
    assert not ev.explain("port").secret
    assert plain(ev.config, show_secrets=True)["url"] == "pg://u:hunter22@db:5432"


def test_error_messages_inside_secret_computations_hide_values():
    def m(config):
        return {
            "options": {"pw": mk_option(types.str, sensitive=True), "n": mk_option(types.int)},
            "config": {"pw": "s3cr3t-value", "n": lambda: config.pw},
        }

    with pytest.raises(ModsysError) as err:
        eval_modules([m]).config.n  # noqa: B018
    assert "s3cr3t-value" not in str(err.value) and "<redacted>" in str(err.value)


def test_recording_off_gives_the_same_values():
    def m(config):
        return {"options": {"a": mk_option(types.int, default=1), "b": mk_option(types.int)},
                "config": {"b": lambda: config.a + 1}}

    modsys.deps.ENABLED = False
    try:
        ev = eval_modules([m])
        assert ev.to_dict() == {"a": 1, "b": 2}
        assert ev.explain("b").reads == ()
    finally:
        modsys.deps.ENABLED = True
    assert not modsys.deps.FRAMES
