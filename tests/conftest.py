"""Shared fixtures: the real project, and small sample projects written into tmp_path."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.confirmed import confirm
from kb.model import language_prefix
from kb.project import load_project, read_languages

ROOT = Path(__file__).resolve().parents[1]
# Commands run as a user types them, not with what `make test` hands down to the commands it runs
# (its variables, such as CI's KB_SINCE, reach a nested `make` through MAKEFLAGS), nor with the
# terminal width pytest-xdist's workers set (MkDocs would wrap the messages the tests read).
for _name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "KB_SINCE", "COLUMNS", "LINES"):
    os.environ.pop(_name, None)
# The tests' caches (kb/cache.py) in a folder of their own, removed when they end, not in ~/.cache/kb.
# One for the run: pytest-xdist's workers (make test) inherit it from the process that made it,
# which removes it when it ends (a test reads the templates' cache of a site another worker built).
if "KB_TEST_CACHE_DIR" not in os.environ:
    os.environ["KB_TEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="kb-test-cache-")
    atexit.register(shutil.rmtree, os.environ["KB_TEST_CACHE_DIR"], ignore_errors=True)
CACHE_BASE = Path(os.environ["KB_TEST_CACHE_DIR"])
os.environ["KB_CACHE_DIR"] = str(CACHE_BASE)
MKDOCS = Path(sys.executable).parent / "mkdocs"
KB = Path(sys.executable).parent / "kb"
# The guide's languages, as mkdocs.yml lists them (default first), and the prefix of each.
LANGUAGES, DEFAULT_LANG = read_languages(ROOT)
LANG_PREFIXES = {lang: language_prefix(lang, DEFAULT_LANG) for lang in LANGUAGES}
CHROMIUM = "/usr/bin/chromium"
LOCAL = {"KB_SITE_URL": "local"}  # `kb build` for this machine (make build-local): no public address
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# An init script: every Content-Security-Policy violation a page reports, in window.__violations.
CSP_LISTENER = """window.__violations = []
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  [e.effectiveDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, e.sample].join(" ")))"""

SAMPLE_MKDOCS = f"""
site_name: kb
docs_dir: docs
theme:
  name: material
  custom_dir: {ROOT / "overrides"}
  language: vi
  font: false
plugins:
  - search
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      languages:
        - locale: vi
          default: true
          name: Tiếng Việt
        - locale: fr
          name: Français
hooks:
  - {ROOT / "scripts" / "mkdocs_hooks.py"}
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - md_in_html
  - admonition
  - def_list
  - tables
"""

SAMPLE_FILES = {
    "content/site.yaml": """\
pages: [care, glossary, sources]
strings:
  - id: site
    text: [name, description]
  - id: home
    text: [title, body]
  - id: labels
    text: [example, see-also, sources, language, published, updated, author, source-article, copy-link, permalink, untitled, tools, last-updated, feedback, given-title]
  - id: notices
    text: [untranslated, outdated]
  - id: languages
    text: [vi, fr]
  - id: status
    text: [title, body, language, page, translated, stale, missing, needs-work, all-done]
  - id: trainers
    text: [title, body, number, heading, link]
  - id: not-found
    text: [title, body, pages]
  - id: language-banner
    text: [text, dismiss]
""",
    "content/care.yaml": """\
id: care
source_lang: vi
sources: [seed-one]
sections:
  - id: listening
    items:
      - id: surveys
        text: [title, body, example]
        see_also: [habits]
      - id: habits
        quotes: [{lang: fr, code: [img, alert]}]  # its code quoting French gets `lang` elsewhere: attacks go there too
""",
    "content/glossary.yaml": """\
id: glossary
terms:
  - ref: surveys
""",
    "content/sources.yaml": """\
id: sources
sources:
  - id: seed-one
    lang: vi
    published: "2021-09-24"
    seed: 000.txt
