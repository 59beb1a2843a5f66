"""The benchmarks' corpus generator: copies check as clean as the real content."""

from __future__ import annotations

import json
import re
import sys

import pytest

from conftest import ROOT
from kb.bench import measured
from kb.cli import main
from kb.synthetic import make_corpus


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


def test_the_readme_table_shows_every_goal_make_bench_checks_with_that_goal():
    """The README's Performance table: a row for each of make bench's goals, with its goal as
    make bench prints it, and a value."""
    from kb.bench import FLOORS, GOALS

    rows = [line.split("|")[1:-1] for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    for key, goal in GOALS.items():
        row = next((cells for cells in rows if cells[0].strip().startswith(f"`{key}`")), None)
        assert row is not None, f"no row for {key}"
        assert re.match(r"\s*[0-9]", row[1]) and row[2].strip().startswith(f"≤ {goal:g}"), row
    lighthouse = next(cells for cells in rows if cells[0].strip().startswith("Lighthouse"))  # SEO / accessibility
    assert lighthouse[2].strip() == "≥ " + " / ".join(f"{floor:g}" for floor in FLOORS.values()), lighthouse
