"""The translators' guide speaks to the reader's own language: its commands name that language."""

from __future__ import annotations

import re

from conftest import ROOT
from kb.project import load_project

COMMAND = re.compile(
    r"kb\s+(?:sync|confirm|export|import|status)\s+(?:--lang\s+)?([a-z]{2,3}(?:-[a-z0-9]+)*)\b|kb\s+check\s+--lang\s+([a-z-]+)"
)
PATHS = re.compile(r"translations/([a-z]{2,3}(?:-[a-z0-9]+)*)/|LANG=([a-z-]+)|\b([a-z]{2,3})\.po\b")


def test_the_how_to_sections_give_each_language_its_own_code_in_every_command():
    """A Frisian translator reads `kb sync fy` and `fy.po`, not the French example's `fr`."""
    project = load_project(ROOT)
    source = project.content.files["translators"].source_lang
    for lang in project.languages:
        units = project.texts[lang]["translators"]
        how_to = {uid: fields for uid, fields in units.items() if uid.startswith("translators-")}
        assert len(how_to) >= 5, sorted(units)
        codes = {
            code
            for fields in how_to.values()
            for text in fields.values()
            for pattern in (COMMAND, PATHS)
            for match in pattern.finditer(str(text))
            for code in match.groups()
            if code
        }
        assert codes == {lang}, (lang, codes, source)
