"""Stage 5, hand over to MkDocs: generated pages join the build as in-memory files (nothing is written)."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from jinja2 import BytecodeCache
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from ..anchors import REDIRECT, redirect_pages
from ..cache import cache_dir
from ..cache import enabled as cache_enabled
from ..checks import CheckReport, run_checks
from ..files import installed, write_atomically, write_bytes_atomically
from ..findings import PROGRESS
from ..load import keep_parsed
from ..project import Project, list_sources, load_project
from ..render import PageRenderer, navigation, page_names, site_name
from . import audit, csp, notfound, sanitise
from .search import INDEX, index_path, index_script_path, split_search_index, write_language_index
from .worker import WORKER_ENV, apart, give_back_free_memory

SEARCH_SETTINGS = ("lang", "separator", "pipeline", "fields")  # what Material's index carries of its settings
OFFLINE_SHIM = "assets/javascripts/iframe-worker-shim.js"  # overrides/: vendored, see its header


def built_languages(config, project: Project) -> tuple[list[str], str]:
    """The languages this build makes, default first: one with `make serve LANG=fr` (KB_LANG),
    which static-i18n then serves at the root."""
    i18n = config.plugins.get("i18n")
    only = i18n.config.build_only_locale if i18n is not None else None
    return ([only], only) if only else (project.languages, project.default_lang)


def _search_plugin(config):
    """Material's search plugin in this build, or None."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def offline_build(config) -> bool:
    """Is Material's offline plugin on (`make offline`)?"""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


log = get_plugin_logger("kb")
_cache: dict = {"signature": None, "project": None, "report": None}
# The output audit of the build under way: what a page may load, and the files audited before
# they were written (the outer build's on_post_build audits everything else).
_audit: dict = {"allowed": None, "done": set(), "prepared": None}  # prepared: by a parallel build, for its workers
_search: dict = {"index": None, "cleaned": 0}  # Material's search index of this build, and how many of its entries are sanitised
# Progress states (findings.PROGRESS): shown on the status page and as notices, never a reason to fail a build.
SHOWN_PROBLEMS = 20  # of the output audit: one hostile string can make hundreds


class _TemplateCache(BytecodeCache):
    """Compiled theme templates, kept for the life of the process and in the user's cache folder
    (kb/cache.py: compiled code runs, so never from the work tree). static-i18n
    builds each language with a new template environment, a parallel build forks a worker per
    language, and `mkdocs serve` rebuilds on every save: without this, Material's templates are
    compiled again each time (a quarter of a one-language build). Jinja checks each template's
    source before it reuses its code."""

    def __init__(self):
        self.code: dict[str, bytes] = {}
        self.folder: Path | None = None  # where compiled code outlives the process (on_env sets it)

    def load_bytecode(self, bucket) -> None:
        if bucket.key not in self.code and self.folder is not None:
            with contextlib.suppress(OSError):
                self.code[bucket.key] = (self.folder / bucket.key).read_bytes()
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            with contextlib.suppress(OSError):  # a read-only checkout builds; it only compiles again
                write_bytes_atomically(self.folder / bucket.key, self.code[bucket.key])


_templates = _TemplateCache()
PAGE_TEMPLATES = ("main.html", "404.html", "sitemap.xml")  # what MkDocs renders; the rest they extend or include


def _template_folder(root: Path) -> Path | None:
    folder = cache_dir(root) if cache_enabled() else None
    return folder / f"templates-{jinja2.__version__}" if folder else None  # Jinja's code is Jinja's: its version names the folder


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's folders as MkDocs lists them to copy the theme's files (add_files_from_theme,
    in every language build, before any hook runs). Each installed folder (Material's, MkDocs's:
    they do not change while kb runs) is walked once per process, by the process that forks the
    workers; the project's own (overrides/) every time. A path with a hidden part is not listed:
    MkDocs copies no hidden file, and Material's 14,000 icons under .icons/ (which templates
    include by name) were most of the listing and of MkDocs's filtering of it."""

    _walked: dict[str, list[str]] = {}  # noqa: RUF012 - the process's, shared by every loader

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if folder in self._walked:
                found.update(self._walked[folder])
                continue
            names = [name for name in jinja2.FileSystemLoader(folder).list_templates() if not _hidden(name)]
            if installed(folder):
                self._walked[folder] = names
            found.update(names)
        return sorted(found)


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def keep_compiled_templates(theme) -> None:
    """Every template environment `theme` makes keeps compiled templates in `_templates` and
    lists the theme's files once (_ThemeLoader). MkDocs makes one for the build (on_env), but
    Material's search plugin makes its own, before any hook can see it, to render its labels
    (partials/language.html and the language's partial, the largest templates Material has),
    in every language build."""
    make = type(theme).get_env.__get__(theme)

    def get_env():
        env = make()
        env.bytecode_cache = _templates
        env.loader = _ThemeLoader(env.loader.searchpath)
        return env

    theme.get_env = get_env


