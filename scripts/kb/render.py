"""Stage 4, render: one Markdown page per content page and language, with per-section fallback."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from markupsafe import Markup, escape

from . import addresses
from . import markdown_safe as safe
from .anchors import numbering, topics
from .checks import CheckReport, translation_status
from .collation import sort_key
from .model import ADDRESS_SCHEMES, ContentFile, Unit, language_prefix, locale
from .project import Project

HOME = "index"
STATUS = "status"
TRAINERS = "trainers"


@dataclass(frozen=True)
class Piece:
    """A text and the language it is actually in (differs from the page's on fallback)."""

    text: str
    lang: str


NUMBER_SEPARATOR = "·"
# Data: where the long date of the Unicode CLDR (Babel) is not what a language's readers expect.
# Thai readers count years in the Buddhist era (CLDR's preferred calendar for Thailand, which Babel
# does not format); Frisian writes month names in lower case (CLDR capitalises them).
ERA_OFFSET = {"th": 543}
LOWERCASE_MONTHS = {"fy"}


@cache
def direction(lang: str) -> str:
    """`rtl` or `ltr`: the direction a language is written in, from the Unicode CLDR's data (Babel,
    as Material uses it) for its code (`ar`, `fa-IR`, `pa-Arab`), else for its language subtag."""
    for code in dict.fromkeys([lang, lang.split("-")[0]]):
        try:
            return "rtl" if Locale.parse(code, sep="-").character_order == "right-to-left" else "ltr"
        except (ValueError, UnknownLocaleError):
            continue
    return "ltr"


def long_date(day: datetime.date, lang: str) -> str:
    """A date as readers of `lang` write it in running text: "7 tháng 12, 2026", "7 décembre 2026",
    "7 desimber 2026", "7 ธันวาคม 2569"."""
    base = lang.split("-")[0]
    try:
        where = Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError):
        return day.isoformat()
    pattern = where.date_formats["long"].pattern
    if base in ERA_OFFSET:  # the year in that era, and no era name (CLDR's is the Gregorian's)
        pattern = re.sub(r"y+", f"'{day.year + ERA_OFFSET[base]}'", re.sub(r"\s*G+\s*", " ", pattern).strip())
    if base in LOWERCASE_MONTHS:
        pattern = pattern.replace("MMMM", f"'{format_date(day, 'MMMM', locale=where).lower()}'")
    return format_date(day, pattern, locale=where)


