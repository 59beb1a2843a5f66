"""The page memo (kb/site/memo.py): a warm build makes the site a cold one makes, shows every
edit, and never lets a page's HTML past the sanitiser or the audit."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import KB, LOCAL, run
from kb import render
from kb.files import user_folder
from kb.site import sanitise
from kb.site.build import Build
from test_security import build, checker_without_markup_errors

pytestmark = pytest.mark.build


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def kb_build(root: Path, site: Path, **env: str) -> dict[str, bytes]:
    result = run([KB, "--root", root, "build", "--site-dir", site], root.parent, {**LOCAL, **env})
    assert result.returncode == 0, result.stderr
    return tree(site)


def kept(root: Path) -> list[Path]:
    """The memo's entries: one file per page and language."""
    return sorted(user_folder(root).glob("pages-*/*"))


def test_a_warm_build_writes_the_site_a_cold_build_writes_byte_for_byte(sample, tmp_path):
    cold = kb_build(sample.root, tmp_path / "cold", KB_NO_CACHE="1")
    assert kept(sample.root) == []  # KB_NO_CACHE=1: nothing kept
    kb_build(sample.root, tmp_path / "first")
    assert len(kept(sample.root)) >= 10  # every page of every language
    warm = kb_build(sample.root, tmp_path / "warm")
    assert warm.keys() == cold.keys()
    assert [path for path in warm if warm[path] != cold[path]] == []


def test_a_translator_sees_each_edit_in_the_next_build_even_on_the_trainers_page(sample, tmp_path):
    kb_build(sample.root, tmp_path / "first")
    sample.replace("translations/fr/care.yaml", '"Habitudes"', '"Habitudes fidèles"')
    sample.replace("translations/fr/site.yaml", '"Titre"', '"Intitulé"')  # a heading only the trainers' page has
    warm = kb_build(sample.root, tmp_path / "warm")
    assert "Habitudes fidèles" in warm["fr/care/index.html"].decode()
    assert "Intitulé" in warm["fr/trainers/index.html"].decode()
    cold = kb_build(sample.root, tmp_path / "cold", KB_NO_CACHE="1")
    assert [path for path in warm if warm[path] != cold[path]] == []


def test_a_change_of_addresses_alone_changes_the_links_of_every_kept_page(sample, tmp_path):
    """The pages' Markdown stays the same (use_directory_urls), but MkDocs writes each page and its links elsewhere."""
    kb_build(sample.root, tmp_path / "first")
    sample.replace("mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\nuse_directory_urls: false\n")
    warm = kb_build(sample.root, tmp_path / "warm")
    cold = kb_build(sample.root, tmp_path / "cold", KB_NO_CACHE="1")
    assert warm.keys() == cold.keys() and "fr/care.html" in warm
    assert [path for path in warm if warm[path] != cold[path]] == []


def test_a_damaged_entry_is_made_again_and_never_fails_the_build(sample, tmp_path):
    cold = kb_build(sample.root, tmp_path / "cold", KB_NO_CACHE="1")
    kb_build(sample.root, tmp_path / "first")
    entries = kept(sample.root)
    for i, path in enumerate(entries):  # garbage, a cut file, the right header with a wrong entry
        header = marshal.loads(path.read_bytes())[0]
        damaged = [b"\x00garbage", path.read_bytes()[:50], marshal.dumps((header, ("<p>x</p>", 1, 2)))][i % 3]
        path.write_bytes(damaged)
    warm = kb_build(sample.root, tmp_path / "warm")
    assert [path for path in warm if warm[path] != cold[path]] == []
    assert all(path.read_bytes()[:1] != b"\x00" for path in kept(sample.root))  # each made again


def test_an_attacker_whose_html_is_kept_unsanitised_still_meets_the_sanitiser_and_the_audit(sample, tmp_path, monkeypatch):
    """With the checker and the escaper off, an attacker's element reaches Markdown's HTML, and the
    memo keeps it as Markdown wrote it. A warm build takes it from the memo and still sanitises it;
    with the sanitiser off too, the audit stops the build: the memo bypasses neither."""
    monkeypatch.setattr(render.safe, "block", lambda text, code_lang=None: text)
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats <img src=x onerror=alert(1)> répétés."')
    with checker_without_markup_errors():
        build(sample.root, tmp_path / "cold")
        assert any(b"onerror" in path.read_bytes() for path in kept(sample.root))  # kept unsanitised
        with monkeypatch.context() as patch:
            patch.setattr(Build, "refuse", lambda self, problems: None)  # the sanitiser alone
            build(sample.root, tmp_path / "warm")
        page = (tmp_path / "warm" / "fr" / "care" / "index.html").read_text(encoding="utf-8")
        assert "Achats" in page and "onerror" not in page
        files = {path: path.stat().st_ino for path in kept(sample.root)}
        monkeypatch.setattr(sanitise, "clean", lambda html: html)  # the audit alone
        with pytest.raises(Abort):
            build(sample.root, tmp_path / "unsanitised")
    assert {path: path.stat().st_ino for path in kept(sample.root)} == files  # every page was a hit, none made again