def list_theme_files(config) -> None:
    """Before a parallel build forks its workers: the installed theme's files listed once, here
    (_ThemeLoader), so that no worker walks them again."""
    _ThemeLoader(config.theme.dirs).list_templates()


def compile_templates(config, root: Path) -> None:
    """Before a parallel build forks its workers, when no earlier build left compiled templates
    (the first build after a clone): the theme's templates compiled once, here, so that every
    worker starts with them instead of compiling them all again."""
    folder = _template_folder(root)
    if folder is not None:
        _templates.folder = folder  # what is compiled here is kept there too
        if folder.is_dir() and any(folder.iterdir()):
            return  # the workers load them from there
    env = config.theme.get_env()
    todo, seen = list(PAGE_TEMPLATES), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            continue
        tree = env.parse(source, name, filename)
        todo += [n for n in jinja2.meta.find_referenced_templates(tree) if n]  # a computed name is left to the worker
        bucket = _templates.get_bucket(env, name, filename, source)
        bucket.code = env.compile(tree, name, filename)
        _templates.set_bucket(bucket)


# Helper functions


def _signature(root: Path) -> tuple:
    listed = list_sources(root)  # a file that is refused changes it too: the preview reports it
    stats = ((rel, os.lstat(path)) for rel, path in listed.files.items())
    return tuple((rel, s.st_mtime_ns, s.st_size) for rel, s in stats) + tuple(listed.findings) + (root,)


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


def project_for(config) -> Project:
    """Load and check the project once per change of content/ or translations/; errors stop the build."""
    root = Path(config.config_file_path).parent
    signature = _signature(root)
    if _cache["signature"] != signature:
        _cache["signature"] = None
        project = load_project(root)
        report = apart(run_checks, project)  # what the checks allocate is never copied into the workers
        if report.errors:
            raise PluginError("\n".join(f.format() for f in report.errors))
        _log(report)
        _cache.update(signature=signature, project=project, report=report)
    return _cache["project"]


def _texts(project: Project, lang: str, uid: str, fields: tuple[str, ...]) -> dict[str, str]:
    """Site strings of one language, for the browser (kb.js): plain text, never markup."""
    renderer = PageRenderer(project, lang)
    return {field: renderer.piece("site", uid, field).text for field in fields}


def _strings(project: Project):
    """Every string of content/ and translations/ with where it is: what the audit traces to."""
    for lang, files in project.texts.items():
        for name, units in files.items():
            for uid, fields in units.items():
                for field, text in fields.items():
                    yield f"translations/{lang}/{name}.yaml:{text.line}:{text.column} {uid}.{field}", text
    for cf in project.content.files.values():
        for unit in cf.units.values():
            for key, value in unit.attrs.items():
                if isinstance(value, str):
                    yield f"{cf.path}:{getattr(value, 'line', 1)}:{getattr(value, 'column', 1)} {unit.id}.{key}", value


def _refuse(problems: list[audit.Problem], project: Project) -> None:
    """Stop the build on anything the audit found, before the page is written."""
    if problems:
        shown = sorted(problems)[:SHOWN_PROBLEMS]
        more = len(problems) - len(shown)
        lines = [p.format() for p in audit.trace(shown, _strings(project))]
        raise PluginError("\n".join(lines + ([f"… and {more} more"] if more else [])))


def _audit_written(config, rel: str, html: str) -> str:
    """The page as it is written, audited whole."""
    html = _with_policy(rel, html, _audit["allowed"])
    _refuse(audit.audit_html(rel, html, _audit["allowed"]), _cache["project"])
    _audit["done"].add(rel)
    return html


def _with_policy(rel: str, html: str, allowed: audit.Allowed) -> str:
    """The page with its Content-Security-Policy first in its head (kb/site/csp.py)."""
    try:
        return csp.with_policy(html, allowed.writes_script)
    except ValueError as err:
        raise PluginError(f"{rel}: {err}") from None


def allowed_on(config, languages: list[str]) -> audit.Allowed:
    """What the output audit lets through on this site: read from the theme and docs/."""
    base_path = urlsplit(config.site_url or "/").path
    scripts = [str(s) for s in config.extra_javascript]
    redirect = REDIRECT.format(lang="{{ lang }}", target="{{ target }}")  # ours: a template like the theme's
    return audit.allowlist(config.theme.dirs, config.docs_dir, scripts, languages, base_path, templates=[redirect])


