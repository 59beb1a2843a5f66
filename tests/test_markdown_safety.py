"""Property tests: the escaper alone, and the checker alone, each keep rendered text inside kb's allowlist."""

from __future__ import annotations

import os
import re

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT
from kb import checks, markdown_safe
from kb.dev import bench
from kb.findings import CODES
from kb.translations import StringPair

# The same variable as the YAML fuzz test of tests/test_hardening.py (whose default is 250): `make fuzz` sets 10,000.
EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "1000"))


MARKDOWN = bench.site_markdown(ROOT)  # as MkDocs gives mkdocs.yml's extensions to Python-Markdown


def render(text: str) -> str:
    MARKDOWN.reset()
    return MARKDOWN.convert(text)


# What kb's Markdown may write from a translator's text: structure, emphasis, code and links.
ELEMENTS = {"p", "ul", "ol", "li", "em", "strong", "code", "a", "br"}
ATTRIBUTES = {"href", "title", "lang"}


def outside_allowlist(html: str, elements=ELEMENTS, attributes=ATTRIBUTES) -> list[str]:
    """Each element or attribute of `html`, read by an HTML5 parser (Lexbor), that kb does not write."""
    found = []
    body = LexborHTMLParser(f"<!doctype html><html><head></head><body>{html}</body></html>").body
    for node in body.traverse(include_text=False):
        if node.tag == "body":  # traverse starts with it
            continue
        if node.tag not in elements:
            found.append(f"<{node.tag}>")
        for name, value in node.attributes.items():
            if name not in attributes:
                found.append(f"<{node.tag} {name}>")
            elif name == "href" and not safe_address(value or ""):
                found.append(f"<{node.tag} href={value!r}>")
    return found


def safe_address(href: str) -> bool:
    """Does a browser follow `href` to a page (http, https, mailto, or relative)? It ignores
    spaces around it and tabs or line breaks inside it, as the URL standard says."""
    href = re.sub(r"[\t\n\r]", "", href).strip("\x00- ")
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


# A grammar of Markdown fragments and HTML-ish strings, mixed with random text.
FRAGMENTS = [
    *["`", "``", "```", "\\", "\\\\", "\\`", "\\\\`", "` `", "`x`", "``x`y``"],
    *["[", "]", "(", ")", "](", "[a]", "[a](", "[a](#x)", "[a](x.md)", "[a](https://x.org/a)", "[a](mailto:a@x.org)"],
    *["[a](javascript:alert(1))", "[a](data:text/html,x)", "[a](<javascript:x>)", "(javascript:alert(1))", "[r]: javascript:x", "[r]"],
    *["![x](https://x.org/x.png)", "<http://x.org>", "<a@x.org>", "<", "< ", ">", "> ", "&", "&amp;", "&#60;", "&#x3c;", "&lt;"],
    *["<!-->", "<!--->", "<!--", "-->", "--!>", "<![CDATA[", "]]>", "<title>", "</title>", "<noscript>", "</noscript>"],
    *["<textarea>", "</textarea>", '<p title="', '">', "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1) x=", "<b>"],
    *["<div markdown>", "</div>", "<?php x ?>", "<!doctype x>", "<script>", "</script>"],
    *["{", "}", "{: #id }", "{: .x }", "{: onclick=alert(1) }", "{onclick=alert(1)}", "{#x}", "{language}"],
    *[
        "[a](x.md\njavascript:alert(1))",
        "[a](#x javascript:x)",
        "[a\nb]: javascript:x",
        "[x][a b]",
        "[a][]",
        "[a][r]",
        "[a](#x 'onclick=x')",
        "\n    ",
        "\n\t",
        "- > ",
        "1. # ",
        "[TOC]",
    ],
    *["- ", "* ", "+ ", "1. ", "# ", "## ", "!!! note", '!!! note "t"', "??? x", "    ", "  \n", "\n", "\n\n", "\t"],
    *["=", "==", "---", "***", "___", "|", "| a | b |\n|---|---|\n", "a | b\n--- | ---\n", ": ", ":   x", "*", "**", "_", "__", "!"],
    *["x", "é", "ภ", " "],
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet="ab `\\[]()<>!*_{}#&;:-=|.\n ", max_size=12)), max_size=14).map(
    "".join
)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REVIEW = [  # the review's reproductions (H2, S5): a backslash before a code span
    "Xem \\`<!--><img src=x onerror=alert(document.domain)>-->` thêm.",
    "\\`<![CDATA[><img src=x onerror=alert(3)>]]>`",
    '\\`<title><p title="</title><img src=x onerror=alert(4)>">`',
    '\\`<noscript><p title="</noscript><img src=x onerror=alert(5)>">`',
    "\\`<!--->x<img src=x onerror=alert(7)>-->`",
    "Xem \\`<!--><img src=https://evil.example/track.png?c=1>-->` nhé",
    "\\`[x](javascript:alert(19))`",
    "\\`<img src=x onerror=alert(20)>`",
    "\\`<!-- --!><img src=x onerror=alert(2)>-->`",
    '\\`<textarea><p title="</textarea><img src=x onerror=alert(6)>">`',
]


