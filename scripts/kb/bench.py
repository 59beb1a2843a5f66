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
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import yaml

from .files import user_folder as cache_path
from .project import find_root, language_prefix, load_project, read_languages
from .search import INDEX, LUNR_DIR, language_support_path
from .synthetic import dump_yaml, make_corpus

BIN = Path(sys.executable).parent
GOALS = {
    "overhead_ratio": 1.05,
    "overhead_ratio_cold": 1.3,
    "scaling_100x_over_10x": 11,
    "scaling_300x_over_100x": 3.2,
    "ms_per_page_language_100x": 8,
    "ms_per_page_language_300x": 8,
    "peak_memory_300x_mb": 400,
    "check_100x_s": 1.0,
    "check_300x_s": 1.0,
    "serve_reload_s": 1.0,
    "serve_reload_one_language_s": 1.0,
    "serve_reload_100x_s": 3.0,
    "first_view_kb_gz": 70,  # with the theme's own stylesheet, which a browser keeps for a year
    "adversarial_check_worst_ms": 50,
    "adversarial_render_worst_ms": 50,
}
# Scores whose goal is a floor (Lighthouse, 0-100): the key's prefix, and the least it may be.
FLOORS = {"lighthouse_seo_": 95, "lighthouse_accessibility_": 100}
LIGHTHOUSE = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "lighthouse"  # make bench installs it
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


LOCAL = {"KB_SITE_URL": "local"}  # kb build for this machine (make build-local), as the bare builds are


def run_quiet(*args: str | Path, cwd: Path | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **LOCAL}
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)


def bench_check(root: Path, work: Path, repeat: int, factor: int) -> dict[str, float]:
    """`kb check` on a corpus `factor` times the real content, as a translator runs it (a new
    process): after editing one file, with the results of the previous check in the cache, and
    from scratch."""
    corpus = work / f"corpus-{factor}x"
    pages = make_corpus(root, corpus, factor) if not (corpus / "mkdocs.yml").exists() else _pages(corpus)
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
        f"check_{factor}x_s": median_time(check, repeat, before=edit),
        f"check_{factor}x_cold_s": median_time(lambda: check("--no-cache"), repeat),
    }


def _pages(corpus: Path) -> list[str]:
    return yaml.safe_load((corpus / "content" / "site.yaml").read_text(encoding="utf-8"))["pages"]


def language_prefixes(root: Path) -> dict[str, str]:
    languages, default = read_languages(root)
    return {lang: language_prefix(lang, default) for lang in languages}


def first_query(root: Path, lang: str) -> str:
    """A word a reader of `lang` would search for: the longest of its home page's title."""
    project = load_project(root)
    return max(re.split(r"[\s’'\"«»“”()]+", str(project.texts[lang]["site"]["home"]["title"])), key=len)


def build_site(root: Path, work: Path) -> Path:
    site = work / "site"
    run_quiet(BIN / "kb", "--root", root, "build", "--site-dir", site)
    return site


def gzipped_kb(*paths: Path) -> float:
    return sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths) / 1024


