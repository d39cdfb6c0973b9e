"""The coding screen's state and drawing: the grid of one theme, the header and the detail.

`CodingScreen` (`coding.py`) adds the keys; this part only shows the workbench
(`core/workbench.py`) and writes through the store (`_write`), so a refusal is a
notification and never a crash. User text goes through `anchors.visible` into
`rich.text.Text`: never markup, never terminal escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from zet_tui.app.screens.review import LiveStore
from zet_tui.app.widgets.coding_grid import (
    POLARITY_MARKS,
    CodingGrid,
    FragmentText,
    GridLine,
    RowHeader,
    answer_label,
    mark_text,
    memo_preview,
)
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.core import anchors
from zet_tui.core.coding import Code, Codebook, Coding, ManualDivergence, Polarity, Quote
from zet_tui.core.store import Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS, AnswerType
from zet_tui.core.workbench import Filter, Item, Workbench, load_workbench, refresh_evidence

POLL_SECONDS = 2.0
Mark = Coding | Quote | ManualDivergence


class CodingView(LiveStore, Screen[None]):
    def __init__(self, db_path: str | Path, evaluation_id: str, codebook: Codebook, *,
                 actor: str = "", ascii: bool = False) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.evaluation_id = evaluation_id
        self.codebook = codebook
        self.actor = actor or "zet analyse"
        self.ascii = ascii
        self.store: Store | None = None
        self._seen_version: int | None = None
        self.bench: Workbench | None = None
        self.current: Item | None = None
        self.filter = Filter()
        self.theme_id: str | None = None
        self.lines: dict[int, GridLine] = {}
        self.marks: list[Mark] = []
        self.last: tuple[Code, Polarity] | None = None

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="coding-header")
        with Vertical(id="coding-body"):
            yield CodingGrid(id="coding-grid")
            with Vertical(id="coding-detail"):
                yield Static("", id="detail-title")
                yield FragmentText(id="fragment")
                yield OptionList(id="marks")
                yield Static("", id="suggestions")
        yield FitFooter()

    def on_mount(self) -> None:
        self.store = Store.open(self.db_path, create=False)
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll)

    def reload(self) -> None:
        """(Re)build the workbench from the store, keeping the current answer."""
        assert self.store is not None
        try:
            self._seen_version = self.store.data_version()
            self.bench = load_workbench(self.store, self.evaluation_id, self.codebook)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        keep = self.current
        self.current = None
        if keep is not None:
            self.current = next((i for i in self.bench.items if i.session_id == keep.session_id
                                 and i.question_id == keep.question_id), None)
        if self.current is None:
            self.current = self.bench.step(None, True, self.filter) or (
                self.bench.items[0] if self.bench.items else None)
        self.theme_id = None
        self._show(self.current)

    def _refresh(self) -> None:
        """After a write: fresh codings, same layout; redraw the current line and the detail."""
        assert self.store is not None and self.bench is not None
        # `_seen_version` stays: our own write does not change `data_version` (SQLite counts
        # other connections' commits only), and setting it here would hide an answer changed
        # elsewhere since the last poll until the next outside change.
        self.bench = refresh_evidence(self.store, self.bench)
        if self.current is not None:
            line = self.lines.get(self.current.line)
            if line is not None:
                line.refresh(layout=True)
        self._header()
        self._detail()

    # -- drawing --------------------------------------------------------------------------
    def _perspectives(self) -> list[str]:
        assert self.bench is not None
        present = {i.perspective for i in self.bench.items}
        return [p for p in CASE_PERSPECTIVES if p in present]

    def _cell(self, item: Item) -> Text:
        assert self.bench is not None
        text = Text(answer_label(item, ascii=self.ascii), style="bold")
        body = item.toelichting
        if not body and item.cell.answer is not None and \
                item.cell.question.type == AnswerType.TEXT:
            body = item.cell.answer.value or ""
        if body:
            text.append("\n" + anchors.visible(body))
        marks = mark_text(self.bench.codings(item), self.bench.quotes(item),
                          len(self.bench.stale(item)))
        if marks:
            text.append("\n")
            text.append_text(marks)
        if self.current is not None and item.index == self.current.index:
            text.stylize("reverse")
        elif not self.bench.matches(item, self.filter):
            text.stylize("dim")
        return text

    def _build_theme(self, theme_id: str) -> None:
        assert self.bench is not None
        grid = self.query_one("#coding-grid", CodingGrid)
        perspectives = self._perspectives()
        widgets: list[Static] = []  # row headers and grid lines
        self.lines = {}
        by_line: dict[int, dict[str, Item]] = {}
        first: dict[int, Item] = {}
        for item in self.bench.theme_items(theme_id):
            by_line.setdefault(item.line, {})[item.perspective] = item
            first.setdefault(item.line, item)
        last_row = None
        for line, items in by_line.items():
            item = first[line]
            if item.row.key != last_row:
                last_row = item.row.key
                widgets.append(RowHeader(item.row.text, perspectives))
            widget = GridLine(item.case.code, items, perspectives, self._cell)
            self.lines[line] = widget
            widgets.append(widget)
        with self.app.batch_update():
            grid.remove_children()
            grid.mount_all(widgets)
        self.theme_id = theme_id

    def _header(self) -> None:
        assert self.bench is not None
        done, total = self.bench.progress()
        parts = []
        if self.theme_id is not None:
            ids = [t for t, _ in self.bench.themes]
            parts.append(f"Thema {ids.index(self.theme_id) + 1}/{len(ids)} "
                         f"{self.bench.theme_title(self.theme_id)}")
        parts += [f"{done}/{total} gecodeerd", self.bench.evaluation.name]
        # one line; on a narrow screen the evaluation's name is cut, not the counts
        text = Text(anchors.visible(" · ".join(parts)), style="bold", no_wrap=True,
                    overflow="ellipsis")
        if self.filter.active:
            text = Text.assemble(text, "\n", Text(f"Filter: {self._filter_text()} (/ wijzigt)",
                                                  style="italic"),
                                 no_wrap=True, overflow="ellipsis")
        self.query_one("#coding-header", Static).update(text)

    def _filter_text(self) -> str:
        assert self.bench is not None
        f = self.filter
        parts = []
        if f.code_id:
            code = self.codebook.code(f.code_id)
            parts.append(f"code {code.label if code else f.code_id}")
        if f.theme_id:
            parts.append(f"thema {self.bench.theme_title(f.theme_id)}")
        if f.case_id:
            parts.append(f"casus {next((c.code for c in self.bench.cases if c.id == f.case_id), '?')}")
        if f.uncoded:
            parts.append("nog niet gecodeerd")
        if f.review:
            parts.append("te controleren")
        return ", ".join(parts)

    def _show(self, item: Item | None) -> None:
        """Make `item` the current answer: switch theme if needed, redraw, scroll it into view."""
        assert self.bench is not None
        previous, self.current = self.current, item
        if item is None:
            if not self.bench.items:
                grid = self.query_one("#coding-grid", CodingGrid)
                grid.remove_children()
                grid.mount(Static("Deze evaluatie heeft nog geen antwoorden om te coderen.",
                                  id="coding-empty"))
            self._header()
            self._detail()
            return
        if item.theme_id != self.theme_id:
            self._build_theme(item.theme_id)
        else:
            for old in (previous, item):  # only the highlight moves: no new layout
                if old is not None and old.line in self.lines:
                    self.lines[old.line].refresh()
        self._header()
        self._detail()
        line = self.lines.get(item.line)
        if line is not None:
            self.call_after_refresh(line.scroll_visible, animate=False)

    def _detail(self) -> None:
        assert self.bench is not None
        title = self.query_one("#detail-title", Static)
        fragment = self.query_one("#fragment", FragmentText)
        item = self.current
        if item is None:
            title.update("")
            fragment.show("")
            self._marks([])
            self.query_one("#suggestions", Static).update("")
            return
        perspective = PERSPECTIVE_LABELS.get(item.perspective, item.perspective)
        head = Text(anchors.visible(f"{item.case.code} · {perspective} · "
                                    f"{answer_label(item, ascii=self.ascii)}") + "\n",
                    style="bold")
        head.append(anchors.visible(item.cell.question.text), style="italic")
        title.update(head)
        if fragment.source != item.toelichting or not fragment.text:
            fragment.show(item.toelichting)
        marks: list[Mark] = [*self.bench.codings(item), *self.bench.quotes(item)]
        marks += [d for d in self.bench.evidence.divergences_of(item.case.id)
                  if d.theme_id == item.theme_id and d.question_key in (None, item.row.key)]
        self._marks(marks)
        suggestions = self.bench.suggestions(item)[:9]
        text = Text("Suggesties: ", style="bold") if suggestions else Text(
            "Geen suggesties uit het codeboek." if item.has_text else "Geen toelichting.")
        for n, s in enumerate(suggestions, start=1):
            text.append(f"{n} ", style="bold")
            text.append(anchors.visible(f"{s.code.label} («{s.keyword}»)"))
            text.append("  ")
        self.query_one("#suggestions", Static).update(text)

    def _marks(self, marks: list[Mark]) -> None:
        """The codings, quotes and divergences of the answer; a new one is highlighted, so the
        keys for polarity, removal and re-anchoring act on what was just added."""
        options = self.query_one("#marks", OptionList)
        highlighted = options.highlighted
        before = {m.id for m in self.marks}
        self.marks = marks
        options.clear_options()
        options.add_options([Option(self._mark_prompt(m)) for m in marks])
        options.display = bool(marks)
        if marks:
            new = [i for i, m in enumerate(marks) if m.id not in before]
            if new and before:
                options.highlighted = new[-1]
            elif highlighted is not None and before:
                options.highlighted = min(highlighted, len(marks) - 1)
            else:
                options.highlighted = len(marks) - 1

    def _mark_prompt(self, mark: Mark) -> Text:
        text = Text()
        if isinstance(mark, ManualDivergence):
            a, b = (PERSPECTIVE_LABELS.get(p, p).lower() for p in mark.perspectives)
            text.append(f"≠ {a} ↔ {b}: ", style="bold")
            text.append(anchors.visible(mark.note))
            return text
        item = self.current
        stale = item is not None and anchors.state(
            item.toelichting, mark.start, mark.end, mark.fragment) == anchors.AnchorState.STALE
        if isinstance(mark, Coding):
            code = self.codebook.code(mark.code_id)
            text.append(f"{POLARITY_MARKS[mark.polarity]} {mark.polarity.value} ", style="bold")
            text.append(anchors.visible(code.label if code else f"{mark.code_id} (niet in codeboek)"))
            where = "hele antwoord" if mark.start is None else f"«{mark.fragment}»"
        else:
            text.append("❝ citaat ", style="bold")
            where = f"«{mark.fragment}»"
        text.append(" · " + anchors.visible(where), style="dim")
        if stale:
            text.append("  ⚠ tekst gewijzigd: e vastzetten, x weg", style="bold yellow")
        if mark.memo:
            text.append("\n")
            text.append_text(memo_preview(mark.memo))
        return text

    @on(OptionList.OptionHighlighted, "#marks")
    def _mark_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show a coded fragment as the selection in the toelichting."""
        mark = self._mark()
        item = self.current
        if item is None or mark is None or isinstance(mark, ManualDivergence) or mark.start is None:
            return
        if anchors.state(item.toelichting, mark.start, mark.end,
                         mark.fragment) == anchors.AnchorState.HOLDS and mark.end is not None:
            self.query_one("#fragment", FragmentText).select_offsets(mark.start, mark.end)

    def _mark(self) -> Mark | None:
        index = self.query_one("#marks", OptionList).highlighted
        return self.marks[index] if index is not None and 0 <= index < len(self.marks) else None

    def _go(self, item: Item | None, empty: str) -> None:
        if item is None:
            self.notify(empty)
            return
        self._clear_selection()
        self._show(item)

    def _clear_selection(self) -> None:
        fragment = self.query_one("#fragment", FragmentText)
        fragment.move_cursor(fragment.cursor_location)

    def _write(self, change: Callable[[Store], object], done: str = "") -> bool:
        """One write through the store; a refusal is a notification, never a crash."""
        refused = self._try_write(change, done)
        if refused is not None:
            self.notify(refused, severity="error", timeout=8, markup=False)
        return refused is None

    def _try_write(self, change: Callable[[Store], object], done: str = "") -> str | None:
        """One write through the store: None, or why the store refused it (for a form that
        stays open with the typed text)."""
        assert self.store is not None
        try:
            change(self.store)
        except StoreError as exc:
            return str(exc)
        self._refresh()
        if done:
            self.notify(anchors.visible(done), timeout=3, markup=False)
        return None
