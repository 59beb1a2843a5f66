"""Work already done, kept in the user's cache folder (cache_dir), the way Python keeps __pycache__.

A memo maps a digest of everything a result depends on to the result. The digest of the kb
package's own source is part of every memo, so a change to the code empties it. At worst a memo
is ignored: an unreadable, damaged or foreign file is treated as empty, and a failure to save
is silent. `kb check --no-cache` (or KB_NO_CACHE=1) runs without one.

What is kept decides what is checked, and the template cache is code that runs: it
is never read from the work tree, where a pull request can commit a forged `.cache/` (git
ignores it, `git add -f` does not), but from a folder of the user's own that only they can write.

A Memo is one file, read whole and written whole. A Shelf (Thai segmentation of the search
index) is an SQLite database whose tables are read one value at a time, when it is asked for,
and written as each value is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
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


def file_digest(*contents: bytes) -> bytes:
    """A 16-byte digest of file contents, each length-prefixed."""
    h = hashlib.blake2b(digest_size=16)
    for data in contents:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


@cache
def code_digest() -> bytes:
    """kb's source, Python's version (its Unicode tables) and PyYAML's: results made by other
    code are never reused."""
    sources = (p.read_bytes() for p in sorted(Path(__file__).parent.rglob("*.py")))
    return file_digest(sys.version.encode(), yaml.__version__.encode(), *sources)


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
    """key -> value for one kind of result, in one file; used entries are kept, others dropped.

    `salt` is whatever the results depend on besides their key (settings, the glossary)."""

    def __init__(self, root: Path | None, name: str, salt: bytes = b"", use: bool = True):
        folder = cache_dir(root) if use and root is not None and enabled() else None
        self.path = folder / f"{name}.marshal" if folder else Path()
        self.header = (_FORMAT, code_digest() + salt)
        self.use = folder is not None
        self.old: dict = self._read() if self.use else {}
        self.new: dict = {}
        self.changed = False  # a value was put: the file is written even with the same keys

    def _read(self) -> dict:
        try:
            header, entries = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if header == self.header and isinstance(entries, dict) else {}

    def get(self, key: bytes, make):
        """The value for `key`, made by `make()` the first time."""
        value = self.old[key] if key in self.old else make()
        self.new[key] = value
        return value

    def put(self, key: bytes, value) -> None:
        """Replace the value of `key`."""
        self.new[key] = value
        self.changed = True

    def save(self, keep_unused: bool = False) -> None:
        """Write the entries used since loading, in one step, if they differ from the file's;
        `keep_unused`: the others too (a run that looked at a few files only)."""
        if keep_unused:
            self.new = {**self.old, **self.new}
        if not self.use or (not self.changed and self.new.keys() == self.old.keys()):
            return
        with contextlib.suppress(OSError):  # a read-only checkout still checks; it only does the work again
            write_bytes_atomically(self.path, marshal.dumps((self.header, self.new)))


class Shelf:
    """Tables of key -> value (marshal) in one SQLite database, <cache_dir>/<name>.sqlite, for one
    run at a time: values are read when asked for and written as they are made, in one
    transaction that save() commits (a run that fails before it leaves the shelf as it was).
    As with a Memo, the entries a run did not use are dropped when it saves, `salt` is what the
    values depend on besides their keys, and any trouble (a damaged or locked file, a read-only
    checkout) turns the shelf off for the run: the work is done again, never wrong."""

    def __init__(self, root: Path | None, name: str, tables: tuple[str, ...], salt: bytes = b""):
        folder = cache_dir(root) if root is not None and enabled() else None
        self.path = folder / f"{name}.sqlite" if folder else Path()
        self.tables = {table: Table(self, table) for table in tables}
        self.db: sqlite3.Connection | None = None
        if folder is not None:
            header = marshal.dumps((_FORMAT, code_digest() + salt))
            try:
                self.db = self._open(header)
            except sqlite3.DatabaseError as err:
                if getattr(err, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                    return  # locked by another run, read-only, full: this run goes without it
                with contextlib.suppress(OSError, sqlite3.Error):  # not a database, or damaged: made again
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    self.db = self._open(header)
            except OSError:
                return

    def _open(self, header: bytes) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=1, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # a reader never waits for a run that writes
            db.execute("CREATE TABLE IF NOT EXISTS meta (header BLOB)")
            same = db.execute("SELECT header FROM meta").fetchall() == [(header,)]
            db.execute("BEGIN IMMEDIATE")
            for table in self.tables:
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID")
                if not same:
                    db.execute(f"DELETE FROM {table}")
            if not same:
                db.execute("DELETE FROM meta")
                db.execute("INSERT INTO meta VALUES (?)", (header,))
            for name, table in self.tables.items():
                table.known = {key for (key,) in db.execute(f"SELECT key FROM {name}")}
        except BaseException:
            db.close()
            raise
        return db

    def __getitem__(self, table: str) -> Table:
        return self.tables[table]

    def close(self) -> None:
        """Without saving (a failed build, or trouble): the rest of the run goes without the
        shelf, and nothing it wrote is kept."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None
        for table in self.tables.values():
            table.known = set()

    def save(self) -> None:
        """Keep what this run made, drop what it did not use, and close."""
        if self.db is None:
            return
        with contextlib.suppress(sqlite3.Error):  # if it fails, close() rolls back what was not committed
            for name, table in self.tables.items():
                self.db.executemany(f"DELETE FROM {name} WHERE key = ?", ((key,) for key in table.known - table.used))
            self.db.execute("COMMIT")
        self.close()


class Table:
    """One table of a Shelf: a Memo's get and put, each value read or written when it is used."""

    def __init__(self, shelf: Shelf, name: str):
        self.shelf, self.name = shelf, name
        self.known: set[bytes] = set()  # the keys stored
        self.used: set[bytes] = set()

    def __contains__(self, key: bytes) -> bool:
        return key in self.known

    def find(self, key: bytes):
        """The value stored for `key`, or None."""
        if key not in self.known:
            return None
        try:
            (data,) = self.shelf.db.execute(f"SELECT value FROM {self.name} WHERE key = ?", (key,)).fetchone()
            value = marshal.loads(data)
        except (sqlite3.Error, TypeError, ValueError, EOFError):
            self.shelf.close()
            return None
        self.used.add(key)
        return value

    def get(self, key: bytes, make):
        """The value for `key`, made by `make()` when it is not stored."""
        value = self.find(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def put(self, key: bytes, value) -> None:
        """Store (or replace) the value of `key`."""
        if self.shelf.db is None:
            return
        try:
            self.shelf.db.execute(f"INSERT OR REPLACE INTO {self.name} VALUES (?, ?)", (key, marshal.dumps(value)))
        except (sqlite3.Error, ValueError):
            self.shelf.close()
            return
        self.known.add(key)
        self.used.add(key)
