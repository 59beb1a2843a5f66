"""The benchmarks' corpus generator: copies check as clean as the real content."""

from __future__ import annotations

import json
import re
import sys

import pytest

from conftest import ROOT
from kb.cli import main
from kb.dev.bench import measured
from kb.dev.synthetic import make_corpus


def test_a_doubled_corpus_has_twice_the_topic_strings_and_is_clean(tmp_path, capsys):
    pages = make_corpus(ROOT, tmp_path / "x2", 2)
    assert "commitment-framework-x2" in pages and pages[-3:] == ["glossary", "sources", "translators"]
    assert main(["--root", str(ROOT), "check", "--format", "json"]) == 0
    real = json.loads(capsys.readouterr().out)["summary"]["fr"]["strings"]
    assert main(["--root", str(tmp_path / "x2"), "check", "--strict", "--format", "json"]) == 0
    doubled = json.loads(capsys.readouterr().out)["summary"]["fr"]["strings"]
    assert real < doubled < 2 * real  # topics doubled; site, glossary and sources once


def test_a_benchmarked_command_that_fails_shows_what_it_printed(tmp_path):
    wall, cpu, memory = measured([sys.executable, "-c", "print('built')"], tmp_path)
    assert wall > 0 and cpu > 0 and memory > 0
    with pytest.raises(RuntimeError, match="(?s)failed in .*the reason it failed"):
        measured([sys.executable, "-c", "import sys; sys.exit('the reason it failed')"], tmp_path)


def test_the_benchmarks_table_shows_every_goal_make_bench_checks_with_that_goal():
    """BENCHMARKS.md's table: a row for each of make bench's goals, with its goal as make bench
    prints it, and a value."""
    from kb.dev.bench import FLOORS, GOALS

    rows = [line.split("|")[1:-1] for line in (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    for key, goal in GOALS.items():
        row = next((cells for cells in rows if cells[0].strip().startswith(f"`{key}`")), None)
        assert row is not None, f"no row for {key}"
        assert re.match(r"\s*[0-9]", row[1]) and row[2].strip().startswith(f"≤ {goal:g}"), row
    lighthouse = next(cells for cells in rows if cells[0].strip().startswith("Lighthouse"))  # SEO / accessibility
    assert lighthouse[2].strip() == "≥ " + " / ".join(f"{floor:g}" for floor in FLOORS.values()), lighthouse


def test_the_bare_build_has_the_same_settings_and_only_kbs_template_cache(tmp_path):
    """The README: make bench's bare build is MkDocs with static-i18n (the same settings) and
    kb's template cache; the plain one has no hook at all."""
    from mkdocs.config import load_config

    from kb import mkdocs_hook
    from kb.dev.bench import BARE_HOOK, export_bare_project

    def events(config) -> dict:
        return {name: getattr(hook, name) for hook in config.hooks.values() for name in dir(hook) if name.startswith("on_")}

    def plugins(config) -> list[str]:
        return [name for name in config.plugins if name not in config.hooks]

    ours = load_config(str(ROOT / "mkdocs.yml"))
    for name, hook in (("bare", BARE_HOOK), ("plain", None)):
        export_bare_project(ROOT, tmp_path / name, hook=hook)
        config = load_config(str(tmp_path / name / "mkdocs.yml"))
        assert plugins(config) == plugins(ours) and "i18n" in plugins(ours)
        assert config.mdx_configs == ours.mdx_configs and config.theme.dirs == ours.theme.dirs
        assert events(config) == ({"on_env": mkdocs_hook.on_env} if hook else {})
    assert "on_config" in events(ours)  # the guide's own build has kb's whole hook