class PageRenderer:
    """Renders the pages of one language. Pure: project in, Markdown out."""

    def __init__(
        self,
        project: Project,
        lang: str,
        report: CheckReport | None = None,
        committed: dict[str, datetime.date] | None = None,
        handouts: frozenset[str] = frozenset(),
        site_url: str | None = None,
    ):
        self.p = project
        # The site's public address (MkDocs's site_url, validated by it and by kb/site/publish.py):
        # a topic page prints each section's address under its heading (kb/addresses.py). None: none printed.
        self.public_address = site_url if not site_url or site_url.endswith("/") else site_url + "/"
        self.handouts = handouts  # the topics whose handout PDF is published in this language (kb/site/handouts.py)
        self.lang = lang
        self.report = report
        self.committed = committed or {}  # a source file's path -> its last commit's date (kb/site/history.py)
        self.stale = report.stale.get(lang, set()) if report else set()
        self.numbers = numbering(project.content)

    # Helper functions

    def text_at(self, lang: str, file: str, uid: str, field: str) -> str | None:
        """The text of `field` of `uid` in translations/<lang>/<file>.yaml, or None."""
        return self.p.texts.get(lang, {}).get(file, {}).get(uid, {}).get(field)

    def is_stale(self, key: str) -> bool:
        """Is this string's translation older than its source (`file/uid.field`)?"""
        return key in self.stale

    def piece(self, file: str, uid: str, field: str) -> Piece:
        """The text in this language, else the file's source language, else any language."""
        source = self.p.content.files[file].source_lang
        for lang in dict.fromkeys([self.lang, source, self.p.default_lang, *self.p.languages]):
            text = self.text_at(lang, file, uid, field)
            if text is not None:
                return Piece(str(text), lang)
        return Piece(uid if field in ("title", "term", "name") else "", self.lang)

    def language_name(self, lang: str, listed: bool = False) -> Piece:
        """A language's name as written mid-sentence ("tiếng Pháp"); `listed`, standing alone at the
        start of a line or cell, with a capital ("Tiếng Pháp"), as glossary terms are listed."""
        name = self.piece("site", "languages", lang)
        return Piece(name.text[:1].upper() + name.text[1:], name.lang) if listed else name

    def label(self, key: str) -> str:
        return self.piece("site", "labels", key).text

    def label_of(self, uid: str, key: str) -> str:
        return self.piece("site", uid, key).text

    def site_texts(self, uid: str, keys: tuple[str, ...]) -> dict[str, str]:
        """Site strings of this language for the browser (kb.js, the theme's toggles): plain text, never markup."""
        return {key: self.label_of(uid, key) for key in keys}

    def dir_attribute(self, lang: str) -> str:
        other = self.other_direction(lang)
        return f' dir="{other}"' if other else ""

    def other_direction(self, lang: str) -> str | None:
        """The direction of text in `lang` where it differs from this page's: such text is set
        apart with it (`dir`), or the page's bidi algorithm reorders its words and numbers."""
        own = direction(lang)
        return own if own != direction(self.lang) else None

    def title_heading(self, level: int, title: Piece, anchor: str, number: str = "", suffix: str = "") -> str:
        """A heading: its title marked with the language it is in (`lang` on the heading, where
        the page's search and screen readers find it) and, in the other direction than the
        page's, set apart in its own (the number and the end of the line stay the page's)."""
        attrs = f"#{anchor}" + (f" lang={locale(title.lang)}" if title.lang != self.lang else "")
        text = safe.inline(title.text)
        if other := self.other_direction(title.lang):
            text = f'<span dir="{other}">{text}</span>'
        return f"{'#' * level} {number}{text}{suffix} {{{attrs}}}"

    def heading(self, level: int, file: str, unit: Unit, suffix: str = "") -> str:
        title = self.piece(file, unit.id, "title")
        number = self.number_mark(unit.id) if file in self.p.content.unit_file else ""
        return self.title_heading(level, title, unit.id, number, suffix)

    def number_mark(self, uid: str) -> str:
        """A section's number before its title (the trainers' "open 2.3"), or nothing: the middle
        dot keeps it apart from a title that starts with a number ("1 · 5 cấp độ…", never
        "1 5 cấp độ…", read as 15)."""
        return f'<span class="kb-number">{self.numbers[uid]}</span> {NUMBER_SEPARATOR} ' if uid in self.numbers else ""

    def address(self, lang: str, page: str, uid: str = "") -> str:
        """The address of a page or section from the site's root (`fr/topic/#section`). What a
        reader copies is made from it in the browser, from the page's own address (kb.js): right
        on any host, port and path, whatever site_url the guide was built with."""
        return f"{language_prefix(lang, self.p.default_lang)}{page}/" + (f"#{uid}" if uid and uid != page else "")

    def link_tools(self, file: str, unit: Unit) -> list[str]:
        """Old ids (aliases) as anchors, so old links still land here, and the "copy link" button."""
        if file not in self.p.content.unit_file:
            return []
        url = self.address(self.lang, file, unit.id)
        label = safe.attribute(self.label("copy-link"))
        tools = "".join(f'<a id="{alias}" class="kb-alias"></a>' for alias in unit.attrs.get("aliases", []) if unit.id != file)
        button = f'<button class="kb-copy-link" type="button" data-clipboard-text="{safe.attribute(url)}" title="{label}" aria-label="{label}"></button>'
        return [tools + button]

    def text_block(self, piece: Piece, unit: Unit | None = None) -> str:
        body = safe.block(piece.text, self.quoted_language(unit, piece.lang) if unit else None)
        if piece.lang == self.lang:
            return body
        return f'<div class="kb-fallback" lang="{locale(piece.lang)}"{self.dir_attribute(piece.lang)} markdown>\n\n{body}\n\n</div>'

    @staticmethod
    def quoted_language(unit: Unit, lang: str):
        """What an inline code span of `unit` quotes in another language than `lang`: the
        language content/ gives its text (`quotes: [{lang: fr, code: [Habitudes]}]`), so that
        the span carries `lang` (a screen reader reads it in that language)."""
        quotes = [(q["lang"], q["code"]) for q in unit.attrs.get("quotes", []) if q.get("lang") != lang]

        def language(code: str) -> str | None:
            return next((locale(other) for other, texts in quotes if any(t in code for t in texts)), None)

        return language if quotes else None

    def inline_text(self, piece: Piece) -> str:
        text = safe.inline(piece.text)
        return text if piece.lang == self.lang else f'<span lang="{locale(piece.lang)}"{self.dir_attribute(piece.lang)}>{text}</span>'

    def notice(self, kind: str = "untranslated") -> str:
        """A notice in the reader's language; one not translated into it yet comes in another
        language (marked with its `lang`) and names the reader's language in that language, or
        by its own name. `{language}` in a notice is the reader's language."""
        piece = self.piece("site", "notices", kind)
        name = self.text_at(piece.lang, "site", "languages", self.lang)
        text = piece.text.replace("{language}", str(name or self.piece("site", "languages", self.lang).text))
        lang = f" lang={locale(piece.lang)}" if piece.lang != self.lang else ""
        if other := self.other_direction(piece.lang):
            lang += f" dir={other}"
        return f"{safe.inline(text)}\n{{: .kb-notice .kb-{kind}{lang} }}"

    def unit_blocks(self, level: int, file: str, unit: Unit) -> list[str]:
        """Heading, notice when anything fell back, then each text field of one unit."""
        pieces = {f: self.piece(file, unit.id, f) for f in unit.fields}
        blocks = [self.heading(level, file, unit), *self.link_tools(file, unit)]
        if self.public_address and unit.id in self.numbers:  # a topic's unit: its address and QR code, for print
            blocks.append(addresses.marker(self.public_address + self.address(self.lang, file, unit.id)))
        if any(p.lang != self.lang for p in pieces.values()):
            blocks.append(self.notice())
        elif any(self.is_stale(f"{file}/{unit.id}.{f}") for f in unit.fields):
            blocks.append(self.notice("outdated"))
        for field, piece in pieces.items():
            if field == "title" or not piece.text:
                continue
            if field == "example":
                title = safe.admonition_title(self.label("example"))
                blocks.append(f'!!! example "{title}"\n\n{safe.indent(self.text_block(piece, unit))}')
            else:
                blocks.append(self.text_block(piece, unit))
        links = [self.link_to(target) for target in self.p.content.see_also.get(unit.id, [])]
        if links:
            title = safe.admonition_title(self.label("see-also"))
            items = "\n".join(f"- {link}" for link in links)
            blocks.append(f'!!! info "{title}"\n\n{safe.indent(items)}')
        return blocks

    def link_to(self, uid: str) -> str:
        file = self.p.content.unit_file[uid]
        anchor = "" if uid == file else f"#{uid}"
        return f"[{self.inline_text(self.piece(file, uid, 'title'))}]({file}.md{anchor})"

    def page(self, title: Piece, blocks: list[str], summary: Piece | None = None, search: bool = True, toc: bool = True) -> str:
        """The page: front matter (title; `summary` as its meta description; `search` False keeps
        it out of the search index; `toc` False hides its table of contents), then its blocks."""
        # The theme prints the page title unescaped (head, header, sidebar): it is HTML from here on.
        escaped = str(escape(safe.one_line(title.text)))  # as site_name: one escaper for the theme's text
        front = f"title: {json.dumps(escaped, ensure_ascii=False)}\n"
        if summary is not None and summary.text.strip():
            front += f"description: {json.dumps(str(escape(_description(summary.text))), ensure_ascii=False)}\n"
        if not search:
            front += "search:\n  exclude: true\n"
        if not toc:
            front += "hide:\n  - toc\n"
        return f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n"

    def made_of(self, name: str) -> list[str]:
        """The source files a page shows the text of, in this language: a topic's (or the glossary's,
        with the topics whose titles it lists as terms) content and translation file; the home,
        trainers' and status pages list every page, so every file of the language."""
        if name not in self.p.content.files:
            return [rel for rel in self.p.files if rel.startswith(("content/", f"translations/{self.lang}/"))]
        refs = (
            self.p.content.unit_file.get(unit.attrs["ref"]) for unit in self.p.content.files[name].units.values() if "ref" in unit.attrs
        )
        pages = [name, *filter(None, refs)]
        return [f"{folder}/{page}.yaml" for page in dict.fromkeys(pages) for folder in ("content", f"translations/{self.lang}")]

    def page_facts(self, name: str) -> dict[str, str]:
        """What the theme shows after a page's text (overrides/partials/source-file.html), as HTML:
        the date its text was last committed, in this language, and where to send feedback."""
        facts = {}
        dates = [self.committed[rel] for rel in self.made_of(name) if rel in self.committed]
        if dates:
            day = max(dates)
            label = self.label("last-updated") or "{date}"
            time = f'<time datetime="{day.isoformat()}">{escape(long_date(day, self.lang))}</time>'
            facts["updated"] = str(escape(label)).replace("{date}", time) if "{date}" in label else f"{escape(label)} {time}"
        site = self.p.content.files.get("site")
        address = site.attrs.get("feedback") if site else None
        if address and address.startswith(ADDRESS_SCHEMES):  # kb check refuses any other; a renderer never writes it
            facts["feedback"] = f'<a class="kb-feedback" href="{escape(address)}">{escape(self.label("feedback") or address)}</a>'
        return facts

    # Renderers, one per page type

    def render_topic(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        for section in cf.root.children:
            blocks += self.unit_blocks(2, cf.name, section)
            for item in section.children:
                blocks += self.unit_blocks(3, cf.name, item)
        sources = [
            f"- [{self.inline_text(self.piece('sources', s, 'title'))}{self.source_language(s)}](sources.md#{s}){self.given_title(s)}"
            for s in cf.root.attrs.get("sources", [])
        ]
        if sources:
            title = safe.admonition_title(self.label("sources"))
            blocks.append(f'!!! quote "{title}"\n\n{safe.indent(chr(10).join(sources))}')
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks, self.piece(cf.name, cf.root.id, "body"))

    def render_home(self) -> str:
        title = self.piece("site", "home", "title")
        blocks = [self.title_heading(1, title, "home"), self.text_block(self.piece("site", "home", "body"))]
        tools = tool_pages(self.p)
        for name in [n for n in self.p.content.pages if n not in tools]:  # the topics first
            blocks.append(self.page_entry(name))
        blocks.append(self.title_heading(2, self.piece("site", "labels", "tools"), "tools"))
        blocks += [self.page_entry(name) for name in tools]
        # Its text sums up every page: in search it would top every result (the pages say it all).
        # Its only heading is the tools': a table of contents of that one line is no help.
        return self.page(title, blocks, self.piece("site", "site", "description"), search=False, toc=False)

    def page_entry(self, name: str) -> str:
        """A page on the home page: its title as a link, and its summary."""
        if name in self.p.content.files:
            cf = self.p.content.files[name]
            title = self.piece(name, cf.root.id, "title")
            body = self.piece(name, cf.root.id, "body") if "body" in cf.root.fields else None
        else:  # the trainers' and the status page: their texts are site strings
            title, body = self.piece("site", name, "title"), self.piece("site", name, "body")
        link = f"[{self.number_mark(name)}{self.inline_text(title)}]({name}.md)"
        return link + (f"\n:   {safe.indent(self.text_block(body)).lstrip()}" if body and body.text else "")

    def term_name(self, term: Unit) -> Piece:
        """A glossary term as this language writes it: the title of the section it is, or its own."""
        if "ref" in term.attrs and "term" not in term.fields:
            target = term.attrs["ref"]
            return self.piece(self.p.content.unit_file[target], target, "title")
        own = self.piece("glossary", term.id, "term")
        # Listed like the section titles beside it: with a capital (in running text it has none).
        return Piece(own.text[:1].upper() + own.text[1:], own.lang)

    def render_glossary(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        # In this language's alphabetical order (its own rules: kb/collation.py), not content order.
        terms = sorted(cf.root.children, key=lambda term: sort_key(self.lang, self.term_name(term).text))
        for term in terms:
            target = term.attrs.get("ref") or term.attrs.get("refers_to")
            name = self.term_name(term)
            anchor = "" if target == self.p.content.unit_file.get(target) else f"#{target}"
            link = f"[{self.inline_text(name)}]({self.p.content.unit_file[target]}.md{anchor})" if target else self.inline_text(name)
            link = f'<a id="{term.id}" class="kb-term"></a>{link}'  # the term's own address (the status page links to it)
            definition = self.piece(cf.name, term.id, "definition")
            dd = self.text_block(definition)
            if definition.lang != self.lang:
                dd += "\n\n" + self.notice()
            blocks.append(f"{link}\n:   {safe.indent(dd).lstrip()}")
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks, self.piece(cf.name, cf.root.id, "body"))

    def source_language(self, uid: str) -> str:
        """` (French)` after a source's title: the same article in three languages is three sources."""
        lang = self.p.content.files["sources"].units[uid].attrs["lang"]
        return f" ({self.inline_text(self.piece('site', 'languages', lang))})"

    def given_title(self, uid: str) -> str:
        """` (title given by this guide)` after a source's title that is the guide's, not the article's."""
        given = self.p.content.files["sources"].units[uid].attrs.get("title_by") == "guide"
        return f" ({safe.inline(self.label('given-title'))})" if given and self.label("given-title") else ""

    def render_sources(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        for source in cf.root.children:
            blocks.append(self.heading(2, cf.name, source, self.source_language(source.id)))
            original = Piece(self.text_at(source.attrs["lang"], cf.name, source.id, "title") or "", source.attrs["lang"])
            facts = [("language", self.inline_text(self.language_name(source.attrs["lang"], listed=True)))]
            if source.attrs.get("title_by") == "guide":  # the article has none: say so
                facts.append(("source-article", safe.inline(self.label("untitled"))))
            elif original.text and original.lang != self.lang:
                facts.append(("source-article", self.inline_text(original)))
            for key in ("published", "updated", "author"):
                if key in source.attrs:
                    value = source.attrs[key] if key == "author" else long_date(datetime.date.fromisoformat(source.attrs[key]), self.lang)
                    facts.append((key, safe.inline(value)))
            blocks += [f"{safe.inline(self.label(k))}\n:   {v}" for k, v in facts]
            if "note" in source.fields:  # what the guide knows of the article beyond its facts (a repost, by whom)
                blocks.append(self.text_block(self.piece(cf.name, source.id, "note")))
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks, self.piece(cf.name, cf.root.id, "body"))

    def site_url(self, lang: str, page: str, anchor: str = "") -> str:
        """A link from this language's status page to a page of any language (directory URLs)."""
        up = "../" if self.lang == self.p.default_lang else "../../"
        return f"{up}{language_prefix(lang, self.p.default_lang)}{page}/" + (f"#{anchor}" if anchor else "")

    def render_status(self) -> str:
        """The summary first (a row per language), then each language's pages, each row linking to
        that language's page, and what needs work. Four numeric columns: it fits a phone."""
        label = lambda key: safe.inline(self.piece("site", "status", key).text)  # noqa: E731
        title = self.piece("site", "status", "title")
        status = translation_status(self.p, self.report) if self.report else {}
        blocks = [self.title_heading(1, title, "status"), self.text_block(self.piece("site", "status", "body"))]
        kinds = ("translated", "stale", "missing", "draft")
        header = lambda first: "\n".join([f"| {label(first)} | " + " | ".join(label(k) for k in kinds) + " |", "|---" * 5 + "|"])  # noqa: E731

        def cells(rows) -> str:
            total = sum(row.total for row in rows)
            return " | ".join(_bar(sum(getattr(row, kind) for row in rows), total, kind) for kind in kinds)

        summary = [header("language")]
        for lang, pages in status.items():
            lang_name = self.inline_text(self.language_name(lang, listed=True))
            summary.append(f'| <a href="#status-{lang}">{lang_name}</a> | {cells(list(pages.values()))} |')
        blocks.append("\n".join(summary))
        for lang, pages in status.items():
            lang_name = self.language_name(lang, listed=True)
            blocks.append(self.title_heading(2, lang_name, f"status-{lang}"))
            rows = [header("page")]
            for name, row in pages.items():
                page_title = safe.inline(self.piece(name, self.p.content.files[name].root.id, "title").text)
                rows.append(f'| <a href="{self.site_url(lang, name)}" hreflang="{locale(lang)}">{page_title}</a> | {cells([row])} |')
            blocks.append("\n".join(rows))
            work = []
            for name, row in pages.items():
                for uid, code in row.needs_work:
                    fields = self.p.content.files[name].units[uid].fields
                    text = self.inline_text(self.piece(name, uid, "title" if "title" in fields else fields[0]))
                    state = label(code.lower())
                    work.append(f'- <a href="{self.site_url(lang, name, uid)}" hreflang="{locale(lang)}">{text}</a> ({state})')
            blocks.append(label("needs-work") + "\n\n" + "\n".join(work) if work else label("all-done"))
        # It repeats every page's title: in search it would answer every query before the page itself.
        return self.page(title, blocks, self.piece("site", "status", "body"), search=False)

    def render_trainers(self) -> str:
        label = lambda key: safe.inline(self.piece("site", "trainers", key).text)  # noqa: E731
        title = self.piece("site", "trainers", "title")
        blocks = [self.title_heading(1, title, "trainers"), self.text_block(self.piece("site", "trainers", "body"))]
        for name in topics(self.p.content):
            cf = self.p.content.files[name]
            rows = [f"| {label('number')} | {label('heading')} | {label('link')} |", "|---|---|---|"]
            copy = safe.attribute(self.label("copy-link"))
            for uid in cf.units:
                text = self.inline_text(self.piece(name, uid, "title"))
                level = self.numbers[uid].count(".")  # indented by kb.css: a wrapped title stays in line
                url = self.address(self.lang, name, uid)
                link = f"[{safe.inline(url)}]({name}.md{'' if uid == name else '#' + uid}){{: .kb-address }}"
                button = f'<button class="kb-copy-link" type="button" data-clipboard-text="{safe.attribute(url)}" title="{copy}" aria-label="{copy}"></button>'
                rows.append(f'| {self.numbers[uid]} | <span class="kb-level-{level}">{text}</span> | {link} {button} |')
            page_title = self.inline_text(self.piece(name, cf.root.id, "title"))
            blocks.append(f"## {self.numbers[cf.root.id]} {NUMBER_SEPARATOR} {page_title} {{#trainers-{name}}}")
            if name in self.handouts:  # beside this page's own folder: <prefix>handouts/<topic>.pdf
                blocks.append(
                    f'<a href="../handouts/{name}.pdf" hreflang="{locale(self.lang)}">{safe.inline(self.label_of("handout", "pdf") or "PDF")}</a>'
                )
            blocks.append("\n".join(rows))
        # Every heading of the guide, listed: in search it would answer every query before the page itself.
        return self.page(title, blocks, self.piece("site", "trainers", "body"), search=False)

    def render(self, name: str) -> str:
        """The Markdown of page `name` (a content file name, 'index' or 'status') in this language,
        its facts (page_facts) in its front matter, for the theme."""
        markdown = self.render_body(name)
        facts = self.page_facts(name)
        return markdown.replace("---\n", f"---\nkb_facts: {json.dumps(facts, ensure_ascii=False)}\n", 1) if facts else markdown

    def render_body(self, name: str) -> str:
        if name == HOME:
            return self.render_home()
        if name == STATUS:
            return self.render_status()
        if name == TRAINERS:
            return self.render_trainers()
        cf = self.p.content.files[name]
        renderer = {
            "topic": self.render_topic,
            "guide": self.render_topic,
            "glossary": self.render_glossary,
            "sources": self.render_sources,
        }[cf.kind]
        return renderer(cf)


