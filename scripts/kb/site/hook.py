"""Stage 5, hand over to MkDocs: the build's events. Generated pages join the build as in-memory
files (nothing is written); what a build keeps is one Build (kb/site/build.py)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File

from .. import addresses
from ..cache import cache_dir, enabled
from ..model import locale
from ..render import PageRenderer, direction, navigation, page_names, site_name
from . import notfound, sanitise
from .build import Build, in_worker, offline_build
from .search import search_folder

OFFLINE_SHIM = "assets/javascripts/iframe-worker-shim.js"  # overrides/: vendored, see its header

_build: Build | None = None  # the build under way


def use(build: Build) -> None:
    """Make `build` the one under way: a parallel build's workers, forked after this, start with it."""
    global _build
    _build = build


def under_way() -> Build:
    return _build


def _nested(config) -> bool:
    """Is this one of the builds static-i18n nests in the first, for another language?"""
    i18n = config.plugins.get("i18n")
    return i18n is not None and i18n.building and not in_worker()


def _generated(src_uri: str) -> tuple[str, str] | None:
    """(page, language) of a page kb writes, from its file name (`loyalty-levels.fr.md`)."""
    name, _, rest = src_uri.partition(".")
    lang = rest.removesuffix(".md").lower()
    if "/" not in src_uri and lang in _build.project.languages and rest == f"{locale(lang)}.md" and name in page_names(_build.project):
        return name, lang
    return None


def _texts(lang: str, uid: str, fields: tuple[str, ...]) -> dict[str, str]:
    return PageRenderer(_build.project, lang).site_texts(uid, fields)


def _switches_to(option: dict) -> str:
    """What a colour-scheme option of mkdocs.yml's `theme.palette` is, as a key of the site strings
    `color-scheme`: the system's choice (`media: "(prefers-color-scheme)"`), dark (Material's `slate`) or light."""
    if option.get("media") == "(prefers-color-scheme)":
        return "system"
    return "dark" if option.get("scheme") == "slate" else "light"


def _name_toggles(config, lang: str) -> None:
    """Each colour-scheme toggle named in this language. Material shows option i's `toggle.name` on
    the button that selects option i + 1 (title and label), and prints it raw: escaped here."""
    palette = config.theme.get("palette")
    if not isinstance(palette, list):  # one fixed scheme (or none): no toggle
        return
    names = _texts(lang, "color-scheme", ("light", "dark", "system"))
    for option, following in zip(palette, palette[1:] + palette[:1], strict=True):
        if isinstance(option.get("toggle"), dict):
            option["toggle"]["name"] = str(escape(names[_switches_to(following)]))


@event_priority(-110)  # after static-i18n (-100) has set this build's language
def on_config(config):
    global _build
    if lang := in_worker():  # its parent's build, made before the fork, for this language
        _build = (_build if _build is not None and _build.lang is None else Build.start(config)).for_language(lang)
    elif not _nested(config):
        _build = Build.start(config)
    project, lang = _build.project, config.theme["language"].lower()  # static-i18n sets the locale (`pt-BR`)
    config.site_name = site_name(project, lang)
    # Material reads the direction from its language file, and a language it lacks gets English's
    # (kb's stub is a copy): from the language's own, for every language.
    config.theme["direction"] = direction(lang)
    _name_toggles(config, lang)
    config.nav = navigation(project, lang)
    permalink = _texts(lang, "labels", ("permalink",))["permalink"]
    if permalink and isinstance(config.mdx_configs.get("toc"), dict):  # the ¶ of each heading, in this language
        config.mdx_configs["toc"]["permalink_title"] = permalink
    config.extra["kb"] = {  # kb-search.js and kb.js: the same on every page of the language
        "search": {"folder": search_folder(lang, _build.default_lang), **_texts(lang, "search", ("near",))},
    }
    if offline_build(config):
        # Material's offline plugin adds the iframe-worker shim from unpkg.com; use our copy.
        polyfills = config.extra.get("polyfills", [])
        config.extra["polyfills"] = [OFFLINE_SHIM if "iframe-worker" in url else url for url in polyfills]
    # Each section's address and QR code for print, drawn as a page is converted (kb/addresses.py).
    if addresses.EXTENSION not in config.markdown_extensions:
        config.markdown_extensions.append(addresses.EXTENSION)
    config.mdx_configs[addresses.EXTENSION] = {"site_url": config.site_url or ""}
    _build.open_memo(config, lang)  # last: the Markdown settings are final (the permalink's title)
    return config


