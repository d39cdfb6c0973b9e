"""File modes for everything zet-tui writes: data about vulnerable people is owner-only."""

from __future__ import annotations

import contextlib
import shutil
import stat
from pathlib import Path


def restrict_permissions(path: Path) -> None:
    """chmod 0600 for files, 0700 for folders: exports hold data about vulnerable people."""
    with contextlib.suppress(OSError):
        path.chmod(0o700 if path.is_dir() else 0o600)


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def copy_private(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    restrict_permissions(dst)

