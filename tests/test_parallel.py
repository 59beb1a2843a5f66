"""Languages built in parallel (`kb build`) make the same site as static-i18n's one-after-the-other build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import DEFAULT_LANG, KB, LOCAL, MKDOCS, ROOT, run

pytestmark = pytest.mark.build


@pytest.fixture
def unloaded_project(monkeypatch):
    """The hook's project, as in a new process: loaded and checked again by the next build."""
    from kb.site import hook as mkdocs_hook

    monkeypatch.setattr(mkdocs_hook, "_cache", dict.fromkeys(mkdocs_hook._cache))


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("offline", [False, True], ids=["site", "offline"])
def test_the_parallel_build_writes_the_same_files_as_the_sequential_one(tmp_path, offline):
    env = {"KB_OFFLINE": "true" if offline else "false"}
    sequential, parallel = tmp_path / "sequential", tmp_path / "parallel"
    assert run([MKDOCS, "build", "--strict", "--site-dir", sequential], ROOT, env).returncode == 0
    result = run([KB, "build", "--site-dir", parallel] + (["--offline"] if offline else []), ROOT, LOCAL)
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


def test_the_first_build_compiles_the_theme_templates_once_before_it_forks(monkeypatch):
    """With no compiled templates in .cache/kb/ (a fresh clone), the parent compiles what every
    page template extends or includes, so the forked workers compile none of it again."""
    import jinja2
    from mkdocs.config import load_config

    from kb.site import hook as mkdocs_hook

    monkeypatch.setenv("KB_NO_CACHE", "1")  # nothing from disk: as after a clone
    monkeypatch.setattr(mkdocs_hook._templates, "code", {})
    monkeypatch.setattr(mkdocs_hook._templates, "folder", None)
    config = load_config(str(ROOT / "mkdocs.yml"))
    mkdocs_hook.compile_templates(config, ROOT)
    assert len(mkdocs_hook._templates.code) > 20
    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, *a, **k: compiled.append(a) or real(self, source, *a, **k))
    env = config.theme.get_env()
    env.bytecode_cache = mkdocs_hook._templates
    for name in (
        "main.html",
        "base.html",
        "404.html",
        "partials/header.html",
        "partials/nav.html",
        "partials/nav-item.html",
        "sitemap.xml",
    ):
        env.get_template(name)
    assert compiled == []


def test_a_language_build_compiles_only_what_the_parent_could_not(monkeypatch, tmp_path):
    """After the parent's compile, a worker compiles only templates whose names its build computes
    (its language's labels, icons), each once: Material's search plugin makes an environment of
    its own before any hook runs, and it must reuse compiled templates too."""
    import jinja2
    from mkdocs.config import load_config

    from kb.site import hook as mkdocs_hook
    from kb.site.parallel import WORKER_ENV, build_language

    monkeypatch.setenv(WORKER_ENV, DEFAULT_LANG)  # build_language sets it: put back after the test
    monkeypatch.setenv("KB_NO_CACHE", "1")
    monkeypatch.setattr(mkdocs_hook._templates, "code", {})
    monkeypatch.setattr(mkdocs_hook._templates, "folder", None)
    monkeypatch.setenv("KB_SITE_URL", "http://127.0.0.1:8000/")
    mkdocs_hook.compile_templates(load_config(str(ROOT / "mkdocs.yml"), site_url="http://127.0.0.1:8000/"), ROOT)
    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment,
        "compile",
        lambda self, source, name=None, filename=None, *a, **k: (
            compiled.append((name, filename)) or real(self, source, name, filename, *a, **k)
        ),
    )
    build_language(load_config(str(ROOT / "mkdocs.yml"), site_url="http://127.0.0.1:8000/"), DEFAULT_LANG, str(tmp_path / "site"))
    assert (tmp_path / "site/index.html").is_file()
    assert len(compiled) == len(set(compiled)), [c for c in compiled if compiled.count(c) > 1]
    names = {name for name, _ in compiled}
    assert "partials/language.html" not in names and f"partials/languages/{DEFAULT_LANG}.html" in names


