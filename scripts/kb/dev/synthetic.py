"""A synthetic corpus: the real project with every topic copied N times, in every language.

Used by the benchmarks (and usable by hand: `python -m kb.dev.synthetic 100 /tmp/kb100`). Each copy
renames every id with a suffix, so relations, translations and confirmations stay consistent and
the copy checks as clean as the original.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import yaml

from ..model import SPECIAL_FILES
from ..project import find_root, read_languages


def _rename(node, ids: set[str], suffix: str):
    """Every id and every reference to an id of the copied topics, with the suffix added."""
    if isinstance(node, dict):
        return {k: (v + suffix if k == "id" and v in ids else _rename(v, ids, suffix)) for k, v in node.items()}
    if isinstance(node, list):
        return [v + suffix if isinstance(v, str) and v in ids else _rename(v, ids, suffix) for v in node]
    return node


def _ids(node, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, dict):
        if "id" in node:
            found.add(node["id"])
        for value in node.values():
            _ids(value, found)
    elif isinstance(node, list):
        for value in node:
            _ids(value, found)
    return found


VARIED_FIELDS = ("body", "example")


def _donors(texts: dict, langs: list[str], topics: dict) -> dict[str, list[tuple[str, str, str]]]:
    """The one-paragraph body and example texts that every language has, by the source language
    of their topic: what copies borrow (translations are checked against that language)."""
    found: dict[str, list] = {}
    for name, data in topics.items():
        for uid, fields in texts[langs[0], name].items():
            for field in fields:
                values = [texts[lang, name].get(uid, {}).get(field) for lang in langs]
                if field in VARIED_FIELDS and all(isinstance(v, str) and "\n" not in v for v in values):
                    found.setdefault(data.get("source_lang"), []).append((name, uid, field))
    return found


def _vary(texts: dict, lang: str, name: str, uid: str, field: str, k: int, donors) -> str:
    """The text of copy k: numbered, and a body or example goes on with the same field of
    another section, the same one in every language, so a copy's translations still match."""
    text = texts[lang, name][uid][field]
    if field not in VARIED_FIELDS or not donors or "\n" in str(text):
        return f"{text} {k}"
    donor = random.Random(f"{k}:{name}:{uid}.{field}").choice(donors)
    return f"{text} {k}. {texts[lang, donor[0]][donor[1]][donor[2]]}"


def dump_yaml(path: Path, data) -> None:
    """Write YAML as the corpus files are written (the benchmark edits them the same way)."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


GROUP_SIZE = 20  # topics per sidebar group, as a guide of hundreds of topics would have them


def _title(dest: Path, lang: str, name: str) -> str:
    return yaml.safe_load((dest / f"translations/{lang}/{name}.yaml").read_text("utf-8"))[name]["title"]


def _grouped(dest: Path, pages: list[str], langs: list[str], confirmed: dict, site_lang: str) -> list:
    """site.yaml's pages with the topics in groups of GROUP_SIZE (a guide that has more), each
    titled in every language after its first topic, with the group's number."""
    topics = [name for name in pages if name not in SPECIAL_FILES]
    if len(topics) <= GROUP_SIZE:
        return pages
    groups = [{"group": f"part-{n}", "pages": topics[i : i + GROUP_SIZE]} for n, i in enumerate(range(0, len(topics), GROUP_SIZE), 1)]
    titles = {lang: {g["group"]: f"{_title(dest, lang, g['pages'][0])} ({n})" for n, g in enumerate(groups, 1)} for lang in langs}
    for lang in langs:
        path = dest / f"translations/{lang}/site.yaml"
        # Appended as text, so the file keeps its comments and layout (a JSON string is valid YAML).
        added = "".join(f"{group}:\n  title: {json.dumps(title, ensure_ascii=False)}\n" for group, title in titles[lang].items())
        path.write_text(path.read_text("utf-8") + added, "utf-8")
        if "site" in (confirmed[lang] or {}):
            confirmed[lang]["site"].update({f"{group}.title": title for group, title in titles[site_lang].items()})
    # Groups that fold, so that a page carries its own group's links only (navigation.prune):
    # Material never folds a section (mkdocs.yml says so).
    config = dest / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("    - navigation.sections\n", ""), "utf-8")
    return [*groups, *(name for name in pages if name in SPECIAL_FILES)]


def make_corpus(source: Path, dest: Path, factor: int) -> list[str]:
    """Copy the project at `source` to `dest` with each topic `factor` times; returns the page names."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "translations", "docs", "overrides", "scripts"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif (source / name).exists():
            shutil.copy2(source / name, dest / name)
    site = yaml.safe_load((dest / "content/site.yaml").read_text(encoding="utf-8"))
    topics = {
        name: data
        for name in site["pages"]
        if name not in SPECIAL_FILES and (data := yaml.safe_load((dest / f"content/{name}.yaml").read_text(encoding="utf-8")))
    }
    ids = set().union(*(_ids(data) for data in topics.values()))
    langs = sorted(p.name for p in (dest / "translations").iterdir() if p.is_dir() and not p.name.startswith("."))
    texts = {
        (lang, name): yaml.safe_load((dest / f"translations/{lang}/{name}.yaml").read_text("utf-8")) for lang in langs for name in topics
    }
    confirmed = {
        lang: yaml.safe_load(p.read_text("utf-8")) if (p := dest / f"translations/.confirmed/{lang}.yaml").exists() else {}
        for lang in langs
    }
    donors = _donors(texts, langs, topics)
    pages = list(site["pages"])
    for k in range(2, factor + 1):
        suffix = f"-x{k}"
        for name, data in topics.items():
            copy = name + suffix
            pages.insert(pages.index("glossary"), copy)
            dump_yaml(dest / f"content/{copy}.yaml", _rename(data, ids, suffix))
            varied = {}
            for lang in langs:
                # Each copy's text ends with its number and, in bodies and examples, goes on with
                # another section's text: no two strings of the corpus are the same, and gzip and
                # the search index see varied text, as in a real guide.
                varied[lang] = {
                    uid + suffix: {f: _vary(texts, lang, name, uid, f, k, donors.get(data.get("source_lang"), [])) for f in fields}
                    for uid, fields in texts[lang, name].items()
                }
                dump_yaml(dest / f"translations/{lang}/{copy}.yaml", varied[lang])
            source = varied.get(data.get("source_lang"), {})
            for lang in langs:
                if name in (confirmed[lang] or {}):
                    confirmed[lang][copy] = {
                        f"{key.split('.')[0]}{suffix}.{key.split('.', 1)[1]}": source[key.split(".")[0] + suffix][key.split(".", 1)[1]]
                        for key in confirmed[lang][name]
                    }
    site["pages"] = _grouped(dest, pages, langs, confirmed, site_lang=read_languages(dest)[1])
    dump_yaml(dest / "content/site.yaml", site)
    for lang in langs:
        if confirmed[lang]:
            dump_yaml(dest / f"translations/.confirmed/{lang}.yaml", confirmed[lang])
    return pages


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python -m kb.dev.synthetic FACTOR DEST", file=sys.stderr)
        return 2
    pages = make_corpus(find_root(), Path(argv[1]), int(argv[0]))
    print(f"{len(pages)} pages written to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
