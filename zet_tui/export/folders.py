"""Where an export lands: complete or not at all, under a name no earlier export has.

An export is written into a hidden work folder next to its final place
(`.zet-bezig-export-<pid>-<random>`, see `zet_tui.core.scratch`) and renamed
into place when every file is complete, so nobody ever opens a half export. A
killed export leaves only such a work folder, which the next export into the
same folder removes.

Every export folder holds `.zet-export.json`, naming (as hashes of their random
ids) the cases whose data it holds, so `zet purge` can list the exports that
still hold an erased case.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from zet_tui import __version__
from zet_tui.core import scratch

MANIFEST = ".zet-export.json"


class ExportError(Exception):
    """A problem the user can act on (Dutch message)."""


def unique_names(slugs: Mapping[str, str]) -> dict[str, str]:
    """Per key (a random id) its slug, made unique where two keys share one.

    Codes like "K-01" and "k.01", or two emoji codes, slugify to the same name;
    those get a short id suffix ("k-01-3f2a9c1d"), everyone else keeps the plain
    slug. Names are compared case-insensitively, as on macOS and Windows.
    """
    count = Counter(s.lower() for s in slugs.values())
    names = {k: s if count[s.lower()] == 1 else f"{s}-{k[:8]}" for k, s in slugs.items()}
    taken = Counter(n.lower() for n in names.values())
    return {k: n if taken[n.lower()] == 1 else f"{slugs[k]}-{k}" for k, n in names.items()}


def prepare_root(root: Path) -> None:
    """Create the folder that receives exports (0700) and clear a killed export's leftovers."""
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportError(f"{root}: kan map niet aanmaken ({exc.strerror or exc})") from None
    if not root.is_dir():
        raise ExportError(f"{root}: is geen map")
    if not os.access(root, os.W_OK | os.X_OK):
        raise ExportError(f"{root}: geen schrijfrechten in deze map")
    scratch.remove_leftovers(root)


def work_folder(root: Path) -> Path:
    try:
        return scratch.new_folder(root, "export")
    except OSError as exc:
        raise ExportError(f"{root}: kan map niet aanmaken ({exc.strerror or exc})") from None


def publish(work: Path, root: Path, name: str) -> Path:
    """Rename the complete `work` folder to `root/name`, or the first free `name-2`, ...

    A rename never replaces a folder with content (the kernel refuses), so two
    exports finishing at the same moment each get their own name.
    """
    for n in range(1, 10_000):
        target = root / (name if n == 1 else f"{name}-{n}")
        if target.exists() or target.is_symlink():
            continue
        try:
            os.rename(work, target)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                continue
            raise
        return target
    raise ExportError(f"{root}: te veel eerdere exports met de naam {name}")


def case_mark(case_id: str) -> str:
    return hashlib.sha256(case_id.encode()).hexdigest()[:32]


def write_manifest(folder: Path, case_ids: Iterable[str]) -> None:
    content = json.dumps({"zet-tui": __version__,
                          "casussen": sorted({case_mark(c) for c in case_ids})})
    fd = os.open(folder / MANIFEST, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content + "\n")


def folders_holding(case_id: str, roots: Iterable[Path]) -> list[Path]:
    """Export folders under `roots` (up to two levels deep) that hold data of the case."""
    mark = case_mark(case_id)
    found: set[Path] = set()
    for root in {r.expanduser().resolve() for r in roots}:
        for pattern in (MANIFEST, f"*/{MANIFEST}", f"*/*/{MANIFEST}"):
            for manifest in root.glob(pattern):
                try:
                    marks = json.loads(manifest.read_text(encoding="utf-8")).get("casussen", [])
                except (OSError, ValueError, AttributeError):
                    continue
                if mark in marks:
                    found.add(manifest.parent)
    return sorted(found)
