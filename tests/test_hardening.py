"""Hostile and broken input: exact findings, no traceback, nothing executed, nothing changed, nothing unsafe built."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_inputs import BREAKOUTS, CASES
from conftest import KB, MKDOCS, ROOT, copy_project, run
from kb.checks import run_checks
from kb.cli import main
from kb.exchange import sync
from kb.files import journal_path
from kb.project import content_paths, load_project
from kb.render import PageRenderer, page_names


def apply(sample, edits) -> None:
    for rel, old, new in edits:
        path = sample.root / rel
        if old == "rmtree":
            shutil.rmtree(path)
        elif old == "symlink":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(new)
        elif old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new) if isinstance(new, bytes) else path.write_text(new, encoding="utf-8")
        else:
            sample.replace(rel, old, new)


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.yaml"))
        if not p.is_symlink()
    }


def test_the_corpus_has_at_least_40_distinct_bad_inputs():
    assert len({name for name, _, _ in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize(("name", "edits", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_gives_its_exact_findings_and_changes_nothing(sample, tmp_path, name, edits, expected):
    apply(sample, edits)
    before = snapshot(sample.root)
    marker = tmp_path / "executed"
    result = run([KB, "--root", sample.root, "check", "--strict", "--format", "json"], tmp_path, env_extra={"KB_MARKER": str(marker)})
    # Missing text is progress: it never fails a check, even a release one.
    assert result.returncode == (0 if expected == "MISSING" else 1), result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr and result.stderr == ""
    findings = json.loads(result.stdout)["findings"]
    if expected == "MISSING":  # a file or folder with no text: every string is reported missing, nothing else
        assert findings and {f["code"] for f in findings} == {"MISSING"}
    else:
        got = [(f["code"], f["file"], f["line"], f["column"]) for f in findings]
        assert got == [e[:4] for e in expected], [(f["code"], f["file"], f["line"], f["column"], f["message"]) for f in findings]
        for finding, (*_, piece) in zip(findings, expected, strict=True):
            assert piece in finding["message"], finding
    assert all(len(f["message"]) <= 300 for f in findings)  # never a whole line or file
    assert "root:x:0" not in result.stdout  # a linked system file is never read
    assert snapshot(sample.root) == before
    assert not marker.exists()


@pytest.mark.parametrize(("name", "text", "shown"), BREAKOUTS, ids=[b[0] for b in BREAKOUTS])
def test_markdown_that_breaks_out_of_its_block_is_built_as_plain_text(sample, tmp_path, name, text, shown):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', f'"Mua lặp lại. {text}"')
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', f'"Achats répétés. {text}"')
    from test_security import build, checker_without_markup_errors

    with checker_without_markup_errors():  # the escaper on its own (the checker refuses a heading first)
        build(sample.root, tmp_path / "out")
    html = (tmp_path / "out" / "care" / "index.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="md-content__inner') :]
    import html as html_module

    assert shown in html_module.unescape(article.replace("\\", ""))
    assert article.count('id="habits"') == 1 and article.count('id="listening"') == 1
    assert "Faux titre</h" not in article and '<div class="admonition danger' not in article and "<pre" not in article


def test_no_html_or_script_from_yaml_reaches_a_page(sample, tmp_path):
    hostile = {
        "translations/vi/care.yaml": (
            '"Mua lặp lại."',
            '"<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"',
        ),
        "translations/fr/care.yaml": ('"Habitudes"', '"<b onclick=alert(1)>Habitudes</b>"'),
    }
    for rel, (old, new) in hostile.items():
        sample.replace(rel, old, new)
    project = load_project(sample.root)
    report = run_checks(project)
    assert {f.code for f in report.errors} == {"MARKUP"}  # the checker refuses it; the build would stop
    for lang in project.languages:  # and even rendered regardless, nothing is live
        md = PageRenderer(project, lang, report).render("care")
        import markdown

        html = markdown.markdown(md, extensions=["attr_list", "md_in_html", "admonition", "def_list", "tables"])
        assert "<script" not in html and "<img" not in html and "<b " not in html
        assert "javascript:" not in _hrefs(html)


def _hrefs(html: str) -> str:
    import re

    return " ".join(re.findall(r'href="([^"]*)"', html))


PUBLIC = "https://guide.example.org/"


def make_build(project: Path, site: Path, **kwargs):
    command = ["make", "build", f"SITE_DIR={site}", f"BIN={Path(MKDOCS).parent}", "-o", "setup", f"KB_SITE_URL={PUBLIC}"]
    if kwargs:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    return run(command, project)


@pytest.fixture
def guide(tmp_path) -> Path:
    return copy_project(tmp_path / "guide")


def test_a_failed_build_leaves_the_previous_site_untouched(guide, tmp_path):
    site = tmp_path / "site"
    assert make_build(guide, site).returncode == 0
    before = snapshot_all(site)
    (guide / "translations/fr/loyalty-levels.yaml").write_text("loyalty-levels:\n  title: 'broken\n", encoding="utf-8")
    result = make_build(guide, site)
    assert result.returncode != 0
    assert "translations/fr/loyalty-levels.yaml:2:" in result.stderr + result.stdout
    assert snapshot_all(site) == before
    assert len(list((tmp_path / ".site.builds").iterdir())) == 1  # the failed build's folder is gone


def test_two_builds_at_once_both_succeed_and_leave_one_whole_site(guide, tmp_path):
    site = tmp_path / "site"
    first, second = make_build(guide, site, start_new_session=True), make_build(guide, site, start_new_session=True)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert first.returncode == second.returncode == 0, outputs
    assert any("another build of" in out and "waiting" in out for out in outputs)
    files = snapshot_all(site)
    assert make_build(guide, tmp_path / "alone").returncode == 0
    assert files.keys() == snapshot_all(tmp_path / "alone").keys()
    # The site and the build before it (pages opened before the swap load their assets from it).
    assert {b.resolve() for b in (tmp_path / ".site.builds").iterdir()} == {site.resolve(), (tmp_path / ".site.previous").resolve()}


def test_a_build_killed_half_way_leaves_the_previous_site_whole(guide, tmp_path):
    site = tmp_path / "site"
    assert make_build(guide, site).returncode == 0
    before = snapshot_all(site)
    (guide / "translations/fr/loyalty-levels.yaml").write_text(
        (guide / "translations/fr/loyalty-levels.yaml").read_text(encoding="utf-8").replace("fidélité", "loyauté"), encoding="utf-8"
    )
    build = make_build(guide, site, start_new_session=True)
    builds = tmp_path / ".site.builds"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
        len(list(b.rglob("*.html"))) > 5 for b in builds.iterdir() if b.resolve() != site.resolve()
    ):
        time.sleep(0.05)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert snapshot_all(site) == before
    assert make_build(guide, site).returncode == 0  # the next build runs, and clears what the killed one left
    assert snapshot_all(site) != before  # what the killed build left is gone; the site and the one before it stay
    assert {b.resolve() for b in builds.iterdir()} == {site.resolve(), (tmp_path / ".site.previous").resolve()}


def snapshot_all(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_interrupted_sync_leaves_every_file_as_it_was_or_every_one_complete(sample, monkeypatch):
    rels = ("translations/fr/care.yaml", "translations/fr/site.yaml")
    for rel in rels:
        text = sample.read(rel)
        sample.write(rel, text[: text.index("\n", len(text) // 2) + 1])
    before = {rel: sample.read(rel) for rel in rels}
    plans = {p.rel: p.new for p in sync.plan(load_project(sample.root), "fr")}
    real, renamed = os.replace, []

    def interrupted(source, target, *args, **kwargs):
        journal = str(target).endswith(".kb-journal")
        if renamed and not journal:
            raise KeyboardInterrupt  # after the first file of the change is in place
        real(source, target, *args, **kwargs)
        if not journal:
            renamed.append(target)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        main(["--root", str(sample.root), "sync", "fr"])
    monkeypatch.setattr(os, "replace", real)
    assert sum(sample.read(rel) == plans[rel] for rel in rels) == 1 and all(sample.read(rel) in (before[rel], plans[rel]) for rel in rels)
    assert main(["--root", str(sample.root), "status", "fr"]) == 0  # any next command completes it
    assert all(sample.read(rel) == plans[rel] for rel in rels)
    assert not list(sample.root.rglob("*.kb-new")) and not journal_path(sample.root).exists()


# Fuzzing: random damage to the real files never makes the tools raise.

# Each example loads, checks and renders the whole guide (about 80 ms): `make test` runs 250 of them,
# `make fuzz` 10,000 (KB_FUZZ_EXAMPLES, which the Markdown fuzz of tests/test_markdown_safety.py reads too).
FUZZ_EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "250"))
REAL_FILES = [p.relative_to(ROOT).as_posix() for p in content_paths(ROOT)]
NASTY = [
    '"',
    "'",
    ":",
    ": ",
    "\t",
    "\n",
    "  ",
    "&a ",
    "*a",
    "!!python/object ",
    "!todo ",
    "[",
    "]",
    "{",
    "}",
    "#",
    "- ",
    "|",
    ">",
    "\\",
    "\x00",
    "\ufeff",
    "\u200b",
    "é",
    "ภ",
    "---\n",
    "...",
    "%YAML 1.1\n",
    "<script>",
    "](javascript:x)",
]


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "guide"
    for rel in ["mkdocs.yml", *REAL_FILES]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, root / rel)
    return root


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rel=st.sampled_from(REAL_FILES), seed=st.integers(0, 2**32 - 1), damage=st.lists(st.sampled_from(NASTY), min_size=1, max_size=4))
def test_fuzzed_yaml_never_raises(fuzz_root, rel, seed, damage):
    path = fuzz_root / rel
    original = (ROOT / rel).read_bytes()
    rng = random.Random(seed)
    data = bytearray(original)
    for piece in damage:
        at = rng.randrange(len(data) + 1)
        action = rng.choice(["insert", "replace", "delete", "truncate", "duplicate-line"])
        blob = piece.encode("utf-8")
        if action == "insert":
            data[at:at] = blob
        elif action == "replace":
            data[at : at + len(blob)] = blob
        elif action == "delete":
            del data[at : at + rng.randrange(1, 40)]
        elif action == "truncate":
            del data[at:]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end]
    path.write_bytes(bytes(data))
    try:
        project = load_project(fuzz_root)
        report = run_checks(project)
        if not report.errors:
            for lang in project.languages:
                for name in page_names(project):
                    PageRenderer(project, lang, report).render(name)
        for finding in report.findings:
            assert finding.line >= 1 and finding.column >= 1 and finding.code
    finally:
        path.write_bytes(original)


def test_a_utf8_bom_is_accepted(sample, capsys):
    path = sample.root / "translations/fr/care.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["--root", str(sample.root), "check", "--strict"]) == 0, capsys.readouterr().out


def test_cyclic_relations_are_fine_and_render_once_each_way(sample):
    sample.replace("content/care.yaml", "      - id: habits", "      - id: habits\n        see_also: [surveys]")
    project = load_project(sample.root)
    assert project.findings == []
    assert project.content.see_also["habits"] == ["surveys"] and project.content.see_also["surveys"] == ["habits"]
    md = PageRenderer(project, "fr", run_checks(project)).render("care")
    assert md.count("(care.md#habits)") == 1 and md.count("(care.md#surveys)") == 1


def test_a_journal_committed_into_the_work_tree_is_never_carried_out(sample):
    """A pull request can commit any file, git-ignored or not: a journal planted beside the
    project's files, naming a file of its own to put over mkdocs.yml, changes nothing."""
    (sample.root / ".mkdocs.yml.kb-new").write_text("hooks: [evil.py]\n", encoding="utf-8")
    planted = {"command": "sync", "state": "ready", "files": [[".mkdocs.yml.kb-new", "mkdocs.yml"]], "created": []}
    (sample.root / ".kb-journal").write_text(json.dumps(planted), encoding="utf-8")
    before = sample.read("mkdocs.yml")
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0
    assert sample.read("mkdocs.yml") == before and "hooks: [evil.py]" not in before


def test_a_journal_naming_a_file_outside_the_project_is_refused_before_anything_moves(sample, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    journal = journal_path(sample.root)
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(
        json.dumps({"command": "sync", "state": "writing", "files": [["../outside.txt", "../outside.txt"]]}), encoding="utf-8"
    )
    assert main(["--root", str(sample.root), "check"]) != 0
    assert outside.read_text(encoding="utf-8") == "keep me" and journal.exists()
    journal.unlink()
