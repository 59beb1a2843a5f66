"""Nothing a contributor writes runs in a reader's browser: hostile text in every kind of field,
built for real, and the built HTML audited as a browser would parse it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from selectolax.lexbor import LexborHTMLParser

from conftest import SAMPLE_TEXTS, make_sample
from kb.site import audit
from kb.site import build as site_build
from kb.site import hook as mkdocs_hook

# What an attacker writes into a text: each would run script, load from elsewhere or change the
# page if it reached the HTML as markup.
HOSTILE = [
    "<img src=x onerror=alert(1) x=",
    '" onfocus="alert(1)" autofocus x="',
    "' onmouseover='alert(1)' x='",
    "</title><script>alert(1)</script>",
    "<script>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "[x](javascript:alert(1))",
    "\n\n- [m]:javascript:alert(1)\n\n[t][m]",
    '<iframe srcdoc="<script>alert(1)</script>">',
    '{: onclick="alert(1)" }',
    "&lt;img src=x onerror=alert(1)&gt;",
    "<!-- ",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{background:url(//evil.example/x)}</style>",
    "<form action=//evil.example><input name=q></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "*<img src=x onerror=alert(1)>*",
    "{{ config }}{% raw %}",
    "]]></script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "<details open ontoggle=alert(1)>",
    "`<img src=x onerror=alert(1)>`",
    "<<img src=x onerror=alert(1)//<",
]
TEXT_FIELDS = [
    (lang, file, uid, field)
    for lang, files in SAMPLE_TEXTS.items()
    for file, units in files.items()
    for uid, fields in units.items()
    for field in fields
]
# Text in content/ that reaches a page: a source's author, and the feedback address (every page links to it).
CONTENT_FIELDS = [("content/sources.yaml", "author"), ("content/site.yaml", "feedback")]
FEEDBACK_ATTACK = "https://evil.example/"


def write_texts(root: Path, texts: dict) -> None:
    """Every translation file, each text double-quoted the way YAML needs it (JSON is YAML)."""
    for lang, files in texts.items():
        for name, units in files.items():
            lines = []
            for uid, fields in units.items():
                lines.append(f"{uid}:")
                lines += [f"  {field}: {json.dumps(value, ensure_ascii=False)}" for field, value in fields.items()]
            (root / "translations" / lang / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextmanager
def checker_without_markup_errors():
    """The checker refuses markup in a text; this lets it through to the renderer and the theme, so
    what is tested is the escaping and the audit on their own (the second and third lines of defence)."""
    real = site_build.run_checks

    def lenient(project):
        report = real(project)
        report.findings = [f for f in report.findings if f.code != "MARKUP"]
        return report

    site_build.run_checks = lenient
    try:
        yield
    finally:
        site_build.run_checks = real


def build(root: Path, site: Path) -> None:
    """A real strict MkDocs build of the project, in this process (so the checker can be relaxed)."""
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True))


def allowed_for(root: Path) -> audit.Allowed:
    """The audit's allowlist for the project at `root`, as its build makes it."""
    from kb.project import read_languages

    config = load_config(str(root / "mkdocs.yml"))
    return audit.allowlist(config.theme.dirs, config.docs_dir, [str(s) for s in config.extra_javascript], read_languages(root)[0], "/")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """One sample project, copied for each example (the `sample` fixture is made anew per test)."""
    return make_sample(tmp_path_factory.mktemp("hostile") / "project").root


def hostile_project(base: Path, edits: list[tuple[tuple, str]]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="hostile-")) / "project"
    shutil.copytree(base, root)
    texts = json.loads(json.dumps(SAMPLE_TEXTS))
    for where, text in edits:
        if where == ("content/site.yaml", "feedback"):
            # Starting as an allowed address does, so that it is written (the renderer writes no other
            # scheme: test_page_facts.py), with its attack after it.
            with (root / where[0]).open("a", encoding="utf-8") as site:
                site.write(f"feedback: {json.dumps(FEEDBACK_ATTACK + text, ensure_ascii=False)}\n")
        elif where[0].startswith("content/"):
            rel, key = where
            path = root / rel
            path.write_text(
                path.read_text(encoding="utf-8").replace(
                    "    seed: 000.txt\n", f"    seed: 000.txt\n    {key}: {json.dumps(text, ensure_ascii=False)}\n"
                )
            )
        else:
            lang, file, uid, field = where
            texts[lang][file][uid][field] = text
    write_texts(root, texts)
    return root


