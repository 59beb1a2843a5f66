"""Readers: Thai, Khmer and Arabic render with a font of their script, numbers stand apart, the
language switcher says what it is."""

from __future__ import annotations

import pytest

from conftest import AXE, LANG_PREFIXES, LANGUAGES, ROOT, shown

pytestmark = pytest.mark.browser

THAI = "th"
# U+0E7F is not a Thai character: with or without a Thai font it is drawn as a missing glyph (tofu).
TOFU = "\u0e7f"


def drawn_with_a_font(element, letters: str) -> None:
    """The element's text is drawn with a font that has its letters: with the element's font, the
    letters differ in width and from a missing glyph (missing glyphs are all alike), and the
    element's screenshot is not what the same count of missing glyphs looks like."""
    widths = element.evaluate(
        """(h, chars) => {
          const c = document.createElement("canvas").getContext("2d")
          c.font = getComputedStyle(h).font
          return chars.map(ch => c.measureText(ch).width)
        }""",
        [*letters, TOFU],
    )
    assert len({round(w, 2) for w in widths[:-1]}) > 1 and widths[0] != widths[-1], widths
    drawn = element.screenshot()
    element.evaluate("(h, text) => { h.textContent = text }", TOFU * len(element.inner_text()))
    assert element.screenshot() != drawn


def test_thai_text_is_drawn_with_a_thai_font_not_as_missing_glyphs(page, site_server):
    assert THAI in LANGUAGES  # a Thai guide: its script needs a font most Latin stacks lack
    page.goto(f"{site_server}/{LANG_PREFIXES[THAI]}loyalty-theories/")
    heading = page.locator("h1").first
    thai = heading.inner_text()
    assert any("\u0e00" <= c <= "\u0e7f" for c in thai)
    family = heading.evaluate("h => getComputedStyle(h).fontFamily")
    assert family.startswith('"Noto Sans Thai"'), family  # the page names the Thai fonts systems have
    drawn_with_a_font(heading, "กขมว")


# Scripts a language added with `kb add-language` may bring: the first font kb.css names for each,
# and letters of unequal widths (Arabic letters apart, as a canvas measures them).
SCRIPTS = {"km": ("Noto Sans Khmer", "កខមញ"), "ar": ("Noto Sans Arabic", "ابجم")}


@pytest.mark.parametrize("lang", SCRIPTS)
def test_khmer_and_arabic_text_is_drawn_with_a_font_of_its_script_not_as_missing_glyphs(page, site_server, lang):
    """A page in that language, and a text in it on another language's page (a quotation, a
    fallback), name the script's fonts; the fonts `make test` installs (make browser) draw them."""
    first, letters = SCRIPTS[lang]
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[0]]}")
    heading = page.locator("h1").first
    heading.evaluate("(h, text) => { h.textContent = text }", letters * 3)
    quoted = heading.evaluate("(h, lang) => { h.lang = lang; return getComputedStyle(h).fontFamily }", lang)
    page_in_it = heading.evaluate(
        "(h, lang) => { h.removeAttribute('lang'); document.documentElement.lang = lang; return getComputedStyle(h).fontFamily }", lang
    )
    assert quoted.startswith(f'"{first}"') and page_in_it.startswith(f'"{first}"'), (quoted, page_in_it)
    drawn_with_a_font(heading, letters)


def test_the_switcher_names_each_language_in_its_own_language_and_marks_the_current_one(page, site_server):
    lang = LANGUAGES[-1]
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
    links = page.locator(".md-select__link").evaluate_all(
        "els => els.map(a => [a.getAttribute('hreflang'), a.getAttribute('lang'), a.getAttribute('aria-current')])"
    )
    assert [(code, named) for code, named, _ in links] == [(code, code) for code in LANGUAGES]
    assert [h for h, _, current in links if current == "true"] == [lang]


def test_heading_links_are_labelled_in_the_readers_language(page, site_server):
    from conftest import ROOT
    from kb.project import load_project

    project = load_project(ROOT)
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
        titles = page.locator("a.headerlink").evaluate_all("els => els.map(a => a.title)")
        assert titles and set(titles) == {shown(project, lang, "site", "labels", "permalink")}, lang


def test_a_query_typed_without_a_key_release_searches_and_the_home_page_does_not_top_it(page, site_server):
    lang = LANGUAGES[0]
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
    box = page.locator(".md-search__input")
    box.focus()
    # As an input method, dictation or a paste does: the text changes, no key goes up.
    box.evaluate("(el) => { el.value = 'cam kết'; el.dispatchEvent(new Event('input', { bubbles: true })) }")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    results = page.locator("a.md-search-result__link").evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    assert results and results[0] != f"/{LANG_PREFIXES[lang]}", results  # the home page sums up every page: left out
    assert f"/{LANG_PREFIXES[lang]}" not in results


def test_no_page_in_any_language_has_an_axe_core_violation(guide_views):
    assert AXE.is_file(), "axe-core is not installed; `make npm` installs it"
    assert len(guide_views) > 40  # each page viewed once, for this test and others (conftest.py): axe ran every rule
    found = {}
    for rel, seen in guide_views.items():
        for rule, html in seen.axe:
            found.setdefault(rule, (rel, html))
    assert found == {}


