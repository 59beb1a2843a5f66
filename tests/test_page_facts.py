"""Onward and around: each page says when its text was last committed, in the reader's language,
and links to where readers send feedback (content/site.yaml's `feedback`)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import KB, MKDOCS, ROOT, make_sample, run, serving
from kb.model import language_prefix
from kb.project import load_project, read_languages
from kb.render import PageRenderer, long_date
from kb.site.history import last_committed

JAN = "2026-01-05T10:00:00+00:00"
# 01:00 in Bangkok is still the day before in UTC: the page says the committer's own day.
MARCH = "2026-03-02T01:00:00+07:00"


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when or JAN, "GIT_COMMITTER_DATE": when or JAN}
    config = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *config, *args], cwd=root, env=env, check=True, capture_output=True)


def committed_sample(root: Path):
    """The sample project as a git checkout: everything committed on 5 January 2026, then the
    French translation of `care` edited and committed on 2 March 2026 (Bangkok time)."""
    sample = make_sample(root)
    git(sample.root, "init", "-q", "-b", "main")
    git(sample.root, "add", ".")
    git(sample.root, "commit", "-q", "-m", "first")
    sample.replace("translations/fr/care.yaml", "Écouter les clients.", "Écouter chaque client.")
    git(sample.root, "commit", "-q", "-am", "fr wording", when=MARCH)
    return sample


def facts(root: Path, lang: str, page: str) -> dict:
    project = load_project(root)
    return PageRenderer(project, lang, None, last_committed(root)).page_facts(page)


@pytest.fixture
def repo(tmp_path):
    return committed_sample(tmp_path / "project")


def test_each_file_has_the_day_of_its_last_commit_as_its_committer_wrote_it(repo):
    dates = last_committed(repo.root)
    assert dates["translations/fr/care.yaml"] == datetime.date(2026, 3, 2)  # UTC would say 1 March
    assert dates["translations/vi/care.yaml"] == dates["content/care.yaml"] == datetime.date(2026, 1, 5)
    assert not any(path.startswith(("docs/", "mkdocs")) for path in dates)  # the guide's text only


def test_a_page_says_when_its_own_text_last_changed_in_the_readers_language(repo):
    fr = facts(repo.root, "fr", "care")["updated"]
    assert fr == 'Dernière mise à jour\u00a0: <time datetime="2026-03-02">2 mars 2026</time>'
    # The Vietnamese page is made of content/care.yaml and translations/vi/care.yaml: untouched since January.
    assert facts(repo.root, "vi", "care")["updated"] == 'Cập nhật lần cuối: <time datetime="2026-01-05">5 tháng 1, 2026</time>'
    # The home page lists every page: its date is the latest of the language's files.
    assert "2 mars 2026" in facts(repo.root, "fr", "index")["updated"]
    # The glossary lists the titles of the sections it refers to: their files count too.
    assert "2 mars 2026" in facts(repo.root, "fr", "glossary")["updated"]
    assert "2 mars 2026" not in facts(repo.root, "fr", "sources")["updated"]


def test_an_edit_not_yet_committed_changes_no_date_and_a_new_file_has_none(repo):
    before = last_committed(repo.root)
    repo.replace("translations/vi/care.yaml", "Hỏi khách hàng.", "Hỏi ý kiến khách hàng.")
    repo.write("translations/vi/extra.yaml", "x: {}\n")
    assert last_committed(repo.root) == before  # every build of this commit says the same date, edits or not
    assert "translations/vi/extra.yaml" not in before


def test_outside_a_git_checkout_or_without_git_pages_show_no_date_and_no_error(sample, monkeypatch):
    assert last_committed(sample.root) == {}
    assert "updated" not in facts(sample.root, "fr", "care")
    monkeypatch.setenv("PATH", "")  # no git on this machine
    assert last_committed(sample.root) == {}


def test_a_fresh_clone_of_the_guide_dates_every_page(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True)
    project = load_project(clone)
    dates = last_committed(clone)
    for lang in project.languages:
        renderer = PageRenderer(project, lang, None, dates)
        for page in ["index", *project.content.pages]:
            assert "<time datetime=" in renderer.page_facts(page).get("updated", ""), (lang, page)


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("vi", "7 tháng 12, 2026"),
        ("fr", "7 décembre 2026"),
        ("fy", "7 desimber 2026"),  # Frisian writes month names in lower case (CLDR capitalises them)
        ("th", "7 ธันวาคม 2569"),  # the Buddhist era, as Thai readers count years
        ("xx-unknown", "2026-12-07"),
    ],
)
def test_a_date_reads_as_the_readers_language_writes_it(lang, expected):
    assert long_date(datetime.date(2026, 12, 7), lang) == expected


def test_a_thai_date_on_29_february_keeps_its_day():
    assert long_date(datetime.date(2024, 2, 29), "th") == "29 กุมภาพันธ์ 2567"


# The feedback address

FEEDBACK = "https://example.org/guide/issues/new"


def with_feedback(sample, address: str) -> None:
    sample.write("content/site.yaml", sample.read("content/site.yaml") + f"feedback: {json.dumps(address)}\n")


@pytest.mark.parametrize("address", [FEEDBACK, "mailto:guide@example.org?subject=Guide"])
def test_a_feedback_address_set_once_is_linked_from_every_page_in_every_language(sample, address):
    with_feedback(sample, address)
    project = load_project(sample.root)
    assert project.errors == []
    for lang in project.languages:
        label = PageRenderer(project, lang).label("feedback")
        for page in ["index", "care", "glossary", "sources", "status", "trainers"]:
            link = PageRenderer(project, lang).page_facts(page)["feedback"]
            assert link == f'<a class="kb-feedback" href="{address}">{label}</a>'


def test_without_a_feedback_address_no_link_is_shown(sample):
    assert "feedback" not in facts(sample.root, "fr", "care")


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://example.org/",
        "//evil.example/",
        'https://x/" onmouseover="alert(1)',
    ],
)
def test_an_attacker_who_sets_a_feedback_address_other_than_https_or_mailto_is_stopped_by_kb_check(sample, address):
    with_feedback(sample, address)
    line = len(sample.read("content/site.yaml").splitlines())
    result = run([KB, "check"], sample.root)
    assert result.returncode == 1
    assert f"content/site.yaml:{line}:11: ERROR MARKUP the address `" in result.stdout
    assert "write https://… or mailto:…" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_renderer_never_links_an_address_the_checker_would_refuse(sample):
    """The second line of defence: with the checker's error set aside, a `javascript:` address is not written."""
    with_feedback(sample, "javascript:alert(1)")
    assert "feedback" not in facts(sample.root, "fr", "care")


