"""The `kb` command: checks and tools for translators, run from anywhere inside the project."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import sys
from itertools import groupby
from pathlib import Path

from . import schema
from .anchors import PUBLISHED, publish
from .changes import changed_strings
from .checked import Checked, check_project
from .checks import PageStatus, run_checks, translation_status, word_diff
from .confirmed import confirm
from .exchange import sync
from .files import changed_in, changing, finish_interrupted, staged, write_bytes_atomically, write_together
from .findings import Finding, did_you_mean
from .model import locale
from .project import CONFIG_FILE, Project, content_paths, find_root, language_name_problems, load_project, read_languages, string_pairs

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


class _Exit(Exception):
    """Ends a command with its exit code; a message is printed first, as `kb <command>: message`."""

    def __init__(self, code: int, message: str = ""):
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument(
        "--root", type=Path, default=argparse.SUPPRESS, help="project folder (default: the nearest folder above holding mkdocs.yml)"
    )
    parser = argparse.ArgumentParser(prog="kb", description="Check and manage the knowledge base's YAML sources.", parents=[root])
    commands = parser.add_subparsers(dest="command", required=True)

    def command(run, help: str) -> argparse.ArgumentParser:
        """A subcommand named after its function (cmd_export_glossary: `kb export-glossary`)."""
        sub = commands.add_parser(run.__name__.removeprefix("cmd_").replace("_", "-"), parents=[root], help=help)
        sub.set_defaults(run=run)
        return sub

    check = command(cmd_check, "check content/ and translations/ for errors and missing or outdated text")
    check.add_argument("--lang", action="append", help="only this language (repeatable)")
    check.add_argument("--strict", action="store_true", help="fail on text warnings too, wherever they are (a release)")
    check.add_argument("--since", metavar="REV", help="fail on text warnings in strings changed since this git commit (CI)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--no-cache", action="store_true", help="redo every check (results are kept in ~/.cache/kb/ otherwise)")
    confirm = command(cmd_confirm, "record that translations are up to date with their source text")
    confirm.add_argument("lang", help="the language whose translations you checked")
    confirm.add_argument("keys", nargs="*", metavar="KEY", help="dotted keys as `kb check` prints them (default: all)")
    sync_cmd = command(cmd_sync, "add every missing key to a language's files, marked `!todo`")
    sync_cmd.add_argument("lang", help="the language to complete")
    sync_cmd.add_argument("--dry-run", action="store_true", help="print the changes as a diff; write nothing")
    status = command(cmd_status, "translation progress per language and page")
    status.add_argument("lang", nargs="?", help="only this language")
    status.add_argument("--lang", dest="lang_option", metavar="LANG", help="only this language (the same as the argument)")
    status.add_argument("--stale", action="store_true", help="list each outdated string, with what changed in its source")
    command(cmd_schema, "write the JSON Schemas (schemas/) and put a schema line atop every YAML file")
    command(cmd_publish, f"add every current topic, section and item link to {PUBLISHED} (never removes)")
    build = command(cmd_build, "strict build, swapped in whole when it succeeds (one build at a time)")
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site is (default: site, in the project folder)")
    build.add_argument("--offline", action="store_true", help="the build that works from file:// (make offline)")
    handouts = command(cmd_handouts, "build the site, print one PDF per topic and language to dist/handouts/, publish them in the site")
    handouts.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site is (default: site, in the project folder)")
    handouts.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4)")
    add = command(cmd_add_language, "add a language: mkdocs.yml, content/site.yaml, its files, schemas")
    add.add_argument("code", help="the language code (BCP 47), e.g. de, pt-BR, zh-Hant")
    add.add_argument("name", help='its name in that language, e.g. "Deutsch"')
    remove = command(cmd_remove_language, "undo kb add-language: the language and all its files")
    remove.add_argument("code", help="the language code, e.g. pt-BR")
    export = command(cmd_export, "write one language's strings as XLIFF or PO, for a translation tool")
    export.add_argument("lang", help="the language to translate into")
    export.add_argument("--format", choices=["xliff", "po"], default="xliff")
    export.add_argument("--only", help="only these states: missing, stale (comma-separated)")
    export.add_argument(
        "-o", "--output", type=Path, help="the file to write (default: <lang>.xlf or <lang>.po in the project's folder, which git ignores)"
    )
    glossary = command(cmd_export_glossary, "write the glossary's terms in every language, for a termbase")
    glossary.add_argument("lang", help="the language the vendor translates into (its column comes last)")
    glossary.add_argument("--format", choices=["tbx", "csv"], default="tbx")
    glossary.add_argument(
        "-o", "--output", type=Path, help="the file to write (default: <lang>-glossary.tbx or .csv in the project's folder)"
    )
    imp = command(cmd_import, "write the translations of an XLIFF or PO file back into translations/<lang>/")
    imp.add_argument("file", type=Path, help="a file `kb export` wrote, translated")
    imp.add_argument("--lang", help="the language it is for (default: its name's, as in fr.po); the file must say the same")
    imp.add_argument("--strict", action="store_true", help="write nothing when an imported string has a warning (as CI fails on it)")
    nginx = command(cmd_nginx_config, "print deploy/nginx.conf's server block for this site (or run it: --serve)")
    nginx.add_argument("--site-dir", type=Path, default=Path("site"), help="the folder nginx serves (default: site)")
    nginx.add_argument("--listen", default="80", help="nginx's `listen` (default: 80; e.g. 127.0.0.1:8080)")
    nginx.add_argument("--serve", action="store_true", help="run nginx with it in the foreground (make serve-prod)")
    return parser


def _valid_project(root: Path, command: str, nothing: str) -> Project:
    """The project; a command that writes needs it whole, or it prints its errors and stops."""
    project = load_project(root)
    if project.errors:
        print_findings(project.errors, sys.stdout)
        print(f"kb {command}: fix the errors first; {nothing}")
        raise _Exit(EXIT_FINDINGS)
    return project


def plural(count: int, word: str) -> str:
    """`1 string`, `2 strings`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def print_findings(findings: list[Finding], out) -> None:
    """Group by file, one line per finding."""
    for file, group in groupby(sorted(findings), key=lambda f: f.file):
        print(file, file=out)
        for finding in group:
            print(f"  {finding.format()}", file=out)


