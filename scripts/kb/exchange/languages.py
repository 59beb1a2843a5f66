"""`kb add-language <code> "<name>"`: everything a new language needs, in one step.

The languages are listed in one place, mkdocs.yml's i18n plugin; the rest follows from it:
`content/site.yaml` lists each language's name as a string to translate, every language gets
`translations/<code>/` (each key marked `!todo` with the source text, as `kb sync` writes it),
the editor schemas learn the new files, and a language Material has no interface strings for
gets a partial to translate under overrides/, the way Frisian did. Files are edited as text, at
places found by the parser, so comments and layout stay as they were; nothing is written until
every edit is ready, and each file is written in one step. `kb remove-language` undoes it.

A code is a BCP 47 tag, language[-Script][-REGION] (`de`, `pt-BR`, `zh-Hant`, `sr-Latn`), typed in
any case: mkdocs.yml, `lang` and hreflang carry it in its usual case (kb.model.locale), content/
and translations/ in lowercase (`pt-br`), as every id there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import material
import yaml
from mkdocs_static_i18n.config import RE_LOCALE  # the build's own rule: a code it refuses stops every build

from ..characters import NAME_ALLOWED, language_name_problem
from ..files import write_atomically
from ..load import SAFE_LOADER
from ..model import locale
from ..project import CONFIG_FILE, read_languages
from .yaml_edit import scalar

SITE = "content/site.yaml"
MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"  # its interface strings


class LanguageError(ValueError):
    """The language cannot be added (bad code, already there, a file not as expected)."""


TAG = re.compile(r"(?P<language>[A-Za-z]{2,3})(?:-(?P<script>[A-Za-z]{4}))?(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?")
EXAMPLES = "`de`, `pt-BR`, `zh-Hant`, `sr-Latn`"


def _entries(text: str) -> list[re.Match]:
    """The `- locale:` entries of the i18n plugin's `languages:` list, each with its indented lines."""
    return list(re.finditer(r"^(?P<indent>[ ]*)- locale: *(?P<code>\S+)[ ]*\n(?P<rest>(?:(?P=indent)  [^\n]*\n)*)", text, re.M))


def _mkdocs_yml(text: str, code: str, name: str) -> str:
    """The i18n plugin's `languages:` list with one more entry, written like the last one."""
    entries = _entries(text)
    if not entries:
        raise LanguageError(f"{CONFIG_FILE}: no `- locale:` entries under the i18n plugin's `languages:`; add the language there by hand")
    last = entries[-1]
    indent = last["indent"]
    entry = f"{indent}- locale: {locale(code)}\n{indent}  name: {scalar(name, len(indent) + 2, 'name', 100)}"
    return text[: last.end()] + entry + text[last.end() :]


def _without_entry(text: str, code: str) -> str:
    """mkdocs.yml without the language's entry (what _mkdocs_yml added)."""
    found = [m for m in _entries(text) if m["code"].strip("'\"").lower() == code]
    if len(found) != 1:
        raise LanguageError(f"{CONFIG_FILE}: no single `- locale: {locale(code)}` entry; remove the language there by hand")
    return text[: found[0].start()] + text[found[0].end() :]


def _site_yaml(text: str, code: str, add: bool = True) -> str:
    """`id: languages` in content/site.yaml with the code added to its `text:` list (or taken out)."""
    found = re.search(r"(- id: languages\n[ ]+text: \[)([^\]\n]*)\]", text)
    if not found:
        raise LanguageError(f"{SITE}: no `- id: languages` with a `text: [...]` list; change `{code}` in it by hand")
    codes = [c.strip() for c in found[2].split(",") if c.strip()]
    codes = [*codes, code] if add else [c for c in codes if c != code]
    return text[: found.start(2)] + ", ".join(codes) + text[found.end(2) :]


def _interface_partial(tag: str) -> str | None:
    """Material's interface strings to translate, when Material has none for the locale `tag`
    (None when it has): its strings for the language alone (`sr` for `sr-Latn`), else English.
    A template is code: it holds the checked code and nothing else a user typed."""
    if (MATERIAL_LANGUAGES / f"{tag}.html").is_file():
        return None
    base = tag.split("-")[0]
    start = base if base != tag and (MATERIAL_LANGUAGES / f"{base}.html").is_file() else "en"
    text = (MATERIAL_LANGUAGES / f"{start}.html").read_text(encoding="utf-8")
    body = text.split("-#}", 1)[1] if text.startswith("{#-") else text
    body = body.replace(f'"language": "{start}"', f'"language": "{tag}"')
    origin = "the English" if start == "en" else f"Material's `{start}`"
    header = f"{{#- {tag}: interface strings Material ships none of. Translate {origin} texts below. -#}}"
    return header + body