# The property: whatever hostile text goes into whichever fields, the built site passes the audit.

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.tuples(st.text("abc «»&'\"<>/=", max_size=8), st.sampled_from(HOSTILE), st.text("xyz «»&'\"<>", max_size=8)).map("".join),
)
place = st.sampled_from(TEXT_FIELDS + CONTENT_FIELDS)


@settings(
    max_examples=int(os.environ.get("KB_SECURITY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.tuples(place, hostile_text), min_size=1, max_size=6, unique_by=lambda edit: edit[0]))  # one text per field
def test_hostile_text_in_any_field_builds_a_site_that_passes_the_audit(base, edits):
    root = hostile_project(base, edits)
    site = root.parent / "site"
    try:
        with checker_without_markup_errors():
            build(root, site)  # the hook's audit raises on any SECURITY problem
        assert audit.audit_site(site, allowed_for(root)) == []
    finally:
        shutil.rmtree(root.parent)


@pytest.fixture(scope="module")
def hostile_site(base, tmp_path_factory) -> Path:
    """A site built from every hostile string in every field, the checker's markup errors off."""
    edits = [(where, f"T{i} " + " ".join(HOSTILE)) for i, where in enumerate(TEXT_FIELDS + CONTENT_FIELDS)]
    root = hostile_project(base, edits)
    site = tmp_path_factory.mktemp("hostile-site")
    with checker_without_markup_errors():
        build(root, site)
    yield site
    shutil.rmtree(root.parent)


def test_every_field_at_once_with_every_hostile_string(base, hostile_site):
    """The same, exhaustively: each field gets every hostile string, and the text reads as written."""
    assert audit.audit_site(hostile_site, allowed_for(base)) == []
    shown = visible_text((hostile_site / "fr" / "care" / "index.html").read_text(encoding="utf-8"))
    habits = TEXT_FIELDS.index(("fr", "care", "habits", "title"))
    assert f"T{habits} <img src=x onerror=alert(1) x=" in shown  # shown as text, character for character
    # The feedback link's address is one attribute, as written: nothing in it became markup.
    feedback = CONTENT_FIELDS.index(("content/site.yaml", "feedback")) + len(TEXT_FIELDS)
    link = LexborHTMLParser((hostile_site / "fr" / "care" / "index.html").read_text(encoding="utf-8")).css_first("a.kb-feedback")
    assert link.attributes == {"class": "kb-feedback", "href": f"{FEEDBACK_ATTACK}T{feedback} " + " ".join(HOSTILE)}
    # The code that content/ says quotes French (`quotes:` of habits) carries `lang` on the vi page,
    # and nothing an attacker wrote after it becomes an attribute.
    assert '<code lang="fr">&lt;img src=x onerror=alert(1)&gt;</code>' in (hostile_site / "care" / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_no_page_of_a_hostile_site_opens_a_dialog_or_throws(browser, hostile_site):
    from conftest import serving

    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    dialogs, errors = [], []
    with serving(hostile_site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            for rel in pages:
                page.goto(f"{base}/{rel.removesuffix('index.html')}", wait_until="load")
                for _ in range(8):  # focus moves through the page: an onfocus would run here
                    page.keyboard.press("Tab")
                page.mouse.move(200, 200)
                page.mouse.move(400, 300)
        finally:
            context.close()
    assert len(pages) >= 10
    assert dialogs == [] and errors == []


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_titles_and_the_site_name_keep_their_readable_characters(sample, tmp_path):
    title = "L'art des «relations» & du service"
    sample.replace("translations/fr/care.yaml", '"Habitudes"', json.dumps(title, ensure_ascii=False))
    sample.replace("translations/fr/care.yaml", '"Service client"', json.dumps(title, ensure_ascii=False))
    sample.replace("translations/fr/site.yaml", '"Soin"', '"Soin & «fidélité» d\'abord"')
    build(sample.root, tmp_path / "site")
    page = (tmp_path / "site" / "fr" / "care" / "index.html").read_text(encoding="utf-8")
    head = page[page.index("<title>") + 7 : page.index("</title>")]
    import html

    assert html.unescape(head) == f"{title} - Soin & «fidélité» d'abord"
    assert "&amp;amp;" not in page and "&amp;#" not in page  # escaped once, never twice
    assert visible_text(page).count(title) >= 3  # header, sidebar, heading
    assert 'aria-label="Soin &amp; «fidélité» d&#39;abord"' in page


# The audit itself: it finds what a broken escape would let through, and names the YAML it came from.


def test_the_audit_stops_a_build_whose_escaping_is_broken_and_traces_the_text(sample, tmp_path, monkeypatch, caplog):
    from markupsafe import Markup

    sample.replace("translations/fr/site.yaml", '"Soin"', '"\\" onfocus=\\"alert(1)\\" autofocus x=\\""')
    monkeypatch.setattr(mkdocs_hook, "site_name", lambda project, lang: Markup(project.texts[lang]["site"]["site"]["name"]))
    with pytest.raises(Abort):
        build(sample.root, tmp_path / "site")
    message = caplog.text
    assert ".html:" in message and ": SECURITY event handler `onfocus` on <a>" in message
    assert "(from translations/fr/site.yaml:2:9 site.name)" in message
    assert not (tmp_path / "site" / "fr" / "care" / "index.html").exists()  # refused before it was written


def test_the_real_site_passes_the_audit(built_site):
    from conftest import ROOT

    assert audit.audit_site(built_site, allowed_for(ROOT)) == []
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 40


PAGE = '<!doctype html><html><head><title>t</title></head><body><div class="md-content">{}</div></body></html>'
AUDIT_CASES = [
    ("event handler", '<img src="x" onerror="alert(1)">', "event handler `onerror`"),
    ("unclosed tag", "<p>a <img src=x onerror=alert(1) x=</p>", "event handler `onerror`"),
    ("slash-separated attribute", "<svg/onload=alert(1)>", "event handler `onload`"),
    ("javascript link", '<a href="javascript:alert(1)">x</a>', "a `javascript:` address"),
    ("javascript link with spaces and case", '<a href=" JaVa\tScRiPt:alert(1)">x</a>', "a `javascript:` address"),
    ("data link", '<a href="data:text/html,x">x</a>', "a `data:` address"),
    ("vbscript link", '<a href="vbscript:x">x</a>', "a `vbscript:` address"),
    ("inline script", "<script>alert(1)</script>", "an inline <script> that the theme does not write"),
    ("script from elsewhere", '<script src="https://evil.example/x.js"></script>', "a script that is not the theme's or kb's"),
    ("script not in the theme", '<script src="assets/x.js"></script>', "a script that is not the theme's or kb's"),
    ("iframe", "<iframe src=x></iframe>", "<iframe> is not an element"),
    ("object", "<object data=x></object>", "<object> is not an element"),
    ("embed", "<embed src=x>", "<embed> is not an element"),
    ("form", '<form action="//evil.example"><input name=q></form>', "<form> that the theme does not write"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "a script address in a refresh"),
    ("style attribute", '<span style="background:url(//evil.example)">x</span>', "<span> that the theme does not write"),
    ("style element", "<style>body{}</style>", "an inline <style> that the theme does not write"),
    ("image from elsewhere", '<img src="https://evil.example/x.png">', "loads from another host"),
    ("srcdoc", '<div srcdoc="x"></div>', "`srcdoc`"),
    ("base", '<base href="//evil.example/">', "<base> is not an element"),
    ("unknown element", "<marquee>x</marquee>", "<marquee> is not an element"),
]


@pytest.fixture(scope="module")
def real_allowed():
    from conftest import ROOT

    return allowed_for(ROOT)


@pytest.mark.parametrize(("name", "html", "message"), AUDIT_CASES, ids=[c[0] for c in AUDIT_CASES])
def test_the_audit_refuses(real_allowed, name, html, message):
    problems = audit.audit_html("fr/care/index.html", PAGE.format(html), real_allowed)
    assert problems, name
    assert any(message in p.message for p in problems), [p.format() for p in problems]
    assert all(p.format().startswith("fr/care/index.html:1: SECURITY ") for p in problems)


def test_the_audit_accepts_what_the_theme_and_kb_write(real_allowed):
    ours = (
        '<a href="../fr/care/#habits" class="md-nav__link">x</a><a href="https://example.org/">source</a>'
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
        '<form class="md-search__form" name="search"></form>'
        '<button class="kb-copy-link" type="button" data-clipboard-text="x" title="t"></button>'
        '<script id="__config" type="application/json">{"base": ".."}</script>'
    )
    assert [p.format() for p in audit.audit_html("fr/index.html", PAGE.format(ours), real_allowed)] == []


def test_a_search_index_with_markup_is_refused(real_allowed, tmp_path):
    index = tmp_path / "fr" / "search" / "search_index.json"
    index.parent.mkdir(parents=True)
    docs = [
        {"location": "care/", "title": "<img src=x onerror=alert(1)>", "text": "ok"},
        {"location": "javascript:alert(1)", "title": "t", "text": ""},
    ]
    index.write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    messages = [p.message for p in audit.audit_site(tmp_path, real_allowed)]
    assert any("event handler `onerror`" in m for m in messages) and any("search result's location" in m for m in messages)


def test_striptags_in_a_template_keeps_escaped_text_escaped(sample):
    from types import SimpleNamespace

    from jinja2 import Environment
    from markupsafe import escape

    env = mkdocs_hook.on_env(Environment(), SimpleNamespace(config_file_path=str(sample.root / "mkdocs.yml")), None)
    out = env.from_string("<title>{{ title | striptags }}</title>").render(title=escape("</title><script>alert(1)</script> «&»"))
    assert out == "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; «&amp;»</title>"


def test_an_attacker_whose_text_becomes_markup_in_a_search_entry_finds_it_sanitised_in_the_index(sample, tmp_path):
    """Material turns escaped text back into markup in its entries: each entry is sanitised as its
    page is written (kb.site.hook), so the index holds none of it and the build goes on."""
    import sys

    from conftest import LOCAL, run

    script = """
import sys
from material.plugins.search.plugin import SearchIndex
real = SearchIndex.add_entry_from_context
def hostile(self, page):
    real(self, page)
    if page.file.src_uri == "care.fr.md":
        self.entries.append({"location": page.url, "title": "Écoute <b>x</b>", "text": "<p>a<img src=x onerror=alert(1)></p>"})
SearchIndex.add_entry_from_context = hostile  # the workers are forked from here
from kb.cli import main
sys.exit(main(sys.argv[1:]))
"""
    site = tmp_path / "site"
    result = run(
        [sys.executable, "-c", script, "--root", sample.root, "build", "--site-dir", site], tmp_path, {**LOCAL, "KB_NO_CACHE": "1"}
    )
    assert result.returncode == 0, result.stderr
    docs = json.loads((site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entry = next(doc for doc in docs if doc["title"].startswith("Écoute"))
    assert (entry["title"], entry["text"]) == ("Écoute x", "<p>a</p>")


def test_a_parallel_build_audits_each_search_entry_as_it_writes_the_index(sample, tmp_path):
    """`kb build`'s workers write their language's index entry by entry, each audited as it is
    written (the file is not read again): a hostile entry (Material turns escaped text back into
    markup in its entries), with the sanitiser off, stops the build, and no site is made."""
    import sys

    from conftest import LOCAL, run

    script = """
import sys
from material.plugins.search.plugin import SearchIndex
real = SearchIndex.add_entry_from_context
def hostile(self, page):
    real(self, page)
    if page.file.src_uri == "care.fr.md" and sys.argv[-1] == "hostile":
        self.entries.append({"location": page.url, "title": "Écoute", "text": "<img src=x onerror=alert(1)>"})
SearchIndex.add_entry_from_context = hostile  # the workers are forked from here
from kb.site import sanitise
sanitise.clean_entries = lambda entries: None  # the audit alone: the sanitiser would clean the entry
from kb.cli import main
sys.exit(main(sys.argv[1:-1]))
"""
    for kind in ("hostile", "clean"):
        site = tmp_path / kind
        # Without the cache: a hostile entry made by this patch (not by the code) is no reason to drop what was kept.
        result = run(
            [sys.executable, "-c", script, "--root", sample.root, "build", "--site-dir", site, kind],
            tmp_path,
            {**LOCAL, "KB_NO_CACHE": "1"},
        )
        if kind == "hostile":
            assert result.returncode != 0
            assert "fr/search/search_index.json (fr/care/):1: SECURITY event handler `onerror` on <img>" in result.stderr
            assert not site.exists()
        else:
            assert result.returncode == 0, result.stderr
