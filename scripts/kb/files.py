"""Writing files in one step: a reader (or a crash) never sees a half-written file; a change of
several files is journalled, so a kill leaves all of it or none, and takes the project's lock, so
two commands never change it at once."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import stat
import sys
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


# Changing the project: one command at a time, and every file of a change or none.

FOLDER_ENV = "KB_CACHE_DIR"  # where every project's private folder is, instead of ~/.cache/kb (tests)
JOURNAL = ".kb-journal"


def user_folder(root: Path) -> Path:
    """The project's private folder, outside the work tree (a pull request can commit any file
    into the tree, git-ignored or not): $KB_CACHE_DIR (else $XDG_CACHE_HOME/kb, else
    ~/.cache/kb), then the first 16 hex digits of the SHA-256 of the project's path."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(os.environ.get(FOLDER_ENV) or (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "kb")
    return base / hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def private_folder(root: Path) -> Path:
    """user_folder(root), made if needed (0700); OSError when it is not the user's own folder
    that only they can write to: what is in it is trusted as kb's own work."""
    folder = user_folder(root)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise OSError(errno.EPERM, "not a folder of yours that only you can write to (chmod 700 it, or remove it)", str(folder))
    return folder


def journal_path(root: Path) -> Path:
    """Where a change of several files is journalled: in the private folder, never in the work
    tree, so no commit can plant a journal that a kb command would carry out."""
    return user_folder(root) / JOURNAL


@contextmanager
def _locked(root: Path, command: str, out):
    """Hold the project's lock, as `kb build` holds the site's: a lock on the project folder itself
    (no file to leave behind), which goes with the process, so a killed command never keeps it."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        lock_waiting(fd, f"kb {command}: another kb command is changing {root}; waiting for it to finish", out)
        yield
    finally:
        os.close(fd)


def lock_waiting(fd, message: str, out) -> None:
    """Take an exclusive lock on an open file; if another process holds it, say `message` and wait."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(message, file=out, flush=True)
        fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def changing(root: Path, command: str, out=sys.stderr):
    """Run a command that changes the project alone (a second one waits, and says so), after
    finishing a change a killed command left half done. Plan and write inside the block."""
    with _locked(root, command, out):
        _recover(root, out)
        yield


