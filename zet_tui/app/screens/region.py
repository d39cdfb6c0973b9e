"""The region on screen: municipalities side by side, beleid beside praktijk, pages to hand out.

Tabs: the matrix of basisfuncties and of werkzame elementen (a line below
the table explains the highlighted cell: every perspective, how many scores
and cases, the region's mean), beleid beside praktijk per theme, the page for
one municipality and the summary for the aldermen. ctrl+e writes the export
(`zet regio export`) in a thread worker with its own `Store`.

The screen opens its own `Store`, so any App that knows the database path can
push it. User text reaches widgets through `app/literal.py` (never as markup, control characters
visible) or as Markdown escaped by `export/safe_md.py` (control characters dropped).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Markdown,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from zet_tui.app.literal import literal, literal_line
from zet_tui.app.palette import ScreenKeys
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.core.beleid import DIVERGING, MIN_POLICY_SCORES, MIN_PRACTICE_SCORES, Score
from zet_tui.core.dutch import format_number
from zet_tui.core.region_learning import finding_title, shared_text, topics_text
from zet_tui.core.region_matrix import SHORT_LABELS, THIN, Matrix, MatrixCell, cell_text, score_text
from zet_tui.core.store import Region, Store, StoreError
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export.region_data import RegionExport, load_region_export
from zet_tui.export.region_md import aldermen_md, municipality_md

EXPORT_ROOT = Path("exports")
MATRIX_TABS = (("basisfunctie", "tab-basis"), ("werkzaam", "tab-werkzaam"))
TABS = (("tab-basis", "Basisfuncties"), ("tab-werkzaam", "Werkzaam"),
        ("tab-gedeeld", "Gedeeld"), ("tab-leren", "Leren"), ("tab-beleid", "Beleid"),
        ("tab-gemeente", "Gemeente"), ("tab-wethouders", "Wethouders"))
#: The tabs with a table and a line of detail below it, in the order of TABS.
TABLE_TABS: tuple[tuple[str, Literal["cell", "row"], str], ...] = (
    ("matrix-basisfunctie", "cell", "detail-basisfunctie"),
    ("matrix-werkzaam", "cell", "detail-werkzaam"),
    ("shared-table", "row", "detail-shared"),
    ("pairs-table", "row", "detail-pairs"),
    ("policy-table", "row", "detail-policy"),
)
TAB_TITLES = {"tab-basis": "Basisfuncties", "tab-werkzaam": "Werkzame elementen",
              "tab-gedeeld": "Gedeelde bevindingen", "tab-leren": "Leren van elkaar",
              "tab-beleid": "Beleid en praktijk", "tab-gemeente": "Per gemeente",
              "tab-wethouders": "Samenvatting voor de wethouders"}


@dataclass(frozen=True)
class RegionExportRequest:
    root: Path
    pseudonymize: bool


class RegionExportDialog(ModalScreen[object]):
    """Into which folder, and whether the copy must be shareable."""

    DEFAULT_CSS = """
    RegionExportDialog .dialog { max-width: 90; }
    RegionExportDialog Label { margin-top: 1; color: $text-muted; }
    RegionExportDialog Input { width: 100%; }
    RegionExportDialog Checkbox { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    def __init__(self, region: Region, root: Path) -> None:
        super().__init__(classes="modal")
        self.chosen = region
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Regio exporteren"
            yield Static(literal_line(self.chosen.name))
            yield Label("Map waarin de exportmap komt (een eerdere export wordt nooit overschreven)")
            yield Input(str(self.root), placeholder="map", id="region-root")
            yield Checkbox("Gepseudonimiseerd (om te delen: gemeenten blijven, casuscodes en "
                           "namen niet)", id="region-pseudo")
            yield Static("", id="region-dialog-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Exporteren", variant="primary", id="region-export-ok")
                yield Button("Annuleren", id="region-export-cancel")

    def on_mount(self) -> None:
        self.query_one("#region-export-ok", Button).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#region-export-ok")
    def _ok(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        raw = self.query_one("#region-root", Input).value.strip()
        error = self.query_one("#region-dialog-error", Static)
        if not raw:
            error.update("Vul een map in.")
            return
        root = Path(raw).expanduser()
        root = root if root.is_absolute() else Path.cwd() / root
        if root.exists() and not root.is_dir():
            error.update(f"{root} is een bestand, geen map.")
            return
        self.dismiss(RegionExportRequest(root, self.query_one("#region-pseudo", Checkbox).value))

    @on(Button.Pressed, "#region-export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _cell(c: MatrixCell) -> Text:
    if c.status:
        return Text("te weinig" if c.praktijk.n else "–", style="dim")
    text = Text(f"{cell_text(c)} ({len(c.cases)})")
    if c.knelpunt:
        text.append(" ▼", style="bold red")
    if c.succesfactor:
        text.append(" ▲", style="bold green")
    return text


def _short(score: Score, minimum: int) -> str:
    text = score_text(score, minimum)
    return "te weinig" if text == THIN else text


def cell_detail(m: Matrix, c: MatrixCell, titles: Mapping[str, str] | None = None) -> str:
    """One or two lines about a cell: every perspective, its scores and cases, the region."""
    label = dict(m.tags)[c.tag]
    region = m.region.get(c.tag)
    head = f"{c.municipality} · {label}: "
    if c.status:
        head += f"{c.status} ({c.praktijk.n} scores, {len(c.cases)} casussen)"
    else:
        head += (f"praktijk {format_number(c.praktijk.mean, 1)} uit {c.praktijk.n} scores in "
                 f"{len(c.cases)} casussen")
    head += f" · regio {format_number(region.mean if region else None, 1)}"
    parts = [f"{PERSPECTIVE_LABELS[p].lower()} {score_text(c.perspective(p), 1 if p == 'beleid' else 2)}"
             f" ({c.perspective(p).n})" for p in c.perspectives]
    lines = [head, " · ".join(parts) or "geen scores"]
    if c.knelpunt or c.succesfactor:
        lines.append(f"knelpunt in {len(c.knelpunt)}, succesfactor in {len(c.succesfactor)} van de "
                     "casussen" + (": " + "; ".join((titles or {}).get(k, k) for k in c.findings)
                                   if c.findings else ""))
    return "\n".join(lines)


class RegionTabs(TabbedContent):
    """Tabs that change only by key or click: Textual's TabbedContent also switches to a pane
    when a widget in it gets focus, a message that arrives after later keys of a fast burst
    (2 ↓ 4 5 1 ended on tab 5) and takes the tab back."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.prevent_default()
        event.stop()


class RegionScreen(Screen[None]):
    DEFAULT_CSS = """
    RegionScreen #region-bar { height: auto; background: $boost; }
    RegionScreen #region-select { width: 1fr; max-width: 50; }
    RegionScreen #region-header { width: 2fr; height: auto; padding: 0 1; }
    RegionScreen #region-tabs { height: 1fr; }
    RegionScreen #region-tabs > ContentSwitcher { height: 1fr; }
    RegionScreen TabPane { height: 1fr; padding: 0; }
    RegionScreen DataTable { height: 1fr; }
    RegionScreen .region-detail { height: auto; max-height: 5; padding: 0 1; color: $text-muted; }
    RegionScreen Markdown { height: 1fr; overflow-y: auto; padding: 0 1; }
    RegionScreen Markdown:focus { background-tint: $foreground 3%; }
    RegionScreen #municipality-select { width: 100%; }
    """
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenKeys}
    HELP_SECTION = "regio"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", "Export", id="region-export", priority=True,
                tooltip="Regiorapport, pagina's per gemeente en tabellen exporteren"),
        Binding("f5", "reload", "Vernieuwen", id="region-reload"),
        *(Binding(str(n), f"show_tab('{tab}')", title, id=f"region-{tab}", show=False,
                  tooltip=f"tabblad {TAB_TITLES[tab]}") for n, (tab, title) in enumerate(TABS, start=1)),
        Binding("escape", "close", "Terug", id="region-close"),
    ]

    def __init__(self, db_path: str | Path, region_id: str) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.region_id = region_id
        self.store: Store | None = None
        self.export: RegionExport | None = None
        self.titles: dict[str, str] = {}
        """Finding key -> title, for the matrix cells' detail (built per load, not per arrow key)."""
        self._exporting = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="region-bar"):
            yield Select[str]([], id="region-select", prompt="regio", compact=True)
            yield Static("", id="region-header", markup=False)
        with RegionTabs(initial="tab-basis", id="region-tabs"):
            for (tab, title), (table, cursor, detail) in zip(TABS, TABLE_TABS, strict=False):
                with TabPane(title, id=tab):
                    yield DataTable(id=table, cursor_type=cursor, zebra_stripes=True)
                    yield Static("", id=detail, classes="region-detail", markup=False)
            with TabPane(TABS[5][1], id="tab-gemeente"):
                yield Select[str]([], id="municipality-select", prompt="gemeente", compact=True)
                yield Markdown("", id="municipality-page", classes="page")
            with TabPane(TABS[6][1], id="tab-wethouders"):
                yield Markdown("", id="aldermen-page", classes="page")
        yield FitFooter()

    def on_mount(self) -> None:
        try:
            self.store = Store.open(self.db_path, create=False)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.dismiss(None)
            return
        regions = self.store.regions()
        select = self.query_one("#region-select", Select)
        select.set_options([(literal_line(r.name), r.id) for r in regions])
        if any(r.id == self.region_id for r in regions):
            select.value = self.region_id
        for page in self.query(".page"):
            page.can_focus = True  # scrolled with the arrow keys, and a place for focus on its tab
        self.load()
        self.set_focus(self.query_one("#matrix-basisfunctie", DataTable))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    # -- data ---------------------------------------------------------------------------
    def load(self) -> None:
        assert self.store is not None
        try:
            self.export = load_region_export(self.store, self.region_id)
            self.export.exported_at = ""  # on screen: no "made at" line in the pages
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.titles = {f.key: finding_title(f) for f in self.export.data.findings.findings}
        report = self.export.report
        data = report.data
        policies = sum(o.has_policy for o in report.municipalities)
        header = (f"{len(report.municipalities)} gemeenten · {data.case_count} casussen · "
                  f"{policies} beleidsvragenlijsten · ▼ knelpunt ▲ succesfactor")
        if data.warnings:
            header += "\nLet op: " + "; ".join(data.warnings)
        self.query_one("#region-header", Static).update(literal(header))
        for namespace, _tab in MATRIX_TABS:
            self._fill_matrix(report.matrices[namespace])
        self._fill_learning()
        self._fill_policy()
        municipalities = self.query_one("#municipality-select", Select)
        current = municipalities.value
        municipalities.set_options([(literal_line(o.name), o.name) for o in report.municipalities])
        names = [o.name for o in report.municipalities]
        if names:
            municipalities.value = current if current in names else names[0]
        self._show_municipality()
        self.query_one("#aldermen-page", Markdown).update(aldermen_md(self.export))

    def _fill_matrix(self, m: Matrix) -> None:
        table = self.query_one(f"#matrix-{m.namespace}", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column("Gemeente", key="gemeente")
        for tag, label in m.tags:
            table.add_column(SHORT_LABELS.get(tag, label), key=tag)
        for name in m.municipalities:
            table.add_row(literal_line(name), *(_cell(m.cell(name, tag)) for tag, _ in m.tags),
                          key=name)
        table.add_row(Text("Regio", style="bold"),
                      *(Text(format_number(m.region[tag].mean if tag in m.region else None, 1),
                             style="bold") for tag, _ in m.tags), key="__regio__")
        table.move_cursor(row=cursor.row, column=max(1, cursor.column))
        self._show_cell(m.namespace)

    def _fill_policy(self) -> None:
        assert self.export is not None
        table = self.query_one("#policy-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Gemeente")
        table.add_column("Thema", width=24)  # the full title is in the line below the table
        table.add_columns("Beleid", "Praktijk", "Oordeel")
        for o in self.export.report.municipalities:
            if not o.has_policy:
                table.add_row(literal_line(o.name), Text("nog geen beleidsvragenlijst", style="dim"),
                              "", "", "", key=f"{o.name}|")
                continue
            for t in o.policy.themes:
                verdict = Text(t.verdict, style="bold" if t.verdict in DIVERGING else "dim")
                table.add_row(literal_line(o.name), literal_line(t.title),
                              _short(t.beleid, MIN_POLICY_SCORES),
                              _short(t.praktijk, MIN_PRACTICE_SCORES), verdict,
                              key=f"{o.name}|{t.theme_id}")
        table.move_cursor(row=row)
        self._show_policy()

    def _fill_learning(self) -> None:
        assert self.export is not None
        learning = self.export.report.learning
        shared = self.query_one("#shared-table", DataTable)
        shared.clear(columns=True)
        shared.add_column("Bevinding", width=30)  # whole, with its evidence, below the table
        shared.add_columns("Gemeenten", "Andere kant")
        for i, item in enumerate(learning.shared):
            shared.add_row(literal_line(finding_title(item.finding)),
                           literal_line(", ".join(item.municipalities)),
                           literal_line(", ".join(item.other_side) or "–"), key=str(i))
        pairs = self.query_one("#pairs-table", DataTable)
        pairs.clear(columns=True)
        pairs.add_columns("Leer van", "Voor")
        pairs.add_column("Onderwerpen", width=50)
        for i, pair in enumerate(learning.pairs):
            pairs.add_row(literal_line(pair.source), literal_line(pair.learner),
                          literal_line(topics_text(pair)), key=str(i))
        self._show_shared()
        self._show_pair()

    # -- details --------------------------------------------------------------------------
    def _show_shared(self) -> None:
        detail = self.query_one("#detail-shared", Static)
        table = self.query_one("#shared-table", DataTable)
        if self.export is None or not self.export.report.learning.shared:
            detail.update(literal("Nog geen bevinding die in meerdere gemeenten voorkomt."))
            return
        item = self.export.report.learning.shared[min(table.cursor_row, table.row_count - 1)]
        text = shared_text(item, self.export.data.case_municipalities)
        if item.other_side:
            text += f"\nAan de andere kant: {', '.join(item.other_side)}"
        detail.update(literal(text))

    def _show_pair(self) -> None:
        detail = self.query_one("#detail-pairs", Static)
        table = self.query_one("#pairs-table", DataTable)
        if self.export is None or not self.export.report.learning.pairs:
            detail.update(literal("Nog geen paren: nergens staat een succesfactor tegenover een "
                                  "knelpunt in een andere gemeente."))
            return
        pair = self.export.report.learning.pairs[min(table.cursor_row, table.row_count - 1)]
        detail.update(literal(f"{pair.learner} kan leren van {pair.source} over: "
                              f"{topics_text(pair)}"))

    def _matrix(self, namespace: str) -> Matrix | None:
        return None if self.export is None else self.export.report.matrices[namespace]

    def _show_cell(self, namespace: str) -> None:
        m = self._matrix(namespace)
        table = self.query_one(f"#matrix-{namespace}", DataTable)
        detail = self.query_one(f"#detail-{namespace}", Static)
        if m is None or not m.municipalities:
            detail.update(Text("Nog geen gemeenten in deze regio."))
            return
        row, column = table.cursor_coordinate
        if row >= len(m.municipalities):
            detail.update(Text("Regio: het gemiddelde van alle casusscores van alle gemeenten."))
            return
        tag = m.tags[max(0, column - 1)][0]
        detail.update(literal(cell_detail(m, m.cell(m.municipalities[row], tag), self.titles)))

    def _show_policy(self) -> None:
        detail = self.query_one("#detail-policy", Static)
        table = self.query_one("#policy-table", DataTable)
        if self.export is None or table.row_count == 0:
            detail.update("")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        name, _, theme_id = key.partition("|")
        o = self.export.report.overview(name)
        t = o.policy.theme(theme_id)
        if t is None:
            detail.update(literal(f"{name}: vul de beleidsvragenlijst in (perspectief Beleid) om "
                               "beleid naast praktijk te zien."))
            return
        lines = [f"{name} · {t.title}: {t.verdict} (beleid {score_text(t.beleid, MIN_POLICY_SCORES)}"
                 f" uit {t.beleid.n} scores; praktijk {score_text(t.praktijk, MIN_PRACTICE_SCORES)}"
                 f" uit {t.praktijk.n} scores in {t.praktijk.cases} casussen)"]
        lines += [f"beleid: {note}" for note in t.toelichtingen[:2]]
        detail.update(literal("\n".join(lines)))

    def _show_municipality(self) -> None:
        value = self.query_one("#municipality-select", Select).value
        page = self.query_one("#municipality-page", Markdown)
        if self.export is None or not isinstance(value, str):
            page.update("Nog geen gemeenten in deze regio.")
            return
        page.update(municipality_md(self.export, value))

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        namespace = (event.data_table.id or "").removeprefix("matrix-")
        if namespace in ("basisfunctie", "werkzaam"):
            self._show_cell(namespace)

    @on(DataTable.RowHighlighted, "#policy-table")
    def _policy_highlighted(self) -> None:
        self._show_policy()

    @on(DataTable.RowHighlighted, "#shared-table")
    def _shared_highlighted(self) -> None:
        self._show_shared()

    @on(DataTable.RowHighlighted, "#pairs-table")
    def _pair_highlighted(self) -> None:
        self._show_pair()

    @on(Select.Changed, "#municipality-select")
    def _municipality_changed(self) -> None:
        self._show_municipality()

    @on(Select.Changed, "#region-select")
    def _region_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.region_id:
            self.region_id = event.value
            self.load()

    # -- actions ----------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        """Show a tab and focus its first widget at once (a deferred `focus()` would land after
        the next keys of a fast burst)."""
        self.query_one(TabbedContent).active = tab
        first = {"tab-basis": "#matrix-basisfunctie", "tab-werkzaam": "#matrix-werkzaam",
                 "tab-gedeeld": "#shared-table", "tab-leren": "#pairs-table",
                 "tab-beleid": "#policy-table", "tab-gemeente": "#municipality-page",
                 "tab-wethouders": "#aldermen-page"}[tab]
        self.set_focus(self.query_one(first))

    def action_reload(self) -> None:
        self.load()
        self.notify("Bijgewerkt.", timeout=2)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        if self._exporting:
            self.notify("Er loopt al een export; wacht tot die klaar is.", severity="warning")
            return
        if self.export is None:
            return
        root = getattr(self.app, "export_root", EXPORT_ROOT)
        self.app.push_screen(RegionExportDialog(self.export.data.region,
                                                Path.cwd() / root if not root.is_absolute() else root),
                             self._export_chosen)

    def _export_chosen(self, request: object) -> None:
        if isinstance(request, RegionExportRequest):
            self._exporting = True
            self.notify("Exporteren…", timeout=3)
            self.write_export(request)

    @work(thread=True, group="region-export")
    def write_export(self, request: RegionExportRequest) -> None:
        """Read and write the whole export off the UI thread, on a Store of this thread."""
        from zet_tui.export.region_runner import run_region_export
        from zet_tui.export.runner import ExportError

        try:
            with Store.open(self.db_path, create=False) as store:
                result = run_region_export(store, self.region_id, root=request.root,
                                           pseudonymize=request.pseudonymize)
        except (ExportError, StoreError) as exc:
            self.app.call_from_thread(self._export_finished, str(exc), False)
        except (OSError, sqlite3.Error) as exc:
            self.app.call_from_thread(self._export_finished, f"{type(exc).__name__}: {exc}", False)
        else:
            self.app.call_from_thread(self._export_finished,
                                      f"{len(result.files)} bestanden.\nMap: {result.folder}", True)

    def _export_finished(self, message: str, ok: bool) -> None:
        self._exporting = False
        self.app.notify(message, title="Export klaar" if ok else "Export mislukt",
                        severity="information" if ok else "error", timeout=15, markup=False)