def _bar(value: int, total: int, kind: str) -> str:
    return f'<progress class="kb-{kind}" value="{value}" max="{total}"></progress> {value}/{total}'


def page_names(project: Project) -> list[str]:
    """Every generated page: the home page, then the pages in site order."""
    return [HOME, *project.content.pages, TRAINERS, STATUS]


def tool_pages(project: Project) -> list[str]:
    """The pages for staff at work rather than for reading: guides (the translators'), the
    trainers' page and the status page."""
    return [name for name in project.content.pages if project.content.files[name].kind == "guide"] + [TRAINERS, STATUS]


def navigation(project: Project, lang: str) -> list:
    """The sidebar in `lang`: the home page, the topics and what they refer to (glossary,
    sources), each group of topics as a section titled in this language (site.yaml's groups),
    then the tools in a group of their own. Titles escaped: the theme prints them as HTML."""
    renderer = PageRenderer(project, lang)
    tools = tool_pages(project)
    groups = {group: [name for name in names if name not in tools] for group, names in project.content.groups.items()}
    group_of = {name: group for group, names in groups.items() for name in names}
    nav: list = []
    for name in [name for name in page_names(project) if name not in tools]:
        group = group_of.get(name)
        if group is None:
            nav.append(_nav_entry(renderer, name))
        elif name == groups[group][0]:  # a group stands where its first page is listed
            nav.append(
                {escape(safe.one_line(renderer.piece("site", group, "title").text)): [_nav_entry(renderer, page) for page in groups[group]]}
            )
    return nav + [{escape(renderer.label("tools") or "Tools"): [f"{name}.md" for name in tools]}]


def _nav_entry(renderer: PageRenderer, name: str):
    """A page in the sidebar: a topic with its number, as its headings have it ("2 · 4 cấp độ…": a
    learner told "open 2.3" finds topic 2, not the title that starts with 2); others by their title."""
    number = renderer.numbers.get(name)
    if number is None:
        return f"{name}.md"
    title = renderer.piece(name, renderer.p.content.files[name].root.id, "title").text
    return {escape(f"{number} {NUMBER_SEPARATOR} {safe.one_line(title)}"): f"{name}.md"}


def site_name(project: Project, lang: str) -> Markup:
    """The guide's name in this language (MkDocs has one site_name per build), as HTML: the theme
    prints it unescaped, in text and in attributes. Markup keeps the theme's own `| e` from
    escaping it twice."""
    return escape(PageRenderer(project, lang).piece("site", "site", "name").text)


_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


def _description(text: str, limit: int = 200) -> str:
    """A text as a meta description: its words without Markdown, on one line, at most `limit`
    characters (cut after a word where the language has spaces)."""
    plain = safe.one_line(_LINK.sub(r"\1", text).replace("`", "").replace("**", "").replace("*", ""))
    if len(plain) <= limit:
        return plain
    cut = plain[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;:") + "…"
