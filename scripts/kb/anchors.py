"""Published anchors: the links trainers rely on, kept in content/published.yaml by `kb publish`.

Every topic, section and item is reachable as `<topic-id>/#<id>` in every language (the language
prefix comes first: `fr/<topic-id>/#<id>`). Once published, an anchor must keep resolving: to its
unit, or through an `aliases:` entry of the unit it was renamed to (a topic's alias also keeps its
old page path, through a redirect page).
"""

from __future__ import annotations

from pathlib import Path

from .files import write_together
from .findings import Finding
from .load import Map, Seq, Str, load_yaml
from .model import Content, language_prefix, locale

PUBLISHED = "content/published.yaml"
HEADER = """\
# yaml-language-server: $schema=../schemas/published.schema.json
# Published anchors: every `<topic-id>/#<id>` a trainer may have linked to, in any language.
# Written by `kb publish`, which only ever adds. `kb check` fails when one stops resolving:
# to rename an id, list the old id under `aliases:` of the renamed topic, section or item.
"""
NUMBERS_HEADER = """\
# The number each section had when it was published, as trainers print it ("open 2.3").
# `kb check` warns (RENUMBER) when a change moves one; `kb publish` records the new numbers.
"""


def topics(content: Content) -> list[str]:
    return [name for name in content.pages if content.files[name].kind == "topic"]


def numbering(content: Content) -> dict[str, str]:
    """Section numbers ("2.3": second topic, third section), the same in every language."""
    if (cached := getattr(content, "_numbers", None)) is not None:
        return cached
    numbers: dict[str, str] = {}
    content._numbers = numbers
    for t, name in enumerate(topics(content), 1):
        root = content.files[name].root
        numbers[root.id] = f"{t}"
        for s, section in enumerate(root.children, 1):
            numbers[section.id] = f"{t}.{s}"
            for i, item in enumerate(section.children, 1):
                numbers[item.id] = f"{t}.{s}.{i}"
    return numbers


def current_anchors(content: Content) -> list[str]:
    """The page and every section and item of every topic, in reading order."""
    anchors = []
    for name in topics(content):
        cf = content.files[name]
        anchors.append(f"{name}/")
        anchors += [f"{name}/#{uid}" for uid in cf.units if uid != name]
    return anchors


def resolve(anchor: str, content: Content) -> str | None:
    """The current `<topic>/#<id>` an anchor leads to, through aliases; None if it leads nowhere."""
    page, _, fragment = anchor.partition("/")
    fragment = fragment.removeprefix("#")
    topic = page if page in topics(content) else content.aliases.get(page)
    if topic not in content.files or content.files[topic].kind != "topic":
        return None
    if not fragment:
        return f"{topic}/"
    uid = fragment if fragment in content.files[topic].units else content.aliases.get(fragment)
    return f"{topic}/#{uid}" if uid in content.files[topic].units else None


def read_published(root: Path) -> tuple[list[Str], dict[str, Str], list[Finding]]:
    """The published anchors and the number each was published with."""
    path = root / PUBLISHED
    if not path.exists():
        return [], {}, []
    data, findings = load_yaml(path, PUBLISHED)
    if findings:
        return [], {}, findings
    anchors = data.get("anchors") if isinstance(data, dict) else None
    if not isinstance(anchors, Seq) or not all(isinstance(a, Str) for a in anchors):
        return [], {}, [Finding(PUBLISHED, 1, 1, "SCHEMA", "expected `anchors:` with a list of `<topic-id>/#<id>`; run `kb publish`")]
    numbers = data.get("numbers") or Map()
    if not isinstance(numbers, Map) or not all(isinstance(n, Str) for n in numbers.values()):
        line = getattr(numbers, "line", 1)
        return [], {}, [Finding(PUBLISHED, line, 1, "SCHEMA", 'expected `numbers:` with `<topic-id>/#<id>: "2.3"` lines; run `kb publish`')]
    return list(anchors), numbers, []


def check_published(root: Path, content: Content) -> list[Finding]:
    anchors, numbers, findings = read_published(root)
    for anchor in anchors:
        if resolve(anchor, content) is None:
            message = (
                f"the published link `{anchor}` no longer leads anywhere; restore the id, "
                "or list the old id under `aliases:` of the topic, section or item it became"
            )
            findings.append(Finding(PUBLISHED, anchor.line, anchor.column, "ANCHOR", message))
    return findings + _renumbered(numbers, content)


def _number_of(anchor: str, content: Content) -> str | None:
    current = resolve(anchor, content)
    if current is None:
        return None
    topic, _, fragment = current.partition("/")
    return numbering(content).get(fragment.removeprefix("#") or topic)


def _renumbered(numbers: dict[str, Str], content: Content) -> list[Finding]:
    """A published section whose number changed: trainers' handouts now point elsewhere."""
    findings = []
    for anchor, old in numbers.items():
        new = _number_of(anchor, content)
        if new is not None and new != old:
            line, column = numbers.keys_at[anchor]
            message = (
                f"`{anchor}` was published as {old} and is now {new} (in every language): "
                'printed handouts that say "open ' + old + '" now lead elsewhere; '
                "if the new order is meant, run `kb publish` to record it and tell the trainers"
            )
            findings.append(Finding(PUBLISHED, line, column, "RENUMBER", message))
    return findings


def publish(root: Path, content: Content) -> tuple[list[str], dict[str, tuple[str, str]], bool]:
    """Add every current anchor that is not yet published (never removes one) and record every
    current number. Returns the anchors added, {anchor: (old number, new)} of those moved, and
    whether the file changed."""
    published, numbers, findings = read_published(root)
    if findings:
        raise ValueError(findings)
    known = set(published)
    current = current_anchors(content)
    added = [a for a in current if a not in known]
    new_numbers = {a: _number_of(a, content) for a in current}
    moved = {a: (str(numbers[a]), n) for a, n in new_numbers.items() if a in numbers and numbers[a] != n}
    changed = bool(added or moved or set(numbers) != set(new_numbers) or not (root / PUBLISHED).exists())
    if changed:
        lines = [HEADER + "anchors:"] + [f"  - {a}" for a in [*map(str, published), *added]]
        lines += [NUMBERS_HEADER + "numbers:"] + [f'  {a}: "{n}"' for a, n in new_numbers.items()]
        write_together(root, {root / PUBLISHED: ("\n".join(lines) + "\n").encode("utf-8")}, "publish")
    return added, moved, changed


REDIRECT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{target}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<script>location.replace(document.querySelector("link[rel=canonical]").href + location.hash)</script>
<meta http-equiv="refresh" content="0; url={target}">
</head><body><a href="{target}">{target}</a></body></html>
"""


def redirect_pages(content: Content, languages: list[str], default_lang: str) -> dict[str, str]:
    """A page at each old topic path (a topic's `aliases:`) that sends the reader, anchor and all,
    to the topic's current path: {path under site/: html}."""
    pages = {}
    for name in topics(content):
        for alias in content.files[name].root.attrs.get("aliases", []):
            for lang in languages:
                prefix = language_prefix(lang, default_lang)
                up = "../" * (prefix.count("/") + 1)
                pages[f"{prefix}{alias}/index.html"] = REDIRECT.format(lang=locale(lang), target=f"{up}{prefix}{name}/")
    return pages
