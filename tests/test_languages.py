"""A new language: `kb add-language` does everything, and a language no one has translated yet
never turns a build or a check red."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import KB, LOCAL, ROOT, run
from kb.cli import main
from kb.load import load_yaml
from kb.project import load_project, read_languages

pytestmark = pytest.mark.build


def test_kb_add_language_adds_a_fifth_language_that_builds_and_checks(sample, tmp_path, capsys):
    languages, default = read_languages(sample.root)
    # The source language's notice names the reader's language, whichever it is.
    sample.replace(f"translations/{default}/site.yaml", "Phần này chưa được dịch.", "Phần này chưa được dịch sang {language}.")
    for lang in languages[1:]:  # a placeholder of the source is in every translation (PLACEHOLDER)
        text = sample.read(f"translations/{lang}/site.yaml")
        sample.write(f"translations/{lang}/site.yaml", re.sub(r'(untranslated: ".*?)\.?"', r'\1 ({language})."', text, count=1))
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
        ("DE", "Deutsch", "use lowercase `de`"),
        ("zh-Hant", "中文", "use lowercase `zh-hant`"),  # mkdocs-static-i18n builds it (the next test)
        ("vi-VN", "Tiếng Việt", "a region cannot be part of a code here"),  # neither vi-VN (an id) nor vi-vn (the build) works
        ("pt-br", "Português", "use the language alone (`pt`)"),
        ("nds", "Plattdüütsch", "not a language code mkdocs-static-i18n builds"),  # the build stopped on it
        ("fr", "Français", "is already one of the languages"),
        ("de", " ", "give the language's name"),
    ):
        assert main(["--root", str(sample.root), "add-language", code, name]) == 2
        assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()} == before


# Names an attacker types, and what the refusal quotes: `kb add-language` wrote them into a
# template (H1: code run by the next build) and into mkdocs.yml (H3: printed raw on every page).
HOSTILE_NAMES = [
    ('Kiswahili #}{{ cycler.__init__.__globals__.os.popen("id > pwned.txt").read() }}{#', "`#`"),
    ("Deutsch <!--><img src=x onerror=alert(document.domain)>-->", "`<`"),
    ("<img src=x onerror=alert(1)>", "`<`"),
    ("{{ 7 * 7 }}", "`{`"),
    ("Deutsch &amp;", "`&`"),
    ('Gaeilge" onmouseover="alert(2)" x="', '`"`'),
    ("Deutsch `x`", "`` ` ``"),
    ("Deu\ntsch", "U+000A"),
    ("Deu\u202etsch", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Deu\u3164tsch", "U+3164 HANGUL FILLER"),
    ("D" * 61, "61 characters"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE_NAMES, ids=[shown for _, shown in HOSTILE_NAMES])
def test_an_attacker_who_types_markup_or_template_code_as_a_language_name_is_refused_and_nothing_is_written(sample, capsys, name, shown):
    before = {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()}
    assert main(["--root", str(sample.root), "add-language", "sw", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kb add-language: the name ") and shown in err.splitlines()[0], err
    assert "a language's name may hold letters, digits, spaces and" in err and err.count("\n") == 1
    assert {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()} == before
    assert not (sample.root / "pwned.txt").exists()


def test_a_language_material_has_no_interface_for_gets_a_partial_that_holds_no_user_text(sample, capsys):
    assert main(["--root", str(sample.root), "add-language", "sw", "Kiswahili (Tanzania)"]) == 0
    partial = sample.read("overrides/partials/languages/sw.html")
    assert partial.startswith("{#- sw: interface strings Material ships none of.")
    assert '"language": "sw"' in partial and '"search.placeholder"' in partial
    assert "Kiswahili" not in partial  # a template is code: the name lives in mkdocs.yml and site.yaml only
    assert "overrides/partials/languages/sw.html" in capsys.readouterr().out


def test_a_tampered_language_name_in_mkdocs_yml_fails_kb_check_at_its_place(sample, capsys):
    sample.replace("mkdocs.yml", "name: Français", "name: Français <b>x</b>")
    assert main(["--root", str(sample.root), "check"]) == 1
    out = capsys.readouterr().out
    line = next(n for n, text in enumerate(sample.read("mkdocs.yml").splitlines(), 1) if "<b>" in text)
    assert f"mkdocs.yml:{line}:17: ERROR CHARACTER the name of `fr`: the name holds `<`; a language's name may hold" in out
    assert "kb check failed: 1 error," in out


SWITCHER_ATTACK = "Tiếng Việt <!--><img src=x onerror=alert(1)>-->"


@pytest.mark.browser
def test_a_language_name_put_straight_into_mkdocs_yml_is_shown_as_text_by_the_switcher(sample, tmp_path, browser):
    """mkdocs.yml is trusted and kb check reads its names, but the switcher escapes them anyway:
    one defence that does not depend on the others. The build also adds `zh-hant`, the code the
    refusal of `zh-Hant` suggests, and builds it."""
    shutil.copytree(ROOT / "overrides", sample.root / "overrides")  # as in the guide: where add-language writes its partial
    sample.replace("mkdocs.yml", f"custom_dir: {ROOT / 'overrides'}", "custom_dir: overrides")
    assert main(["--root", str(sample.root), "add-language", "zh-hant", "中文 (繁體)"]) == 0
    sample.replace("mkdocs.yml", "name: Tiếng Việt", f"name: {json.dumps(SWITCHER_ATTACK, ensure_ascii=False)}")
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)  # the hook does not read the names
    assert result.returncode == 0, result.stderr
    assert (site / "zh-hant" / "index.html").is_file()
    for rel in ("index.html", "fr/care/index.html", "fr/404.html"):
        html = (site / rel).read_text(encoding="utf-8")
        assert "Tiếng Việt &lt;!--&gt;&lt;img src=x onerror=alert(1)&gt;--&gt;" in html, rel
        assert "onerror=alert(1)>" not in html, rel
    from conftest import serving

    dialogs, shown = [], []
    with serving(site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            for rel in ("", "fr/care/", "zh-hant/", "fr/404.html"):
                page.goto(f"{base}/{rel}", wait_until="load")
                page.wait_for_timeout(200)  # the broken image's error event
                shown.append(page.locator(".md-select__link").first.text_content().strip())
        finally:
            context.close()
    assert dialogs == []
    assert shown == [SWITCHER_ATTACK] * 4
