"""kb.css holds the theme's rules the site uses, then kb's own (kb/site/styles.py): a page loads
one stylesheet, and nothing a page uses is left out."""

from __future__ import annotations

import re

import pytest
import tinycss2

from conftest import ROOT
from kb.site import styles

THEME_DIRS = [str(ROOT / "overrides"), str(next((ROOT / ".venv/lib").glob("python*/site-packages/material/templates")))]


def _used(*names: str, prefixes: tuple[str, ...] = ()) -> styles.Used:
    return styles.Used(set(names), prefixes)


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        (".a{color:red}.c{color:blue}", ".a{color:red}"),
        (".a .b{x:1}.a .c{x:2}", ".a .b{x:1}"),  # every class of a selector must be used
        (".a,.c{x:1}", ".a{x:1}"),  # a list keeps its used selectors
        (".c:not(.d){x:1}", ""),
        (".a:not(.d){x:1}", ".a:not(.d){x:1}"),  # a class inside a function is not judged
        (":is(.d,.e) p{x:1}", ":is(.d,.e) p{x:1}"),
        ("p,#id,[data-x]{x:1}", "p,#id,[data-x]{x:1}"),  # elements, ids and attributes are kept
        ("@media (min-width:10em){.a{x:1}.c{x:2}}", "@media (min-width:10em){.a{x:1}}"),
        ("@media print{.c{x:2}}", ""),  # a query left empty goes
        ("@supports (x:y){.b .a{x:1}}", "@supports (x:y){.b .a{x:1}}"),
        ("@keyframes k{0%{x:1}}", "@keyframes k{0%{x:1}}"),  # other at-rules stay as they are
        ("@font-face{font-family:f}", "@font-face{font-family:f}"),
        ("/* note */.a{x:1}", ".a{x:1}"),
        (".md-x--big{x:1}.md-y--big{x:1}", ".md-x--big{x:1}"),  # a prefix a script makes names with
    ],
)
def test_purge_keeps_the_rules_whose_classes_are_used(css, kept):
    assert styles.purge(css, _used("a", "b", prefixes=("md-x--",))) == kept


def test_a_script_that_makes_class_names_keeps_their_rules():
    script = "x('li',{class:`md-source__fact md-source__fact--${t}`})"
    assert styles.PREFIX.findall(script) == ["md-source__fact--"]


def test_classes_in_a_page_come_from_class_attributes_and_inline_scripts():
    html = '<div class="md-a md-b"><p class="x">not a class: md-c</p></div><script>document.querySelector(".tabbed-set")</script>'
    assert {"md-a", "md-b", "x", "tabbed-set"} <= styles.classes_in(html)
    assert "md-c" not in styles.classes_in(html)


def test_minified_assets_have_the_same_rules_and_no_comments():
    own = (ROOT / "docs/assets/kb.css").read_text(encoding="utf-8")
    small = styles.minify_css(own)
    assert "/*" not in small and len(small) < len(own)

    def rules(css):
        return [tinycss2.serialize(r.prelude).strip() for r in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)]

    assert rules(small) == rules(own)
    script = (ROOT / "docs/assets/kb.js").read_text(encoding="utf-8")
    assert "/*" not in styles.minify_js(script) and len(styles.minify_js(script)) < len(script)


def _theme_css() -> str:
    return styles.theme_file(THEME_DIRS, styles.THEME_STYLESHEET)[0].read_text(encoding="utf-8")


def _selector_classes(css: str) -> set[str]:
    found = set()

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                for selector in styles._selectors(rule.prelude):
                    found.update(styles._classes(selector))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
                walk(tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


@pytest.mark.build
def test_every_page_loads_one_stylesheet_and_not_the_theme_s(built_site):
    theme = styles.theme_file(THEME_DIRS, styles.THEME_STYLESHEET)[1]
    assert not (built_site / theme).exists() and not (built_site / f"{theme}.map").exists()  # not even copied
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:  # a redirect page
            continue
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert [s.rsplit("/", 1)[-1] for s in sheets] == ["kb.css"], path
        assert theme.rsplit("/", 1)[-1] not in html, path


@pytest.mark.build
def test_kb_css_has_every_theme_rule_a_page_uses_and_far_fewer_others(built_site):
    theme_css = _theme_css()
    served = (built_site / "assets/kb.css").read_text(encoding="utf-8")
    in_pages = set().union(*(styles.classes_in(p.read_text(encoding="utf-8")) for p in built_site.rglob("*.html")))
    theme_classes, served_classes = _selector_classes(theme_css), _selector_classes(served)
    missing = sorted((in_pages & theme_classes) - served_classes)
    assert missing == [], missing  # a class the pages write, styled by the theme, kept
    for name in ("md-header", "md-nav__link", "md-search-result__item", "md-typeset", "admonition", "headerlink", "md-tooltip"):
        assert name in served_classes, name  # written by pages or by the theme's script
    assert "tabbed-set" not in served_classes and "task-list-item" not in served_classes  # features no page uses
    assert len(served) < 0.75 * len(theme_css)
    own = styles.minify_css((ROOT / "docs/assets/kb.css").read_text(encoding="utf-8"))
    assert served.endswith(own)  # kb's rules last: they win over the theme's, as before


@pytest.mark.browser
def test_pages_look_as_the_theme_styles_them(page, site_server):
    """What the theme's stylesheet did, kb.css does: the header, the sidebar, an admonition, the
    permalink, and the search results the theme's script writes."""
    page.goto(f"{site_server}/fr/loyalty-levels/", wait_until="networkidle")
    look = page.evaluate(
        """() => {
          const style = (sel) => getComputedStyle(document.querySelector(sel))
          return {
            header: style('.md-header').position,
            headerColor: style('.md-header').backgroundColor,
            grid: style('.md-main__inner').display,
            admonition: style('.admonition').borderLeftWidth,
            title: style('.admonition-title').fontWeight,
            permalink: style('.headerlink').opacity,
          }
        }"""
    )
    assert look["header"] == "sticky" and look["headerColor"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert look["grid"] == "flex"
    assert look["admonition"] != "0px" and look["title"] == "700" and look["permalink"] == "0"
    page.fill(".md-search__input", "fidelite")
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    item = page.evaluate("() => getComputedStyle(document.querySelector('.md-search-result__item')).listStyleType")
    assert item == "none"


@pytest.mark.build
def test_the_site_serves_kb_js_without_its_comments(built_site):
    source = (ROOT / "docs/assets/kb.js").read_text(encoding="utf-8")
    assert (built_site / "assets/kb.js").read_text(encoding="utf-8") == styles.minify_js(source)
    assert "/*" in source and "/*" not in styles.minify_js(source)