def bench_search(root: Path, site: Path, repeat: int) -> dict[str, float]:
    """What a reader downloads to search (index + language scripts, gzipped) and the wait for a first result."""
    results = {}
    prefixes = language_prefixes(root)
    for lang, prefix in prefixes.items():
        results[f"search_payload_kb_gz_{lang}"] = gzipped_kb(
            site / prefix / INDEX, site / LUNR_DIR / "lunr.stemmer.support.min.js", site / language_support_path(lang)
        )
    with serve(site) as base, chromium() as browser:
        for lang, prefix in prefixes.items():

            def first_result(prefix: str = prefix, query: str = first_query(root, lang)) -> None:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}/{prefix}loyalty-levels/")
                page.fill(".md-search__input", query)
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
    """From saving a YAML file to `mkdocs serve` serving the updated page: all languages at 1x and
    100x, and one language at 1x."""
    results = {}
    for key, factor, env, path in (
        ("serve_reload_s", 1, {}, "fr/loyalty-levels/"),
        ("serve_reload_one_language_s", 1, {"KB_LANG": "fr"}, "loyalty-levels/"),
        ("serve_reload_100x_s", 100, {}, "fr/loyalty-levels/"),
    ):
        copy = work / f"serve-copy-{factor}x"
        make_corpus(root, copy, factor)
        yaml_file = copy / "translations/fr/loyalty-levels.yaml"
        with _serving(copy, env) as base:
            url = f"{base}/{path}"
            _wait_for(url, "niveaux", timeout=600)
            times = []
            # The first save after the preview starts builds every language; the saves after it
            # build the edited language only (kb/site/preview.py): those are what a translator waits for.
            for i in range(-1, repeat if factor == 1 else 3):
                time.sleep(1.0)  # let the watcher settle, as between two saves
                text = yaml_file.read_text(encoding="utf-8")
                marker = f"Bench{i}"
                yaml_file.write_text(text.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
                start = time.perf_counter()
                _wait_for(url, marker, timeout=600)
                if i >= 0:
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


def measured(command: list, cwd: Path, env: dict | None = None) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system, the process and all it started) and peak memory (MB,
    every process of the build at once, sampled from /proc every 50 ms) of one command."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed below; read only if the command fails
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(c) for c in command],
        cwd=cwd,
        stdout=output,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    with output:
        if status != 0:
            output.seek(0)
            printed = output.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(map(str, command))} failed in {cwd}:\n{printed[-4000:]}")
    return wall, usage.ru_utime + usage.ru_stime, max(peak[0], usage.ru_maxrss) / 1024  # ru_maxrss: the largest one process


