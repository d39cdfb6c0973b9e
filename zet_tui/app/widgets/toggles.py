"""Checkboxes, radio buttons and selection lists whose mark is drawn only when ticked.

Textual draws the same `X` (or dot) in a ticked and an unticked box and tells
them apart by colour alone: on a monochrome terminal, for a colour-blind user
or in a screenshot they look the same. These subclasses draw an empty box when
unticked. Same names as Textual's, so a screen only changes its import.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual import widgets
from textual.content import Content
from textual.strip import Strip
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

from zet_tui.app.key_routing import KeysInOrder


class _MarkedWhenOn(ToggleButton):
    @property
    def _button(self) -> Content:
        # Textual reads the mark from the instance attribute while building the button.
        self.BUTTON_INNER = type(self).BUTTON_INNER if self.value else " "
        return super()._button


class Checkbox(_MarkedWhenOn, widgets.Checkbox, KeysInOrder):
    """A checkbox with an `X` only when ticked; space toggles it in order with the keys
    around it (key_routing: a Tab right after space does not overtake it)."""


class RadioButton(_MarkedWhenOn, widgets.RadioButton):
    """A radio button with a dot only when chosen."""


SelectionType = TypeVar("SelectionType")


class SelectionList(widgets.SelectionList[SelectionType]):
    """A selection list whose boxes show an `X` only for the selected options."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)  # as Textual maps lines
        except OptionDoesNotExist:
            return strip
        if option.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(" ", segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip


__all__ = ["Checkbox", "RadioButton", "SelectionList"]
