"""Where each key and paste goes on the interview screen, decided when it is read.

The app offers every key and paste to the screen before Textual routes it, in
the order typed (see key_routing). Here:

- Until the text fields exist (the first ~50 ms after the screen opens), input
  waits for them and is then replayed in order.
- On a smiley or choice question the cursor is in the toelichting. The first
  digit typed there, while nothing is chosen or typed yet, is the choice; every
  key after it (digits too) is text. "4" then "haar zus heeft 2 keer gebeld"
  gives score 4 and exactly that toelichting.
- Tab / shift+Tab move the cursor now (Textual's own Tab runs after the keys
  typed behind it were already routed to the old field).
- A character (or paste) typed where it cannot be text (the bar, the doorvragen,
  the chat, the theme list) goes to the answer's text field and the cursor with
  it, unless it means something there (a digit on the bar, space on a doorvraag):
  no letter is a command anywhere on the interview screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget

from zet_tui.app.key_routing import is_text, run_bindings_now, send_key
from zet_tui.app.screens.answer_form import VALUE_TYPES, AnswerForm

if TYPE_CHECKING:
    from zet_tui.app.screens.interview import InterviewScreen

DIGITS = "123456789"


class AnswerKeys:
    def __init__(self, screen: InterviewScreen, form: AnswerForm) -> None:
        self.screen = screen
        self.form = form
        #: The next digit in the toelichting is the choice (see the module docstring).
        self.choosing = False
        #: Input that came before the text fields existed; replayed once they do.
        self._early: list[events.Key | events.Paste] | None = []
        self._replaying: events.Key | events.Paste | None = None

    async def route(self, event: events.Key | events.Paste) -> bool:
        """True when the event was taken care of here; False: Textual routes it as usual."""
        if self._early is not None and event is not self._replaying:
            self._early.append(event)
            return True
        screen, form = self.screen, self.form
        focused = screen.focused
        text_fields = (form.value, form.text, form.toelichting)
        if isinstance(event, events.Paste):
            if focused is form.toelichting:
                self.choosing_done()
            if focused is None or focused in text_fields:
                return False
            return self._to_text_field(event)
        if event.key in ("tab", "shift+tab"):
            screen.focus_next() if event.key == "tab" else screen.focus_previous()
            return True
        if focused is form.toelichting:
            if (self.choosing and event.character and event.character in DIGITS
                    and not form.bar.disabled):
                choice = form.bar.choice(int(event.character))
                if choice is not None:
                    form.bar.selection = choice
                    self.choosing_done()
                    return True
            if is_text(event):
                self.choosing_done()
            return False
        if focused is None or focused in text_fields:
            return False  # the field takes it, in order (KeysInOrder)
        if is_text(event) and event.key not in screen.active_bindings:
            return self._to_text_field(event)
        if focused is form.probes:
            return False  # space and arrows: the list itself, in order (KeysInOrder)
        # The bar, the chat, the theme list: what the key means happens now.
        if event.key == "enter" and await screen.open_from_list(focused):
            return True
        return await run_bindings_now(screen.app, event)

    async def replay_early_input(self) -> None:
        """The text fields exist now: what was typed before them, in order, as if now.
        Input that arrives meanwhile queues behind it (`route`)."""
        early = self._early or []
        while early:
            self._replaying = early.pop(0)
            await self.screen.app.on_event(self._replaying)
        self._replaying = None
        self._early = None

    def _to_text_field(self, event: events.Key | events.Paste) -> bool:
        found = self.form.start_field()
        if found is None or not found.display or found.disabled or getattr(found, "read_only",
                                                                            False):
            return False  # read-only (another app writes this session): nothing to type in
        target: Widget = found
        self.screen.close_borrowed_themes()
        if target is self.form.toelichting:
            self.choosing_done()
        self.screen.set_focus(target)  # now: the keys after this one are routed there too
        send_key(event, target)
        return True

    def start_choosing(self) -> None:
        """A question is shown: its first digit chooses, if nothing is chosen or typed yet."""
        q, loaded = self.form.question, self.form.loaded
        self.choosing = bool(q is not None and q.type not in VALUE_TYPES and loaded is not None
                             and loaded.status is None and loaded.score is None
                             and not loaded.value and not loaded.toelichting
                             and not self.form.bar.disabled)  # disabled: read-only screen
        self.form.bar.show_choosing(self.choosing)
        toelichting = self.form.toelichting
        if toelichting is not None and q is not None:
            # By the kind of question, not by the moment: the same text from one smiley
            # question to the next costs no repaint of the field (~3 ms a step).
            what = "smiley" if q.is_scaled else ("keuze" if q.type not in VALUE_TYPES else "")
            hint = f"Eerst het cijfer van de {what}, dan de toelichting" if what else "Toelichting"
            placeholder = f"{hint} (Enter = nieuwe regel, ctrl+s = opslaan)"
            if toelichting.placeholder != placeholder:
                toelichting.placeholder = placeholder

    def choosing_done(self) -> None:
        """From now on digits in the toelichting are text."""
        if self.choosing:
            self.choosing = False
            self.form.bar.show_choosing(False)

    def choice_made(self) -> None:
        """A choice on the bar (a digit while the bar has focus, a click, F6 / F7): the
        cursor goes on in the toelichting, now."""
        self.choosing_done()
        toelichting = self.form.toelichting
        if toelichting is not None and self.screen.focused in (self.form.bar, None):
            self.screen.set_focus(toelichting)
