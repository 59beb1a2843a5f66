"""Imports are all or nothing, one at a time, into the language asked for (review findings H10,
H11, S1, S2, S4, C1, S7, U1): a vendor's file that is wrong anywhere changes nothing and says
where, two commands never change the project at once, and a kill leaves the old state or the new."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import KB, copy_project, run
from kb.cli import main
from kb.exchange import incoming
from kb.exchange import xliff_po as exchange
from kb.files import changing, journal_path
from kb.project import load_project, read_languages

CARE = "translations/fr/care.yaml"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n"Language: {lang}\\n"\n'


def po(*units: str, lang: str = "fr", charset: str = "UTF-8", header: str = HEADER) -> str:
    """A PO file: the header, then each unit as written (`msgctxt …\\nmsgid …\\nmsgstr …`)."""
    return header.format(charset=charset, lang=lang) + "".join(f"\n{u}\n" for u in units)


def entry(context: str, source: str, target: str) -> str:
    return f'msgctxt "{context}"\nmsgid "{source}"\nmsgstr "{target}"'


TITLE = entry("care:surveys.title", "Khảo sát", "Sondages")


def xliff(*units: str, lang: str = "fr", original: str = "translations/fr/care.yaml", before: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{before}'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        f'<file original="{original}" source-language="vi" datatype="plaintext" target-language="{lang}"><body>\n'
        + "".join(f"{u}\n" for u in units)
        + "</body></file>\n</xliff>\n"
    )


def unit(context: str, source: str, target: str, state: str = "translated") -> str:
    return f'<trans-unit id="{context}" resname="{context}"><source>{source}</source><target state="{state}">{target}</target></trans-unit>'


XTITLE = unit("care:surveys.title", "Khảo sát", "Sondages")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for part in ("content", "translations", "mkdocs.yml")
        for p in sorted([root / part, *(root / part).rglob("*")])
        if p.is_file()
    }


def import_file(sample, capsys, name: str, data: str | bytes, *extra: str) -> tuple[int, str]:
    path = sample.root / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    code = main(["--root", str(sample.root), "import", str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def refused(sample, capsys, name: str, data: str | bytes, *extra: str) -> str:
    """The one line an import that must change nothing prints."""
    before = snapshot(sample.root)
    code, out = import_file(sample, capsys, name, data, *extra)
    assert code == 1, out
    assert snapshot(sample.root) == before
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb import: ") and lines[0].endswith("; nothing was written"), out
    return lines[0]


# H10: the language asked for, and no other


def test_a_po_file_whose_header_names_another_language_than_its_name_changes_nothing(sample, capsys):
    line = refused(sample, capsys, "fr.po", po(TITLE, lang="vi"))  # p25
    assert "fr.po:4:1: the header says `Language: vi`, but the import is for fr" in line


def test_a_file_for_a_source_language_is_refused_even_when_every_header_agrees(sample, capsys):
    line = refused(sample, capsys, "vi.po", po(entry("care:surveys.title", "Khảo sát", "Enquêtes"), lang="vi"))
    assert "vi.po:6:1: care:surveys.title is a vi source text (the source language of content/care.yaml)" in line
    line = refused(sample, capsys, "x.xlf", xliff(XTITLE, lang="vi", original="translations/vi/care.yaml"), "--lang", "vi")  # x23
    assert "x.xlf:4:1: care:surveys.title is a vi source text" in line


def test_a_second_language_line_in_the_po_header_is_refused(sample, capsys):
    header = HEADER + '"Language: vi\\n"\n'  # p42: the last one would win, a reviewer reads the first
    line = refused(sample, capsys, "fr.po", po(TITLE, header=header))
    assert "fr.po:5:1: a second `Language:` line in the header (fr, vi); keep one" in line


def test_a_po_file_without_a_language_header_is_refused(sample, capsys):
    line = refused(sample, capsys, "fr.po", po(TITLE, header='msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n'))
    assert "fr.po:1:1: the header has no `Language:` line; add `Language: fr`" in line


def test_an_xliff_file_whose_file_elements_disagree_is_refused(sample, capsys):
    first, second = xliff(XTITLE, lang="vi"), xliff(XTITLE.replace("surveys.title", "surveys.body"))
    two = first.replace("</xliff>", second.split("\n", 2)[2].removesuffix("</xliff>\n") + "</xliff>")
    line = refused(sample, capsys, "fr.xlf", two)  # x51: the first <file> of two says another language
    assert 'fr.xlf:3:1: <file target-language="vi">, but the import is for fr' in line
    line = refused(sample, capsys, "fr.xlf", xliff(XTITLE, original="translations/vi/care.yaml"))
    assert 'fr.xlf:3:1: <file original="translations/vi/care.yaml"> is not a file of translations/fr/' in line
    line = refused(sample, capsys, "fr.xlf", xliff(XTITLE, original="translations/fr/glossary.yaml"))
    assert 'fr.xlf:4:1: care:surveys.title is not a string of <file original="translations/fr/glossary.yaml">' in line


def test_the_language_comes_from_lang_or_a_file_named_by_its_code_and_nothing_else(sample, capsys):
    code, out = import_file(sample, capsys, "vendor-return.po", po(TITLE))
    assert code == 2 and "say which language vendor-return.po is for: --lang <code>" in out
    code, out = import_file(sample, capsys, "vendor-return.po", po(TITLE), "--lang", "fr")
    assert code == 0 and "1 string written" in out and "title: Sondages" in sample.read(CARE)
    line = refused(sample, capsys, "fr.po", po(TITLE), "--lang", "vi")  # --lang wins over the name, and must agree with the header
    assert "the header says `Language: fr`, but the import is for vi" in line


def test_the_reviews_language_attacks_on_the_real_guide_change_nothing(tmp_path, capsys):
    guide = copy_project(tmp_path / "guide")
    out = guide / "fr.xlf"
    assert main(["--root", str(guide), "export", "fr", "--format", "xliff", "-o", str(out)]) == 0
    assert main(["--root", str(guide), "export", "fr", "--format", "po", "-o", str(guide / "fr.po")]) == 0
    capsys.readouterr()
    xlf, po_text = out.read_text(encoding="utf-8"), (guide / "fr.po").read_text(encoding="utf-8")
    source = po(entry("translators:translators-preview.title", "x", "Prévisualiser **en direct** avec [MkDocs](https://www.mkdocs.org/)"))
    for name, data, expected in (
        ("vi.xlf", xlf.replace('target-language="fr"', 'target-language="vi"'), "is not a file of translations/vi/"),  # x23
        ("fr.xlf", xlf.replace('target-language="fr"', 'target-language="fy"', 1), '<file target-language="fy">, but the import is for fr'),
        ("fr.po", po_text.replace('"Language: fr\\n"', '"Language: vi\\n"'), "the header says `Language: vi`, but the import is for fr"),
        ("vi.po", po_text.replace('"Language: fr\\n"', '"Language: vi\\n"'), "is a vi source text"),  # p25, as vi
        ("fr.po", source, "translators:translators-preview.title is a fr source text"),  # S1
    ):
        assert expected in refused(SimpleNamespace(root=guide), capsys, name, data)


# S1: every language is checked before anything is written


def test_an_import_that_would_break_another_language_writes_nothing(sample, capsys, monkeypatch):
    # The source-language refusal switched off, the check of every language still stops it.
    monkeypatch.setattr(exchange, "is_source", lambda project, name, lang: False)
    body = entry("care:surveys.body", "Hỏi khách hàng.", "Hỏi **khách hàng** với [MkDocs](https://www.mkdocs.org/).")
    before = snapshot(sample.root)
    code, out = import_file(sample, capsys, "vi.po", po(body, lang="vi"))
    assert code == 1 and "MARKUP" in out and "translations/fr/care.yaml" in out, out
    assert "kb import: the imported translations have errors; nothing was written" in out
    assert snapshot(sample.root) == before


# S2: a unit made from another source text than today's stays STALE, and the import says which


def stale(sample, capsys) -> str:
    main(["--root", str(sample.root), "check", "--lang", "fr"])
    return "\n".join(line for line in capsys.readouterr().out.splitlines() if "STALE" in line)


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_a_vendor_file_made_from_an_older_source_leaves_the_string_stale(sample, capsys, fmt):
    out = sample.root / f"fr.{'po' if fmt == 'po' else 'xlf'}"
    assert main(["--root", str(sample.root), "export", "fr", "--format", fmt, "-o", str(out)]) == 0
    sample.replace("translations/vi/care.yaml", '"Khảo sát"', '"Khảo sát khách hàng"')
    capsys.readouterr()
    assert "surveys.title" in stale(sample, capsys)
    code, printed = import_file(sample, capsys, out.name, out.read_bytes())  # p40 (unchanged, not fuzzy), x53 (state translated)
    assert code == 0
    assert f"{out.name}:" in printed and "care:surveys.title: translated from a source text that is not today's; it stays STALE" in printed
    assert "surveys.title" in stale(sample, capsys)


def test_a_new_translation_of_a_made_up_source_is_written_but_stays_stale(sample, capsys):
    assert stale(sample, capsys) == ""
    code, out = import_file(sample, capsys, "fr.po", po(entry("care:surveys.title", "Một nguồn bịa đặt", "Sondages")))  # p36
    assert code == 0 and "fr.po:6: care:surveys.title: translated from a source text that is not today's" in out
    assert "0 recorded as confirmed" in out and "title: Sondages" in sample.read(CARE)
    assert "surveys.title" in stale(sample, capsys)


def test_a_translation_made_from_todays_source_is_confirmed(sample, capsys):
    sample.replace("translations/vi/care.yaml", '"Khảo sát"', '"Khảo sát khách hàng"')
    code, out = import_file(sample, capsys, "fr.po", po(entry("care:surveys.title", "Khảo sát khách hàng", "Sondages")))
    assert code == 0 and "1 string written, 1 recorded as confirmed" in out and "STALE" not in out
    assert stale(sample, capsys) == ""


# C1: a file that is not XLIFF, or not XML, gets one line with its place, never a traceback

BILLION_LAUGHS = '<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
MALFORMED = [
    ("x03 billion laughs", xliff(unit("care:surveys.title", "Khảo sát", "&c;"), before=BILLION_LAUGHS), "fr.xlf:3:1: not valid XLIFF (the DOCTYPE declares entities"),
    ("x24 not XML", "this is not xml at all <<<", "fr.xlf:1:1: not valid XLIFF (Start tag expected"),
    ("x25 cut in half", xliff(XTITLE, XTITLE.replace("surveys.title", "surveys.body"))[:300], "fr.xlf:4:81: not valid XLIFF (Premature end of data"),
    ("x27 a Latin-1 byte in UTF-8", xliff(XTITLE).encode().replace(b"Sondages", b"Sond\xe9ges"), "fr.xlf:4:"),
    ("x28 &#0;", xliff(unit("care:surveys.title", "Khảo sát", "Sond&#0;ages")), "fr.xlf:4:"),
    ("x29 &#xD800;", xliff(unit("care:surveys.title", "Khảo sát", "Sond&#xD800;ages")), "fr.xlf:4:"),
    ("x46 elements outside the XLIFF namespace", xliff(XTITLE).replace("<xliff xmlns=", "<x:xliff xmlns:x=").replace("</xliff>", "</x:xliff>"), "fr.xlf:3:1: not valid XLIFF (<file> is outside every namespace"),
    ("x01 an external entity", xliff(unit("care:surveys.title", "Khảo sát", "Intro &xxe;"), before='<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'), "fr.xlf:2:"),
    ("a parameter entity", xliff(XTITLE, before='<!DOCTYPE xliff [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>\n'), "fr.xlf:2:18: not valid XLIFF (the DOCTYPE declares entities"),
    ("an entity never declared", xliff(unit("care:surveys.title", "Khảo sát", "&xxe;")), "fr.xlf:4:"),
    ("XLIFF 2.0", xliff(XTITLE).replace("urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:2.0"), "fr.xlf:2:1: not XLIFF 1.2"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_xliff_file_gets_one_line_with_its_place(sample, capsys, name, data, expected):
    line = refused(sample, capsys, "fr.xlf", data)
    assert expected in line and ("not valid XLIFF" in line or "not XLIFF" in line), line


# S7: what would be dropped or changed is refused with its line

REFUSED = [
    ("x10 <g>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<g id="1">da</g>ges')), "fr.xlf:4:1: care:surveys.title: <g>, an inline code, inside <target>"),
    ("x11 <x/>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<x id="1"/>dages')), "<x>, an inline code"),
    ("<bx/>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<bx id="1"/>dages')), "<bx>, an inline code"),
    ("<ex/>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<ex id="1"/>dages')), "<ex>, an inline code"),
    ("<ph>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<ph id="1">&lt;b&gt;</ph>dages')), "<ph>, an inline code"),
    ("<bpt>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", 'Son<bpt id="1">&lt;b&gt;</bpt>dages')), "<bpt>, an inline code"),
    ("an inline code in <source>", "fr.xlf", xliff(unit("care:surveys.title", 'Khảo<x id="1"/>', "Sondages")), "<x>, an inline code, inside <source>"),
    ("a comment in <target>", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", "Son<!-- x -->dages")), "a comment inside <target>"),
    ("x18 a duplicate id", "fr.xlf", xliff(XTITLE, XTITLE), "fr.xlf:5:1: `care:surveys.title` is here twice (first on line 4)"),
    ("x19 an unknown state", "fr.xlf", xliff(unit("care:surveys.title", "Khảo sát", "Sondages", "bogus-state")), 'fr.xlf:4:1: state="bogus-state" is not an XLIFF 1.2 state'),
    ("a unit without resname or id", "fr.xlf", xliff("<trans-unit><source>Khảo sát</source><target>Sondages</target></trans-unit>"), "fr.xlf:4:1: a <trans-unit> without resname or id"),
    ("p05 plural forms", "fr.po", po('msgctxt "care:surveys.title"\nmsgid "Khảo sát"\nmsgid_plural "Khảo sát"\nmsgstr[0] "Sondage"\nmsgstr[1] "Sondages"'), "fr.po:6:1: plural forms"),
    ("p06 a raw NUL", "fr.po", po(entry("care:surveys.title", "Khảo sát", "Intro\0fin")), "fr.po:8:14: a NUL byte"),
    ("p07 the \\0 escape", "fr.po", po(entry("care:surveys.title", "Khảo sát", "Intro\\0fin")), "fr.po:8:14: the escape \\0 has no place in a text"),
    ("p12 an entry without msgctxt", "fr.po", po('msgid "Khảo sát"\nmsgstr "Sondages"'), "fr.po:6:1: an entry without msgctxt"),
    ("p29 a duplicate msgctxt", "fr.po", po(TITLE, TITLE), "fr.po:10:1: `care:surveys.title` is here twice (first on line 6)"),
    ("a string that is not PO", "fr.po", po("bonjour"), "fr.po:6:1: not PO syntax"),
    ("an unknown string", "fr.po", po(entry("care:no-such.title", "x", "y")), "fr.po:6:1: 1 units name no string of this guide (first: care:no-such.title)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "file", "data", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_an_import_would_drop_or_change_is_refused_with_its_line(sample, capsys, name, file, data, expected):
    assert expected in refused(sample, capsys, file, data)


def test_obsolete_entries_are_ignored_and_the_import_says_how_many(sample, capsys):
    obsolete = '#~ msgctxt "care:habits.title"\n#~ msgid "Thói quen"\n#~ msgstr "Obsolète pirate"'  # p08
    code, out = import_file(sample, capsys, "fr.po", po(TITLE, obsolete))
    assert code == 0 and "kb import: 1 obsolete entry (#~) ignored" in out
    assert "Obsolète" not in sample.read(CARE) and "title: Sondages" in sample.read(CARE)


# U1: a PO file's charset, read as it says, or refused with the line


def test_a_po_file_is_decoded_with_the_charset_it_declares(sample, capsys):
    sample.replace("translations/vi/care.yaml", '"Khảo sát"', '"Khao sat"')  # a source Latin-1 can hold
    main(["--root", str(sample.root), "confirm", "fr"])
    data = po(entry("care:surveys.title", "Khao sat", "Enquêtes détaillées"), charset="ISO-8859-1").encode("latin-1")
    code, out = import_file(sample, capsys, "fr.po", data)  # p41
    assert code == 0 and "1 string written, 0 recorded as confirmed" in out, out
    assert "title: Enquêtes détaillées" in sample.read(CARE)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "p02 a Latin-1 byte in a UTF-8 file",
            po(TITLE).encode().replace(b"Sondages", b"Sond\xe9ges"),
            "fr.po:8:13: byte 0xe9 is not UTF-8",
        ),
        ("p39 UTF-16", po(TITLE).encode("utf-16"), "fr.po:1:1: the file is UTF-16; save it as UTF-8"),
        (
            "UTF-8 declared as Latin-1",
            po(TITLE, charset="ISO-8859-1").encode(),
            "fr.po:3:36: the header says charset=ISO-8859-1 but the text is UTF-8",
        ),
        ("an unknown charset", po(TITLE, charset="KLINGON").encode(), "fr.po:3:36: unknown charset `KLINGON`"),
        ("a codec that is no charset", po(TITLE, charset="base64").encode(), "fr.po:3:36: `base64` is not a charset"),
        ("UTF-7", po(TITLE, charset="UTF-7").encode(), "fr.po:3:36: the file says charset=UTF-7; save it as UTF-8"),
    ],
    ids=lambda v: v if isinstance(v, str) and v[:1] in "pUa" and not v.startswith("fr.po") else None,
)
def test_a_po_file_whose_bytes_are_not_its_charset_gets_the_line(sample, capsys, name, data, expected):
    assert expected in refused(sample, capsys, "fr.po", data)


# H11: one at a time


def start(args: list, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([str(a) for a in args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_line(process: subprocess.Popen, text: str, timeout: float = 20) -> str:
    """What the process printed on stderr until `text` (or the timeout, or its end)."""
    fd, seen, deadline = process.stderr.fileno(), b"", time.monotonic() + timeout
    os.set_blocking(fd, False)
    while text.encode() not in seen and time.monotonic() < deadline and process.poll() is None:
        try:
            seen += os.read(fd, 4096)
        except BlockingIOError:
            time.sleep(0.05)
    os.set_blocking(fd, True)
    return seen.decode()


@pytest.mark.parametrize(
    "command",
    [["import", "fr.po"], ["sync", "fr"], ["confirm", "fr"], ["publish"], ["add-language", "de", "Deutsch"]],
    ids=lambda c: c[0],
)
def test_a_command_that_changes_the_project_waits_while_another_does_and_says_so(sample, command):
    (sample.root / "fr.po").write_text(po(TITLE), encoding="utf-8")
    with changing(sample.root, "test"):
        process = start([KB, "--root", sample.root, *command], sample.root)
        seen = wait_for_line(process, "waiting for it to finish")
        assert f"kb {command[0]}: another kb command is changing {sample.root}; waiting for it to finish" in seen
        if command[0] == "import":  # what the first command writes meanwhile is kept by the second
            sample.replace(CARE, '"Habitudes"', '"Habitudes A"')
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, out + err
    if command[0] == "import":
        assert "title: Sondages" in sample.read(CARE) and '"Habitudes A"' in sample.read(CARE)


def test_two_imports_at_once_keep_both(sample):
    (sample.root / "a.po").write_text(po(TITLE), encoding="utf-8")
    (sample.root / "b.po").write_text(po(entry("care:habits.title", "Thói quen", "Habitudes B")), encoding="utf-8")
    processes = [start([KB, "--root", sample.root, "import", name, "--lang", "fr"], sample.root) for name in ("a.po", "b.po")]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, out + err
    assert "title: Sondages" in sample.read(CARE) and "title: Habitudes B" in sample.read(CARE)


# S4: a kill leaves the old state or the new one, and the next command completes it

KILL_AFTER = """\
import os, signal, sys
n, count, real, root = int(sys.argv[1]), [0], os.replace, sys.argv[3]
def replace(source, target, *args, **kwargs):
    real(source, target, *args, **kwargs)
    count[0] += str(target).startswith(root + "/") or str(target).endswith(".kb-journal")  # the project's files, or its journal
    if count[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from kb.cli import main
sys.exit(main(sys.argv[2:]))
"""


def killed_after(n: int, root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run kb, killed with SIGKILL right after its n-th os.replace in the project (the review's
    Appendix B; renames in a copy it makes first change nothing of the project)."""
    return run([sys.executable, "-c", KILL_AFTER, n, "--root", root, *args], root)


def every_kill(template: Path, tmp_path: Path, *args: str):
    """For n = 1, 2, …: a fresh copy of the project, the command killed after its n-th rename
    (until it runs to the end): yields (n, the copy, whether it was killed)."""
    for n in range(1, 60):
        root = tmp_path / f"run-{n}"
        shutil.copytree(template, root, symlinks=True)
        result = killed_after(n, root, *args)
        assert result.returncode in (0, -9), result.stderr
        yield n, root, result.returncode == -9
        if result.returncode == 0:
            return
    pytest.fail("the command never ran to its end")


def test_an_import_killed_at_any_rename_leaves_the_old_state_or_the_new_and_the_next_command_completes_it(sample, tmp_path):
    store = exchange.export(load_project(sample.root), __import__("kb.checks").checks.run_checks(load_project(sample.root)), "fr", "po")
    text = store.decode()
    for target in ("Enquêtes", "Habitudes", "Glossaire", "Accueil", "Article un"):  # five files, and confirmations
        text = text.replace(f'msgstr "{target}"', f'msgstr "{target} (v2)"')
    (sample.root / "fr.po").write_text(text, encoding="utf-8")
    old = snapshot(sample.root)
    assert main(["--root", str(sample.root), "import", str(sample.root / "fr.po")]) == 0
    new = snapshot(sample.root)
    shutil.copytree(sample.root, tmp_path / "template")
    for part, data in old.items():
        (tmp_path / "template" / part).write_bytes(data)
    kills = 0
    for _, root, killed in every_kill(tmp_path / "template", tmp_path, "import", "fr.po"):
        kills += killed
        for rel, data in snapshot(root).items():  # every file whole, old or new (beside a new one not yet in place)
            assert rel.endswith(".kb-new") or data in (old.get(rel), new.get(rel)), rel
        assert main(["--root", str(root), "check"]) == 0  # the next command finishes or undoes it
        assert snapshot(root) in (old, new)
        assert not list(root.rglob("*.kb-new")) and not journal_path(root).exists()
    assert kills >= 5


@pytest.mark.build
def test_add_language_killed_at_any_rename_never_lists_a_language_whose_files_are_missing(sample, tmp_path):
    languages, _ = read_languages(sample.root)
    shutil.copytree(sample.root, tmp_path / "template")
    kills = 0
    for _, root, killed in every_kill(tmp_path / "template", tmp_path, "add-language", "de", "Deutsch"):
        kills += killed
        listed = "de" in read_languages(root)[0]
        assert not listed or (root / "translations/de/care.yaml").is_file()  # even before the next command
        assert main(["--root", str(root), "check"]) == 0
        if "de" in read_languages(root)[0]:  # finished: every file there
            assert {p.name for p in (root / "translations/de").iterdir()} == {p.name for p in (root / "translations/fr").iterdir()}
            assert "de" in (root / "content/site.yaml").read_text(encoding="utf-8")
        else:  # undone: it can be added now
            assert not (root / "translations/de").exists()
            assert main(["--root", str(root), "add-language", "de", "Deutsch"]) == 0
    assert kills >= 3 and languages == read_languages(sample.root)[0]


@pytest.mark.build
def test_remove_language_killed_at_any_rename_never_lists_a_language_whose_files_are_gone(sample, tmp_path):
    shutil.copytree(sample.root, tmp_path / "template")
    kills = 0
    for _, root, killed in every_kill(tmp_path / "template", tmp_path, "remove-language", "fr"):
        kills += killed
        if "fr" in read_languages(root)[0]:  # not removed yet: every file there
            assert (root / "translations/fr/care.yaml").is_file()
        assert main(["--root", str(root), "check"]) in (0, 1)  # the next command finishes or undoes it
        assert not list(root.rglob("*.kb-new")) and not journal_path(root).exists()
    assert kills >= 2 and not (root / "translations/fr").exists()


# Whatever the damage, a clear refusal and never a traceback

DAMAGE = [
    '"',
    "\\",
    "\n",
    "\0",
    "#~ ",
    "msgid ",
    "msgstr[0] ",
    "<",
    ">",
    "&",
    "&#0;",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "\xe9",
    "\ud800",
    "é",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["po", "xlf"]), cuts=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(DAMAGE)), min_size=1, max_size=4))
def test_a_damaged_file_is_read_or_refused_with_its_place_never_a_traceback(fmt, cuts):
    text = po(TITLE, entry("care:habits.title", "Thói quen", "Habitudes")) if fmt == "po" else xliff(XTITLE)
    for where, damage in cuts:
        at = int(where * len(text))
        text = text[:at] + damage + text[at:]
    try:
        incoming.read(text.encode("utf-8", "surrogatepass"), f"fr.{fmt}", "fr")
    except incoming.BadFile as err:
        assert re.match(rf"fr\.{fmt}:\d+:\d+: ", str(err)), err


def test_a_change_is_never_written_through_a_linked_folder(tmp_path):
    from kb.files import write_together

    outside, root = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    root.mkdir()
    (root / "translations").symlink_to(outside)
    with pytest.raises(ValueError, match="is a link or outside"):
        write_together(root, {root / "translations/fr.yaml": b"x: y\n"}, "test")
    assert not list(outside.iterdir()) and not journal_path(root).exists()