def _contrast(css: str, page: str) -> float:
    """The contrast ratio (WCAG) of a computed colour `rgb(a)(…)` drawn on the page's colour."""

    def parts(value: str) -> tuple[list[float], float]:
        r, g, b, *alpha = (float(x) for x in value[value.index("(") + 1 : -1].split(","))
        return [r, g, b], alpha[0] if alpha else 1.0

    def luminance(rgb: list[float]) -> float:
        lum = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]

    (color, alpha), (ground, _) = parts(css), parts(page)
    pair = sorted([luminance([c * alpha + g * (1 - alpha) for c, g in zip(color, ground, strict=True)]), luminance(ground)])
    return (pair[1] + 0.05) / (pair[0] + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])  # as the reader's system asks: Material's default or slate
def test_the_copy_link_button_is_a_large_enough_target_with_a_visible_focus_ring(browser, site_server, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/")
    button = page.locator(".kb-copy-link").first
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    # The icon is drawn in the button's background colour, through a mask: at least 3:1 on the page.
    ground = page.evaluate("getComputedStyle(document.body).backgroundColor")
    icon = button.evaluate("b => getComputedStyle(b).backgroundColor")
    assert _contrast(icon, ground) >= 3, (icon, ground)
    page.locator("#loyalty-levels a.headerlink").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('kb-copy-link')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert _contrast(ring, ground) >= 3, (ring, ground)  # WCAG 1.4.11, as the icon
    context.close()


def test_the_closed_phone_drawer_is_out_of_the_tab_order(browser, site_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/")
    in_drawer = "document.activeElement && !!document.activeElement.closest('.md-sidebar--primary')"
    for _ in range(15):
        page.keyboard.press("Tab")
        assert not page.evaluate(in_drawer)
    page.locator("label.md-header__button[for=__drawer]").click()  # open it: its links can be reached
    page.wait_for_timeout(300)
    assert page.locator(".md-sidebar--primary").get_attribute("inert") is None
    context.close()


def test_the_desktop_sidebar_stays_in_the_tab_order(page, site_server):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/")
    assert page.locator(".md-sidebar--primary").get_attribute("inert") is None


def test_the_tools_are_a_group_of_their_own_after_the_topics_in_every_language(built_site):
    import re

    from kb.project import load_project
    from kb.render import tool_pages

    project = load_project(ROOT)
    tools = tool_pages(project)
    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "loyalty-levels" / "index.html").read_text(encoding="utf-8")
        nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index('<div class="md-sidebar md-sidebar--secondary"')]
        section = nav[nav.index("md-nav__item--section") :]
        label = shown(project, lang, "site", "labels", "tools")
        assert label in section[:2000], lang
        linked = re.findall(r'href="[./]*(?:' + re.escape(prefix) + r')?([a-z-]+)/"', section)
        assert linked == tools, (lang, linked)
        home = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        article = home[home.index('<article class="md-content__inner') :]
        first = re.search(r'<dt><a href="([a-z-]+)/"', article)[1]
        assert project.content.files[first].kind == "topic", (lang, first)  # the topics first
        assert article.index('id="tools"') > article.index(f'href="{first}/"')


def test_code_that_quotes_another_language_carries_its_lang_on_the_translators_page(built_site):
    """content/translators.yaml says which language each example's inline code quotes; on every
    other language's page that code is marked with it (read in that language by a screen reader)."""
    import re

    from kb.project import load_project

    project = load_project(ROOT)
    quotes = [
        (q["lang"], text)
        for unit in project.content.files["translators"].units.values()
        for q in unit.attrs.get("quotes", [])
        for text in q["code"]
    ]
    assert {lang for lang, _ in quotes} >= {"fr", "vi", "th"} - {project.default_lang} and len(quotes) >= 9
    for lang in LANGUAGES:
        html = (built_site / LANG_PREFIXES[lang] / "translators" / "index.html").read_text(encoding="utf-8")
        codes = re.findall(r'<code( lang="([^"]+)")?>([^<]*)</code>', html)
        for quoted_lang, text in quotes:
            found = [(attr_lang or lang) for _, attr_lang, code in codes if text in code.replace("&quot;", '"')]
            assert found and set(found) == {quoted_lang}, (lang, text, found)
        assert not [code for _, attr_lang, code in codes if attr_lang == lang]  # the page's own language is never repeated


def test_a_vietnamese_reader_is_offered_to_skip_to_the_content_and_to_go_back_to_the_top_in_natural_words(page, site_server):
    """Material's Vietnamese said "Bỏ qua" (skip) for the skip link and "Trở lại mục lục" (back to
    the table of contents) for the button that goes to the top of the page."""
    assert "vi" in LANGUAGES
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{site_server}/{LANG_PREFIXES['vi']}commitment-framework/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Chuyển đến nội dung"
    page.mouse.wheel(0, 3000)  # down the page, then a little up: the button to the top appears
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -200)
    top = page.locator(".md-top")
    top.wait_for(state="visible")
    assert top.inner_text().strip() == "Lên đầu trang"
