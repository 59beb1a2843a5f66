"""Handouts: each section's permanent address and its QR code on paper (the print view of every
topic page), and one PDF per topic and language printed from the built pages by Chromium.

The address block is made from ids and site_url only, never from a text (kb/addresses.py), and
is part of the page's Markdown and HTML: the page memo keeps it, the sanitiser (kb/site/sanitise.py)
lets exactly its markup through, and the output audit reads it as any other markup.
"""

from __future__ import annotations

import datetime
import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from markupsafe import escape

from .. import markdown_safe as safe
from ..anchors import topics
from ..files import write_bytes_atomically
from ..model import language_prefix, locale
from ..project import Project
from ..render import NUMBER_SEPARATOR, PageRenderer, long_date

HANDOUTS_DIR = Path("dist/handouts")  # kb handouts writes <lang>/<topic>.pdf here; the build publishes them


# Printing: `kb handouts` (make handouts)

PAPERS = {"a4": "A4", "letter": "Letter"}
CHROMIUM = "/usr/bin/chromium"  # Debian's (make browser), never one a test tool downloads
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MARGIN = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# Chromium's header and footer templates: their own document, unstyled by the page (9 px text).
BAND = '<div lang="{lang}" style="font-size:9px;width:100%;margin:0 14mm;display:flex;justify-content:space-between;gap:4mm">{start}{end}</div>'


def pdf_path(out_dir: Path, lang: str, topic: str) -> Path:
    return out_dir / locale(lang) / f"{topic}.pdf"


def printed(project: Project) -> dict[str, frozenset[str]]:
    """The topics of each language whose handout `kb handouts` has printed (in dist/handouts/)."""
    folder = project.root / HANDOUTS_DIR
    found = {lang: frozenset(t for t in topics(project.content) if pdf_path(folder, lang, t).is_file()) for lang in project.languages}
    return {lang: names for lang, names in found.items() if names}


def publish(project: Project, found: dict[str, frozenset[str]], site_dir: Path) -> None:
    """The printed handouts into the site, beside each language's pages (the trainers' page links them)."""
    for lang, names in found.items():
        for topic in names:
            target = site_dir / site_pdf_path(project, lang, topic)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf_path(project.root / HANDOUTS_DIR, lang, topic), target)


def site_pdf_path(project: Project, lang: str, topic: str) -> str:
    """Where a handout is published in the site, beside its language's pages (`fr/handouts/topic.pdf`)."""
    return f"{language_prefix(lang, project.default_lang)}handouts/{topic}.pdf"


def bands(project: Project, lang: str, topic: str, day: datetime.date) -> tuple[str, str]:
    """The running header (the guide, the topic's number and title, the language) and footer (the
    day printed, the page number) of a topic's handout, in its language; texts escaped."""
    renderer = PageRenderer(project, lang)
    text = lambda value: str(escape(safe.one_line(value)))  # noqa: E731
    title = renderer.piece(topic, project.content.files[topic].root.id, "title").text
    guide = text(renderer.piece("site", "site", "name").text)
    header = BAND.format(
        lang=locale(lang),
        start=f"<span>{guide} — {renderer.numbers[topic]} {NUMBER_SEPARATOR} {text(title)}</span>",
        end=f"<span>{text(renderer.language_name(lang, listed=True).text)}</span>",
    )
    printed = text(renderer.piece("site", "handout", "printed").text or "{date}")
    page = text(renderer.piece("site", "handout", "page").text or "{page}/{pages}")
    page = page.replace("{page}", '<span class="pageNumber"></span>').replace("{pages}", '<span class="totalPages"></span>')
    footer = BAND.format(
        lang=locale(lang), start=f"<span>{printed.replace('{date}', text(long_date(day, lang)))}</span>", end=f"<span>{page}</span>"
    )
    return header, footer


def print_handouts(project: Project, site_dir: Path, out_dir: Path, paper: str = "a4", browser=None) -> list[Path]:
    """One PDF per topic and language, printed by Chromium from the built pages (served over a
    local HTTP server, as readers get them), to out_dir/<lang>/<topic>.pdf; the paths written.
    `browser`: a Playwright Chromium already running (the tests'), else Debian's is started."""
    with serving(site_dir) as base:
        if browser is not None:
            return _print_all(project, browser, base, out_dir, paper)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return _print_all(project, chromium, base, out_dir, paper)
            finally:
                chromium.close()


def _print_all(project: Project, browser, base: str, out_dir: Path, paper: str) -> list[Path]:
    day, written = datetime.date.today(), []
    context = browser.new_context()
    page = context.new_page()
    for lang in project.languages:
        address = PageRenderer(project, lang).address
        for topic in topics(project.content):
            page.goto(f"{base}/{address(lang, topic)}", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            header, footer = bands(project, lang, topic, day)
            pdf = page.pdf(format=PAPERS[paper], margin=MARGIN, display_header_footer=True, header_template=header, footer_template=footer)
            path = pdf_path(out_dir, lang, topic)
            write_bytes_atomically(path, pdf)
            written.append(path)
    context.close()
    return written


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server's handler that logs nothing."""

    def log_message(self, *args):
        pass


@contextmanager
def serving(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler):
    """A folder on a local static server (127.0.0.1, a free port), as any static host would serve
    it (or as `handler` answers): its address, no final slash."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
