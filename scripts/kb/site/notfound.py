"""A 404 page in every language: `404.html` for the default language, `<lang>/404.html` for the others.

static-i18n builds each language's 404.html at the site's root, one over the other, so the last
language built won (and carried the links of the page built before it: mkdocs-static-i18n issue
#284). Here each language's build writes its own under its prefix, and the default language's
stays at the root. A host sends the page of the language whose prefix the missing address has
(deploy/nginx.conf). A 404 page is served at any depth, so every link on it is absolute from
site_url's path, as MkDocs makes the sidebar's there: its text (overrides/404.html), the pages
of its language, and the language switcher, which leads to each language's home.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from ..files import write_atomically
from ..model import language_prefix, locale
from ..project import Project
from ..render import PageRenderer, tool_pages

TEMPLATE = "404.html"


def page_path(lang: str, default_lang: str) -> str:
    """Where a language's 404 page is written, under the site."""
    return f"{language_prefix(lang, default_lang)}{TEMPLATE}"


def context(project: Project, lang: str, site_url: str | None, nav) -> dict:
    """What overrides/404.html writes: texts escaped, and the reading pages of the sidebar, those
    in groups too (their titles are the pages' own, already HTML), with links absolute from
    site_url's path."""
    root = urlsplit(site_url or "/").path.rstrip("/") + "/"
    renderer = PageRenderer(project, lang)
    text = lambda field: escape(renderer.piece("site", "not-found", field).text)  # noqa: E731
    tools = set(tool_pages(project))  # for staff at work, not for a reader who is lost
    pages = [{"url": root + page.url, "title": page.title} for page in nav.pages if page.file.src_uri.split(".")[0] not in tools]
    return {"title": text("title"), "body": text("body"), "pages_title": text("pages"), "pages": pages}


def alternates(names: dict[str, str], languages: list[str], default_lang: str, site_url: str | None) -> list[dict]:
    """The language switcher of a 404 page: each language's home, by its name in mkdocs.yml
    (static-i18n's entries carry the links of the last page it wrote)."""
    root = urlsplit(site_url or "/").path.rstrip("/") + "/"
    return [{"name": names.get(lang, lang), "lang": locale(lang), "link": root + language_prefix(lang, default_lang)} for lang in languages]


def write(site_dir: Path, lang: str, default_lang: str, html: str) -> str | None:
    """Write a language's 404 page under its prefix; returns its path (None: the default
    language's, which MkDocs writes at the root)."""
    if lang == default_lang:
        return None
    rel = page_path(lang, default_lang)
    write_atomically(site_dir / rel, html)
    return rel
