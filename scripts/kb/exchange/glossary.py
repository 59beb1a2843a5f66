"""`kb export-glossary`: the guide's key terms for a translation vendor's termbase, every language's
term and definition side by side, as TBX (TBX-Basic, ISO 30042:2019, which memoQ, Trados, Phrase
and Weblate import) or CSV (one row per term, a column per language, the target language last)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ..checks import GLOSSARY, glossary_forms
from ..markdown_safe import one_line
from ..project import Project

FORMATS = {"tbx": ".tbx", "csv": ".csv"}
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Term:
    id: str
    texts: dict[str, tuple[str, str]]  # lang -> (the term, its definition), where the language has it


def terms(project: Project) -> list[Term]:
    """Every glossary term in the glossary's order, each language's term and definition."""
    definitions = {lang: project.texts.get(lang, {}).get(GLOSSARY, {}) for lang in project.languages}
    found = []
    for uid, forms in glossary_forms(project).items():
        texts = {}
        for lang in project.languages:
            if lang in forms:
                definition = definitions[lang].get(uid, {}).get("definition")
                texts[lang] = (one_line(forms[lang]), one_line(str(definition)) if definition else "")
        found.append(Term(uid, texts))
    return found


def _order(languages: list[str], lang: str) -> list[str]:
    """The languages of the file: the others in mkdocs.yml's order, the target last."""
    return [code for code in languages if code != lang] + [lang]


def export_csv(found: list[Term], languages: list[str], lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as spreadsheets and CAT tools read it
    languages = _order(languages, lang)
    writer.writerow(["id"] + [f"{kind} ({code})" for code in languages for kind in ("term", "definition")])
    for term in found:
        writer.writerow([term.id] + [part for code in languages for part in term.texts.get(code, ("", ""))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel the file is UTF-8


def export_tbx(found: list[Term], languages: list[str], lang: str) -> bytes:
    ET.register_namespace("", TBX_NS)
    tag = lambda name: f"{{{TBX_NS}}}{name}"  # noqa: E731
    root = ET.Element(tag("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: lang})
    source = ET.SubElement(ET.SubElement(ET.SubElement(root, tag("tbxHeader")), tag("fileDesc")), tag("sourceDesc"))
    ET.SubElement(source, tag("p")).text = f"The glossary of the guide, for translation into {lang} (kb export-glossary)."
    body = ET.SubElement(ET.SubElement(root, tag("text")), tag("body"))
    languages = _order(languages, lang)
    for term in found:
        entry = ET.SubElement(body, tag("conceptEntry"), {"id": term.id})
        for code in languages:
            if code not in term.texts:
                continue
            text, definition = term.texts[code]
            section = ET.SubElement(entry, tag("langSec"), {XML_LANG: code})
            if definition:
                ET.SubElement(section, tag("descrip"), {"type": "definition"}).text = definition
            ET.SubElement(ET.SubElement(section, tag("termSec")), tag("term")).text = text
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def export(found: list[Term], languages: list[str], lang: str, fmt: str) -> bytes:
    """`found` (terms()) as one file for translating into `lang`."""
    return (export_tbx if fmt == "tbx" else export_csv)(found, languages, lang)
