"""The full MkDocs build: every page in every language, same anchors, right lang, nothing from other hosts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from conftest import MKDOCS, ROOT, run
from kb.files import user_folder as cache_path
from kb.project import load_project, read_languages
from kb.render import page_names

pytestmark = pytest.mark.build


class PageFacts(HTMLParser):
    """What a test needs from a built page: <html lang>, heading ids, and every URL it loads."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.heading_ids: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag) and "id" in a:
            self.heading_ids.append(a["id"])
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("alternate", "canonical"):
            self.loads.append(a["href"])


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, lang: str, name: str, default: str = "vi") -> Path:
    prefix = site if lang == default else site / lang
    return prefix / "index.html" if name == "index" else prefix / name / "index.html"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def test_every_page_exists_in_every_language_with_identical_heading_ids(built_site, project):
    assert len(project.languages) >= 2 and project.default_lang in project.languages  # read from mkdocs.yml
    for name in page_names(project):
        ids = {lang: facts(page_file(built_site, lang, name)).heading_ids for lang in project.languages}
        assert ids[project.default_lang], f"{name} has no headings"
        assert all(found == ids[project.default_lang] for found in ids.values()), (name, ids)


def test_topic_pages_are_at_language_neutral_paths(built_site):
    for prefix in ("", "fy/", "fr/", "th/"):
        assert (built_site / prefix / "commitment-framework" / "index.html").is_file()
        assert (built_site / prefix / "sources" / "index.html").is_file()


def test_headings_have_their_id_and_a_permalink(built_site):
    html = (built_site / "fr" / "commitment-framework" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 id="commitment-framework">.*?<a class="headerlink" href="#commitment-framework"', html, re.S)
    assert re.search(r'<h3 id="affective-commitment">.*?<a class="headerlink" href="#affective-commitment"', html, re.S)


def test_html_lang_is_right_on_every_page(built_site, project):
    for lang in project.languages:
        for name in page_names(project):
            assert facts(page_file(built_site, lang, name)).lang == lang, (lang, name)


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        external = [url for url in facts(page).loads if re.match(r"^(https?:)?//", url)]
        assert external == [], (page, external)
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_frisian_interface_strings_are_complete():
    en = (Path(MKDOCS).parents[1] / "lib").glob("python3*/site-packages/material/templates/partials/languages/en.html")
    keys = lambda text: set(re.findall(r'^\s*"([^"]+)":', text, re.M))  # noqa: E731
    en_keys = keys(next(en).read_text(encoding="utf-8"))
    fy_keys = keys((ROOT / "overrides/partials/languages/fy.html").read_text(encoding="utf-8"))
    assert en_keys - fy_keys == set()
    assert fy_keys - en_keys == set()


def test_the_build_writes_nothing_into_the_project_and_keeps_its_cache_outside_it(sample, tmp_path):
    files = lambda: sorted(p.relative_to(sample.root) for p in sample.root.rglob("*"))  # noqa: E731
    before = files()
    result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "out"], sample.root)
    assert result.returncode == 0, result.stderr
    assert files() == before
    # Outside the project: compiled templates, and each language's pages as Markdown wrote them (the memo).
    kept = {f"templates-{jinja2.__version__}"} | {f"pages-{lang}" for lang in read_languages(sample.root)[0]}
    assert {p.name for p in cache_path(sample.root).iterdir()} == kept
    assert (tmp_path / "out" / "fr" / "care" / "index.html").is_file()


def test_a_missing_translation_never_fails_the_strict_build(sample, tmp_path):
    (sample.root / "translations/fr/care.yaml").unlink()
    result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "out"], sample.root)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "fr" / "care" / "index.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in html
    assert "Cette section n’est pas encore traduite." in html


def test_a_translator_error_stops_the_build_with_file_line_col_and_no_traceback(sample, tmp_path):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', "1:30")
    result = run([MKDOCS, "build", "--site-dir", tmp_path / "out"], sample.root)
    assert result.returncode == 1
    assert "translations/fr/care.yaml:12:10: ERROR TYPE [fr] habits.title: expected text" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sitemap_gives_every_page_its_hreflang_alternates_in_every_language(built_site):
    """The hreflang alternates of each page are in sitemap.xml (search engines read them there;
    the pages carry none, as Material would fetch a sitemap next to each one)."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    languages, _ = read_languages(ROOT)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", ns)

    def page(href: str) -> Path:
        return built_site / urlsplit(href).path.lstrip("/") / "index.html"

    locs = {u.find("s:loc", ns).text for u in urls}
    pages = {p for p in built_site.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:2000]}  # redirects
    assert {page(loc) for loc in locs} == pages  # every page, once, nothing else
    for url in urls:
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert set(alternates) == set(languages), url.find("s:loc", ns).text
        assert url.find("s:loc", ns).text in alternates.values()
        assert all(page(href).is_file() for href in alternates.values())


def test_every_page_carries_the_same_small_script_data_whatever_the_guide_s_size(built_site):
    """What main.html gives kb.js (config.extra.kb) is the same few settings on every page of a
    language: never the 404 page's list of every page (it once leaked into every page after the
    404 page was made, a list that grows with the guide)."""
    import json

    seen: dict[str, set[str]] = {}
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        found = re.search(r'<script id="__kb" type="application/json">(\{.*?\})</script>', html, re.S)
        if found is None:
            continue  # a redirect page
        data = json.loads(found.group(1))
        assert set(data) == {"search"} and set(data["search"]) == {"folder", "near"}, path
        seen.setdefault(re.search(r'<html lang="([^"]*)"', html).group(1), set()).add(found.group(1))
    assert seen and all(len(variants) == 1 for variants in seen.values()), {k: len(v) for k, v in seen.items()}


def test_a_build_keeps_the_compiled_templates_in_the_cache(built_site):
    """The README: compiled templates are kept in the user's cache folder, kb/<project>/templates-<jinja version>/."""
    import jinja2

    folder = cache_path(ROOT) / f"templates-{jinja2.__version__}"
    assert folder.is_dir() and len(list(folder.iterdir())) > 20
