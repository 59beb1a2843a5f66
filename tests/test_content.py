"""The real content: each string in its own script, every glossary term in use, each page in its
language, and each language's progress reported as it is.

A language still being translated (MISSING, DRAFT, STALE) is progress, never a failure: these tests
check the texts each language has, and hold what it lacks to what the status page says of it. The
last test runs them all on a copy of the guide with two more languages nobody has translated yet."""

from __future__ import annotations

import datetime
import html as html_module
import re
import sys
from collections import Counter

import pytest

from conftest import DEFAULT_LANG, KB, LANG_PREFIXES, LANGUAGES, ROOT, copy_project, run, shown
from kb.checks import (
    FRENCH_HIGH_PUNCT,
    LETTER,
    NO_BREAK_BEFORE_PUNCTUATION,
    THAI,
    VIETNAMESE_LETTER,
    VIETNAMESE_ONLY,
    WORK_ORDER,
    _prose,
    _word_match,
    _words_present,
    glossary_forms,
    no_break_spaces,
)
from kb.project import load_project, read_languages
from kb.render import long_date


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def strings(project, lang):
    """Every text the language has, by `lang/file.yaml uid.field`; one still to translate has none."""
    for name, units in project.texts[lang].items():
        for uid, fields in units.items():
            for field, text in fields.items():
                yield f"{lang}/{name}.yaml {uid}.{field}", str(text)


def test_the_status_page_counts_each_string_a_language_lacks_as_missing_or_draft(project, built_site):
    """How complete each language is, is data the status page gives (and `kb status`), never a
    failed test: its counts are those of the texts each language has."""
    page = (built_site / LANG_PREFIXES[DEFAULT_LANG] / "status" / "index.html").read_text(encoding="utf-8")
    bars = [dict(re.findall(r'(\w+)="([^"]*)"', attrs)) for attrs in re.findall(r"<progress ([^>]*)>", page)]
    rows = [{bar["class"].removeprefix("kb-"): int(bar["value"]) for bar in bars[i : i + 4]} for i in range(0, len(bars), 4)]
    summary, rows = rows[: len(project.languages)], rows[len(project.languages) :]  # the summary first, a row per language
    expected = []
    for lang in project.languages:
        for name in project.content.pages:
            total = sum(len(unit.fields) for unit in project.content.files[name].units.values())
            has = sum(len(fields) for fields in project.texts[lang].get(name, {}).values())
            expected.append((lang, name, has, total - has))
    assert len(rows) == len(expected)
    counted = [(lang, name, row["translated"], row["missing"] + row["draft"]) for (lang, name, *_), row in zip(expected, rows, strict=True)]
    assert counted == expected  # (language, page, texts it has, texts it lacks)
    for lang, total in zip(project.languages, summary, strict=True):  # each summary row adds up its language's pages
        assert total["translated"] == sum(has for code, _, has, _ in expected if code == lang), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_in_the_script_of_its_file(project, lang):
    names = set(project.content.files["site"].attrs["same_as_source"])
    wrong = []
    for key, text in strings(project, lang):
        text = _prose(text)  # inline code (commands, examples) is the same in every language
        if lang == "th" and len(LETTER.findall(text)) >= 4 and text not in names and not THAI.search(text):
            wrong.append(("no Thai", key))
        if lang != "th" and THAI.search(text):
            wrong.append(("Thai", key))
        if lang in ("fr", "fy") and VIETNAMESE_ONLY.search(text):
            wrong.append(("Vietnamese", key))
        if lang == "vi" and len(LETTER.findall(text)) >= 12 and not VIETNAMESE_LETTER.search(text):
            wrong.append(("no Vietnamese letters", key))
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_glossary_term_is_used_by_a_page_once_a_text_that_uses_it_is_translated(project, lang):
    """A term of its own is used by the guide (by a text in its source language), and by a text of
    each language that has the term, once that language has a text whose source uses it."""
    # A term that is a section of the guide (`ref`) is used by that section, whatever noun names it
    # in the glossary (the section's title may be an instruction: "Improve and adapt").
    sections = {term.id for term in project.content.files["glossary"].root.children if "ref" in term.attrs}
    texts, sources = [], []  # this language's texts, each with its source; every source text
    for name, cf in project.content.files.items():
        if name == "glossary":
            continue
        source_texts = project.texts[cf.source_lang].get(name, {})
        sources += [(cf.source_lang, str(text)) for fields in source_texts.values() for text in fields.values()]
        for uid, fields in project.texts[lang].get(name, {}).items():
            for field, text in fields.items():
                texts.append((str(text), cf.source_lang, str(source_texts.get(uid, {}).get(field, ""))))
    unused = []
    for uid, forms in glossary_forms(project).items():
        if uid in sections:
            continue

        if not any(source_lang in forms and _words_present(forms[source_lang], text, source_lang) for source_lang, text in sources):
            unused.append(f"{uid} (no page uses it)")
            continue
        # Due once a text whose source uses the term is translated (the sources as `kb check` reads them: TERM).
        due = lang in forms and any(
            source_lang in forms and _word_match(forms[source_lang], source, source_lang) for _, source_lang, source in texts
        )
        if due and not any(_words_present(forms[lang], text, lang) for text, _, _ in texts):
            unused.append(forms[lang])
    assert unused == []