@pytest.mark.parametrize("text", REVIEW)
def test_a_backslash_before_inline_code_no_longer_hides_html_from_the_checker_or_the_escaper(text):
    assert outside_allowlist(render(text))  # the renderer reads it as HTML, as the review found
    assert any("raw HTML" in m or "link target" in m for m in checks._forbidden_markup(text))
    assert outside_allowlist(render(markdown_safe.block(text))) == []
    assert render(markdown_safe.block(text)).count("\\") == 1  # the backslash is shown, as written


@SETTINGS
@given(text=TEXTS)
@example(text="a\n=")
@example(text="`a`{: onclick=alert(1) }")
@example(text="[a\nb]: https://x.org\n\n[x][a\nb]")
def test_an_attacker_who_writes_any_text_gets_no_markup_past_the_escaper(text):
    assert outside_allowlist(render(markdown_safe.block(text))) == [], markdown_safe.block(text)
    for wrapped, inside in (  # as kb's pages hold a text: in an example, and as a glossary definition
        (f'!!! example "Ví dụ"\n\n{markdown_safe.indent(markdown_safe.block(text))}', "div.admonition > :not(.admonition-title)"),
        (f"term\n:   {markdown_safe.indent(markdown_safe.block(text)).lstrip()}", "dd > *"),
    ):
        page = LexborHTMLParser(render(wrapped))
        assert len(page.body.css("div, dl")) == 1 and len(page.body.css("div.admonition, dd")) == 1, wrapped
        assert outside_allowlist("".join(node.html for node in page.body.css(inside))) == [], wrapped
    heading = render(f"## {markdown_safe.inline(text)} {{#t}}").replace(PERMALINK, "")
    assert outside_allowlist(heading, ELEMENTS | {"h2"}, ATTRIBUTES | {"id"}) == [], markdown_safe.inline(text)
    assert 'id="t"' in heading and heading.count(" id=") == 1


PERMALINK = '<a class="headerlink" href="#t" title="Permanent link">&para;</a>'  # toc's, on each heading


def passes_the_checker(text: str) -> bool:
    """No error from any string check (a text with no source: the checks of every text)."""
    pair = StringPair("vi", "x", "x.yaml", "x.body", text, None, None)
    return not [code for code, _ in checks._string_findings(pair, None) if CODES[code] == "error"]


@SETTINGS
@given(text=TEXTS)
@example(text="`a\n\nb` <img src=x onerror=alert(1)> `c`")
@example(text="``a\n` <img src=x onerror=alert(1)> `\n\n```")
@example(text="*a*{onclick=alert(1)}")
@example(text="- > x\n\n!!! note")
def test_a_text_the_checker_passes_renders_raw_inside_the_allowlist(text):
    if passes_the_checker(text):
        assert outside_allowlist(render(text)) == [], render(text)


def test_the_property_tests_convert_as_the_site_does_with_the_extensions_that_make_html_from_text():
    html = render("| a |\n|---|\n| b |\n\n```\nc\n```\n\n<div markdown>*d*</div>\n\ne\n{: #f }")
    assert "<table>" in html and "<pre><code>c" in html and "<em>d</em>" in html and 'id="f"' in html, html


def test_the_code_search_is_python_markdowns_own():
    assert markdown_safe.BACKTICK_RE == markdown.inlinepatterns.BACKTICK_RE


@SETTINGS
@given(text=st.text(alphabet="`\\ab ", max_size=40))
@example(text="``a` b")
@example(text="`a``b```c``")
@example(text="\\\\`a`")
def test_inline_code_is_found_where_python_markdown_finds_it(text):
    text = f"x {text}"  # a paragraph, not an indented code block
    rendered = LexborHTMLParser(render(text)).css("code")
    assert [code.text() for code in rendered] == [content for _, _, content in markdown_safe.code_spans(text).spans]


@SETTINGS
@given(text=st.text(alphabet="ab\\`&<>{}|#!=:.-", min_size=1, max_size=30))
def test_a_line_without_emphasis_or_links_shows_exactly_as_written(text):
    if markdown_safe.code_spans(text).spans or text != text.strip():
        return  # code shows its content only
    shown = LexborHTMLParser(render(markdown_safe.block(text))).body.text()
    assert shown.strip() == text


def test_every_text_of_the_render_benchmark_passes_the_checker_and_the_slow_ones_do_not():
    for family, text in bench.ADVERSARIAL_RENDER.items():
        assert len(text) >= 9_900 and passes_the_checker(text), family
    for family, text in bench.QUADRATIC.items():
        pair = StringPair("vi", "x", "x.yaml", "x.body", text, None, None)
        assert [code for code, _ in checks._string_findings(pair, None) if CODES[code] == "error"] == ["TOO-COMPLEX"], family
