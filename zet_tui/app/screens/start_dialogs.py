"""Small dialogs of the start screen: who reviews, which evaluation to discuss or export.

They only collect choices and return them; the start screen does the work, so
a cancelled dialog never leaves anything behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from zet_tui.app.key_routing import KeysInOrder, TabMovesNow
from zet_tui.app.literal import literal, literal_line
from zet_tui.app.widgets.review_note import NameModal
from zet_tui.app.widgets.toggles import Checkbox
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.store import Evaluation

DIALOG_CSS = """
{name} .dialog {{ max-width: 90; }}
{name} Label {{ margin-top: 1; color: $text-muted; width: 100%; }}
{name} .dialog > Label:first-child {{ margin-top: 0; }}
{name} Input, {name} Select {{ width: 100%; }}
{name} Checkbox {{ margin-top: 1; }}
{name} #dialog-error {{ display: none; }}  /* shown with a message: a line less at 24 */
"""


def evaluation_label(evaluation: Evaluation) -> str:
    return f"{evaluation.name}{f' ({evaluation.municipality})' if evaluation.municipality else ''}"


class ReviewerNameModal(NameModal):
    """The review name dialog, filled in with the name given earlier in this run."""

    DEFAULT_CSS = """
    ReviewerNameModal Label { width: 100%; }
    """

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial = name

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.value = terminal_safe(self.initial)
        field.cursor_position = len(field.value)
        field.focus()


class FormInput(Input, KeysInOrder):
    """A form's one-line field: its keys (backspace, Enter) run in order with the characters,
    so Tab can move on when it is read (`TabMovesNow`)."""


@dataclass(frozen=True)
class FeedbackRequest:
    evaluation_id: str
    actor: str


@dataclass(frozen=True)
class ExportRequest:
    evaluation_id: str
    root: Path
    pseudonymize: bool


class _EvaluationDialog(TabMovesNow, ModalScreen[object]):
    """An evaluation chooser plus a few fields; Enter in a field or the first button confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="dialog-cancel"),
    ]
    TITLE_TEXT = ""
    OK_LABEL = "OK"

    def __init__(self, evaluations: list[Evaluation], current: str | None) -> None:
        super().__init__(classes="modal")
        self.evaluations = evaluations
        ids = [e.id for e in evaluations]
        self.current = current if current in ids else ids[0]

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self.TITLE_TEXT
            yield Label("Evaluatie")
            yield Select([(literal_line(evaluation_label(e)), e.id) for e in self.evaluations],
                         value=self.current,
                         allow_blank=False, id="dialog-evaluation")
            yield from self.fields()
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.OK_LABEL, variant="primary", id="dialog-ok")
                yield Button("Annuleren", id="dialog-cancel-button")

    def evaluation_id(self) -> str:
        value = self.query_one("#dialog-evaluation", Select).value
        return value if isinstance(value, str) else self.current

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(literal(message))
        error.display = bool(message)

    @on(Input.Submitted)
    @on(Button.Pressed, "#dialog-ok")
    def _ok(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        result = self.result()
        if result is not None:
            self.dismiss(result)

    @on(Button.Pressed, "#dialog-cancel-button")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def result(self) -> object | None:
        """The request, or None after showing why the form is not complete."""
        raise NotImplementedError


class FeedbackDialog(_EvaluationDialog):
    """Which evaluation's feedback meeting, and who is recording it (for the audit log)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FeedbackDialog")
    TITLE_TEXT = "Terugkoppelbijeenkomst"
    OK_LABEL = "Openen"

    def __init__(self, evaluations: list[Evaluation], current: str | None, actor: str = "") -> None:
        super().__init__(evaluations, current)
        self.actor = actor

    def fields(self) -> ComposeResult:
        yield Label("Jouw naam (komt in het logboek bij elke wijziging)")
        yield FormInput(self.actor, placeholder="naam analist", id="dialog-actor")

    def on_mount(self) -> None:
        self.query_one("#dialog-actor", Input).focus()

    def result(self) -> FeedbackRequest | None:
        actor = self.text("dialog-actor")
        if not actor:
            self.error("Vul je naam in.")
            return None
        return FeedbackRequest(self.evaluation_id(), actor)


class ExportDialog(_EvaluationDialog):
    """Which evaluation, into which folder, and whether the copy must be shareable."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ExportDialog")
    TITLE_TEXT = "Evaluatie exporteren"
    OK_LABEL = "Exporteren"

    def __init__(self, evaluations: list[Evaluation], current: str | None, root: Path) -> None:
        super().__init__(evaluations, current)
        self.root = root

    def fields(self) -> ComposeResult:
        yield Label("Map voor de export (een eerdere export wordt nooit overschreven)")
        yield FormInput(str(self.root), placeholder="map", id="dialog-root")
        yield Checkbox("Gepseudonimiseerd (om te delen: codes en namen vervangen)",
                       id="dialog-pseudo")

    def on_mount(self) -> None:
        self.query_one("#dialog-ok", Button).focus()

    def result(self) -> ExportRequest | None:
        raw = self.text("dialog-root")
        if not raw:
            self.error("Vul een map in.")
            return None
        root = Path(raw).expanduser()
        if not root.is_absolute():
            root = Path.cwd() / root
        if root.exists() and not root.is_dir():
            self.error(f"{root} is een bestand, geen map.")
            return None
        return ExportRequest(self.evaluation_id(), root,
                             self.query_one("#dialog-pseudo", Checkbox).value)
