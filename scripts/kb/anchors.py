"""Published anchors: the links trainers rely on, kept in content/published.yaml by `kb publish`.

Every topic, section and item is reachable as `<topic-id>/#<id>` in every language (the language
prefix comes first: `fr/<topic-id>/#<id>`). Once published, an anchor must keep resolving: to its
unit, or through an `aliases:` entry of the unit it was renamed to (a topic's alias also keeps its
old page path, through a redirect page).
"""

from __future__ import annotations

from pathlib import Path

from .files import write_atomically
from .findings import Finding
from .load import Seq, Str, load_yaml
from .model import Content

PUBLISHED = "content/published.yaml"
HEADER = """\
# yaml-language-server: $schema=../schemas/published.schema.json
# Published anchors: every `<topic-id>/#<id>` a trainer may have linked to, in any language.
# Written by `kb publish`, which only ever adds. `kb check` fails when one stops resolving:
# to rename an id, list the old id under `aliases:` of the renamed topic, section or item.
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


def load_published(root: Path) -> tuple[list[Str], list[Finding]]:
    path = root / PUBLISHED
    if not path.exists():
        return [], []
    data, findings = load_yaml(path, PUBLISHED)
    if findings:
        return [], findings
    anchors = data.get("anchors") if isinstance(data, dict) else None
    if not isinstance(anchors, Seq) or not all(isinstance(a, Str) for a in anchors):
        return [], [Finding(PUBLISHED, 1, 1, "SCHEMA", "expected `anchors:` with a list of `<topic-id>/#<id>`; run `kb publish`")]
    return list(anchors), []


def check_published(root: Path, content: Content) -> list[Finding]:
    anchors, findings = load_published(root)
    for anchor in anchors:
        if resolve(anchor, content) is None:
            message = (
                f"the published link `{anchor}` no longer leads anywhere; restore the id, "
                "or list the old id under `aliases:` of the topic, section or item it became"
            )
            findings.append(Finding(PUBLISHED, anchor.line, anchor.column, "ANCHOR", message))
    return findings


def publish(root: Path, content: Content) -> list[str]:
    """Add every current anchor that is not yet published; returns those added. Never removes."""
    published, findings = load_published(root)
    if findings:
        raise ValueError(findings)
    known = set(published)
    added = [a for a in current_anchors(content) if a not in known]
    if added or not (root / PUBLISHED).exists():
        lines = [HEADER + "anchors:"] + [f"  - {a}" for a in [*map(str, published), *added]]
        write_atomically(root / PUBLISHED, "\n".join(lines) + "\n")
    return added


REDIRECT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{target}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<script>location.replace("{target}" + location.hash)</script>
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
                prefix = "" if lang == default_lang else f"{lang}/"
                up = "../" * (prefix.count("/") + 1)
                pages[f"{prefix}{alias}/index.html"] = REDIRECT.format(lang=lang, target=f"{up}{prefix}{name}/")
    return pages
