"""Findings: what every stage reports, and how it is printed (file:line:col: CODE message)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .characters import HIDDEN

# Data: every finding code and its severity. Stable: tests and translators rely on these names.
CODES: dict[str, str] = {
    "SYNTAX": "error",
    "DUPLICATE-KEY": "error",
    "TYPE": "error",
    "SCHEMA": "error",
    "ID": "error",
    "DUPLICATE-ID": "error",
    "RELATION": "error",
    "ANCHOR": "error",
    "RENUMBER": "warning",
    "ORPHAN": "error",
    "TOO-LONG": "error",
    "TOO-COMPLEX": "error",
    "FILE": "error",
    "MISSING": "warning",
    "EMPTY": "error",
    "STALE": "warning",
    "DRAFT": "warning",
    "MARKUP": "error",
    "PLACEHOLDER": "error",
    "NUMBER": "warning",
    "SAME-AS-SOURCE": "warning",
    "TERM": "warning",
    "SCRIPT": "warning",
    "UNICODE": "warning",
    "COMMENT": "warning",
    "CHARACTER": "error",
    "LENGTH": "warning",
}


# The policy: what makes `kb check` (make check, CI) fail.
# - errors: the file is broken, or the site would be: always.
# - progress (a missing, draft or outdated translation, a new language or topic): never, even for a
#   release; the status page and the notices show it.
# - RENUMBER: a published section number moved; until `kb publish` records the new numbering.
# - text warnings (TERM, NUMBER, …): shown with the summary; they fail only for strings changed
#   since a commit (`kb check --since REV`, CI's range), or under `--strict` (a release).
PROGRESS = frozenset({"MISSING", "DRAFT", "STALE"})
GATES = frozenset({"RENUMBER"})


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one place, with a message that names the fix when one is clear."""

    file: str
    line: int
    column: int
    code: str
    message: str
    lang: str = ""
    key: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code]

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_progress(self) -> bool:
        return self.code in PROGRESS

    def fails(self, strict: bool = False, changed: frozenset = frozenset()) -> bool:
        """Does this finding fail `kb check`? `changed`: the (file, key) of strings changed
        since the commit given to --since."""
        if self.is_error or self.code in GATES:
            return True
        if self.is_progress:
            return False
        return strict or (self.file, self.key) in changed

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        lang = f" [{self.lang}]" if self.lang else ""
        key = f" {shown(self.key)}:" if self.key else ""
        return f"{where}: {self.severity.upper()} {self.code}{lang}{key} {self.message}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["key"] = shown(self.key)
        data["severity"] = self.severity
        return data


SHOWN_CHARS = 80


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text quoted in a message: one line, at most `limit` characters (a finding must never
    print a whole file, e.g. one that a symlink or a paste brought in)."""
    text = str(text).replace("\r", "\\r").replace("\n", "\\n")
    if not text.isascii():  # a character that shows nothing, or reorders the line, is shown as its escape
        text = HIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, choices) -> str:
    """Return ' (did you mean `x`?)' for the closest choice, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
