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
    # A term that is a section of the guide (`ref`) is used by that section, whatever noun names it
    # in the glossary (the section's title may be an instruction: "Improve and adapt"); a term of
    # its own must be used by a text.
    sections = {term.id for term in project.content.files["glossary"].root.children if "ref" in term.attrs}
    unused = []
    for uid, forms in glossary_forms(project).items():
        if uid in sections:
            continue
        form = forms[lang]
        if not any(_words_present(form, text, lang) for text in texts):
            unused.append(form)
    assert unused == []


def test_no_fallback_notice_is_left_in_the_built_site(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 30
    flagged = [str(p.relative_to(built_site)) for p in pages if "kb-untranslated" in p.read_text(encoding="utf-8")]
    assert flagged == []


def test_no_section_number_runs_into_a_number_in_its_title(built_site):
    import re

    headings = 0
    for page in built_site.rglob("*.html"):
        for number, after in re.findall(r'<span class="kb-number">([\d.]+)</span>(.{0,4})', page.read_text(encoding="utf-8")):
            headings += 1
            assert after.startswith(" · "), (page, number, after)  # "1 · 5 cấp độ", never "1 5 cấp độ" (read as 15)
    assert headings > 100


def test_each_glossary_is_in_its_languages_alphabetical_order_with_one_entry_per_term(built_site):
    import re

    from conftest import LANG_PREFIXES
    from kb.collation import sort_key

    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "glossary" / "index.html").read_text(encoding="utf-8")
        terms = [re.sub(r"<[^>]+>", "", dt) for dt in re.findall(r"<dt>(.*?)</dt>", html)]
        assert len(terms) > 20, lang
        assert terms == sorted(terms, key=lambda t: sort_key(lang, t)), lang
        assert len(set(map(str.casefold, terms))) == len(terms), lang  # no two entries with one title
        assert all(t[:1] == t[:1].upper() for t in terms), lang  # capitalised alike


def test_alphabetical_order_follows_each_languages_rules():
    from kb.collation import sort_key

    def order(lang, words):
        return sorted(words, key=lambda w: sort_key(lang, w))

    assert order("vi", ["đánh giá", "dịch vụ", "ăn", "an", "âm", "ơn", "ôm", "o", "ưu đãi", "uy tín", "bạn", "bán"]) == [
        "an", "ăn", "âm", "bán", "bạn", "dịch vụ", "đánh giá", "o", "ôm", "ơn", "uy tín", "ưu đãi"
    ]  # fmt: skip
    assert order("th", ["ไว้ใจ", "กา", "เกม", "ขา", "แม่", "ม้า", "มา", "ก"]) == ["ก", "กา", "เกม", "ขา", "มา", "ม้า", "แม่", "ไว้ใจ"]
    assert order("fr", ["zèbre", "Élan", "étude", "economie", "Abricot", "ça", "cadre"]) == [
        "Abricot", "ça", "cadre", "economie", "Élan", "étude", "zèbre"
    ]  # fmt: skip
    assert order("fy", ["Klantûnderfining", "Klantynset", "Klantloyaliteit", "yn", "in", "hûs", "jo"]) == [
        "hûs", "in", "yn", "jo", "Klantynset", "Klantloyaliteit", "Klantûnderfining"
    ]  # fmt: skip  # y is filed with i


def test_the_sources_page_names_each_sources_language_and_says_when_a_title_is_ours(built_site):
    import re

    from conftest import LANG_PREFIXES

    project = load_project(ROOT)
    sources = project.content.files["sources"]
    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "sources" / "index.html").read_text(encoding="utf-8")
        names = project.texts[lang]["site"]["languages"]
        headings = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', html)
        assert len(headings) == len(sources.root.children), lang
        shown = [re.sub(r"<[^>]+>|¶", "", text) for _, text in headings]  # the permalink: ¶ as the sanitiser writes it
        assert len(set(shown)) == len(shown), shown  # three Rice sources, three headings
        for (uid, _), text in zip(headings, shown, strict=True):
            source_lang = sources.units[uid].attrs["lang"]
            assert text.strip().endswith(f"({names[source_lang]})"), (lang, text)
        untitled = [u for u in sources.root.children if u.attrs.get("title_by") == "guide"]
        assert untitled and all(str(project.texts[lang]["site"]["labels"]["untitled"]) in html for _ in untitled)


def test_every_page_has_a_meta_description_in_its_language(built_site):
    import html as html_module
    import re

    from conftest import LANG_PREFIXES

    pages = 0
    for lang, prefix in LANG_PREFIXES.items():
        for page in (built_site / prefix).glob("*/index.html") if prefix else built_site.glob("*/index.html"):
            if page.parent.name in LANG_PREFIXES:
                continue
            text = page.read_text(encoding="utf-8")
            found = re.search(r'<meta name="description" content="([^"]+)">', text)
            assert found and len(html_module.unescape(found[1])) >= 20, page
            assert f'<html lang="{lang}"' in text
            pages += 1
    assert pages >= 9 * len(LANG_PREFIXES)


def test_french_uses_one_kind_of_no_break_space_throughout():
    texts = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "translations" / "fr").glob("*.yaml"))
    assert texts.count("\u00a0") > 50 and texts.count("\u202f") == 0  # U+00A0 everywhere, never mixed with U+202F


@pytest.mark.parametrize(("section", "items"), [("added-value", 5), ("trust-and-engagement", 4)])
def test_what_the_seed_lists_is_a_list_in_every_language(built_site, section, items):
    """Seed 002 lists the kinds of added value and the contact channels: so does each page."""
    import re

    languages, default_lang = read_languages(ROOT)
    for lang in languages:
        prefix = "" if lang == default_lang else f"{lang}/"
        html = (built_site / prefix / "loyalty-strategies" / "index.html").read_text(encoding="utf-8")
        start = html.index(f'id="{section}"')
        end = html.find("<h2", start)
        lists = re.findall(r"<ul>(.*?)</ul>", html[start:end], re.S)
        assert [len(re.findall(r"<li>", ul)) for ul in lists][:1] == [items], (lang, section)
