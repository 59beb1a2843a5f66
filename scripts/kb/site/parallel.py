"""Languages built in parallel: one MkDocs build per language, in its own process, then merged.

mkdocs-static-i18n builds the languages one after the other, each a whole MkDocs build inside
the first one. Here each language is that same build (static-i18n told which language it is
building, and not to go on to the others), in a process of its own and a folder of its own, as
many at a time as there are cores. Each worker also writes its language's search index at
its own root. The folders are then merged in the order static-i18n builds them, the sitemap's
entries put together, and what is done once for the whole site (redirect pages, the audit of
what is written here) is done once.
The result is the same site, file for file (tests/test_parallel.py compares them).
"""

from __future__ import annotations

import gc
import gzip
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import hook
from .search import language_support_path
from .worker import WORKER_ENV, give_back_free_memory

log = logging.getLogger("mkdocs.kb")
_logging: list = []  # the log handler `kb build` sets up, kept for the life of the process
SITEMAP = "sitemap.xml"
URLSET_END = "</urlset>"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# One language (in the worker process)


def build_language(config, lang: str, site_dir: str) -> None:
    """The build static-i18n makes of `lang`, alone, into site_dir. `config`: mkdocs.yml as
    loaded, not yet built with (in a worker, its copy of the parent's: not read and checked
    again in every worker)."""
    from mkdocs.commands.build import build

    os.environ[WORKER_ENV] = lang
    config.site_dir, config.strict = site_dir, True
    hook.keep_compiled_templates(config.theme)  # before any plugin makes an environment
    i18n = config.plugins["i18n"]
    i18n.current_language = lang  # the language this build is of (static-i18n starts at the default)
    i18n.building = True  # and it does not go on to build the other languages from this one
    build(config)


# The whole site (in the process that runs `kb build`)


