"""File modes for everything zet-tui writes: data about vulnerable people is owner-only."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path

SIDE_FILES = ("", "-wal", "-shm", "-journal")


def restrict_permissions(path: Path) -> None:
    """chmod 0600 for files, 0700 for folders: exports hold data about vulnerable people."""
    with contextlib.suppress(OSError):
        path.chmod(0o700 if path.is_dir() else 0o600)


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def copy_private(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    restrict_permissions(dst)



def tighten(db: Path) -> dict[Path, int]:
    """Make an existing database and its side files owner-only (0600).

    A file copied with `cp` or from a USB stick often arrives 0644, and SQLite
    gives the -wal and -shm it creates the database's mode. Returns the files
    changed with their old modes (a file we do not own is left alone).
    """
    changed: dict[Path, int] = {}
    for suffix in SIDE_FILES:
        path = db.with_name(db.name + suffix)
        try:
            info = path.stat()
            old = stat.S_IMODE(info.st_mode)
            if stat.S_ISREG(info.st_mode) and old & 0o077 and info.st_uid == os.getuid():
                path.chmod(0o600)
                changed[path] = old
        except OSError:
            continue
    return changed
