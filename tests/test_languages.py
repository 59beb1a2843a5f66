"""A new language: `kb add-language` does everything, and a language no one has translated yet
never turns a build or a check red."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import KB, LOCAL, ROOT, nginx_serving, run
from kb.cli import main
from kb.load import load_yaml
from kb.model import locale
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


def test_kb_add_language_refuses_what_it_cannot_add_in_one_line_and_changes_nothing(sample, capsys):
    before = {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()}
    for code, name, message in (
        ("pt_BR", "Português", "joined with `-`, not `_`"),
        ("nds", "Plattdüütsch", "mkdocs-static-i18n builds no code with a three-letter language"),  # the build stopped on it
        ("es-419", "Español", "mkdocs-static-i18n builds no code with a region in digits"),
        ("de-CH-1996", "Deutsch", "is not a language code kb can use"),
        ("../../etc", "Etc", "is not a language code kb can use"),  # a code becomes a folder under translations/
        ('x" onload="alert(1)', "X", "is not a language code kb can use"),  # and an attribute
        ("fr", "Français", "is already one of the languages"),
        ("FR", "Français", "`fr` is already one of the languages"),  # a code in any case is the same language
        ("de", " ", "give the language's name"),
    ):
        assert main(["--root", str(sample.root), "add-language", code, name]) == 2
        err = capsys.readouterr().err
        assert message in err and err.startswith("kb add-language: ") and err.count("\n") == 1, err
    assert {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()} == before


def _material_string(tag: str, key: str) -> str:
    """An interface string Material ships for a language."""
    import material

    text = (Path(material.__file__).parent / "templates/partials/languages" / f"{tag}.html").read_text(encoding="utf-8")
    return re.search(rf'"{re.escape(key)}": "([^"]*)"', text)[1]


def test_a_team_adds_pt_BR_zh_Hant_and_sr_Latn_and_the_guide_checks_builds_and_names_them_in_bcp_47(sample, tmp_path, capsys):
    """A region or script code is a language like any other: its id in content/ and translations/
    is the code in lowercase, its pages are under its BCP 47 tag, and Material's own interface
    strings are used when Material has them (pt-BR, zh-Hant); only sr-Latn gets a file to translate."""
    shutil.copytree(ROOT / "overrides", sample.root / "overrides")  # as in the guide: where add-language writes its partial
    sample.replace("mkdocs.yml", f"custom_dir: {ROOT / 'overrides'}", "custom_dir: overrides")
    for code, name in (("pt-BR", "Português (Brasil)"), ("zh-hant", "繁體中文"), ("sr-Latn", "Srpski")):
        assert main(["--root", str(sample.root), "add-language", code, name]) == 0
    out = capsys.readouterr().out
    assert "kb add-language: zh-Hant (繁體中文) added." in out and "make serve LANG=pt-BR" in out
    assert "overrides/partials/languages/sr-Latn.html" in out and "overrides/partials/languages/pt-BR.html" not in out
    languages, default = read_languages(sample.root)
    assert languages[-3:] == ["pt-br", "zh-hant", "sr-latn"]
    config = sample.read("mkdocs.yml")
    assert "- locale: pt-BR\n" in config and "- locale: zh-Hant\n" in config and "- locale: sr-Latn\n" in config
    assert re.search(r"- id: languages\n\s+text: \[.*, pt-br, zh-hant, sr-latn\]", sample.read("content/site.yaml"))
    assert "!todo" in sample.read("translations/pt-br/care.yaml")
    partials = sample.root / "overrides/partials/languages"
    assert not (partials / "pt-BR.html").exists() and not (partials / "zh-Hant.html").exists() and not (partials / "pt-br.html").exists()
    sr = (partials / "sr-Latn.html").read_text(encoding="utf-8")  # from Material's Serbian, to write in Latin letters
    assert sr.startswith("{#- sr-Latn: interface strings Material ships none of.") and '"language": "sr-Latn"' in sr
    assert main(["--root", str(sample.root), "add-language", "PT-br", "Português"]) == 2
    assert "`pt-BR` is already one of the languages" in capsys.readouterr().err

    assert main(["--root", str(sample.root), "check", "--strict"]) == 0
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)  # strict
    assert result.returncode == 0, result.stderr
    for tag in ("pt-BR", "zh-Hant", "sr-Latn"):
        page = (site / tag / "care" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{tag}"' in page, tag
        assert f'href="./" hreflang="{tag}" lang="{tag}" class="md-select__link" aria-current="true"' in page, tag
        assert f'lang="{default}"' in page  # what is not translated yet is shown in the source language, marked
        assert (site / tag / "404.html").is_file() and (site / tag / "search" / "search_index.json").is_file()
    for tag in ("pt-BR", "zh-Hant"):  # Material's own interface strings, not an English stub
        page = (site / tag / "care" / "index.html").read_text(encoding="utf-8")
        assert f'aria-label="{_material_string(tag, "select.language")}"' in page, tag
    care = (site / "care" / "index.html").read_text(encoding="utf-8")
    assert 'href="../pt-BR/care/" hreflang="pt-BR" lang="pt-BR" class="md-select__link"' in care  # the switcher lists it
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r'hreflang="pt-BR" href="[^"]*pt-BR/care/"', sitemap) and 'hreflang="zh-Hant"' in sitemap
    index = json.loads((site / "pt-BR" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] and all(doc["location"].startswith("pt-BR/") for doc in index["docs"])

    # The production server finds it at its address in lowercase too, as a reader may type it.
    from test_host import fetch

    shutil.copytree(ROOT / "deploy", sample.root / "deploy")
    (tmp_path / "nginx").mkdir()
    with nginx_serving(site, tmp_path / "nginx", sample.root) as base:
        status, headers, _ = fetch(f"{base}/pt-br/care/")
        assert status == 301 and headers["location"].endswith("/pt-BR/care/"), (status, headers)
        status, headers, _ = fetch(f"{base}/pt-BR/care/")
        assert status == 200 and headers["content-language"] == "pt-BR"


def _tree(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize(("added", "removed"), [("sr-Latn", "sr-latn"), ("pt-BR", "pt-BR"), ("de", "DE")])
def test_kb_remove_language_undoes_kb_add_language_to_the_last_byte(sample, capsys, added, removed):
    assert main(["--root", str(sample.root), "schema"]) == 0  # as in the guide: schemas and modelines in place
    before = _tree(sample.root)
    assert main(["--root", str(sample.root), "add-language", added, "Name"]) == 0
    assert _tree(sample.root) != before
    assert main(["--root", str(sample.root), "remove-language", removed]) == 0
    assert capsys.readouterr().out.endswith(f"kb remove-language: {locale(added)} removed\n")
    assert _tree(sample.root) == before


def test_kb_remove_language_takes_the_languages_name_out_of_the_other_languages_too(sample, capsys):
    assert main(["--root", str(sample.root), "schema"]) == 0
    before = sample.read("translations/fr/site.yaml")
    assert main(["--root", str(sample.root), "add-language", "pt-BR", "Português (Brasil)"]) == 0
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0  # `pt-br: !todo …` in French
    sample.replace("translations/fr/site.yaml", '  pt-br: !todo "Português (Brasil)"\n', "  pt-br: >-\n    portugais\n    (Brésil)\n")
    assert main(["--root", str(sample.root), "check"]) == 0
    assert main(["--root", str(sample.root), "remove-language", "pt-br"]) == 0
    assert sample.read("translations/fr/site.yaml") == before  # else ORPHAN: `languages` has no field `pt-br`
    assert main(["--root", str(sample.root), "check"]) == 0


def test_kb_remove_language_refuses_the_source_language_and_one_that_is_not_there_in_one_line(sample, capsys):
    before = _tree(sample.root)
    for code, message in (
        ("vi", "`vi` is the default language, the source of every other; it cannot be removed"),
        ("de", "`de` is not one of the languages (vi, fr)"),
        ("../fr", "is not a language code kb can use"),
    ):
        assert main(["--root", str(sample.root), "remove-language", code]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kb remove-language: ") and message in err and err.count("\n") == 1, err
    assert _tree(sample.root) == before


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
    one defence that does not depend on the others. The build also adds `zh-Hant`, a script code,
    and builds it."""
    shutil.copytree(ROOT / "overrides", sample.root / "overrides")  # as in the guide: where add-language writes its partial
    sample.replace("mkdocs.yml", f"custom_dir: {ROOT / 'overrides'}", "custom_dir: overrides")
    assert main(["--root", str(sample.root), "add-language", "zh-Hant", "中文 (繁體)"]) == 0
    sample.replace("mkdocs.yml", "name: Tiếng Việt", f"name: {json.dumps(SWITCHER_ATTACK, ensure_ascii=False)}")
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)  # the hook does not read the names
    assert result.returncode == 0, result.stderr
    assert (site / "zh-Hant" / "index.html").is_file()
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
            for rel in ("", "fr/care/", "zh-Hant/", "fr/404.html"):
                page.goto(f"{base}/{rel}", wait_until="load")
                page.wait_for_timeout(200)  # the broken image's error event
                shown.append(page.locator(".md-select__link").first.text_content().strip())
        finally:
            context.close()
    assert dialogs == []
    assert shown == [SWITCHER_ATTACK] * 4


