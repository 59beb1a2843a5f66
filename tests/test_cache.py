"""The cache, in the user's cache folder: a check after an edit redoes only what changed, never
reports anything a check without the cache would not, and is never read from the work tree."""

from __future__ import annotations

import io
import marshal
import os
import pickle
import shutil
import stat
import subprocess

import pytest

from conftest import KB, MKDOCS, ROOT, run
from kb import cache
from kb.checked import check_project
from kb.files import user_folder, write_atomically


def findings(root, use_cache=True):
    return [(f.file, f.line, f.code, f.message) for f in check_project(root, use_cache=use_cache).findings]


def test_a_field_new_in_content_is_checked_though_no_translation_file_changed(sample):
    sample.replace("translations/fr/care.yaml", '  title: "Habitudes"\n', '  title: "Habitudes"\n  note: "Achats répétés.Souvent."\n')
    sample.replace("translations/vi/care.yaml", '  title: "Thói quen"\n', '  title: "Thói quen"\n  note: "Ghi chú về thói quen."\n')
    assert {f[2] for f in findings(sample.root)} == {"ORPHAN"}  # `note` is not a field of `habits` yet
    sample.replace("content/care.yaml", "      - id: habits\n", "      - id: habits\n        text: [title, body, note]\n")
    assert "UNICODE" in {f[2] for f in findings(sample.root)}


def test_a_glossary_change_reaches_strings_whose_text_did_not_change(sample):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua lặp lại sau khảo sát."')
    assert "TERM" in {f[2] for f in findings(sample.root)}  # fr "Achats répétés." lacks the term "Enquêtes"
    # The glossary now says the French term is "Achats": the unchanged string uses it.
    sample.replace("translations/fr/care.yaml", '"Enquêtes"', '"Achats"')
    assert "TERM" not in {f[2] for f in findings(sample.root)}


def test_a_damaged_or_foreign_cache_file_is_ignored(sample):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés.Souvent."')
    expected = findings(sample.root, use_cache=False)
    folder = cache.cache_dir(sample.root)
    findings(sample.root)
    (folder / "check-files.marshal").write_bytes(b"\x00garbage")
    assert findings(sample.root) == expected
    assert findings(sample.root) == expected  # and the rewritten files are good


def test_a_changed_confirmation_record_is_read_again(sample):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."')
    assert [f[2] for f in findings(sample.root)] == ["STALE"]
    from kb.cli import main

    assert main(["--root", str(sample.root), "confirm", "fr", "habits.body"]) == 0
    assert findings(sample.root) == []


def _cached(root) -> list:
    """What is in the project's private folder (it may exist: a change of the sample's files is journalled there)."""
    folder = user_folder(root)
    return list(folder.iterdir()) if folder.exists() else []


def test_no_cache_writes_nothing(sample):
    findings(sample.root, use_cache=False)
    assert not _cached(sample.root) and not (sample.root / ".cache").exists()


def test_kb_no_cache_in_the_environment_turns_it_off(sample, monkeypatch):
    monkeypatch.setenv("KB_NO_CACHE", "1")
    findings(sample.root)
    assert not _cached(sample.root) and not (sample.root / ".cache").exists()


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_usual_mode(tmp_path):
    old = tmp_path / "fr.yaml"
    old.write_text("a: b\n", encoding="utf-8")
    old.chmod(0o640)
    write_atomically(old, "a: c\n")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    new = tmp_path / "index.json"
    write_atomically(new, "{}")
    plain = tmp_path / "plain"
    plain.write_text("{}")
    assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)  # readable by a web server


def test_digests_of_different_parts_never_collide():
    from kb.cache import digest

    seen = {
        digest(*parts)
        for parts in [("ab", "c"), ("a", "bc"), ("abc",), (b"abc",), ("abc", None), (None, "abc"), (None,), ("",), (b"",), ()]
    }
    assert len(seen) == 10
    assert digest("à", b"x") == digest("à", b"x")  # the same parts, the same digest, in any process


def test_a_memo_whose_folder_cannot_be_made_does_the_work_again(tmp_path):
    user_folder(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    user_folder(tmp_path).write_text("a file where the cache's folder should be")
    for _ in range(2):  # nothing is kept, and nothing fails
        memo = cache.Memo(tmp_path, "check-files")
        assert memo.old == {}
        memo.put(b"a", "made a")


# Never trusted from the checkout (H4): a pull request can commit a forged `.cache/` with `git add -f`


def test_a_pull_request_that_plants_compiled_templates_in_the_checkout_runs_nothing(sample, tmp_path):
    import jinja2
    from jinja2.bccache import bc_magic

    assert run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "one"], sample.root).returncode == 0
    compiled = user_folder(sample.root) / f"templates-{jinja2.__version__}"
    buckets = {bucket.name: bucket.read_bytes() for bucket in compiled.iterdir()}
    shutil.rmtree(user_folder(sample.root))  # a fresh CI runner: nothing of the user's own
    marker = tmp_path / "pwned"
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<poisoned>", "exec")
    planted = sample.root / ".cache/kb" / compiled.name  # where kb kept them before, and what a PR can commit
    planted.mkdir(parents=True)
    for name, data in buckets.items():  # with the real source checksums: Jinja would take them as current
        checksum = pickle.load(io.BytesIO(data[len(bc_magic) :]))
        (planted / name).write_bytes(bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
    result = run([MKDOCS, "build", "--strict", "--site-dir", tmp_path / "two"], sample.root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not marker.exists()


def test_a_check_or_a_build_writes_no_cache_into_the_project(sample, tmp_path):
    assert run([KB, "--root", sample.root, "check"], tmp_path).returncode == 0
    assert not (sample.root / ".cache").exists()
    assert (user_folder(sample.root) / "check-files.marshal").is_file()
    assert not user_folder(sample.root).is_relative_to(sample.root)


def test_the_cache_folder_is_private_and_one_per_project(sample, tmp_path):
    folder = cache.cache_dir(sample.root)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(folder.name) == 16 and cache.cache_dir(tmp_path) != folder


def test_the_cache_is_in_the_users_cache_folder(sample, tmp_path, monkeypatch):
    monkeypatch.delenv("KB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_folder(sample.root).parent == tmp_path / "xdg" / "kb"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_folder(sample.root).parent == tmp_path / "home" / ".cache" / "kb"


@pytest.mark.parametrize("how", ["others can write", "another user's"])
def test_a_cache_folder_others_can_write_is_not_used_and_says_so_once(sample, how, monkeypatch, capsys):
    from kb.cli import main

    folder = cache.cache_dir(sample.root)
    if how == "others can write":
        folder.chmod(0o777)
    else:  # kb runs as someone else than the folder's owner (no chown needed, so no test is skipped)
        other = os.geteuid() + 1
        monkeypatch.setattr(os, "geteuid", lambda: other)
    (folder / "checks-fr.marshal").write_bytes(b"forged")
    cache._warned.cache_clear()
    capsys.readouterr()
    assert main(["--root", str(sample.root), "check"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the cache is off" in err and str(folder) in err
    assert (folder / "checks-fr.marshal").read_bytes() == b"forged"  # neither read nor written


def test_no_cache_is_committed():
    """A committed cache, compiled Python or build folder would be read by whoever checks the branch out."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    committed = [rel for rel in tracked if any(part in (".cache", "__pycache__") or part.endswith(".builds") for part in rel.split("/"))]
    assert committed == []
