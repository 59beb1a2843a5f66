"""A translation vendor loads the guide's glossary into a termbase: `kb export-glossary` writes TBX
(TBX-Basic, valid against its schema) or CSV, every language's term and definition side by side."""

from __future__ import annotations

import csv
import io

import pytest
from lxml import etree

from conftest import KB, ROOT, run
from kb.checks import glossary_forms
from kb.project import load_project, read_languages

SCHEMA = ROOT / "tests" / "data" / "tbx-basic.rng"
TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def guide():
    project = load_project(ROOT)
    return project, glossary_forms(project)


def export(tmp_path, lang: str, fmt: str) -> bytes:
    out = tmp_path / f"glossary.{fmt}"
    result = run([KB, "export-glossary", lang, "--format", fmt, "-o", out], ROOT)
    assert result.returncode == 0, result.stderr
    assert f"{len(glossary_forms(load_project(ROOT)))} terms" in result.stdout
    return out.read_bytes()


def test_a_vendor_gets_a_tbx_termbase_valid_against_tbx_basic_with_every_languages_terms(tmp_path, guide):
    project, forms = guide
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    for lang in project.languages:
        tree = etree.fromstring(export(tmp_path, lang, "tbx"))
        assert schema.validate(tree), schema.error_log
        assert tree.get(XML_LANG) == lang
        entries = tree.findall(f".//{TBX}conceptEntry")
        assert [e.get("id") for e in entries] == list(forms)
        for entry in entries:
            sections = entry.findall(f"{TBX}langSec")
            assert [s.get(XML_LANG) for s in sections][-1] == lang  # the target language last
            by_lang = {s.get(XML_LANG): s.findtext(f".//{TBX}term") for s in sections}
            assert by_lang == {code: " ".join(text.split()) for code, text in forms[entry.get("id")].items()}
            assert all(s.findtext(f"{TBX}descrip[@type='definition']") for s in sections)  # the guide defines every term


def test_the_schema_the_tbx_is_checked_against_refuses_what_tbx_basic_does_not_allow(tmp_path, guide):
    """The schema is no rubber stamp: a data category TBX-Basic does not have makes the file invalid."""
    project, _ = guide
    data = export(tmp_path, project.languages[-1], "tbx").replace(b'type="definition"', b'type="slogan"', 1)
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert not schema.validate(etree.fromstring(data))


def test_a_vendor_gets_a_csv_with_a_column_per_language_and_the_target_last(tmp_path, guide):
    project, forms = guide
    lang = project.languages[1]
    data = export(tmp_path, lang, "csv")
    assert data.startswith("\ufeff".encode())  # a spreadsheet opens it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    others = [code for code in project.languages if code != lang]
    assert rows[0] == ["id"] + [f"{kind} ({code})" for code in [*others, lang] for kind in ("term", "definition")]
    assert [row[0] for row in rows[1:]] == list(forms)
    target = rows[0].index(f"term ({lang})")
    assert all(row[target] == " ".join(forms[row[0]][lang].split()) for row in rows[1:])


def test_a_language_the_guide_does_not_have_is_refused_in_one_line(tmp_path):
    languages, _ = read_languages(ROOT)
    result = run([KB, "export-glossary", "xx", "-o", tmp_path / "x.tbx"], ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.tbx").exists()
    assert all(code in result.stderr for code in languages)
