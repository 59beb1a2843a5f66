"""How a page looks to a reader: section numbers, copy buttons, boxes, the section a link led
to, the language switcher, the home page."""

from __future__ import annotations

import pytest

from conftest import LANG_PREFIXES, LANGUAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
TOPIC = "commitment-framework"

# The gaps either side of the "·" after a heading's number, and where the dot's ink sits against
# the font's x-height (the canvas draws with the heading's own fonts).
NUMBER_MARK = """async (h) => {
  const number = h.querySelector(".kb-number"), text = number.nextSibling, at = text.data.indexOf("·")
  const range = (from, to) => { const r = document.createRange(); r.setStart(text, from); r.setEnd(text, to); return r.getBoundingClientRect() }
  const dot = range(at, at + 1), title = range(at + 2, at + 3), n = number.getBoundingClientRect()
  const s = getComputedStyle(h), font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`
  await document.fonts.load(font, "·x")
  const c = document.createElement("canvas").getContext("2d")
  c.font = font
  const ink = c.measureText("·"), x = c.measureText("x")
  return {
    before: dot.left - n.right, after: title.left - dot.right,
    dot: (ink.actualBoundingBoxAscent - ink.actualBoundingBoxDescent) / 2, x: x.actualBoundingBoxAscent,
    size: parseFloat(s.fontSize),
  }
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_section_number_stands_one_space_from_its_title_behind_a_dot_at_mid_height(page, site_server, lang):
    """ "1 · 5 cấp độ": as far from the dot as the title is (no double gap), and the dot at half
    the letters' height in every language (the TLWG fonts drew it raised on Thai pages)."""
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/")
    for heading in ("h1", "h2", "h3"):
        seen = page.locator(f"article {heading}:has(.kb-number)").first.evaluate(NUMBER_MARK)
        assert abs(seen["before"] - seen["after"]) <= 0.1 * seen["size"], (heading, seen)  # a kerning pair (space and A) aside
        assert abs(seen["dot"] - seen["x"] / 2) <= 0.1 * seen["size"], (heading, seen)


# Each heading with a copy button: how far the button's middle is from the middle of the
# heading's last line, and whether it covers any of the heading's text.
COPY_BUTTONS = """() => [...document.querySelectorAll("article :is(h1, h2, h3, h4) + p > .kb-copy-link")].map(b => {
  const h = b.parentElement.previousElementSibling, r = document.createRange()
  r.selectNodeContents(h)
  const lines = [...r.getClientRects()].filter(l => l.width > 0 && l.height > 0), last = lines[lines.length - 1]
  const box = b.getBoundingClientRect()
  const covers = lines.some(l => l.left < box.right && box.left < l.right && l.top < box.bottom && box.top < l.bottom)
  return [h.id, (box.top + box.bottom) / 2 - (last.top + last.bottom) / 2, covers]
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_headings_copy_button_sits_on_its_line_beside_its_text(browser, site_server, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/")
        buttons = page.evaluate(COPY_BUTTONS)
        assert len(buttons) > 5
        misplaced = [(lang, uid, round(off, 1), covers) for uid, off, covers in buttons if abs(off) > 3 or covers]
        assert misplaced == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_example_and_see_also_boxes_are_large_enough_to_read_and_thai_at_the_texts_size(page, site_server, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/")
    sizes = page.locator("article .admonition").evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    text = page.locator("article > p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert sizes and min(sizes) >= 14, sizes
    if lang == "th":  # stacked vowels and tone marks
        assert min(sizes) >= text, (sizes, text)


def test_a_link_to_a_section_near_the_end_marks_that_section_and_its_line_in_the_table_of_contents(page, site_server):
    """Near the end the page cannot scroll the section to the top: Material marked the last
    section in the table of contents. The section's heading carries a visible mark."""
    page.set_viewport_size(DESKTOP)
    lang = LANGUAGES[-1]
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/")
    toc = page.locator(".md-sidebar--secondary a.md-nav__link").evaluate_all("els => els.map(a => a.hash.slice(1))")
    target = toc[-2]  # a section near the end, not the last one
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/#{target}")
    page.wait_for_timeout(500)  # Material's table of contents follows the scroll
    assert page.evaluate("innerHeight + scrollY >= document.documentElement.scrollHeight - 1")  # at the end
    colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('.md-nav--secondary')).getPropertyValue('--md-typeset-a-color').trim()"
    )
    marked = page.locator(".md-sidebar--secondary a.md-nav__link").evaluate_all(
        """(els, colour) => {
          const probe = document.createElement("span"); probe.style.color = colour; document.body.append(probe)
          const rgb = getComputedStyle(probe).color; probe.remove()
          return els.filter(a => getComputedStyle(a).color === rgb).map(a => a.hash.slice(1))
        }""",
        colour,
    )
    assert marked == [target]
    mark = "h => getComputedStyle(h).borderInlineStartWidth"
    assert page.locator(f"[id='{target}']").evaluate(mark) != "0px"
    assert page.locator(f"[id='{toc[-1]}']").evaluate(mark) == "0px"


def test_the_switcher_shows_which_language_the_page_is_in(page, site_server):
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}{TOPIC}/")
        weights = page.locator(".md-select__link").evaluate_all(
            "els => els.map(a => [a.getAttribute('hreflang'), +getComputedStyle(a).fontWeight])"
        )
        assert [code for code, weight in weights if weight >= 600] == [lang]


def test_the_home_page_has_no_table_of_contents_of_one_line(page, site_server):
    """Its only heading is the tools': "On this page" listed "Tools" and nothing else."""
    page.set_viewport_size(DESKTOP)
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}")
        assert not page.locator(".md-sidebar--secondary").is_visible()
        assert page.locator(".md-sidebar--primary").is_visible()
