"""A long sidebar is written once per language, as sidebar.js (kb/site/sidebar.py): a reader's
browser shows the same sidebar as when every page holds it, no page grows with the guide, and
the script is audited as the pages are."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import KB, LANG_PREFIXES, LOCAL, ROOT, QuietHandler, run
from kb.site import audit, sidebar

APART = {sidebar.INLINE_ENV: "0"}  # every sidebar, however short, in sidebar.js
# Each element of the sidebar's list as the browser has it once the page is read.
NAV_ITEMS = """() => Array.from(document.querySelectorAll('.md-nav--primary > .md-nav__list > *'))
  .map(e => e.outerHTML.replace(/>\\s+</g, '><').trim())"""


def _page(url: str, title: str) -> SimpleNamespace:
    return SimpleNamespace(is_page=True, is_section=False, url=url, title=title, meta={})


class _Nav:  # a navigation as the sidebar reads it (weakly referenced, as MkDocs's is)
    def __init__(self, items):
        self.items = items


def _nav(*items) -> _Nav:
    return _Nav(list(items))


def test_a_sidebar_is_written_apart_only_when_it_has_more_links_than_the_limit(monkeypatch):
    monkeypatch.delenv(sidebar.INLINE_ENV, raising=False)
    pages = [_page(f"p{i}/", f"P{i}") for i in range(sidebar.INLINE_LINKS)]
    assert not sidebar.written_apart(_nav(*pages))
    assert sidebar.written_apart(_nav(*pages, _page("one-more/", "One more")))
    monkeypatch.setenv(sidebar.INLINE_ENV, "0")
    assert sidebar.written_apart(_nav(_page("p/", "P")))


def test_the_script_holds_each_title_as_data_and_gives_back_the_links_the_pages_had(monkeypatch):
    """Titles are HTML (as Material writes them); in the script they are JSON strings that no
    quote, line separator or `</script>` can leave."""
    hostile = 'A &amp; B &lt;/script&gt;"]);alert(1);// \u2028 ’'
    section = SimpleNamespace(is_page=False, is_section=True, title="Tools", children=[])
    nav = _nav(_page("", "Home"), _page("a/", hostile), section, _page("fr/b/", "Bé"))
    text = sidebar.script(nav)
    assert "</script>" not in text and "\u2028" not in text and text.isascii()
    links = sidebar.links_of_script(text)
    assert links == [["", "Home"], ["a/", hostile], None, ["fr/b/", "Bé"]]
    cache = sidebar.SidebarCache()
    cache.script = "sidebar.js"
    monkeypatch.setenv(sidebar.INLINE_ENV, "0")
    inline = "".join(link for link in cache._links_for(nav, "../").links if link)  # what a page would hold
    assert sidebar.links_html(links, "..") == inline


def test_a_page_holds_a_script_for_each_run_of_links_around_the_current_page(monkeypatch):
    monkeypatch.setenv(sidebar.INLINE_ENV, "0")
    pages = [_page(f"p{i}/", f"P{i}") for i in range(5)]
    pages[2].active = True
    cache = sidebar.SidebarCache()
    cache.script = "fr/sidebar.js"
    parts = cache(_nav(*pages), "../..", pages[2]).parts
    assert [(p.src, p.base, p.span) for p in parts if p.src] == [
        ("../../fr/sidebar.js", "../..", (0, 2)),
        ("../../fr/sidebar.js", "../..", (3, 5)),
    ]
    assert [p.item for p in parts if p.item] == [pages[2]]
    assert not any(p.html for p in parts)  # no links on the page itself
    cache.script = ""  # a build that writes no sidebar.js: the links are on the page
    assert [p.html for p in cache(_nav(*pages), "../..", pages[2]).parts if p.html]


def _allowed() -> audit.Allowed:
    return audit.allowlist([], "/nonexistent", [], ["fr"], "/")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda text: text.replace("insertAdjacentHTML", "eval"),  # other code
        lambda text: text.replace('"Home"]', '"Home"],1'),  # data that is not address and title
        lambda text: text + "alert(1);\n",  # more code after it
        lambda text: text.replace(sidebar.DATA_SEPARATOR + "[", sidebar.DATA_SEPARATOR + '["x",'),  # other pieces
    ],
    ids=["code", "data", "appended", "pieces"],
)
def test_the_audit_refuses_a_sidebar_script_that_is_not_the_one_kb_writes(tmp_path, tamper):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "sidebar.js").write_text(sidebar.script(_nav(_page("", "Home"), _page("a/", "A"))), encoding="utf-8")
    assert audit.audit_site(tmp_path, _allowed()) == []
    text = (tmp_path / "fr" / "sidebar.js").read_text(encoding="utf-8")
    (tmp_path / "fr" / "sidebar.js").write_text(tamper(text), encoding="utf-8")
    problems = audit.audit_site(tmp_path, _allowed())
    assert [p.format() for p in problems] == ["fr/sidebar.js:1: SECURITY a sidebar script that is not the one kb writes"]


@pytest.mark.parametrize(
    "title", ['<img src=x onerror="alert(1)">', "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', "<style>*{}</style>"]
)
def test_the_audit_refuses_a_sidebar_script_whose_links_would_run_something(tmp_path, title):
    (tmp_path / "sidebar.js").write_text(sidebar.script(_nav(_page("", "Home"), _page("a/", title))), encoding="utf-8")
    problems = audit.audit_site(tmp_path, _allowed())
    assert problems and all(p.file == "sidebar.js" for p in problems)


@pytest.mark.parametrize("url", ["//elsewhere.example/", "/elsewhere/", "javascript:alert(1)", "\\\\elsewhere.example\\x"])
def test_the_audit_refuses_a_sidebar_link_that_is_not_a_page_of_the_guide(tmp_path, url):
    """A link's address follows the page's way to the root, which is empty on a 404 page at the
    site's root: `/` + `//elsewhere.example/` would lead to another host."""
    (tmp_path / "sidebar.js").write_text(sidebar.script(_nav(_page("", "Home"), _page(url, "A"))), encoding="utf-8")
    problems = [p.format() for p in audit.audit_site(tmp_path, _allowed())]
    assert problems == [f"sidebar.js:1: SECURITY a sidebar link that is not a page of the guide: `{url}`"]


