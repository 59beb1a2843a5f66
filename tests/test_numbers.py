"""Taught from by number: "open 2.3" finds topic 2 wherever a topic is listed, in every language."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kb.anchors import numbering
from kb.model import language_prefix
from kb.project import load_project


def test_the_sidebar_and_the_home_page_list_each_topic_with_its_number(built_site):
    project = load_project(ROOT)
    numbers = numbering(project.content)
    topics = [name for name in project.content.pages if name in numbers]
    assert len(topics) > 2
    for lang in project.languages:
        prefix = language_prefix(lang, project.default_lang)
        page = (built_site / prefix / topics[-1] / "index.html").read_text(encoding="utf-8")
        nav = page[page.index('<nav class="md-nav md-nav--primary"') : page.index('<div class="md-sidebar md-sidebar--secondary"')]
        listed = re.findall(r'<span class="md-ellipsis">\s*(\d+) · ', nav)
        assert [n for n in listed if "." not in n][: len(topics)] == [numbers[t] for t in topics], (lang, listed)
        home = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        linked = re.findall(r'<a href="([a-z-]+)/"><span class="kb-number">(\d+)</span> · ', home)
        assert linked == [(t, numbers[t]) for t in topics], (lang, linked)


def test_at_the_end_of_a_topic_the_reader_goes_on_to_the_previous_or_next_one(built_site):
    project = load_project(ROOT)
    numbers = numbering(project.content)
    topics = [name for name in project.content.pages if name in numbers]
    for lang in project.languages:
        prefix = language_prefix(lang, project.default_lang)
        page = (built_site / prefix / topics[1] / "index.html").read_text(encoding="utf-8")
        footer = page[page.index('<footer class="md-footer">') :]
        prev = re.search(r'<a href="([^"]+)" class="md-footer__link md-footer__link--prev"', footer)
        following = re.search(r'<a href="([^"]+)" class="md-footer__link md-footer__link--next"', footer)
        assert prev and prev.group(1).endswith(f"{topics[0]}/"), (lang, prev)
        assert following and following.group(1).endswith(f"{topics[2]}/"), (lang, following)
        assert f"{numbers[topics[2]]} · " in footer[following.start() :], lang


@pytest.mark.browser
def test_a_query_that_is_a_section_number_finds_that_section_first(page, site_server):
    """A learner told "2.3" types it into search: topic 2's section 3 comes first, in every
    language (a dot between digits is part of the number, not a break between words)."""
    from urllib.parse import urlsplit

    from test_search import LANG_PREFIXES, type_query

    project = load_project(ROOT)
    numbers = numbering(project.content)
    number, section = next((n, uid) for uid, n in numbers.items() if n.count(".") == 1 and n != "1.1" and not n.startswith("1."))
    topic = project.content.unit_file[section]
    for lang in project.languages:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}sources/")
        type_query(page, number)
        hrefs = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
        first = [urlsplit(h) for h in hrefs[:2]]
        assert first[0].path.rstrip("/").endswith(topic), (lang, hrefs[:3])
        assert section in {f.fragment for f in first}, (lang, number, hrefs[:3])
