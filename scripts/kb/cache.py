"""Work already done, kept in the user's cache folder (cache_dir), the way Python keeps __pycache__.

A memo maps a digest of everything a result depends on to the result. The digest of the kb
package's own source is part of every memo, so a change to the code empties it. At worst a memo
is ignored: an unreadable, damaged or foreign file is treated as empty, and a failure to save
is silent. `kb check --no-cache` (or KB_NO_CACHE=1) runs without one.

What is kept decides what is checked, and Jinja's compiled templates (kb/site/hook.py) are code that runs: they are
never read from the work tree, where a pull request can commit a forged `.cache/` (git
ignores it, `git add -f` does not), but from a folder of the user's own that only they can write.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from functools import cache
from pathlib import Path

import yaml

from .files import private_folder, write_bytes_atomically

_FORMAT = 1


def digest(*parts: str | bytes | None) -> bytes:
    """A 16-byte digest of the parts (texts, digests or None). Each part is hashed with its kind
    and length before it, so no two sequences of parts collide; a text is hashed as UTF-8, not
    copied through repr() (pages are hashed whole, and repr() of a page was most of the cost)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if part is None:
            h.update(b"n")
            continue
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update((b"b" if isinstance(part, bytes) else b"s") + len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


@cache
def code_digest() -> bytes:
    """kb's source, Python's version (its Unicode tables) and PyYAML's: results made by other
    code are never reused."""
    sources = (p.read_bytes() for p in sorted(Path(__file__).parent.rglob("*.py")))
    return digest(sys.version, yaml.__version__, *sources)


def enabled() -> bool:
    return os.environ.get("KB_NO_CACHE", "") in ("", "0")


def cache_dir(root: Path) -> Path | None:
    """The project's cache folder (cache_path), made private (0700). None, with one warning, when
    it is not the user's own folder or others may write to it: someone else's files are never
    trusted as work kb did."""
    try:
        return private_folder(root)
    except (OSError, RuntimeError) as err:  # RuntimeError: no home folder
        return _warned(f"kb: the cache is off for this run: {err}")


@cache
def _warned(message: str) -> None:
    """One line on stderr, once per process (a build makes many caches)."""
    print(message, file=sys.stderr)


class Memo:
    """One kind of result, in one file: key -> value, read whole and written whole."""

    def __init__(self, root: Path | None, name: str, use: bool = True):
        folder = cache_dir(root) if use and root is not None and enabled() else None
        self.path = folder / f"{name}.marshal" if folder else Path()
        self.header = (_FORMAT, code_digest())
        self.use = folder is not None
        self.old: dict = self._read() if self.use else {}

    def _read(self) -> dict:
        try:
            header, entries = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if header == self.header and isinstance(entries, dict) else {}

    def put(self, key: bytes, value) -> None:
        """Keep `value` as the one entry, in one step."""
        if self.use:
            with contextlib.suppress(OSError):  # a read-only checkout still checks; it only does the work again
                write_bytes_atomically(self.path, marshal.dumps((self.header, {key: value})))
