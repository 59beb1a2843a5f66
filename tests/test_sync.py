"""`kb sync`, `kb status` and `kb confirm`: the translator's loop, on sample projects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.cli import main
from kb.load import Str, Todo, load_yaml
from kb.project import load_project

FR = "translations/fr/care.yaml"


def kb(sample, *args) -> int:
    return main(["--root", str(sample.root), *args])


def findings(sample, capsys, *args):
    capsys.readouterr()
    kb(sample, "check", "--format", "json", *args)
    return json.loads(capsys.readouterr().out)["findings"]


def test_sync_adds_missing_keys_in_content_order_marked_todo_with_the_source_text(sample, capsys):
    sample.replace(FR, '  title: "Habitudes"\n', "")
    sample.replace(FR, 'surveys:\n  title: "Enquêtes"\n  body: "Interroger les clients."\n  example: "Un questionnaire."\n', "")
    assert kb(sample, "sync", "fr") == 0
    text = sample.read(FR)
    assert 'listening:\n  title: "Écouter"\n  body: "Écouter les clients."\nsurveys:\n  title: !todo "Khảo sát"\n' in text
    assert 'habits:\n  title: !todo "Thói quen"\n  body: "Achats répétés."\n' in text
    missing = [f for f in findings(sample, capsys, "--lang", "fr") if f["code"] == "MISSING"]
    assert {f["key"] for f in missing} == {"surveys.title", "surveys.body", "surveys.example", "habits.title"}
    assert all("!todo" in f["message"] for f in missing)
    assert not [f for f in findings(sample, capsys) if f["code"] in ("SYNTAX", "TYPE")]


def test_sync_keeps_text_comments_blank_lines_and_order_and_runs_twice_to_the_same_result(sample):
    original = sample.read(FR).replace("habits:\n", "# Habits: ask Marie before changing\n\nhabits:\n")
    sample.write(FR, original.replace('  body: "Achats répétés."\n', ""))
    kb(sample, "sync", "fr")
    once = sample.read(FR)
    assert once.replace('  body: !todo "Mua lặp lại."\n', "") == original.replace('  body: "Achats répétés."\n', "")
    kb(sample, "sync", "fr")
    assert sample.read(FR) == once


def test_dry_run_prints_the_diff_and_writes_nothing(sample, capsys):
    sample.replace(FR, '  title: "Habitudes"\n', "")
    before = sample.read(FR)
    capsys.readouterr()
    assert kb(sample, "sync", "fr", "--dry-run") == 0
    out = capsys.readouterr().out
    assert '+  title: !todo "Thói quen"' in out and f"--- {FR}" in out
    assert sample.read(FR) == before


def test_sync_creates_a_missing_file_with_its_schema_line(sample):
    (sample.root / FR).unlink()
    kb(sample, "sync", "fr")
    text = sample.read(FR)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/translations/care.schema.json\n")
    data, found = load_yaml(sample.root / FR, FR)
    assert found == [] and all(isinstance(v, Todo) for fields in data.values() for v in fields.values())


def test_sync_refuses_a_file_that_does_not_parse(sample, capsys):
    sample.replace(FR, '"Habitudes"', '"Habitudes')
    before = sample.read(FR)
    assert kb(sample, "sync", "fr") == 1
    assert "SYNTAX" in capsys.readouterr().out
    assert sample.read(FR) == before


def test_confirm_clears_stale_for_exactly_the_named_keys(sample, capsys):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại nhiều lần."')
    sample.replace("translations/vi/care.yaml", '"Hỏi khách hàng."', '"Hỏi ý kiến khách hàng."')
    assert {f["key"] for f in findings(sample, capsys, "--lang", "fr") if f["code"] == "STALE"} == {"habits.body", "surveys.body"}
    kb(sample, "confirm", "fr", "habits.body")
    assert {f["key"] for f in findings(sample, capsys, "--lang", "fr") if f["code"] == "STALE"} == {"surveys.body"}


def test_status_prints_a_table_and_a_bar_per_language(sample, capsys):
    sample.replace(FR, '  title: "Habitudes"\n', "")
    capsys.readouterr()
    assert kb(sample, "status") == 0
    out = capsys.readouterr().out
    assert out.startswith("vi  ████████████████████ 100%")
    assert "fr  " in out and "%  up to date" in out
    assert "  care" in out and "missing" in out


# Property: whatever a translator has already written (strings with quotes, colons, accents,
# several lines; any subset of keys; comments), sync keeps it, and loading gives the same strings.

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
KEYS = [("care", "title"), ("care", "body"), ("listening", "title"), ("listening", "body"), ("surveys", "title")]
KEYS += [("surveys", "body"), ("surveys", "example"), ("habits", "title"), ("habits", "body")]


def write_translation(keys: dict, comment: str, style: str) -> str:
    lines = [f"# {comment}"]
    for uid in dict.fromkeys(uid for uid, _ in keys):
        lines.append(f"{uid}:")
        for (u, field), value in keys.items():
            if u != uid:
                continue
            if style == "block":
                body = "\n".join("    " + line for line in value.split("\n"))
                lines.append(f"  {field}: |-\n{body}")
            else:
                lines.append(f"  {field}: {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    chosen=st.dictionaries(st.sampled_from(KEYS), TEXT, min_size=1),
    comment=st.text(alphabet="abc XYZ:#-é", max_size=20),
    style=st.sampled_from(["quoted", "block"]),
)
def test_sync_then_load_keeps_every_existing_string_and_comment(sample, tmp_path_factory, chosen, comment, style):
    root = tmp_path_factory.mktemp("prop") / "p"
    shutil.copytree(sample.root, root)
    if style == "block":
        chosen = {k: "\n".join(line.strip() or "x" for line in v.split("\n")) for k, v in chosen.items()}
        chosen = {k: v for k, v in chosen.items() if not v[0].isspace()}
    text = write_translation(chosen, comment, style)
    (root / FR).write_text(text, encoding="utf-8")
    before = load_project(root).texts["fr"]["care"]
    assert main(["--root", str(root), "sync", "fr"]) == 0
    after_text = (root / FR).read_text(encoding="utf-8")
    assert f"# {comment}\n" in after_text
    project = load_project(root)
    after = {uid: fields for uid, fields in project.texts["fr"]["care"].items() if fields}
    assert after == {
        uid: fields for uid, fields in before.items() if fields
    }  # every existing string, unchanged; the new keys are !todo (not text)
    assert not [f for f in project.findings if f.code in ("SYNTAX", "TYPE", "DUPLICATE-KEY")]
    kept = [line for line in text.splitlines() if line.strip()]
    added = [line for line in _without_todo_blocks(after_text) if line.strip()]
    assert [line for line in added if "!todo" not in line and not _is_new_uid(line, text)] == kept


def _without_todo_blocks(text: str) -> list[str]:
    """The lines of a file but the text lines of a `!todo >-` block (a long source text)."""
    lines, inside = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if inside is not None and (not line.strip() or indent > inside):
            continue
        inside = indent if line.rstrip().endswith("!todo >-") else None
        lines.append(line)
    return lines


def _is_new_uid(line: str, before: str) -> bool:
    return line.endswith(":") and not line.startswith(" ") and f"\n{line}\n" not in "\n" + before


def test_a_scaffolded_file_loads_as_todo_and_passes_syntax_and_type(sample, capsys):
    for rel in ("translations/fr/care.yaml", "translations/fr/glossary.yaml", "translations/fr/site.yaml"):
        (sample.root / rel).unlink()
    kb(sample, "sync", "fr")
    codes = {f["code"] for f in findings(sample, capsys, "--lang", "fr")}
    assert codes == {"MISSING"}
    data, _ = load_yaml(sample.root / "translations/fr/site.yaml", "x")
    assert isinstance(data["site"]["name"], Todo) and not isinstance(data["site"]["name"], Str)
    assert Path(sample.root / "translations/fr/site.yaml").read_text(encoding="utf-8").count("!todo") > 10


def test_a_todo_filled_in_is_up_to_date_with_the_source_it_showed(sample, capsys):
    sample.replace("translations/fr/care.yaml", '  example: "Un questionnaire."\n', "")
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0
    sample.replace("translations/fr/care.yaml", '  example: !todo "Một bảng hỏi."\n', '  example: "Un questionnaire en ligne."\n')
    capsys.readouterr()
    main(["--root", str(sample.root), "check", "--lang", "fr", "--format", "json"])
    codes = [(f["code"], f["key"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert codes == []  # neither MISSING nor STALE: no `kb confirm` needed
    # Until its source changes: then it is outdated, with what changed.
    sample.replace("translations/vi/care.yaml", '"Một bảng hỏi."', '"Một bảng hỏi trực tuyến."')
    main(["--root", str(sample.root), "status", "--lang", "fr", "--stale"])
    out = capsys.readouterr().out
    assert "translations/fr/care.yaml:" in out and "surveys.example: the vi source changed" in out
    assert "Một bảng {+hỏi trực tuyến.+}" in out.replace("[-hỏi.-] ", "")
    assert "█" * 20 not in out  # an outdated string: the bar is not full


def test_sync_writes_a_long_source_text_as_a_folded_block_and_keeps_crlf(sample):
    long = " ".join(["Hỏi khách hàng về những gì họ mong đợi và những gì họ còn thiếu."] * 3)
    sample.replace("translations/vi/care.yaml", '"Hỏi khách hàng."', f'"{long}"')
    sample.replace("translations/fr/care.yaml", '  body: "Interroger les clients."\n', "")
    path = sample.root / "translations/fr/care.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["--root", str(sample.root), "sync", "fr"]) == 0
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF stays CRLF
    text = data.decode().replace("\r\n", "\n")
    assert "  body: !todo >-\n    Hỏi khách hàng" in text and max(map(len, text.splitlines())) <= 100
    project = load_project(sample.root)
    assert not project.errors
