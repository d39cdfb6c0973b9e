"""The multi-line fields and the doorvragen list of the answer panel.

Their own key bindings (backspace, ctrl+w, arrows, space on a doorvraag) run in
their own task, in order with the characters typed before them (see
key_routing). Imported only when the fields are built, one frame after the first
question: TextArea costs the first frame ~12 ms of imports.
"""

from __future__ import annotations

from textual.widgets import TextArea

from zet_tui.app.key_routing import KeysInOrder
from zet_tui.app.widgets.toggles import SelectionList


class AnswerArea(TextArea, KeysInOrder):
    """The toelichting and the answer of a text question: Enter is a new line."""


class ProbeList(SelectionList[int], KeysInOrder):
    """The doorvragen: space ticks the highlighted one as asked (the box is marked only
    when ticked, see toggles)."""
