"""A small streaming XLSX (Office Open XML spreadsheet) writer.

Why not a library: measured on 1,000 sessions x 40 answers (see docs/exports.md),
XlsxWriter in `constant_memory` mode needed ~2.3 s more than this writer for
the same cells and formatting, and openpyxl in write-only mode ~3.8 s more:
either would make the spreadsheet most of the export time, while this writer
costs about a fifth of it. openpyxl stays the reference *reader* in the tests,
so every feature written here (typed cells, wrapping, filters, frozen header,
widths) is checked by reading the file back.

What an analyst gets: dates and times as real date cells (shown dd-mm-jjjj,
sortable and filterable as dates), numbers as numbers, long texts wrapped,
every cell aligned to the top, an autofilter on the header row, the header
frozen and bold, and column widths.

Strings are always written as strings (`t="inlineStr"`), so a toelichting
that starts with `=` can never become a formula. Characters XML 1.0 forbids
(most control characters) are dropped; texts longer than Excel's cell limit
are cut.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zet_tui.core.safe_text import export_safe

MAX_CELL = 32_767
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                         **{chr(c): None for c in (*range(0x00, 0x09), 0x0B, 0x0C,
                                                   *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}})
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Stands for the row number in a run of cells (`Sheet.run`). No cell can hold it: `_text`
#: drops every control character from what it writes.
ROW = "\x00"
_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (with its leap-year quirk)

# Cell styles (indexes into cellXfs below). Format codes are stored in Excel's
# neutral notation; Excel and LibreOffice show them in the reader's language.
BOLD, TEXT, WRAP, DATE, DATETIME = 1, 2, 3, 4, 5
_TOP = '<alignment vertical="top"/>'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd-mm-yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{_TOP}</xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    f'applyAlignment="1">{_TOP}</xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    f'applyAlignment="1">{_TOP}</xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def excel_serial(value: date) -> float | int:
    """Days since Excel's epoch; a datetime adds the time of day as a fraction."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86_400
    return (value - _EPOCH.date()).days


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


#: What XML needs escaped or forbids, plus what `export_safe` removes from every file.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"
                           "\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _text(value: str) -> str:
    if len(value) > MAX_CELL:
        value = value[:MAX_CELL - 1] + "…"
    if not _NEEDS_ESCAPE.search(value):
        return value
    # No escape sequence or control character in any exported file (see export/runner.py).
    return export_safe(value).translate(_ESCAPE)


@dataclass
class Sheet:
    """One worksheet. `wrap` names the columns (0-based) whose texts wrap; the first
    `header_rows` rows are frozen and bold, and with `autofilter` the last header row
    gets filter buttons over every column written."""

    name: str
    header_rows: int = 0
    widths: Sequence[float] = ()
    wrap: frozenset[int] = frozenset()
    autofilter: bool = False
    rows: list[str] = field(default_factory=list)
    _letters: list[str] = field(default_factory=list)
    _text_styles: list[str] = field(default_factory=list)

    def append(self, values: Sequence[Any], *, bold: bool = False) -> None:
        self.append_runs((self.run(values, bold=bold),))

    def run(self, values: Sequence[Any], first: int = 0, *, bold: bool = False) -> str:
        """The cells of `values` in the columns from `first` (0-based) on, with `ROW` standing
        for the row number: cells that many rows share are made once (`append_runs`)."""
        while len(self._letters) < first + len(values):
            i = len(self._letters)
            self._letters.append(column_letter(i))
            self._text_styles.append(f' s="{WRAP if i in self.wrap else TEXT}"')
        cells = []
        for letter, text_style, v in zip(self._letters[first:], self._text_styles[first:], values, strict=False):
            if v is None or v == "":
                continue
            style = f' s="{BOLD}"' if bold else text_style
            if type(v) is str:
                cells.append(f'<c r="{letter}{ROW}" t="inlineStr"{style}><is>'
                             f'<t xml:space="preserve">{_text(v)}</t></is></c>')
            elif isinstance(v, bool):
                cells.append(f'<c r="{letter}{ROW}" t="b" s="{TEXT}"><v>{int(v)}</v></c>')
            elif isinstance(v, int | float):
                cells.append(f'<c r="{letter}{ROW}" s="{TEXT}"><v>{v!r}</v></c>')
            elif isinstance(v, date):
                kind = DATETIME if isinstance(v, datetime) else DATE
                cells.append(f'<c r="{letter}{ROW}" s="{kind}"><v>{excel_serial(v)!r}</v></c>')
            else:
                cells.append(f'<c r="{letter}{ROW}" t="inlineStr"{style}><is>'
                             f'<t xml:space="preserve">{_text(str(v))}</t></is></c>')
        return "".join(cells)

    def append_runs(self, runs: Iterable[str]) -> None:
        """Append a row made of runs of cells (`run`), in column order."""
        r = str(len(self.rows) + 1)
        self.rows.append(f'<row r="{r}">{"".join(runs).replace(ROW, r)}</row>')

    @property
    def filter_range(self) -> str | None:
        """`A1:S401`: the header row and every row below it, or None without a filter."""
        if not (self.autofilter and self.header_rows and self._letters):
            return None
        return f"A{self.header_rows}:{self._letters[-1]}{max(len(self.rows), self.header_rows)}"

    def xml(self) -> Iterable[str]:
        yield f'{_HEAD}<worksheet xmlns="{_NS}">'
        if self.header_rows:
            top = f"A{self.header_rows + 1}"
            yield ('<sheetViews><sheetView workbookViewId="0">'
                   f'<pane ySplit="{self.header_rows}" topLeftCell="{top}" activePane="bottomLeft"'
                   ' state="frozen"/></sheetView></sheetViews>')
        if self.widths:
            yield "<cols>"
            for i, w in enumerate(self.widths, start=1):
                yield f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            yield "</cols>"
        yield "<sheetData>"
        yield from self.rows
        yield "</sheetData>"
        if self.filter_range:
            yield f'<autoFilter ref="{self.filter_range}"/>'
        yield "</worksheet>"


