"""Stage 4, render: one Markdown page per content page and language, with per-section fallback."""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import markdown_safe as safe
from .model import ContentFile, Unit
from .project import Project

HOME = "index"


@dataclass(frozen=True)
class Piece:
    """A text and the language it is actually in (differs from the page's on fallback)."""

    text: str
    lang: str


class PageRenderer:
    """Renders the pages of one language. Pure: project in, Markdown out."""

    def __init__(self, project: Project, lang: str):
        self.p = project
        self.lang = lang

    # Helper functions

    def piece(self, file: str, uid: str, field: str) -> Piece:
        """The text in this language, else the file's source language, else any language."""
        source = self.p.content.files[file].source_lang
        for lang in dict.fromkeys([self.lang, source, self.p.default_lang, *self.p.languages]):
            text = self.p.texts.get(lang, {}).get(file, {}).get(uid, {}).get(field)
            if text is not None:
                return Piece(str(text), lang)
        return Piece(uid if field in ("title", "term", "name") else "", self.lang)

    def label(self, key: str) -> str:
        return self.piece("site", "labels", key).text

    def heading(self, level: int, file: str, unit: Unit) -> str:
        title = self.piece(file, unit.id, "title")
        attrs = f"#{unit.id}" + (f" lang={title.lang}" if title.lang != self.lang else "")
        return f"{'#' * level} {safe.inline(title.text)} {{{attrs}}}"

    def text_block(self, piece: Piece) -> str:
        body = safe.block(piece.text)
        if piece.lang == self.lang:
            return body
        return f'<div class="kb-fallback" lang="{piece.lang}" markdown>\n\n{body}\n\n</div>'

    def inline_text(self, piece: Piece) -> str:
        text = safe.inline(piece.text)
        return text if piece.lang == self.lang else f'<span lang="{piece.lang}">{text}</span>'

    def notice(self) -> str:
        return f"{safe.inline(self.label_notice('untranslated'))}\n{{: .kb-notice }}"

    def label_notice(self, key: str) -> str:
        return self.piece("site", "notices", key).text

    def unit_blocks(self, level: int, file: str, unit: Unit) -> list[str]:
        """Heading, notice when anything fell back, then each text field of one unit."""
        pieces = {f: self.piece(file, unit.id, f) for f in unit.fields}
        blocks = [self.heading(level, file, unit)]
        if any(p.lang != self.lang for p in pieces.values()):
            blocks.append(self.notice())
        for field, piece in pieces.items():
            if field == "title" or not piece.text:
                continue
            if field == "example":
                title = safe.admonition_title(self.label("example"))
                blocks.append(f'!!! example "{title}"\n\n{safe.indent(self.text_block(piece))}')
            else:
                blocks.append(self.text_block(piece))
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

    def page(self, title: Piece, blocks: list[str]) -> str:
        front = f"---\ntitle: {json.dumps(' '.join(title.text.split()), ensure_ascii=False)}\n---\n\n"
        return front + "\n\n".join(blocks) + "\n"

    # Renderers, one per page type

    def render_topic(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        for section in cf.root.children:
            blocks += self.unit_blocks(2, cf.name, section)
            for item in section.children:
                blocks += self.unit_blocks(3, cf.name, item)
        sources = [f"- [{self.inline_text(self.piece('sources', s, 'title'))}](sources.md#{s})" for s in cf.root.attrs.get("sources", [])]
        if sources:
            title = safe.admonition_title(self.label("sources"))
            blocks.append(f'!!! quote "{title}"\n\n{safe.indent(chr(10).join(sources))}')
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks)

    def render_home(self) -> str:
        title = self.piece("site", "home", "title")
        blocks = [f"# {safe.inline(title.text)} {{#home}}", self.text_block(self.piece("site", "home", "body"))]
        for name in self.p.content.pages:
            cf = self.p.content.files[name]
            link = f"[{self.inline_text(self.piece(name, cf.root.id, 'title'))}]({name}.md)"
            body = self.piece(name, cf.root.id, "body") if "body" in cf.root.fields else None
            blocks.append(link + (f"\n:   {safe.indent(self.text_block(body)).lstrip()}" if body and body.text else ""))
        return self.page(title, blocks)

    def render_glossary(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        for term in cf.root.children:
            target = term.attrs.get("ref") or term.attrs.get("refers_to")
            if "ref" in term.attrs:
                name = self.piece(self.p.content.unit_file[target], target, "title")
            else:
                name = self.piece(cf.name, term.id, "term")
            anchor = "" if target == self.p.content.unit_file.get(target) else f"#{target}"
            link = f"[{self.inline_text(name)}]({self.p.content.unit_file[target]}.md{anchor})" if target else self.inline_text(name)
            definition = self.piece(cf.name, term.id, "definition")
            dd = self.text_block(definition)
            if definition.lang != self.lang:
                dd += "\n\n" + self.notice()
            blocks.append(f"{link}\n:   {safe.indent(dd).lstrip()}")
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks)

    def render_sources(self, cf: ContentFile) -> str:
        blocks = self.unit_blocks(1, cf.name, cf.root)
        for source in cf.root.children:
            blocks.append(self.heading(2, cf.name, source))
            original = Piece(
                self.p.texts.get(source.attrs["lang"], {}).get(cf.name, {}).get(source.id, {}).get("title", ""), source.attrs["lang"]
            )
            facts = [("language", self.inline_text(self.piece("site", "languages", source.attrs["lang"])))]
            if original.text and original.lang != self.lang:
                facts.append(("source-article", self.inline_text(original)))
            facts += [(k, safe.inline(source.attrs[k])) for k in ("published", "updated", "author") if k in source.attrs]
            blocks += [f"{safe.inline(self.label(k))}\n:   {v}" for k, v in facts]
        return self.page(self.piece(cf.name, cf.root.id, "title"), blocks)

    def render(self, name: str) -> str:
        """The Markdown of page `name` (a content file name, or 'index') in this language."""
        if name == HOME:
            return self.render_home()
        cf = self.p.content.files[name]
        renderer = {"topic": self.render_topic, "glossary": self.render_glossary, "sources": self.render_sources}[cf.kind]
        return renderer(cf)


def page_names(project: Project) -> list[str]:
    """Every generated page: the home page, then the pages in site order."""
    return [HOME, *project.content.pages]


def site_name(project: Project, lang: str) -> str:
    return PageRenderer(project, lang).piece("site", "site", "name").text