# What readers see


def build(root: Path, site: Path, env: dict | None = None) -> None:
    result = run([MKDOCS, "build", "--strict", "--site-dir", site], root, env)
    assert result.returncode == 0, result.stderr


@pytest.mark.browser
def test_a_reader_sees_the_date_and_the_feedback_link_after_the_text_in_each_language(browser, tmp_path):
    sample = committed_sample(tmp_path / "project")
    with_feedback(sample, FEEDBACK)
    sample.write("content/care.yaml", sample.read("content/care.yaml") + "# reviewed\n")  # the topic's structure: every language's page
    git(sample.root, "commit", "-q", "-am", "feedback address, care reviewed", when=MARCH)
    languages, default = read_languages(sample.root)
    site = tmp_path / "site"
    build(sample.root, site)
    page = browser.new_page()
    with serving(site) as base:
        for lang in languages:
            page.goto(f"{base}/{language_prefix(lang, default)}care/")
            facts = page.locator("article .kb-page-facts")
            assert facts.locator("time").get_attribute("datetime") == "2026-03-02"
            assert long_date(datetime.date(2026, 3, 2), lang) in facts.inner_text()
            link = facts.get_by_role("link", name=PageRenderer(load_project(sample.root), lang).label("feedback"))
            assert link.get_attribute("href") == FEEDBACK and link.is_visible()
    page.close()


@pytest.mark.browser
def test_a_reader_of_a_guide_with_no_history_and_no_feedback_address_sees_neither(browser, sample, tmp_path):
    site = tmp_path / "site"
    build(sample.root, site)
    page = browser.new_page()
    with serving(site) as base:
        page.goto(f"{base}/care/")
        assert page.locator("article .kb-page-facts").count() == 0
        assert page.locator("article time, a.kb-feedback").count() == 0
    page.close()
