"""Keys reach the place the interviewer is going, in the order they were typed.

How Textual delivers a key: the app takes it from its queue and posts it to the
widget that has focus *at that moment*; that widget handles it later, in its own
task, and an unhandled key bubbles up to the app again, where the (non-priority)
bindings run. A person (or tmux, a paste, a browser over `zet serve`) does not
wait for that: keys typed right after ctrl+s, Tab or a score were posted to the
old widget before the step that moves focus had even run (`Widget.focus()` only
schedules the change as well).

The interview screen therefore keeps four rules:

1. Every key that moves the interviewer (save, back, skip, Tab, Escape, a score,
   F-keys) is a *priority* binding: it runs in the app's own task when the key is
   taken from the queue, before the next key is routed.
2. Such a step first lets the input widgets handle every key already posted to
   them (`settle`), so text typed before ctrl+s is part of the saved answer; and
   it moves focus with `Screen.set_focus` (immediate), so keys typed after it are
   routed to the new place.
3. The fields run their own bindings (backspace, ctrl+w, space on a doorvraag) in
   their own task, in order with the characters (`KeysInOrder`): Textual would run
   them only after the key bubbled back up to the app, behind a step that ran in
   between, so "abc, backspace, ctrl+s" saved "abc".
4. The screen sees every key and paste before it is routed, in order
   (`RoutesInput.route_input`): it decides what a digit in an empty toelichting
   means, runs the keys of lists (bar, chat, theme list) right away, and sends
   characters typed where they cannot be text to the answer's text field: no
   letter is ever a command on the interview screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

#: A widget that is removed while we wait for it would keep a step waiting forever.
SETTLE_TIMEOUT = 1.0


@runtime_checkable
class RoutesInput(Protocol):
    async def route_input(self, event: events.Key | events.Paste) -> bool:
        """Called by the app for every key and paste before Textual routes it, in the
        order they arrive; True = taken care of."""


class KeysInOrder(Widget):
    """Mixin for a field: its own key bindings run in its own task, in order with the
    characters typed before them (see rule 3 above).

    Put it *after* the widget class (`class F(TextArea, KeysInOrder)`): Textual takes a
    widget's CSS from its first base, and calls every `_on_key` along the MRO, so the
    field types its characters first and this runs only for the keys it left."""

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if not bindings:
            return  # the field's own handling (typing a character) comes next in the MRO
        event.stop()
        event.prevent_default()
        for binding in bindings:
            if not binding.priority and await self.app.run_action(binding.action, self):
                return


#: Seconds the keys typed after a Tab wait for Textual's Tab to move the focus at most.
TAB_HOLD = 0.5


class TabMovesNow:
    """Mixin for a form screen: what is typed after Tab goes to the field Tab leads to.

    Textual's Tab binding runs only after the key bubbled back up, and the keys typed
    right after it were routed to the field being left ("K-77" + Tab + "Eva" gave the
    case code "K-77Eva"). From a field that runs its own bindings (`KeysInOrder`) the
    keys typed before Tab, backspace and space on a checkbox included, are handled first
    (`settle`) and the focus moves when Tab is read. From any other widget (a Select, a
    button) Tab goes Textual's way, after that widget's own keys, and what is typed after
    it waits until the focus has moved (`focus_moved`, called by the app), at most
    `TAB_HOLD` seconds."""

    _held: list[events.Key | events.Paste] | None = None
    _hold_timer: Timer | None = None

    async def route_input(self, event: events.Key | events.Paste) -> bool:
        assert isinstance(self, Screen)
        if self._held is not None:
            self._held.append(event)
            return True
        if not isinstance(event, events.Key) or event.key not in ("tab", "shift+tab"):
            return False
        focused = self.focused
        if getattr(focused, "tab_behavior", "") == "indent":
            return False  # a TextArea where Tab types an indent
        if isinstance(focused, KeysInOrder):
            await settle([focused])
            self.focus_next() if event.key == "tab" else self.focus_previous()
            return True
        self._held = []
        self._hold_timer = self.set_timer(TAB_HOLD, self.focus_moved)
        return False

    async def focus_moved(self) -> None:
        """Tab has moved the focus (or the time is up): the keys typed after it, in order."""
        assert isinstance(self, Screen)
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for event in held or ():
            await self.app.on_event(event)


async def run_bindings_now(app: App[object], event: events.Key) -> bool:
    """Run what the key is bound to on the focused widget and its parents now, in the
    app's task, instead of after it bubbled back up (rule 4 above)."""
    return await app._check_bindings(event.key, priority=True) or await app._check_bindings(
        event.key)


async def settle(widgets: Iterable[MessagePump]) -> None:
    """Wait until each widget has handled every message (key) posted to it before now."""
    loop = asyncio.get_running_loop()
    waits: list[asyncio.Future[None]] = []
    for widget in widgets:
        if not widget.is_running:
            continue
        done: asyncio.Future[None] = loop.create_future()
        if widget.call_later(_resolve, done):
            waits.append(done)
    if waits:
        await asyncio.wait(waits, timeout=SETTLE_TIMEOUT)


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


def is_text(event: events.Key) -> bool:
    """A key that types a character (letters, digits, space, punctuation; alt+letter too:
    Escape followed quickly by a letter arrives as alt+letter)."""
    return bool(event.character) and event.is_printable


def send_key(event: events.Key | events.Paste, target: Widget) -> None:
    """Deliver a key or paste to `target` as Textual's router would (marked as routed, so a
    key the target does not handle bubbles up to the app's bindings instead of being routed
    again)."""
    target._forward_event(event)
