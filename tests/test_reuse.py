"""A build reuses an earlier build's work on a page only when nothing the page depends on changed."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

import pytest

from conftest import KB, MKDOCS, copy_project, run
from kb.files import user_folder as cache_path
from kb.project import load_project
from kb.render import page_names

pytestmark = pytest.mark.build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def build(sample, site: Path, **env) -> None:
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, {"KB_SITE_URL": "local", **env})
    assert result.returncode == 0, result.stderr


def test_a_warm_build_writes_the_same_site_as_a_cold_one(sample, tmp_path):
    build(sample, tmp_path / "cold")
    shelf = cache_path(sample.root) / "build-fr.sqlite"
    with contextlib.closing(sqlite3.connect(shelf)) as db:
        assert all(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 5 for table in ("pages", "search", "audits"))
        # each page's Markdown but the status page's (it reads every page's state)
        assert db.execute("SELECT count(*) FROM markdown").fetchone()[0] == len(page_names(load_project(sample.root))) - 1
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
    assert not list(cache_path(sample.root).glob("build-*"))


URL = "http://127.0.0.1:8000/"


def test_a_page_cut_in_parts_is_the_page_rendered_whole(tmp_path, monkeypatch):
    """A long generated page is rendered part by part (cut before each heading, its tables in runs
    of rows): with every generated page cut so, the real guide's site is the same, file for file."""
    from kb.site import parallel, reuse

    monkeypatch.setenv("KB_NO_CACHE", "1")
    monkeypatch.setenv("KB_OFFLINE", "false")
    root = copy_project(tmp_path / "project")
    sites = {}
    monkeypatch.setattr(reuse, "ROWS", 2)  # every table of more than two rows in runs of two
    for long in (0, 10**9):
        monkeypatch.setattr(reuse, "LONG", long)  # the forked workers see it too
        assert parallel.build_site(root, tmp_path / f"site-{long}", site_url=URL) == 0
        sites[long] = tree(tmp_path / f"site-{long}")
    assert sites[0] == sites[10**9] and len(sites[0]) > 90


def test_a_page_is_cut_before_each_heading_with_an_id_only_when_every_heading_has_one():
    from kb.site.reuse import parts

    def cut(page: str) -> list[str]:
        return [part.markdown for part in parts(page)]

    page = "# T {#t}\n\nText.\n\n## A {#a}\n\n| a |\n|---|\n| 1 |\n\n### B {#b lang=fr}\n\n- x\n\n    ## not at the top\n"
    assert cut(page) == ["# T {#t}\n\nText.", "## A {#a}\n\n| a |\n|---|\n| 1 |", "### B {#b lang=fr}\n\n- x\n\n    ## not at the top\n"]
    assert cut("# T {#t}\n\n## A {#a}\n\n## B\n") == ["# T {#t}\n\n## A {#a}\n\n## B\n"]  # B's id depends on the page
    fenced = "# T {#t}\n\n```\n\n## A {#a}\n```\n"
    assert cut(fenced) == [fenced]


