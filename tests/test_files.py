"""Files are never followed: links, pipes, devices, hidden files and folders under content/ and
translations/ are refused before anything opens them, and no command writes through them."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from conftest import KB, run
from kb.cli import main
from kb.project import content_paths

SECRET = "TOPSECRET-hunter2"


@pytest.fixture
def secret(tmp_path_factory) -> Path:
    """A file outside the project that nothing kb prints, writes or builds may ever hold."""
    path = tmp_path_factory.mktemp("outside") / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def check(root: Path, cwd: Path) -> tuple[int, list[dict], str]:
    """`kb check` as a user runs it, stopped at 20 s so that a hang fails the test instead of blocking it."""
    result = run([KB, "--root", root, "check", "--format", "json"], cwd, timeout=20)
    return result.returncode, json.loads(result.stdout)["findings"], result.stdout + result.stderr


def files(findings: list[dict]) -> list[tuple[str, str]]:
    return [(f["file"], f["code"]) for f in findings]


@pytest.mark.parametrize(
    "rel", ["content/.notes.yaml", "translations/fr/.notes.yaml", "translations/.confirmed/.notes.yaml", "content/notes.yaml~"]
)
def test_an_attacker_who_commits_a_hidden_link_to_a_secret_sees_file_and_the_secret_is_never_quoted(sample, secret, tmp_path, rel):
    (sample.root / rel).symlink_to(secret)
    code, findings, output = check(sample.root, tmp_path)
    assert code == 1
    assert files(findings) == [(rel, "FILE")]
    assert "symbolic link" in findings[0]["message"]
    assert SECRET not in output
    build = run([KB, "--root", sample.root, "build", "--site-dir", tmp_path / "site"], tmp_path, {"KB_SITE_URL": "local"}, timeout=120)
    assert build.returncode != 0 and SECRET not in build.stdout + build.stderr
    assert not (tmp_path / "site").exists() or SECRET not in "".join(
        p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file()
    )


def test_a_hidden_fifo_stops_kb_check_and_kb_build_at_once_with_file(sample, tmp_path):
    os.mkfifo(sample.root / "content/.pipe.yaml")
    code, findings, _ = check(sample.root, tmp_path)  # a regression hangs: the 20 s timeout fails it
    assert code == 1
    assert files(findings) == [("content/.pipe.yaml", "FILE")]
    assert "not a plain file" in findings[0]["message"]
    build = run([KB, "--root", sample.root, "build", "--site-dir", tmp_path / "site"], tmp_path, {"KB_SITE_URL": "local"}, timeout=60)
    assert build.returncode != 0 and "content/.pipe.yaml" in build.stdout + build.stderr


@pytest.mark.parametrize("rel", ["content/.draft.yaml", "translations/fr/.care.yaml", "translations/.old.yaml"])
def test_a_translator_who_hides_a_yaml_file_is_told_to_rename_it(sample, tmp_path, rel):
    sample.write(rel, "id: x\n")
    code, findings, _ = check(sample.root, tmp_path)
    assert code == 1 and files(findings) == [(rel, "FILE")]
    assert "hidden file" in findings[0]["message"] and f"`{Path(rel).name[1:]}`" in findings[0]["message"]


def test_editor_swap_and_backup_files_are_ignored(sample, tmp_path):
    for rel in ["content/.care.yaml.swp", "content/care.yaml~", "translations/fr/.care.yaml.swp", "translations/.DS_Store"]:
        sample.write(rel, "binary junk")
    code, findings, _ = check(sample.root, tmp_path)
    assert code == 0 and findings == []
    assert all("~" not in p.name and not p.name.startswith(".") for p in content_paths(sample.root) if p.parent.name != ".confirmed")


@pytest.mark.parametrize("command", [["schema"], ["add-language", "de", "Deutsch"], ["remove-language", "fr"], ["sync", "fr"]])
def test_a_hidden_linked_folder_under_translations_is_refused_and_its_target_untouched(sample, tmp_path_factory, command, capsys):
    victim = tmp_path_factory.mktemp("victim")
    (victim / "a.yaml").write_text("hello: world\n", encoding="utf-8")
    (sample.root / "translations/.x").symlink_to(victim)
    assert main(["--root", str(sample.root), *command]) == 1
    out = capsys.readouterr().out
    assert "translations/.x" in out and "FILE" in out and "symbolic link" in out
    assert "fix the errors first" in out and ("nothing" in out or "no file" in out)
    assert (victim / "a.yaml").read_text(encoding="utf-8") == "hello: world\n"
    assert sorted(p.name for p in victim.iterdir()) == ["a.yaml"]  # not even a temporary file


def test_a_hidden_folder_under_translations_is_refused(sample, tmp_path):
    sample.write("translations/.x/a.yaml", "hello: world\n")
    code, findings, _ = check(sample.root, tmp_path)
    assert code == 1 and files(findings) == [("translations/.x", "FILE")]
    assert "hidden folder" in findings[0]["message"]


def test_kb_schema_never_turns_a_link_into_a_copy_of_its_target(sample, secret, capsys):
    link = sample.root / "content/zz.yaml"
    link.symlink_to(secret)
    before = {p: p.read_bytes() for p in content_paths(sample.root)}
    assert main(["--root", str(sample.root), "schema"]) == 1
    out = capsys.readouterr().out
    assert "content/zz.yaml" in out and "nothing was written" in out and SECRET not in out
    assert link.is_symlink() and os.readlink(link) == str(secret)
    assert secret.read_text(encoding="utf-8") == f"{SECRET}\n"
    assert {p: p.read_bytes() for p in content_paths(sample.root)} == before  # site.yaml's schema line kept too (S10)


@pytest.mark.parametrize("command", [["schema"], ["sync", "fr"], ["add-language", "de", "Deutsch"], ["remove-language", "fr"]])
def test_a_command_that_writes_refuses_a_project_with_a_syntax_error(sample, command, capsys):
    sample.replace("content/care.yaml", "id: care\n", "id: care\n  bad: [\n")
    snapshot = {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()}
    assert main(["--root", str(sample.root), *command]) == 1
    assert "fix the errors first" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in sample.root.rglob("*") if p.is_file()} == snapshot


def test_the_atomic_writer_refuses_to_replace_a_link_or_a_pipe(tmp_path, secret):
    from kb.files import write_atomically

    link, pipe = tmp_path / "link.yaml", tmp_path / "pipe.yaml"
    link.symlink_to(secret)
    os.mkfifo(pipe)
    for path in (link, pipe):
        with pytest.raises(OSError, match="not replaced"):
            write_atomically(path, "x: y\n")
    assert link.is_symlink() and secret.read_text(encoding="utf-8") == f"{SECRET}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "pipe.yaml"]


def test_a_file_swapped_for_a_link_after_the_listing_is_not_followed(sample, secret):
    from kb.load import read_source
    from kb.project import list_sources

    listed = list_sources(sample.root).files
    path = Path(listed["content/care.yaml"])
    path.unlink()
    path.symlink_to(secret)
    data, findings = read_source("content/care.yaml", path)
    assert data is None and [f.code for f in findings] == ["FILE"] and "symbolic link" in findings[0].message
    path.unlink()
    os.mkfifo(path)
    data, findings = read_source("content/care.yaml", path)  # O_NONBLOCK: never waits for a writer
    assert data is None and "not a plain file" in findings[0].message


# `kb export -o`: a link, a device or a pipe is written through, never renamed over


def test_export_to_a_pipe_writes_through_to_its_reader(sample, tmp_path, capsys):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po", "-o", str(pipe)]) == 0
    reader.join(10)
    assert got and b"msgctxt" in got[0]
    assert pipe.is_fifo()


def test_export_to_a_link_writes_its_target_and_the_link_stays_a_link(sample, tmp_path):
    target = tmp_path / "target.po"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "out.po"
    link.symlink_to(target)
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert b"msgctxt" in target.read_bytes()


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout"])
def test_export_to_a_device_writes_through_and_leaves_it_as_it_was(sample, monkeypatch, capfd, device):
    real = os.replace

    def guarded(src, dst, *args, **kwargs):  # a regression fails here, and leaves the machine's /dev alone
        assert not str(dst).startswith("/dev/"), f"{src} renamed over {dst}"
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)
    kind = os.lstat(device).st_mode
    assert main(["--root", str(sample.root), "export", "fr", "--format", "po", "-o", device]) == 0
    assert os.lstat(device).st_mode == kind
    out = capfd.readouterr().out
    assert ("msgctxt" in out) == (device == "/dev/stdout") and f"kb export: {device} written" in out


def test_export_to_a_folder_is_refused_in_one_line(sample, tmp_path):
    result = run([KB, "--root", sample.root, "export", "fr", "-o", tmp_path], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "a folder" in result.stderr


# translations/.confirmed/<lang>.yaml, kept by `kb confirm`


def test_a_confirmation_record_holding_a_list_is_an_error_with_its_line(sample, tmp_path):
    sample.write("translations/.confirmed/fr.yaml", "# written by kb confirm\n- care\n- site\n")
    code, findings, _ = check(sample.root, tmp_path)
    assert code == 1
    record = [f for f in findings if f["file"] == "translations/.confirmed/fr.yaml"]
    assert [(f["code"], f["line"], f["column"]) for f in record] == [("SCHEMA", 2, 1)]
    assert "found a list" in record[0]["message"] and "kb confirm" in record[0]["message"]


def test_a_confirmation_record_with_a_file_holding_text_is_an_error_with_its_line(sample, tmp_path):
    sample.write("translations/.confirmed/fr.yaml", "care: everything\n")
    _, findings, _ = check(sample.root, tmp_path)
    record = [f for f in findings if f["file"] == "translations/.confirmed/fr.yaml"]
    assert [(f["code"], f["line"], f["column"]) for f in record] == [("SCHEMA", 1, 7)]