@event_priority(50)  # before static-i18n sorts files by language
def on_files(files, config):
    for name in page_names(_build.project):
        for lang in _build.project.languages:
            src = f"{name}.{locale(lang)}.md"  # static-i18n reads the language from the suffix
            if files.get_file_from_path(src) is None:
                files.append(File(src, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def _striptags(value) -> Markup:
    """Jinja's `striptags` unescapes what it returns, and the theme prints it raw (`<title>`):
    an escaped `&lt;/title&gt;&lt;script&gt;` would become markup. Escaped again, it stays text."""
    return escape(Markup(str(value)).striptags())


def on_env(env, config, files):
    # The indentation before each `{% if %}` and `{% for %}` of the theme's templates, left out of
    # every page (1.5 % of a page gzipped). Not trim_blocks: the sitemap's template needs its line ends.
    env.lstrip_blocks = True
    # Compiled templates are kept in the user's private cache folder (kb/cache.py: compiled code
    # runs, so never from the work tree): each language's build and each save's compile them again otherwise.
    folder = cache_dir(Path(config.config_file_path).parent) if enabled() else None
    if folder is not None:
        templates = folder / f"templates-{jinja2.__version__}"
        templates.mkdir(mode=0o700, exist_ok=True)
        # Named apart from those compiled without lstrip_blocks (a file is keyed by its template's source only).
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(templates), "__jinja2_%s.lstrip.cache")
    env.filters["striptags"] = _striptags
    return env


_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def _with_direction(html: str, config) -> str:
    """`dir` on `<html>` too: Material sets it on `<body>` only, and the root's direction is
    what places the scroll bar and what a page's own `dir`-less parts inherit."""
    return _HTML_LANG.sub(lambda m: f'{m.group()} dir="{config.theme["direction"]}"', html, count=1)


def on_page_read_source(page, config):
    found = _generated(page.file.src_uri)
    if found is None:
        return None
    name, lang = found
    handouts = _build.handouts.get(lang, frozenset())
    return PageRenderer(_build.project, lang, _build.report, _build.committed, handouts, config.site_url).render(name)


@event_priority(-120)  # last: the memo's key is the Markdown every plugin has changed
def on_page_markdown(markdown, page, config, files):
    if _generated(page.file.src_uri) and "title" in page.meta:
        # The renderer wrote the title (and description) escaped: HTML for the theme, never escaped twice.
        page.meta["title"] = Markup(page.meta["title"])
        if "description" in page.meta:
            page.meta["description"] = Markup(page.meta["description"])
    return _build.memo.look_up(markdown, page, files)  # nothing to convert when the HTML is kept


@event_priority(120)  # first: the HTML as Markdown wrote it, kept or put back (kb/site/memo.py)
def _converted(html, page, config, files):
    # Once converted, a page's Markdown is read by nothing, and MkDocs keeps every page until the
    # build ends (at 100 times the content, 10–15 MB of each worker's peak).
    page.markdown = ""
    return _build.memo.settle(html, page)


@event_priority(-120)  # last: every plugin has read the page's Markdown and changed its HTML
def _sanitised(html, page, config, files):
    """Every page's HTML keeps only what kb's Markdown writes (kb/site/sanitise.py), whole."""
    return sanitise.clean(html)


on_page_content = CombinedEvent(_converted, _sanitised)  # MkDocs's way to handle one event twice


@event_priority(-120)  # last: what is audited is what is written
def on_post_page(output, page, config):
    _build.clean_search_entries(config)
    written = _build.written(page.file.dest_uri, _with_direction(output, config))
    # Once written, a page's HTML is read by nothing (its search entries are made, its anchors
    # are kept apart), and MkDocs keeps every page until the build ends.
    page.content = ""
    return written


def on_template_context(context, template_name, config):
    if template_name == notfound.TEMPLATE:
        lang = config.theme["language"].lower()
        i18n = config.plugins.get("i18n")
        names = {entry.locale.lower(): entry.name for entry in i18n.config.languages} if i18n else {}
        # As static-i18n sets it for each page: an attribute, which is what the theme reads.
        config.extra.alternate = notfound.alternates(names, _build.languages, _build.default_lang, config.site_url)
        # In this template's context only: config.extra.kb goes into every page's script (main.html).
        context["kb_not_found"] = notfound.context(_build.project, lang, config.site_url, context["nav"])
    return context


@event_priority(-120)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    output_content = _with_direction(output_content, config)
    if template_name != notfound.TEMPLATE:
        return _build.written(template_name, output_content)
    # Each language's 404 page under its own prefix; the default language's at the root, where
    # MkDocs writes it (an empty result: MkDocs writes nothing, and leaves the root's as it is).
    lang = config.theme["language"].lower()
    html = _build.written(notfound.page_path(lang, _build.default_lang), output_content)
    return "" if notfound.write(Path(config.site_dir), lang, _build.default_lang, html) else html


@event_priority(-110)  # after static-i18n (-100) has built every language and merged the index
def on_post_build(config):
    _build.memo.prune()  # this language's build is whole
    if not _nested(config):  # a nested build's language is finished by the outer build
        _build.finish(config, Path(config.site_dir))
