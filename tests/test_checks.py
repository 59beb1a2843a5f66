"""`kb check`: one story per code, each on a sample tree that triggers exactly that finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.cli import main
from kb.findings import PROGRESS
from kb.project import load_project


def check(sample, capsys, *args):
    code = main(["--root", str(sample.root), "check", "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return code, report["findings"], report["summary"]


def only(findings, code):
    found = [f for f in findings if f["code"] == code]
    assert len(found) == 1, findings
    return found[0]


def test_the_sample_is_clean_even_in_strict_mode(sample, capsys):
    code, findings, summary = check(sample, capsys, "--strict")
    assert (code, findings) == (0, [])
    assert summary["fr"] == {"strings": 57, "translated": 57, "stale": 0, "missing": 0, "errors": 0, "warnings": 0}


# Each case: (file to edit, old text, new text, code, line, exit status without --strict)
CASES = {
    "SYNTAX": ("translations/fr/care.yaml", '"Écouter"', '"Écouter', 5, 1),
    "DUPLICATE-KEY": ("translations/fr/care.yaml", '  body: "Introduction."', '  body: "Introduction."\n  body: "Bis"', 4, 1),
    "TYPE": ("translations/fr/care.yaml", '"Habitudes"', "yes", 12, 1),
    "ORPHAN": ("translations/fr/care.yaml", "habits:", "habit:", 11, 1),
    "MISSING": ("translations/fr/care.yaml", '  title: "Habitudes"\n', "", 11, 0),
    "EMPTY": ("translations/fr/care.yaml", '"Habitudes"', '"  "', 12, 1),
    "STALE": ("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."', 13, 0),
    "MARKUP": ("translations/fr/care.yaml", '"Achats répétés."', '"Achats **répétés**."', 13, 1),
    "PLACEHOLDER": ("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés en {langue}."', 13, 1),
    "TOO-COMPLEX": ("translations/fr/care.yaml", '"Achats répétés."', '"' + "[](#" * 2_500 + '"', 13, 1),
    "NUMBER": ("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại 3 lần."', 13, 0),
    "SAME-AS-SOURCE": ("translations/fr/care.yaml", '"Achats répétés."', '"Mua lặp lại."', 13, 0),
    "TERM": ("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại sau khảo sát."', 13, 0),
    "SCRIPT": ("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés ซื้อซ้ำ."', 13, 0),
    "UNICODE": ("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés.Souvent."', 13, 0),
    "LENGTH": (
        "translations/fr/care.yaml",
        '"Écouter les clients."',
        '"' + "Écouter les clients avec attention et patience, " * 2 + 'chaque jour."',
        6,
        0,
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_reported_with_file_line_and_exit_status(sample, capsys, code):
    rel, old, new, line, status = CASES[code]
    sample.replace(rel, old, new)
    exit_code, findings, _ = check(sample, capsys)
    expected_file = "translations/fr/care.yaml"
    found = only(findings, code)
    assert (found["file"], found["line"]) == (expected_file, line), found
    assert exit_code == status
    assert found["severity"] == ("error" if status else "warning")
    strict_code, _, _ = check(sample, capsys, "--strict")
    assert strict_code == (0 if code in PROGRESS else 1)  # a release check: text warnings too, never progress


def test_stale_shows_old_and_new_source_and_confirm_clears_only_that_key(sample, capsys):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."')
    sample.replace("translations/vi/care.yaml", '"Hỏi khách hàng."', '"Hỏi ý kiến khách hàng."')
    _, findings, summary = check(sample, capsys)
    stale = sorted(f["key"] for f in findings if f["code"] == "STALE")
    assert stale == ["habits.body", "surveys.body"]
    message = next(f["message"] for f in findings if f["key"] == "habits.body")
    assert "source changed since this was confirmed: Mua {+hàng lặp đi+} lặp lại.;" in message  # a word diff
    assert "kb confirm fr habits.body" in message
    assert summary["fr"]["stale"] == 2
    assert main(["--root", str(sample.root), "confirm", "fr", "habits.body"]) == 0
    capsys.readouterr()
    _, findings, _ = check(sample, capsys)
    assert [f["key"] for f in findings if f["code"] == "STALE"] == ["surveys.body"]


def test_a_placeholder_the_site_fills_in_must_stay_exactly_as_in_the_source(sample, capsys):
    """A notice says "…translated into {language}": a translator who translates the placeholder,
    or drops it, is told before a reader sees "traduite en {langue}"."""
    from kb.project import read_languages

    languages, source = read_languages(sample.root)
    notice = {"vi": "Phần này chưa được dịch.", "fr": "Cette section n’est pas encore traduite."}
    sample.replace(f"translations/{source}/site.yaml", notice[source], "Phần này chưa được dịch sang {language}.")
    sample.replace("translations/fr/site.yaml", notice["fr"], "Cette section n’est pas encore traduite en {langue}.")
    code, findings, _ = check(sample, capsys)
    messages = sorted(f["message"] for f in findings if f["code"] == "PLACEHOLDER" and f["lang"] == "fr")
    assert code == 1
    assert messages == [
        "`{langue}` is not a placeholder of the source (did you mean `{language}`?)",
        "the source has `{language}`, which the site fills in; keep it exactly as it is (never translated)",
    ]
    others = {f["lang"] for f in findings if f["code"] == "PLACEHOLDER"} - {"fr"}
    assert others == set(languages) - {source, "fr"}  # every language that lacks it is told
    sample.replace("translations/fr/site.yaml", "{langue}", "{language}")
    _, findings, _ = check(sample, capsys)
    assert not [f for f in findings if f["code"] == "PLACEHOLDER" and f["lang"] == "fr"]


def test_orphan_suggests_the_nearest_id_in_text_output(sample, capsys):
    sample.replace("translations/fr/care.yaml", "habits:", "habit:")
    assert main(["--root", str(sample.root), "check"]) == 1
    out = capsys.readouterr().out
    assert (
        "translations/fr/care.yaml:11:1: ERROR ORPHAN [fr] habit: `habit` is not an id in content/care.yaml (did you mean `habits`?)" in out
    )
    assert "lang       strings  translated" in out


def test_unicode_catches_nfd_zero_width_and_doubled_spaces(sample, capsys):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats re\u0301pe\u0301te\u0301s."')
    sample.replace("translations/fr/care.yaml", '"Écouter les clients."', '"Écouter\u200b les  clients."')
    _, findings, _ = check(sample, capsys)
    messages = [f["message"] for f in findings if f["code"] == "UNICODE"]
    assert any("NFC" in m for m in messages)
    assert any("U+200B" in m for m in messages)
    assert any("two spaces" in m for m in messages)


def test_markup_rejects_raw_html_and_unsafe_links(sample, capsys):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"<b>Achats</b> [ici](javascript:alert(1))"')
    _, findings, _ = check(sample, capsys)
    messages = [f["message"] for f in findings if f["code"] == "MARKUP"]
    assert any("raw HTML" in m for m in messages)
    assert any("javascript:" in m for m in messages)


# Five and twelve as each script writes them: Thai, Khmer, Arabic-Indic, Persian, Devanagari.
NATIVE_DIGITS = {"th": ("๕", "๑๒"), "km": ("៥", "១២"), "ar": ("٥", "١٢"), "fa": ("۵", "۱۲"), "hi": ("५", "१२")}


@pytest.mark.parametrize("script", NATIVE_DIGITS)
def test_a_translator_who_writes_the_sources_numbers_in_native_digits_gets_no_number_finding(sample, capsys, script):
    five, twelve = NATIVE_DIGITS[script]
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại 5 lần trong 12 tháng."')
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', f'"Achats répétés {five} fois en {twelve} mois."')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert not [f for f in findings if f["code"] == "NUMBER"]
    # A wrong number is still one, in any digits: 12 written as 1 and 2 apart, or 5 as 6.
    six = chr(ord(five) + 1)
    sample.replace("translations/fr/care.yaml", f"{five} fois en {twelve}", f"{six} fois en {twelve[0]} {twelve[1]}")
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert sorted(f["message"] for f in findings if f["code"] == "NUMBER") == [
        f"the source has the number {n}, the translation does not; write it in digits" for n in ("12", "5")
    ]


def test_lang_filter_and_unknown_language(sample, capsys):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', "yes")
    code, findings, summary = check(sample, capsys, "--lang", "vi")
    assert (code, findings, list(summary)) == (0, [], ["vi"])
    assert main(["--root", str(sample.root), "check", "--lang", "xx"]) == 2


@pytest.mark.parametrize(
    ("form", "text", "lang", "used"),
    [
        # Vietnamese: the words of a term must stand together, not anywhere in the sentence.
        ("khách hàng trung thành", "Khách hàng giữ lòng trung thành.", "vi", False),
        ("khách hàng trung thành", "Những khách hàng trung thành mua lại.", "vi", True),
        # Thai: a substring, since Thai writes no spaces between words.
        ("ความภักดี", "ลูกค้ามีความภักดีสูง", "th", True),
    ],
)
def test_source_terms_are_matched_as_phrases(form, text, lang, used):
    from kb.checks import _word_match

    assert _word_match(form, text, lang) is used


@pytest.mark.parametrize(
    ("form", "text", "lang", "used"),
    [
        ("fidélité client", "la fidélité des clients", "fr", True),  # rephrased, inflected
        ("Clients fidèles", "des clients fidélisés", "fr", True),  # accents vary with the ending
        ("klantloyaliteit", "de loyaliteit fan klanten", "fy", False),  # the glossary says the compound
        ("engagement affectif", "un lien affectif", "fr", False),
    ],
)
def test_translations_may_rephrase_a_term_but_must_use_its_words(form, text, lang, used):
    from kb.checks import _words_present

    assert _words_present(form, text, lang) is used


def test_a_longer_term_in_the_source_hides_the_shorter_one_inside_it():
    from kb.checks import StringPair, _Context, check_term

    glossary = {
        "loyal": {"vi": "khách hàng trung thành", "fr": "clients fidèles"},
        "potential": {"vi": "khách hàng trung thành tiềm năng", "fr": "clients potentiellement fidèles"},
    }
    pair = StringPair("fr", "x", "x.yaml", "a.body", "Des prospects prometteurs.", "vi", "Khách hàng trung thành tiềm năng.")
    messages = [message for _, message in check_term(pair, _Context(glossary, set()))]
    assert messages == [
        "the source uses the term `khách hàng trung thành tiềm năng`; use the glossary form `clients potentiellement fidèles`"
    ]


def test_wrapped_lines_are_not_paragraph_breaks(sample, capsys):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats\\nrépétés."')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert not [f for f in findings if f["code"] == "MARKUP"]
    sample.replace("translations/fr/care.yaml", '"Achats\\nrépétés."', '"Achats.\\n\\nRépétés."')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert "paragraph breaks" in only(findings, "MARKUP")["message"]


def test_the_real_content_passes_the_release_check(capsys):
    from conftest import ROOT

    assert main(["--root", str(ROOT), "check", "--strict"]) == 0, capsys.readouterr().out


def test_a_source_edit_that_makes_other_languages_stale_passes_make_check_on_a_fresh_clone(tmp_path):
    from conftest import MKDOCS, copy_project, run

    guide = copy_project(tmp_path / "guide")
    project = load_project(guide)
    source = guide / "translations" / project.default_lang / "loyalty-levels.yaml"
    text = source.read_text(encoding="utf-8")
    title = str(project.texts[project.default_lang]["loyalty-levels"]["loyal-customers"]["title"])
    source.write_text(text.replace(f"title: {title}\n", f"title: {title} (mới)\n", 1), encoding="utf-8")
    result = run(["make", "check", f"BIN={Path(MKDOCS).parent}", "-o", "setup"], guide)
    assert result.returncode == 0, result.stdout
    stale = [lang for lang in project.languages if lang != project.default_lang]
    for lang in stale:
        assert f"STALE [{lang}] loyal-customers.title" in result.stdout
    assert "kb check passed: 0 errors, " in result.stdout
    assert f", {len(stale)} missing or outdated translations (never a failure)" in result.stdout


def git(root: Path, *args: str) -> None:
    import subprocess

    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env={**__import__("os").environ, **env})


def test_text_warnings_fail_only_in_strings_changed_since_the_given_commit(sample, capsys):
    # A warning that was there before the branch: shown, not failing.
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés : souvent."')
    git(sample.root, "init", "-q")
    git(sample.root, "add", "-A")
    git(sample.root, "commit", "-qm", "base")
    code, findings, _ = check(sample, capsys, "--since", "HEAD")
    assert code == 0 and only(findings, "UNICODE")
    # The same warning in a string this branch changed fails it.
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại."')  # unchanged: no-op
    sample.replace("translations/fr/care.yaml", '"Achats répétés : souvent."', '"Achats répétés : toujours."')
    code, findings, _ = check(sample, capsys, "--since", "HEAD")
    assert code == 1
    assert main(["--root", str(sample.root), "check"]) == 0  # without a range: shown, never failing
    capsys.readouterr()
    assert main(["--root", str(sample.root), "check", "--since", "no-such-rev"]) == 2
    assert "no such git commit" in capsys.readouterr().err


def test_french_needs_a_no_break_space_before_high_punctuation(sample, capsys):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés : souvent ?"')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert "no-break space before `:`" in only(findings, "UNICODE")["message"]
    sample.replace("translations/fr/care.yaml", '"Achats répétés : souvent ?"', '"Achats répétés\u202f: souvent\u202f?"')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert findings == []


def test_a_translator_who_types_the_other_no_break_space_in_a_french_file_is_told_which_one_the_file_uses(sample, capsys):
    """One rule for `kb check` and the content tests: U+00A0 or U+202F, one kind throughout a file."""
    sample.replace("translations/fr/care.yaml", '"Écouter les clients."', '"Écouter les clients\u00a0: souvent\u00a0!"')
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés\u202f?"')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    found = only(findings, "UNICODE")
    assert (found["key"], found["line"]) == ("habits.body", 13)
    assert found["message"] == (
        "this file puts U+00A0 (no-break space) before : ; ? ! and inside « » (2 times), "
        "this text U+202F (narrow no-break space): use one kind throughout the file"
    )
    # A space missing is asked for in the kind the file uses.
    sample.replace("translations/fr/care.yaml", '"Achats répétés\u202f?"', '"Achats répétés ?"')
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert "type U+00A0 (no-break space), as the rest of this file does, instead of ` ?`" in only(findings, "UNICODE")["message"]
    # The whole file in U+202F: nothing to say.
    text = sample.read("translations/fr/care.yaml").replace("\u00a0", "\u202f").replace("répétés ?", "répétés\u202f?")
    sample.write("translations/fr/care.yaml", text)
    _, findings, _ = check(sample, capsys, "--lang", "fr")
    assert findings == []


def test_a_check_keeps_no_copy_of_every_text_once_it_has_run(sample, monkeypatch):
    """At 300 times the content, copies of every string kept by the checks' caches were 250 MB
    of a first build's memory (make bench: peak_memory_300x_mb)."""
    from kb import checks

    monkeypatch.setenv("KB_NO_CACHE", "1")
    checks.run_checks(load_project(sample.root))
    for kept in (checks._prose, checks._fold):
        assert kept.cache_info().maxsize == checks.TEXTS_KEPT
    assert checks._numbers.cache_info().currsize == 0 and checks._markup_profile.cache_info().currsize == 0