@pytest.mark.browser
def test_a_reader_whose_browser_asks_for_pt_or_pt_br_is_offered_the_pt_BR_pages(sample, tmp_path, browser):
    """Browsers write tags in any case (`pt-br`) or the language alone (`pt`): both find pt-BR."""
    from conftest import serving

    shutil.copytree(ROOT / "docs" / "assets", sample.root / "docs" / "assets")  # kb.js, as in the guide
    sample.write("mkdocs.yml", sample.read("mkdocs.yml") + "extra_javascript:\n  - assets/kb.js\n")
    assert main(["--root", str(sample.root), "add-language", "pt-BR", "Português (Brasil)"]) == 0
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)
    assert result.returncode == 0, result.stderr
    with serving(site) as base:
        for asked in ("pt-br", "pt"):
            context = browser.new_context(locale=asked)
            page = context.new_page()
            page.goto(f"{base}/care/")
            offer = page.locator(".kb-language-banner")
            assert offer.get_attribute("lang") == "pt-BR", asked
            assert offer.locator("a").get_attribute("href").endswith("/pt-BR/care/"), asked
            context.close()
        context = browser.new_context(locale="pt-BR")
        page = context.new_page()
        page.goto(f"{base}/pt-BR/care/")
        assert page.locator(".kb-language-banner").count() == 0  # the page is in the language asked for
        context.close()