def language_summary(checked: Checked, langs: list[str]) -> dict[str, dict[str, int]]:
    """Per language: strings expected, translated, stale, missing, errors and warnings (a text
    warning, as the summary line counts them: a missing or outdated string is progress, not one)."""
    summary = {}
    for lang in langs:
        mine = [f for f in checked.findings if f.lang == lang]
        summary[lang] = {
            "strings": checked.strings,
            "translated": checked.translated[lang],
            "stale": sum(f.code == "STALE" for f in mine),
            "missing": sum(f.code == "MISSING" for f in mine),
            "errors": sum(f.is_error for f in mine),
            "warnings": sum(not f.is_error and not f.is_progress for f in mine),
        }
    return summary


def print_summary(summary: dict[str, dict[str, int]], out) -> None:
    columns = ["strings", "translated", "stale", "missing", "errors", "warnings"]
    print(f"{'lang':<6}" + "".join(f"{c:>12}" for c in columns), file=out)
    for lang, row in summary.items():
        print(f"{lang:<6}" + "".join(f"{row[c]:>12}" for c in columns), file=out)


def cmd_check(args, root: Path) -> int:
    languages = read_languages(root)[0]
    langs = [lang for lang in languages if not args.lang or lang in args.lang]
    unknown = sorted(set(args.lang or []) - set(languages))
    if unknown:
        raise ValueError(f"unknown language {', '.join(unknown)}; languages: {', '.join(languages)}")
    checked = check_project(root, langs, use_cache=not args.no_cache)
    # mkdocs.yml is trusted, but the language names in it came from `kb add-language`: read again, never cached.
    names = [
        Finding(CONFIG_FILE, line, column, "CHARACTER", message) for line, column, message in language_name_problems(root / CONFIG_FILE)
    ]
    findings = checked.findings = sorted(checked.findings + names)
    changed = changed_strings(root, args.since) if args.since else frozenset()
    failing = [f for f in findings if f.fails(args.strict, changed)]
    summary = language_summary(checked, langs)
    if args.format == "json":
        json.dump({"findings": [f.to_json() for f in findings], "summary": summary}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_findings(findings, sys.stdout)
        if findings:
            print(file=sys.stdout)
        print_summary(summary, sys.stdout)
        errors = sum(f.is_error for f in findings)
        verdict = "failed" if failing else "passed"
        progress = sum(f.is_progress for f in findings)
        print(
            f"kb check {verdict}: {plural(errors, 'error')}, {plural(len(findings) - errors - progress, 'warning')}, "
            f"{plural(progress, 'missing or outdated translation')} (never a failure)" + (" (strict)" if args.strict else "")
        )
        if failing and not any(f.is_error for f in failing):
            print(f"kb check: what fails: {', '.join(sorted({f.code for f in failing}))}" + _why(args))
    return EXIT_FINDINGS if failing else EXIT_OK


def _why(args) -> str:
    if args.strict:
        return " (--strict: every text warning fails a release check)"
    if args.since:
        return f" (in strings changed since {args.since})"
    return ""


def cmd_confirm(args, root: Path) -> int:
    _known_language(read_languages(root)[0], args.lang)
    with changing(root, "confirm"):
        project = _valid_project(root, "confirm", "nothing was recorded")
        from .exchange.drafts import drafts, finalised

        files, made_final = finalised(project, args.lang, args.keys)  # only drafts named: a bare confirm leaves them
        done, unknown = confirm(project, args.lang, args.keys, files, made_final)
        left = sum(len(drafts(project, args.lang, name)) for name in project.content.files) - len(made_final)
    for key in unknown:
        known = {p.key for p in string_pairs(project, args.lang)}
        print(f"kb confirm: {key}: no {args.lang} translation to confirm{did_you_mean(key, known)}", file=sys.stderr)
    print(f"kb confirm: {plural(len(done), args.lang + ' string')} recorded as up to date with their source")
    if made_final:
        print(f"kb confirm: {plural(len(made_final), 'draft')} made final (shown to readers from the next build)")
    if left:
        print(f"kb confirm: {plural(left, args.lang + ' draft')} left as drafts; name each one you reviewed: kb confirm {args.lang} <key>")
    return EXIT_FINDINGS if unknown else EXIT_OK


def cmd_publish(args, root: Path) -> int:
    with changing(root, "publish"):
        project = _valid_project(root, "publish", "nothing was published")
        added, moved, changed = publish(root, project.content)
    for anchor in added:
        print(f"  + {anchor}")
    for anchor, (old, new) in moved.items():
        print(f"  {old} -> {new}  {anchor}")
    if changed:
        print(f"kb publish: {plural(len(added), 'new anchor')} and {plural(len(moved), 'moved number')} recorded in {PUBLISHED}")
    else:
        print(f"kb publish: {PUBLISHED} is up to date")
    return EXIT_OK


def cmd_sync(args, root: Path) -> int:
    _known_language(read_languages(root)[0], args.lang)
    with changing(root, "sync"):
        project = _valid_project(root, "sync", "no file was changed")
        try:
            plans = sync.plan(project, args.lang)
        except sync.SyncError as err:
            print_findings(err.findings, sys.stdout)
            print("kb sync: fix the syntax errors first; no file was changed")
            return EXIT_FINDINGS
        if not args.dry_run:
            write_together(root, sync.changes(project, args.lang, plans), "sync")
    for p in plans:
        if args.dry_run:
            sys.stdout.write(p.diff())
        else:
            print(f"{p.rel}: {plural(len(p.added), 'key')} added")
    added = sum(len(p.added) for p in plans)
    if args.dry_run:
        print(f"kb sync --dry-run: would add {plural(added, 'key')} to {plural(len(plans), 'file')}; nothing was written")
    else:
        print(
            f"kb sync: {plural(added, 'key')} added to {plural(len(plans), 'file')}"
            if plans
            else f"kb sync: every {args.lang} file has every key"
        )
    return EXIT_OK


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = width * done // total if total else width  # full only when all is done
    return "█" * filled + "░" * (width - filled) + f" {100 * done // total if total else 100:>3}%"


def cmd_status(args, root: Path) -> int:
    project = load_project(root)
    args.lang = args.lang or args.lang_option
    if args.lang:
        _known_language(project.languages, args.lang)
    report = run_checks(project)
    status = translation_status(project, report, every_file=True)  # site.yaml's strings too: as many as kb check counts
    for lang, pages in status.items():
        if args.lang and lang != args.lang:
            continue
        total = PageStatus(*(sum(getattr(row, k) for row in pages.values()) for k in ("total", "translated", "stale", "missing", "draft")))
        print(f"{lang}  {_bar(total.translated - total.stale, total.total)}  up to date")
        print(f"  {'file':<24}{'strings':>9}{'translated':>12}{'stale':>8}{'missing':>9}{'draft':>8}")
        for name, row in [*pages.items(), ("all", total)]:
            print(f"  {name:<24}{row.total:>9}{row.translated:>12}{row.stale:>8}{row.missing:>9}{row.draft:>8}")
        print()
        if args.stale:
            stale = [f for f in report.findings if f.code == "STALE" and f.lang == lang]
            for f in stale:
                print(f"  {f.file}:{f.line}:{f.column} {f.key}: {f.message}")
            print("" if stale else f"  no outdated {lang} strings\n", end="\n" if stale else "")
    return EXIT_OK


def _known_language(languages: list[str], lang: str) -> None:
    if lang not in languages:
        raise ValueError(
            f"unknown language `{lang}`{did_you_mean(lang, languages)}; languages: {', '.join(languages)} "
            f'(to add one: kb add-language {lang} "<its name>")'
        )


def cmd_schema(args, root: Path) -> int:
    project = _valid_project(root, "schema", "nothing was written")
    changed = schema.write_schemas(project) + schema.add_modelines(project, content_paths(root))
    for rel in changed:
        print(f"  {rel}")
    print(f"kb schema: {plural(len(changed), 'file')} updated" if changed else "kb schema: schemas/ and every schema line are up to date")
    return EXIT_OK


def cmd_build(args, root: Path) -> int:
    from .site import publish

    site = root / args.site_dir  # an absolute --site-dir stays as it is
    # From file:// (make offline) no address is printed or shared: no public address is needed.
    site_url = publish.public_address(required=not args.offline)
    return publish.build(root, site, offline=args.offline, site_url=site_url)


def cmd_handouts(args, root: Path) -> int:
    """The site as readers get it, printed by Chromium: one PDF per topic and language; then the
    site again, which carries the PDFs and links them from the trainers' page."""
    from .site import handouts, publish

    site = root / args.site_dir  # an absolute --site-dir stays as it is
    site_url = publish.public_address()
    if shutil.which(handouts.CHROMIUM) is None:
        raise _Exit(EXIT_CANNOT_RUN, f"{handouts.CHROMIUM} is not installed; `make browser` installs it")
    code = publish.build(root, site, site_url=site_url)
    if code:
        return code
    project = _valid_project(root, "handouts", "nothing was printed")
    written = handouts.print_handouts(project, site, root / handouts.HANDOUTS_DIR, args.paper)
    print(f"kb handouts: {plural(len(written), 'PDF')} ({args.paper}) in {handouts.HANDOUTS_DIR}/", file=sys.stderr)
    return publish.build(root, site, site_url=site_url)


def cmd_nginx_config(args, root: Path) -> int:
    from .site import deploy

    site = root / args.site_dir  # an absolute --site-dir stays as it is
    if problem := deploy.argument_problem(Path(os.path.abspath(site)), args.listen):
        raise _Exit(EXIT_CANNOT_RUN, problem)
    try:
        if args.serve:
            return deploy.serve(root, site, args.listen)
        print(deploy.server_block(root, site, args.listen), end="")
    except ValueError as err:  # the header's policy is read from the built pages (kb/site/csp.py)
        raise _Exit(EXIT_CANNOT_RUN, str(err)) from None
    return EXIT_OK


# What `kb add-language` changes, made in a copy of the project first and then written together.
LANGUAGE_PARTS = ["content", "translations", "schemas", "overrides", CONFIG_FILE]


def cmd_add_language(args, root: Path) -> int:
    from .exchange.languages import LanguageError, add_language, code_problem

    if problem := code_problem(args.code):
        raise _Exit(EXIT_CANNOT_RUN, problem)
    code, tag = args.code.lower(), locale(args.code)  # its id in content/ and translations/, its BCP 47 tag
    with changing(root, "add-language"):
        _valid_project(root, "add-language", "nothing was changed")
        with staged(root, LANGUAGE_PARTS) as copy:
            try:
                written = add_language(copy, code, args.name)
            except LanguageError as err:
                raise _Exit(EXIT_CANNOT_RUN, str(err)) from None
            project = load_project(copy)
            plans = sync.plan(project, code, given={"site": {f"languages.{code}": args.name.strip()}})  # its own name, as given
            write_together(copy, sync.changes(project, code, plans), "sync")
            project = load_project(copy)
            written += [p.rel for p in plans] + schema.write_schemas(project) + schema.add_modelines(project, content_paths(copy))
            files = changed_in(copy, root, LANGUAGE_PARTS)
        # mkdocs.yml last: even read before a killed run is completed, it never lists a language without its files.
        write_together(root, dict(sorted(files.items(), key=lambda item: item[0] == root / CONFIG_FILE)), "add-language")
    for rel in dict.fromkeys(written):
        print(f"  {rel}")
    others = [lang for lang in project.languages if lang != code]
    print(
        f"kb add-language: {tag} ({args.name.strip()}) added. Next:\n"
        f"  1. Translate translations/{code}/ (every `!todo` holds the source text): kb status {code}\n"
        f"  2. Add `{code}: <its name>` under `languages:` in translations/<lang>/site.yaml of {', '.join(others)}"
        " (kb sync <lang> marks it)\n"
        + (
            f"  3. Translate Material's interface strings in overrides/partials/languages/{tag}.html\n"
            if any(w.startswith("overrides/") for w in written)
            else ""
        )
        + f"  Preview: make serve LANG={tag}. A missing translation never fails the build or CI."
    )
    return EXIT_OK


def _exported(args, root: Path, command: str) -> Project:
    """The project a `kb export…` command writes from, for a language the guide has."""
    _known_language(read_languages(root)[0], args.lang)
    return _valid_project(root, command, "nothing was written")


def cmd_export(args, root: Path) -> int:
    from .exchange import xliff_po as exchange

    project = _exported(args, root, "export")
    only = None
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in exchange.ONLY]
        if unknown:
            raise ValueError(f"--only {unknown[0]}: use missing, stale or both (missing,stale)")
        only = {exchange.ONLY[w] for w in wanted}
    data = exchange.export(project, run_checks(project, [args.lang]), args.lang, args.format, only)
    # Without -o: at the project's root, wherever it is run from, where git ignores *.po and *.xlf.
    output = args.output or root / f"{args.lang}{exchange.FORMATS[args.format]}"
    write_output(output, data)
    print(f"kb export: {output} written ({plural(data.count(b'msgctxt ') or data.count(b'<trans-unit '), 'string')})")
    return EXIT_OK