@pytest.fixture(scope="module")
def apart_site(tmp_path_factory) -> Path:
    """The real guide built by `kb build` with every sidebar in sidebar.js."""
    site = tmp_path_factory.mktemp("apart") / "site"
    result = run([KB, "build", "--site-dir", site], ROOT, {**LOCAL, **APART})
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.build
def test_pages_hold_no_links_of_the_sidebar_and_each_language_has_its_script(apart_site, built_site):
    for prefix in LANG_PREFIXES.values():
        script = apart_site / prefix / sidebar.SCRIPT_NAME
        assert sidebar.links_of_script(script.read_text(encoding="utf-8"))
        page = (apart_site / prefix / "commitment-framework" / "index.html").read_text(encoding="utf-8")
        whole = (built_site / prefix / "commitment-framework" / "index.html").read_text(encoding="utf-8")
        assert f'<script src="../{"../" * prefix.count("/")}{prefix}{sidebar.SCRIPT_NAME}" defer ' in page  # the content never waits for it
        assert page.count('class="md-nav__link"') < whole.count('class="md-nav__link"') - 5
        assert not (built_site / prefix / sidebar.SCRIPT_NAME).exists()  # a short sidebar stays on the page


def _served(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.browser
@pytest.mark.build
def test_a_browser_shows_the_same_sidebar_from_sidebar_js_as_from_the_page(apart_site, built_site, page):
    """Every element of the sidebar, its links' addresses and the current page marked, as the
    browser has them: the same whether the page or sidebar.js holds the links."""
    servers = [_served(apart_site), _served(built_site)]
    try:
        (_, apart), (_, whole) = servers
        paths = [f"{prefix}{name}" for prefix in LANG_PREFIXES.values() for name in ("", "commitment-framework/", "status/")]
        for path in [*paths, "404.html"]:
            page.goto(f"{whole}/{path}")
            expected = page.evaluate(NAV_ITEMS)
            page.goto(f"{apart}/{path}")
            assert page.evaluate(NAV_ITEMS) == expected, path
            assert len(expected) > 5
            assert page.locator(".md-nav--primary script").count() == 0  # each script gave way to its links
    finally:
        for server, _ in servers:
            server.shutdown()


@pytest.mark.browser
@pytest.mark.build
def test_a_sidebar_from_sidebar_js_works_from_file_urls(tmp_path, page):
    """`make offline`'s guide opens from file://, where a page may load a script but fetch nothing."""
    site = tmp_path / "site"
    result = run([KB, "build", "--offline", "--site-dir", site], ROOT, {**LOCAL, **APART})
    assert result.returncode == 0, result.stderr
    for prefix in LANG_PREFIXES.values():
        page.goto((site / prefix / "commitment-framework.html").as_uri())
        links = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link")
        assert links.count() >= 5 and page.locator(".md-nav--primary script").count() == 0
        links.filter(has_not=page.locator(".md-nav__link--active")).last.click()
        page.wait_for_load_state()
        assert page.url.startswith((site / prefix).as_uri()) and page.url != (site / prefix / "commitment-framework.html").as_uri()


@pytest.mark.browser
@pytest.mark.build
def test_without_script_a_page_still_shows_its_own_entry_and_the_tools_and_home_lists_every_page(apart_site, browser):
    context = browser.new_context(java_script_enabled=False)
    server, base = _served(apart_site)
    try:
        page = context.new_page()
        for prefix in LANG_PREFIXES.values():
            page.goto(f"{base}/{prefix}commitment-framework/")
            nav = page.locator(".md-nav--primary")
            assert nav.locator(".md-nav__link--active").count() >= 1  # the current page, with its table of contents
            assert nav.locator('a[href$="/status/"]').count() == 1  # the tools
            page.goto(f"{base}/{prefix}")
            listed = page.locator(".md-content a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
            names = sidebar.links_of_script((apart_site / prefix / sidebar.SCRIPT_NAME).read_text(encoding="utf-8"))
            assert {link[0].removeprefix(prefix) for link in names if link and link[0] != prefix} <= {h.strip("./") + "/" for h in listed}
    finally:
        context.close()
        server.shutdown()
