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

import gzip
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..model import locale
from . import hook
from .build import WORKER_ENV, Build
from .search import language_support_path

log = logging.getLogger("mkdocs.kb")
SITEMAP = "sitemap.xml"
URLSET_END = "</urlset>"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_language(job: tuple[str, str]) -> tuple[int, str]:
    """In a worker: the build static-i18n makes of `lang`, alone, into site_dir, with the settings
    and the project of the build under way (forked: not read and checked again). Its exit code and
    its log, printed by the parent when it ends, so that logs never interleave."""
    from mkdocs.commands.build import build

    lang, site_dir = job
    os.environ[WORKER_ENV] = lang
    config = hook.under_way().config
    config.site_dir, config.strict = site_dir, True
    i18n = config.plugins["i18n"]
    i18n.current_language = locale(lang)  # the language this build is of (static-i18n starts at the default)
    i18n.building = True  # and it does not go on to build the other languages from this one
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as output:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        try:
            build(config)
            code = 0
        except Exception as err:  # noqa: BLE001 - MkDocs has logged the cause
            log.error(f"the {lang} build failed: {err}")
            code = 1
        sys.stdout.flush(), sys.stderr.flush()
        output.seek(0)
        return code, output.read()


def _worker_signals() -> None:
    """A worker stops at once when the pool is ended (the live preview's server turns SIGTERM
    into Ctrl+C, and the fork inherits it)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run_workers(languages: list[str], folder: Path, jobs: int, out, meanwhile=None) -> int:
    """Build every language into folder/<lang>, `jobs` at a time, each in a process forked from
    this one (so it starts with the build under way: hook.use); each one's log is printed when it
    ends, in order. A failure stops the rest. `meanwhile()` runs here once the workers have started."""
    fork = multiprocessing.get_context("fork")
    with fork.Pool(jobs, initializer=_worker_signals, maxtasksperchild=1) as pool:  # a new process per language
        results = pool.imap(build_language, [(lang, str(folder / lang)) for lang in languages])
        if meanwhile is not None:
            meanwhile()
        for code, output in results:
            print(output, end="", file=out, flush=True)
            if code:
                return code
    return 0


@dataclass
class Previous:
    """A build this one may take the languages it does not rebuild from (the live preview's)."""

    site: Path
    sitemaps: dict[str, tuple[str, str, int]]  # lang -> (the sitemap's head, its entries, timestamp)


def language_file(rel: str, lang: str) -> bool:
    """Is site/rel written by `lang`'s build alone (a language but the default): a file under its
    folder, or its search worker's script, which is beside Lunr's for every language?"""
    return rel.startswith(f"{locale(lang)}/") or rel == language_support_path(lang).as_posix()


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
    language with missing or draft strings (shown from another language) when a changed one is a
    language others fall back to."""
    fallbacks = {project.default_lang} | {cf.source_lang for cf in project.content.files.values()}
    missing = {f.lang for f in report.findings if f.code in ("MISSING", "DRAFT")} if changed & fallbacks else set()
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

    mkdocs_log = logging.getLogger("mkdocs")
    if not mkdocs_log.handlers:  # `kb build`: MkDocs's own log format, as `mkdocs build` has it (its State)
        from mkdocs.__main__ import ColorFormatter

        handler = logging.StreamHandler()
        handler.setFormatter(ColorFormatter())
        mkdocs_log.setLevel(logging.INFO)
        mkdocs_log.propagate = False
        mkdocs_log.addHandler(handler)
    config_file = root / "mkdocs.yml"
    os.environ["KB_OFFLINE"] = "true" if offline else "false"  # mkdocs.yml reads it
    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(config_file), site_dir=str(site), **overrides)
    try:
        build = Build.start(config)  # the checker's errors, once here rather than once per language
    except PluginError as err:
        log.error(str(err))
        return 1
    hook.use(build)  # the workers are forked with it
    languages, default_lang = build.languages, build.default_lang
    partial = changed is not None and previous is not None and set(previous.sitemaps) == set(languages)
    built = to_rebuild(build.project, build.report, languages, changed) if partial else languages
    with tempfile.TemporaryDirectory(prefix=".languages-", dir=site.parent) as folder:
        # A save in the live preview: the languages not built again are linked in meanwhile.
        meanwhile = (lambda: keep_previous(previous, languages, site, built, default_lang)) if partial else None
        jobs = min(jobs or cores(), max(1, len(built)))
        code = run_workers(built, Path(folder), jobs, out, meanwhile=meanwhile)
        if code:
            return code
        sitemaps = merge(Path(folder), languages, site, built, default_lang, previous if partial else None)
    if keep is not None:
        keep.update(sitemaps=sitemaps, built=built)
    try:
        build.finish_site(site, offline, parallel=True)
    except PluginError as err:  # the audit's refusal, printed as the build prints it
        log.error(str(err))
        return 1
    return 0
