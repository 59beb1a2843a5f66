"""Trainers' links: every link in the built site resolves, published anchors keep working, copy-link buttons."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import LANG_PREFIXES, MKDOCS, ROOT, run
from kb.anchors import current_anchors, numbering, read_published
from kb.cli import main
from kb.project import load_project


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.buttons: list[tuple[str | None, str]] = []  # (id of the heading before, data-clipboard-text)
        self.last_heading: str | None = None
        self.rows: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if re.fullmatch(r"h[1-3]", tag) and "id" in a:
            self.last_heading = a["id"]
        if tag == "button" and "kb-copy-link" in (a.get("class") or ""):
            self.buttons.append((self.last_heading, a.get("data-clipboard-text", "")))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_every_internal_link_and_anchor_resolves_in_every_language(built_site):
    pages = {p: parse(p) for p in built_site.rglob("*.html")}
    broken, checked = [], 0
    for page, links in pages.items():
        base = "http://site/" + page.relative_to(built_site).as_posix()
        for href in links.hrefs:
            url = urlsplit(urljoin(base, href))
            if url.scheme in ("mailto",) or url.netloc not in ("site", ""):
                continue
            target = target_file(built_site, url.path)
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site)}: {href} (no {target.relative_to(built_site)})")
            elif url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page.relative_to(built_site)}: {href} (no #{url.fragment})")
    assert checked > 1000
    assert broken == []


def test_every_section_has_a_copy_link_button_with_its_full_address(built_site):
    project = load_project(ROOT)
    for prefix in LANG_PREFIXES.values():
        for name in current_anchors(project.content):
            if name.endswith("/"):
                page = parse(built_site / prefix / name / "index.html")
                topic = name.rstrip("/")
                for heading, url in page.buttons:
                    expected = f"{prefix}{topic}/" + ("" if heading == topic else f"#{heading}")  # kb.js adds the page's own address
                    assert url == expected
                assert len(page.buttons) == len(project.content.files[topic].units)


def test_the_published_registry_lists_every_current_anchor():
    project = load_project(ROOT)
    published, _, findings = read_published(ROOT)
    assert findings == []
    assert set(current_anchors(project.content)) <= set(published), "run `kb publish` and commit content/published.yaml"


def test_the_trainers_page_numbers_every_section_the_same_in_every_language(built_site):
    project = load_project(ROOT)
    numbers = numbering(project.content)
    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "trainers" / "index.html").read_text(encoding="utf-8")
        cells = re.findall(r"<td>(\d+(?:\.\d+)*)</td>", html)
        assert cells == list(numbers.values()), lang
        for anchor in current_anchors(project.content):
            assert f">{prefix}{anchor}</a>" in html, (lang, anchor)  # kb.js shows it from the page's own address


# The registry, on a sample project


def check_codes(sample, capsys):
    main(["--root", str(sample.root), "check", "--format", "json"])
    import json

    return [(f["code"], f["file"], f["line"], f["message"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_publish_adds_every_anchor_once_and_never_removes(sample, capsys):
    assert main(["--root", str(sample.root), "publish"]) == 0
    text = sample.read("content/published.yaml")
    for anchor in ("care/", "care/#listening", "care/#surveys", "care/#habits"):
        assert f"  - {anchor}\n" in text
    assert main(["--root", str(sample.root), "publish"]) == 0
    assert sample.read("content/published.yaml") == text
    assert "is up to date" in capsys.readouterr().out


def test_a_published_anchor_that_disappears_fails_the_check_until_aliased(sample, capsys):
    main(["--root", str(sample.root), "publish"])
    capsys.readouterr()
    sample.replace("content/care.yaml", "      - id: habits", "      - id: routines")
    sample.replace("content/care.yaml", "see_also: [habits]", "see_also: [routines]")
    sample.replace("translations/fr/care.yaml", "habits:", "routines:")
    sample.replace("translations/vi/care.yaml", "habits:", "routines:")
    found = [f for f in check_codes(sample, capsys) if f[0] == "ANCHOR"]
    assert found == [
        (
            "ANCHOR",
            "content/published.yaml",
            9,
            "the published link `care/#habits` no longer leads anywhere; restore the id, "
            "or list the old id under `aliases:` of the topic, section or item it became",
        )
    ]
    sample.replace("content/care.yaml", "      - id: routines", "      - id: routines\n        aliases: [habits]")
    assert [f for f in check_codes(sample, capsys) if f[0] in ("ANCHOR", "DUPLICATE-ID")] == []


def test_an_alias_may_not_take_an_id_in_use(sample, capsys):
    sample.replace("content/care.yaml", "      - id: habits", "      - id: habits\n        aliases: [surveys]")
    assert [f[0] for f in check_codes(sample, capsys)] == ["DUPLICATE-ID"]


def rename_topic_and_item(sample) -> None:
    """What a maintainer does to rename `care` to `customer-care` and `habits` to `routines`."""
    main(["--root", str(sample.root), "publish"])
    care = sample.read("content/care.yaml").replace("id: care\n", "id: customer-care\naliases: [care]\n")
    care = care.replace("      - id: habits", "      - id: routines\n        aliases: [habits]")
    sample.write("content/customer-care.yaml", care)
    (sample.root / "content/care.yaml").unlink()
    sample.replace("content/site.yaml", "pages: [care,", "pages: [customer-care,")
    for lang in ("vi", "fr"):
        text = sample.read(f"translations/{lang}/care.yaml").replace("care:", "customer-care:", 1).replace("habits:", "routines:")
        sample.write(f"translations/{lang}/customer-care.yaml", text)
        (sample.root / f"translations/{lang}/care.yaml").unlink()
    sample.replace("content/customer-care.yaml", "see_also: [habits]", "see_also: [routines]")
    confirmed = sample.read("translations/.confirmed/fr.yaml").replace("care:", "customer-care:", 1).replace("habits.", "routines.")
    sample.write("translations/.confirmed/fr.yaml", confirmed)


def test_a_renamed_topic_and_item_keep_their_old_links(sample, capsys):
    rename_topic_and_item(sample)
    capsys.readouterr()
    assert [f for f in check_codes(sample, capsys) if f[0] not in ("STALE",)] == []


@pytest.mark.browser
def test_an_old_link_opens_the_renamed_section_in_chromium(sample, tmp_path, page):
    import functools
    import http.server
    import threading

    from conftest import QuietHandler

    rename_topic_and_item(sample)
    site = tmp_path / "out"
    result = run([MKDOCS, "build", "--strict", "--site-dir", site], sample.root)
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page.set_viewport_size({"width": 1200, "height": 500})
        page.goto(f"{base}/fr/care/#habits")
        page.wait_for_url(f"{base}/fr/customer-care/#habits")
        heading = page.locator("h3#routines")
        assert "Habitudes" in heading.inner_text()
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 250, box  # scrolled to the section
    finally:
        server.shutdown()


@pytest.mark.browser
def test_copy_link_is_reachable_by_keyboard_and_copies_the_full_address(browser, site_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_server}/fr/commitment-framework/")
    page.locator("h2#commitment-types a.headerlink").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('data-clipboard-text')")
    assert focused == f"{site_server}/fr/commitment-framework/#commitment-types"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()") == focused
    context.close()


@pytest.mark.browser
def test_print_shows_the_text_and_link_addresses_without_navigation_or_search(page, site_server):
    page.goto(f"{site_server}/fr/loyalty-strategies/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    link = page.locator(".md-typeset .admonition a").first  # "see also"
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"{site_server}/fr/loyalty-theories/#trust-theory" in after
    assert not page.locator(".kb-copy-link").first.is_visible()


def test_publish_records_each_number_and_a_moved_number_is_a_renumber_warning(sample, capsys):
    main(["--root", str(sample.root), "publish"])
    text = sample.read("content/published.yaml")
    assert '  care/#surveys: "1.1.1"\n' in text and '  care/#habits: "1.1.2"\n' in text
    capsys.readouterr()
    # Swapping two items moves both numbers, in every language at once.
    sample.replace("content/care.yaml", "      - id: surveys", "      - id: habits\n      - id: surveys")
    sample.replace("content/care.yaml", "        see_also: [habits]\n      - id: habits\n", "        see_also: [habits]\n")
    found = [f for f in check_codes(sample, capsys) if f[0] == "RENUMBER"]
    line = text.splitlines().index('  care/#surveys: "1.1.1"') + 1
    assert found[0][:3] == ("RENUMBER", "content/published.yaml", line)
    assert found[0][3].startswith("`care/#surveys` was published as 1.1.1 and is now 1.1.2 (in every language): printed handouts")
    assert "run `kb publish`" in found[0][3]
    assert [f[3].split(" ")[0] for f in found] == ["`care/#surveys`", "`care/#habits`"]
    assert main(["--root", str(sample.root), "check"]) == 1  # make check (CI) stops on it, until published
    assert main(["--root", str(sample.root), "check", "--strict"]) == 1
    assert main(["--root", str(sample.root), "publish"]) == 0
    assert "1.1.1 -> 1.1.2  care/#surveys" in capsys.readouterr().out
    assert [f for f in check_codes(sample, capsys) if f[0] == "RENUMBER"] == []