def test_a_long_table_is_cut_in_runs_of_rows_that_join_as_the_whole_table(monkeypatch):
    import markdown

    from kb.site import reuse

    monkeypatch.setattr(reuse, "ROWS", 2)
    rows = [f'| {i} | [*{i}*](p.md){{: .kb-address }} <progress value="{i}" max="9"></progress> |' for i in range(5)]
    page = "# T {#t}\n\nText.\n\n| a | b |\n|:--|--:|\n" + "\n".join(rows) + "\n\nAfter."
    found = reuse.parts(page)
    assert [(p.head, p.tail) for p in found] == [(True, True), (True, False), (False, False), (False, True), (True, True)]
    assert all(p.markdown.startswith("| a | b |\n|:--|--:|\n") for p in found[1:4])
    extensions = ["toc", "tables", "attr_list", "md_in_html", "def_list"]
    whole = markdown.markdown(page, extensions=extensions)
    joined = [reuse._joined(markdown.markdown(p.markdown, extensions=extensions), p) for p in found]
    assert "\n".join(joined) == whole
    assert reuse._joined("<p>not a table</p>", found[2]) is None  # the page is then rendered whole
    # A definition list (the home page's pages), an item going on in an indented paragraph.
    items = [f"[T{i}](p{i}.md)\n:   Summary *{i}*\n    goes on." for i in range(5)]
    items[2] += "\n\n    A second paragraph."
    page = "# T {#t}\n\nText.\n\n" + "\n\n".join(items) + "\n\n## Tools {#tools}\n\n[X](x.md)\n:   Y."
    found = reuse.parts(page)
    assert [(p.kind, p.head, p.tail) for p in found[1:4]] == [("dl", True, False), ("dl", False, False), ("dl", False, True)]
    assert found[2].markdown == items[2] + "\n\n" + items[3]
    joined = [reuse._joined(markdown.markdown(p.markdown, extensions=extensions), p) for p in found]
    assert "\n".join(joined) == markdown.markdown(page, extensions=extensions)
    # A table short enough, or inside raw HTML, stays as it is.
    assert len(reuse.parts("| a |\n|---|\n| 1 |\n| 2 |")) == 1
    assert len(reuse.parts("<div markdown>\n\n| a |\n|---|\n" + "\n".join(rows) + "\n\n</div>")) == 1


def test_an_edit_renders_again_only_the_parts_of_a_long_page_it_changed(sample, tmp_path, monkeypatch):
    """Every part asked for and every part rendered, logged by the forked workers to a file."""
    from mkdocs.structure.pages import Page

    from kb.site import parallel, reuse

    monkeypatch.setenv("KB_OFFLINE", "false")
    monkeypatch.setattr(reuse, "LONG", 0)
    log = tmp_path / "log"
    asked, render = reuse.Reuse._rendered, Page.render

    def logged(kind, markdown):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{kind} {hashlib.sha256(markdown.encode()).hexdigest()}\n")

    def rendered(self, page, markdown, *args):
        logged("asked", markdown)
        return asked(self, page, markdown, *args)

    def rendering(self, *args):
        logged("rendered", self.markdown)
        return render(self, *args)

    monkeypatch.setattr(reuse.Reuse, "_rendered", rendered)
    monkeypatch.setattr(Page, "render", rendering)

    def build(name: str) -> tuple[set, set]:
        log.write_text("", encoding="utf-8")
        assert parallel.build_site(sample.root, tmp_path / name, site_url=URL) == 0
        lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
        return {h for kind, h in lines if kind == "asked"}, {h for kind, h in lines if kind == "rendered"}

    before, _ = build("first")
    sample.replace("translations/fr/care.yaml", '"Écouter"', '"Écouter encore"')
    after, rendered_again = build("second")
    assert rendered_again == after - before and 0 < len(rendered_again) < len(after) / 4
    assert "Écouter encore" in (tmp_path / "second/fr/trainers/index.html").read_text(encoding="utf-8")


def test_a_translators_heading_is_never_a_place_to_cut_a_page(sample):
    """A text written as headings with ids, then markup: `kb check` refuses it (MARKUP), and past
    the checker the renderer escapes it, so a page is still cut only at its own headings."""
    from kb.checks import run_checks
    from kb.project import load_project
    from kb.render import PageRenderer
    from kb.site.reuse import parts

    def cut(text: str) -> list[str]:
        sample.write("translations/fr/care.yaml", sample.read("translations/fr/care.yaml").replace('"Introduction."', f'"{text}"'))
        return [p.markdown for p in parts(PageRenderer(load_project(sample.root), "fr").render("care").split("---\n", 2)[2])]

    benign = cut("Introduction.")
    hostile = cut("Introduction.\\n\\n## Evil {#evil}\\n\\n<script>alert(1)</script>\\n\\n## {#x}")
    assert len(hostile) == len(benign) > 1
    assert [p.split("\n", 1)[0] for p in hostile] == [p.split("\n", 1)[0] for p in benign]
    assert "\\## Evil" in hostile[0] and "<script>" not in "".join(hostile)
    assert {"MARKUP"} <= {f.code for f in run_checks(load_project(sample.root)).errors}


