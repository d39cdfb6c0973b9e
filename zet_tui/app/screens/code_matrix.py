"""The code x case overview of the coding screen: which codes were applied in which cases.

One row per code in use (codebook order), one column per case, each cell the
knelpunt / succesfactor (/ neutraal) counts as `2k 1s`; a total row and column.
Below the table the codings of the highlighted cell: case, perspective, question
and fragment. Enter goes back to the coding screen with its filter set to that
code and case (a total cell filters on the code or the case alone); Escape goes
back without a change. The model is `core/code_matrix.py`; every text reaches
the table literally (`app/literal.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from zet_tui.app.literal import literal_line
from zet_tui.app.palette import ScreenKeys
from zet_tui.app.screens.code_picker import EarlyKeys
from zet_tui.app.widgets.coding_grid import POLARITY_MARKS, POLARITY_STYLES
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.core.code_matrix import POLARITIES, POLARITY_LETTERS, CodeMatrix, MatrixCell
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.core.workbench import Filter

#: Row and column key of the totals.
TOTAL = "__totaal__"
#: A code's label is cut at this width (the full label is in the detail below the table).
LABEL_WIDTH = 24
LEGEND = "k = knelpunt · s = succesfactor · n = neutraal · · = niet gebruikt"


class MatrixTable(DataTable[Text]):
    """The table, with Enter in the footer (DataTable's own Enter is hidden there)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Coderingen", tooltip="Naar de coderingen van de cel"),
    ]


