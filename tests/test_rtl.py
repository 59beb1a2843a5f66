"""Right-to-left: an Arabic reader of a guide written in Vietnamese gets an Arabic page laid out
right to left, with the text not translated yet set apart in its own direction (word order
kept), and every section number in sight."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import MKDOCS, ROOT, make_sample, run, serving
from kb.cli import main
from kb.render import direction

# A title that starts with a number: in a right-to-left line without its own direction, the number
# goes to the right end ("bước chăm sóc khách hàng 5"), as the issue saw ("… của khách 4 / hàng").
PAGE_TITLE = ("5 bước chăm sóc khách", "5", "khách")
SECTION_TITLE = ("3 cách lắng nghe", "3", "nghe")
BODY = ("2 câu hỏi cho khách hàng.", "2", "hàng.")
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def test_a_language_is_written_in_the_direction_its_code_says():
    # From the Unicode CLDR's data (not a list of the guide's languages); subtags and unknown codes too.
    assert [direction(code) for code in ("ar", "fa", "he", "ur", "ckb", "ps", "yi", "pa-Arab", "ar-EG")] == ["rtl"] * 9
    assert [direction(code) for code in ("vi", "fr", "th", "km", "fy", "zh-Hant", "pt-BR", "sr-Latn", "qaa")] == ["ltr"] * 9


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory):
    """The sample with Arabic added as `kb add-language` adds it (nothing translated yet: every
    text falls back to Vietnamese) and the guide's own styles, built with --strict."""
    sample = make_sample(tmp_path_factory.mktemp("rtl") / "project")
    sample.write("docs/assets/kb.css", (ROOT / "docs/assets/kb.css").read_text(encoding="utf-8"))
    sample.write("mkdocs.yml", sample.read("mkdocs.yml") + "extra_css:\n  - assets/kb.css\n")
    sample.replace("translations/vi/care.yaml", '"Chăm sóc khách hàng"', f'"{PAGE_TITLE[0]}"')
    sample.replace("translations/vi/care.yaml", '"Lắng nghe"', f'"{SECTION_TITLE[0]}"')
    sample.replace("translations/vi/care.yaml", '"Lắng nghe khách hàng."', f'"{BODY[0]}"')
    assert main(["--root", str(sample.root), "add-language", "ar", "العربية"]) == 0
    site = sample.root.parent / "site"
    result = run([MKDOCS, "build", "--strict", "--site-dir", site], sample.root)
    assert result.returncode == 0, result.stderr
    return site


def parsed(site, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / rel).read_text(encoding="utf-8"))


@pytest.mark.build
def test_an_arabic_page_is_right_to_left_and_its_vietnamese_fallbacks_left_to_right(arabic_site):
    for rel in ("ar/care/index.html", "ar/index.html", "ar/glossary/index.html", "ar/404.html"):
        tree = parsed(arabic_site, rel)
        html, body = tree.css_first("html").attributes, tree.body.attributes
        assert (html.get("lang"), html.get("dir"), body.get("dir")) == ("ar", "rtl", "rtl"), rel
    tree = parsed(arabic_site, "ar/care/index.html")
    blocks = tree.css(".kb-fallback, .kb-notice")
    assert len(blocks) >= 4
    assert {(b.attributes.get("lang"), b.attributes.get("dir")) for b in blocks} == {("vi", "ltr")}
    # A heading's title in its own direction; its number and its end stay the page's.
    title = tree.css_first("h2#listening span[dir]")
    assert title.attributes["dir"] == "ltr" and title.text() == SECTION_TITLE[0]
    assert tree.css_first("h2#listening").attributes.get("lang") == "vi"
    # Links to other pages whose title fell back (home page, glossary) too.
    for rel in ("ar/index.html", "ar/glossary/index.html"):
        spans = parsed(arabic_site, rel).css(".md-content span[lang]")
        assert spans and {(s.attributes["lang"], s.attributes.get("dir")) for s in spans} == {("vi", "ltr")}, rel
    # The Vietnamese pages are as they were: left to right, nothing else in another direction.
    tree = parsed(arabic_site, "care/index.html")
    assert (tree.css_first("html").attributes.get("dir"), tree.css(".md-content [dir]")) == ("ltr", [])


# The boxes of a text's first and last word on screen (a Range over the text node holding them).
WORD_BOXES = """([element, first, last]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  while (walker.nextNode()) {
    const node = walker.currentNode, start = node.data.indexOf(first), end = node.data.lastIndexOf(last)
    if (start < 0 || end < 0) continue
    const box = (from, length) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, from + length); return r.getBoundingClientRect().toJSON() }
    return [box(start, first.length), box(end, last.length)]
  }
  return null
}"""


def reads_in_order(locator, words: tuple[str, str, str]) -> bool:
    """Is the text's first word left of its last word, as left-to-right text is read?"""
    _, first, last = words
    boxes = locator.evaluate(f"(element) => ({WORD_BOXES})([element, {first!r}, {last!r}])")
    assert boxes is not None, f"{words[0]!r} not in {locator}"
    assert all(box["width"] > 0 for box in boxes), f"{words[0]!r} is not shown"
    return boxes[0]["right"] <= boxes[1]["left"] + 0.5


def overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.browser
@pytest.mark.parametrize("screen", VIEWPORTS)
def test_an_arabic_reader_sees_every_section_number_and_vietnamese_fallbacks_in_their_word_order(browser, arabic_site, tmp_path, screen):
    width, height = VIEWPORTS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    with serving(arabic_site) as base:
        page.goto(f"{base}/ar/care/")
        page.screenshot(path=tmp_path / f"ar-care-{screen}.png", full_page=True)
        numbers = page.locator(".md-content .kb-number")
        buttons = page.locator(".md-content .kb-copy-link")
        assert numbers.count() == buttons.count() == 4
        for i in range(numbers.count()):
            number, button = numbers.nth(i).bounding_box(), buttons.nth(i).bounding_box()
            assert number["width"] > 0 and number["x"] >= 0 and number["x"] + number["width"] <= width, (screen, i, number)
            assert not overlap(number, button), (screen, i, number, button)
        # The number stands at the start of the line: the right, in Arabic.
        heading = page.locator("h2#listening").bounding_box()
        number = numbers.nth(1).bounding_box()
        assert number["x"] + number["width"] > heading["x"] + heading["width"] / 2, (number, heading)
        # The Vietnamese texts read from left to right, in the page, the sidebars and the table of contents.
        assert reads_in_order(page.locator("h2#listening"), SECTION_TITLE)
        assert reads_in_order(page.locator(".md-content .kb-fallback", has_text=BODY[0]), BODY)
        assert reads_in_order(page.locator("h1#care"), PAGE_TITLE)
        if screen == "desktop":  # on a phone, both are in the closed drawer
            assert reads_in_order(page.locator(".md-sidebar--primary a.md-nav__link--active .md-ellipsis"), PAGE_TITLE)
            assert reads_in_order(page.locator(".md-sidebar--secondary a[href='#listening'] .md-ellipsis"), SECTION_TITLE)
    context.close()
