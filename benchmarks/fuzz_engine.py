"""Fuzz the engine: random module sets through `eval_modules` + `to_dict`/`explain`; nothing but
`ModsysError` may escape, and no case may take longer than `LIMIT` seconds.

    python benchmarks/fuzz_engine.py [CASES] [SEED]
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
import traceback
from typing import Any

from modsys import eval_modules, mk_if, mk_merge, mk_option, mk_order, mk_override, types
from modsys.errors import ModsysError

NAMES = ["a", "b", "c", "d"]
LIMIT = 5.0


def _type(r: random.Random) -> Any:
    return r.choice([types.int, types.str, types.bool, types.unspecified, types.attrs_of(types.int),
                     types.list_of(types.str), types.null_or(types.int),
                     types.submodule({"options": {"x": mk_option(default=1)}})])


def _value(r: random.Random, depth: int, cfg: list[Any]) -> Any:
    k = r.randrange(10 if depth < 3 else 5)
    if k == 0:
        return r.randrange(-3, 3)
    if k == 1:
        return r.choice(["s", "", "./x.yaml"])
    if k == 2:
        return r.choice([True, False, None, 1.5])
    if k == 3:
        path = [r.choice(NAMES) for _ in range(r.randrange(1, 3))]

        def thunk() -> Any:
            v: Any = cfg[0]
            for p in path:
                v = v[p]
            return v
        return thunk
    if k == 4:
        return r.choice([mk_override, mk_order])(r.choice([50, 100, 1000]), _value(r, depth + 1, cfg))
    if k == 5:
        return {n: _value(r, depth + 1, cfg) for n in r.sample(NAMES, r.randrange(3))}
    if k == 6:
        return [_value(r, depth + 1, cfg) for _ in range(r.randrange(3))]
    if k == 7:
        return mk_if(r.choice([True, False, 1]), _value(r, depth + 1, cfg))
    if k == 8:
        return mk_merge([_value(r, depth + 1, cfg) for _ in range(r.randrange(3))])
    return {n: _value(r, depth + 1, cfg) for n in r.sample(NAMES, r.randrange(1, 3))}


def _options(r: random.Random, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in r.sample(NAMES, r.randrange(1, 3)):
        out[n] = _options(r, depth + 1) if depth < 1 and r.random() < 0.3 else mk_option(type=_type(r))
    return out


def case(seed: int) -> None:
    r = random.Random(seed)
    cfg: list[Any] = [{}]
    modules: list[Any] = [{"options": _options(r, 0)} for _ in range(r.randrange(1, 3))]
    for _ in range(r.randrange(1, 4)):
        body = _value(r, 0, cfg)
        modules.append(body if r.random() < 0.8 else {"imports": [body]})
    try:
        ev = eval_modules(modules)
        cfg[0] = ev.config
        ev.to_dict()
        for n in NAMES:
            with contextlib.suppress(ModsysError):
                ev.explain(n)
    except ModsysError:
        pass


def main(cases: int, seed: int) -> int:
    start, failures = time.monotonic(), 0
    for i in range(cases):
        t0 = time.monotonic()
        try:
            case(seed + i)
        except Exception:
            failures += 1
            if failures <= 5:
                print(f"case {seed + i}:", traceback.format_exc(limit=3), file=sys.stderr)
        if time.monotonic() - t0 > LIMIT:
            failures += 1
            print(f"case {seed + i}: took {time.monotonic() - t0:.1f}s", file=sys.stderr)
    print(f"{cases} cases, {time.monotonic() - start:.1f}s, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.setrecursionlimit(3000)
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
                  int(sys.argv[2]) if len(sys.argv) > 2 else 0))
