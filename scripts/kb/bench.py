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

import yaml

from .project import find_root
from .synthetic import dump_yaml, make_corpus

BIN = Path(sys.executable).parent
GOALS = {
    "overhead_ratio": 1.10,
    "scaling_100x_over_10x": 11,
    "ms_per_page_language_100x": 45,
    "check_100x_s": 1.0,
    "serve_reload_s": 2.0,
    "serve_reload_one_language_s": 2.0,
    "first_view_kb_gz": 80,
    "adversarial_check_worst_ms": 50,
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def median_time(run: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None) -> float:
    """The median of `repeat` timed runs; `before` runs untimed ahead of each."""
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_quiet(*args: str | Path, cwd: Path | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)


def bench_check(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """`kb check` on a corpus 100 times the real content, as a translator runs it (a new process):
    after editing one file, with the results of the previous check in the cache, and from scratch."""
    corpus = work / "corpus-100x"
    pages = make_corpus(root, corpus, 100)
    command = [str(BIN / "kb"), "--root", str(corpus), "check"]

    def check(*extra: str) -> None:
        # Findings do not matter here (exit 1 is fine); only a checker that cannot run (2) does.
        if subprocess.run(command + list(extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode >= 2:
            sys.exit(2)

    edited = corpus / "translations" / "fr" / f"{pages[len(pages) // 2]}.yaml"
    edits = iter(range(1, 1000))

    def edit() -> None:  # one string changed, as a translator saves a file
        data = yaml.safe_load(edited.read_text(encoding="utf-8"))
        fields = next(iter(data.values()))
        name = next(iter(fields))
        fields[name] = f"{fields[name]} {next(edits)}"
        dump_yaml(edited, data)

    check()  # the translator's previous check
    return {
        "check_100x_s": median_time(check, repeat, before=edit),
        "check_100x_cold_s": median_time(lambda: check("--no-cache"), repeat),
    }


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


def bench_serve(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """From saving a YAML file to `mkdocs serve` serving the updated page: all languages, and one."""
    results = {}
    for key, env, path in (
        ("serve_reload_s", {}, "fr/loyalty-levels/"),
        ("serve_reload_one_language_s", {"KB_LANG": "fr"}, "loyalty-levels/"),
    ):
        copy = work / "serve-copy"
        make_corpus(root, copy, 1)
        yaml_file = copy / "translations/fr/loyalty-levels.yaml"
        with _serving(copy, env) as base:
            url = f"{base}/{path}"
            _wait_for(url, "niveaux")
            times = []
            for i in range(repeat):
                time.sleep(1.0)  # let the watcher settle, as between two saves
                text = yaml_file.read_text(encoding="utf-8")
                marker = f"Bench{i}"
                yaml_file.write_text(text.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
                start = time.perf_counter()
                _wait_for(url, marker)
                times.append(time.perf_counter() - start)
            results[key] = statistics.median(times)
    return results


@contextmanager
def _serving(root: Path, env: dict):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(url: str, text: str, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{text!r} never appeared at {url}")


def bench_build(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """The real build (hook: load, check, render, four languages) against a bare MkDocs build of
    the same Markdown, written out beforehand. The bare build keeps only the hook's template cache,
    which speeds up MkDocs itself, so the ratio is kb's own cost; a plain MkDocs build of the same
    Markdown, with no hook at all, is timed too. Run in turn, several times."""
    bare, plain = work / "bare", work / "plain"
    export_bare_project(root, bare, hook="from kb.mkdocs_hook import on_env  # noqa: F401\n")
    export_bare_project(root, plain)
    full_s, bare_s, plain_s = [], [], []
    for _ in range(repeat):
        full_s.append(_timed(BIN / "mkdocs", "build", "--site-dir", work / "site-full", cwd=root))
        bare_s.append(_timed(BIN / "mkdocs", "build", "--site-dir", work / "site-bare", cwd=bare))
        plain_s.append(_timed(BIN / "mkdocs", "build", "--site-dir", work / "site-plain", cwd=plain))
    return {
        "build_s": statistics.median(full_s),
        "bare_build_s": statistics.median(bare_s),
        "overhead_ratio": statistics.median(full_s) / statistics.median(bare_s),
        "plain_mkdocs_build_s": statistics.median(plain_s),
    }


def export_bare_project(root: Path, dest: Path, hook: str | None = None) -> None:
    """The generated Markdown of every page and language as files, and mkdocs.yml without kb's
    hook (or with `hook` as the whole of a hook file)."""
    from .checks import run_checks
    from .project import load_project
    from .render import PageRenderer, page_names

    if dest.exists():
        import shutil

        shutil.rmtree(dest)
    project = load_project(root)
    report = run_checks(project)
    docs = dest / "docs"
    for lang in project.languages:
        renderer = PageRenderer(project, lang, report)
        for name in page_names(project):
            path = docs / f"{name}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(renderer.render(name), encoding="utf-8")
    for asset in (root / "docs").rglob("*"):
        if asset.is_file():
            (docs / asset.relative_to(root / "docs")).parent.mkdir(parents=True, exist_ok=True)
            (docs / asset.relative_to(root / "docs")).write_bytes(asset.read_bytes())
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: overrides", f"custom_dir: {root / 'overrides'}")
    drop = ("hooks:", "  - scripts/mkdocs_hooks.py", "watch:", "  - content", "  - translations")
    lines = [line for line in text.splitlines() if not line.startswith(drop)]
    if hook:
        (dest / "bare_hooks.py").write_text(hook, encoding="utf-8")
        lines += ["hooks:", "  - bare_hooks.py"]
    (dest / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_scaling(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """Builds of corpora 10 and 100 times the real content, four languages each."""
    results = {}
    per_page = {}
    for factor in (10, 100):
        corpus = work / f"corpus-{factor}x"
        pages = make_corpus(root, corpus, factor)
        page_languages = (len(pages) + 3) * 4  # + home, trainers, status; four languages
        times, peak = [], 0
        # A first, untimed build fills the Thai segmentation cache, as any earlier build of the
        # same text would have: both sizes are measured in the same (warm) state.
        run_quiet(BIN / "mkdocs", "build", "--site-dir", work / f"site-{factor}x", cwd=corpus)
        for _ in range(repeat if factor == 10 else max(1, repeat - 1)):
            start = time.perf_counter()
            process = subprocess.Popen(
                [str(BIN / "mkdocs"), "build", "--site-dir", str(work / f"site-{factor}x")],
                cwd=corpus,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
            if status != 0:
                raise RuntimeError(f"the {factor}x build failed")
            peak = max(peak, usage.ru_maxrss)
        per_page[factor] = statistics.median(times) * 1000 / page_languages
        results[f"build_{factor}x_s"] = statistics.median(times)
        results[f"ms_per_page_language_{factor}x"] = per_page[factor]
        results[f"peak_memory_{factor}x_mb"] = peak / 1024
    results["scaling_100x_over_10x"] = results["build_100x_s"] / results["build_10x_s"]
    return results


def bench_page_weight(site: Path) -> dict[str, float]:
    """What the first view of a topic page downloads: HTML, CSS and JS, gzipped."""
    import re

    page = site / "fr" / "loyalty-levels" / "index.html"
    html = page.read_text(encoding="utf-8")
    assets = [
        (page.parent / ref).resolve()
        for ref in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"#?]+\.(?:js|css))"', html)
        if not ref.startswith(("http:", "https:", "//"))
    ]
    return {"first_view_kb_gz": gzipped_kb(page, *assets)}


# 10,000 characters built to make a backtracking pattern slow, one per family of patterns the
# checker and the Markdown escaper run: tags, links, link definitions, block openers, code, emphasis,
# numbers, spaces, entities, attribute lists, terms.
ADVERSARIAL = {
    "tag": "<" + " " * 9_999,
    "tags": "<a " * 3_333,
    "comment": "<!--" * 2_500,
    "link": "](" * 5_000,
    "link text": "[" * 5_000 + "](" * 2_500,
    "definition": "- [m]" * 2_000,
    "definitions": "[x]:" * 2_500,
    "block openers": "\n#!!!```>|{:" * 800,
    "code": "`" * 10_000,
    "emphasis": "*_" * 5_000,
    "numbers": "9," * 5_000,
    "spaces": " \t" * 5_000,
    "entities": "&#" * 5_000,
    "attributes": "{: #" * 2_500,
    "words": "khách hàng trung thành " * 434,
    "thai": "ลูกค้าที่ภักดี" * 714,
}


def bench_adversarial(root: Path, repeat: int) -> dict[str, float]:
    """Every string check and the Markdown escaper on each adversarial text, in every language,
    as text and as its source: the worst median, in milliseconds. Linear patterns keep it small."""
    from . import checks, markdown_safe
    from .project import load_project

    project = load_project(root)
    ctx = checks._Context(checks.glossary_forms(project), set())
    worst: dict[str, float] = {}
    for family, text in ADVERSARIAL.items():
        text = text[:10_000]
        for lang in project.languages:
            runs = iter(range(10**9))  # a new string each time: the checker memoises per text

            def check(text=text, lang=lang, runs=runs) -> None:
                n = next(runs)
                variant, source = f"{text[:-6]}{n:06d}", f"{text[:-7]}s{n:06d}"
                pair = checks.StringPair(lang, "x", "x.yaml", "x.title", variant, project.default_lang, source)
                checks._string_findings(pair, ctx)
                markdown_safe.block(variant)
                markdown_safe.inline(variant)

            worst[family] = max(worst.get(family, 0.0), median_time(check, repeat) * 1000)
    family = max(worst, key=worst.get)
    print(f"adversarial: worst family `{family}` ({worst[family]:.1f} ms); " + ", ".join(f"{k} {v:.1f}" for k, v in worst.items()))
    return {"adversarial_check_worst_ms": worst[family]}


def _timed(*args, cwd: Path) -> float:
    start = time.perf_counter()
    run_quiet(*args, cwd=cwd)
    return time.perf_counter() - start


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    root = find_root()
    work = root / ".bench"
    work.mkdir(exist_ok=True)
    results: dict[str, float] = {}
    results |= bench_adversarial(root, repeat=5)
    results |= bench_build(root, work, repeat=5)
    results |= bench_scaling(root, work, repeat=3)
    results |= bench_check(root, work, repeat=5)
    site = build_site(root, work)
    results |= bench_page_weight(site)
    results |= bench_search(site, repeat=3)
    results |= bench_serve(root, work, repeat=5)
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
