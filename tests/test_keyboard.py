"""Keyboard readers: every stop Tab reaches can be seen, and nothing opens on focus alone."""

from __future__ import annotations

import pytest

from conftest import LANG_PREFIXES, LANGUAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}

# Where focus is and whether a reader sees it: on the screen, of some size, and not under
# something else (the element at its centre is it, inside it, or the label it names). A control
# drawn by a label (Material's colour-scheme toggle: a hidden radio button, the icon its sibling)
# is seen where the label after it is (Material outlines `.md-option.focus-visible + label`).
FOCUSED = """() => {
  const focused = document.activeElement
  if (!focused || focused === document.body) return null
  window.__kbFocused = focused
  const next = focused.nextElementSibling
  const drawnBy = next && next.tagName === "LABEL" && next.getBoundingClientRect().width > 0 ? next : null
  const e = focused.getBoundingClientRect().width === 0 && drawnBy ? drawnBy : focused
  const r = e.getBoundingClientRect()
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)
  const top = document.elementFromPoint(x, y)
  let opacity = 1
  for (let a = e; a; a = a.parentElement) opacity *= +getComputedStyle(a).opacity
  return {
    what: focused.outerHTML.slice(0, 120),
    box: [r.left, r.top, r.width, r.height],
    inView: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
    onTop: !!top && (e.contains(top) || top.contains(e)) && opacity > 0.5,
    ring: (s => s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)(getComputedStyle(e)),
    search: document.getElementById("__search").checked,
    drawer: document.getElementById("__drawer").checked,
    address: location.href,
  }
}"""
SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"


def around(box, page) -> dict:
    """The focused element and a margin for its focus ring, inside the viewport."""
    size = page.viewport_size
    x, y = max(box[0] - 6, 0), max(box[1] - 6, 0)
    return {"x": x, "y": y, "width": min(box[2] + 12, size["width"] - x), "height": min(box[3] + 12, size["height"] - y)}


def looks_focused(page, focus: dict) -> bool:
    """Without an outline, the element must look different focused and unfocused."""
    if not focus["inView"]:
        return False
    clip = around(focus["box"], page)
    focused = page.screenshot(clip=clip)
    page.evaluate("() => window.__kbFocused.blur()")  # Tab goes on from where focus was
    page.wait_for_function(SETTLED)
    return page.screenshot(clip=clip) != focused


def tab_through(page, url: str, stops: int = 200) -> list[dict]:
    """Tab from the top of `url` until focus comes round again; at each stop, what the reader
    sees of it and whether it shows a focus indicator."""
    page.goto(url)
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        page.wait_for_function(SETTLED)
        focus = page.evaluate(FOCUSED)
        if focus is None or (seen and focus["what"] == seen[0]["what"]):
            break
        focus["indicator"] = focus["ring"] or looks_focused(page, focus)
        seen.append(focus)
    return seen


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_keyboard_reader_sees_every_stop_tab_reaches_and_nothing_opens_on_focus(browser, site_server, viewport):
    """Tab through a topic: every stop is on screen, of some size, not covered, with a focus
    indicator; the address never changes; on a phone neither the full-screen search nor the
    drawer opens because focus arrived (WCAG 3.2.1), and on a desktop search opens only under the
    search box that has focus, as its list."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    url = f"{site_server}/{LANG_PREFIXES[LANGUAGES[-1]]}commitment-framework/"
    stops = tab_through(page, url)
    assert len(stops) > 20, stops  # the header, the topic's headings and links: the walk went round the page
    unseen = [(s["what"], s["box"]) for s in stops if not (s["inView"] and s["onTop"] and s["indicator"])]
    assert unseen == []
    assert {s["address"] for s in stops} == {url}
    assert not any(s["drawer"] for s in stops)
    opened = [s["what"] for s in stops if s["search"]]
    if viewport is PHONE:
        assert opened == []
    else:
        assert all("md-search__input" in what for what in opened), opened
    context.close()


def test_on_a_phone_the_search_button_opens_search_and_escape_brings_focus_back_to_it(browser, site_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[0]]}loyalty-levels/")
    button = page.locator(".md-header__button[for=__search] button")
    assert button.get_attribute("aria-label") == page.locator(".md-search__input").get_attribute("aria-label")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement === document.querySelector('.md-header__button[for=__search] button')")
    context.close()
