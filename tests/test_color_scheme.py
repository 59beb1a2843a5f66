"""Dark mode: a page opens in the scheme the reader's system asks for (prefers-color-scheme),
Material's toggle in the header switches it, named in the page's language, and the choice holds
on every page and in every language; contrast holds in the dark scheme as in the light one."""

from __future__ import annotations

import pytest
import yaml
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import AXE, LANG_PREFIXES, LANGUAGES, ROOT, shown, view, watched
from kb.site import audit
from test_security import HOSTILE, allowed_for, build, checker_without_markup_errors

SCHEMES = {"light": "default", "dark": "slate"}  # what the reader's system asks for: Material's scheme for it
TOGGLE = "[data-md-component=palette] label >> visible=true"  # the one toggle shown: it selects the next option


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def background(page) -> float:
    """The page's background lightness (0 black, 1 white), as the reader sees it."""
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return sum(int(c) for c in rgb[rgb.index("(") + 1 : -1].split(",")[:3]) / 765


@pytest.mark.browser
@pytest.mark.parametrize("asked", SCHEMES)
def test_a_page_opens_in_the_scheme_the_readers_system_asks_for(browser, site_server, asked):
    context = browser.new_context(color_scheme=asked)
    page = watched(context)
    for lang in LANGUAGES:
        view(page, f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
        assert scheme(page) == SCHEMES[asked], lang
        assert (background(page) < 0.3) == (asked == "dark"), lang
    context.close()
    assert page.errors == [] and page.failed == []


@pytest.mark.browser
def test_the_toggle_is_named_in_each_language_and_its_choice_holds_on_reload_and_in_another_language(browser, site_server):
    """A reader whose system asks for light chooses dark: the next page, a reload and the same page
    in another language stay dark; each language names the toggle in its own words."""
    from kb.project import load_project

    project = load_project(ROOT)
    first, other = LANGUAGES[0], LANGUAGES[-1]
    context = browser.new_context(color_scheme="light")
    page = watched(context)
    page.goto(f"{site_server}/{LANG_PREFIXES[first]}loyalty-levels/")
    steps = []
    for _ in range(2):  # as the system asks, then light, then dark
        steps.append(page.locator(TOGGLE).get_attribute("title"))
        page.locator(TOGGLE).click()
    assert steps == [shown(project, first, "site", "color-scheme", key) for key in ("light", "dark")]
    assert scheme(page) == "slate"
    page.reload()
    assert scheme(page) == "slate" and background(page) < 0.3
    page.goto(f"{site_server}/{LANG_PREFIXES[first]}measuring-loyalty/")
    assert scheme(page) == "slate"
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_url(f"{site_server}/{LANG_PREFIXES[other]}measuring-loyalty/")
    assert scheme(page) == "slate" and background(page) < 0.3
    assert page.locator(TOGGLE).get_attribute("title") == shown(project, other, "site", "color-scheme", "system")
    page.locator(TOGGLE).click()  # back to what the system asks for: light
    assert scheme(page) == "default"
    assert page.evaluate("window.__violations") == [] and page.errors == []
    context.close()


# The pages of each kind a reader meets (a topic's own is in test_banner.py's axe test, with search open).
KINDS = ["", "glossary/", "sources/", "status/", "trainers/", "translators/", "404.html"]


@pytest.mark.browser
@pytest.mark.parametrize("size, lang", [((1280, 800), LANGUAGES[-1]), ((390, 844), LANGUAGES[0])], ids=["desktop", "phone"])
def test_axe_finds_no_violation_on_any_kind_of_page_in_the_dark_scheme(browser, site_server, size, lang):
    """Every kb colour (numbers, the banner, the status table, the trainers' page, the copy
    buttons) is one of Material's variables or has a dark variant: each kind of page at its first
    view, in a browser that asks for dark and for another language than the page's (the banner
    shows). Colours are the same in every language: one language per width keeps this short."""
    assert AXE.is_file(), "axe-core is installed by `make npm` (make test)"
    asked = next(code for code in LANGUAGES if code != lang)
    context = browser.new_context(color_scheme="dark", locale=f"{asked}-XX", viewport={"width": size[0], "height": size[1]})
    page = watched(context)
    found = {}
    for kind in KINDS:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{kind}")
        assert scheme(page) == "slate" and page.locator(".kb-language-banner").count() == 1, kind
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            found.setdefault(v["id"], (kind, v["nodes"][0]["html"][:160], v["nodes"][0]["any"][:1]))
        assert page.evaluate("window.__violations") == [], kind
    context.close()
    assert found == {}


def test_a_translators_toggle_name_with_markup_is_shown_as_text(sample, tmp_path):
    """Material prints a toggle's name raw, in an attribute: kb's hook escapes each language's."""
    palette = load_config(str(ROOT / "mkdocs.yml")).theme["palette"]  # the guide's own
    sample.replace(
        "mkdocs.yml", "  font: false\n", "  font: false\n  palette: " + yaml.safe_dump(palette, default_flow_style=True, width=10**9)
    )
    sample.replace("content/site.yaml", "strings:\n", "strings:\n  - id: color-scheme\n    text: [light, dark, system]\n")
    hostile = " ".join(HOSTILE[:4])
    for lang in ("vi", "fr"):
        with open(sample.root / "translations" / lang / "site.yaml", "a", encoding="utf-8") as f:
            f.write(yaml.safe_dump({"color-scheme": {"light": f"{lang} {hostile}", "dark": "d", "system": "s"}}, allow_unicode=True))
    site = tmp_path / "site"
    with checker_without_markup_errors():
        build(sample.root, site)
    assert audit.audit_site(site, allowed_for(sample.root)) == []
    page = (site / "fr" / "care" / "index.html").read_text(encoding="utf-8")
    titles = [label.attributes.get("title") for label in LexborHTMLParser(page).css("[data-md-component=palette] label")]
    assert titles == [f"fr {hostile}", "d", "s"]  # read back as the translator wrote it, character for character
