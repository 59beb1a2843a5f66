"""Live preview: `mkdocs serve` rebuilds when a translator saves a YAML file, with live reload on.

How fast is measured by `make bench` (serve_reload_s); here only that it happens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import LANGUAGES, MKDOCS, ROOT
from kb.dev.synthetic import make_corpus
from kb.site import csp
from kb.site.search import language_support_path

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            page = fetch(url)
            if text in page:
                return page
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear at {url} within {timeout} s")
        time.sleep(0.1)


@contextmanager
def serving(root: Path, env: dict | None = None):
    port = free_port()
    log = root / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        try:
            yield f"http://127.0.0.1:{port}", log, process
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    root = tmp_path / "guide"
    make_corpus(ROOT, root, 1)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_edit_appears_in_the_served_page_with_live_reload_on(project_copy):
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    with serving(project_copy) as (base, log, _):
        page = wait_for(f"{base}/fr/loyalty-levels/", "Les 4 niveaux")
        assert "livereload" in page  # the pinned MkDocs and Click keep live reload on
        poller = csp.inline_scripts(page)[-1]
        assert "livereload" in poller and csp.script_hash(poller) in csp.page_hashes(page)  # the page's policy lets it run
        edit(fr, "title: Les 4 niveaux", "title: Quatre niveaux")
        wait_for(f"{base}/fr/loyalty-levels/", "Quatre niveaux de fidélité client")
        # A broken file: the terminal says where, and the last good page stays up.
        edit(fr, "title: Quatre niveaux", 'title: "Quatre niveaux')
        deadline = time.monotonic() + 60
        line = fr.read_text(encoding="utf-8").split("\n").index('  title: "Quatre niveaux de fidélité client') + 1
        while f"translations/fr/loyalty-levels.yaml:{line}:" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        assert "Quatre niveaux" in fetch(f"{base}/fr/loyalty-levels/")
        assert "Traceback" not in log.read_text(encoding="utf-8")
        edit(fr, 'title: "Quatre niveaux', "title: Cinq niveaux")
        wait_for(f"{base}/fr/loyalty-levels/", "Cinq niveaux")


def test_a_save_is_built_once_and_then_the_preview_rests(project_copy):
    """A build reads every file; reading is not a change: after a save, one build and one reload
    of the browser, then nothing until the next save."""
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    with serving(project_copy) as (base, log, _):
        wait_for(f"{base}/fr/loyalty-levels/", "Les 4 niveaux")
        for n, title in enumerate(("Quatre niveaux", "Cinq niveaux"), start=1):
            edit(fr, "title: " + ("Les 4 niveaux" if n == 1 else "Quatre niveaux"), "title: " + title)
            wait_for(f"{base}/fr/loyalty-levels/", title)
            time.sleep(1.5)  # MkDocs looks for changes every 0.5 s: it would have seen one three times
            text = log.read_text(encoding="utf-8")
            assert text.count("Reloading browsers") == n and text.count("Detected file changes") == n, text[-2000:]


def test_one_language_can_be_served_alone(project_copy):
    with serving(project_copy, {"KB_LANG": "th"}) as (base, _, _):
        page = wait_for(f"{base}/loyalty-levels/", 'lang="th"')
        assert "ระดับ" in page
        edit(project_copy / "translations/th/loyalty-levels.yaml", "title: ความภักดีของลูกค้า 4 ระดับ", "title: ความภักดีของลูกค้า 4 ขั้น")
        wait_for(f"{base}/loyalty-levels/", "ความภักดีของลูกค้า 4 ขั้น")


@pytest.mark.alone  # a time limit of a few seconds: make test runs it on a machine with nothing else to do
def test_a_build_that_fails_half_way_leaves_the_last_good_pages_answering_at_once(project_copy):
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    with serving(project_copy) as (base, log, _):
        wait_for(f"{base}/fr/loyalty-levels/", "Les 4 niveaux")
        # A strict build stops at its very end, on a warning, when every page has been written.
        (project_copy / "docs" / "extra.md").write_text("# Extra\n\n[gone](missing.md)\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while "The preview keeps the last good pages" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        for path, text in [("/fr/loyalty-levels/", "Les 4 niveaux"), ("/", 'lang="vi"'), ("/th/", 'lang="th"')]:
            assert text in fetch(base + path)  # at once: fetch gives up after 5 s
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(f"{base}/extra/")  # the failed build's pages are never shown
        assert missing.value.code == 404
        (project_copy / "docs" / "extra.md").unlink()
        edit(fr, "title: Les 4 niveaux", "title: Quatre niveaux")
        wait_for(f"{base}/fr/loyalty-levels/", "Quatre niveaux de fidélité client")
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _without_reload(page: str) -> str:
    """The page as built: without the live-reload call MkDocs writes into it as it serves it,
    nor that script's hash in the page's policy (the call holds the server's epoch)."""
    import re

    from kb.site.csp import inline_scripts, script_hash

    for text in inline_scripts(page):
        if re.search(r"reload\(\d+, \d+\)", text):
            page = page.replace(f" {script_hash(text)}", "")
    return re.sub(r"reload\(\d+, \d+\)", "reload()", page)


def test_a_save_in_one_language_rebuilds_that_language_only(project_copy):
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    vi = project_copy / "translations/vi/loyalty-levels.yaml"
    with serving(project_copy) as (base, log, _):
        wait_for(f"{base}/fr/loyalty-levels/", "Les 4 niveaux")
        edit(fr, "title: Les 4 niveaux", "title: Quatre niveaux")  # the first rebuild is a whole one
        wait_for(f"{base}/fr/loyalty-levels/", "Quatre niveaux de fidélité client")
        home = _without_reload(fetch(f"{base}/th/"))
        edit(fr, "title: Quatre niveaux", "title: Cinq niveaux")
        wait_for(f"{base}/fr/loyalty-levels/", "Cinq niveaux de fidélité client")
        assert "Built again: fr;" in log.read_text(encoding="utf-8")
        assert _without_reload(fetch(f"{base}/th/")) == home  # taken as it was
        results = fetch(f"{base}/fr/search/search_index.json")
        assert "Cinq niveaux" in results and "Quatre niveaux" not in results
        vi_text = vi.read_text(encoding="utf-8")
        title = next(line for line in vi_text.splitlines() if line.startswith("  title: "))
        edit(vi, title, title + " mới")
        wait_for(f"{base}/loyalty-levels/", title.split(": ", 1)[1] + " mới")
        assert "Built again: vi;" in log.read_text(encoding="utf-8")
        assert "Cinq niveaux" in fetch(f"{base}/fr/loyalty-levels/")
        for lang in LANGUAGES:  # each language's search worker script, beside Lunr's: kept or made again
            assert "lunr.kb.register" in fetch(f"{base}/{language_support_path(lang).as_posix()}"), lang


def test_make_serve_says_where_the_preview_is_and_which_languages():
    from kb.project import read_languages

    lang = read_languages(ROOT)[0][-1]
    every = subprocess.run(["make", "-n", "serve", "ADDR=127.0.0.1:8765"], cwd=ROOT, capture_output=True, text=True).stdout
    assert 'echo "Live preview: http://127.0.0.1:8765/ (every language); Ctrl+C stops"' in every
    one = subprocess.run(["make", "-n", "serve", f"LANG={lang}"], cwd=ROOT, capture_output=True, text=True).stdout
    assert f"Live preview: http://127.0.0.1:8000/ ({lang} only)" in one


def test_kb_runs_through_make_without_activating_the_environment():
    result = subprocess.run(["make", "-s", "kb", "ARGS=status", "-o", "setup"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "all" in result.stdout


@pytest.mark.alone  # a time limit of a few seconds: make test runs it on a machine with nothing else to do
def test_a_preview_stopped_by_a_signal_leaves_no_folder_behind(project_copy, tmp_path):
    """Ctrl+C (SIGINT) or a `kill` (SIGTERM): each build of the preview is in the temporary folder."""
    import signal

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    for stop in (signal.SIGTERM, signal.SIGINT):
        with serving(project_copy, {"TMPDIR": str(temporary)}) as (base, _, process):
            wait_for(f"{base}/fr/loyalty-levels/", "Les 4 niveaux")
            edit(project_copy / "translations/fr/loyalty-levels.yaml", "title: Les 4 niveaux", "title: Les 4 niveaux ")
            deadline = time.monotonic() + 60
            while not list(temporary.glob("kb-preview-*/build-*")):  # a rebuild into a new folder
                assert time.monotonic() < deadline
                time.sleep(0.1)
            process.send_signal(stop)
            process.wait(timeout=20)
        assert not list(temporary.glob("kb-preview-*")), stop


# A slow build, made by a test's own hook (never by a text: the sleep is in this hook alone):
# the first page in a process whose Markdown holds SLOW_MARK sleeps KB_TEST_SLOW_S seconds in the
# build, and the process writes its id to slow.pids. Once per process: the title that holds the
# mark is also on the language's home, trainers' and other pages, each of which slept in turn.
SLOW_MARK = "SLOW-BUILD"
SLOW_HOOK = f'''
import os, time
from pathlib import Path

slept = set()


def on_page_markdown(markdown, page, config, files):
    if "{SLOW_MARK}" in markdown and os.getpid() not in slept:
        slept.add(os.getpid())
        with open(Path(config.config_file_path).parent / "slow.pids", "a") as pids:
            pids.write(f"{{os.getpid()}}\\n")
        time.sleep(float(os.environ["KB_TEST_SLOW_S"]))
    return markdown
'''


def slow_project(root: Path) -> Path:
    (root / "slow_hook.py").write_text(SLOW_HOOK, encoding="utf-8")
    edit(root / "mkdocs.yml", "  - scripts/mkdocs_hooks.py\n", "  - scripts/mkdocs_hooks.py\n  - slow_hook.py\n")
    return root / "slow.pids"


def answered_at_once(url: str, text: str, seconds: float) -> None:
    """For `seconds`, every request is answered within 2 s with a page holding `text`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.monotonic()
        with urllib.request.urlopen(url, timeout=2) as response:
            assert text in response.read().decode("utf-8")
        assert time.monotonic() - start < 2
        time.sleep(0.2)


def wait_in_log(log: Path, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while text not in (found := log.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, found[-3000:]
        time.sleep(0.1)
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.alone  # a time limit of a few seconds: make test runs it on a machine with nothing else to do
def test_a_save_that_builds_slowly_leaves_the_last_good_pages_answering_at_once(project_copy):
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    pids = slow_project(project_copy)
    with serving(project_copy, {"KB_TEST_SLOW_S": "5"}) as (base, log, _):
        url = f"{base}/fr/loyalty-levels/"
        wait_for(url, "Les 4 niveaux")
        edit(fr, "title: Les 4 niveaux", f"title: {SLOW_MARK} niveaux")
        deadline = time.monotonic() + 60
        while not pids.exists():  # the build has reached the slow page
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.1)
        answered_at_once(url, "Les 4 niveaux", 2)  # while the build sleeps 5 s
        answered_at_once(f"{base}/th/", 'lang="th"', 0.5)
        wait_for(url, f"{SLOW_MARK} niveaux")  # under the time limit, the build goes on and is shown
    assert "took more than" not in log.read_text(encoding="utf-8")


@pytest.mark.alone  # a time limit of a few seconds: make test runs it on a machine with nothing else to do
def test_a_save_that_builds_past_the_time_limit_is_stopped_and_the_next_save_is_built(project_copy):
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    pids = slow_project(project_copy)
    with serving(project_copy, {"KB_TEST_SLOW_S": "600", "KB_PREVIEW_TIMEOUT": "4"}) as (base, log, _):
        url = f"{base}/fr/loyalty-levels/"
        wait_for(url, "Les 4 niveaux")
        edit(fr, "title: Les 4 niveaux", f"title: {SLOW_MARK} niveaux")
        text = wait_in_log(log, "took more than")
        message = next(line for line in text.splitlines() if "took more than" in line)
        assert "translations/fr/loyalty-levels.yaml took more than 4 s to build (KB_PREVIEW_TIMEOUT" in message
        assert "The preview keeps the last good pages; the next save builds again." in message
        assert [pid for pid in map(int, pids.read_text().split()) if running(pid)] == []  # stopped, not left running
        answered_at_once(url, "Les 4 niveaux", 1)
        vi = project_copy / "translations/vi/loyalty-levels.yaml"
        vi.write_text(vi.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the next save is slow too
        deadline = time.monotonic() + 60
        while len(stopped := [line for line in log.read_text(encoding="utf-8").splitlines() if "took more than" in line]) < 2:
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.1)
        assert "The save of translations/vi/loyalty-levels.yaml took more than" in stopped[1]  # that save's file alone
        edit(fr, f"title: {SLOW_MARK} niveaux", "title: Cinq niveaux")
        wait_for(url, "Cinq niveaux de fidélité client")
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.alone  # a time limit of a few seconds: make test runs it on a machine with nothing else to do
def test_a_hidden_fifo_never_stops_the_preview_answering(project_copy):
    """A read that never ends (a FIFO with no writer, named as a hidden file that a loader may
    open) blocks a build, never the server; once it is gone, a save is built and shown."""
    fr = project_copy / "translations/fr/loyalty-levels.yaml"
    pipe = project_copy / "content/.pipe.yaml"
    with serving(project_copy, {"KB_PREVIEW_TIMEOUT": "4"}) as (base, log, _):
        url = f"{base}/fr/loyalty-levels/"
        wait_for(url, "Les 4 niveaux")
        os.mkfifo(pipe)
        edit(fr, "title: Les 4 niveaux", "title: Quatre niveaux")
        wait_in_log(log, "Detected file changes")
        answered_at_once(url, "Les 4 niveaux", 3)
        deadline = time.monotonic() + 60
        while not any(said in (text := log.read_text(encoding="utf-8")) for said in ("took more than 4 s", "content/.pipe.yaml")):
            assert time.monotonic() < deadline, text[-3000:]  # the stuck build stopped, or the FIFO refused by the loader
            answered_at_once(url, "Les 4 niveaux", 0.1)
        pipe.unlink()
        edit(fr, "title: Quatre niveaux", "title: Cinq niveaux")
        wait_for(url, "Cinq niveaux de fidélité client")
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_an_operator_who_sets_a_time_limit_that_is_not_one_is_told_and_gets_the_default(value, monkeypatch, caplog):
    from kb.site import preview

    monkeypatch.setenv(preview.LIMIT_ENV, value)
    assert preview._limit() == preview.LIMIT_S
    assert f"KB_PREVIEW_TIMEOUT={value!r} is not a number of seconds above 0; the limit is 60 s" in caplog.text
    monkeypatch.setenv(preview.LIMIT_ENV, "2.5")
    assert preview._limit() == 2.5
