"""Readers in Chromium: switching language keeps them on the same page."""

from __future__ import annotations

import pytest

from conftest import DEFAULT_LANG, LANG_PREFIXES, LANGUAGES

pytestmark = pytest.mark.browser


def test_switching_language_stays_on_the_same_topic(page, site_server):
    source, target = LANGUAGES[-2], LANGUAGES[-1]
    page.goto(f"{site_server}/{LANG_PREFIXES[source]}loyalty-strategies/")
    assert page.locator("html").get_attribute("lang") == source
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{target}"]').click()
    page.wait_for_url(f"{site_server}/{LANG_PREFIXES[target]}loyalty-strategies/")
    assert page.locator("html").get_attribute("lang") == target
    assert page.locator("h1#loyalty-strategies").is_visible()


def test_the_default_language_is_served_at_the_root(page, site_server):
    page.goto(f"{site_server}/commitment-framework/")
    assert page.locator("html").get_attribute("lang") == DEFAULT_LANG
    assert page.locator("h2#commitment-types").count() == 1
