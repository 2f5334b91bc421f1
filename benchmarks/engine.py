"""The module engine against the real NixOS module system, measured in the same run.

For each N (default 1000, 3000, 10000; `--quick` = 100, 1000; `--sizes 10,500` to choose) the
shared generator (`../shared/bench/gen_workload.py`) writes the reference workload twice, as a
`.nix` file for nixpkgs `lib.evalModules` and as JSON for modsys (`benchmarks/workload.py`
adapts it). Then, `--repeat` rounds (default 3), each runner in a fresh process, alternating and
in a rotating order so that machine noise falls on all of them alike:

* `nix`: `nix-instantiate --store dummy:// --eval --strict --json workload-N.nix`, wall seconds
  of the whole process (Debian's `nix-bin`; without it no ratio is printed, never one against a
  remembered figure);
* `library`: in a fresh Python, `eval_modules(modules).to_dict()` timed in-process (loading the
  JSON and adapting it are not timed), with the interpreter's default collector settings: what
  a library user gets;
* `cli`: `modsys eval --no-default-modules workload.py --json`, wall seconds end to end
  (interpreter start, imports, adapter, evaluation, JSON output);
* `floor`: a plain recursive dict merge of the same definitions (properties stripped, `mk_if`
  taken as true, lists concatenated, later scalars win, `cfg` references resolved), in-process:
  the cost of merging at all;
* `library-norecord` (only when asked for, e.g. `--runners library,library-norecord`): the
  library runner with dependency recording off (`modsys.deps.ENABLED = False`), to report what
  recording the options each value read costs (printed below the table).

It prints medians, each runner's peak RSS (`ru_maxrss` of its process, as `wait4` reports it),
the ratios Nix / modsys (how many times faster modsys is), and the load average before and
after. The library runner also checks its output against the config real NixOS produced for N
where `../shared/bench/expected/` has it.

Run:  python benchmarks/engine.py [--quick] [--sizes N,...] [--repeat R] [--runners ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: a `modsys` on PYTHONPATH wins (to compare engines)

from benchmarks.workload import workload_modules  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
GENERATOR = BENCH / "gen_workload.py"
EXPECTED = BENCH / "expected"

DEFAULT_SIZES = [1000, 3000, 10000]
QUICK_SIZES = [100, 1000]
RUNNERS = ("nix", "library", "cli", "floor", "library-norecord")


# --- the workload ----------------------------------------------------------------------------


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


# --- one measurement, in a fresh process ------------------------------------------------------


def _child(kind: str, path: str) -> None:
    """Runs in the fresh process: load and adapt untimed, then time the work; print JSON."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    matches = None
    if kind in ("library", "library-norecord"):
        import modsys
        import modsys.deps

        # `library-norecord`: the same with dependency recording off (`modsys.deps`), to
        # measure its cost in the same run
        modsys.deps.ENABLED = kind == "library"
        modules = workload_modules(data)
        t0 = time.perf_counter()
        result = modsys.eval_modules(modules).to_dict()
        seconds = time.perf_counter() - t0
        expected = EXPECTED / f"config-{Path(path).stem.removeprefix('workload-')}.json"
        if expected.exists():
            matches = result == json.loads(expected.read_text(encoding="utf-8"))
    else:
        t0 = time.perf_counter()
        baseline(data)
        seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "matches": matches}))


def _run(argv: list[str], stdout: Any = subprocess.PIPE) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return wall, _peak_mib(err), out or ""


_RSS_MARK = "modsys-bench-peak-kib:"


def _peak_mib(stderr: str) -> float:
    for line in stderr.splitlines():
        if line.startswith(_RSS_MARK):
            return int(line.removeprefix(_RSS_MARK)) / 1024
    return float("nan")


