"""A translator who breaks a YAML file sees file:line:col, a code and the fix, never a traceback."""

from __future__ import annotations

import pytest

from conftest import KB, run
from kb.project import load_project


def findings(sample, code=None):
    return [f for f in load_project(sample.root).findings if code is None or f.code == code]


def only(sample, code):
    found = findings(sample, code)
    assert len(found) == 1, [f.format() for f in findings(sample)]
    return found[0]


def test_the_sample_project_is_clean(sample):
    assert findings(sample) == []


def test_a_malformed_file_points_at_the_unclosed_quote(sample):
    sample.replace("translations/fr/care.yaml", '"Écouter"', '"Écouter')
    f = only(sample, "SYNTAX")
    assert (f.file, f.line, f.column) == ("translations/fr/care.yaml", 5, 10)
    assert "never closed" in f.message


def test_a_tab_is_reported_on_its_own_line(sample):
    sample.replace("translations/fr/care.yaml", '  body: "Écouter les', '\tbody: "Écouter les')
    f = only(sample, "SYNTAX")
    assert (f.line, f.column) == (6, 1)
    assert "tab" in f.message


def test_an_unquoted_colon_in_french_text_says_to_quote_it(sample):
    sample.replace("translations/fr/care.yaml", '"Introduction."', "Introduction : le service")
    f = only(sample, "SYNTAX")
    assert f.line == 3
    assert "double quotes" in f.message


def test_a_duplicate_key_points_at_the_second_one(sample):
    sample.replace("translations/fr/care.yaml", '  body: "Introduction."', '  body: "Introduction."\n  title: "Encore"')
    f = only(sample, "DUPLICATE-KEY")
    assert (f.file, f.line, f.column) == ("translations/fr/care.yaml", 4, 3)
    assert "line 2" in f.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("no", "boolean"), ("1:30", "minutes"), ("2021-09-24", "date"), ("42", "number"), ("", "nothing"), ("[a, b]", "list")],
)
def test_a_non_string_where_text_is_expected_is_a_type_error(sample, value, expected):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', value)
    f = only(sample, "TYPE")
    assert (f.file, f.key) == ("translations/fr/care.yaml", "habits.title")
    assert f.line == 12
    assert expected in f.message


def test_an_id_that_content_does_not_define_is_an_orphan_with_a_suggestion(sample):
    sample.replace("translations/fr/care.yaml", "surveys:", "survey:")
    f = only(sample, "ORPHAN")
    assert (f.line, f.column, f.key) == (7, 1, "survey")
    assert "did you mean `surveys`?" in f.message


def test_a_missing_required_field_in_content_is_named(sample):
    sample.replace("content/care.yaml", "source_lang: vi\n", "")
    f = only(sample, "SCHEMA")
    assert (f.file, f.line) == ("content/care.yaml", 1)
    assert "`source_lang`" in f.message


def test_an_unknown_field_in_content_suggests_the_right_one(sample):
    sample.replace("content/care.yaml", "see_also:", "see_als:")
    f = only(sample, "SCHEMA")
    assert "did you mean `see_also`?" in f.message


def test_a_bad_id_shows_a_kebab_case_example(sample):
    sample.replace("content/care.yaml", "id: habits", "id: Thói Quen")
    f = [f for f in findings(sample) if f.code == "ID"][0]
    assert (f.file, f.line, f.column) == ("content/care.yaml", 10, 13)
    assert "`thoi-quen`" in f.message


def test_a_dangling_relation_is_reported(sample):
    sample.replace("content/care.yaml", "see_also: [habits]", "see_also: [habit]")
    f = only(sample, "RELATION")
    assert "did you mean `habits`?" in f.message


def test_a_custom_tag_is_refused_and_never_built(sample, tmp_path):
    marker = tmp_path / "pwned"
    sample.replace("translations/fr/care.yaml", '"Habitudes"', f"!!python/object/apply:os.system ['touch {marker}']")
    f = only(sample, "TYPE")
    assert "not allowed" in f.message
    assert not marker.exists()


def test_a_missing_string_is_a_warning_not_an_error(sample):
    sample.replace("translations/fr/care.yaml", '  title: "Habitudes"\n', "")
    f = only(sample, "MISSING")
    assert (f.severity, f.key, f.lang) == ("warning", "habits.title", "fr")


def test_kb_check_prints_each_finding_and_exits_1_without_a_traceback(sample):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', "no")
    result = run([KB, "check"], sample.root / "content")
    assert result.returncode == 1
    assert "translations/fr/care.yaml:12:10: ERROR TYPE [fr] habits.title: expected text" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_kb_finds_the_root_from_a_subfolder_or_takes_root(sample, tmp_path):
    assert run([KB, "check"], sample.root / "translations" / "fr").returncode == 0
    assert run([KB, "--root", sample.root, "check"], tmp_path).returncode == 0
    outside = run([KB, "check"], tmp_path)
    assert outside.returncode == 2
    assert "mkdocs.yml" in outside.stderr


def test_a_string_keeps_its_position_without_a_dictionary_of_its_own(tmp_path):
    """Most of a loaded project is its strings: each one's line and column are in slots (a
    dictionary each was 300 bytes more than most strings)."""
    import sys

    from kb.load import Str

    text = Str("Khách hàng")
    text.line, text.column = 3, 9
    assert not hasattr(text, "__dict__") and (text.line, text.column) == (3, 9)
    assert sys.getsizeof(text) < sys.getsizeof("Khách hàng") + 40
