"""A new language: `kb add-language` does everything, and a language no one has translated yet
never turns a build or a check red."""

from __future__ import annotations

import json
import re

import pytest

from conftest import KB, LOCAL, run
from kb.cli import main
from kb.load import load_yaml
from kb.project import load_project, read_languages

pytestmark = pytest.mark.build


def test_kb_add_language_adds_a_fifth_language_that_builds_and_checks(sample, tmp_path, capsys):
    languages, default = read_languages(sample.root)
    # The source language's notice names the reader's language, whichever it is.
    sample.replace(f"translations/{default}/site.yaml", "Phần này chưa được dịch.", "Phần này chưa được dịch sang {language}.")
    assert main(["--root", str(sample.root), "add-language", "de", "Deutsch"]) == 0
    out = capsys.readouterr().out
    assert "kb add-language: de (Deutsch) added. Next:" in out and "make serve LANG=de" in out
    assert read_languages(sample.root) == ([*languages, "de"], default)
    assert re.search(r"- id: languages\n\s+text: \[.*, de\]", sample.read("content/site.yaml"))
    texts, findings = load_yaml(sample.root / "translations/de/site.yaml", "site.yaml")
    assert findings == [] and texts["languages"]["de"] == "Deutsch"
    assert "!todo" in sample.read("translations/de/care.yaml")
    schema = json.loads(sample.read("schemas/translations/site.schema.json"))
    assert "de" in schema["properties"]["languages"]["properties"]
    assert sample.read("translations/de/care.yaml").startswith("# yaml-language-server: $schema=")

    # Nothing is translated yet: every string is missing, and that fails nothing.
    assert main(["--root", str(sample.root), "check"]) == 0
    assert main(["--root", str(sample.root), "check", "--strict"]) == 0
    project = load_project(sample.root)
    assert not project.errors
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)
    assert result.returncode == 0, result.stderr
    page = (site / "de" / "care" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page
    assert f'<p class="kb-notice kb-untranslated" lang="{default}">Phần này chưa được dịch sang Deutsch.</p>' in page
    assert (site / "de" / "404.html").is_file()
    status = (site / "de" / "status" / "index.html").read_text(encoding="utf-8")
    assert ">Deutsch<" in status  # its own name, before anyone translates it into the others
    # Every needs-work link of the status page leads to an element that exists.
    links = re.findall(r'href="\.\./\.\./([^"#]*)#([^"]+)" hreflang="de"', status)
    assert any(page.startswith("de/glossary/") for page, _ in links), links
    for href in links:
        target = (site / href[0] / "index.html").read_text(encoding="utf-8")
        assert f'id="{href[1]}"' in target, href


def test_kb_add_language_refuses_what_it_cannot_add_and_changes_nothing(sample, capsys):
    before = {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()}
    for code, name, message in (
        ("DE", "Deutsch", "is not a language code"),
        ("fr", "Français", "is already one of the languages"),
        ("de", " ", "give the language's name"),
    ):
        assert main(["--root", str(sample.root), "add-language", code, name]) == 2
        assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()} == before


def test_a_language_material_has_no_interface_for_gets_a_partial_to_translate(sample, capsys):
    assert main(["--root", str(sample.root), "add-language", "nds", "Plattdüütsch"]) == 0
    partial = sample.read("overrides/partials/languages/nds.html")
    assert partial.startswith("{#- Plattdüütsch (nds) interface strings: Material ships none.")
    assert '"language": "nds"' in partial and '"search.placeholder"' in partial
    assert "overrides/partials/languages/nds.html" in capsys.readouterr().out
