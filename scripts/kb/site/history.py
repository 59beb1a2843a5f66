"""The date each YAML file of content/ and translations/ was last committed: one `git log` per build."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from ..project import SOURCE_DIRS

MARK = "@"  # starts each commit's line in the log below (file names under content/ never start with it)
log = get_plugin_logger("kb")


def last_committed(root: Path) -> dict[str, datetime.date]:
    """Path from the root (`translations/fr/care.yaml`) -> the committer's date of the last commit
    that changed it, as the committer's calendar said (the same on every build machine).

    Committed history only: an edit not committed yet keeps its file's last commit date (a build of
    the same commit says the same date, whatever is being edited), and a file never committed has
    none. Outside a git checkout, or without git, nothing: the pages then show no date."""
    command = ["git", "-c", "core.quotePath=false", "log", f"--format={MARK}%cs", "--name-only", "--relative", "--", *SOURCE_DIRS]
    try:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    except OSError:  # no git on this machine
        return {}
    if result.returncode != 0:
        if "not a git repository" not in result.stderr:  # a broken checkout is worth a word; a folder without git is not
            log.info(f"no last-updated dates: git log failed: {result.stderr.strip()}")
        return {}
    dates: dict[str, datetime.date] = {}
    day = None
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            day = datetime.date.fromisoformat(line[len(MARK) :])
        elif line and day is not None:
            dates.setdefault(line, day)  # newest first: the first commit seen is the last one
    return dates
