"""The `kb` command: checks and tools for translators, run from anywhere inside the project."""

from __future__ import annotations

import argparse
import json
import sys
from itertools import groupby
from pathlib import Path

from .findings import Finding
from .project import find_root, load_project

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Check and manage the knowledge base's YAML sources.")
    parser.add_argument("--root", type=Path, help="project folder (default: the nearest folder above holding mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check content/ and translations/ for errors and missing or outdated text")
    check.add_argument("--lang", action="append", help="only this language (repeatable)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def print_findings(findings: list[Finding], out) -> None:
    """Group by file, one line per finding."""
    for file, group in groupby(sorted(findings), key=lambda f: f.file):
        print(file, file=out)
        for finding in group:
            print(f"  {finding.format()}", file=out)


def cmd_check(args, root: Path) -> int:
    project = load_project(root)
    findings = [f for f in project.findings if not args.lang or not f.lang or f.lang in args.lang]
    failing = [f for f in findings if f.is_error or args.strict]
    if args.format == "json":
        summary = {"errors": sum(f.is_error for f in findings), "warnings": sum(not f.is_error for f in findings)}
        json.dump({"findings": [f.to_json() for f in findings], "summary": summary}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_findings(findings, sys.stdout)
        errors = sum(f.is_error for f in findings)
        print(f"kb check: {errors} errors, {len(findings) - errors} warnings" + (" (strict)" if args.strict else ""))
    return EXIT_FINDINGS if failing else EXIT_OK


COMMANDS = {"check": cmd_check}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        root = args.root.resolve() if args.root else find_root()
        if not (root / "mkdocs.yml").is_file():
            raise FileNotFoundError(f"{root} has no mkdocs.yml")
        return COMMANDS[args.command](args, root)
    except (FileNotFoundError, ValueError, OSError) as err:
        print(f"kb: error: {err}", file=sys.stderr)
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
