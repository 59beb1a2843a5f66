"""Review finding H2 (and S5): HTML smuggled into a body text past the checker and the escaper
is stopped by each of the two defences on the HTML side, each on its own: the allowlist sanitiser
(kb/site/sanitise.py) and the output audit, which reads pages as a browser does (kb/site/audit.py)."""

from __future__ import annotations

import json
import shutil
from contextlib import ExitStack, contextmanager
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import Abort
from selectolax.lexbor import LexborHTMLParser

from conftest import SAMPLE_TEXTS, make_sample, serving
from kb import render
from kb.site import audit, sanitise
from kb.site.build import Build
from test_security import PAGE, allowed_for, build, checker_without_markup_errors, hostile_project

# The review's rows, each a body text (security-review.md, H2 and S5). A backslash before a code
# span: Python-Markdown reads "\`" as a backtick, and the HTML after it as HTML, where a comment
# or raw-text form hides an element from a parser that does not read it as a browser does.
ROWS = {
    "V1 <!-->": "Xem \\`<!--><img src=x onerror=alert(1)>-->` thêm.",
    "V3 CDATA": "\\`<![CDATA[><img src=x onerror=alert(3)>]]>`",
    "V4 title": '\\`<title><p title="</title><img src=x onerror=alert(4)>">`',
    "V5 noscript": '\\`<noscript><p title="</noscript><img src=x onerror=alert(5)>">`',
    "V7 <!--->": "\\`<!--->x<img src=x onerror=alert(7)>-->`",
    "M21 tracking image": "Xem \\`<!--><img src=https://evil.example/track.png?c=1>-->` nhé",
    "M19 javascript link": "\\`[x](javascript:alert(19))`",
    "M20 img onerror": "\\`<img src=x onerror=alert(20)>`",
    "S5 --!>": "\\`<!-- --!><img src=x onerror=alert(2)>-->`",
    "S5 textarea": '\\`<textarea><p title="</textarea><img src=x onerror=alert(6)>">`',
}
# Body texts of the sample project, which the renderer writes as Markdown (markdown_safe.block).
BODIES = [
    (lang, file, uid, field)
    for lang, files in SAMPLE_TEXTS.items()
    for file, units in files.items()
    for uid, fields in units.items()
    for field in fields
    if field in ("body", "example", "definition") and file != "site"
]


@contextmanager
def only(defence: str):
    """One defence on the HTML side, the others off: the checker's markup errors and the escaper
    always (what H2 gets past), and the audit or the sanitiser. Each is switched by the module
    attribute it is called through, out of reach of any text."""
    with ExitStack() as stack:
        stack.enter_context(checker_without_markup_errors())
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setattr(render.safe, "block", lambda text, code_lang=None: text)
        patch.setenv("KB_NO_CACHE", "1")  # nothing kept from a build with another defence on
        if defence == "sanitiser":
            patch.setattr(Build, "refuse", lambda self, problems: None)
        else:
            patch.setattr(sanitise, "clean", lambda html: html)
        yield


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return make_sample(tmp_path_factory.mktemp("h2") / "project").root


@pytest.fixture(scope="module")
def sanitised_site(base, tmp_path_factory) -> Path:
    """Every row in a body text of its own, built with the sanitiser alone."""
    root = hostile_project(base, list(zip(BODIES, ROWS.values(), strict=False)))
    site = tmp_path_factory.mktemp("sanitised")
    try:
        with only("sanitiser"):
            build(root, site)
    finally:
        shutil.rmtree(root.parent)
    return site


def _content(page: str) -> str:
    return page[page.index(">", page.index('<article class="md-content__inner')) + 1 : page.index("</article>")]


def _outside_allowlist(html: str) -> list[str]:
    found = []
    for node in LexborHTMLParser(html, is_fragment=True).root.traverse() if html.strip() else ():
        if node.tag.startswith("-"):
            continue
        allowed = sanitise.ALLOWED.get(node.tag)
        if allowed is None:
            found.append(f"<{node.tag}>")
            continue
        for name, value in node.attributes.items():
            names = [f".{c}" for c in (value or "").split()] if name == "class" else [name]
            found += [f"<{node.tag} {n}>" for n in names if n not in allowed]
    return found


def test_every_row_is_in_a_body_text_of_its_own():
    assert len(BODIES) >= len(ROWS)


