"""Modal screens: a text prompt, flags, coverage, finishing and help."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from zet_tui.app.key_routing import send_key
from zet_tui.app.literal import literal, literal_line
from zet_tui.app.palette import KEY_NAMES
from zet_tui.core.safe_text import terminal_safe


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text (a skip reason, a note). Enter confirms, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="cancel"),
    ]

    def __init__(self, title: str, question: str, *, placeholder: str = "",
                 value: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.question = question
        self.placeholder = placeholder
        #: Offered again (e.g. the last skip reason): selected, so typing replaces it.
        self.value = value
        #: Keys typed right after F2 / ctrl+o, before the field exists (see key_routing).
        self._early: list[events.Key | events.Paste] | None = []

    async def route_input(self, event: events.Key | events.Paste) -> bool:
        if self._early is None:
            return False
        self._early.append(event)
        return True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = literal_line(self.title_text)
            yield Static(literal(self.question), classes="dialog-text")
            yield Input(terminal_safe(self.value), placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Opslaan", variant="primary", id="ok")
                yield Button("Annuleren", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#prompt-input", Input)
        self.set_focus(field)
        early, self._early = self._early or [], None
        for event in early:  # in order, before anything typed from now on
            send_key(event, field)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#prompt-input", Input).value.strip()
        if not text:
            self.query_one("#prompt-error", Static).update("Vul iets in, of kies Annuleren (Esc).")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _coverage_text(lines: list[str]) -> Text:
    text = Text()
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        text.append(terminal_safe(line), style="dim" if line.startswith("    ") else "")
    return text


class CoverageScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f3,q", "close", "Sluiten", id="close"),
    ]

    def __init__(self, lines: list[str], open_count: int) -> None:
        super().__init__(classes="modal")
        self.lines = lines
        self.open_count = open_count

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Dekking"
            summary = ("Alle verplichte vragen zijn behandeld." if not self.open_count
                       else f"Nog {self.open_count} verplichte vra{'gen' if self.open_count > 1 else 'ag'} open.")
            yield Static(summary, classes="dialog-text")
            with VerticalScroll(classes="coverage"):
                yield Static(_coverage_text(self.lines))
            with Horizontal(classes="buttons"):
                yield Button("Sluiten", variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class FinishScreen(ModalScreen[bool]):
    """Show what is still open and ask before recording the end time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Terug", id="cancel"),
    ]

    def __init__(self, lines: list[str], open_count: int, open_flags: int = 0, *,
                 unsaved: str = "") -> None:
        super().__init__(classes="modal")
        self.lines = lines
        self.open_count = open_count
        self.open_flags = open_flags
        #: Questions with a draft (typed, not saved): they are dropped when the session ends.
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="finish-dialog") as dialog:
            dialog.border_title = "Sessie afronden"
            if self.open_count:
                warning = (f"Let op: nog {self.open_count} verplichte "
                           f"vra{'gen' if self.open_count > 1 else 'ag'} open. "
                           "Toch afronden?")
            else:
                warning = "Alle verplichte vragen zijn behandeld. Sessie afronden?"
            if self.open_flags:
                warning += f" Er {'zijn' if self.open_flags > 1 else 'is'} nog {self.open_flags} " \
                           f"open vlag{'gen' if self.open_flags > 1 else ''}."
            if self.unsaved:
                warning += (f" Niet opgeslagen concept bij {self.unsaved}: dat vervalt bij "
                            "afronden (sla het eerst op met ctrl+s).")
            risky = self.open_count or self.unsaved
            yield Static(warning, classes="dialog-text" + (" warning" if risky else ""))
            with VerticalScroll(classes="coverage"):
                yield Static(_coverage_text(self.lines))
            with Horizontal(classes="buttons"):
                yield Button("Toch afronden" if risky else "Afronden",
                             variant="warning" if risky else "success", id="confirm")
                yield Button("Terug naar interview", id="cancel")

    def on_mount(self) -> None:
        # With open questions or unsaved drafts the safe choice has focus, so Enter never
        # ends a session by accident.
        self.query_one("#cancel" if self.open_count or self.unsaved else "#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


#: Keys that are not bindings of a screen but behaviour of a widget.
#: How typing works on the interview screen (not bindings: decided per key, see AnswerKeys).
TYPING_KEYS: tuple[tuple[str, str], ...] = (
    ("1 … 5", "het eerste cijfer in een lege toelichting kiest de smiley (of de optie bij "
              "ja/nee en keuze); alles daarna, ook cijfers, is toelichting"),
    ("letters", "zijn nooit een opdracht: buiten een tekstveld getypt gaan ze naar de toelichting "
                "(of naar het antwoordveld van een datum-, getal- of tekstvraag)"),
    ("concept", "getypt of gekozen maar nog niet opgeslagen: blijft bewaard bij wisselen van "
                "vraag, afsluiten en een gesloten terminal; ctrl+s slaat op"),
)
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "in de toelichting en in een tekstantwoord: nieuwe regel"),
    ("Enter", "in een datum- of getalveld: opslaan en volgende vraag"),
    ("Tab / shift+Tab", "volgend / vorig veld: antwoord, toelichting, doorvragen"),
    ("spatie", "in de doorvragen: afvinken als gevraagd"),
    ("pijltjes + Enter", "in het gesprek: kies een ballon en open die vraag om te wijzigen"),
    ("muis", "klik een smiley, een ballon (opent die vraag) of een thema"),
)