def _timed(argv: list[str]) -> list[str]:
    """`argv` under a tiny wrapper that reports the child's own peak RSS on stderr: `wait4`
    gives one child's figure, where RUSAGE_CHILDREN would be a maximum over all of them."""
    wrapper = (
        "import os, subprocess, sys\n"
        "p = subprocess.Popen(sys.argv[1:])\n"
        "_, status, ru = os.wait4(p.pid, 0)\n"
        f"print({_RSS_MARK!r} + str(ru.ru_maxrss), file=sys.stderr)\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    return [sys.executable, "-c", wrapper, *argv]


def measure(kind: str, n: int, workdir: Path) -> dict[str, Any]:
    json_path = workdir / f"workload-{n}.json"
    if kind == "nix":
        argv = ["nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json",
                str(workdir / f"workload-{n}.nix")]
        wall, mib, _ = _run(_timed(argv), stdout=subprocess.DEVNULL)
        return {"seconds": wall, "mib": mib, "matches": None}
    if kind == "cli":
        wrapper = workdir / f"workload-{n}.py"
        wrapper.write_text(
            "import json, sys\n"
            f"sys.path.append({str(ROOT)!r})\n"
            "from benchmarks.workload import workload_modules\n"
            f"with open({str(json_path)!r}, encoding='utf-8') as f:\n"
            "    module = {'imports': workload_modules(json.load(f))}\n",
            encoding="utf-8",
        )
        argv = [sys.executable, "-m", "modsys", "eval", "--no-default-modules", str(wrapper),
                "--json"]
        wall, mib, _ = _run(_timed(argv), stdout=subprocess.DEVNULL)
        return {"seconds": wall, "mib": mib, "matches": None}
    argv = [sys.executable, str(Path(__file__).resolve()), "--_child", kind, str(json_path)]
    _, mib, out = _run(_timed(argv))
    record = json.loads(out)
    record["mib"] = mib
    return record


# --- the run -----------------------------------------------------------------------------------


def generate(n: int, out_dir: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), str(n), "--out-dir", str(out_dir)],
        check=True,
        capture_output=True,
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="comma-separated N values (default 1000,3000,10000)")
    ap.add_argument("--quick", action="store_true", help="only N = 100, 1000")
    ap.add_argument("--repeat", type=int, default=3, help="rounds per N (medians are shown)")
    ap.add_argument("--runners", default=",".join(RUNNERS[:4]),
                    help=f"comma-separated subset of {','.join(RUNNERS)}")
    ap.add_argument("--workdir", help="where to write the workloads (default: a temp dir)")
    ap.add_argument("--_child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._child:
        _child(*a._child)
        return 0
    sizes = [int(x) for x in a.sizes.split(",")] if a.sizes else (
        QUICK_SIZES if a.quick else DEFAULT_SIZES
    )
    runners = [r for r in a.runners.split(",") if r]
    unknown = sorted(set(runners) - set(RUNNERS))
    if unknown:
        ap.error(f"unknown runners: {', '.join(unknown)}")
    if "nix" in runners and shutil.which("nix-instantiate") is None:
        print("real Nix is not available (apt-get install -y nix-bin): no Nix runner, no ratio")
        runners.remove("nix")

    tmp = None
    if a.workdir:
        workdir = Path(a.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="modsys-bench-")
        workdir = Path(tmp.name)
    print(
        f"modsys engine vs real Nix  (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load before: {_load()}; medians of {a.repeat} alternating rounds, fresh processes)"
    )
    results: dict[tuple[int, str], list[dict[str, Any]]] = {}
    try:
        for n in sizes:
            generate(n, workdir)
            for r in range(a.repeat):
                order = runners[r % len(runners):] + runners[: r % len(runners)]
                for kind in order:
                    rec = measure(kind, n, workdir)
                    results.setdefault((n, kind), []).append(rec)
                    print(f"  N={n} round {r + 1} {kind}: {rec['seconds']:.3f} s", file=sys.stderr)
    finally:
        if tmp is not None:
            tmp.cleanup()

    def med(n: int, kind: str, key: str) -> float:
        recs = results.get((n, kind))
        return statistics.median(rec[key] for rec in recs) if recs else float("nan")

    head = (
        f"{'N':>6} {'nix s':>7} {'library s':>9} {'cli s':>7} {'floor s':>8} "
        f"{'nix/library':>11} {'nix/cli':>8} {'library/floor':>13} "
        f"{'nix MiB':>8} {'library MiB':>11} {'cli MiB':>8}  conformance"
    )
    print(head)
    print("-" * len(head))
    for n in sizes:
        nix, lib, cli, floor = (med(n, k, "seconds") for k in RUNNERS[:4])
        checks = [rec["matches"] for rec in results.get((n, "library"), [])]
        conformance = (
            "-" if not checks or checks[0] is None
            else "matches NixOS" if all(checks) else "DIFFERS FROM NixOS"
        )
        print(
            f"{n:>6} {nix:>7.3f} {lib:>9.3f} {cli:>7.3f} {floor:>8.3f} "
            f"{nix / lib:>10.1f}× {nix / cli:>7.1f}× {lib / floor:>12.1f}× "
            f"{med(n, 'nix', 'mib'):>8.0f} {med(n, 'library', 'mib'):>11.0f} "
            f"{med(n, 'cli', 'mib'):>8.0f}  {conformance}"
        )
    for n in sizes:
        on, off = med(n, "library", "seconds"), med(n, "library-norecord", "seconds")
        if on == on and off == off:  # both measured (not NaN)
            print(
                f"N={n}: dependency recording (modsys.deps) on {on:.3f} s, off {off:.3f} s: "
                f"{(on / off - 1) * 100:+.1f} % (library runner; RSS on "
                f"{med(n, 'library', 'mib'):.0f} MiB, off {med(n, 'library-norecord', 'mib'):.0f} MiB)"
            )
    print(f"load after: {_load()}")
    print(
        "nix/library = how many times faster the library path is than real Nix (nix wall time "
        "includes its start-up; library is eval_modules + to_dict in-process); nix/cli = the same "
        "for the command line, end to end; library/floor = cost over a plain dict merge. "
        "MiB = peak RSS of the runner's process."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
