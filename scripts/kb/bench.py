"""`make bench`: speed and size, measured with repetitions, medians quoted, goals side by side.

Results go to .bench/results.json (git-ignored) and a table on stdout. Goals are targets to
compare with, never assertions: a missed goal is reported, not failed.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .project import find_root
from .synthetic import make_corpus

BIN = Path(sys.executable).parent
GOALS = {"check_100x_s": 1.0}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_quiet(*args: str | Path, cwd: Path | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)


def bench_check(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """`kb check` on a corpus 100 times the real content, as a translator runs it (a new process)."""
    corpus = work / "corpus-100x"
    make_corpus(root, corpus, 100)
    return {"check_100x_s": median_time(lambda: run_quiet(BIN / "kb", "--root", corpus, "check", "--strict"), repeat)}


LANG_PREFIX = {"vi": "", "fy": "fy/", "fr": "fr/", "th": "th/"}
FIRST_QUERY = {"vi": "cam ket", "fy": "klant", "fr": "fidelite", "th": "ภักดี"}


def build_site(root: Path, work: Path) -> Path:
    site = work / "site"
    run_quiet(BIN / "mkdocs", "build", "--strict", "--site-dir", site, cwd=root)
    return site


def gzipped_kb(*paths: Path) -> float:
    return sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths) / 1024


def bench_search(site: Path, repeat: int) -> dict[str, float]:
    """What a reader downloads to search (index + language scripts, gzipped) and the wait for a first result."""
    results = {}
    scripts = site / "assets/javascripts/lunr/min"
    for lang, prefix in LANG_PREFIX.items():
        results[f"search_payload_kb_gz_{lang}"] = gzipped_kb(
            site / prefix / "search/search_index.json", scripts / "lunr.stemmer.support.min.js", scripts / f"lunr.kb{lang}.min.js"
        )
    with serve(site) as base, chromium() as browser:
        for lang, prefix in LANG_PREFIX.items():

            def first_result(lang: str = lang, prefix: str = prefix) -> None:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}/{prefix}loyalty-levels/")
                page.fill(".md-search__input", FIRST_QUERY[lang])
                page.press(".md-search__input", "End")  # Material searches on keyup
                page.wait_for_selector(".md-search-result__item")
                context.close()

            # From loading the page to the first result: the index download and worker start included.
            results[f"search_first_result_s_{lang}"] = median_time(first_result, repeat)
    return results


@contextmanager
def serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    root = find_root()
    work = root / ".bench"
    work.mkdir(exist_ok=True)
    results: dict[str, float] = {}
    results |= bench_check(root, work, repeat=5)
    site = build_site(root, work)
    results |= bench_search(site, repeat=3)
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
