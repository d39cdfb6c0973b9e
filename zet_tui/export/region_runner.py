"""`zet regio export`: write a region's reports and tables into a fresh folder.

Layout (`regio-<name>[-gepseudonimiseerd]/`)::

    index.md                 links to everything below
    regiorapport.md          matrices, beleid and praktijk, method, appendix
    wethouders.md            the compact summary for the aldermen session
    gemeenten/<gemeente>.md  the page for the feedback to each municipality
    regio-*.csv  regio.xlsx  regio.json

Like an evaluation export (`export/runner.py`, `export/folders.py`): written
into a work folder and renamed into place when complete, under a name no
earlier export has; folders 0700, files 0600 created exclusively; a failed
export removes its work folder; the manifest names (hashed) every case of the
region, so `zet purge` lists this export too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

from zet_tui.core.safe_text import export_safe
from zet_tui.core.store import Store
from zet_tui.export.folders import prepare_root, unique_names, write_manifest
from zet_tui.export.region_data import RegionExport, load_region_export
from zet_tui.export.region_md import aldermen_md, municipality_md, region_report_md
from zet_tui.export.region_tables import region_tables, write_region_json, write_region_xlsx
from zet_tui.export.runner import DEFAULT_ROOT, FORMATS, ExportResult, Progress, slug, write_staged
from zet_tui.export.safe_md import heading, inline
from zet_tui.export.tables import write_rows_csv


def folder_name(x: RegionExport) -> str:
    name = "regio-" + slug(x.data.region.name, "regio").removeprefix("regio-")
    return name + ("-gepseudonimiseerd" if x.pseudo.enabled else "")


def _municipality_files(x: RegionExport) -> dict[str, str]:
    """Municipality -> file name, unique even when two names share a slug (a hash of the
    name tells them apart: the name itself may hold '/' or '..')."""
    keys = {hashlib.sha256(name.encode()).hexdigest(): name for name in x.data.municipalities}
    names = unique_names({key: slug(name, "gemeente") for key, name in keys.items()})
    return {keys[key]: f"gemeenten/{file}.md" for key, file in names.items()}


class _Files:
    """Creates files exclusively (0600) in one folder, counting progress."""

    def __init__(self, folder: Path, total: int, progress: Progress | None) -> None:
        self.folder, self.total, self.progress = folder, total, progress
        self.written: list[Path] = []

    def write(self, relative: str, fill: Callable[[IO[Any]], object], *, binary: bool = False,
              encoding: str = "utf-8") -> None:
        path = self.folder / relative
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        self.written.append(path)
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding=encoding, newline="" if encoding == "utf-8-sig" else None)
              ) as fh:
            fill(fh)
        if self.progress is not None:
            self.progress(len(self.written), self.total, relative)


def _text(content: str, fh: IO[Any]) -> None:
    fh.write(export_safe(content))  # as an evaluation export: no control character in a file


def _csv(rows: list[dict[str, Any]], fh: IO[Any]) -> None:
    write_rows_csv(rows, fh)


def write_region_export(x: RegionExport, folder: Path, formats: Sequence[str],
                        progress: Progress | None = None) -> ExportResult:
    pages = _municipality_files(x)
    # a table without rows (no shared finding yet) is left out rather than an empty file
    tables = {k: v for k, v in region_tables(x).items() if v} if "csv" in formats else {}
    total = (3 + len(pages) if "md" in formats else 0) + len(tables) + sum(
        f in formats for f in ("xlsx", "json"))
    files = _Files(folder, total, progress)
    index: list[str] = []
    if "md" in formats:
        files.write("regiorapport.md", partial(_text, region_report_md(x)))
        files.write("wethouders.md", partial(_text, aldermen_md(x)))
        index += ["- [Regiorapport](regiorapport.md)",
                  "- [Samenvatting voor de wethouders](wethouders.md)", "- Per gemeente:"]
        for name, relative in pages.items():
            files.write(relative, partial(_text, municipality_md(x, name)))
            index.append(f"  - [{inline(name)}]({relative})")
    for name, rows in tables.items():
        files.write(f"{name}.csv", partial(_csv, rows), encoding="utf-8-sig")
        index.append(f"- [{name} (CSV)]({name}.csv)")
    if "xlsx" in formats:
        files.write("regio.xlsx", lambda fh: write_region_xlsx(x, fh), binary=True)
        index.append("- [Alle tabellen (Excel)](regio.xlsx)")
    if "json" in formats:
        files.write("regio.json", lambda fh: write_region_json(x, fh))
        index.append("- [Alles (JSON)](regio.json)")
    if "md" in formats:
        title = heading(1, f"Regio {x.data.region.name}")
        files.write("index.md", partial(_text, f"{title}\n\n" + "\n".join(index) + "\n"))
    return ExportResult(folder, files.written)


def run_region_export(store: Store, region_id: str, *, root: Path | None = None,
                      formats: Sequence[str] = FORMATS, pseudonymize: bool = False,
                      progress: Progress | None = None) -> ExportResult:
    """Read the region, write into a work folder, rename it into place when complete."""
    root = root or DEFAULT_ROOT
    prepare_root(root)
    x = load_region_export(store, region_id, pseudonymize=pseudonymize)

    def write(work: Path) -> ExportResult:
        write_manifest(work, [rc.case.id for rc in x.data.cases])
        return write_region_export(x, work, formats, progress)

    return write_staged(root, folder_name(x), write)
