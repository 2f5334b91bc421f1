"""Benchmark of the module engine on the reference workload (`../shared/bench/`).

For each N (default 100, 1000, 3000, 10000; `--quick` = 100, 1000; `--sizes 10,500` to choose)
it generates `workload-N.json` with the shared generator, turns it into modsys modules
(`benchmarks/workload.py`, timed separately as "adapter") and measures, in one run:

* modsys: `eval_modules(modules)` + `.to_dict()`, wall seconds (best of `--repeat`), and
  microseconds per project module; `+gc s` is a full `gc.collect()` right after (result still
  alive): the collector work the evaluation leaves for later, shown apart because pausing the
  collector during evaluation moves work there rather than removing it;
* memory, in passes separate from the timing (tracing slows evaluation down):
  - `trace MiB`: tracemalloc peak of Python allocations during eval + to_dict (in this process);
  - `RSS MiB`: peak resident set size (`ru_maxrss`) of a fresh child process that loads the
    modules and evaluates them once; `+eval` is that peak minus the RSS right before
    evaluation. This is the figure comparable to the NixOS peak memory;
* the floor: a plain recursive dict merge of the same definitions (properties stripped to their
  contents, `mk_if` taken as true, lists concatenated, later scalars win, `cfg` references
  resolved against the merged dict, null where only an option default would give a value), and
  the ratio modsys / floor;
* the NixOS module system's times and peak memory from the shared README, and modsys / NixOS.

Run:  /work/venv/bin/python benchmarks/engine.py [--quick] [--sizes N,...] [--repeat R]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: a `modsys` on PYTHONPATH wins (to compare engines)

import modsys  # noqa: E402
from benchmarks.workload import workload_modules  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
GENERATOR = BENCH / "gen_workload.py"
EXPECTED = BENCH / "expected"

#: NixOS module system, `nix-instantiate --eval --strict --json`, from the shared README
NIX_SECONDS = {0: 0.05, 10: 0.06, 100: 0.19, 1000: 1.46, 3000: 4.7, 10000: 20.0}
NIX_MIB = {0: 27, 10: 30, 100: 57, 1000: 322, 3000: 541, 10000: 1513}

DEFAULT_SIZES = [100, 1000, 3000, 10000]
QUICK_SIZES = [100, 1000]


# --- the workload ----------------------------------------------------------------------------


def generate(n: int, out_dir: Path) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), str(n), "--out-dir", str(out_dir)],
        check=True,
        capture_output=True,
    )
    return out_dir / f"workload-{n}.json"


def evaluate(modules: list[Any]) -> dict[str, Any]:
    return modsys.eval_modules(modules).to_dict()


# --- the floor: a plain recursive dict merge -------------------------------------------------


class _Ref:
    __slots__ = ("path",)

    def __init__(self, path: list[str]) -> None:
        self.path = path


class _Expr:
    __slots__ = ("args", "kind")

    def __init__(self, kind: str, args: list[Any]) -> None:
        self.kind = kind
        self.args = args


def _strip(x: Any) -> Any:
    """A DEF without its properties: contents only; references kept as markers."""
    if type(x) is dict:
        kind = x.get("$mk")
        if kind is None:
            return {k: _strip(v) for k, v in x.items()}
        if kind == "merge":
            return [_MERGE, [_strip(c) for c in x["contents"]]]
        if kind in ("default", "force", "override", "before", "after", "order", "if"):
            return _strip(x["content"])
        if kind == "cfg":
            return _Ref(x["path"])
        if kind in ("eq", "concat"):
            return _Expr(kind, [_strip(a) for a in x["args"]])
        return None  # `name`: only in option defaults, which the floor does not model
    if type(x) is list:
        return [_strip(v) for v in x]
    return x


_MERGE: Any = object()


def _merge_into(dst: dict[str, Any], src: Any) -> None:
    if type(src) is list and src and src[0] is _MERGE:
        for part in src[1]:
            _merge_into(dst, part)
        return
    for k, v in src.items():
        old = dst.get(k)
        if type(v) is list and v and v[0] is _MERGE:
            if type(old) is not dict:
                old = dst[k] = {}
            _merge_into(old, v)
        elif type(v) is dict and type(old) is dict:
            _merge_into(old, v)
        elif type(v) is list and type(old) is list:
            dst[k] = old + v
        elif type(v) is dict:
            fresh: dict[str, Any] = {}
            _merge_into(fresh, v)
            dst[k] = fresh
        else:
            dst[k] = v


def _resolve(root: dict[str, Any], x: Any) -> Any:
    t = type(x)
    if t is _Ref:
        v: Any = root
        for k in x.path:
            v = v.get(k) if type(v) is dict else None  # undefined (an option default): null
        return _resolve(root, v)
    if t is _Expr:
        args = [_resolve(root, a) for a in x.args]
        if x.kind == "eq":
            return args[0] == args[1]
        out = args[0]
        for a in args[1:]:
            out = out + a
        return out
    if t is dict:
        return {k: _resolve(root, v) for k, v in x.items()}
    if t is list:
        return [_resolve(root, v) for v in x]
    return x


def baseline(data: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for m in data["modules"]:
        _merge_into(merged, _strip(m.get("config", {})))
    return _resolve(merged, merged)


# --- measurements ----------------------------------------------------------------------------


def time_modsys(modules: list[Any], repeat: int) -> tuple[float, float]:
    """(best seconds of eval + to_dict, seconds of a full `gc.collect()` right after it).

    The second figure is the collector work the evaluation leaves behind (it is done later, by
    the next full collection): pausing the collector during evaluation moves work there.
    """
    best, debt = float("inf"), 0.0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = modsys.eval_modules(modules)
        result.to_dict()
        dt = time.perf_counter() - t0
        t1 = time.perf_counter()
        gc.collect()
        collect = time.perf_counter() - t1
        del result
        if dt < best:
            best, debt = dt, collect
    return best, debt


def best_time(fn: Any, arg: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t0)
    return best


def traced_peak_mib(modules: list[Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        evaluate(modules)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _maxrss_mib() -> float:
    """Peak RSS of this process. Linux keeps `ru_maxrss` across exec (a child started by a big
    parent would report the parent's peak), so prefer the address space's own `VmHWM`."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (2**20 if sys.platform == "darwin" else 2**10)


def child_rss(path: Path) -> tuple[float, float]:
    """(peak RSS MiB, peak RSS growth during evaluation MiB) of a fresh process."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--_rss-child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    peak, delta = out.stdout.split()
    return float(peak), float(delta)


def _rss_child(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        modules = workload_modules(json.load(f))
    gc.collect()
    before = _maxrss_mib()
    evaluate(modules)
    after = _maxrss_mib()
    print(f"{after:.1f} {after - before:.1f}")


def conformance(n: int, modules: list[Any]) -> str:
    expected_file = EXPECTED / f"config-{n}.json"
    if not expected_file.exists():
        return ""
    ok = evaluate(modules) == json.loads(expected_file.read_text())
    return "matches NixOS" if ok else "DIFFERS FROM NixOS"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="comma-separated N values (default 100,1000,3000,10000)")
    ap.add_argument("--quick", action="store_true", help="only N = 100, 1000")
    ap.add_argument("--repeat", type=int, default=1, help="timing runs per N (best is shown)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory passes")
    ap.add_argument("--workdir", help="where to write the workloads (default: a temp dir)")
    ap.add_argument("--_rss-child", dest="rss_child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.rss_child:
        _rss_child(a.rss_child)
        return 0
    if a.sizes:
        sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    else:
        sizes = QUICK_SIZES if a.quick else DEFAULT_SIZES

    tmp = None
    if a.workdir:
        workdir = Path(a.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="modsys-bench-")
        workdir = Path(tmp.name)

    print(
        f"modsys engine benchmark  (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}; modsys from {Path(modsys.__file__).parent}; "
        f"times: best of {a.repeat})"
    )
    rows = []
    try:
        for n in sizes:
            path = generate(n, workdir)
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            t0 = time.perf_counter()
            modules = workload_modules(data)
            adapter = time.perf_counter() - t0
            secs, debt = time_modsys(modules, a.repeat)
            floor = best_time(baseline, data, a.repeat)
            if a.no_memory:
                traced = rss = rss_delta = float("nan")
            else:
                traced = traced_peak_mib(modules)
                rss, rss_delta = child_rss(path)
            note = conformance(n, modules)
            rows.append((n, len(modules), adapter, secs, debt, floor, traced, rss, rss_delta, note))
            print(f"  N={n}: modsys {secs:.3f} s, floor {floor:.3f} s {note}", file=sys.stderr)
    finally:
        if tmp is not None:
            tmp.cleanup()

    head = (
        f"{'N':>6} {'modules':>7} {'adapter s':>9} {'modsys s':>9} {'µs/module':>9} {'+gc s':>6} "
        f"{'floor s':>8} {'×floor':>7} {'NixOS s':>8} {'×NixOS':>7} "
        f"{'trace MiB':>9} {'RSS MiB':>8} {'+eval':>6} {'NixOS MiB':>9}"
    )
    print(head)
    print("-" * len(head))
    for n, nmods, adapter, secs, debt, floor, traced, rss, rss_delta, note in rows:
        nix = NIX_SECONDS.get(n)
        nix_mib = NIX_MIB.get(n)
        per_module = secs / n * 1e6 if n else float("nan")
        print(
            f"{n:>6} {nmods:>7} {adapter:>9.3f} {secs:>9.3f} {per_module:>9.0f} {debt:>6.2f} "
            f"{floor:>8.3f} {secs / floor:>7.1f} "
            f"{(f'{nix:.2f}' if nix else '-'):>8} {(f'{secs / nix:.2f}' if nix else '-'):>7} "
            f"{traced:>9.0f} {rss:>8.0f} {rss_delta:>6.0f} {(nix_mib or '-'):>9}"
            + (f"  {note}" if note else "")
        )
    print(
        "\nmodsys s = eval_modules + to_dict, best of --repeat (adapter s = JSON -> modules, not "
        "included); +gc s = a full gc.collect() right after\n(collector work left behind); floor = "
        "plain recursive dict merge of the same definitions; trace MiB = tracemalloc peak during "
        "evaluation;\nRSS MiB = peak RSS of a fresh process (+eval = growth during evaluation); "
        "NixOS figures from ../shared/bench/README.md."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