def test_the_previews_reused_template_outputs_are_what_the_templates_write(tmp_path, monkeypatch):
    """The live preview keeps each page's template output by what the templates read: after each
    kind of edit, its build is the build made with no cache at all, file for file, and pages
    the edit did not touch were not written through the templates again."""
    from kb.site import parallel, reuse

    monkeypatch.setenv("KB_OFFLINE", "false")
    monkeypatch.setitem(reuse.TEMPLATES, "kept", True)  # as kb/site/preview.py does
    root = copy_project(tmp_path / "project")
    log = tmp_path / "log"
    output = reuse.Reuse.template_output

    def logged(self, context, render):
        written = []
        html = output(self, context, lambda c: written.append(1) or render(c))
        with open(log, "a", encoding="utf-8") as out:
            out.write(("written" if written else "reused") + "\n")
        return html

    monkeypatch.setattr(reuse.Reuse, "template_output", logged)

    def build(name: str, cache: bool = True) -> tuple[dict, int]:
        log.write_text("", encoding="utf-8")
        monkeypatch.setenv("KB_NO_CACHE", "" if cache else "1")
        assert parallel.build_site(root, tmp_path / name, site_url=URL) == 0
        return tree(tmp_path / name), log.read_text(encoding="utf-8").split().count("reused")

    def replace(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    build("first")
    edits = [
        ("translations/fr/loyalty-levels.yaml", "title: Les 4 niveaux", "title: Quatre niveaux"),  # a page's title
        ("translations/fr/loyalty-levels.yaml", "body: >-\n    La fidélité", "body: >-\n    Sans doute, la fidélité"),  # a text
        ("translations/fr/translators.yaml", "title: Guide du traducteur", "title: Guide des traducteurs"),  # a section's page
        ("translations/fr/site.yaml", "name: Engagement et fidélité client", "name: Engagement et fidélité des clients"),
        ("content/site.yaml", "  - loyalty-strategies\n  - measuring-loyalty\n", "  - measuring-loyalty\n  - loyalty-strategies\n"),
        ("overrides/main.html", 'content="width=device-width,initial-scale=1"', 'content="width=device-width, initial-scale=1"'),
        ("mkdocs.yml", "    - navigation.top\n", "    - navigation.top\n    - navigation.footer\n"),  # each page names its neighbours
        ("translations/fr/loyalty-strategies.yaml", "title: 8 stratégies", "title: Huit stratégies"),
    ]
    reused_somewhere = 0
    for step, (rel, old, new) in enumerate(edits):
        replace(rel, old, new)
        kept, reused = build(f"kept-{step}")
        fresh, _ = build(f"fresh-{step}", cache=False)
        assert kept == fresh, (rel, new, [k for k in kept.keys() | fresh.keys() if kept.get(k) != fresh.get(k)][:5])
        reused_somewhere += reused > 0
    assert reused_somewhere >= 4  # a text, a page's own title, and what only some pages show


def test_a_rendered_page_is_held_compressed_until_it_is_written():
    """MkDocs renders every page before it writes the first: each page's HTML waits compressed,
    its Markdown dropped, and is the same when the page is written."""
    from types import SimpleNamespace

    from kb import mkdocs_hook

    parts = ['<h2 id="a">Cam kết tình cảm</h2>', "<p>ลูกค้าที่ภักดี « fidèle »</p>" * 200]
    html = "\n".join(parts)
    page = SimpleNamespace(markdown="## Cam kết {#a}", parts=parts, sanitised=html)  # as Reuse.render left it
    assert mkdocs_hook.on_page_content(html, page, None, None) == ""
    assert page.markdown == "" and page.parts == () and len(page.held) < len(html) / 4 and page.sanitised is None
    page.content = ""  # as MkDocs sets it from what on_page_content returned
    mkdocs_hook.on_page_context({}, page, None, None)
    assert page.content == html and page.parts == parts and page.held is None
    # HTML changed after it was rendered (another plugin): its parts no longer add up to it, and
    # the page is sanitised and audited whole.
    changed = SimpleNamespace(markdown="", parts=parts, sanitised=html)
    mkdocs_hook.on_page_content(html + "<p>added<img src=x onerror=alert(1)></p>", changed, None, None)
    mkdocs_hook.on_page_context({}, changed, None, None)
    assert changed.content == html + "<p>added</p>" and changed.parts == ()
    plain = SimpleNamespace(markdown="# Page")  # a page of docs/, never cut in parts
    mkdocs_hook.on_page_content("<h1>Page</h1>", plain, None, None)
    mkdocs_hook.on_page_context({}, plain, None, None)
    assert plain.content == "<h1>Page</h1>" and plain.parts == ()


def test_a_pages_markdown_is_rendered_again_exactly_when_what_it_read_changed(tmp_path, monkeypatch):
    """A page's Markdown is kept with every text and state it read (kb/render.py): after edits of
    every kind, what is kept equals a render from scratch, page by page and language by language,
    and only the pages that read what changed are rendered again."""
    from mkdocs.config import load_config

    from kb.checks import run_checks
    from kb.project import load_project
    from kb.render import PageRenderer, page_names
    from kb.site.reuse import Reuse

    root = copy_project(tmp_path / "guide")
    config = load_config(str(root / "mkdocs.yml"))
    rendered: set = set()
    real = PageRenderer.render
    monkeypatch.setattr(
        PageRenderer, "render", lambda self, name: (self.reads is not None and rendered.add((self.lang, name))) or real(self, name)
    )

    def build() -> set:
        project = load_project(root)
        report = run_checks(project)
        rendered.clear()
        for lang in project.languages:
            reuse = Reuse(root, lang, config)
            for name in page_names(project):
                assert reuse.markdown(project, lang, name, report) == real(PageRenderer(project, lang, report), name), (lang, name)
            reuse.save()
        return set(rendered)

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    project = load_project(root)
    everything = {(lang, name) for lang in project.languages for name in page_names(project)}
    assert build() == everything
    assert build() == {(lang, "status") for lang in project.languages}  # every language's state: never kept
    fr_title = "title: Les 4 niveaux de fidélité client"
    edit("translations/fr/loyalty-levels.yaml", fr_title, "title: Les quatre niveaux de fidélité")
    again = build()
    assert ("fr", "loyalty-levels") in again and ("fr", "index") in again and ("vi", "loyalty-levels") not in again
    assert ("fr", "glossary") not in again and len(again) < len(everything) / 2
    edit("translations/fr/site.yaml", "see-also: Voir aussi", "see-also: À voir aussi")  # a label on some pages
    assert ("fr", "loyalty-strategies") in build()
    edit("translations/fr/loyalty-levels.yaml", "non-loyal-customers:\n  title: Clients non fidèles\n", "non-loyal-customers:\n")
    assert ("fr", "loyalty-levels") in build()  # its title falls back, with a notice
    edit("translations/fr/site.yaml", "  fr: français", "  fr: langue française")  # named in that notice
    assert ("fr", "loyalty-levels") in build()
    edit("translations/vi/loyalty-levels.yaml", "Những khách hàng có khả năng", "Những khách hàng có thể")  # the others' stale
    assert {("fr", "loyalty-levels"), ("th", "loyalty-levels")} <= build()
    edit("translations/vi/glossary.yaml", "term: cam kết của khách hàng", "term: sự cam kết của khách hàng")
    assert ("vi", "glossary") in build()
    edit("translations/vi/sources.yaml", "rice-commitment-vi:\n  title: 5 cấp độ", "rice-commitment-vi:\n  title: Năm cấp độ")
    assert ("fr", "sources") in build()  # the original's title, on every language's page of sources
    edit("content/loyalty-strategies.yaml", "see_also: [trust-theory]", "see_also: [trust-theory, non-loyal-customers]")
    assert build() == everything  # content/: every page
