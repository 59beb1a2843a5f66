"""Stage 5, hand over to MkDocs: generated pages join the build as in-memory files (nothing is written)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from .anchors import redirect_pages
from .checks import CheckReport, run_checks
from .files import write_atomically
from .project import Project, content_paths, load_project
from .render import PageRenderer, page_names, site_name
from .search import INDEX, index_path, index_script_path, split_search_index

OFFLINE_SHIM = "assets/javascripts/iframe-worker-shim.js"  # overrides/: vendored, see its header


def built_languages(config, project: Project) -> tuple[list[str], str]:
    """The languages this build makes, default first: one with `make serve LANG=fr` (KB_LANG),
    which static-i18n then serves at the root."""
    i18n = config.plugins.get("i18n")
    only = i18n.config.build_only_locale if i18n is not None else None
    return ([only], only) if only else (project.languages, project.default_lang)


def offline_build(config) -> bool:
    """Is Material's offline plugin on (`make offline`)?"""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


log = get_plugin_logger("kb")
_cache: dict = {"signature": None, "project": None, "report": None}
# Progress states: shown on the status page and as notices, never a reason to fail a build.
PROGRESS_CODES = {"MISSING", "STALE"}


class _TemplateCache(BytecodeCache):
    """Compiled theme templates, kept for the life of the process. static-i18n builds each
    language with a new template environment, and `mkdocs serve` rebuilds on every save: without
    this, Material's templates are compiled again each time (about a third of a build here).
    Jinja checks each template's source before it reuses its code."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_templates = _TemplateCache()


# Helper functions


def _signature(root: Path) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in content_paths(root)) + (root,)


def _log(report: CheckReport) -> None:
    for code in sorted(PROGRESS_CODES):
        counts = Counter(f.lang for f in report.findings if f.code == code)
        if counts:
            per_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
            log.info(f"{code}: {per_lang} strings; see the status page or run `kb check`")
    # Text warnings are shown, but at INFO: they are `kb check --strict`'s business (make check),
    # and must not stop a strict build or a translator's live preview.
    for finding in report.findings:
        if not finding.is_error and finding.code not in PROGRESS_CODES:
            log.info(finding.format())


def project_for(config) -> Project:
    """Load and check the project once per change of content/ or translations/; errors stop the build."""
    root = Path(config.config_file_path).parent
    signature = _signature(root)
    if _cache["signature"] != signature:
        _cache["signature"] = None
        project = load_project(root)
        report = run_checks(project)
        if report.errors:
            raise PluginError("\n".join(f.format() for f in report.errors))
        _log(report)
        _cache.update(signature=signature, project=project, report=report)
    return _cache["project"]


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
    config.nav = [f"{name}.md" for name in page_names(project)]
    languages, default_lang = built_languages(config, project)
    search_index = index_path(Path(), lang, default_lang).as_posix()
    search_script = index_script_path(lang, default_lang)
    config.extra["kb"] = {"search_index": search_index, "search_script": search_script, "lang": lang}
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


def on_env(env, config, files):
    env.bytecode_cache = _templates
    return env


def on_page_read_source(page, config):
    project = _cache["project"]  # loaded and checked by on_config for this build
    found = _generated(page.file.src_uri, project)
    if found is None:
        return None
    name, lang = found
    return PageRenderer(project, lang, _cache["report"], config.site_url or "/").render(name)


@event_priority(-110)  # after static-i18n (-100) has built every language and merged the index
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # a nested per-language build; the outer build finishes the job
    project = _cache["project"]
    languages, default_lang = built_languages(config, project)
    if (Path(config.site_dir) / INDEX).is_file():
        split_search_index(Path(config.site_dir), languages, default_lang, offline_build(config), project.root)
    for path, page in redirect_pages(project.content, languages, default_lang).items():
        write_atomically(Path(config.site_dir) / path, page)