def test_a_fallback_notice_is_only_on_a_page_the_status_page_lists_as_needing_that_work(project, built_site):
    """A section not translated yet shows its source with a notice, and the status page lists it;
    a language with nothing left to do has no notice at all."""
    status = (built_site / LANG_PREFIXES[DEFAULT_LANG] / "status" / "index.html").read_text(encoding="utf-8")
    states = {html_module.unescape(shown(project, DEFAULT_LANG, "site", "status", code.lower())): code for code in WORK_ORDER}
    listed: dict[str, dict[str, set[str]]] = {}  # lang -> page -> the work the status page lists for it
    for lang, part in re.findall(r'<h2 id="status-([^"]+)"(.*?)(?=<h2 |</article>)', status, re.S):
        listed[lang] = {}
        for href, state in re.findall(r'<a href="\.\./([^"#]*)#[^"]*" hreflang="[^"]+">.*?</a> \(([^)]*)\)', part):
            name = href.removeprefix(LANG_PREFIXES[lang]).split("/")[0]
            listed[lang].setdefault(name, set()).add(states[html_module.unescape(state)])
    assert sorted(listed) == sorted(LANGUAGES)
    prefixes = {prefix.rstrip("/"): lang for lang, prefix in LANG_PREFIXES.items() if prefix}
    flagged = []
    for path in built_site.rglob("*.html"):
        parts = path.relative_to(built_site).parts
        lang = prefixes.get(parts[0], DEFAULT_LANG)
        parts = parts[1:] if parts[0] in prefixes else parts
        name = parts[0] if len(parts) > 1 else "index"
        text = path.read_text(encoding="utf-8")
        for kind, codes in (("untranslated", {"MISSING", "DRAFT"}), ("outdated", {"STALE"})):
            if f"kb-{kind}" in text and not listed[lang].get(name, set()) & codes:
                flagged.append((lang, name, kind))
    assert flagged == []


def test_no_section_number_runs_into_a_number_in_its_title(built_site):
    headings = 0
    for page in built_site.rglob("*.html"):
        for number, after in re.findall(r'<span class="kb-number">([\d.]+)</span>(.{0,4})', page.read_text(encoding="utf-8")):
            headings += 1
            assert after.startswith(" · "), (page, number, after)  # "1 · 5 cấp độ", never "1 5 cấp độ" (read as 15)
    assert headings > 100


def test_each_glossary_is_in_its_languages_alphabetical_order_with_one_entry_per_term(built_site):
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


def test_the_sources_page_names_each_sources_language_and_says_when_a_title_is_ours(project, built_site):
    sources = project.content.files["sources"]
    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "sources" / "index.html").read_text(encoding="utf-8")
        headings = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', html)
        assert len(headings) == len(sources.root.children), lang
        titles = [re.sub(r"<[^>]+>|¶", "", text) for _, text in headings]  # the permalink: ¶ as the sanitiser writes it
        assert len(set(titles)) == len(titles), titles  # three Rice sources, three headings
        for (uid, _), text in zip(headings, titles, strict=True):
            source_lang = sources.units[uid].attrs["lang"]
            assert text.strip().endswith(f"({shown(project, lang, 'site', 'languages', source_lang)})"), (lang, text)
        untitled = [u for u in sources.root.children if u.attrs.get("title_by") == "guide"]
        assert untitled and shown(project, lang, "site", "labels", "untitled") in html


def test_the_sources_page_gives_dates_as_each_language_writes_them_and_says_which_articles_are_reposts(project, built_site):
    sources = project.content.files["sources"]
    reposts = [unit for unit in sources.root.children if "note" in unit.fields]
    assert len(reposts) == 3  # the Rice article, in vi, fy and fr: each a copy from the Internet, author unknown
    for lang, prefix in LANG_PREFIXES.items():
        html = (built_site / prefix / "sources" / "index.html").read_text(encoding="utf-8")
        for unit in sources.root.children:
            for key in ("published", "updated"):
                if key in unit.attrs:
                    assert long_date(datetime.date.fromisoformat(unit.attrs[key]), lang) in html, (lang, unit.id)
                    assert f">{unit.attrs[key]}<" not in html, (lang, unit.id)
        for unit in reposts:
            assert html_module.escape(shown(project, lang, "sources", unit.id, "note"), quote=False) in html, (lang, unit.id)


