"""F5 in the interview: every note and flag of the session, the reviewer's and the interviewer's.

Open flags come first (they ask for something); then the notes, newest first.
Enter on an open flag marks it handled; Enter on anything else (and `g` on
any line) goes to the question or theme it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from zet_tui.app.literal import literal, literal_line
from zet_tui.app.screens.interview_live import note_author
from zet_tui.core.store import Note


def _time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    except ValueError:
        return ""


def note_line(note: Note, place: str, *, ascii: bool) -> Text:
    """Two lines: kind, state, author, place and time; then the text (literal)."""
    if note.kind == "flag":
        icon = "!" if ascii else "⚑"
        state = "afgehandeld" if note.handled_at else "open"
        head = f"{icon} Vlag ({state}) van {note_author(note)} {place}"
    else:
        head = f"{'*' if ascii else '✎'} Notitie van {note_author(note)} {place}"
    text = literal_line(head, style="bold" if note.is_open_flag else "")
    if stamp := _time(note.created):
        text.append(f" · {stamp}", style="dim")
    text.append("\n   ")
    text.append(literal(" ".join(note.text.split())))
    return text


class NotesScreen(ModalScreen[tuple[str, str] | None]):
    """Returns ("handle", note id) for an open flag, ("goto", note id) to go to its place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f5", "cancel", "Sluiten", id="cancel"),
        Binding("g", "goto", "Ga naar de vraag of het thema", id="goto"),
    ]

    def __init__(self, notes: Sequence[Note], place: Callable[[Note], str], *,
                 ascii: bool = False) -> None:
        super().__init__(classes="modal")
        flags = [n for n in notes if n.is_open_flag]
        rest = [n for n in reversed(notes) if not n.is_open_flag]
        self.notes = [*flags, *rest]
        self.place = place
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        flags = sum(1 for n in self.notes if n.is_open_flag)
        with Vertical(classes="dialog", id="notes-dialog") as dialog:
            dialog.border_title = "Notities en vlaggen"
            hint = ("Enter: vlag afhandelen · g: ga naar de vraag · Esc: sluiten" if flags
                    else "Enter of g: ga naar de vraag of het thema · Esc: sluiten")
            yield Static(hint, classes="dialog-text")
            yield OptionList(*(Option(note_line(n, self.place(n), ascii=self.ascii), id=n.id)
                               for n in self.notes), id="notes-list")

    def on_mount(self) -> None:
        self.query_one("#notes-list", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        note = next((n for n in self.notes if n.id == event.option.id), None)
        if note is not None:
            self.dismiss(("handle" if note.is_open_flag else "goto", note.id))

    def action_goto(self) -> None:
        options = self.query_one("#notes-list", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.dismiss(("goto", option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
