"""What one build keeps, in one object: the project it renders and its check, the output audit's
allowlist, the files audited on their way out, and how far Material's search entries are sanitised.

Each build (`kb build`, `mkdocs build`, the live preview's first build and each save's) makes one
with Build.start. static-i18n's builds of the other languages, nested in the first, go on with
it; a parallel build's workers get their parent's through fork (kb/site/parallel.py) and make
their language's own from it (for_language).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ..anchors import REDIRECT, redirect_pages
from ..checks import CheckReport, run_checks
from ..files import write_atomically
from ..findings import PROGRESS
from ..model import locale
from ..project import Project, load_project
from ..render import PageRenderer
from . import audit, csp, handouts, history, sanitise
from .memo import PageMemo
from .search import INDEX, index_path, split_search_index, write_language_index

WORKER_ENV = "KB_BUILD_LANGUAGE"  # set in a parallel build's worker: the language it builds
SEARCH_SETTINGS = ("lang", "separator", "pipeline", "fields")  # what Material's index carries of its settings
BANNER_TEXTS = "assets/javascripts/kb-banner-texts.js"  # for kb-banner.js, which only some readers load
SHOWN_PROBLEMS = 20  # of the output audit: one hostile string can make hundreds
log = get_plugin_logger("kb")


def built_languages(config, project: Project) -> tuple[list[str], str]:
    """The languages this build makes, default first: one with `make serve LANG=fr` (KB_LANG),
    which static-i18n then serves at the root."""
    i18n = config.plugins.get("i18n")
    only = i18n.config.build_only_locale if i18n is not None else None
    return ([only.lower()], only.lower()) if only else (project.languages, project.default_lang)


def search_plugin(config):
    """Material's search plugin in this build, or None."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def offline_build(config) -> bool:
    """Is Material's offline plugin on (`make offline`)?"""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def allowed_on(config, languages: list[str]) -> audit.Allowed:
    """What the output audit lets through on this site: read from the theme and docs/."""
    base_path = urlsplit(config.site_url or "/").path
    scripts = [str(s) for s in config.extra_javascript]
    redirect = REDIRECT.format(lang="{{ lang }}", target="{{ target }}")  # ours: a template like the theme's
    return audit.allowlist(config.theme.dirs, config.docs_dir, scripts, languages, base_path, templates=[redirect])


