"""A vendor's PO or XLIFF file (issue 34): an unreviewed text is kept as a `!draft` that readers never
see, a translation made from an older source stays STALE with what changed, a file for another
language writes nothing, and the import says what `kb check` would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from translate.storage import po as tt_po

from conftest import copy_project, require_tool
from kb.checks import run_checks
from kb.cli import main
from kb.load import Draft, Str, load_yaml
from kb.project import load_project, read_languages
from kb.render import PageRenderer
from test_import_safety import entry, import_file, po, refused, snapshot, unit, xliff

BIN = Path(sys.executable).parent  # translate-toolkit's converters, installed with it


def languages(sample) -> tuple[str, str]:
    """(the language translated into, the source language): the sample's, from its mkdocs.yml."""
    codes, default = read_languages(sample.root)
    return next(c for c in codes if c != default), default


def value(sample, lang: str, uid: str, field: str):
    data, _ = load_yaml(sample.root / f"translations/{lang}/care.yaml", "care")
    return data[uid][field]


def page(sample, lang: str, name: str) -> str:
    project = load_project(sample.root)
    return PageRenderer(project, lang, run_checks(project)).render(name)


def kb(sample, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(sample.root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


DRAFT = "Sondages à relire"


def untranslated(sample, lang: str, uid: str = "surveys", field: str = "title") -> None:
    """The string has no translation in `lang` yet (its line removed: `kb check` says MISSING)."""
    path = sample.root / f"translations/{lang}/care.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[value(sample, lang, uid, field).line - 1]
    path.write_text("".join(lines), encoding="utf-8")


def test_a_vendors_fuzzy_entry_is_a_draft_readers_never_see_until_a_reviewer_confirms_it(sample, capsys):
    lang, source = languages(sample)
    untranslated(sample, lang)
    fuzzy = "#, fuzzy\n" + entry("care:surveys.title", "Khảo sát", DRAFT)
    code, out = import_file(sample, capsys, f"{lang}.po", po(fuzzy, lang=lang))
    assert code == 0 and "1 string written as `!draft`" in out and "0 recorded as confirmed" in out, out
    assert isinstance(value(sample, lang, "surveys", "title"), Draft)
    # Not on the page: the source, with its notice, as for a missing string.
    care = page(sample, lang, "care")
    surveys = care[care.index("{#surveys") - 80 :]
    assert DRAFT not in care and "Khảo sát" in surveys and "kb-untranslated" in surveys
    # Its own count on the status page and in `kb status`; never a failure of `kb check`.
    sample.replace("content/site.yaml", "missing, needs-work", "missing, draft, needs-work")
    sample.replace(f"translations/{source}/site.yaml", '  missing: "Còn thiếu"\n', '  missing: "Còn thiếu"\n  draft: "Bản nháp"\n')
    status = page(sample, source, "status")
    assert '<progress class="kb-draft" value="1" max="9"></progress> 1/9' in status and "(Bản nháp)" in status
    code, out = kb(sample, capsys, "status", lang)
    assert code == 0 and "care" in out and out.splitlines()[2].split()[-1] == "1", out
    code, out = kb(sample, capsys, "check", "--lang", lang)
    assert code == 0 and "DRAFT" in out and "surveys.title" in out
    # Out again as fuzzy, with its text; back without edits: no byte changes.
    exported = sample.root / "again.po"
    assert kb(sample, capsys, "export", lang, "--format", "po", "-o", str(exported))[0] == 0
    units = {u.getcontext(): u for u in tt_po.pofile(exported.read_bytes()).units}
    assert units["care:surveys.title"].isfuzzy() and units["care:surveys.title"].target == DRAFT
    before = snapshot(sample.root)
    assert kb(sample, capsys, "import", str(exported), "--lang", lang)[0] == 0 and snapshot(sample.root) == before
    # A bare confirm leaves it a draft; named, it becomes final and is shown.
    code, out = kb(sample, capsys, "confirm", lang)
    assert "1 " + lang + " draft left as drafts" in out and isinstance(value(sample, lang, "surveys", "title"), Draft)
    code, out = kb(sample, capsys, "confirm", lang, "surveys.title")
    assert code == 0 and "1 draft made final" in out
    final = value(sample, lang, "surveys", "title")
    assert type(final) is Str and final == DRAFT and DRAFT in page(sample, lang, "care")
    assert "STALE" not in kb(sample, capsys, "check", "--lang", lang)[1]


@pytest.mark.parametrize("state", ["new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation"])
def test_an_xliff_target_that_is_not_finished_comes_in_as_a_draft(sample, capsys, state):
    lang, _ = languages(sample)
    untranslated(sample, lang)
    file = xliff(unit("care:surveys.title", "Khảo sát", DRAFT, state), lang=lang, original=f"translations/{lang}/care.yaml")
    code, out = import_file(sample, capsys, f"{lang}.xlf", file)
    assert code == 0 and "0 recorded as confirmed" in out, out
    assert isinstance(value(sample, lang, "surveys", "title"), Draft) and DRAFT not in page(sample, lang, "care")


@pytest.mark.parametrize("fmt", ["po", "xlf"])
def test_a_vendors_draft_never_takes_the_place_of_a_final_translation(sample, capsys, fmt):
    """Readers keep the reviewed text; the import says which units it left out and why."""
    lang, _ = languages(sample)
    final = str(value(sample, lang, "surveys", "title"))
    if fmt == "po":
        file = po("#, fuzzy\n" + entry("care:surveys.title", "Khảo sát", DRAFT), lang=lang)
    else:
        file = xliff(
            unit("care:surveys.title", "Khảo sát", DRAFT, "needs-review-translation"), lang=lang, original=f"translations/{lang}/care.yaml"
        )
    before = snapshot(sample.root)
    code, out = import_file(sample, capsys, f"{lang}.{fmt}", file)
    assert code == 0 and "care:surveys.title: fuzzy (not reviewed), and the string has a final translation: left as it is" in out, out
    assert snapshot(sample.root) == before and str(value(sample, lang, "surveys", "title")) == final


def test_an_approved_xliff_unit_is_final_whatever_its_state(sample, capsys):
    lang, _ = languages(sample)
    approved = unit("care:surveys.title", "Khảo sát", "Sondages", "needs-review-translation").replace(
        "<trans-unit ", '<trans-unit approved="yes" '
    )
    code, out = import_file(sample, capsys, f"{lang}.xlf", xliff(approved, lang=lang, original=f"translations/{lang}/care.yaml"))
    assert code == 0 and "1 string written" in out and "draft" not in out and type(value(sample, lang, "surveys", "title")) is Str


@pytest.mark.parametrize("fmt", ["po", "xliff-final"])
def test_a_translation_of_an_older_source_stays_stale_and_the_import_shows_what_changed(sample, capsys, fmt):
    lang, source = languages(sample)
    out = sample.root / f"{lang}.{'po' if fmt == 'po' else 'xlf'}"
    assert kb(sample, capsys, "export", lang, "--format", fmt.split("-")[0], "-o", str(out))[0] == 0
    if fmt == "xliff-final":
        out.write_text(out.read_text(encoding="utf-8").replace('state="translated"', 'state="final"'), encoding="utf-8")
    sample.replace(f"translations/{source}/care.yaml", '"Khảo sát"', '"Khảo sát khách hàng"')
    code, printed = kb(sample, capsys, "import", str(out))
    assert code == 0 and "1 string was not recorded as confirmed" in printed, printed
    assert "care:surveys.title: translated from a source text that is not today's; it stays STALE" in printed
    assert "(the source since: Khảo sát {+khách hàng+})" in printed
    assert "surveys.title" in kb(sample, capsys, "check", "--lang", lang)[1].split("STALE", 1)[1]


def test_a_file_whose_header_is_another_language_than_the_command_writes_nothing(sample, capsys):
    lang, source = languages(sample)
    file = xliff(unit("care:surveys.title", "Khảo sát", "Sondages"), lang=source, original=f"translations/{lang}/care.yaml")
    line = refused(sample, capsys, "vendor.xlf", file, "--lang", lang)
    assert f'<file target-language="{source}">, but the import is for {lang}' in line
    code, out = import_file(sample, capsys, "vendor.xlf", file)
    assert code == 2 and "--lang" in out


def test_a_file_in_another_language_than_its_target_warns_and_strict_writes_nothing(tmp_path, capsys):
    from kb.exchange.language_guess import stopwords

    guide = copy_project(tmp_path / "guide")
    codes, default = read_languages(guide)
    listed = [c for c in codes if c != default and c in stopwords()]
    sources = {cf.source_lang for cf in load_project(guide).content.files.values()}
    target = next((c for c in listed if c not in sources), None)  # a language no import is refused for
    assert len(listed) >= 2 and target is not None, "the guide has two translated languages with a stop-word list"
    written = next(c for c in listed if c != target)  # the case: a French file whose header says Frisian
    out = tmp_path / f"{target}.po"
    assert main(["--root", str(guide), "export", written, "--format", "po", "-o", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace(f"Language: {written}\\n", f"Language: {target}\\n"), encoding="utf-8")
    capsys.readouterr()
    before = snapshot(guide)
    code = main(["--root", str(guide), "import", str(out), "--strict"])
    printed = capsys.readouterr().out
    assert code == 1 and f"kb import: warning: {target}.po reads as {written}, not {target}" in printed, printed
    assert printed.strip().endswith("nothing was written") and snapshot(guide) == before


def test_an_import_prints_the_warnings_kb_check_would_and_strict_writes_nothing(sample, capsys):
    lang, _ = languages(sample)
    glued = po(entry("care:habits.body", "Mua lặp lại.", "Achats répétés.Souvent"), lang=lang)  # UNICODE: a glued sentence
    before = snapshot(sample.root)
    code, out = import_file(sample, capsys, f"{lang}.po", glued, "--strict")
    assert code == 1 and "UNICODE" in out and "nothing was written" in out and snapshot(sample.root) == before, out
    code, out = import_file(sample, capsys, f"{lang}.po", glued)
    assert code == 0 and "UNICODE" in out and f"translations/{lang}/care.yaml" in out and "CI fails on those" in out, out


def test_translate_toolkits_xliff2po_then_po2xliff_of_an_export_imports(sample, capsys, tmp_path):
    for tool in ("xliff2po", "po2xliff", "pocount"):
        require_tool(str(BIN / tool))
    lang, _ = languages(sample)
    sample.replace(f"translations/{lang}/care.yaml", '"Enquêtes"', '!draft "Enquêtes ?"')
    exported = tmp_path / "out.xlf"
    assert kb(sample, capsys, "export", lang, "-o", str(exported))[0] == 0
    count = subprocess.run([BIN / "pocount", "--csv", exported], capture_output=True, text=True, check=True).stdout
    assert count.splitlines()[1].split(",")[4].strip() == "1", count  # one fuzzy (the draft), not every unit
    subprocess.run([BIN / "xliff2po", exported, tmp_path / "via.po"], check=True, capture_output=True)
    edited = (tmp_path / "via.po").read_text(encoding="utf-8").replace('msgstr "Achats répétés."', 'msgstr "Des achats répétés."')
    (tmp_path / "via.po").write_text(edited, encoding="utf-8")
    subprocess.run([BIN / "po2xliff", tmp_path / "via.po", tmp_path / "back.xlf"], check=True, capture_output=True)
    code, out = kb(sample, capsys, "import", str(tmp_path / "back.xlf"), "--lang", lang)
    assert code == 0 and "1 string written" in out and "draft" not in out and "STALE" not in out, out
    assert value(sample, lang, "habits", "body") == "Des achats répétés."
    assert isinstance(value(sample, lang, "surveys", "title"), Draft)  # still a draft: fuzzy all the way


def test_our_po_stays_clean_for_msgfmt_with_drafts_in_it(sample, capsys, tmp_path):
    require_tool("msgfmt")
    lang, _ = languages(sample)
    sample.replace(f"translations/{lang}/care.yaml", '"Enquêtes"', '!draft "Enquêtes ?"')
    out = tmp_path / f"{lang}.po"
    assert kb(sample, capsys, "export", lang, "--format", "po", "-o", str(out))[0] == 0
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_a_language_with_a_draft_is_rebuilt_when_the_text_it_falls_back_to_changes(sample):
    from kb.site.parallel import to_rebuild

    lang, source = languages(sample)
    sample.replace(f"translations/{lang}/care.yaml", '"Enquêtes"', '!draft "Enquêtes ?"')
    project = load_project(sample.root)
    assert to_rebuild(project, run_checks(project), [source, lang], {source}) == [source, lang]


def test_each_unit_tells_the_translator_where_it_is_what_it_is_and_which_terms_it_uses(tmp_path):
    """A vendor's translator sees, per unit: the page address (as trainers give it), what the
    string is, its source language, the glossary terms its source uses with this language's form,
    a `#:` reference to the source line, and `python-brace-format` where the site fills a placeholder."""
    from conftest import KB, ROOT, run
    from kb.checks import glossary_forms, placeholders

    require_tool("msgfmt")
    languages, default = read_languages(ROOT)
    lang = languages[-1]
    out = tmp_path / f"{lang}.po"
    assert run([KB, "export", lang, "--format", "po", "-o", out], ROOT).returncode == 0
    store = tt_po.pofile(out.read_bytes())
    forms = glossary_forms(load_project(ROOT))
    with_terms = 0
    for u in store.units[1:]:
        notes = u.getnotes("developer").splitlines()
        name, key = u.getcontext().split(":", 1)
        assert any(n.startswith(("Page: ", "Interface: ")) for n in notes), notes
        assert any(n.startswith("String: ") and "source language: " in n for n in notes), notes
        (where,) = u.getlocations()
        path, line = where.rsplit(":", 1)
        uid, field = key.split(".", 1)
        source_file = (ROOT / path).read_text(encoding="utf-8").splitlines()
        assert f"{field}:" in source_file[int(line) - 1] or f"{uid}:" in "".join(source_file[: int(line)]), (where, key)
        if page := next((n for n in notes if n.startswith("Page: ")), None):
            assert page.split()[1].endswith(f"{name}/" if uid == name else f"{name}/#{uid}"), page
        glossary = [n for n in notes if n.startswith("Glossary: ")]
        with_terms += bool(glossary)
        for pair in glossary[0].removeprefix("Glossary: ").split("; ") if glossary else []:
            assert pair.split(" = ")[1] in {f[lang] for f in forms.values() if lang in f}, pair
        assert ("python-brace-format" in u.typecomments[0] if u.typecomments else False) == bool(placeholders(u.source)), key
    assert with_terms > 20
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # A translated placeholder is caught by gettext's own check too, as Poedit and Weblate run it.
    for u in store.units:
        if placeholders(u.source):
            u.target = u.target.replace("{language}", "{langue}")
    out.write_bytes(bytes(store))
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert check.returncode != 0 and "format specification for argument 'language'" in check.stderr, check.stderr


def _changed_values(before: dict, after: dict) -> list[str]:
    """The lines that differ between two snapshots, file by file (what `git diff` would show)."""
    import difflib

    changed = []
    for rel in sorted(before.keys() | after.keys()):
        old, new = before.get(rel, b"").decode().splitlines(), after.get(rel, b"").decode().splitlines()
        changed += [
            f"{rel}: {line}"
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
    return changed


def test_a_file_saved_by_poedit_imports_with_no_surprises(tmp_path, capsys):
    """Held out: Poedit rewrites the file its own way (msgcat --no-wrap --sort-output, its own
    header); one edited translation comes back as that one value, nothing else."""
    require_tool("msgcat")
    root = copy_project(tmp_path / "guide")
    languages, _ = read_languages(root)
    lang = languages[-1]
    exported, saved = tmp_path / "export.po", tmp_path / f"{lang}.po"
    assert main(["--root", str(root), "export", lang, "--format", "po", "-o", str(exported)]) == 0
    subprocess.run(["msgcat", "--no-wrap", "--sort-output", "-o", str(saved), str(exported)], check=True)
    store = tt_po.pofile(saved.read_bytes())
    store.updateheader(
        add=True, X_Generator="Poedit 3.4.2", Last_Translator="A Translator <t@example.org>", Plural_Forms="nplurals=1; plural=0;"
    )
    edited = next(u for u in store.units[1:] if u.getcontext().endswith(".title") and u.target and not u.isfuzzy())
    edited.target = edited.target + " (2)"
    saved.write_bytes(bytes(store))
    before = snapshot(root)
    capsys.readouterr()
    assert main(["--root", str(root), "import", str(saved)]) == 0, capsys.readouterr().out
    changes = _changed_values(before, snapshot(root))
    name, key = edited.getcontext().split(":", 1)
    assert len([c for c in changes if c.startswith(f"translations/{lang}/{name}.yaml: -")]) == 1, changes
    assert [c for c in changes if c.startswith(f"translations/{lang}/{name}.yaml: +")] == [
        c for c in changes if c.startswith(f"translations/{lang}/{name}.yaml: +") and edited.target in c
    ], changes
    assert all(c.startswith((f"translations/{lang}/{name}.yaml", f"translations/.confirmed/{lang}.yaml")) for c in changes), changes


def test_a_weblate_style_xliff_imports_with_no_surprises(tmp_path, capsys):
    """Held out: Weblate writes a translated unit without `state` (approved="yes" where approved)
    and keeps `xml:space`: every unit reads as finished, and nothing changes."""
    root = copy_project(tmp_path / "guide")
    languages, _ = read_languages(root)
    lang = languages[-1]
    out = tmp_path / f"{lang}.xlf"
    assert main(["--root", str(root), "export", lang, "--format", "xliff", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8").replace(' state="translated"', "")
    out.write_text(text, encoding="utf-8")
    before = snapshot(root)
    capsys.readouterr()
    assert main(["--root", str(root), "import", str(out)]) == 0
    result = capsys.readouterr().out
    assert snapshot(root) == before and "draft" not in result, result
