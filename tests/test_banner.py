"""The language banner: in view wherever a reader lands, remembered per pair of languages."""

from __future__ import annotations

import pytest

from conftest import DEFAULT_LANG, LANG_PREFIXES, LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_trainers_deep_link_shows_the_banner_in_view_and_the_target_below_it(browser, site_server, size):
    page_lang, asked = LANGUAGES[-1], LANGUAGES[1]
    context = browser.new_context(locale=f"{asked}-XX", viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[page_lang]}loyalty-levels/#loyal-customers")
    banner = page.locator(".kb-language-banner")
    assert banner.get_attribute("lang") == asked
    page.wait_for_timeout(300)  # the browser's own scroll to the target, then kb.js's
    box, target = banner.bounding_box(), page.locator("#loyal-customers").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box
    assert box["y"] + box["height"] <= target["y"] + 1 <= size[1], (box, target)  # the target is below it, in view
    context.close()


def test_closing_the_banner_hides_it_for_that_pair_of_languages_only(browser, site_server):
    asked, page_lang, third = LANGUAGES[1], LANGUAGES[0], LANGUAGES[-1]
    context = browser.new_context(locale=f"{asked}-XX")
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[page_lang]}loyalty-levels/")
    page.locator(".kb-language-banner button").click()
    page.goto(f"{site_server}/{LANG_PREFIXES[page_lang]}measuring-loyalty/")
    assert page.locator(".kb-language-banner").count() == 0  # the same pair: closed
    page.goto(f"{site_server}/{LANG_PREFIXES[third]}measuring-loyalty/")
    assert page.locator(".kb-language-banner").get_attribute("lang") == asked  # another pair: still offered
    context.close()


def test_a_reader_who_switches_to_another_language_and_back_is_not_offered_it_on_every_page(browser, site_server):
    """A Vietnamese reader looks at the French page once, then comes back with the switcher: the
    Vietnamese pages offer nothing (the choice of French holds for French pages only)."""
    own, other = DEFAULT_LANG, LANGUAGES[1]
    context = browser.new_context(locale=f"{own}-VN")
    page = context.new_page()
    for start, target in ((own, other), (other, own)):
        page.goto(f"{site_server}/{LANG_PREFIXES[start]}loyalty-levels/")
        page.locator(".md-header__option .md-select").hover()
        page.locator(f'.md-select__link[hreflang="{target}"]').click()
        page.wait_for_url(f"{site_server}/{LANG_PREFIXES[target]}loyalty-levels/")
    page.goto(f"{site_server}/{LANG_PREFIXES[own]}measuring-loyalty/")
    assert page.locator(".kb-language-banner").count() == 0
    context.close()


