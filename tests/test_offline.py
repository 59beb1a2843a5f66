"""`make offline`: the zipped guide opens from file:// with navigation, language switcher and search."""

from __future__ import annotations

import zipfile

import pytest

from conftest import ROOT, run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory):
    work = tmp_path_factory.mktemp("offline")
    result = run(["make", "offline", f"OFFLINE_SITE={work / 'site'}", f"OFFLINE_ZIP={work / 'guide.zip'}"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(work / "guide.zip") as archive:
        archive.extractall(work / "unzipped")
    return work / "unzipped" / "guide-offline"


def search(page, query: str) -> list[str]:
    page.fill(".md-search__input", query)
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")


def test_navigation_switcher_and_search_work_from_file_urls(page, unzipped):
    home = unzipped / "index.html"
    page.goto(home.as_uri())
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator('.md-nav--primary .md-nav__link[href$="loyalty-levels.html"]').first.click()  # the sidebar as Material writes it
    page.wait_for_url((unzipped / "loyalty-levels.html").as_uri())
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="fr"]').click()
    page.wait_for_url((unzipped / "fr" / "loyalty-levels.html").as_uri())
    results = search(page, "fidelite")
    assert (unzipped / "fr" / "loyalty-levels.html").as_uri() in [r.split("?")[0] for r in results]
    assert all("/guide-offline/fr/" in r for r in results), results


def test_thai_search_works_offline(page, unzipped):
    page.goto((unzipped / "th" / "loyalty-theories.html").as_uri())
    results = search(page, "ภักดี")
    assert results and all("/guide-offline/th/" in r for r in results), results


def test_the_offline_bundle_loads_nothing_from_another_host(unzipped):
    for html in unzipped.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "fonts.googleapis" not in text, html


def test_copy_link_from_file_urls_copies_the_address_from_the_guides_root(page, unzipped):
    page.goto((unzipped / "fr" / "loyalty-levels.html").as_uri())
    copied = page.locator("#loyal-customers + p .kb-copy-link").get_attribute("data-clipboard-text")
    assert copied == "fr/loyalty-levels.html#loyal-customers"
