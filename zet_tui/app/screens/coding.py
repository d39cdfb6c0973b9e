"""The analyst's coding screen: theme by theme, every case's perspectives side by side.

Keyboard first: `n` is the next answer, `o` the next answer that still needs a
code, a digit applies a keyword suggestion, `c` picks any code, `f` moves into
the toelichting to select a fragment (shift+arrows, or `w`/`b` by word), `m`
makes the selection a quote. Every key is in the footer or the help (F1) and in
the command palette. The screen opens its own `Store` (it can sit on any app
that knows the database path), polls for answers that change elsewhere, and
writes only through the store; what goes where is decided by `core/workbench.py`.

The screen is three layers: `coding_view.py` (state and drawing), `coding_notes.py`
(case and evaluation notes) and this module (keys, navigation, coding).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider

from zet_tui.app.palette import ScreenKeys
from zet_tui.app.screens.code_picker import CodePicker, forward_to_dialog
from zet_tui.app.screens.coding_dialogs import MemoModal
from zet_tui.app.screens.coding_notes import CodingNotes
from zet_tui.app.widgets.coding_grid import (
    POLARITY_MARKS,
    CodingGrid,
    FragmentText,
    GridLine,
    shorten,
)
from zet_tui.core import anchors
from zet_tui.core.coding import Code, Coding, Polarity, Quote
from zet_tui.core.workbench import default_polarity

NEXT_POLARITY = {Polarity.KNELPUNT: Polarity.SUCCESFACTOR, Polarity.SUCCESFACTOR: Polarity.NEUTRAAL,
                 Polarity.NEUTRAAL: Polarity.KNELPUNT}
#: Keys that open a dialog or move the focus; they act in the key handler, before any later
#: key is read (the keys after them then reach the dialog, or the toelichting's bindings).
DIALOG_KEYS = {"c": "code", "d": "divergence", "s": "summary", "a": "attributes",
               "r": "recommendation", "slash": "filter", "f": "fragment", "M": "memo",
               "X": "overview"}


class CodingScreen(CodingNotes):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenKeys}
    AUTO_FOCUS = "#coding-grid"
    DEFAULT_CSS = """
    CodingScreen { overflow: hidden; }
    CodingScreen #coding-header { height: auto; padding: 0 1; background: $boost;
                                  text-wrap: nowrap; text-overflow: ellipsis; }
    CodingScreen #coding-body { height: 1fr; }
    CodingScreen.-wide #coding-body { layout: horizontal; }
    CodingScreen #coding-grid { height: 1fr; }
    CodingScreen.-wide #coding-grid { width: 3fr; }
    CodingScreen #coding-grid:focus { background-tint: $foreground 4%; }
    CodingScreen .row-header { color: $text-accent; }
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
        Binding("M", "memo", "Memo", id="coding-memo", show=False,
                tooltip="Memo bij de gekozen codering of het gekozen citaat: schrijven, "
                        "wijzigen of leegmaken"),
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
        Binding("X", "overview", "Overzicht", id="coding-overview", show=False,
                tooltip="Overzicht: welke codes in welke casussen (knelpunt/succesfactor)"),
        Binding("t", "theme(1)", "Volgend thema", id="coding-theme-next", show=False),
        Binding("T", "theme(-1)", "Vorig thema", id="coding-theme-previous", show=False),
        Binding("escape", "back", "Terug", id="coding-back",
                tooltip="Terug naar het raster; vanuit het raster: scherm sluiten"),
        *(Binding(str(n), f"suggest({n})", f"Suggestie {n}", show=False) for n in range(1, 10)),
    ]
    #: At 80 columns "o" leaves the footer first (it stays in the help and the palette).
    FOOTER_DROP: ClassVar[tuple[str, ...]] = ("next_uncoded",)
    HELP_SECTION = "analyse"

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

    def action_memo(self) -> None:
        """The memo of the coding or quote chosen in the list (Tab), as `p` and `x` pick theirs."""
        mark, item = self._mark(), self.current
        if item is None or not isinstance(mark, Coding | Quote):
            self.notify("Kies eerst een codering of citaat in de lijst onder de toelichting.")
            return
        where = "het hele antwoord" if mark.start is None else f"«{shorten(mark.fragment)}»"
        if isinstance(mark, Coding):
            code = self.codebook.code(mark.code_id)
            title = "Memo bij codering"
            what = (f"{POLARITY_MARKS[mark.polarity]} {mark.polarity.value} "
                    f"{code.label if code else mark.code_id} op {where}")
        else:
            title, what = "Memo bij citaat", f"❝ citaat {where}"

        def save(text: str) -> str | None:
            if text == mark.memo:
                return None
            done = "Memo opgeslagen." if text else "Memo verwijderd."
            if isinstance(mark, Coding):
                return self._try_write(
                    lambda st: st.update_coding(mark.id, memo=text, actor=self.actor), done)
            return self._try_write(
                lambda st: st.update_quote(mark.id, memo=text, actor=self.actor), done)

        self.app.push_screen(MemoModal(title, f"{item.case.code} · {item.perspective}: {what}",
                                       mark.memo, save))

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
