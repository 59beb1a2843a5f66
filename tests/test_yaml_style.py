"""A translator's YAML keeps its look through kb import: each value in its own style, a new one in its neighbours'."""

from __future__ import annotations

import json
import re

import pytest

from conftest import KB, LANGUAGES, copy_project, run
from kb.exchange.yaml_edit import folded_width, splice, styles_of
from kb.load import Map, load_bytes

ONE_LINE = ("plain", '"', "'")


def one_word_changed(text: str) -> str | None:
    """`text` with its first word of three letters or more written as as many X's."""
    word = re.search(r"[^\W\d_]{3,}", text)
    return None if word is None else text[: word.start()] + "X" * len(word[0]) + text[word.end() :]


def test_a_word_changed_in_any_value_of_any_translation_file_changes_that_value_alone_in_its_style(tmp_path):
    root = copy_project(tmp_path)
    files = sorted(p for lang in LANGUAGES for p in (root / "translations" / lang).glob("*.yaml"))
    assert files
    values = 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        old = path.read_text(encoding="utf-8")
        data, findings = load_bytes(old.encode("utf-8"), rel)
        assert not findings and isinstance(data, Map)
        styles, widest = styles_of(old)
        width = folded_width(widest)
        old_lines = old.split("\n")
        for uid, fields in data.items():
            for name, value in fields.items():
                key, new_text = f"{uid}.{name}", one_word_changed(str(value))
                if new_text is None:
                    continue
                values += 1
                new = splice(old, data, {key: new_text}, rel)
                loaded, _ = load_bytes(new.encode("utf-8"), rel)
                assert str(loaded[uid][name]) == new_text
                new_lines = new.split("\n")
                first = value.line - 1
                last = fields.ends_at[name][0] if fields.ends_at[name][1] else fields.ends_at[name][0] - 1
                while last > first and not old_lines[last].strip():
                    last -= 1
                after = len(old_lines) - last - 1
                assert new_lines[:first] == old_lines[:first], f"{rel}: {key}: a line before it changed"
                assert new_lines[len(new_lines) - after :] == old_lines[last + 1 :], f"{rel}: {key}: a line after it changed"
                style, was = styles_of(new)[0][key], styles[key]
                too_long = was in ONE_LINE and len(old_lines[first]) > width  # already past the file's width: wrapped now
                assert style == was or (too_long and style == ">"), f"{rel}: {key}: {was} became {style}"
                if style == ">":
                    body = new_lines[first + 1 : first + len(new_lines) - len(old_lines) + last - first + 1]
                    assert all(len(line) <= width or " " not in line.strip() for line in body), f"{rel}: {key}: wider than {width}"
    assert values > 500


SAMPLE = """\
care:
  title: Service client
  body: >-
    Un texte assez long pour être replié sur plusieurs lignes, comme le font les fichiers du
    guide, à la largeur du fichier.
  list: |-
    - premier point
    - second point

    Un paragraphe sur une seule ligne, bien plus longue que la largeur du fichier, comme dans les fichiers du guide.
listening:
  title: Écouter
  body: !todo "Lắng nghe."
  list: !todo "x"
habits:
  title: !todo "Thói quen"
  body: >-
    Court.
"""


def spliced(changes: dict[str, str], text: str = SAMPLE) -> str:
    data, findings = load_bytes(text.encode("utf-8"), "fr.yaml")
    assert not findings
    return splice(text, data, changes, "fr.yaml")


def test_a_folded_text_that_grows_stays_folded_at_the_file_s_width():
    grown = " ".join(["Un texte qui grandit beaucoup, mot après mot, bien au-delà d’une ligne."] * 4)
    out = spliced({"care.body": grown})
    assert "  body: >-\n    Un texte qui grandit" in out
    body = out.split("  body: >-\n", 1)[1].split("  list:", 1)[0].splitlines()
    assert len(body) > 2 and max(map(len, body)) <= 96 and all(line.startswith("    ") for line in body)


def test_a_literal_text_keeps_its_line_breaks_as_lines():
    long = "Un paragraphe, sur une ligne bien plus longue que la largeur du fichier, comme dans les fichiers du guide."
    out = spliced({"care.list": f"- premier point\n- deuxième point\n\n{long}"})
    assert f"  list: |-\n    - premier point\n    - deuxième point\n\n    {long}\nlistening:" in out


def test_a_new_value_takes_the_style_of_its_neighbours_and_a_plain_one_stays_plain_while_it_fits():
    assert "  title: Le service\n" in spliced({"care.title": "Le service"})
    assert "  title: >-\n    Un titre Un titre" in spliced({"care.title": ("Un titre " * 15).strip()})
    out = spliced({"listening.body": "Écouter.", "habits.title": "Habitudes", "listening.list": "- un\n- deux"})
    assert "  body: >-\n    Écouter.\n" in out  # short, but the file's bodies are folded
    assert "  title: Habitudes\n" in out
    assert "  list: |-\n    - un\n    - deux\n" in out


@pytest.mark.parametrize("text", [" " + "Un texte qui commence par une espace." * 6, "Deux  espaces " * 12])
def test_a_text_only_double_quotes_can_hold_is_never_one_long_line(text):
    out = spliced({"care.title": text})
    assert max(map(len, out.split("  body: >-")[0].splitlines())) <= 100
    assert str(load_bytes(out.encode("utf-8"), "fr.yaml")[0]["care"]["title"]) == text


def test_an_import_of_one_changed_word_changes_one_value_of_the_real_files(tmp_path, capsys):
    from translate.storage import po

    from kb.cli import main

    root = copy_project(tmp_path)
    lang = LANGUAGES[-1]
    out = tmp_path / f"{lang}.po"
    assert main(["--root", str(root), "export", lang, "--format", "po", "-o", str(out)]) == 0
    store = po.pofile(out.read_bytes())
    unit = next(u for u in store.units if u.getcontext() and u.target and "\n" not in u.target and len(u.target) > 150)
    file = unit.getcontext().split(":", 1)[0]
    before = (root / f"translations/{lang}/{file}.yaml").read_text(encoding="utf-8")
    unit.target = one_word_changed(unit.target)
    out.write_bytes(bytes(store))
    capsys.readouterr()
    assert main(["--root", str(root), "import", str(out), "--lang", lang]) == 0, capsys.readouterr().out
    after = (root / f"translations/{lang}/{file}.yaml").read_text(encoding="utf-8")
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert removed and len(removed) == len(added) and all("X" in line for line in added), (removed, added)
    assert run([KB, "--root", root, "check", "--lang", lang], root).returncode == 0


def test_kb_sync_still_writes_a_todo_of_paragraphs_on_one_quoted_line():
    from kb.exchange.sync import _todo

    text = "Un texte assez long pour être replié. " * 4
    assert _todo(f"{text.strip()}\n\n{text.strip()}", "body", 100) == "!todo " + json.dumps(
        f"{text.strip()}\n\n{text.strip()}", ensure_ascii=False
    )
    assert _todo(text.strip(), "body", 100).startswith("!todo >-\n    Un texte")
