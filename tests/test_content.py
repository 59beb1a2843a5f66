"""The real content: complete in every language, each string in its own script, every glossary term in use."""

from __future__ import annotations

import pytest

from conftest import ROOT
from kb.checks import LETTER, THAI, VIETNAMESE_LETTER, VIETNAMESE_ONLY, _prose, _words_present, glossary_forms
from kb.project import load_project, read_languages

LANGS = read_languages(ROOT)[0]  # every language mkdocs.yml configures


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def strings(project, lang):
    for name, cf in project.content.files.items():
        for uid, unit in cf.units.items():
            for field in unit.fields:
                yield f"{lang}/{name}.yaml {uid}.{field}", project.texts[lang].get(name, {}).get(uid, {}).get(field)


@pytest.mark.parametrize("lang", LANGS)
def test_every_id_has_a_non_empty_string(project, lang):
    missing = [key for key, text in strings(project, lang) if text is None or not str(text).strip()]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_in_the_script_of_its_file(project, lang):
    names = set(project.content.files["site"].attrs["same_as_source"])
    wrong = []
    for key, text in strings(project, lang):
        text = _prose(str(text))  # inline code (commands, examples) is the same in every language
        if lang == "th" and len(LETTER.findall(text)) >= 4 and text not in names and not THAI.search(text):
            wrong.append(("no Thai", key))
        if lang != "th" and THAI.search(text):
            wrong.append(("Thai", key))
        if lang in ("fr", "fy") and VIETNAMESE_ONLY.search(text):
            wrong.append(("Vietnamese", key))
        if lang == "vi" and len(LETTER.findall(text)) >= 12 and not VIETNAMESE_LETTER.search(text):
            wrong.append(("no Vietnamese letters", key))
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_term_is_used_by_a_page(project, lang):
    texts = [str(text) for key, text in strings(project, lang) if "/glossary.yaml" not in key]
    unused = []
    for forms in glossary_forms(project).values():
        form = forms[lang]
        if not any(_words_present(form, text, lang) for text in texts):
            unused.append(form)
    assert unused == []


def test_no_fallback_notice_is_left_in_the_built_site(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 30
    flagged = [str(p.relative_to(built_site)) for p in pages if "kb-untranslated" in p.read_text(encoding="utf-8")]
    assert flagged == []
