"""`scripts/bench`: performance and reliability figures of zet-tui.

Prints a table (figure, measured, baseline, ratio, target, verdict) and writes
the same figures to bench-results.json. Each figure is one function in
scripts/benchlib; a figure that cannot be measured yet says n/a and why, it is
never estimated. Exit status 1 when a measured figure misses its target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.common import ROOT, Figure, not_available, print_table, write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--only", default="", help="comma-separated: commit,crash,cold,keys,pty,export,memory")
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args()
    from benchlib import app_bench, crash_bench, export_bench, pty_bench, store_bench

    quick = args.quick
    steps: dict[str, tuple[str, Callable[[Path], list[Figure]]]] = {
        "cold": ("cold start", lambda d: [app_bench.cold_start_figure(d, runs=2 if quick else 5)]),
        "commit": ("commit", lambda d: store_bench.commit_figures(d, n=200 if quick else 1000)),
        "keys": ("key press", lambda d: app_bench.key_latency_figures(d, presses=10 if quick else 30)),
        "pty": ("key to screen in a real terminal",
                lambda d: pty_bench.pty_figures(d, presses=10 if quick else 40)),
        "export": ("export", export_bench.export_figures),
        "memory": ("peak memory", lambda d: [app_bench.memory_figure(d)]),
        "crash": ("crash safety", lambda d: [crash_bench.crash_figure(d, runs=8 if quick else 50)]),
    }
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(steps)
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    figures: list[Figure] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zet-bench-", dir=ROOT) as tmp:
        for key, (label, measure) in steps.items():
            if only and key not in only:
                continue
            print(f"... {label}", file=sys.stderr, flush=True)
            workdir = Path(tmp) / key
            workdir.mkdir()
            try:
                figures.extend(measure(workdir))
            except Exception as exc:  # one broken figure must not hide the others
                traceback.print_exc()
                figures.append(not_available(label, "-", f"error: {exc}"))
                figures[-1].ok = False
    seconds = time.perf_counter() - started
    print()
    print_table(figures)
    write_json(figures, args.json, seconds)
    print(f"\n{len(figures)} figures in {seconds:.0f} s; written to {args.json}")
    return 1 if any(f.ok is False for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
