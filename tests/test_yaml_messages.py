"""A translator who slips in YAML is told where and how to fix it, and the fix the message names works."""

from __future__ import annotations

import re

import pytest

from bad_inputs import CASES
from kb.checks import run_checks
from kb.cli import main
from kb.project import load_project
from test_hardening import apply

# The cases whose message ends with the line to write: `write `…`` or `: `…``.
FIXED = [c for c in CASES if isinstance(c[2], list) and c[2][0][0] == "SYNTAX" and re.search(r"(?:write |: )`.*`$", c[2][0][4])]


def test_the_slips_with_a_line_to_write_are_the_ones_issue_34_lists():
    assert {name for name, *_ in FIXED} >= {
        "a field without its colon",
        "an id without its colon",
        "text after a closing quote",
        "a bracket starting a title",
        "an ampersand starting a title",
        "a backquote starting a title",
    }


@pytest.mark.parametrize(("name", "edits", "expected"), FIXED, ids=[c[0] for c in FIXED])
def test_the_line_a_syntax_message_says_to_write_reads_back(sample, name, edits, expected):
    apply(sample, edits)
    code, rel, line, _, _ = expected[0]
    [finding] = [f for f in load_project(sample.root).findings if f.code == code]
    fixed = re.search(r"(?:write |: )`(.*)`$", finding.message)[1]
    lines = sample.read(rel).split("\n")
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    lines[line - 1] = indent + fixed
    sample.write(rel, "\n".join(lines))
    assert not [f for f in load_project(sample.root).errors if f.file == rel]  # the file reads, every key in place


def test_a_frisian_t_in_double_quotes_as_advised_keeps_its_apostrophe(sample):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', "'t Habitudes")
    [finding] = load_project(sample.root).errors
    assert "double quotes" in finding.message and "closing '" not in finding.message  # closing it would drop the apostrophe
    sample.replace("translations/fr/care.yaml", "'t Habitudes", '"\'t Habitudes"')
    assert str(load_project(sample.root).texts["fr"]["care"]["habits"]["title"]) == "'t Habitudes"


def test_kb_confirm_takes_a_key_as_the_po_file_names_it(sample, capsys):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."')
    assert main(["--root", str(sample.root), "confirm", "fr", "care:habits.body"]) == 0
    assert "kb confirm: 1 fr string recorded" in capsys.readouterr().out
    assert not [f for f in run_checks(load_project(sample.root), ["fr"]).findings if f.code == "STALE"]
    assert main(["--root", str(sample.root), "confirm", "fr", "care:habit.body"]) == 1
    assert "care:habit.body: no fr translation to confirm" in capsys.readouterr().err


def test_a_comment_inside_a_block_is_a_warning_that_never_stops_kb_sync(sample, capsys):
    sample.replace("translations/fr/care.yaml", '  body: "Achats répétés."', "  body: >-\n    Achats # TODO répétés.")
    sample.replace("translations/fr/care.yaml", '  title: "Service client"\n', "")
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0
    assert "kb sync: 1 key added to 1 file" in capsys.readouterr().out
    [warning] = [f for f in load_project(sample.root).findings if f.code == "COMMENT"]
    assert (warning.file, warning.line, warning.lang, warning.key) == ("translations/fr/care.yaml", 14, "fr", "habits.body")


def test_a_hash_inside_inline_code_in_a_block_is_an_example_not_a_lost_comment(sample):
    """The translators' guide shows `Clients fidèles. # à revoir` in code: that is meant as text."""
    sample.replace("translations/fr/care.yaml", '  body: "Achats répétés."', "  body: >-\n    Achats répétés (`note # ici`).")
    assert not [f for f in load_project(sample.root).findings if f.code == "COMMENT"]
