"""`make bench`: speed and size, measured with repetitions, medians quoted, goals side by side.

Results go to .bench/results.json (git-ignored) and a table on stdout. Goals are targets to
compare with, never assertions: a missed goal is reported, not failed.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .project import find_root
from .synthetic import make_corpus

BIN = Path(sys.executable).parent
GOALS = {"check_100x_s": 1.0}


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_quiet(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def bench_check(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """`kb check` on a corpus 100 times the real content, as a translator runs it (a new process)."""
    corpus = work / "corpus-100x"
    make_corpus(root, corpus, 100)
    return {"check_100x_s": median_time(lambda: run_quiet(BIN / "kb", "--root", corpus, "check", "--strict"), repeat)}


def machine() -> str:
    cores = len(__import__("os").sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    root = find_root()
    work = root / ".bench"
    work.mkdir(exist_ok=True)
    results: dict[str, float] = {}
    results |= bench_check(root, work, repeat=5)
    (work / "results.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"{'key':32} {'median':>10} {'goal':>8}  ")
    for key, value in results.items():
        goal = GOALS.get(key)
        verdict = "" if goal is None else ("met" if value <= goal else "MISSED")
        print(f"{key:32} {value:10.3f} {'' if goal is None else f'≤ {goal:g}':>8}  {verdict}")
    print(f"\n{machine()}; written to {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
