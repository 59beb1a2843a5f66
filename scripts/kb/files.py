"""Writing files in one step: a reader (or a crash) never sees a half-written file. And which
folders are installed packages' (they do not change while kb runs)."""

from __future__ import annotations

import errno
import os
import stat
import sysconfig
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replaced(path: Path):
    """A binary file to write `path` through, in one step: written next to it, then renamed over
    it when the block ends (and removed if it fails). Only a plain file is replaced: a link
    would become a copy of what it points to, a device or a pipe a file (OSError)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EEXIST, "not replaced: a link, folder, device or pipe is there, not a plain file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); it gets the mode a plain write would give it.
        os.chmod(tmp, mode & 0o7777 if mode is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Replace a file in one step: written next to it, then renamed over it."""
    with replaced(path) as handle:
        handle.write(data)


def write_atomically(path: Path, text: str) -> bool:
    """Replace a text file in one step (UTF-8, `\\n` line ends); returns False when nothing changed."""
    if path.is_file() and not path.is_symlink() and path.read_text(encoding="utf-8") == text:
        return False
    write_bytes_atomically(path, text.encode("utf-8"))
    return True


def installed(folder: str) -> bool:
    """Is `folder` in the installed packages (the theme's own folders), not the project's?"""
    return Path(folder).resolve().is_relative_to(Path(sysconfig.get_paths()["purelib"]).resolve())