def _without_name(text: str, code: str) -> str:
    """A translations/<lang>/site.yaml without the language's translated name (`pt-br: …` under
    `languages:`), every other line as it was."""
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)  # nodes only: a `!todo` is not run
    except yaml.YAMLError:
        return text  # kb check says what is wrong with it
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    languages = next((value for key, value in pairs if key.value == "languages"), None)
    for key, value in languages.value if isinstance(languages, yaml.MappingNode) else []:
        if key.value == code:
            lines = text.splitlines(keepends=True)
            end = value.end_mark.line + (1 if value.end_mark.column else 0)  # a block scalar ends at the next line's start
            return "".join(lines[: key.start_mark.line] + lines[end:])
    return text


def partial_path(code: str) -> str:
    """Where a language's interface strings are, if the project has them: Material imports them by locale."""
    return f"overrides/partials/languages/{locale(code)}.html"


def code_problem(code: str) -> str | None:
    """Why `code` cannot be a language of the guide; None if it can. A BCP 47 tag, in any case,
    whose usual form mkdocs-static-i18n builds (it stops every build on one it refuses): it then
    becomes a folder under translations/ and an attribute, and nothing else can."""
    found = TAG.fullmatch(code)
    if found is None:
        shape = "a region or script is joined with `-`, not `_`; " if "_" in code else ""
        return f"`{code}` is not a language code kb can use: {shape}write language[-Script][-REGION] as in BCP 47, e.g. {EXAMPLES}"
    if not RE_LOCALE.match(locale(code)):
        part = "a three-letter language" if len(found["language"]) == 3 else "a region in digits"
        return (
            f"`{code}`: mkdocs-static-i18n builds no code with {part}; use a two-letter ISO 639-1 language "
            f"and a two-letter region, e.g. {EXAMPLES}"
        )
    return None


def add_language(root: Path, code: str, name: str) -> list[str]:
    """Add the language to mkdocs.yml and content/site.yaml, and its interface partial when
    Material has none; returns what it wrote. `code` is the lowercase id (the caller checked it
    with code_problem). Scaffolding its files is `kb sync`'s work."""
    languages, _ = read_languages(root)
    if code in languages:
        raise LanguageError(f"`{locale(code)}` is already one of the languages ({', '.join(map(locale, languages))})")
    if not name.strip():
        raise LanguageError('give the language\'s name in that language, e.g. kb add-language de "Deutsch"')
    if problem := language_name_problem(name.strip()):
        raise LanguageError(f"{problem}: {NAME_ALLOWED}")
    writes = {
        CONFIG_FILE: _mkdocs_yml((root / CONFIG_FILE).read_text(encoding="utf-8"), code, name.strip()),
        SITE: _site_yaml((root / SITE).read_text(encoding="utf-8"), code),
    }
    partial = _interface_partial(locale(code))
    if partial is not None and not (root / partial_path(code)).is_file():
        writes[partial_path(code)] = partial
    for rel, text in writes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(root / rel, text)
    return list(writes)


def remove_language(root: Path, code: str) -> list[str]:
    """Undo add_language and what `kb sync` wrote for it: the entry in mkdocs.yml and
    content/site.yaml edited out, as its name in the other languages; its translations,
    confirmations and interface partial removed. Returns what it changed or removed; the caller
    writes the schemas again."""
    languages, default = read_languages(root)
    if code == default:
        raise LanguageError(f"`{locale(code)}` is the default language, the source of every other; it cannot be removed")
    if code not in languages:
        raise LanguageError(f"`{locale(code)}` is not one of the languages ({', '.join(map(locale, languages))})")
    names = [f"translations/{lang}/site.yaml" for lang in languages if lang != code and (root / f"translations/{lang}/site.yaml").is_file()]
    for rel, text in (
        (CONFIG_FILE, _without_entry((root / CONFIG_FILE).read_text(encoding="utf-8"), code)),
        (SITE, _site_yaml((root / SITE).read_text(encoding="utf-8"), code, add=False)),
        *((rel, _without_name((root / rel).read_text(encoding="utf-8"), code)) for rel in names),
    ):
        write_atomically(root / rel, text)
    removed = []
    for rel in (f"translations/{code}", f"translations/.confirmed/{code}.yaml", partial_path(code)):
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(rel)
    return [CONFIG_FILE, SITE, *removed]