#: Keys of the coding screen that belong to its widgets (see `widgets/coding_grid.py`).
CODING_KEYS: tuple[tuple[str, str], ...] = (
    ("1 … 9", "suggestie uit het codeboek toepassen (met de polariteit van de score)"),
    ("pijltjes", "in het raster: naar het antwoord ernaast, erboven of eronder"),
    ("shift+pijltjes", "in de toelichting (f): fragment selecteren; ctrl+shift per woord"),
    ("w / b", "in de toelichting: selectie een woord groter / kleiner"),
    ("Tab", "raster → toelichting → lijst met coderingen (kies er een voor p, x, e, M)"),
    ("muis", "klik een antwoord in het raster; sleep in de toelichting om te selecteren"),
)

#: Keys of the code x case overview that belong to its table (`screens/code_matrix.py`).
MATRIX_KEYS: tuple[tuple[str, str], ...] = (
    ("pijltjes", "van cel naar cel; eronder de coderingen van de cel (casus, perspectief, "
                 "vraag, fragment)"),
    ("muis", "klik een cel; nog een klik gaat naar de coderingen, zoals Enter"),
)


def help_rows() -> list[tuple[str, str, str]]:
    """(where, key, what) for every binding of the app, built from the binding tables."""
    from zet_tui.app.app import ZetApp
    from zet_tui.app.screens.code_matrix import CodeMatrixScreen
    from zet_tui.app.screens.coding import CodingScreen
    from zet_tui.app.screens.feedback import FeedbackScreen
    from zet_tui.app.screens.interview import InterviewScreen
    from zet_tui.app.screens.region import RegionScreen
    from zet_tui.app.screens.review import ReviewScreen
    from zet_tui.app.screens.start import StartScreen
    from zet_tui.app.widgets.chat import AnswerBar

    rows: list[tuple[str, str, str]] = []

    def add(where: str, bindings: list[BindingType]) -> None:
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            keys = " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in b.key.split(","))
            rows.append((where, keys, b.tooltip or b.description))  # tooltip: the longer text

    add("overal", list(ZetApp.BINDINGS))
    rows.append(("overal", "ctrl+p", "opdrachtenpalet: ga naar thema/vraag, overslaan, notitie, ..."))
    add("start", list(StartScreen.BINDINGS))
    rows.extend(("interview", key, what) for key, what in TYPING_KEYS)
    add("interview", list(InterviewScreen.BINDINGS))
    add("regio", list(RegionScreen.BINDINGS))
    scale_keys = [b for b in AnswerBar.BINDINGS if isinstance(b, Binding) and not b.key.isdigit()]
    rows.append(("antwoordbalk", "1 … 5", "andere smiley kiezen (via Esc of shift+Tab op de balk); "
                                          "daarna verder in de toelichting"))
    add("antwoordbalk", list(scale_keys))
    rows.extend(("veld", key, what) for key, what in WIDGET_KEYS)
    add("analyse", [b for b in CodingScreen.BINDINGS
                    if isinstance(b, Binding) and not b.key.isdigit()])
    rows.extend(("analyse", key, what) for key, what in CODING_KEYS)
    add("codeoverzicht", list(CodeMatrixScreen.BINDINGS))
    rows.extend(("codeoverzicht", key, what) for key, what in MATRIX_KEYS)
    add("review", list(ReviewScreen.BINDINGS))
    add("terugkoppeling", list(FeedbackScreen.BINDINGS))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "close", "Sluiten", id="close"),
    ]

    def __init__(self, first: str = "") -> None:
        super().__init__(classes="modal")
        #: (where, key, what); the section of the screen the help was asked on (`first`)
        #: right after "overal".
        self.rows = help_rows()
        if first:
            self.rows.sort(key=lambda row: (row[0] != "overal", row[0] != first))  # stable

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 1))
        table.add_column("Waar", style="dim", no_wrap=True)
        table.add_column("Toets", style="bold", no_wrap=True)
        table.add_column("Wat", overflow="fold")
        for where, key, what in self.rows:
            table.add_row(where, key, what)
        with Vertical(classes="dialog", id="help-dialog") as dialog:
            dialog.border_title = "Help: alle toetsen (Esc sluit)"
            with VerticalScroll(id="help-scroll"):
                yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