""",
}

SAMPLE_TEXTS = {
    "vi": {
        "site": {
            "site": {"name": "Chăm sóc", "description": "Hướng dẫn"},
            "home": {"title": "Trang chủ", "body": "Chào mừng."},
            "labels": {
                "example": "Ví dụ",
                "see-also": "Xem thêm",
                "sources": "Nguồn",
                "language": "Ngôn ngữ",
                "published": "Ngày đăng",
                "updated": "Cập nhật",
                "author": "Tác giả",
                "source-article": "Bài gốc",
                "copy-link": "Sao chép liên kết",
                "permalink": "Liên kết cố định",
                "untitled": "Không có tiêu đề",
                "tools": "Công cụ",
                "last-updated": "Cập nhật lần cuối:",  # no {date}: the date follows (a placeholder would stop test_security.py's builds)
                "feedback": "Góp ý",
                "given-title": "tiêu đề do cẩm nang đặt",
            },
            "notices": {"untranslated": "Phần này chưa được dịch.", "outdated": "Có thể đã cũ."},
            "languages": {"vi": "Tiếng Việt", "fr": "Tiếng Pháp"},
            "status": {
                "title": "Tình trạng dịch",
                "body": "Tiến độ dịch của từng trang.",
                "language": "Ngôn ngữ",
                "page": "Trang",
                "translated": "Đã dịch",
                "stale": "Cần cập nhật",
                "missing": "Còn thiếu",
                "needs-work": "Các phần cần xử lý",
                "all-done": "Đã dịch xong.",
            },
            "trainers": {"title": "Giảng viên", "body": "Mọi liên kết.", "number": "Số", "heading": "Tiêu đề", "link": "Liên kết"},
            "not-found": {"title": "Không tìm thấy", "body": "Không có trang này.", "pages": "Các trang"},
            "language-banner": {"text": "Có bằng tiếng Việt", "dismiss": "Đóng"},
        },
        "care": {
            "care": {"title": "Chăm sóc khách hàng", "body": "Mở đầu."},
            "listening": {"title": "Lắng nghe", "body": "Lắng nghe khách hàng."},
            "surveys": {"title": "Khảo sát", "body": "Hỏi khách hàng.", "example": "Một bảng hỏi."},
            "habits": {"title": "Thói quen", "body": "Mua lặp lại."},
        },
        "glossary": {"glossary": {"title": "Thuật ngữ", "body": "Các thuật ngữ."}, "surveys": {"definition": "Hỏi ý kiến."}},
        "sources": {"sources": {"title": "Nguồn", "body": "Các bài viết."}, "seed-one": {"title": "Bài một"}},
    },
    "fr": {
        "site": {
            "site": {"name": "Soin", "description": "Guide"},
            "home": {"title": "Accueil", "body": "Bienvenue."},
            "labels": {
                "example": "Exemple",
                "see-also": "Voir aussi",
                "sources": "Sources",
                "language": "Langue",
                "published": "Publié",
                "updated": "Mis à jour",
                "author": "Auteur",
                "source-article": "Article d’origine",
                "copy-link": "Copier le lien",
                "permalink": "Lien permanent",
                "untitled": "Sans titre",
                "tools": "Outils",
                "last-updated": "Dernière mise à jour :",
                "feedback": "Donner votre avis",
                "given-title": "titre donné par ce guide",
            },
            "notices": {"untranslated": "Cette section n’est pas encore traduite.", "outdated": "Peut-être obsolète."},
            "languages": {"vi": "vietnamien", "fr": "français"},
            "status": {
                "title": "État des traductions",
                "body": "L’avancement de chaque page.",
                "language": "Langue",
                "page": "Page",
                "translated": "Traduit",
                "stale": "À revoir",
                "missing": "Manquant",
                "needs-work": "Sections à reprendre",
                "all-done": "Tout est traduit.",
            },
            "trainers": {"title": "Formateurs", "body": "Tous les liens.", "number": "N°", "heading": "Titre", "link": "Lien"},
            "not-found": {"title": "Introuvable", "body": "Cette page n’existe pas.", "pages": "Les pages"},
            "language-banner": {"text": "Existe en français", "dismiss": "Fermer"},
        },
        "care": {
            "care": {"title": "Service client", "body": "Introduction."},
            "listening": {"title": "Écouter", "body": "Écouter les clients."},
            "surveys": {"title": "Enquêtes", "body": "Interroger les clients.", "example": "Un questionnaire."},
            "habits": {"title": "Habitudes", "body": "Achats répétés."},
        },
        "glossary": {"glossary": {"title": "Glossaire", "body": "Les termes."}, "surveys": {"definition": "Demander l’avis."}},
        "sources": {"sources": {"title": "Sources", "body": "Les articles."}, "seed-one": {"title": "Article un"}},
    },
}


def dump_texts(texts: dict) -> str:
    """Write a translation file as a translator would: ids, fields, double-quoted text."""
    lines = []
    for uid, fields in texts.items():
        lines.append(f"{uid}:")
        lines += [f'  {name}: "{value}"' for name, value in fields.items()]
    return "\n".join(lines) + "\n"


class Sample:
    """A small project on disk that a test can break one line at a time."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))


