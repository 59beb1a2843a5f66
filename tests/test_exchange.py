"""XLIFF and PO: `kb export` for a translator's tool, `kb import` back into translations/<lang>/."""

from __future__ import annotations

import subprocess

import pytest
from translate.storage import factory, po

from conftest import KB, LOCAL, require_tool, run
from kb.cli import main
from kb.project import load_project


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "translations").rglob("*")) if p.is_file()}


@pytest.fixture
def work(sample):
    """fr with one string missing, one stale (its source changed), one with a note, the rest done."""
    sample.replace("translations/fr/care.yaml", '  example: "Un questionnaire."\n', "")
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."')
    sample.replace(
        "translations/vi/care.yaml",
        'listening:\n  title: "Lắng nghe"',
        'listening:\n  # Lắng nghe: the title of a skill\n  title: "Lắng nghe"',
    )
    return sample


def export(sample, fmt: str, *extra: str):
    out = sample.root / f"fr.{'po' if fmt == 'po' else 'xlf'}"
    assert main(["--root", str(sample.root), "export", "fr", "--format", fmt, "-o", str(out), *extra]) == 0
    return out


def test_the_po_export_is_valid_gettext_with_states_contexts_and_notes(work):
    require_tool("msgfmt")
    out = export(work, "po")
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    store = po.pofile(out.read_bytes())
    assert store.parseheader()["Language"] == "fr"
    units = {u.getcontext(): u for u in store.units if not u.isheader()}
    missing, stale, done = units["care:surveys.example"], units["care:habits.body"], units["care:surveys.title"]
    assert missing.source == "Một bảng hỏi." and missing.target == "" and not missing.isfuzzy()
    assert stale.source == "Mua hàng lặp đi lặp lại." and stale.target == "Achats répétés." and stale.isfuzzy()
    assert stale.prev_source == "Mua lặp lại."  # the source it was translated from
    assert done.target == "Enquêtes" and done.istranslated()
    assert "Lắng nghe: the title of a skill" in units["care:listening.title"].getnotes("developer")


def test_the_xliff_export_has_one_file_per_translation_file_and_xliff_states(work):
    out = export(work, "xliff")
    store = factory.getobject(str(out))
    text = out.read_text(encoding="utf-8")
    assert 'xmlns="urn:oasis:names:tc:xliff:document:1.2"' in text
    assert 'original="translations/fr/care.yaml"' in text and 'target-language="fr"' in text
    units = {u.xmlelement.get("id"): u for u in store.units}
    state = lambda key: units[key].xmlelement.find(units[key].namespaced("target")).get("state")  # noqa: E731
    assert state("care:surveys.example") == "needs-translation"
    assert state("care:habits.body") == "needs-review-translation"
    assert state("care:surveys.title") == "translated"
    assert units["care:habits.body"].getalttrans()[0].source == "Mua lặp lại."


def test_only_missing_or_stale_strings_can_be_exported(work):
    contexts = lambda out: sorted(u.getcontext() for u in po.pofile(out.read_bytes()).units if not u.isheader())  # noqa: E731
    assert contexts(export(work, "po", "--only", "missing")) == ["care:surveys.example"]
    assert contexts(export(work, "po", "--only", "missing,stale")) == ["care:habits.body", "care:surveys.example"]


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_a_round_trip_without_edits_changes_no_byte(work, fmt, capsys):
    out = export(work, fmt)
    before = snapshot(work.root)
    assert main(["--root", str(work.root), "import", str(out)]) == 0
    assert "kb import: nothing changed" in capsys.readouterr().out
    assert snapshot(work.root) == before


def test_translations_edited_in_a_tool_come_back_into_the_yaml_and_build(work, tmp_path, capsys):
    work.write("translations/fr/care.yaml", "# Le service client, en français.\n" + work.read("translations/fr/care.yaml"))
    out = export(work, "po")
    store = po.pofile(out.read_bytes())
    long = " ".join(["Interroger les clients sur ce qu’ils attendent, et sur ce qui leur manque encore."] * 3)
    for unit in store.units:
        if unit.getcontext() == "care:surveys.example":
            unit.target = "Un questionnaire en ligne."  # a missing string, translated
        elif unit.getcontext() == "care:habits.body":
            unit.target = "Des achats répétés."  # a stale one, updated and marked done
            unit.markfuzzy(False)
        elif unit.getcontext() == "care:surveys.body":
            unit.target = long + "\n" + long  # two paragraphs
    out.write_bytes(bytes(store))
    assert main(["--root", str(work.root), "import", str(out)]) == 0
    assert "translations/fr/care.yaml: 3 strings written" in capsys.readouterr().out
    text = work.read("translations/fr/care.yaml")
    assert text.startswith("# Le service client, en français.\n")  # comments, order, quoting kept
    assert '  title: "Enquêtes"\n' in text and "  example: Un questionnaire en ligne.\n" in text
    assert "  body: >-\n    Interroger les clients" in text and max(map(len, text.splitlines())) <= 100
    project = load_project(work.root)
    assert str(project.texts["fr"]["care"]["surveys"]["body"]) == long + "\n" + long
    capsys.readouterr()
    assert main(["--root", str(work.root), "check", "--lang", "fr"]) == 0
    report = capsys.readouterr().out
    assert "STALE" not in report and "MISSING" not in report  # the translator marked them done: confirmed
    result = run([KB, "--root", work.root, "build", "--site-dir", tmp_path / "site"], work.root, LOCAL)
    assert result.returncode == 0, result.stderr
    assert "Un questionnaire en ligne." in (tmp_path / "site/fr/care/index.html").read_text(encoding="utf-8")


def test_an_import_keeps_a_crlf_file_crlf(work, capsys):
    path = work.root / "translations/fr/care.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    out = export(work, "po")
    store = po.pofile(out.read_bytes())
    next(u for u in store.units if u.getcontext() == "care:surveys.title").target = "Sondages"
    out.write_bytes(bytes(store))
    assert main(["--root", str(work.root), "import", str(out)]) == 0
    data = path.read_bytes()
    assert b"title: Sondages\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_an_import_with_an_error_writes_nothing_and_says_where(work, capsys):
    out = export(work, "po")
    store = po.pofile(out.read_bytes())
    next(u for u in store.units if u.getcontext() == "care:surveys.title").target = "<script>alert(1)</script>"
    out.write_bytes(bytes(store))
    before = snapshot(work.root)
    assert main(["--root", str(work.root), "import", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "MARKUP" in printed and "surveys.title" in printed and "nothing was written" in printed
    assert snapshot(work.root) == before


def test_an_import_for_another_guide_or_language_is_refused(work, capsys):
    out = export(work, "po")
    store = po.pofile(out.read_bytes())
    store.units[1].setcontext("care:no-such.title")
    out.write_bytes(bytes(store))
    assert main(["--root", str(work.root), "import", str(out)]) == 1
    assert "name no string of this guide (first: care:no-such.title)" in capsys.readouterr().out
    german = export(work, "po")
    german.write_bytes(german.read_bytes().replace(b'"Language: fr\\n"', b'"Language: de\\n"'))
    assert main(["--root", str(work.root), "import", str(german)]) == 1
    assert "fr.po:13:1: the header says `Language: de`, but the import is for fr; nothing was written" in capsys.readouterr().out
