"""Topic groups: content/site.yaml puts topics in groups, each a section of the sidebar titled in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MKDOCS, Sample, run
from kb.cli import main
from kb.confirmed import confirm
from kb.model import language_prefix
from kb.project import load_project, read_languages

GROUPS = {"caring": ["care", "listening-more"], "keeping": ["returns", "rewards"]}


def grouped_sample(sample: Sample, titles: dict[str, dict[str, str]] | None = None) -> list[str]:
    """The sample with three more topics and its four in two groups, each titled in every
    language (`titles`: group -> lang -> title, where a test wants its own); returns the languages.
    Its sidebar folds groups and prunes them (navigation.prune), as a guide of many groups does."""
    languages, default = read_languages(sample.root)
    for name in [n for names in GROUPS.values() for n in names if n != "care"]:
        sample.write(f"content/{name}.yaml", f"id: {name}\nsource_lang: {default}\nsources: [seed-one]\nsections:\n  - id: {name}-why\n")
        for lang in languages:
            text = f'{name}:\n  title: "{name} ({lang})"\n  body: "{name}."\n{name}-why:\n  title: "Why {name} ({lang})"\n  body: "Why."\n'
            sample.write(f"translations/{lang}/{name}.yaml", text)
    entries = "".join(f"  - group: {group}\n    pages: [{', '.join(names)}]\n" for group, names in GROUPS.items())
    sample.replace("content/site.yaml", "pages: [care, glossary, sources]", f"pages:\n{entries}  - glossary\n  - sources")
    titles = titles or {group: {lang: f"{group} & co ({lang})" for lang in languages} for group in GROUPS}
    for lang in languages:
        added = "".join(f'{group}:\n  title: "{by_lang[lang]}"\n' for group, by_lang in titles.items() if lang in by_lang)
        sample.write(f"translations/{lang}/site.yaml", sample.read(f"translations/{lang}/site.yaml") + added)
    sample.replace("mkdocs.yml", "  font: false\n", "  font: false\n  features: [navigation.prune]\n")
    for lang in languages[1:]:
        confirm(load_project(sample.root), lang)
    return languages


def sidebar(site: Path, lang: str, default: str, page: str) -> str:
    html = (site / language_prefix(lang, default) / page / "index.html").read_text(encoding="utf-8")
    return html[html.index('<nav class="md-nav md-nav--primary"') : html.index('<div class="md-sidebar md-sidebar--secondary"')]


def linked(nav: str) -> list[str]:
    """The pages a sidebar of a topic links to, by name."""
    names = {"..": "home", ".": "itself"}
    return [
        names.get(last, last)
        for href in re.findall(r'<a href="([^"#]*)" class="md-nav__link', nav)
        if (last := href.rstrip("/").split("/")[-1])
    ]


def test_a_maintainer_who_groups_topics_sees_each_group_titled_and_a_page_carries_its_own_groups_links_only(sample, tmp_path, capsys):
    languages = grouped_sample(sample)
    assert main(["--root", str(sample.root), "check"]) == 0
    assert "MISSING" not in capsys.readouterr().out  # every title is there (its test texts are not Vietnamese: not --strict)
    result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "out"], sample.root)
    assert result.returncode == 0, result.stderr
    for lang in languages:
        nav = sidebar(tmp_path / "out", lang, languages[0], "returns")
        for group in GROUPS:
            assert f"{group} &amp; co ({lang})" in nav, (lang, group)  # its title in this language, escaped
        # Its own group open, the other folded to a link to its first page, the tools to their first.
        assert linked(nav) == ["home", "care", "itself", "rewards", "glossary", "sources", "trainers"], (lang, linked(nav))
        assert "listening-more" not in nav and "status" not in nav
        # A reader who is lost finds every topic on the 404 page, those in groups too.
        prefix = language_prefix(lang, languages[0])
        lost = (tmp_path / "out" / prefix / "404.html").read_text(encoding="utf-8")
        listed = re.findall(f'<li><a href="/{prefix}([a-z-]+)/">', lost[lost.index('class="kb-not-found"') :])
        assert listed == [name for names in GROUPS.values() for name in names] + ["glossary", "sources"], (lang, listed)


def test_a_group_title_missing_in_a_language_is_reported_missing_and_the_sidebar_shows_it_in_another(sample, tmp_path, capsys):
    languages, default = read_languages(sample.root)
    untranslated = languages[-1]
    titles = {group: {lang: f"{group} ({lang})" for lang in languages if lang != untranslated} for group in GROUPS}
    grouped_sample(sample, titles)
    assert main(["--root", str(sample.root), "check"]) == 0
    out = capsys.readouterr().out
    for group in GROUPS:
        assert f"translations/{untranslated}/site.yaml:1:1: WARNING MISSING [{untranslated}] {group}.title" in out, out
    result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "out"], sample.root)
    assert result.returncode == 0, result.stderr
    nav = sidebar(tmp_path / "out", untranslated, default, "care")
    assert f"caring ({default})" in nav and f"keeping ({default})" in nav
    # The translator's next step: kb sync adds each group's title to translate.
    assert main(["--root", str(sample.root), "sync", untranslated]) == 0
    synced = sample.read(f"translations/{untranslated}/site.yaml")
    for group in GROUPS:
        assert re.search(rf'^{group}:\n  title: !todo "{group} \({default}\)"$', synced, re.M), synced


def test_an_editor_validates_a_group_in_site_yaml_with_the_schema():
    import jsonschema

    from kb.schema import content_schema

    schema = content_schema("site", ["vi"])
    site = {"pages": [{"group": "caring", "pages": ["care"]}, "glossary"], "strings": []}
    jsonschema.validate(site, schema)
    for wrong in ({"group": "caring", "page": ["care"]}, {"group": "Caring", "pages": ["care"]}, ["care"]):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**site, "pages": [wrong]}, schema)
