"""The benchmarks' corpus generator: copies check as clean as the real content."""

from __future__ import annotations

import json

from conftest import ROOT
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
