"""kb check after an edit (kb/checked.py) finds what a check of the whole project finds."""

from __future__ import annotations

import pytest

from kb import checked
from kb.checked import check_project
from kb.confirmed import confirm
from kb.project import load_project

TRUST = """id: trust
source_lang: vi
sources: [seed-one]
sections:
  - id: promises
"""


def _texts(title: str) -> str:
    return f'trust:\n  title: "{title}"\n  body: "Mở đầu."\npromises:\n  title: "Lời hứa"\n  body: "Giữ lời hứa với khách hàng."\n'


@pytest.fixture
def project(sample, monkeypatch):
    """The sample with a second page that the glossary does not read; every load is recorded."""
    sample.write("content/trust.yaml", TRUST)
    sample.replace("content/site.yaml", "pages: [care,", "pages: [care, trust,")
    sample.write("translations/vi/trust.yaml", _texts("Niềm tin"))
    sample.write("translations/fr/trust.yaml", _texts("Confiance").replace("Mở đầu.", "Introduction.").replace("Lời hứa", "Promesses"))
    loads = []
    real = checked.load_project
    monkeypatch.setattr(checked, "load_project", lambda root, only=None: loads.append(only) or real(root, only))
    sample.loads = loads
    return sample


def _same_as_whole(sample, langs=None):
    sample.loads.clear()
    fast = check_project(sample.root, langs)
    loads = list(sample.loads)
    assert fast == check_project(sample.root, langs, use_cache=False)
    return fast, loads


EDITS = {
    "a string": lambda s: s.replace("translations/fr/trust.yaml", "Confiance", "La confiance"),
    "a syntax error": lambda s: s.replace("translations/fr/trust.yaml", '"Promesses"', '"Promesses'),
    "an unknown id and Thai text": lambda s: s.write(
        "translations/fr/trust.yaml", _texts("ความไว้วางใจ").replace("promises:", "promise:").replace("Mở đầu.", "Début.")
    ),
    "a blank and a !todo": lambda s: s.write("translations/fr/trust.yaml", _texts("").replace('body: "Mở đầu."', 'body: !todo "Mở đầu."')),
    "its source": lambda s: s.replace("translations/vi/trust.yaml", "Giữ lời hứa", "Luôn giữ lời hứa"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_only_the_edited_file_is_loaded_and_the_findings_are_the_whole_checks(project, edit):
    _same_as_whole(project)  # the check before the edit: the whole project, kept
    _, loads = _same_as_whole(project)
    assert loads == []  # nothing changed: nothing is loaded at all
    EDITS[edit](project)
    found, loads = _same_as_whole(project)
    assert loads == [{"trust", "site", "glossary", "care"}]  # the edited page and what every check reads
    if edit != "a string":
        assert [f for f in found.findings if f.file == "translations/fr/trust.yaml"]


def test_a_translator_who_confirmed_then_edits_a_source_sees_what_changed_since_as_a_whole_check_does(project):
    confirm(load_project(project.root), "fr")
    _same_as_whole(project)
    for words in ("Luôn giữ lời hứa", "Hãy luôn giữ lời hứa"):  # the second: the confirmations as the first check kept them
        project.replace("translations/vi/trust.yaml", "Giữ lời hứa" if words == "Luôn giữ lời hứa" else "Luôn giữ lời hứa", words)
        found, loads = _same_as_whole(project)
        assert loads == [{"trust", "site", "glossary", "care"}]
        stale = [f for f in found.findings if f.file == "translations/fr/trust.yaml" and f.code == "STALE"]
        assert [f.key for f in stale] == ["promises.body"] and "since this was confirmed" in stale[0].message


SHARED = {
    "the glossary's text": lambda s: s.replace("translations/fr/care.yaml", "Enquêtes", "Sondages"),
    "content/": lambda s: s.replace("content/trust.yaml", "  - id: promises\n", "  - id: promises\n  - id: loyalty\n"),
    "a deleted file": lambda s: (s.root / "translations/fr/trust.yaml").unlink(),
    "a new file": lambda s: s.write("translations/fr/extra.yaml", "extra:\n  title: x\n"),
    "a new folder": lambda s: (s.root / "translations/de").mkdir(),
    "the confirmations": lambda s: confirm(load_project(s.root), "fr"),
}


@pytest.mark.parametrize("edit", SHARED)
def test_an_edit_every_file_depends_on_checks_the_whole_project(project, edit):
    _same_as_whole(project)
    project.replace("translations/fr/trust.yaml", "Confiance", "La confiance")  # not confirmed: STALE
    _same_as_whole(project)
    SHARED[edit](project)
    _, loads = _same_as_whole(project)
    assert loads == [None]


def test_one_language_then_all(project):
    fr, _ = _same_as_whole(project, ["fr"])
    assert set(fr.translated) == {"fr"}
    _, loads = _same_as_whole(project)  # the languages not checked before: the whole project
    assert loads == [None]
    _, loads = _same_as_whole(project, ["fr"])  # a part of what was checked: nothing to load
    assert loads == []


def test_a_link_among_the_sources_is_never_read_and_nothing_is_kept(project):
    _same_as_whole(project)
    (project.root / "translations/fr/trust.yaml").unlink()
    (project.root / "translations/fr/trust.yaml").symlink_to(project.root / "translations/vi/trust.yaml")
    found, _ = _same_as_whole(project)
    assert [f.code for f in found.findings] == ["FILE"]


def test_other_code_checks_the_whole_project(project, monkeypatch):
    from kb import cache

    _same_as_whole(project)
    monkeypatch.setattr(cache, "code_digest", lambda: b"another version of kb")
    _, loads = _same_as_whole(project)
    assert loads == [None]


def test_without_the_cache_the_whole_project_is_checked_and_nothing_is_written(project):
    check_project(project.root)
    project.loads.clear()
    check_project(project.root, use_cache=False)
    assert project.loads == [None]
    from kb.files import user_folder as cache_path

    cache_path(project.root).rename(cache_path(project.root).with_name("before"))
    check_project(project.root, use_cache=False)
    assert not cache_path(project.root).exists()
