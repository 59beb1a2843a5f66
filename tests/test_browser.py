"""Readers in Chromium: switching language keeps them on the same page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_switching_from_french_to_thai_stays_on_the_same_topic(page, site_server):
    page.goto(f"{site_server}/fr/loyalty-strategies/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="th"]').click()
    page.wait_for_url(f"{site_server}/th/loyalty-strategies/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1#loyalty-strategies").is_visible()


def test_the_default_language_is_served_at_the_root(page, site_server):
    page.goto(f"{site_server}/commitment-framework/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h2#commitment-types").count() == 1
