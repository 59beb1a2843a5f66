"""A build reuses an earlier build's work on a page only when nothing the page depends on changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import KB, MKDOCS, run

pytestmark = pytest.mark.build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def build(sample, site: Path, **env) -> None:
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, {"KB_SITE_URL": "local", **env})
    assert result.returncode == 0, result.stderr


def test_a_warm_build_writes_the_same_site_as_a_cold_one(sample, tmp_path):
    build(sample, tmp_path / "cold")
    kept = sorted(p.name for p in (sample.root / ".cache" / "kb").iterdir())
    assert {"pages-fr.marshal", "search-fr.marshal", "audit-fr.marshal"} <= set(kept)
    build(sample, tmp_path / "warm")
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")


def test_an_edited_text_is_rendered_again_and_the_others_reused(sample, tmp_path):
    build(sample, tmp_path / "first")
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés, encore."')
    build(sample, tmp_path / "second")
    page = (tmp_path / "second" / "fr" / "care" / "index.html").read_text(encoding="utf-8")
    assert "Achats répétés, encore." in page
    search = (tmp_path / "second" / "fr" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Achats répétés, encore." in search
    first, second = tree(tmp_path / "first"), tree(tmp_path / "second")
    assert first["index.html"] == second["index.html"]  # Vietnamese pages did not change


def test_a_page_whose_render_warned_warns_again_on_the_next_build(sample, tmp_path):
    sample.write("docs/extra.fr.md", "# Extra\n\n[gone](missing.md)\n")
    for attempt in (1, 2):
        result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / f"out{attempt}"], sample.root)
        assert result.returncode == 1 and "missing.md" in result.stderr, attempt


def test_no_cache_writes_nothing(sample, tmp_path):
    build(sample, tmp_path / "site", KB_NO_CACHE="1")
    assert not list(sample.root.glob(".cache/kb/pages-*"))
