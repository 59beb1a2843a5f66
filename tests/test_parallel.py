"""Languages built in parallel (`kb build`) make the same site as static-i18n's one-after-the-other build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import KB, LOCAL, MKDOCS, ROOT, run

pytestmark = pytest.mark.build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("offline", [False, True], ids=["site", "offline"])
def test_the_parallel_build_writes_the_same_files_as_the_sequential_one(request, tmp_path, offline):
    """One of each pair is the session's build of the same command (conftest.py: built_site is
    static-i18n's sequential `mkdocs build`, offline_site `kb build --offline`): the other is built here."""
    if offline:
        sequential, parallel = tmp_path / "sequential", request.getfixturevalue("offline_site")
        assert run([MKDOCS, "build", "--strict", "--site-dir", sequential], ROOT, {"KB_OFFLINE": "true"}).returncode == 0
    else:
        sequential, parallel = request.getfixturevalue("built_site"), tmp_path / "parallel"
        result = run([KB, "build", "--site-dir", parallel], ROOT, LOCAL)
        assert result.returncode == 0, result.stderr
    ours, theirs = tree(parallel), tree(sequential)
    assert ours.keys() == theirs.keys()
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert len(ours) > 90


def test_a_language_whose_build_fails_fails_the_whole_build_and_keeps_the_site(sample, tmp_path):
    site = tmp_path / "site"
    assert run([KB, "--root", sample.root, "build", "--site-dir", site], tmp_path, LOCAL).returncode == 0
    before = tree(site)
    # A strict build fails on a warning at its very end, in every language's build.
    sample.write("docs/extra.md", "# Extra\n\n[gone](missing.md)\n")
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], tmp_path, LOCAL)
    assert result.returncode != 0
    assert "missing.md" in result.stderr and "build failed" in result.stderr
    assert tree(site) == before
    assert not list(tmp_path.glob(".languages-*"))  # the workers' folders are gone


def test_a_checker_error_is_reported_once_not_once_per_language(sample, tmp_path):
    sample.replace("translations/fr/care.yaml", '"Habitudes"', "'Habitudes")
    result = run([KB, "--root", sample.root, "build", "--site-dir", tmp_path / "site"], tmp_path, LOCAL)
    assert result.returncode != 0
    assert result.stderr.count("translations/fr/care.yaml:12:10:") == 1


def test_workers_build_with_the_settings_the_parent_loaded(sample, tmp_path, monkeypatch):
    """mkdocs.yml is read and checked once, by the process that forks the workers: each worker
    builds its language with its copy of those settings, not with settings it loads again."""
    import os

    import mkdocs.config
    import mkdocs.config.base

    from kb.model import language_prefix
    from kb.project import read_languages
    from kb.site import parallel

    loads = tmp_path / "loads"  # one line per call, by the process that made it (workers write here too)
    real = mkdocs.config.base.load_config

    def counting(*args, **kwargs):
        with loads.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    for module in (mkdocs.config, mkdocs.config.base):
        monkeypatch.setattr(module, "load_config", counting)
    monkeypatch.setenv("KB_OFFLINE", "false")  # build_site sets it: put back after the test
    site = tmp_path / "site"
    assert parallel.build_site(sample.root, site, site_url="http://127.0.0.1:8000/", jobs=2) == 0
    languages, default_lang = read_languages(sample.root)
    assert len(languages) > 1
    assert all((site / language_prefix(lang, default_lang) / "index.html").is_file() for lang in languages)
    assert loads.read_text(encoding="utf-8").split() == [str(os.getpid())]


def _sleeper(job):
    """A language's build that never ends: it says it started (its folder), then waits."""
    import os
    import time

    Path(job[1]).mkdir(parents=True)
    (Path(job[1]) / "pid").write_text(str(os.getpid()))
    time.sleep(60)


def test_workers_never_go_on_alone_when_the_build_stops(tmp_path, monkeypatch):
    """What the parent does meanwhile (the preview links the languages it keeps) fails, or the
    preview is stopped: the workers it started are stopped too."""
    import io
    import time

    from kb.site import parallel

    pids = []

    def fails():
        deadline = time.monotonic() + 20
        while len(pids) < 2:  # both workers are building
            assert time.monotonic() < deadline
            pids[:] = [int(p.read_text()) for p in tmp_path.glob("*/pid") if p.read_text()]
            time.sleep(0.05)
        raise OSError("disk full")

    def running(pid: int) -> bool:  # neither gone nor a zombie
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    monkeypatch.setattr(parallel, "build_language", _sleeper)
    with pytest.raises(OSError, match="disk full"):
        parallel.run_workers(["fr", "th"], tmp_path, 2, io.StringIO(), meanwhile=fails)
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while any(map(running, pids)):
        assert time.monotonic() < deadline, "a worker went on"
        time.sleep(0.05)