def _tree_rss_kb(pid: int) -> int:
    """The memory of a process and its descendants, in KB: the sum of their proportional set
    sizes (a page that forked workers share with their parent is counted once, not per process)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def clear_cache(root: Path) -> None:
    import shutil

    shutil.rmtree(cache_path(root), ignore_errors=True)


def bench_build(root: Path, work: Path, repeat: int) -> dict[str, float]:
    """The guide's build (`kb build`: load, check, render, languages in parallel) against a bare
    MkDocs build of the same Markdown, written out beforehand, with the same settings: CPU time,
    paired run by run. Cold: the first build after a clone (no cache), several times; warm: the
    next ones.
    A plain MkDocs build (no hook at all: Material's templates compiled again in every language)
    is timed too, and a first build is compared with it as well."""
    bare, plain = work / "bare", work / "plain"
    export_bare_project(root, bare, hook=BARE_HOOK)
    export_bare_project(root, plain)
    site = work / "site-full"
    ours = [BIN / "kb", "--root", root, "build", "--site-dir", site]
    theirs = [BIN / "mkdocs", "build", "--site-dir", work / "site-bare"]
    plain_build = [BIN / "mkdocs", "build", "--site-dir", work / "site-plain"]
    cold_walls, cold_ratios, plain_ratios = [], [], []
    for _ in range(repeat):  # a first build is as noisy as any: paired, the median of several
        clear_cache(root)
        cold_wall, cold_cpu, _ = measured(ours, root, LOCAL)
        _, bare_cold_cpu, _ = measured(theirs, bare)
        cold_walls.append(cold_wall)
        cold_ratios.append(cold_cpu / bare_cold_cpu)
        plain_ratios.append(cold_cpu / measured(plain_build, plain)[1])
    walls, ratios, bare_walls, plain_walls = [], [], [], []
    for _ in range(repeat):
        wall, cpu, _ = measured(ours, root, LOCAL)
        bare_wall, bare_cpu, _ = measured(theirs, bare)
        walls.append(wall)
        bare_walls.append(bare_wall)
        ratios.append(cpu / bare_cpu)
        plain_walls.append(measured(plain_build, plain)[0])
    return {
        "build_cold_s": statistics.median(cold_walls),
        "build_s": statistics.median(walls),
        "bare_build_s": statistics.median(bare_walls),
        "overhead_ratio_cold": statistics.median(cold_ratios),
        "overhead_ratio_cold_plain": statistics.median(plain_ratios),
        "overhead_ratio": statistics.median(ratios),
        "plain_mkdocs_build_s": statistics.median(plain_walls),
    }


# The bare build's hook: kb's template cache (which speeds MkDocs up) and nothing of kb's own work.
BARE_HOOK = "from kb.mkdocs_hook import on_env  # noqa: F401\n"


def export_bare_project(root: Path, dest: Path, hook: str | None = None) -> None:
    """The generated Markdown of every page and language as files, and mkdocs.yml without kb's
    hook (or with `hook` as the whole of a hook file)."""
    from .checks import run_checks
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
    """`kb build` of corpora 10, 100 and 300 times the real content, every language: cold (no
    cache) once, then warm."""
    results = {}
    for factor in (10, 100, 300):
        corpus = work / f"corpus-{factor}x"
        pages = make_corpus(root, corpus, factor)
        page_languages = (len(pages) + 3) * len(read_languages(corpus)[0])  # + home, trainers, status
        command = [BIN / "kb", "--root", corpus, "build", "--site-dir", work / f"site-{factor}x"]
        cold, _, cold_peak = measured(command, corpus, LOCAL)
        # Three at each size: one slow run moves a median of two (their mean) by half its delay.
        runs = [measured(command, corpus, LOCAL) for _ in range(repeat)]
        wall = statistics.median(r[0] for r in runs)
        results[f"build_{factor}x_cold_s"] = cold
        results[f"build_{factor}x_s"] = wall
        results[f"ms_per_page_language_{factor}x"] = wall * 1000 / page_languages
        results[f"peak_memory_{factor}x_mb"] = max([cold_peak] + [r[2] for r in runs])
    results["scaling_100x_over_10x"] = results["build_100x_s"] / results["build_10x_s"]
    results["scaling_300x_over_100x"] = results["build_300x_s"] / results["build_100x_s"]
    return results


def bench_first_view(site: Path) -> dict[str, float]:
    """What Chromium loads for the first view of a topic page, until the network is idle: every
    response, each gzipped as a server would send it."""
    sizes: dict[str, int] = {}
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.on("response", lambda r: sizes.__setitem__(r.url, len(gzip.compress(r.body(), 6))) if r.ok else None)
        page.goto(f"{base}/fr/loyalty-levels/", wait_until="networkidle")
        context.close()
    print("first view: " + ", ".join(f"{url.rsplit('/', 1)[-1] or url} {size / 1024:.1f}" for url, size in sizes.items()))
    return {"first_view_kb_gz": sum(sizes.values()) / 1024, "first_view_requests": len(sizes)}


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

# Texts of 10,000 characters that `kb check` passes, each at a limit of check_complexity, with
# the markup that costs Python-Markdown most (QUADRATIC, past the limits, is refused).
_WORDS = "khách hàng trung thành "


def _spread(unit: str, count: int, length: int = 10_000) -> str:
    """`count` copies of `unit` spread through words, `length` characters in all."""
    gap = (length - count * len(unit)) // count
    return "".join(unit + (_WORDS * (gap // len(_WORDS) + 1))[:gap] for _ in range(count)).ljust(length, "a")[:length]


ADVERSARIAL_RENDER = {
    "links": _spread("[khách](https://example.org/a) ", 10),
    "unclosed links": _spread("[khách](https://example.org/ (", 10),
    "nested brackets": "[" * 10 + _spread(" ", 1, 9_980) + "]" * 10,
    "entities": _spread("& ", 500),
    "braces": _spread("{ ", 500),
    "backslashes": _spread("\\ ", 500),
    "code": _spread("`a` ", 250),
    "emphasis": _spread("*a* ", 250),
    "strong": _spread("**a** ", 125),
    "underscores": _spread("_a_ ", 250),
    "angles": _spread("< ", 500),
    "list items": "\n".join(("- " + _WORDS * 5)[:99] for _ in range(100)),
    "paragraphs": "\n\n".join((_WORDS * 9)[:198] for _ in range(50)),
    "lines": "\n".join((_WORDS * 5)[:99] for _ in range(100)),
    "words": _WORDS * 434,
}
# The review's slow texts (H9), each 10,000 characters: the checker refuses them.
QUADRATIC = {
    "empty links": "[](#" * 2_500,
    "unclosed links": ("[a](https://" * 834)[:10_000],
    "ampersands": "&" * 10_000,
    "braces": "{" * 10_000,
    "backticks": "`" * 10_000,
    "list items": "- a\n" * 2_500,
}


def bench_adversarial_render(root: Path, repeat: int) -> dict[str, float]:
    """The escaper and Python-Markdown, with the site's extensions, on each text of
    ADVERSARIAL_RENDER: the worst median, in milliseconds."""
    import markdown

    from . import markdown_safe
    from .project import read_markdown_extensions

    names, configs = read_markdown_extensions(root)
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    worst = {}
    for family, text in ADVERSARIAL_RENDER.items():
        worst[family] = median_time(lambda text=text: md.reset().convert(markdown_safe.block(text)), repeat) * 1000
    family = max(worst, key=worst.get)
    print(f"adversarial render: worst family `{family}` ({worst[family]:.1f} ms); " + ", ".join(f"{k} {v:.1f}" for k, v in worst.items()))
    return {"adversarial_render_worst_ms": worst[family]}


def bench_lighthouse(root: Path, site: Path) -> dict[str, float]:
    """Lighthouse's SEO and accessibility scores (0-100) of a topic page in each language, in
    Debian's Chromium."""
    import json as json_module

    results = {}
    with serve(site) as base, tempfile.TemporaryDirectory() as work:
        for lang, prefix in language_prefixes(root).items():
            report = Path(work) / f"{lang}.json"
            subprocess.run(
                [str(LIGHTHOUSE), f"{base}/{prefix}loyalty-levels/", "--only-categories=seo,accessibility", "--output=json",
                 f"--output-path={report}", "--quiet", f"--chrome-flags={' '.join(CHROMIUM_ARGS)}"],
                check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            )  # fmt: skip
            categories = json_module.loads(report.read_text(encoding="utf-8"))["categories"]
            results[f"lighthouse_seo_{lang}"] = categories["seo"]["score"] * 100
            results[f"lighthouse_accessibility_{lang}"] = categories["accessibility"]["score"] * 100
    return results


def bench_adversarial(root: Path, repeat: int) -> dict[str, float]:
    """Every string check and the Markdown escaper on each adversarial text, in every language,
    as text and as its source: the worst median, in milliseconds. Linear patterns keep it small."""
    from . import checks, markdown_safe

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


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    root = find_root()
    work = root / ".bench"
    work.mkdir(exist_ok=True)
    results: dict[str, float] = {}
    results |= bench_adversarial(root, repeat=5)
    results |= bench_adversarial_render(root, repeat=5)
    results |= bench_build(root, work, repeat=5)
    results |= bench_scaling(root, work, repeat=3)
    results |= bench_check(root, work, repeat=5, factor=100)
    results |= bench_check(root, work, repeat=3, factor=300)
    site = build_site(root, work)
    results |= bench_first_view(site)
    results |= bench_search(root, site, repeat=3)
    results |= bench_lighthouse(root, site)
    results |= bench_serve(root, work, repeat=5)
    (work / "results.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"{'key':32} {'median':>10} {'goal':>8}  ")
    for key, value in results.items():
        goal = GOALS.get(key)
        floor = next((least for prefix, least in FLOORS.items() if key.startswith(prefix)), None)
        if floor is not None:
            print(f"{key:32} {value:10.3f} {f'≥ {floor:g}':>8}  {'met' if value >= floor else 'MISSED'}")
            continue
        verdict = "" if goal is None else ("met" if value <= goal else "MISSED")
        print(f"{key:32} {value:10.3f} {'' if goal is None else f'≤ {goal:g}':>8}  {verdict}")
    print(f"\n{machine()}; written to {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