def test_a_topics_sources_box_says_when_a_title_was_given_by_the_guide(project, built_site):
    given = {u.id for u in project.content.files["sources"].root.children if u.attrs.get("title_by") == "guide"}
    citing = [name for name, cf in project.content.files.items() if cf.kind == "topic" and given & set(cf.root.attrs["sources"])]
    assert citing
    for lang, prefix in LANG_PREFIXES.items():
        label = html_module.escape(shown(project, lang, "site", "labels", "given-title"), quote=False)
        for name in citing:
            html = (built_site / prefix / name / "index.html").read_text(encoding="utf-8")
            box = html[html.index('class="admonition quote"') :]
            assert f"</a> ({label})</li>" in box, (lang, name)


def test_every_page_has_a_meta_description_in_its_language(built_site):
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


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang in NO_BREAK_BEFORE_PUNCTUATION])
def test_french_puts_a_no_break_space_of_one_kind_per_file_before_high_punctuation(project, lang):
    """The rule `kb check` gives (UNICODE): a no-break space before : ; ? ! and inside « », U+00A0
    or U+202F, one kind throughout a file."""
    missing, mixed, spaces = [], [], 0
    for name, units in project.texts[lang].items():
        kinds = Counter()
        for uid, fields in units.items():
            for field, text in fields.items():
                prose = _prose(str(text))
                kinds.update(no_break_spaces(prose))
                if found := FRENCH_HIGH_PUNCT.search(prose):
                    missing.append(f"translations/{lang}/{name}.yaml {uid}.{field}: `{found.group()}`")
        if len(kinds) > 1:
            mixed.append(f"translations/{lang}/{name}.yaml: " + " and ".join(f"U+{ord(c):04X} ({n})" for c, n in kinds.items()))
        spaces += kinds.total()
    assert missing == [], "no no-break space before high punctuation:\n" + "\n".join(missing)
    assert mixed == [], "two kinds of no-break space in one file:\n" + "\n".join(mixed)
    assert spaces > 0  # the texts that exist have them: the rule was held to something


@pytest.mark.parametrize(("section", "items"), [("added-value", 5), ("trust-and-engagement", 4)])
def test_what_the_seed_lists_is_a_list_in_every_language(built_site, section, items):
    """Seed 002 lists the kinds of added value and the contact channels: so does each page."""
    languages, default_lang = read_languages(ROOT)
    for lang in languages:
        prefix = "" if lang == default_lang else f"{lang}/"
        html = (built_site / prefix / "loyalty-strategies" / "index.html").read_text(encoding="utf-8")
        start = html.index(f'id="{section}"')
        end = html.find("<h2", start)
        lists = re.findall(r"<ul>(.*?)</ul>", html[start:end], re.S)
        assert [len(re.findall(r"<li>", ul)) for ul in lists][:1] == [items], (lang, section)


PLAIN_TITLE = re.compile(r"^(  title: )([^\"'!>|\n][^\n]*)$", re.M)  # a title written as a plain YAML scalar


@pytest.mark.build
def test_languages_nobody_has_translated_yet_pass_every_content_test(project, tmp_path):
    """The README's promise, that a new language is all progress: `kb add-language` twice on a copy
    of the guide (a script without spaces, a right-to-left one), nothing translated, a text of
    another language still to do (`!todo`), one a draft, one outdated by its source's change, and
    this file's tests run on the copy pass."""
    new = [
        (code, name) for code, name in (("km", "ខ្មែរ"), ("ar", "العربية"), ("de", "Deutsch"), ("sw", "Kiswahili")) if code not in LANGUAGES
    ][:2]
    copy = copy_project(tmp_path / "guide")
    for code, name in new:
        added = run([KB, "add-language", code, name], copy)
        assert added.returncode == 0, added.stderr
    assert read_languages(copy)[0] == [*LANGUAGES, *(code for code, _ in new)]

    def edit(lang: str, page: str, change, count: int = 0) -> None:  # count 0: every plain title
        path = copy / f"translations/{lang}/{page}.yaml"
        text, n = PLAIN_TITLE.subn(change, path.read_text(encoding="utf-8"), count=count)
        assert n >= max(count, 1), path
        path.write_text(text, encoding="utf-8")

    other = LANGUAGES[1]
    page = next(
        name
        for name in project.content.pages
        if project.content.files[name].source_lang == DEFAULT_LANG
        and len(PLAIN_TITLE.findall((copy / f"translations/{other}/{name}.yaml").read_text(encoding="utf-8"))) >= 2
    )
    tags = iter(["!todo ", "!draft "])
    edit(other, page, lambda m: m[1] + next(tags) + m[2], 2)
    edit(DEFAULT_LANG, page, lambda m: f"{m[1]}{m[2]} {m[2].split()[-1]}")  # their translations are now outdated
    tests = run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/test_content.py", "-k", "not nobody_has_translated"],
        copy,
        {"PYTHONPATH": str(copy / "scripts")},
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert all(f"[{code}] PASSED" in tests.stdout for code, _ in new) and "status_page_counts" in tests.stdout
    status = run([KB, "status", other], copy).stdout  # what the copy holds: each kind of progress once
    assert re.search(rf"^  {re.escape(page)} +\d+ +\d+ +[1-9]\d* +1 +1$", status, re.M), status