def test_a_keyboard_reader_meets_one_tab_stop_per_heading(page, site_server):
    """Each heading's copy button is its one stop (its ¶ is the same address, for a mouse): the
    text's own links come after a few presses, not after two per heading."""
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[1]]}commitment-framework/")
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.md-typeset h2, .md-typeset h3')].map(h => {
             const next = h.nextElementSibling, copy = next && next.querySelector(':scope > .kb-copy-link') ? [next] : []
             return [h, ...copy].flatMap(e => [...e.querySelectorAll('a, button')])
               .filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length })"""
    )
    assert stops and set(stops) == {1}, stops


@pytest.mark.parametrize("scheme", ["light", "dark"])  # as the reader's system asks (dark mode: test_color_scheme.py)
@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_axe_finds_no_violation_with_search_open_the_language_menu_open_or_the_drawer_open(browser, site_server, size, scheme):
    """What axe cannot see at page load: the open search panel with results (its marked words and
    its count line), the language menu, the phone drawer; in both colour schemes, with the banner."""
    from conftest import AXE

    assert AXE.is_file(), "axe-core is installed by `make npm` (make test)"
    viewport = {"width": size[0], "height": size[1]}
    context = browser.new_context(viewport=viewport, bypass_csp=True, color_scheme=scheme, locale=f"{LANGUAGES[1]}-XX")
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == {"light": "default", "dark": "slate"}[scheme]
        page.evaluate(AXE.read_text(encoding="utf-8"))
        states = {}
        if size[0] < 600:
            page.locator('.md-header label[for="__drawer"]').click()
            page.wait_for_timeout(300)
            states["drawer"] = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => v.id))")
            page.keyboard.press("Escape")
            page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
            page.evaluate(AXE.read_text(encoding="utf-8"))
        else:
            page.locator(".md-header__option .md-select").hover()
            page.wait_for_timeout(300)
            states["languages"] = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => v.id))")
        page.locator('label[for="__search"]' if size[0] < 600 else ".md-search__input").first.click()
        word = page.evaluate("document.querySelector('h1').textContent.split(/\\s+/).filter(w => w.length > 3).pop()")
        page.fill(".md-search__input", word)
        page.press(".md-search__input", "End")
        page.wait_for_selector(".md-search-result__item mark", timeout=10_000)
        page.wait_for_timeout(600)  # Material fades the results in: contrast is what the reader sees after
        states["search"] = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => v.id))")
        assert all(found == [] for found in states.values()), (lang, states)
    context.close()


def test_the_status_page_fits_a_phone_puts_the_summary_first_and_links_each_row_to_its_languages_page(browser, built_site, site_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    reader = LANGUAGES[1]
    page.goto(f"{site_server}/{LANG_PREFIXES[reader]}status/")
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.md-typeset table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).length"
    )
    assert overflow == 0 and page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator(".md-typeset table").first
    assert first.locator("tbody tr").count() == len(LANGUAGES)  # the summary: one row per language, before any page
    for lang in LANGUAGES:
        hrefs = page.evaluate(
            f"""() => {{ const h = document.getElementById('status-{lang}'); let e = h.nextElementSibling;
                 while (e && !e.querySelector('table')) e = e.nextElementSibling;
                 return e ? [...e.querySelectorAll('a')].map(a => [a.getAttribute('hreflang'), new URL(a.href).pathname]) : [] }}"""
        )
        assert hrefs and all(h == lang and path.startswith(f"/{LANG_PREFIXES[lang]}") for h, path in hrefs), (lang, hrefs)
    context.close()


def test_the_banner_s_code_and_texts_are_downloaded_only_by_a_reader_it_is_shown_to(browser, site_server):
    """A reader whose browser asks for the page's language downloads no banner (its code and each
    language's text are files of their own); one who asks for another of the guide's languages gets
    it in that language, under the site's policy. Nor is the table of contents' marking of a linked
    section downloaded by a page whose address names none."""
    from conftest import watched

    page_lang, asked = LANGUAGES[1], LANGUAGES[0]
    for locale, shown in ((f"{page_lang}-XX", False), (f"{asked}-XX", True)):
        context = browser.new_context(locale=locale)
        page = watched(context)
        requests: list[str] = []
        page.on("request", lambda request, seen=requests: seen.append(request.url.rsplit("/", 1)[-1]))
        page.goto(f"{site_server}/{LANG_PREFIXES[page_lang]}loyalty-levels/", wait_until="networkidle")
        banner = [name for name in requests if name.startswith("kb-banner")]
        assert sorted(banner) == (["kb-banner-texts.js", "kb-banner.js"] if shown else []), locale
        assert "kb-toc.js" not in requests
        assert page.locator(".kb-language-banner").count() == int(shown), locale
        if shown:
            assert page.locator(".kb-language-banner").get_attribute("lang") == asked
        assert page.evaluate("window.__violations") == [] and page.errors == [] and page.failed == [], locale
        with page.expect_request(lambda request: request.url.endswith("/kb-toc.js")):  # a link to a section: it is
            page.goto(f"{site_server}/{LANG_PREFIXES[page_lang]}loyalty-levels/#loyal-customers")
        context.close()