def prepare_audit(config, languages: list[str]) -> audit.Allowed:
    """Before a parallel build forks its workers: the audit's allowlist (read from the theme's
    templates and docs/), made once here for every worker and the end of the build."""
    _audit["prepared"] = allowed_on(config, languages)
    return _audit["prepared"]


def _owns_site(config) -> bool:
    """Is this the build that finishes the site: not one static-i18n nests in another, but the
    outer build, or one language's build of a parallel build (kb/site/parallel.py)?"""
    i18n = config.plugins.get("i18n")
    return i18n is None or not i18n.building or WORKER_ENV in os.environ


def _language_index(config, site_dir: Path, lang: str) -> list[audit.Problem]:
    """In a parallel build's worker: this language's search index, at its own root, from the
    entries Material's index holds (what it wrote there is not read), each audited as it is
    written; the problems found."""
    raw = site_dir / INDEX
    search = _search_plugin(config)
    if not raw.is_file() or getattr(search, "search_index", None) is None:
        return []
    project = _cache["project"]
    _, default_lang = built_languages(config, project)
    if lang != default_lang:  # the default language's index is written over it
        raw.unlink()
        raw.with_suffix(".js").unlink(missing_ok=True)
    settings = {key: search.config[key] for key in SEARCH_SETTINGS}
    rel = index_path(Path(), lang, default_lang).as_posix()
    problems: list[audit.Problem] = []

    def check(doc: dict) -> None:
        problems.extend(audit.audit_entry(rel, doc, _audit["allowed"]))

    entries = lambda: search.search_index.entries  # noqa: E731 - read twice for a language cut into words
    write_language_index(site_dir, lang, default_lang, settings, entries, offline_build(config), check)
    _audit["done"].update({rel, Path(rel).with_suffix(".js").as_posix()})
    return problems


def finish_site(
    config,
    project: Project,
    site_dir: Path,
    languages,
    default_lang: str,
    offline: bool,
    allowed,
    audited: set[str] | None,
) -> None:
    """What is done once for the whole site, after every language was built: the search index
    split per language, redirect pages, and the audit of what was not audited on its way out.
    `audited` None: a parallel build, whose workers split their own indexes and audited every
    file they wrote."""
    if audited is not None and (site_dir / INDEX).is_file():
        split_search_index(site_dir, languages, default_lang, offline)
    redirects = {path: _with_policy(path, page, allowed) for path, page in redirect_pages(project.content, languages, default_lang).items()}
    for path, page in redirects.items():
        _refuse(audit.audit_html(path, page, allowed), project)
    for path, page in redirects.items():
        write_atomically(site_dir / path, page)
    if audited is not None:
        # What was not audited on its way out: the search indexes, and pages other plugins wrote
        # or rewrote after they were audited.
        _refuse(audit.audit_site(site_dir, allowed, skip=set(audited) | set(redirects)), project)


def _generated(src_uri: str, project: Project) -> tuple[str, str] | None:
    name, _, rest = src_uri.partition(".")
    lang = rest.removesuffix(".md")
    if "/" not in src_uri and lang in project.languages and name in page_names(project):
        return name, lang
    return None


# Hooks


@event_priority(-110)  # after static-i18n (-100) has set this build's language
def on_config(config):
    project = project_for(config)
    lang = config.theme["language"]
    config.site_name = site_name(project, lang)
    config.nav = navigation(project, lang)
    languages, default_lang = built_languages(config, project)
    search_index = index_path(Path(), lang, default_lang).as_posix()
    search_script = index_script_path(lang, default_lang)
    banner = {code: _texts(project, code, "language-banner", ("text", "dismiss")) for code in languages}
    permalink = _texts(project, lang, "labels", ("permalink",))["permalink"]
    if permalink and isinstance(config.mdx_configs.get("toc"), dict):  # the ¶ of each heading, in this language
        config.mdx_configs["toc"]["permalink_title"] = permalink
    config.extra["kb"] = {"search_index": search_index, "search_script": search_script, "lang": lang, "banner": banner}
    if _owns_site(config):  # a new audit
        prepared = _audit["prepared"] if WORKER_ENV in os.environ else None
        allowed = prepared or allowed_on(config, languages)
        _audit.update(allowed=allowed, done=set())
    if offline_build(config):
        # Material's offline plugin adds the iframe-worker shim from unpkg.com; use our copy.
        polyfills = config.extra.get("polyfills", [])
        config.extra["polyfills"] = [OFFLINE_SHIM if "iframe-worker" in url else url for url in polyfills]
    return config


