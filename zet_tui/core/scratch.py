"""Work folders next to the files they are for, recognisable and cleaned up when abandoned.

A merge copies each source database, and an export writes a whole folder
before it appears under its real name. Those intermediate files hold interview
data, so they live next to the target (same disk, same permissions, never in a
shared system temp folder), in a hidden folder named
`.zet-bezig-<kind>-<pid>-<random>` ("bezig" = in progress) with mode 0700.
A killed process leaves such a folder behind; the next zet-tui run that works
in that place removes every one whose process no longer runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

PREFIX = ".zet-bezig-"
_NAME = re.compile(re.escape(PREFIX) + r"(?P<kind>[a-z]+)-(?P<pid>\d+)-[0-9a-f]+")


def new_folder(parent: Path, kind: str) -> Path:
    """Create an empty, private work folder in `parent` (raises OSError)."""
    path = parent / f"{PREFIX}{kind}-{os.getpid()}-{os.urandom(4).hex()}"
    path.mkdir(mode=0o700)
    path.chmod(0o700)
    return path


@contextlib.contextmanager
def folder(parent: Path, kind: str) -> Iterator[Path]:
    """A work folder that is removed when the block ends, however it ends."""
    path = new_folder(parent, kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but owned by someone else
    return True


def leftovers(parent: Path) -> list[Path]:
    """Work folders in `parent` whose process has ended (killed, crashed, power cut)."""
    found: list[Path] = []
    with contextlib.suppress(OSError), os.scandir(parent) as entries:
        for entry in entries:
            match = _NAME.fullmatch(entry.name)
            if match and entry.is_dir(follow_symlinks=False) and not _running(
                    int(match["pid"])):
                found.append(Path(entry.path))
    return sorted(found)


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the abandoned work folders in `parent`; returns what was removed."""
    removed = []
    for path in leftovers(parent):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed
