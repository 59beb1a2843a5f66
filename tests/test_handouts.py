"""Handouts (issue 37): every section's permanent address and QR code on paper, and one PDF per
topic and language printed by Chromium from the pages readers see (kb/site/handouts.py)."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import DEFAULT_LANG, KB, LANG_PREFIXES, LANGUAGES, MKDOCS, ROOT, require_tool
from kb.anchors import numbering, topics
from kb.project import load_project
from kb.render import long_date

PROJECT = load_project(ROOT)
TOPICS = topics(PROJECT.content)
MM = 96 / 25.4  # CSS pixels in a millimetre


def sections(topic: str) -> list[str]:
    """The ids of a topic, its sections and items: each has its own address on paper."""
    numbers = numbering(PROJECT.content)
    return [uid for uid in PROJECT.content.files[topic].units if uid in numbers]


def short(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url)


def canonical(html: LexborHTMLParser) -> str:
    """The page's public address, as its canonical link (site_url and the page's path) gives it."""
    return html.css_first('link[rel="canonical"]').attributes["href"]


def expected(built_site: Path, lang: str, topic: str) -> dict[str, str]:
    """Each unit of a topic page -> its full permanent address, from the page's canonical link and the unit's id."""
    page = LexborHTMLParser((built_site / LANG_PREFIXES[lang] / topic / "index.html").read_text(encoding="utf-8"))
    base = canonical(page)
    return {uid: base + ("" if uid == topic else f"#{uid}") for uid in sections(topic)}


def printed_addresses(html: LexborHTMLParser) -> dict[str, str]:
    """Heading id -> the address printed in the block right after that heading."""
    found = {}
    for block in html.css(".kb-print-address"):
        heading = block.prev  # past the heading's link tools (its "copy link" button), which kb.css keeps next to it
        while heading is not None and (heading.tag == "-text" or heading.css_first(".kb-copy-link") is not None):
            heading = heading.prev
        assert heading is not None and re.fullmatch(r"h[1-3]", heading.tag), block.html[:120]
        found[heading.attributes["id"]] = block.css_first(".kb-print-url").text()
    return found


def test_a_printed_topic_page_shows_each_sections_address_under_its_heading_in_every_language(built_site):
    for lang in LANGUAGES:
        for topic in TOPICS:
            page = LexborHTMLParser((built_site / LANG_PREFIXES[lang] / topic / "index.html").read_text(encoding="utf-8"))
            want = {uid: short(url) for uid, url in expected(built_site, lang, topic).items()}
            assert printed_addresses(page) == want, (lang, topic)
            # The QR code is inline SVG: nothing is fetched, no script runs.
            assert len(page.css(".kb-print-address > svg.kb-qr > path")) == len(want)


def test_a_section_address_never_enters_the_search_index(built_site):
    for lang in LANGUAGES:
        index = (built_site / LANG_PREFIXES[lang] / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "kb-qr" not in index and "kb-print" not in index, lang
        assert short(expected(built_site, lang, TOPICS[0])[TOPICS[0]]) not in index, lang


def test_the_offline_zips_print_view_shows_the_same_addresses(built_site, offline_site):
    for lang in LANGUAGES:
        for topic in TOPICS:
            online = LexborHTMLParser((built_site / LANG_PREFIXES[lang] / topic / "index.html").read_text(encoding="utf-8"))
            offline = LexborHTMLParser((offline_site / LANG_PREFIXES[lang] / f"{topic}.html").read_text(encoding="utf-8"))
            assert printed_addresses(offline) == printed_addresses(online), (lang, topic)


def drawn_codes(svg) -> list[str]:
    """What the QR code an address block draws decodes to. The SVG (segno's, kb/addresses.py) is
    one path of 1-module strokes along each row's middle (`M4 4.5h7m2 0h1…m-29 1h1…`): drawn
    here, 4 pixels a module, as the grey rows zxing-cpp reads."""
    import zxingcpp

    side, scale = int(svg.attributes["viewBox"].split()[2]), 4
    grey = bytearray([255]) * (side * scale) ** 2
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", svg.css_first("path").attributes["d"]):
        if command == "h":
            row = int(y) * scale
            for r in range(row, row + scale):
                grey[r * side * scale + int(x) * scale : r * side * scale + int(x + float(a)) * scale] = bytes(int(float(a)) * scale)
            x += float(a)
        else:  # M: to (a, b); m: by (a, b)
            x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
    return [code.text for code in zxingcpp.read_barcodes(memoryview(grey).cast("B", (side * scale, side * scale)))]


def test_each_sections_code_holds_the_address_printed_beside_it_in_every_language(built_site):
    for lang in LANGUAGES:
        for topic in TOPICS:
            page = LexborHTMLParser((built_site / LANG_PREFIXES[lang] / topic / "index.html").read_text(encoding="utf-8"))
            blocks = page.css(".kb-print-address")
            assert len(blocks) == len(sections(topic)), (lang, topic)
            for block in blocks:
                printed = block.css_first(".kb-print-url").text()
                assert [short(code) for code in drawn_codes(block.css_first("svg.kb-qr"))] == [printed], (lang, topic)


@pytest.mark.browser
def test_on_screen_no_address_block_shows_and_in_print_each_qr_code_is_over_15_mm_wide(page, site_server):
    page.goto(f"{site_server}/{LANG_PREFIXES[LANGUAGES[-1]]}{TOPICS[0]}/")
    assert page.locator(".kb-print-address").count() == len(sections(TOPICS[0]))
    assert page.locator(".kb-print-address:visible").count() == 0
    page.emulate_media(media="print")
    assert page.locator(".kb-print-address:visible").count() == len(sections(TOPICS[0]))
    for box in page.locator("svg.kb-qr").all():
        side = int(box.get_attribute("viewBox").split()[2])  # modules, with the quiet zone of 4 on each side
        width = box.bounding_box()["width"]
        assert width * (side - 8) / side >= 15 * MM, f"the code is {width * (side - 8) / side / MM:.1f} mm wide"
        assert side - 8 >= 21, "a QR code has 21 modules or more: the quiet zone is missing"
        # The finder pattern's corner, the first dark module, is 4 modules in: the quiet zone is white.
        assert box.locator("path").get_attribute("d").startswith("M4 4.5h7"), "no quiet zone of 4 modules"


@pytest.mark.browser
def test_every_sections_printed_address_opens_that_section_in_its_language(page, site_server, built_site):
    """What each code holds is read from the printed PDFs (test_every_qr_code_on_the_printed_pages_…):
    here, each address leads to its section, in its language, from this server, by its path and
    fragment under site_url."""
    root = urlsplit(canonical_root(built_site)).path
    for lang in LANGUAGES:
        for uid, url in expected(built_site, lang, TOPICS[1]).items():
            parts = urlsplit(url)
            page.goto(f"{site_server}/{parts.path[len(root) :]}" + (f"#{parts.fragment}" if parts.fragment else ""))
            assert page.evaluate("document.documentElement.lang") == lang
            heading = page.evaluate("(document.querySelector(':target') ?? document.querySelector('h1')).id")
            assert heading == uid, (lang, url)


def canonical_root(built_site: Path) -> str:
    """site_url, as the home page's canonical link gives it."""
    return canonical(LexborHTMLParser((built_site / "index.html").read_text(encoding="utf-8")))


def bare(text: str) -> str:
    """Text without spaces or combining marks, as compared with what pypdf extracts: it splits
    Vietnamese letters, keeps ligatures (ﬁ), and reads some of Thai's marks as the private-use
    characters of the Thai font's shifted glyphs (fonts-thai-tlwg)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not c.isspace() and unicodedata.category(c) not in ("Mn", "Co"))


@pytest.fixture(scope="module")
def handouts(browser, built_site, tmp_path_factory) -> Path:
    """Every topic in every language printed as `kb handouts` prints it, from the built site."""
    from kb.site.handouts import print_handouts

    out = tmp_path_factory.mktemp("handouts")
    print_handouts(PROJECT, built_site, out, "a4", browser=browser)
    return out


@pytest.mark.browser
def test_each_handout_pdf_holds_every_sections_address_its_header_and_footer_in_its_language(handouts, built_site):
    import pypdf

    from kb.render import PageRenderer

    for lang in LANGUAGES:
        renderer = PageRenderer(PROJECT, lang)
        for topic in TOPICS:
            reader = pypdf.PdfReader(handouts / lang / f"{topic}.pdf")
            text = bare("".join(page.extract_text() for page in reader.pages))  # a long address may wrap
            for url in expected(built_site, lang, topic).values():
                assert bare(short(url)) in text, (lang, topic, url)
            # The running header and footer: the guide's name, the language, the day printed, in this language.
            first = bare(reader.pages[0].extract_text())
            assert bare(renderer.piece("site", "site", "name").text) in first, (lang, topic)
            assert bare(renderer.language_name(lang, listed=True).text) in first, (lang, topic)
            assert bare(long_date(datetime.date.today(), lang)) in first, (lang, topic)
            assert abs(float(reader.pages[0].mediabox.width) * 25.4 / 72 - 210) < 0.5, "A4 is 210 mm wide"


@pytest.mark.browser
def test_each_handout_has_about_as_many_pages_as_the_vietnamese_one(handouts):
    import pypdf

    for topic in TOPICS:
        pages = {lang: len(pypdf.PdfReader(handouts / lang / f"{topic}.pdf").pages) for lang in LANGUAGES}
        assert all(count <= 1.5 * pages[DEFAULT_LANG] and pages[DEFAULT_LANG] <= 1.5 * count for count in pages.values()), (topic, pages)


# Reading the printed PDFs back with poppler-utils (make poppler): pdftoppm draws the pages as a
# scanner or a phone sees them, pdftotext and pdffonts read the text and the fonts Chromium embedded.


def poppler(tool: str, *args) -> str:
    require_tool(tool)
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True).stdout


def pgm(data: bytes) -> memoryview:
    """A binary grey image as `pdftoppm -gray` writes it (PGM: P5, width, height, 255, the pixels),
    as the rows zxing-cpp reads."""
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    width, height = int(header[1]), int(header[2])
    return memoryview(data[header.end() :]).cast("B", (height, width))


@pytest.mark.browser
def test_every_qr_code_on_the_printed_pages_decodes_to_exactly_its_sections_address(handouts, built_site, tmp_path):
    import zxingcpp

    from kb.site.handouts import pdf_path

    for lang in LANGUAGES:
        for topic in TOPICS:
            folder = tmp_path / lang / topic
            folder.mkdir(parents=True)
            poppler("pdftoppm", "-r", "150", "-gray", pdf_path(handouts, lang, topic), folder / "page")
            codes = [code.text for image in sorted(folder.glob("*.pgm")) for code in zxingcpp.read_barcodes(pgm(image.read_bytes()))]
            # Each section's code read once, every one of them: none missing, none unreadable, none leading elsewhere.
            assert sorted(codes) == sorted(expected(built_site, lang, topic).values()), (lang, topic)


def legible(text: str) -> str:
    """Text as compared with what pdftotext reads: NFC (Vietnamese letters whole, with their marks),
    without spaces, and without the combining marks NFC leaves apart (Thai's), which the Thai fonts
    draw with shifted glyphs that the PDF maps to private-use characters (fonts-thai-tlwg)."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if not c.isspace() and unicodedata.category(c) not in ("Mn", "Co"))


def headings(built_site: Path, lang: str, topic: str) -> dict[str, str]:
    """Each unit of a topic page -> its heading's text as readers see it (number and title, no "¶")."""
    page = LexborHTMLParser((built_site / LANG_PREFIXES[lang] / topic / "index.html").read_text(encoding="utf-8"))
    found = {}
    for uid in sections(topic):
        heading = page.css_first(f'[id="{uid}"]')
        found[uid] = "".join(
            node.text() for node in heading.iter(include_text=True) if "headerlink" not in (node.attributes.get("class") or "")
        )
    return found


def script_fonts(lang: str) -> list[str]:
    """The font families kb.css names for a language's script (`body:lang(th)` -> --kb-thai-font), or none."""
    css = (ROOT / "docs" / "assets" / "kb.css").read_text(encoding="utf-8")
    rule = re.search(rf"body:lang\({re.escape(lang)}\)[^{{]*\{{\s*font-family:\s*var\((--[a-z-]+)\)", css)
    if rule is None:
        return []
    families = re.search(rf"{rule[1]}:\s*([^;]+);", css)[1]
    return [family.strip().strip('"') for family in families.split(",")]


@pytest.mark.browser
def test_each_handout_draws_its_headings_letters_in_the_fonts_its_language_has_on_screen(handouts, built_site, browser, site_server):
    from kb.site.handouts import pdf_path

    context = browser.new_context()
    page = context.new_page()
    for lang in LANGUAGES:
        families = [family.replace(" ", "") for family in script_fonts(lang)]
        for topic in TOPICS:
            pdf = pdf_path(handouts, lang, topic)
            # A letter drawn as a box (.notdef) or in a font without it reads back as something else.
            text = legible(poppler("pdftotext", "-enc", "UTF-8", pdf, "-"))
            for uid, heading in headings(built_site, lang, topic).items():
                assert legible(heading) in text, (lang, topic, uid, heading)
            # pdffonts: name, type, encoding, then emb sub uni and the object's number and generation.
            fonts = [line.split() for line in poppler("pdffonts", pdf).splitlines()[2:]]
            assert fonts and all(row[-5] == "yes" for row in fonts), (lang, topic, "a font is not embedded", fonts)
            if families:  # the script's font, as kb.css names it for the screen (a subset: "ABCDEF+Loma-Bold")
                names = [row[0].split("+")[-1] for row in fonts]
                assert any(name.startswith(family) for name in names for family in families), (lang, topic, names, families)
            # Fonts as on screen: each font Chromium draws the headings with on screen is in the PDF.
            on_screen = screen_fonts(page, f"{site_server}/{LANG_PREFIXES[lang]}{topic}/", sections(topic))
            assert on_screen and on_screen <= {row[0].split("+")[-1] for row in fonts}, (lang, topic, on_screen, fonts)
    context.close()


def screen_fonts(page, url: str, ids: list[str]) -> set[str]:
    """The PostScript names of the fonts Chromium renders these headings' text with on screen (DevTools' CSS domain)."""
    page.goto(url)
    page.evaluate("document.fonts.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    names = set()
    for uid in ids:
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'[id="{uid}"]'})["nodeId"]
        names |= {font["postScriptName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    cdp.detach()
    return names


@pytest.mark.browser
def test_no_printed_page_ends_with_a_section_heading_or_its_address(handouts, built_site):
    import pypdf

    from kb.site.handouts import MARGIN, pdf_path

    for lang in LANGUAGES:
        for topic in TOPICS:
            pdf = pdf_path(handouts, lang, topic)
            box = pypdf.PdfReader(pdf).pages[0].mediabox
            top, bottom = (float(MARGIN[side].removesuffix("mm")) * 72 / 25.4 for side in ("top", "bottom"))
            # The page's body only, between the running header and footer (points at 72 dpi).
            crop = ["-r", 72, "-x", 0, "-y", round(top), "-W", round(float(box.width)), "-H", round(float(box.height) - top - bottom)]
            pages = poppler("pdftotext", "-enc", "UTF-8", *crop, pdf, "-").split("\f")[:-1]
            assert len(pages) == len(pypdf.PdfReader(pdf).pages)
            urls = expected(built_site, lang, topic)
            ends = [(legible(heading), legible(short(urls[uid]))) for uid, heading in headings(built_site, lang, topic).items()]
            for number, text in enumerate(map(legible, pages), 1):
                for heading, address in ends:
                    assert not text.endswith(heading) and not text.endswith(heading + address), (lang, topic, number, heading)


def test_the_trainers_page_links_each_printed_handout_in_its_language_and_no_missing_one():
    from kb.render import PageRenderer

    for lang in LANGUAGES:
        markdown = PageRenderer(PROJECT, lang, handouts=frozenset(TOPICS[:1])).render("trainers")
        assert f'<a href="../handouts/{TOPICS[0]}.pdf" hreflang=' in markdown, lang
        assert not any(f"../handouts/{topic}.pdf" in markdown for topic in TOPICS[1:]), lang
        assert "../handouts/" not in PageRenderer(PROJECT, lang).render("trainers")


def test_an_operator_who_runs_kb_handouts_without_a_public_address_gets_one_line_and_no_pdf(sample, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KB_SITE_URL"}
    result = subprocess.run([KB, "handouts", "--site-dir", tmp_path / "site"], cwd=sample.root, capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "KB_SITE_URL is not set" in result.stderr and "Traceback" not in result.stderr
    assert not (sample.root / "dist").exists() and not (tmp_path / "site").exists()


def test_a_build_after_kb_handouts_publishes_each_pdf_beside_its_languages_pages_and_the_trainers_page_links_it(sample, tmp_path):
    printed = sample.root / "dist" / "handouts" / "fr" / "care.pdf"
    printed.parent.mkdir(parents=True)
    printed.write_bytes(b"%PDF-1.7 a handout\n")
    site = tmp_path / "site"
    result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", site], cwd=sample.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (site / "fr" / "handouts" / "care.pdf").read_bytes() == printed.read_bytes()
    trainers = LexborHTMLParser((site / "fr" / "trainers" / "index.html").read_text(encoding="utf-8"))
    assert [a.attributes["href"] for a in trainers.css('a[href$=".pdf"]')] == ["../handouts/care.pdf"]
    assert not (site / "handouts").exists() and "../handouts/" not in (site / "trainers" / "index.html").read_text(encoding="utf-8")
