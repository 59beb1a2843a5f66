"""The guide on its real host: addresses, 404 pages, language choice, the production server."""

from __future__ import annotations

import functools
import os
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import MKDOCS, ROOT, copy_project
from kb.project import read_languages
from kb.site.publish import NoAddress, public_address

LANGUAGES, DEFAULT = read_languages(ROOT)


def test_a_publishing_build_needs_the_public_address():
    with pytest.raises(NoAddress, match=r"KB_SITE_URL is not set: .*make build KB_SITE_URL=https://.*make build-local"):
        public_address({})
    for wrong in ("guide.example.org", "ftp://example.org/", "https://", "https://example.org/?a=1", "/guide/"):
        with pytest.raises(NoAddress, match="is not an http:// or https:// address"):
            public_address({"KB_SITE_URL": wrong})
    assert public_address({"KB_SITE_URL": "https://example.org/guide"}) == "https://example.org/guide/"
    environ = {"KB_SITE_URL": "local"}
    assert public_address(environ) is None and environ == {}  # mkdocs.yml's preview address


def test_make_build_refuses_without_kb_site_url_and_says_what_to_set(tmp_path):
    guide = copy_project(tmp_path / "guide")
    env = {k: v for k, v in os.environ.items() if k != "KB_SITE_URL"}
    command = ["make", "build", f"BIN={Path(MKDOCS).parent}", "-o", "setup"]
    result = subprocess.run(command, cwd=guide, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "kb: error: KB_SITE_URL is not set" in result.stderr
    assert "make build-local" in result.stderr and "Traceback" not in result.stderr
    assert not (guide / "site").exists() and not (guide / ".site.builds").exists()


@contextmanager
def served_under(site: Path, prefix: str):
    """The site on a random port of 127.0.0.1, under `prefix` (`/guide/`): any host, any path."""
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            return super().translate_path("/" + path.removeprefix(prefix)) if path.startswith(prefix) else str(site / "missing")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["/", "/guide/"])
def test_copy_link_copies_the_address_the_reader_is_on(browser, built_site, prefix):
    lang = LANGUAGES[-1]
    with served_under(built_site, prefix) as base:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{base}{lang}/loyalty-levels/")
        page.locator("#loyal-customers + p .kb-copy-link").click()
        page.wait_for_timeout(300)
        assert page.evaluate("navigator.clipboard.readText()") == f"{base}{lang}/loyalty-levels/#loyal-customers"
        page.goto(f"{base}{lang}/trainers/")
        shown = page.locator("a.kb-address").evaluate_all("els => els.map(a => a.textContent)")
        assert f"{base}{lang}/loyalty-levels/#loyal-customers" in shown
        assert all(text.startswith(f"{base}{lang}/") for text in shown), shown[:3]
        context.close()


@pytest.mark.browser
def test_the_trainers_page_fits_a_phone_and_prints_from_the_first_page(browser, site_server):
    lang = LANGUAGES[-1]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_server}/{lang}/trainers/")
    widths = page.locator(".md-typeset__table").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert widths and all(scroll <= client for scroll, client in widths), widths  # nothing to scroll to
    right = page.locator("a.kb-address").evaluate_all("els => Math.max(...els.map(a => a.getBoundingClientRect().right))")
    assert right <= 390
    page.emulate_media(media="print")
    table = page.locator(".md-typeset table").first
    assert table.evaluate("t => getComputedStyle(t).breakInside") != "avoid"
    for box in (".md-typeset__scrollwrap", ".md-typeset__table"):  # an inline-block is never split over pages
        assert page.locator(box).first.evaluate("e => getComputedStyle(e).display") == "block"
    context.close()