class Workbook:
    def __init__(self) -> None:
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, *, header_rows: int = 0, widths: Sequence[float] = (),
                  wrap: Iterable[int] = (), autofilter: bool = False) -> Sheet:
        # Excel: at most 31 characters, none of []:*?/\ , unique
        clean = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Blad"
        taken = {s.name.lower() for s in self.sheets}
        base, n = clean, 1
        while clean.lower() in taken:
            n += 1
            clean = f"{base[:28]} {n}"
        sheet = Sheet(clean, header_rows, widths, frozenset(wrap), autofilter)
        self.sheets.append(sheet)
        return sheet

    def save(self, fh: Any) -> None:
        """Write the workbook to a binary file object (or a path)."""
        n = len(self.sheets)
        types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1))
        content_types = (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{types}</Types>")
        root_rels = (f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                     f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheets = "".join(f'<sheet name="{_text(s.name).replace(chr(34), "&quot;")}" '
                         f'sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, start=1))
        # Excel keeps a filter's range in a hidden name per sheet, next to the sheet's own
        # <autoFilter>; LibreOffice needs it to show the filter buttons.
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{_quoted_sheet(s.name)}!{_absolute(s.filter_range)}</definedName>"
            for i, s in enumerate(self.sheets) if s.filter_range)
        names = f"<definedNames>{filters}</definedNames>" if filters else ""
        workbook = (f'{_HEAD}<workbook xmlns="{_NS}" xmlns:r="{_REL}">'
                    f"<sheets>{sheets}</sheets>{names}</workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        wb_rels = f'{_HEAD}<Relationships xmlns="{_PKG}">{rels}</Relationships>'
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("[Content_Types].xml", content_types)
            zf.writestr("_rels/.rels", root_rels)
            zf.writestr("xl/workbook.xml", workbook)
            zf.writestr("xl/_rels/workbook.xml.rels", wb_rels)
            zf.writestr("xl/styles.xml", _STYLES)
            for i, sheet in enumerate(self.sheets, start=1):
                with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                    buf: list[str] = []
                    size = 0
                    for chunk in sheet.xml():
                        buf.append(chunk)
                        size += len(chunk)
                        if size > 1 << 20:
                            part.write("".join(buf).encode("utf-8"))
                            buf, size = [], 0
                    part.write("".join(buf).encode("utf-8"))


def _quoted_sheet(name: str) -> str:
    return "'" + _text(name).replace("'", "''") + "'"


def _absolute(ref: str | None) -> str:
    """`A1:S9` -> `$A$1:$S$9`."""
    return re.sub(r"([A-Z]+)([0-9]+)", r"$\1$\2", ref or "")
