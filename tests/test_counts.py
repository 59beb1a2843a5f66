"""What the commands count and write: every file, one word per meaning, "1 string", exports that do not change by themselves."""

from __future__ import annotations

import calendar
import json
import os
import subprocess

from conftest import ROOT, require_tool
from kb.cli import main


def test_kb_status_counts_every_string_kb_check_counts(sample, capsys):
    assert main(["--root", str(sample.root), "check", "--format", "json"]) == 0
    strings = json.loads(capsys.readouterr().out)["summary"]["fr"]["strings"]
    assert main(["--root", str(sample.root), "status", "fr"]) == 0
    out = capsys.readouterr().out
    assert "  site " in out  # the interface strings, which are no page
    assert out.split("\n  all", 1)[1].split()[0] == str(strings)


def test_a_missing_string_is_no_warning_in_kb_check_s_table_or_its_summary(sample, capsys):
    sample.replace("translations/fr/care.yaml", '  body: "Achats répétés."\n', "")
    assert main(["--root", str(sample.root), "check", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    header, row = [line.split() for line in out.splitlines() if line.startswith(("lang ", "fr "))]
    assert dict(zip(header[1:], row[1:], strict=True))["warnings"] == "0" and dict(zip(header[1:], row[1:], strict=True))["missing"] == "1"
    assert "kb check passed: 0 errors, 0 warnings, 1 missing or outdated translation (never a failure)" in out


def test_two_po_exports_of_the_same_sources_are_the_same_bytes_and_msgfmt_finds_nothing(sample, tmp_path):
    require_tool("msgfmt")
    when = calendar.timegm((2021, 9, 24, 12, 30, 0))
    for path in sample.root.rglob("*.yaml"):
        os.utime(path, (when, when))
    first, second = tmp_path / "1.po", tmp_path / "2.po"
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po", "-o", str(first)]) == 0
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po", "-o", str(second)]) == 0
    text = first.read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2021-09-24 12:30+0000\\n"' in text and '"PO-Revision-Date: 2021-09-24 12:30+0000\\n"' in text
    assert first.read_bytes() == second.read_bytes()
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(first)], capture_output=True, text=True)
    assert check.returncode == 0 and check.stderr == ""


def test_kb_export_without_o_writes_at_the_project_s_root_which_git_ignores_and_says_where(sample, tmp_path, capsys, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # wherever it is run from
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po"]) == 0
    written = sample.root / "fr.po"
    assert written.is_file() and f"kb export: {written} written (57 strings)" in capsys.readouterr().out
    assert not list((tmp_path / "elsewhere").iterdir())
    names = ["fr.po", "fr.xlf", "fr.xliff", "fr.pot"]
    ignored = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == names


def test_one_of_a_thing_is_said_in_the_singular(sample, capsys):
    sample.replace("translations/fr/care.yaml", '  body: "Achats répétés."\n', "")
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0
    assert "translations/fr/care.yaml: 1 key added\nkb sync: 1 key added to 1 file\n" in capsys.readouterr().out