def cmd_export_glossary(args, root: Path) -> int:
    from .exchange import glossary

    project = _exported(args, root, "export-glossary")
    found = glossary.terms(project)
    data = glossary.export(found, project.languages, args.lang, args.format)
    output = args.output or root / f"{args.lang}-glossary{glossary.FORMATS[args.format]}"
    write_output(output, data)
    print(f"kb export-glossary: {output} written ({plural(len(found), 'term')})")
    return EXIT_OK


def write_output(path: Path, data: bytes) -> None:
    """A file given with -o: replaced in one step, or written through when it is a link, a
    device or a pipe (`-o /dev/stdout`): what is there is never renamed over."""
    try:
        kind = os.lstat(path).st_mode
    except FileNotFoundError:
        kind = stat.S_IFREG
    if stat.S_ISREG(kind):
        write_bytes_atomically(path, data)
        return
    target = os.stat(path).st_mode if stat.S_ISLNK(kind) else kind  # a link's target: any of these
    if not (stat.S_ISREG(target) or stat.S_ISCHR(target) or stat.S_ISFIFO(target)):
        raise ValueError(f"-o {path}: a folder, block device or socket; give a file to write")
    with open(path, "wb") as handle:
        handle.write(data)


def cmd_import(args, root: Path) -> int:
    from .exchange import xliff_po as exchange
    from .exchange.language_guess import other_language

    languages = read_languages(root)[0]
    # The language asked for: --lang, else the file's name when it is a language code (fr.po); never the file's header.
    lang = args.lang or (args.file.stem if args.file.stem in languages else None)
    if lang is None:
        raise _Exit(EXIT_CANNOT_RUN, f"say which language {args.file.name} is for: --lang <code> (languages: {', '.join(languages)})")
    _known_language(languages, lang)
    with changing(root, "import"):
        project = _valid_project(root, "import", "nothing was written")
        try:
            plan = exchange.plan_import(project, args.file, lang)
            if other := other_language(plan.targets, lang, languages):
                code, share, own = other
                print(
                    f"kb import: warning: {args.file.name} reads as {code}, not {lang}: {share:.0%} of its words are common {code} "
                    f"words, {own:.0%} common {lang} ones; is it the file for {lang}?"
                )
            warnings = exchange.apply_import(project, plan, args.strict, warned=other is not None)
        except ValueError as err:  # ExchangeError, or the file itself (incoming.BadFile): where, and what is wrong
            print_findings(getattr(err, "findings", []), sys.stdout)
            print(f"kb import: {err}; nothing was written")
            return EXIT_FINDINGS
    if warnings:  # what `kb check --lang <lang>` prints, and CI fails on in a changed string
        print_findings(warnings, sys.stdout)
        print(f"kb import: {len(warnings)} {lang} warnings (`kb check --lang {lang}`); CI fails on those in strings you changed")
    for rel, keys in plan.written.items():
        print(f"{rel}: {plural(len(keys), 'string')} written")
    for u, now in plan.outdated:
        print(
            f"{args.file.name}:{u.line}: {u.context}: translated from a source text that is not today's; it stays STALE "
            f"(the source since: {word_diff(u.source, now)})"
        )
    if plan.drafts:
        print(
            f"kb import: {plural(len(plan.drafts), 'string')} written as `!draft` (fuzzy or not reviewed): readers see the source "
            f"until a reviewer runs `kb confirm {lang} <key>` ({', '.join(plan.drafts[:3])}{', …' if len(plan.drafts) > 3 else ''})"
        )
    for u in plan.held:
        print(
            f"{args.file.name}:{u.line}: {u.context}: fuzzy (not reviewed), and the string has a final translation: "
            "left as it is (readers keep it); send the unit again once it is reviewed"
        )
    if plan.outdated:
        were = "was" if len(plan.outdated) == 1 else "were"
        print(
            f"kb import: {plural(len(plan.outdated), 'string')} {were} not recorded as confirmed: check them, then `kb confirm {lang} <key>`"
        )
    if plan.ignored:
        print(f"kb import: {plan.ignored} obsolete {'entry' if plan.ignored == 1 else 'entries'} (#~) ignored")
    written = sum(len(k) for k in plan.written.values())
    print(
        f"kb import: {plural(written, 'string')} written, {len(plan.confirmed)} recorded as confirmed"
        if written or plan.confirmed
        else "kb import: nothing changed"
    )
    return EXIT_OK


