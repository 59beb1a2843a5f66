"""Pages load Material's own stylesheets (its main one, then its colour schemes), by their
fingerprinted names (deploy/nginx.conf lets a browser keep them for a year), then kb's kb.css;
kb's files are served as they are written in docs/."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

THEME_STYLESHEET = re.compile(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css$")
# The light and dark schemes' colours (mkdocs.yml's theme.palette), after the theme's stylesheet.
PALETTE_STYLESHEET = re.compile(r"assets/stylesheets/palette\.[0-9a-f]{8}\.min\.css$")


@pytest.mark.build
def test_every_page_loads_the_theme_s_stylesheet_then_kb_css(built_site):
    pages = [p for p in sorted(built_site.rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert pages
    for path in pages:
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', path.read_text(encoding="utf-8"))
        assert len(sheets) == 3 and THEME_STYLESHEET.search(sheets[0]) and PALETTE_STYLESHEET.search(sheets[1]), (path, sheets)
        assert sheets[2].endswith("assets/kb.css"), (path, sheets)  # last: kb's rules win over the theme's
        for theme, sheet in ((THEME_STYLESHEET, sheets[0]), (PALETTE_STYLESHEET, sheets[1])):
            assert (built_site / theme.search(sheet).group()).is_file(), sheet


@pytest.mark.build
def test_the_site_serves_kb_s_own_files_as_written(built_site):
    for rel in ("assets/kb.css", "assets/kb.js"):
        assert (built_site / rel).read_bytes() == (ROOT / "docs" / rel).read_bytes(), rel
    for rel in ("assets/javascripts/kb-search.js", "assets/javascripts/kb-marks.js"):
        assert (built_site / rel).read_bytes() == (ROOT / "overrides" / rel).read_bytes(), rel


@pytest.mark.browser
def test_pages_look_as_the_theme_styles_them(page, site_server):
    """The theme's stylesheet styles the header, the sidebar, an admonition, the permalink, and the
    search results the theme's script writes, under the site's policy (style-src 'self')."""
    page.goto(f"{site_server}/fr/loyalty-levels/")  # its load: the stylesheets are applied
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