def _worker(config, lang: str, site_dir: str, log_fd: int) -> None:
    """A forked worker: its output goes to its log; it ends with the build's exit code, or at
    once when the build stops it (SIGTERM: not the live preview's way to stop, kb/site/preview.py)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    try:
        build_language(config, lang, site_dir)
    except Exception as err:  # noqa: BLE001 - MkDocs has logged the cause
        log.error(f"the {lang} build failed: {err}")
        sys.exit(1)
    sys.exit(0)


def run_workers(config, languages: list[str], folder: Path, jobs: int, out, compact: bool = True, meanwhile=None) -> int:
    """Build every language into folder/<lang>, `jobs` at a time. Workers are forked from this
    process, so each starts with what it has loaded (MkDocs, mkdocs.yml as `config`, the theme's
    compiled templates); each one's log is printed when it ends, so logs never interleave. A
    failure stops the rest.
    `compact`: first free what this process no longer holds, so that no worker holds a copy of it
    (a whole build; not a save in the live preview, where it took 0.1 s of each save at 100x).
    `meanwhile()` runs here once the first workers have started."""
    fork = multiprocessing.get_context("fork")
    if compact:
        gc.collect()
        give_back_free_memory()  # what loading freed is not copied into the workers' share
    gc.freeze()  # the collector never touches what the workers share with this process (copy-on-write)
    waiting, running, failed = list(languages), {}, 0
    try:
        while waiting or running:
            while waiting and len(running) < jobs and not failed:
                lang = waiting.pop(0)
                log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed when the worker ends
                process = fork.Process(target=_worker, args=(config, lang, str(folder / lang), log.fileno()), daemon=True)
                process.start()
                running[lang] = (process, log)
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            for lang, (process, log) in list(running.items()):
                if process.exitcode is None:
                    continue
                del running[lang]
                log.seek(0)
                print(log.read(), end="", file=out, flush=True)
                log.close()
                if process.exitcode != 0 and not failed:
                    failed = process.exitcode
                    waiting = []
                    for other, _ in running.values():
                        other.terminate()
            time.sleep(0.02)
    except BaseException:  # meanwhile() failed, or Ctrl+C: no worker goes on alone
        for process, _ in running.values():
            process.terminate()
        raise
    finally:
        gc.unfreeze()  # a live preview goes on: what this build left can be collected
    return failed


@dataclass
class Previous:
    """A build this one may take the languages it does not rebuild from (the live preview's)."""

    site: Path
    sitemaps: dict[str, tuple[str, str, int]]  # lang -> (the sitemap's head, its entries, timestamp)


def language_file(rel: str, lang: str) -> bool:
    """Is site/rel written by `lang`'s build alone (a language but the default): a file under its
    folder, or its search worker's script, which is beside Lunr's for every language?"""
    return rel.startswith(f"{lang}/") or rel == language_support_path(lang).as_posix()


def keep_previous(previous: Previous, languages: list[str], site: Path, built: list[str], default_lang: str) -> None:
    """Link into `site` the files of the languages not built again, as the previous build has
    them (while the workers build the others: nothing here depends on what they write)."""
    others = [lang for lang in languages if lang != default_lang and lang not in built]
    if default_lang in built:  # its build writes everything but the other languages' own files
        keep = lambda rel: any(language_file(rel, lang) for lang in others)  # noqa: E731
    else:
        keep = lambda rel: not any(language_file(rel, lang) for lang in built)  # noqa: E731
    for rel in _files_under(previous.site):
        if keep(rel):
            _place(os.link, previous.site / rel, site, rel)


def merge(folder: Path, languages: list[str], site: Path, built: list[str], default_lang: str, previous: Previous | None) -> dict:
    """Move each built language's files into `site`, in static-i18n's order (a file every language
    writes, such as the theme's assets, ends as the last one wrote it), over what keep_previous
    took from the previous build, and write the sitemap of every language; returns each
    language's sitemap entries. Each worker has written its language's search index at its own root."""
    sitemaps = dict(previous.sitemaps) if previous else {}
    for lang in languages:
        if lang not in built:
            continue
        made = folder / lang
        sitemap = made / SITEMAP
        if sitemap.is_file():
            mtime = int.from_bytes((made / f"{SITEMAP}.gz").read_bytes()[4:8], "little")  # MkDocs's build timestamp
            text = sitemap.read_text(encoding="utf-8")
            head, _, rest = text.partition("\n    <url>")
            sitemaps[lang] = (head, "\n    <url>" + rest[: rest.rindex("\n" + URLSET_END)] if rest else "", mtime)
        own = lang == default_lang or previous is None  # in a partial build, a language's own folder only
        for rel in _files_under(made):
            if own or language_file(rel, lang):
                _place(os.replace, made / rel, site, rel)
    parts = [sitemaps[lang] for lang in languages if lang in sitemaps]
    if parts:
        _write_sitemap(site, parts[0][0] + "".join(p[1] for p in parts) + "\n" + URLSET_END, parts[-1][2])
    return sitemaps


def _files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as a path relative to it (os.walk: at 300 times the content a
    build moves 6,000 pages, and pathlib's objects were most of that)."""
    found = []
    for top, _, names in os.walk(folder):
        rel = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + name for name in names]
    return found


def _place(how, source: Path, site: Path, rel: str) -> None:
    """Link or move `source` to site/rel, making its folder when it is the first file there."""
    target = os.path.join(site, rel)
    try:
        how(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        how(source, target)


def _write_sitemap(site: Path, text: str, mtime: int) -> None:
    """As MkDocs writes it: the XML, and the same gzipped with the build's timestamp."""
    (site / SITEMAP).write_text(text, encoding="utf-8")
    gz = site / f"{SITEMAP}.gz"
    with open(gz, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=str(gz), mode="wb", mtime=mtime) as packed:
        packed.write(text.encode("utf-8"))


def to_rebuild(project, report, languages: list[str], changed: set[str]) -> list[str]:
    """The languages whose pages a change to `changed` languages' files can alter: those, and any
    language with missing strings when a changed one is a language others fall back to."""
    fallbacks = {project.default_lang} | {cf.source_lang for cf in project.content.files.values()}
    missing = {f.lang for f in report.findings if f.code == "MISSING"} if changed & fallbacks else set()
    return [lang for lang in languages if lang in changed | missing]


def build_site(
    root: Path,
    site: Path,
    offline: bool = False,
    site_url: str | None = None,
    jobs: int | None = None,
    out=sys.stderr,
    changed: set[str] | None = None,
    previous: Previous | None = None,
    keep: dict | None = None,
) -> int:
    """Every language of the guide into `site` (empty or new), in parallel; an exit code. The
    project is loaded and checked here, once: the forked workers start with it.

    The live preview passes the languages whose files `changed` since its `previous` build: only
    those (and the languages that fall back to them) are built again, the others are taken from
    that build. `keep` receives what the next such build needs (each language's sitemap)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    if not logging.getLogger("mkdocs").handlers:  # `kb build`: MkDocs's own log format, as `mkdocs build` has it
        from mkdocs.__main__ import State

        _logging.append(State())
    config_file = root / "mkdocs.yml"
    os.environ["KB_OFFLINE"] = "true" if offline else "false"  # mkdocs.yml reads it
    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(config_file), site_dir=str(site), **overrides)
    try:
        project = hook.project_for(config)
    except PluginError as err:  # the checker's errors, once here rather than once per language
        log.error(str(err))
        return 1
    languages, default_lang = hook.built_languages(config, project)
    partial = changed is not None and previous is not None and set(previous.sitemaps) == set(languages)
    built = to_rebuild(project, hook._cache["report"], languages, changed) if partial else languages
    hook.list_theme_files(config)
    hook.compile_templates(config, root)
    allowed = hook.prepare_audit(config, languages)
    with tempfile.TemporaryDirectory(prefix=".languages-", dir=site.parent) as folder:
        # A save in the live preview: the languages not built again are linked in meanwhile.
        meanwhile = (lambda: keep_previous(previous, languages, site, built, default_lang)) if partial else None
        jobs = min(jobs or cores(), max(1, len(built)))
        code = run_workers(config, built, Path(folder), jobs, out, compact=not partial, meanwhile=meanwhile)
        if code:
            return code
        sitemaps = merge(Path(folder), languages, site, built, default_lang, previous if partial else None)
    if keep is not None:
        keep.update(sitemaps=sitemaps, built=built)
    try:
        hook.finish_site(config, project, site, languages, default_lang, offline, allowed, audited=None)
    except PluginError as err:  # the audit's refusal, printed as the build prints it
        log.error(str(err))
        return 1
    return 0