@event_priority(50)  # before static-i18n sorts files by language
def on_files(files, config):
    project = _cache["project"]  # loaded and checked by on_config for this build
    for name in page_names(project):
        for lang in project.languages:
            src = f"{name}.{lang}.md"
            if files.get_file_from_path(src) is None:
                files.append(File(src, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def _striptags(value) -> Markup:
    """Jinja's `striptags` unescapes what it returns, and the theme prints it raw (`<title>`):
    an escaped `&lt;/title&gt;&lt;script&gt;` would become markup. Escaped again, it stays text."""
    return escape(Markup(str(value)).striptags())


def on_env(env, config, files):
    if WORKER_ENV in os.environ:  # every page is rendered: what rendering freed goes back before they are written
        give_back_free_memory()
    env.bytecode_cache = _templates
    if _cache["project"] is not None:
        _templates.folder = _template_folder(_cache["project"].root)
    env.filters["striptags"] = _striptags
    return env


def on_page_markdown(markdown, page, config, files):
    if _generated(page.file.src_uri, _cache["project"]) and "title" in page.meta:
        # The renderer wrote the title (and description) escaped: HTML for the theme, never escaped twice.
        page.meta["title"] = Markup(page.meta["title"])
        if "description" in page.meta:
            page.meta["description"] = Markup(page.meta["description"])
    return markdown


@event_priority(-120)  # last: every plugin has read the page's Markdown and changed its HTML
def on_page_content(html, page, config, files):
    """Every page's HTML keeps only what kb's Markdown writes (kb/site/sanitise.py), whole."""
    return sanitise.clean(html)


@event_priority(-120)  # last: what is audited is what is written
def on_post_page(output, page, config):
    _clean_search_entries(config)
    written = _audit_written(config, page.file.dest_uri, output)
    # Once written, a page's HTML is read by nothing (its search entries are made, its anchors
    # are kept apart), and MkDocs keeps every page until the build ends.
    page.content = ""
    return written


def _clean_search_entries(config) -> None:
    """The search entries Material made of the page being written (in its on_page_context),
    sanitised as its HTML was: the results show each title and text as HTML."""
    index = getattr(_search_plugin(config), "search_index", None)
    if index is None or not hasattr(index, "entries"):
        return
    if _search["index"] is not index or len(index.entries) < _search["cleaned"]:  # a new build (static-i18n's next language)
        _search.update(index=index, cleaned=0)
    sanitise.clean_entries(index.entries[_search["cleaned"] :])
    _search["cleaned"] = len(index.entries)


def on_template_context(context, template_name, config):
    if template_name == notfound.TEMPLATE:
        project = _cache["project"]
        languages, default_lang = built_languages(config, project)
        lang = config.extra["kb"]["lang"]
        i18n = config.plugins.get("i18n")
        names = {entry.locale: entry.name for entry in i18n.config.languages} if i18n else {}
        # As static-i18n sets it for each page: an attribute, which is what the theme reads.
        config.extra.alternate = notfound.alternates(names, languages, default_lang, config.site_url)
        # In this template's context only: config.extra.kb goes into every page's script (main.html).
        context["kb_not_found"] = notfound.context(project, lang, config.site_url, context["nav"])
    return context


@event_priority(-120)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    if template_name != notfound.TEMPLATE:
        return _audit_written(config, template_name, output_content)
    # Each language's 404 page under its own prefix; the default language's at the root, where
    # MkDocs writes it (an empty result: MkDocs writes nothing, and leaves the root's as it is).
    lang, (_, default_lang) = config.extra["kb"]["lang"], built_languages(config, _cache["project"])
    html = _audit_written(config, notfound.page_path(lang, default_lang), output_content)
    return "" if notfound.write(Path(config.site_dir), lang, default_lang, html) else html


def on_startup(command, dirty):
    if command == "serve":  # the first build's parses are kept for every save's (kb/site/preview.py)
        keep_parsed()


def on_page_read_source(page, config):
    project = _cache["project"]  # loaded and checked by on_config for this build
    found = _generated(page.file.src_uri, project)
    if found is None:
        return None
    name, lang = found
    return PageRenderer(project, lang, _cache["report"]).render(name)


@event_priority(-110)  # after static-i18n (-100) has built every language and merged the index
def on_post_build(config):
    if not _owns_site(config):
        return  # a nested per-language build; the outer build finishes the job
    site_dir = Path(config.site_dir)
    if WORKER_ENV in os.environ:  # one language of a parallel build: its own index, then the merge
        give_back_free_memory()  # what writing every page freed, before the index is made
        problems = _language_index(config, site_dir, os.environ[WORKER_ENV])
        problems += audit.audit_site(site_dir, _audit["allowed"], skip=_audit["done"])
        _refuse(problems, _cache["project"])
        return
    project = _cache["project"]
    languages, default_lang = built_languages(config, project)
    finish_site(config, project, site_dir, languages, default_lang, offline_build(config), _audit["allowed"], _audit["done"])
