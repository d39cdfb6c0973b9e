"""Small dialogs of the review mode: a note or follow-up flag, and the reviewer's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Select, Static

from zet_tui.app.literal import literal_line
from zet_tui.app.widgets.toggles import RadioButton
from zet_tui.core.questionnaire import Questionnaire

SESSION_TARGET = "session"


@dataclass(frozen=True)
class NoteDraft:
    """What the reviewer wants to tell the interviewer; saved by the caller."""

    kind: str  # "note" or "flag"
    text: str
    theme_id: str | None
    question_id: str | None


def target_options(questionnaire: Questionnaire) -> list[tuple[Text, str]]:
    """Every place a note can point at: the session, a theme, or one question."""
    options = [(literal_line("Hele sessie"), SESSION_TARGET)]
    for theme in questionnaire.themes:
        options.append((literal_line(f"Thema: {theme.title}"), f"theme:{theme.id}"))
        for q in theme.questions:
            text = q.text if len(q.text) <= 60 else q.text[:59] + "…"
            options.append((literal_line(f"  Vraag: {text}"), f"question:{q.id}"))
    return options


def parse_target(target: str, questionnaire: Questionnaire) -> tuple[str | None, str | None]:
    """(theme_id, question_id); a question note also carries its theme, so the theme gets the badge."""
    kind, _, ref = target.partition(":")
    if kind == "theme":
        return ref, None
    if kind == "question":
        q = questionnaire.question(ref)
        return (q.theme_id if q else None), ref
    return None, None


class NoteModal(ModalScreen[NoteDraft | None]):
    """Kind, target and text of one note; Escape cancels, Enter in the text saves."""

    DEFAULT_CSS = """
    NoteModal { align: center middle; }
    NoteModal > Vertical {
        width: 80; max-width: 100%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    NoteModal RadioSet { layout: horizontal; width: 100%; }
    NoteModal .buttons { height: auto; margin-top: 1; }
    NoteModal #note-error { color: $text-error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="note-cancel"),
    ]

    def __init__(self, questionnaire: Questionnaire, *, kind: str = "flag",
                 target: str = SESSION_TARGET) -> None:
        super().__init__()
        self.questionnaire = questionnaire
        self.kind = kind
        options = target_options(questionnaire)
        self.target = target if any(v == target for _, v in options) else SESSION_TARGET
        self._options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Notitie of doorvraag-vlag voor de interviewer")
            with RadioSet(id="note-kind"):
                yield RadioButton("Doorvraag-vlag", value=self.kind == "flag", id="kind-flag")
                yield RadioButton("Notitie", value=self.kind == "note", id="kind-note")
            yield Label("Bij")
            yield Select(self._options, value=self.target, allow_blank=False, id="note-target")
            yield Label("Tekst")
            yield Input(placeholder="bijv. vraag nog door op het netwerk", id="note-text")
            yield Static("", id="note-error")
            with Horizontal(classes="buttons"):
                yield Button("Opslaan", variant="primary", id="note-save")
                yield Button("Annuleren", id="note-cancel-button")

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "note-save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        text = self.query_one("#note-text", Input).value.strip()
        if not text:
            self.query_one("#note-error", Static).update("Schrijf eerst wat de interviewer moet weten.")
            return
        kind = "note" if self.query_one("#kind-note", RadioButton).value else "flag"
        value = self.query_one("#note-target", Select).value
        target = value if isinstance(value, str) else SESSION_TARGET
        theme_id, question_id = parse_target(target, self.questionnaire)
        self.dismiss(NoteDraft(kind, text, theme_id, question_id))


class NameModal(ModalScreen[str | None]):
    """Asks who is reviewing: every note and sign-off carries a name in the audit log."""

    DEFAULT_CSS = """
    NameModal { align: center middle; }
    NameModal > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    NameModal #name-error { color: $text-error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="name-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Wie reviewt er? Je naam komt in het logboek bij je notities.")
            yield Input(placeholder="naam", id="reviewer-name")
            yield Static("", id="name-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self.query_one("#name-error", Static).update("Vul een naam in.")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
