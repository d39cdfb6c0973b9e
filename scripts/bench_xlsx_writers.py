"""Is a maintained XLSX writer affordable? Times the answer sheets of the export bench's
1,000 sessions x 40 answers written by zet-tui's own writer and by XlsxWriter in
`constant_memory` mode, with the same cells and formatting (typed dates and
numbers, wrapped texts, frozen header, filter, widths), against the whole export.

    .venv/bin/pip install xlsxwriter   # only for this measurement; not a dependency
    .venv/bin/python scripts/bench_xlsx_writers.py

The result and the decision are in docs/exports.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "tests"
                                                         / "reliability")]

from benchlib.export_bench import EVALUATION, make_database  # noqa: E402

from zet_tui.core.store import Store  # noqa: E402
from zet_tui.export import tables  # noqa: E402
from zet_tui.export.data import load  # noqa: E402
from zet_tui.export.runner import FORMATS, select, write_export  # noqa: E402


def own_writer(rows: list[tables.AnswerRow], path: Path) -> None:
    from zet_tui.export.xlsx import Workbook

    wb = Workbook()
    sheet = wb.add_sheet("Antwoorden", header_rows=1, autofilter=True,
                         widths=[c.width for c in tables.COLUMNS],
                         wrap=[i for i, c in enumerate(tables.COLUMNS) if c.wrap])
    sheet.append(tables.HEADER, bold=True)
    for row in rows:
        sheet.append(row.values)
    with path.open("wb") as fh:
        wb.save(fh)


def xlsxwriter_writer(rows: list[tables.AnswerRow], path: Path) -> None:
    import xlsxwriter  # type: ignore[import-not-found]

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Antwoorden")
    bold = wb.add_format({"bold": True, "valign": "top"})
    top = wb.add_format({"valign": "top"})
    wrap = wb.add_format({"valign": "top", "text_wrap": True})
    day = wb.add_format({"valign": "top", "num_format": "dd-mm-yyyy"})
    stamp = wb.add_format({"valign": "top", "num_format": "dd-mm-yyyy hh:mm"})
    styles = [wrap if c.wrap else top for c in tables.COLUMNS]
    for i, c in enumerate(tables.COLUMNS):
        ws.set_column(i, i, c.width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(tables.COLUMNS) - 1)
    ws.write_row(0, 0, tables.HEADER, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row.values):
            if value is None or value == "":
                continue
            v: Any = value
            if isinstance(v, str):
                ws.write_string(r, c, v, styles[c])
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, stamp)
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), day)
            else:
                ws.write_number(r, c, v, top)
    wb.close()


def best_of(runs: int, fn: Any, *args: Any) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="zet-xlsx-"))
    db = work / "export.db"
    make_database(db, work)
    with Store.open(db, create=False) as store:
        selection = select(store, evaluation=EVALUATION)
        t0 = time.perf_counter()
        data = load(store, selection.evaluation, selection.sessions)
        folder = work / "all"
        folder.mkdir()
        write_export(data, folder, FORMATS)
        whole = time.perf_counter() - t0
    rows = tables.answer_rows(data)
    own = best_of(3, own_writer, rows, work / "own.xlsx")
    try:
        theirs = best_of(3, xlsxwriter_writer, rows, work / "xlsxwriter.xlsx")
    except ImportError:
        print("XlsxWriter is not installed: .venv/bin/pip install xlsxwriter", file=sys.stderr)
        return 1
    with_library = whole - own + theirs
    print(f"{len(rows)} answer rows; whole export in process {whole:.2f} s")
    print(f"own writer   {own:.2f} s = {own / whole:.0%} of the export")
    print(f"XlsxWriter   {theirs:.2f} s = {theirs / with_library:.0%} of an export that used it "
          f"({with_library:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
