"""`kb add-language <code> "<name>"`: everything a new language needs, in one step.

The languages are listed in one place, mkdocs.yml's i18n plugin; the rest follows from it:
`content/site.yaml` lists each language's name as a string to translate, every language gets
`translations/<code>/` (each key marked `!todo` with the source text, as `kb sync` writes it),
the editor schemas learn the new files, and a language Material has no interface strings for
gets a partial to translate under overrides/, the way Frisian did. Files are edited as text, at
places found by the parser, so comments and layout stay as they were; nothing is written until
every edit is ready, and each file is written in one step.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs_static_i18n.config import RE_LOCALE  # the build's own rule: a code it refuses stops every build

from ..characters import NAME_ALLOWED, language_name_problem
from ..files import write_atomically
from ..load import ID_RE
from ..project import CONFIG_FILE, read_languages
from .yaml_edit import scalar

SITE = "content/site.yaml"


class LanguageError(ValueError):
    """The language cannot be added (bad code, already there, a file not as expected)."""


def _material_languages() -> Path:
    import material

    return Path(material.__file__).parent / "templates" / "partials" / "languages"


def _mkdocs_yml(text: str, code: str, name: str) -> str:
    """The i18n plugin's `languages:` list with one more entry, written like the last one."""
    entries = list(re.finditer(r"^(?P<indent>[ ]*)- locale: *(?P<code>\S+)[ ]*\n(?P<rest>(?:(?P=indent)  [^\n]*\n)*)", text, re.M))
    if not entries:
        raise LanguageError(f"{CONFIG_FILE}: no `- locale:` entries under the i18n plugin's `languages:`; add the language there by hand")
    last = entries[-1]
    indent = last["indent"]
    entry = f"{indent}- locale: {code}\n{indent}  name: {scalar(name, len(indent) + 2, 'name', 100)}"
    return text[: last.end()] + entry + text[last.end() :]


def _site_yaml(text: str, code: str) -> str:
    """`id: languages` in content/site.yaml with the new code in its `text:` list."""
    found = re.search(r"(- id: languages\n[ ]+text: \[)([^\]\n]*)\]", text)
    if not found:
        raise LanguageError(f"{SITE}: no `- id: languages` with a `text: [...]` list; add `{code}` to it by hand")
    codes = [c.strip() for c in found[2].split(",") if c.strip()]
    return text[: found.start(2)] + ", ".join([*codes, code]) + text[found.end(2) :]


def _interface_partial(code: str) -> str:
    """Material's English interface strings, to translate, when Material has none for `code`.
    A template is code: it holds the checked code and nothing else a user typed."""
    english = (_material_languages() / "en.html").read_text(encoding="utf-8")
    body = english.split("-#}", 1)[1] if english.startswith("{#-") else english
    body = body.replace('"language": "en"', f'"language": "{code}"')
    header = f"{{#- {code}: interface strings Material ships none of. Translate the English texts below. -#}}"
    return header + body


def code_problem(code: str) -> str | None:
    """Why `code` cannot be a language of the guide; None if it can. It must be a kb id (the
    folder translations/<code>/ and a key of content/site.yaml) that mkdocs-static-i18n accepts."""
    if ID_RE.fullmatch(code) and RE_LOCALE.match(code):
        return None
    if code != code.lower() and ID_RE.fullmatch(code.lower()) and RE_LOCALE.match(code.lower()):
        return f"`{code}`: use lowercase `{code.lower()}` (codes are ids here: lowercase ASCII letters and hyphens)"
    if "-" in code or "_" in code:
        language = re.split(r"[-_]", code, maxsplit=1)[0].lower()
        return (
            f"`{code}`: a region cannot be part of a code here (mkdocs-static-i18n wants it in capitals, `pt-BR`, "
            f"and kb's ids are lowercase); use the language alone (`{language}`) or a four-letter script (`zh-hant`)"
        )
    return (
        f"`{code}` is not a language code mkdocs-static-i18n builds: use a two-letter ISO 639-1 code in lowercase, "
        "such as `de`, `sw` or `zh-hant` (a language with only a three-letter code, such as `nds`, cannot be added)"
    )


def add_language(root: Path, code: str, name: str) -> list[str]:
    """Add the language to mkdocs.yml and content/site.yaml, and its interface partial when
    Material has none; returns what it wrote. Scaffolding its files is `kb sync`'s work."""
    languages, _ = read_languages(root)
    if problem := code_problem(code):
        raise LanguageError(problem)
    if code in languages:
        raise LanguageError(f"`{code}` is already one of the languages ({', '.join(languages)})")
    if not name.strip():
        raise LanguageError('give the language\'s name in that language, e.g. kb add-language de "Deutsch"')
    if problem := language_name_problem(name.strip()):
        raise LanguageError(f"{problem}: {NAME_ALLOWED}")
    writes = {
        CONFIG_FILE: _mkdocs_yml((root / CONFIG_FILE).read_text(encoding="utf-8"), code, name.strip()),
        SITE: _site_yaml((root / SITE).read_text(encoding="utf-8"), code),
    }
    if not (_material_languages() / f"{code}.html").is_file() and not (root / "overrides/partials/languages" / f"{code}.html").is_file():
        writes[f"overrides/partials/languages/{code}.html"] = _interface_partial(code)
    for rel, text in writes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(root / rel, text)
    return list(writes)
