"""The analyst's coding screen: theme by theme, every case's perspectives side by side.

Keyboard first: `n` is the next answer, `o` the next answer that still needs a
code, a digit applies a keyword suggestion, `c` picks any code, `f` moves into
the toelichting to select a fragment (shift+arrows, or `w`/`b` by word), `m`
makes the selection a quote. Every key is in the footer or the help (F1) and in
the command palette. The screen opens its own `Store` (it can sit on any app
that knows the database path), polls for answers that change elsewhere, and
writes only through the store; what goes where is decided by `core/workbench.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from zet_tui.app.screens.code_picker import CodePicker, forward_to_dialog
from zet_tui.app.screens.coding_dialogs import (
    AttributesModal,
    DivergenceModal,
    DivergenceRequest,
    FilterModal,
    RecommendationModal,
    SummaryModal,
)
from zet_tui.app.screens.modals import KEY_NAMES
from zet_tui.app.screens.review import LiveStore
from zet_tui.app.screens.start import StartCommands
from zet_tui.app.widgets.coding_grid import (
    POLARITY_MARKS,
    CodingGrid,
    FragmentText,
    GridLine,
    RowHeader,
    answer_label,
    mark_text,
)
from zet_tui.core import anchors
from zet_tui.core.coding import Code, Codebook, Coding, ManualDivergence, Polarity, Quote
from zet_tui.core.store import Store, StoreError
from zet_tui.core.store.case_analysis import attribute_name
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS, AnswerType
from zet_tui.core.workbench import (
    Filter,
    Item,
    Workbench,
    default_polarity,
    load_workbench,
    recommendation_targets,
    refresh_evidence,
)

POLL_SECONDS = 2.0
NEXT_POLARITY = {Polarity.KNELPUNT: Polarity.SUCCESFACTOR, Polarity.SUCCESFACTOR: Polarity.NEUTRAAL,
                 Polarity.NEUTRAAL: Polarity.KNELPUNT}
Mark = Coding | Quote | ManualDivergence
#: Keys that open a dialog or move the focus; they act in the key handler, before any later
#: key is read (the keys after them then reach the dialog, or the toelichting's bindings).
DIALOG_KEYS = {"c": "code", "d": "divergence", "s": "summary", "a": "attributes",
               "r": "recommendation", "slash": "filter", "f": "fragment"}


class CodingCommands(StartCommands):
    """Every key of the coding screen, by name, in the command palette (searched like the
    start screen's entries)."""

    def _commands(self) -> Iterable[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, CodingScreen):
            return
        for b in screen.BINDINGS:
            if isinstance(b, Binding) and b.description and not b.key.isdigit():
                key = KEY_NAMES.get(b.key.split(",")[0], b.key.split(",")[0])
                yield b.tooltip or b.description, self._run(b.action), f"toets {key}"

    def _run(self, action: str) -> Callable[[], object]:
        return lambda: self.screen.run_action(action)


class CodingScreen(LiveStore, Screen[None]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {CodingCommands}
    AUTO_FOCUS = "#coding-grid"
    DEFAULT_CSS = """
    CodingScreen { overflow: hidden; }
    CodingScreen #coding-header { height: auto; padding: 0 1; background: $boost; }
    CodingScreen #coding-body { height: 1fr; }
    CodingScreen.-wide #coding-body { layout: horizontal; }
    CodingScreen #coding-grid { height: 1fr; }
    CodingScreen.-wide #coding-grid { width: 3fr; }
    CodingScreen #coding-grid:focus { background-tint: $foreground 4%; }
    CodingScreen .row-header { color: $accent; }
    CodingScreen #coding-detail { height: auto; max-height: 55%; border-top: solid $primary; }
    CodingScreen.-wide #coding-detail { width: 2fr; height: 1fr; max-height: 100%;
                                        border-top: none; border-left: solid $primary; }
    CodingScreen #detail-title { height: auto; padding: 0 1; }
    CodingScreen FragmentText { height: auto; max-height: 8; border: none; padding: 0 1; }
    CodingScreen FragmentText:focus { border: none; background: $primary 15%; }
    CodingScreen #marks { height: auto; max-height: 6; border: none; padding: 0 1; }
    CodingScreen.-wide #marks { max-height: 60%; }
    CodingScreen #suggestions { height: auto; padding: 0 1; color: $text-muted; }
    CodingScreen #coding-empty { padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Volgende", id="coding-next", tooltip="Volgende antwoord"),
        Binding("v", "previous", "Vorige", id="coding-previous", show=False,
                tooltip="Vorige antwoord"),
        Binding("o", "next_uncoded", "Ongecodeerd", id="coding-uncoded",
                tooltip="Volgende antwoord met tekst en nog zonder code"),
        Binding("c", "code", "Code", id="coding-code",
                tooltip="Code kiezen voor het antwoord of het geselecteerde fragment"),
        Binding("f", "fragment", "Fragment", id="coding-fragment",
                tooltip="Naar de toelichting: selecteer met shift+pijltjes of w/b per woord"),
        Binding("m", "quote", "Citaat", id="coding-quote",
                tooltip="Geselecteerd fragment als citaat markeren"),
        Binding("full_stop", "repeat", "Herhaal", id="coding-repeat", show=False,
                tooltip="Laatst gebruikte code (met polariteit) nog eens toepassen"),
        Binding("p", "polarity", "Polariteit", id="coding-polarity", show=False,
                tooltip="Polariteit van de gekozen codering wisselen"),
        Binding("x,delete", "remove", "Verwijderen", id="coding-remove", show=False,
                tooltip="Gekozen codering, citaat of verschil verwijderen"),
        Binding("e", "reanchor", "Vastzetten", id="coding-reanchor", show=False,
                tooltip="Te controleren fragment opnieuw vastzetten op de gewijzigde tekst"),
        Binding("d", "divergence", "Verschil", id="coding-divergence", show=False,
                tooltip="Verschil tussen perspectieven markeren, met notitie"),
        Binding("s", "summary", "Samenvatting", id="coding-summary",
                tooltip="Samenvatting van de casus"),
        Binding("a", "attributes", "Kenmerken", id="coding-attributes", show=False,
                tooltip="Kenmerken van de casus (domein, gemeente, ...)"),
        Binding("r", "recommendation", "Aanbeveling", id="coding-recommendation", show=False,
                tooltip="Aanbeveling bij een bevinding"),
        Binding("slash", "filter", "Filter", id="coding-filter",
                tooltip="Filter op code, thema, casus, ongecodeerd of te controleren"),
        Binding("t", "theme(1)", "Volgend thema", id="coding-theme-next", show=False),
        Binding("T", "theme(-1)", "Vorig thema", id="coding-theme-previous", show=False),
        Binding("escape", "back", "Terug", id="coding-back",
                tooltip="Terug naar het raster; vanuit het raster: scherm sluiten"),
        *(Binding(str(n), f"suggest({n})", f"Suggestie {n}", show=False) for n in range(1, 10)),
    ]

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
        yield Footer()

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
        self.bench = refresh_evidence(self.store, self.bench)
        self._seen_version = self.store.data_version()
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

    def on_key(self, event: events.Key) -> None:
        """Open dialogs at once, and pass on the keys typed after the one that opened one.

        A key's binding runs only after every key already read has been handed to the
        focused widget; a dialog opened by a binding would miss the keys typed right
        after it (`code_picker.py` explains). So the keys that open a dialog act here.
        """
        if self.app.screen is not self:  # (a modal on top: this screen is still "current")
            forward_to_dialog(self.app, event)
            return
        action = DIALOG_KEYS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            getattr(self, f"action_{action}")()

    # -- navigation -----------------------------------------------------------------------
    def _go(self, item: Item | None, empty: str) -> None:
        if item is None:
            self.notify(empty)
            return
        self._clear_selection()
        self._show(item)

    def _clear_selection(self) -> None:
        fragment = self.query_one("#fragment", FragmentText)
        fragment.move_cursor(fragment.cursor_location)

    def action_next(self) -> None:
        assert self.bench is not None
        start = self.current.index if self.current else None
        self._go(self.bench.step(start, True, self.filter), "Geen antwoorden in dit filter.")

    def action_previous(self) -> None:
        assert self.bench is not None
        start = self.current.index if self.current else None
        self._go(self.bench.step(start, False, self.filter), "Geen antwoorden in dit filter.")

    def action_next_uncoded(self) -> None:
        assert self.bench is not None
        start = self.current.index if self.current else None
        bench = self.bench
        self._go(bench.step(start, True, self.filter, also=bench.needs_coding),
                 "Alles is gecodeerd: elk antwoord met tekst heeft minstens één code.")

    def action_move(self, direction: str) -> None:
        if self.bench is None or self.current is None:
            return
        target = self.bench.neighbour(self.current, direction, self.filter)
        if target is not None:
            self._go(target, "")

    def action_theme(self, step: int) -> None:
        if self.bench is None or not self.bench.themes:
            return
        ids = [t for t, _ in self.bench.themes]
        here = ids.index(self.theme_id) if self.theme_id in ids else 0
        for k in range(1, len(ids) + 1):
            theme = ids[(here + k * step) % len(ids)]
            first = next((i for i in self.bench.theme_items(theme)
                          if self.bench.matches(i, self.filter)), None)
            if first is not None:
                self._go(first, "")
                return
        self.notify("Geen thema met antwoorden in dit filter.")

    @on(GridLine.Picked)
    def _picked(self, event: GridLine.Picked) -> None:
        self.query_one("#coding-grid", CodingGrid).focus()
        self._go(event.item, "")

    def action_fragment(self) -> None:
        if self.current is not None and self.current.toelichting:
            self.set_focus(self.query_one("#fragment", FragmentText))  # now, not after a refresh
        else:
            self.notify("Dit antwoord heeft geen toelichting om een fragment uit te kiezen.")

    def action_back(self) -> None:
        grid = self.query_one("#coding-grid", CodingGrid)
        if not grid.has_focus:
            self._clear_selection()
            grid.focus()
            return
        self.dismiss(None)

    # -- coding ---------------------------------------------------------------------------
    def _write(self, change: Callable[[Store], object], done: str = "") -> bool:
        """One write through the store; a refusal is a notification, never a crash."""
        assert self.store is not None
        try:
            change(self.store)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        self._refresh()
        if done:
            self.notify(anchors.visible(done), timeout=3, markup=False)
        return True

    def _selection(self) -> tuple[int, int] | None:
        return self.query_one("#fragment", FragmentText).offsets()

    def _apply(self, code: Code, polarity: Polarity) -> None:
        item = self.current
        if item is None:
            return
        span = self._selection()
        self.last = (code, polarity)
        # No toast: the code appears in the cell and in the list at once, and a toast per
        # key press would pile up when coding fast.
        if self._write(lambda st: st.add_coding(
                item.session_id, item.question_id, code.id, polarity,
                start=span[0] if span else None, end=span[1] if span else None,
                actor=self.actor)):
            self._clear_selection()

    def action_code(self) -> None:
        item = self.current
        if item is None:
            return
        span = self._selection()
        what = (f"{item.case.code} · {item.perspective}: "
                + (f"«{item.toelichting[span[0]:span[1]]}»" if span else "het hele antwoord"))
        def chosen(result: tuple[Code, Polarity] | None) -> None:
            if result is not None:
                self._apply(*result)

        self.app.push_screen(CodePicker(self.codebook, what, default_polarity(item.cell)),
                             chosen)

    def action_suggest(self, number: int) -> None:
        if self.bench is None or self.current is None:
            return
        found = self.bench.suggestions(self.current)
        if not 1 <= number <= len(found):
            self.notify(f"Er is geen suggestie {number}.")
            return
        self._apply(found[number - 1].code, default_polarity(self.current.cell))

    def action_repeat(self) -> None:
        if self.last is None:
            self.notify("Nog geen code gebruikt in deze sessie: kies er een met c.")
            return
        self._apply(*self.last)

    def action_quote(self) -> None:
        item, span = self.current, self._selection()
        if item is None:
            return
        if span is None:
            self.notify("Selecteer eerst een fragment: f, dan shift+pijltjes of w per woord.",
                        severity="warning")
            return
        if self._write(lambda st: st.add_quote(item.session_id, item.question_id, *span,
                                               actor=self.actor), "Citaat vastgelegd."):
            self._clear_selection()

    def action_polarity(self) -> None:
        mark = self._mark()
        if not isinstance(mark, Coding):
            self.notify("Kies eerst een codering in de lijst onder de toelichting.")
            return
        self._write(lambda st: st.update_coding(mark.id, polarity=NEXT_POLARITY[mark.polarity],
                                                actor=self.actor))

    def action_remove(self) -> None:
        mark = self._mark()
        if mark is None:
            self.notify("Kies eerst een codering, citaat of verschil in de lijst.")
            return
        if isinstance(mark, Coding):
            self._write(lambda st: st.remove_coding(mark.id, actor=self.actor),
                        "Codering verwijderd.")
        elif isinstance(mark, Quote):
            self._write(lambda st: st.remove_quote(mark.id, actor=self.actor),
                        "Citaat verwijderd.")
        else:
            self._write(lambda st: st.remove_manual_divergence(mark.id, actor=self.actor),
                        "Verschil verwijderd.")

    def action_reanchor(self) -> None:
        mark, item = self._mark(), self.current
        if item is None or not isinstance(mark, Coding | Quote) or mark.start is None:
            self.notify("Kies eerst een codering of citaat op een fragment.")
            return
        span = self._selection() or anchors.relocate(item.toelichting, mark.start, mark.fragment)
        if span is None:
            self.notify("Het fragment staat niet meer in de toelichting: selecteer het nieuwe "
                        "fragment (f, shift+pijltjes) en druk e, of verwijder met x.",
                        severity="warning", timeout=8)
            return
        if isinstance(mark, Coding):
            self._write(lambda st: st.reanchor_coding(mark.id, *span, actor=self.actor),
                        "Fragment vastgezet.")
        else:
            self._write(lambda st: st.reanchor_quote(mark.id, *span, actor=self.actor),
                        "Fragment vastgezet.")
        self._clear_selection()

    # -- case and evaluation notes ---------------------------------------------------------
    def action_divergence(self) -> None:
        item = self.current
        if item is None:
            return
        others = [p for p in CASE_PERSPECTIVES if p != item.perspective
                  and p in item.row.cells]
        if not others:
            self.notify("Deze vraag heeft geen ander perspectief om mee te vergelijken.")
            return

        def done(request: object) -> None:
            if isinstance(request, DivergenceRequest):
                self._write(lambda st: st.add_manual_divergence(
                    item.case.id, item.theme_id, (item.perspective, request.other), request.note,
                    question_key=None if request.whole_theme else item.row.key,
                    actor=self.actor), "Verschil vastgelegd.")

        self.app.push_screen(DivergenceModal(f"Casus {item.case.code}: {item.row.text}",
                                             item.perspective, others), done)

    def action_summary(self) -> None:
        if self.bench is None or self.current is None:
            return
        case = self.current.case

        def done(fields: object) -> None:
            if isinstance(fields, dict):
                self._write(lambda st: st.set_case_summary(case.id, actor=self.actor, **fields),
                            f"Samenvatting van {case.code} opgeslagen.")

        self.app.push_screen(SummaryModal(case.code, self.bench.evidence.summaries.get(case.id)),
                             done)

    def action_attributes(self) -> None:
        if self.bench is None or self.current is None:
            return
        case = self.current.case
        current = self.bench.evidence.attributes.get(case.id, {})

        def done(values: object) -> None:
            if not isinstance(values, dict):
                return

            def save(st: Store) -> None:
                for name, value in values.items():
                    if current.get(attribute_name(name), "") != value:
                        st.set_case_attribute(case.id, name, value, actor=self.actor)

            self._write(save, f"Kenmerken van {case.code} opgeslagen.")

        self.app.push_screen(AttributesModal(case.code, current), done)

    def action_recommendation(self) -> None:
        if self.bench is None or self.store is None:
            return
        targets = recommendation_targets(self.bench.analysis,
                                         self.store.findings(self.evaluation_id))
        if not targets:
            self.notify("Er zijn nog geen bevindingen om een aanbeveling bij te schrijven.")
            return
        texts = {k: r.text for k, r in self.bench.evidence.recommendations.items()}

        def done(changes: object) -> None:
            if isinstance(changes, dict) and changes:
                def save(st: Store) -> None:
                    for key, text in changes.items():
                        st.set_recommendation(self.evaluation_id, key, text, actor=self.actor)

                self._write(save, "Aanbeveling opgeslagen.")

        self.app.push_screen(RecommendationModal(targets, texts), done)

    def action_filter(self) -> None:
        if self.bench is None:
            return
        themes = self.bench.themes
        cases = [(c.id, c.code) for c in self.bench.cases]

        def done(flt: object) -> None:
            if not isinstance(flt, Filter) or self.bench is None:
                return
            self.filter = flt
            target = self.current
            if target is None or not self.bench.matches(target, flt):
                start = None if target is None else target.index
                target = self.bench.step(start, True, flt)
            if target is None:
                self.notify("Geen antwoorden in dit filter.", severity="warning")
            self.theme_id = None  # redraw: the dimming depends on the filter
            self._show(target or self.current)

        self.app.push_screen(FilterModal(self.filter, self.codebook, themes, cases), done)


def open_coding_screen(app: App[object], db_path: Path, evaluation_id: str, actor: str) -> None:
    """Push the coding screen with the codebook next to the app's questionnaires; a broken
    codebook is one notification (its first problem), not a crash."""
    from zet_tui.core.codebook import codebook_path, load_codebook

    paths = getattr(app, "questionnaire_paths", None)
    result = load_codebook(codebook_path(paths))
    if not result.ok or result.codebook is None:
        first = result.problems[0] if result.problems else "onbekende fout"
        app.notify(f"Het codeboek heeft {len(result.problems)} fout(en), bijvoorbeeld {first}. "
                   "Controleer het met 'zet codebook check'.", severity="error", timeout=15,
                   markup=False)
        return
    app.push_screen(CodingScreen(db_path, evaluation_id, result.codebook, actor=actor,
                                 ascii=bool(getattr(app, "ascii", False))))