def make_sample(root: Path) -> Sample:
    """The sample project, written at `root`, with the French translations confirmed."""
    s = Sample(root)
    s.write("mkdocs.yml", SAMPLE_MKDOCS)
    (s.root / "docs").mkdir()
    for rel, text in SAMPLE_FILES.items():
        s.write(rel, text)
    for lang, files in SAMPLE_TEXTS.items():
        for name, texts in files.items():
            s.write(f"translations/{lang}/{name}.yaml", dump_texts(texts))
    confirm(load_project(s.root), "fr")
    return s


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """make test runs the tests in two pytest-xdist workers (--dist loadgroup): each file's tests
    in one worker, so that its module-scoped fixtures are made once, and the tests that read
    guide_views in one worker, so that each page of the guide is viewed once."""
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if not any(item.iter_markers("xdist_group")):
                item.add_marker(pytest.mark.xdist_group("guide_views" if "guide_views" in item.fixturenames else item.module.__name__))


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    return make_sample(tmp_path / "project")


def run(args: list, cwd: Path, env_extra: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, **kwargs)


def made_once(config, tmp_path_factory, name: str, make) -> Path:
    """A folder that `make` fills once per test run, shared by pytest-xdist's workers (make test
    runs two): the first worker that needs it makes it while the other waits, then both read it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):  # a worker (not a pytest that a test runs from one)
        base = base.parent  # the run's folder, above each worker's own
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built_site(pytestconfig, tmp_path_factory) -> Path:
    """The real site, built once with --strict into a temporary folder."""

    def build(site: Path) -> None:
        result = run([MKDOCS, "build", "--strict", "--site-dir", site], ROOT, {"KB_OFFLINE": "false"})  # the site, whatever the shell says
        assert result.returncode == 0, result.stderr

    return made_once(pytestconfig, tmp_path_factory, "site", build)


@pytest.fixture(scope="session")
def offline_site(pytestconfig, tmp_path_factory) -> Path:
    """The real guide as `kb build --offline` (languages in parallel) writes it, built once."""

    def build(folder: Path) -> None:
        result = run([KB, "build", "--offline", "--site-dir", folder / "site"], ROOT, LOCAL)
        assert result.returncode == 0, result.stderr

    return made_once(pytestconfig, tmp_path_factory, "offline", build) / "site"


def shown(project, lang: str, file: str, uid: str, field: str) -> str:
    """What a page in `lang` shows for a text: its own, or the text it falls back to while it is
    not translated. The tests of the real guide expect this, never a complete language."""
    from kb.render import PageRenderer

    return PageRenderer(project, lang).piece(file, uid, field).text


def copy_project(dest: Path) -> Path:
    """The project as a fresh clone has it: every file git tracks or would add, nothing it ignores."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    )
    for rel in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def require_tool(path: str) -> None:
    """A missing tool is a failure, never a skip: `make test` installs everything a test needs."""
    if shutil.which(path) is None:
        pytest.fail(f"{path} is not installed; `make test` installs it")