def cmd_remove_language(args, root: Path) -> int:
    """Undo `kb add-language`: the files change together (mkdocs.yml first: a killed run never lists
    a language whose files are gone), then the language's own files are removed."""
    from .exchange.languages import LanguageError, code_problem, remove_language

    if problem := code_problem(args.code):
        raise _Exit(EXIT_CANNOT_RUN, problem)
    code = args.code.lower()
    with changing(root, "remove-language"):
        _valid_project(root, "remove-language", "nothing was changed")
        with staged(root, LANGUAGE_PARTS) as copy:
            try:
                removed = remove_language(copy, code)
            except LanguageError as err:
                raise _Exit(EXIT_CANNOT_RUN, str(err)) from None
            schema.write_schemas(load_project(copy))
            files = changed_in(copy, root, LANGUAGE_PARTS)
            gone = [rel for rel in removed if not (copy / rel).exists()]
        write_together(root, dict(sorted(files.items(), key=lambda item: item[0] != root / CONFIG_FILE)), "remove-language")
        for rel in gone:
            path = root / rel
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            for folder in path.parents:  # a folder left empty (overrides/partials/languages/) goes too
                if folder == root or any(folder.iterdir()):
                    break
                folder.rmdir()
    for rel in [*(p.relative_to(root).as_posix() for p in files), *gone]:
        print(f"  {rel}")
    print(f"kb remove-language: {locale(code)} removed")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        root = args.root.resolve() if getattr(args, "root", None) else find_root()
        if not (root / "mkdocs.yml").is_file():
            raise FileNotFoundError(f"{root} has no mkdocs.yml")
        finish_interrupted(root, args.command)  # a change a killed command left half made: completed or undone first
        return args.run(args, root)
    except _Exit as stop:
        if str(stop):
            print(f"kb {args.command}: {stop}", file=sys.stderr)
        return stop.code
    except BrokenPipeError:  # e.g. `kb check | head`
        return EXIT_OK
    except (FileNotFoundError, ValueError, OSError) as err:  # publish.NoAddress too
        print(f"kb: error: {err}", file=sys.stderr)
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