def finish_interrupted(root: Path, command: str, out=sys.stderr) -> None:
    """Before reading the project: complete (or undo) a change a killed command left half done."""
    if journal_path(root).exists():
        with _locked(root, command, out):
            _recover(root, out)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(root: Path, entry: dict) -> None:
    """The journal, replaced in one step and on disk before anything it lists is renamed."""
    journal = private_folder(root) / JOURNAL
    tmp = journal.with_name(f"{JOURNAL}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(entry, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, journal)
    _fsync_dir(journal.parent)


def write_together(root: Path, files: dict[Path, bytes], command: str) -> list[Path]:
    """Write several files under `root` all or nothing, even across a kill -9, in `files`' order;
    returns those that changed. Each new file is written beside its target, the journal says so,
    then each is renamed over its target; `changing` completes a journal a killed run left.
    The caller holds the lock (`changing`)."""
    files = {path: data for path, data in files.items() if not (path.is_file() and not path.is_symlink() and path.read_bytes() == data)}
    if not files:
        return []
    for path in files:  # never through a link to a folder, anywhere below the project's
        if not path.is_relative_to(root) or path.parent.resolve() != root.resolve() / path.parent.relative_to(root):
            raise ValueError(f"{path.parent} is a link or outside {root}; kb writes only into the project's own folders")
    rel = lambda path: path.relative_to(root).as_posix()  # noqa: E731
    pairs = [(rel(path.parent / f".{path.name}.kb-new"), rel(path)) for path in files]
    created: list[str] = []  # folders this change makes, outermost first: an undone change removes them
    for folder in dict.fromkeys(path.parent for path in files):
        missing = [d for d in (folder, *folder.parents) if d.is_relative_to(root) and d != root and not d.exists()]
        created += [rel(d) for d in reversed(missing) if rel(d) not in created]
    entry = {"command": command, "state": "writing", "files": pairs, "created": created}
    _write_journal(root, entry)  # from here, a killed run is undone: its new files are removed
    for (tmp, _), (path, data) in zip(pairs, files.items(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(root / tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        regular = path.is_file() and not path.is_symlink()
        os.chmod(root / tmp, path.stat().st_mode & 0o7777 if regular else 0o666 & ~_umask())
    _write_journal(root, {**entry, "state": "ready"})  # from here, a killed run is completed
    _finish(root, entry)
    return list(files)


def _finish(root: Path, entry: dict) -> None:
    for tmp, target in entry["files"]:
        if (root / tmp).exists():  # else renamed already, before a kill
            os.replace(root / tmp, root / target)
    for folder in dict.fromkeys((root / target).parent for _, target in entry["files"]):
        _fsync_dir(folder)
    journal_path(root).unlink()
    _fsync_dir(journal_path(root).parent)


def _inside(root: Path, rel) -> bool:
    """A path kb itself would write: relative, no `..`, no hidden part, no link on the way."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return False
    return (root / rel).parent.resolve() == root.resolve() / Path(rel).parent


def _check_journal(root: Path, files, created) -> None:
    """What a journal may do: rename `.<name>.kb-new` over `<name>` in the same folder of the
    project, and remove such files or the empty folders it made; anything else is refused
    before anything is touched (a second guard: the journal is in the private folder)."""
    for tmp, target in files:
        name = Path(target).name if isinstance(target, str) else ""
        if not (
            _inside(root, target) and not name.startswith(".") and tmp == str(Path(target).parent / f".{name}.kb-new").removeprefix("./")
        ):
            raise ValueError(f"it lists {str(tmp)[:80]!r} -> {str(target)[:80]!r}, which no kb command writes")
    for folder in created:
        if not _inside(root, folder):
            raise ValueError(f"it lists the folder {str(folder)[:80]!r}, outside the project")


def _recover(root: Path, out) -> None:
    """Complete a journalled change whose files were all written, or undo one that was not."""
    journal = journal_path(root)
    journal.with_name(f"{JOURNAL}.tmp").unlink(missing_ok=True)
    if not journal.exists():
        return
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        files, command = entry["files"], entry["command"]
        _check_journal(root, files, entry.get("created", []))
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{journal} is damaged ({err}); see what it lists, then remove it") from None
    if entry["state"] == "ready":
        _finish(root, entry)
        print(
            f"kb: finished the change an interrupted `kb {command}` left half made ({len(files)} file{'' if len(files) == 1 else 's'})",
            file=out,
        )
        return
    for tmp, _ in files:
        (root / tmp).unlink(missing_ok=True)
    for folder in reversed(entry.get("created", [])):
        if (root / folder).is_dir() and not any((root / folder).iterdir()):
            (root / folder).rmdir()
    journal.unlink()
    print(f"kb: an interrupted `kb {command}` had not begun to change the files; nothing of it was kept", file=out)


@contextmanager
def staged(root: Path, parts: list[str]):
    """A copy of these parts of the project (files and folders; links copied as links, never
    followed) to make a change in before it is written; yields its folder."""
    import shutil

    with tempfile.TemporaryDirectory(prefix="kb-staged-") as work:
        copy = Path(work)
        for part in parts:
            source = root / part
            if source.is_dir() and not source.is_symlink():
                shutil.copytree(source, copy / part, symlinks=True)
            elif source.exists() or source.is_symlink():
                (copy / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy / part, follow_symlinks=False)
        yield copy


def changed_in(copy: Path, root: Path, parts: list[str]) -> dict[Path, bytes]:
    """The regular files of a staged copy that are new or differ from the project's: {path in the project: bytes}."""
    changed = {}
    for part in parts:
        walked = os.walk(copy / part)  # links to folders are not followed
        paths = [copy / part] if (copy / part).is_file() else [Path(top, name) for top, _, names in walked for name in sorted(names)]
        for path in paths:
            if path.is_file() and not path.is_symlink():
                target = root / path.relative_to(copy)
                data = path.read_bytes()
                if not (target.is_file() and target.read_bytes() == data):
                    changed[target] = data
    return changed