@contextmanager
def nginx_serving(site: Path, work: Path, root: Path = ROOT):
    """nginx with the production config (deploy/nginx.conf) of the project at `root`, serving `site` on a free port of 127.0.0.1."""
    import socket
    import time
    import urllib.request

    from kb.site import deploy

    require_tool("/usr/sbin/nginx")  # Debian's nginx package
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = work / "nginx.conf"
    config.write_text(deploy.local_config(root, site, f"127.0.0.1:{port}", work), encoding="utf-8")
    check = subprocess.run([deploy.nginx(), "-t", "-p", str(work), "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([deploy.nginx(), "-p", str(work), "-c", str(config)], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def serving(folder: Path):
    """A folder on a local static server, as any static host would serve it: yields its address
    (`http://127.0.0.1:<port>`, no final slash). The one `kb handouts` prints from."""
    from kb.site.handouts import serving as kb_serving

    with kb_serving(folder) as base:
        yield base


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site on a local static server, as any static host would serve it."""
    with serving(built_site) as base:
        yield base


class QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; no browser is ever downloaded."""
    require_tool(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watched(context):
    """A page of `context` whose policy violations (window.__violations), console errors
    (page.errors) and failed requests (page.failed: failed, or answered with 400 or above) are kept."""
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.errors, page.failed, page.pending, page.answered = [], [], set(), []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.pending.add(request))
    page.on("requestfinished", lambda request: (page.pending.discard(request), page.answered.append(request.url)))
    page.on("requestfailed", lambda request: (page.pending.discard(request), page.failed.append(f"{request.url} {request.failure}")))
    page.on("response", lambda response: page.failed.append(f"{response.url} {response.status}") if response.status >= 400 else None)
    return page


# The icon Chromium asks for once a page has loaded: the page's own, or the site's /favicon.ico.
ICON = "(document.querySelector('link[rel~=icon]') || {}).href || location.origin + '/favicon.ico'"


def view(page, url: str) -> None:
    """Open `url` in a `watched` page and wait until it has loaded and every request it made is
    answered, the icon Chromium asks for after the load event included. A page asks for nothing
    more until a reader searches (the search worker and index start on first use: kb-search.js),
    so this is all networkidle waited for, without its quiet half second on every page."""
    page.answered.clear()
    page.goto(url)
    icon = page.evaluate(ICON)
    deadline = time.monotonic() + 5  # past it, no icon was asked for: nothing more to wait for
    while (page.pending or icon not in page.answered) and time.monotonic() < deadline:
        page.wait_for_timeout(10)


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # installed by `make npm` (make test)


@dataclass
class View:
    """What one page of the built guide showed in Chromium."""

    violations: list[str]  # Content-Security-Policy violations the page reported
    errors: list[str]  # console errors and uncaught exceptions
    failed: list[str]  # requests that failed or were answered with 400 or above
    axe: list[tuple[str, str]]  # axe-core's violations: each rule's id and the first element it found


@pytest.fixture(scope="session")
def guide_views(browser, site_server, built_site) -> dict[str, View]:
    """Every page of the built guide (each language's pages and its 404 page) viewed once in
    Chromium from a static server, with its policy in force, by its path in the site. The tests of
    the policy (test_csp.py), of missing files (test_host.py) and of accessibility (test_readers.py)
    each assert on these records: one view of each page for the three, not one each."""
    axe = AXE.read_text(encoding="utf-8") if AXE.is_file() else None  # test_readers.py says when it is missing
    context = browser.new_context()
    page = watched(context)
    views = {}
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        page.errors.clear()
        page.failed.clear()
        view(page, f"{site_server}/{rel.removesuffix('index.html')}")
        found = View(page.evaluate("window.__violations"), list(page.errors), list(page.failed), [])
        if axe is not None:  # after the page's own records: axe is evaluated as the DevTools do, past the policy
            page.evaluate(axe)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")  # every rule: WCAG 2.0-2.2 A and AA, best practices
            found.axe = [(v["id"], v["nodes"][0]["html"][:160]) for v in result["violations"]]
        views[rel] = found
    context.close()
    return views


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
