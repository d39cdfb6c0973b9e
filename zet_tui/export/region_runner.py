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
from collections.abc import Sequence
from pathlib import Path

from zet_tui.core.store import Store
from zet_tui.export.folders import prepare_root, unique_names, write_manifest
from zet_tui.export.region_data import RegionExport, load_region_export
from zet_tui.export.region_md import aldermen_md, municipality_md, region_report_md
from zet_tui.export.region_tables import region_tables, write_region_json, write_region_xlsx
from zet_tui.export.runner import (
    DEFAULT_ROOT,
    FORMATS,
    ExportResult,
    FolderWriter,
    Progress,
    slug,
    write_staged,
)
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


def write_region_export(x: RegionExport, folder: Path, formats: Sequence[str],
                        progress: Progress | None = None) -> ExportResult:
    pages = _municipality_files(x)
    # a table without rows (no shared finding yet) is left out rather than an empty file
    tables = {k: v for k, v in region_tables(x).items() if v} if "csv" in formats else {}
    total = (3 + len(pages) if "md" in formats else 0) + len(tables) + sum(
        f in formats for f in ("xlsx", "json"))
    w = FolderWriter(folder, total, progress)
    index: list[str] = []
    if "md" in formats:
        w.text("regiorapport.md", region_report_md(x))
        w.text("wethouders.md", aldermen_md(x))
        index += ["- [Regiorapport](regiorapport.md)",
                  "- [Samenvatting voor de wethouders](wethouders.md)", "- Per gemeente:"]
        for name, relative in pages.items():
            w.text(relative, municipality_md(x, name))
            index.append(f"  - [{inline(name)}]({relative})")
    for name, rows in tables.items():
        with w.open(f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            write_rows_csv(rows, fh)
        index.append(f"- [{name} (CSV)]({name}.csv)")
    if "xlsx" in formats:
        with w.open("regio.xlsx", binary=True) as fh:
            write_region_xlsx(x, fh)
        index.append("- [Alle tabellen (Excel)](regio.xlsx)")
    if "json" in formats:
        with w.open("regio.json") as fh:
            write_region_json(x, fh)
        index.append("- [Alles (JSON)](regio.json)")
    if "md" in formats:
        title = heading(1, f"Regio {x.data.region.name}")
        w.text("index.md", f"{title}\n\n" + "\n".join(index) + "\n")
    return ExportResult(folder, [folder / relative for relative in w.created])


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