@dataclass
class Build:
    config: object  # mkdocs.yml as loaded for this build (MkDocsConfig)
    project: Project
    report: CheckReport
    languages: list[str]
    default_lang: str
    allowed: audit.Allowed
    lang: str | None = None  # in a parallel build's worker: the one language it builds
    audited: set[str] = field(default_factory=set)  # files audited as they were written
    search: tuple = (None, 0)  # Material's index of the language being built, and how many of its entries are sanitised
    committed: dict = field(default_factory=dict)  # each source file's last commit date (history.py): the pages' "last updated"
    memo: PageMemo | None = None  # the pages' HTML of the language being built (kb/site/memo.py)
    handouts: dict = field(default_factory=dict)  # language -> topics whose handout PDF kb handouts printed (not in the offline zip)

    @classmethod
    def start(cls, config) -> Build:
        """Load and check the project; its errors stop the build."""
        project = load_project(Path(config.config_file_path).parent)
        report = run_checks(project)
        if report.errors:
            raise PluginError("\n".join(f.format() for f in report.errors))
        _log(report)
        languages, default_lang = built_languages(config, project)
        build = cls(config, project, report, languages, default_lang, allowed_on(config, languages))
        build.committed = history.last_committed(project.root)
        build.handouts = {} if offline_build(config) else handouts.printed(project)
        return build

    def for_language(self, lang: str) -> Build:
        return replace(self, lang=lang, audited=set(), search=(None, 0), memo=None)

    def open_memo(self, config, lang: str) -> None:
        """The memo of `lang`'s pages, once its settings are final; the previous language's build
        (static-i18n nests the next language's in it) is over: its unused entries go."""
        if self.memo is not None:
            self.memo.prune()
        self.memo = PageMemo.open(config, lang)

    def written(self, rel: str, html: str) -> str:
        """The page as it is written, with its policy, audited whole."""
        html = self.with_policy(rel, html)
        self.refuse(audit.audit_html(rel, html, self.allowed))
        self.audited.add(rel)
        return html

    def with_policy(self, rel: str, html: str) -> str:
        """The page with its Content-Security-Policy first in its head (kb/site/csp.py)."""
        try:
            return csp.with_policy(html, self.allowed.writes_script)
        except ValueError as err:
            raise PluginError(f"{rel}: {err}") from None

    def refuse(self, problems: list[audit.Problem]) -> None:
        """Stop the build on anything the audit found, traced to the strings it came from."""
        if problems:
            shown = sorted(problems)[:SHOWN_PROBLEMS]
            more = len(problems) - len(shown)
            lines = [p.format() for p in audit.trace(shown, _strings(self.project))]
            raise PluginError("\n".join(lines + ([f"… and {more} more"] if more else [])))

    def clean_search_entries(self, config) -> None:
        """The search entries Material made of the page being written (in its on_page_context),
        sanitised as its HTML was: the results show each title and text as HTML."""
        index = getattr(search_plugin(config), "search_index", None)
        if index is None or not hasattr(index, "entries"):
            return
        seen, cleaned = self.search
        if seen is not index or len(index.entries) < cleaned:  # static-i18n's next language
            cleaned = 0
        sanitise.clean_entries(index.entries[cleaned:])  # through the module: a test switches it off there
        self.search = (index, len(index.entries))

    def finish(self, config, site_dir: Path) -> None:
        """After the last language: a worker writes its language's search index and audits what
        it did not audit on its way out; the outer build finishes the site."""
        if self.lang is None:
            self.finish_site(site_dir, offline_build(config), parallel=False)
            return
        problems = self._language_index(config, site_dir)
        self.refuse(problems + audit.audit_site(site_dir, self.allowed, skip=self.audited))

    def _language_index(self, config, site_dir: Path) -> list[audit.Problem]:
        """This language's search index, at its own root, from the entries Material's index holds
        (what it wrote is not read), each audited as it is written; the problems found."""
        raw, search = site_dir / INDEX, search_plugin(config)
        if not raw.is_file() or getattr(search, "search_index", None) is None:
            return []
        if self.lang != self.default_lang:  # the default language's index is written over it
            raw.unlink()
            raw.with_suffix(".js").unlink(missing_ok=True)
        settings = {key: search.config[key] for key in SEARCH_SETTINGS}
        rel = index_path(Path(), self.lang, self.default_lang).as_posix()
        problems: list[audit.Problem] = []

        def check(doc: dict) -> None:
            problems.extend(audit.audit_entry(rel, doc, self.allowed))

        entries = lambda: search.search_index.entries  # noqa: E731 - read twice for a language cut into words
        write_language_index(site_dir, self.lang, self.default_lang, settings, entries, offline_build(config), check)
        self.audited.update({rel, Path(rel).with_suffix(".js").as_posix()})
        return problems

    def finish_site(self, site_dir: Path, offline: bool, parallel: bool) -> None:
        """What is done once for the whole site, after every language was built: the search index
        split per language, redirect pages, and the audit of what was not audited on its way out.
        `parallel`: the workers split their own indexes and audited every file they wrote."""
        if not parallel and (site_dir / INDEX).is_file():
            split_search_index(site_dir, self.languages, self.default_lang, offline)
        pages = redirect_pages(self.project.content, self.languages, self.default_lang)
        redirects = {path: self.with_policy(path, page) for path, page in pages.items()}
        for path, page in redirects.items():
            self.refuse(audit.audit_html(path, page, self.allowed))
        for path, page in redirects.items():
            write_atomically(site_dir / path, page)
        handouts.publish(self.project, self.handouts, site_dir)
        write_atomically(site_dir / BANNER_TEXTS, banner_texts(self.project, self.languages))
        if not parallel:  # the search indexes, and pages other plugins wrote or rewrote after they were audited
            self.refuse(audit.audit_site(site_dir, self.allowed, skip=self.audited | set(redirects)))


def banner_texts(project: Project, languages: list[str]) -> str:
    """Each language's banner ("this page is in French") in that language, as a script: plain
    text, never markup. A file of its own, not every page's data: few readers see a banner."""
    texts = {locale(code): PageRenderer(project, code).site_texts("language-banner", ("text", "dismiss")) for code in languages}
    return f"window.__kbBanner = {json.dumps(texts)}\n"


def in_worker() -> str | None:
    """The language a parallel build's worker builds, in one."""
    return os.environ.get(WORKER_ENV)


def _log(report: CheckReport) -> None:
    for code in sorted(PROGRESS):
        counts = Counter(f.lang for f in report.findings if f.code == code)
        if counts:
            per_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
            log.info(f"{code}: {per_lang} strings; see the status page or run `kb check`")
    # Text warnings are shown, but at INFO: they are `kb check --strict`'s business (make check),
    # and must not stop a strict build or a translator's live preview.
    for finding in report.findings:
        if not finding.is_error and finding.code not in PROGRESS:
            log.info(finding.format())


def _strings(project: Project):
    """Every string of content/ and translations/ with where it is: what the audit traces to."""
    for lang, files in project.texts.items():
        for name, units in files.items():
            for uid, fields in units.items():
                for key, text in fields.items():
                    yield f"translations/{lang}/{name}.yaml:{text.line}:{text.column} {uid}.{key}", text
    for cf in project.content.files.values():
        for unit in cf.units.values():
            for key, value in unit.attrs.items():
                if isinstance(value, str):
                    yield f"{cf.path}:{getattr(value, 'line', 1)}:{getattr(value, 'column', 1)} {unit.id}.{key}", value