def test_the_theme_files_a_build_copies_are_listed_once_and_are_the_same(sample, tmp_path, monkeypatch):
    """A language build lists the theme's files to copy with kb's loader: the same files as
    MkDocs's own listing; the installed theme is walked once per process, the project's own
    folder (overrides/) every time, so a file added there while the preview runs is copied."""
    import shutil

    import jinja2
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from kb.files import installed
    from kb.site import hook as mkdocs_hook

    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    sample.replace("mkdocs.yml", str(ROOT / "overrides"), str(overrides))

    def theme_files(keep: bool) -> list[str]:
        config = load_config(str(sample.root / "mkdocs.yml"))
        if keep:
            mkdocs_hook.keep_compiled_templates(config.theme)
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(f.src_uri for f in files)

    ours = theme_files(keep=True)
    assert len(ours) > 20 and not installed(str(overrides))
    walked = []
    real = jinja2.FileSystemLoader.list_templates
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", lambda self: walked.append(self.searchpath) or real(self))
    assert theme_files(keep=True) == ours == theme_files(keep=False)
    # kb's listing walked overrides/ only (the installed theme once, before); MkDocs's own, every folder
    assert walked[0] == [str(overrides)] and len(walked) == 2 and str(overrides) in walked[1]
    (overrides / "assets").mkdir(exist_ok=True)
    (overrides / "assets" / "added.css").write_text("a {}\n", encoding="utf-8")
    assert "assets/added.css" in theme_files(keep=True)


def test_workers_build_with_the_settings_the_parent_loaded(sample, tmp_path, monkeypatch, unloaded_project):
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


def test_work_done_apart_gives_back_its_result_or_its_error():
    import os

    from kb.site.worker import apart

    assert apart(sorted, [3, 1, 2]) == [1, 2, 3]
    assert apart(os.getpid) != os.getpid()
    with pytest.raises(ZeroDivisionError):
        apart(divmod, 1, 0)
    with pytest.raises(RuntimeError, match="exit code 3"):
        apart(os._exit, 3)


def test_the_build_checks_the_project_in_a_process_of_its_own_with_the_same_findings(sample, monkeypatch, unloaded_project):
    """What the checks allocate never reaches the process the language builds are forked from."""
    import os

    from mkdocs.config import load_config

    from kb.checks import run_checks
    from kb.project import load_project
    from kb.site import hook as mkdocs_hook

    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"Achats répétés.Souvent."')  # a UNICODE warning

    def checked(project):
        report = run_checks(project)
        report.pid = os.getpid()
        return report

    monkeypatch.setattr(mkdocs_hook, "run_checks", checked)
    mkdocs_hook.project_for(load_config(str(sample.root / "mkdocs.yml")))
    report = mkdocs_hook._cache["report"]
    assert report.pid != os.getpid()
    assert report.findings == run_checks(load_project(sample.root)).findings
    assert "UNICODE" in {f.code for f in report.findings}


def test_workers_never_go_on_alone_when_the_build_stops(tmp_path, monkeypatch):
    """What the parent does meanwhile (the preview links the languages it keeps) fails, or the
    preview is stopped: the workers it started are stopped too."""
    import io
    import multiprocessing
    import os
    import time

    from kb.site import parallel

    started = multiprocessing.get_context("fork").Queue()

    def sleeper(config, lang, site_dir, log_fd):
        started.put(os.getpid())
        time.sleep(60)

    pids = []

    def fails():
        pids.extend(started.get(timeout=10) for _ in range(2))  # both workers are building
        raise OSError("disk full")

    def running(pid: int) -> bool:  # neither gone nor a zombie
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    monkeypatch.setattr(parallel, "_worker", sleeper)
    with pytest.raises(OSError, match="disk full"):
        parallel.run_workers(None, ["fr", "th"], tmp_path, 2, io.StringIO(), compact=False, meanwhile=fails)
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while any(map(running, pids)):
        assert time.monotonic() < deadline, "a worker went on"
        time.sleep(0.05)