class CodeMatrixScreen(EarlyKeys, ModalScreen[Filter | None]):
    """A full screen; modal only to take the keys typed right after `X` (`EarlyKeys`), so
    `X`, right, Enter typed in one go filter on the cell to the right."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenKeys}
    AUTO_FOCUS = "#matrix-table"
    DEFAULT_CSS = """
    CodeMatrixScreen { overflow: hidden; background: $background; }
    CodeMatrixScreen #matrix-header { height: auto; padding: 0 1; background: $boost;
                                      text-wrap: nowrap; text-overflow: ellipsis; }
    CodeMatrixScreen #matrix-table { height: auto; max-height: 60%; }
    CodeMatrixScreen #matrix-legend { height: auto; padding: 0 1; color: $text-muted; }
    CodeMatrixScreen #matrix-detail { height: 1fr; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Coderingen", id="matrix-choose", show=False,
                tooltip="Terug naar het coderen, gefilterd op de code en de casus van de cel"),
        Binding("escape", "back", "Terug", id="matrix-back",
                tooltip="Terug naar het coderen zonder het filter te wijzigen"),
    ]
    HELP_SECTION = "codeoverzicht"

    @property
    def is_modal(self) -> bool:
        """Not modal for Textual: it covers the whole screen, so the app's keys (F1, ctrl+q)
        stay active and in the footer, and nothing underneath needs drawing."""
        return False

    def __init__(self, matrix: CodeMatrix, title: str, *, stale: Collection[str] = ()) -> None:
        super().__init__()
        self.matrix = matrix
        self.title_text = title
        self.stale = frozenset(stale)
        """Ids of codings whose toelichting changed after coding (shown with ⚠)."""

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-header")
        yield MatrixTable(id="matrix-table", cursor_type="cell", fixed_columns=1)
        yield Static(LEGEND, id="matrix-legend", markup=False)
        with VerticalScroll(id="matrix-detail", can_focus=False):
            yield Static(id="matrix-cell")
        yield FitFooter()

    def on_mount(self) -> None:
        m = self.matrix
        total = m.total()
        # one line; on a narrow screen the evaluation's name is cut, not the counts
        self.query_one("#matrix-header", Static).update(Text.assemble(
            Text("Codes × casussen", style="bold"),
            f" · {total.total} coderingen · {len(m.codes)} codes · {len(m.cases)} casussen · ",
            literal_line(self.title_text), no_wrap=True, overflow="ellipsis"))
        table: DataTable[Text] = self.query_one("#matrix-table", DataTable)
        width = min(LABEL_WIDTH, max([len(c.label) for c in m.codes] + [5]))
        table.add_column(Text("Code", style="bold"), width=width, key="code")
        for case in m.cases:
            table.add_column(literal_line(case.code, "bold"), key=case.id)
        table.add_column(Text("totaal", style="bold"), key=TOTAL)
        for code in m.codes:
            label = code.label if code.in_codebook else f"{code.id} (niet in codeboek)"
            cells = [m.cell(code.id, case.id) for case in m.cases]
            if len(label) > width:  # the full label is in the detail below the table
                label = label[:width - 1] + "…"
            table.add_row(literal_line(label), *map(_cell_text, cells),
                          _cell_text(m.code_total(code.id), bold=True), key=code.id)
        table.add_row(Text("totaal", style="bold"),
                      *(_cell_text(m.case_total(c.id), bold=True) for c in m.cases),
                      _cell_text(total, bold=True), key=TOTAL)
        table.move_cursor(row=0, column=1)
        self._detail()

    # -- the highlighted cell ---------------------------------------------------------------
    def _selected(self) -> tuple[str, str]:
        """(code id or TOTAL, case id or TOTAL) of the cursor; the label column counts as the
        code's total."""
        table: DataTable[Text] = self.query_one("#matrix-table", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        column = key.column_key.value or TOTAL
        return key.row_key.value or TOTAL, TOTAL if column == "code" else column

    def _cell(self, code_id: str, case_id: str) -> MatrixCell:
        m = self.matrix
        if code_id == TOTAL:
            return m.total() if case_id == TOTAL else m.case_total(case_id)
        return m.code_total(code_id) if case_id == TOTAL else m.cell(code_id, case_id)

    def _names(self, code_id: str, case_id: str) -> tuple[str, str]:
        code = next((c for c in self.matrix.codes if c.id == code_id), None)
        case = next((c for c in self.matrix.cases if c.id == case_id), None)
        return (code.label if code else "alle codes", case.code if case else "alle casussen")

    @on(DataTable.CellHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        code_id, case_id = self._selected()
        cell = self._cell(code_id, case_id)
        code_name, case_name = self._names(code_id, case_id)
        text = Text()  # (a Text's own style would cover everything appended to it)
        text.append_text(literal_line(f"{code_name} × {case_name}: ", "bold"))
        counts = [f"{cell.count(p)} {p.value}" for p in POLARITIES if cell.count(p)]
        text.append(", ".join(counts) if counts else "geen coderingen")
        per = cell.by_perspective()
        if per:
            text.append(" · " + ", ".join(f"{PERSPECTIVE_LABELS.get(p, p).lower()} {n}"
                                          for p, n in per.items()), style="dim")
        codes = {c.id: c for c in self.matrix.codes}
        cases = {c.id: c.code for c in self.matrix.cases}
        for placed in cell.codings:
            c = placed.coding
            text.append("\n")
            text.append(POLARITY_MARKS[c.polarity] + " ", style=POLARITY_STYLES[c.polarity])
            parts = [cases.get(placed.case_id, "?"),
                     PERSPECTIVE_LABELS.get(placed.perspective, placed.perspective).lower()]
            if code_id == TOTAL:  # a case's column: name the code of each coding
                code = codes.get(c.code_id)
                parts.append(code.label if code else c.code_id)
            parts.append(placed.question_text or c.question_id)
            text.append_text(literal_line(" · ".join(parts)))
            where = "hele antwoord" if c.start is None else f"«{c.fragment}»"
            text.append_text(literal_line(" · " + where, "dim"))
            if c.id in self.stale:
                text.append("  ⚠ tekst gewijzigd", style="bold yellow")
        self.query_one("#matrix-cell", Static).update(text)

    # -- keys -----------------------------------------------------------------------------
    @on(DataTable.CellSelected)
    def _selected_cell(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        code_id, case_id = self._selected()
        if not self._cell(code_id, case_id).total:
            code_name, case_name = self._names(code_id, case_id)
            self.notify(f"{code_name} is in {case_name} niet gebruikt: er is niets om te tonen.",
                        markup=False)
            return
        self.dismiss(Filter(code_id=None if code_id == TOTAL else code_id,
                            case_id=None if case_id == TOTAL else case_id))

    def action_back(self) -> None:
        self.dismiss(None)


def _cell_text(cell: MatrixCell, *, bold: bool = False) -> Text:
    """'2k 1s' with the knelpunt count in the knelpunt colour, '·' for an empty cell."""
    if not cell.total:
        return Text("·", style="dim", justify="center")
    text = Text(justify="center")
    for p in POLARITIES:
        n = cell.count(p)
        if n:
            if text:
                text.append(" ")
            text.append(f"{n}{POLARITY_LETTERS[p]}", style=POLARITY_STYLES[p])
    if bold:
        text.stylize("bold")
    return text


__all__ = ["TOTAL", "CodeMatrixScreen"]