def test_with_the_sanitiser_alone_pages_hold_only_what_kb_markdown_writes(sanitised_site):
    pages = sorted(sanitised_site.rglob("index.html"))
    assert len(pages) >= 10
    for path in pages:
        assert _outside_allowlist(_content(path.read_text(encoding="utf-8"))) == [], path
    for index in sanitised_site.rglob("search_index.json"):
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            assert _outside_allowlist(doc["title"]) + _outside_allowlist(doc["text"]) == [], doc
    # The text around what was removed is still there (V1 on the topic page, M21 in the glossary).
    assert "<p>Xem `--&gt;` thêm.</p>" in (sanitised_site / "care" / "index.html").read_text(encoding="utf-8")
    assert "<p>Xem `--&gt;` nhé</p>" in (sanitised_site / "glossary" / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_with_the_sanitiser_alone_no_row_opens_a_dialog_or_loads_from_another_host(browser, sanitised_site):
    pages = sorted(p.relative_to(sanitised_site).as_posix() for p in sanitised_site.rglob("index.html"))
    dialogs, foreign = [], []
    with serving(sanitised_site) as base:
        base_url = base + "/"
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base_url) else foreign.append(request.url))
        try:
            for rel in pages:
                page.goto(base_url + rel.removesuffix("index.html"), wait_until="load")
                page.wait_for_timeout(100)
        finally:
            context.close()
    assert len(pages) >= 10
    assert dialogs == [] and foreign == []


@pytest.mark.parametrize("text", ROWS.values(), ids=ROWS.keys())
def test_with_the_audit_alone_each_row_stops_the_build_traced_to_its_text(base, tmp_path, caplog, text):
    root = hostile_project(base, [(("vi", "care", "listening", "body"), text)])
    try:
        with only("audit"), pytest.raises(Abort):
            build(root, tmp_path / "site")
    finally:
        shutil.rmtree(root.parent)
    assert ": SECURITY " in caplog.text
    assert "(from translations/vi/care.yaml:" in caplog.text and "listening.body)" in caplog.text
    assert not (tmp_path / "site" / "care" / "index.html").exists()


@pytest.fixture(scope="module")
def real_allowed():
    from conftest import ROOT

    return allowed_for(ROOT)


@pytest.mark.parametrize("text", ROWS.values(), ids=ROWS.keys())
def test_the_audit_reads_each_row_as_a_browser_does(real_allowed, text):
    """The HTML Python-Markdown makes of the row, on the fourth line of a page: flagged, at that line."""
    html = markdown.markdown(text)
    problems = audit.audit_html("care/index.html", "\n\n\n" + PAGE.format(html), real_allowed)
    assert problems, html
    assert {p.line for p in problems} == {4}, [p.format() for p in problems]
    assert any(("onerror" in p.message or "another host" in p.message or "javascript:" in p.message) for p in problems)


@pytest.mark.parametrize("text", ROWS.values(), ids=ROWS.keys())
def test_the_sanitiser_leaves_nothing_of_each_row_that_runs(text):
    html = sanitise.clean(markdown.markdown(text))
    assert _outside_allowlist(html) == [], html
    assert audit.audit_html("x.html", html, allowed_for_nothing(), fragment=True) == []


def allowed_for_nothing() -> audit.Allowed:
    return audit.Allowed(frozenset(), frozenset(sanitise.ALLOWED), (), ())


def test_a_search_entry_with_markup_is_cleaned_before_the_index_is_written():
    entries = [{"location": "care/", "title": "Écoute <img src=x onerror=alert(1)>", "text": "<p>a\xa0« b »</p><script>alert(2)</script>"}]
    sanitise.clean_entries(entries)
    assert entries == [{"location": "care/", "title": "Écoute ", "text": "<p>a\xa0« b »</p>"}]


def test_the_audit_reads_what_a_declarative_shadow_root_shows(real_allowed):
    """A `<template shadowrootmode>`'s content is apart from Lexbor's tree, and a browser shows it."""
    html = '<div>\n<template shadowrootmode="open"><img src=x onerror=alert(1)></template></div>'
    problems = audit.audit_html("care/index.html", PAGE.format(html), real_allowed)
    assert any(p.message.startswith("event handler `onerror` on <img>") and p.line == 2 for p in problems), problems
