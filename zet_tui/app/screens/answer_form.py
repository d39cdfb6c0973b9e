"""The answer panel's fields as one unsaved answer.

The interview screen shows one question at a time in the same fields: the bar
(smileys or options, weet niet, n.v.t.), a one-line value (date, number), a
multi-line answer (text questions), the toelichting and the doorvragen. This
class reads them as a `Draft`, loads a `Draft` into them, and says where the
cursor belongs, so the screen and the draft keeper speak of one thing.

The multi-line fields and the doorvragen are built one frame after the first
question (`build_fields`): importing and styling them would delay the first
frame by ~35 ms of CPU. So is the one-line value field, unless the first
question is a date or a number (~3 ms). Until then the form answers from what
it loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input

from zet_tui.app.key_routing import KeysInOrder
from zet_tui.app.literal import literal_line
from zet_tui.app.widgets.chat import AnswerBar
from zet_tui.core.drafts import DRAFT_STATUSES, Draft
from zet_tui.core.questionnaire import Question
from zet_tui.core.safe_text import one_line
from zet_tui.core.vocab import AnswerType

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widgets import SelectionList, TextArea

#: Answer types typed into a field instead of chosen on the bar.
VALUE_TYPES = (AnswerType.DATE, AnswerType.NUMBER, AnswerType.TEXT)
ONE_LINE_TYPES = (AnswerType.DATE, AnswerType.NUMBER)
PLACEHOLDERS = {
    AnswerType.DATE: "datum, bijvoorbeeld 14-03-2024",
    AnswerType.NUMBER: "getal",
}


class ValueInput(Input, KeysInOrder):
    """The one-line value (date, number): Enter saves and goes to the next question.

    A priority binding, so the step runs before the next key is routed (see
    key_routing); Input's own Enter would first post a message and let the keys
    typed after it land in this field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.submit", "Opslaan", show=False, priority=True),
    ]


def value_input() -> ValueInput:
    # Coming back to a half-typed value, typing goes on after it (Input would select it
    # all on focus, and the next key would replace it).
    return ValueInput(id="value", select_on_focus=False)


def selection_of(question: Question, draft: Draft) -> str | None:
    """The bar's selection for a draft: s:<score>, o:<option>, weet_niet, nvt or None."""
    if draft.status in DRAFT_STATUSES:
        return draft.status
    if question.is_scaled:
        return f"s:{draft.score}" if draft.score is not None else None
    if question.type in (AnswerType.YES_NO, AnswerType.CHOICE) and draft.value:
        return f"o:{draft.value}"
    return None


def _assign(widget: object, name: str, value: object) -> None:
    """Only touch what changes: every assignment costs a refresh or a layout."""
    if getattr(widget, name) != value:
        setattr(widget, name, value)


def _load_text(area: TextArea, text: str) -> None:
    """Put `text` in the area with the cursor at its end, where the interviewer goes on."""
    if area.text != text:
        area.text = text
    end = area.document.end
    if area.cursor_location != end:
        area.move_cursor(end)


class AnswerForm:
    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self.question: Question | None = None
        #: What `load` put in the fields (all of it, also what has no field yet).
        self.loaded: Draft | None = None
        self._bar: AnswerBar | None = None
        self._value: ValueInput | None = None
        self.text: TextArea | None = None
        self.toelichting: TextArea | None = None
        self.probes: SelectionList[int] | None = None

    @property
    def bar(self) -> AnswerBar:
        assert self._bar is not None, "attach() first"
        return self._bar

    @property
    def value(self) -> ValueInput | None:
        """The one-line value field (None until `build_fields`, unless the first question
        is a date or a number)."""
        return self._value

    @property
    def ready(self) -> bool:
        """The multi-line fields exist (one frame after the first question)."""
        return self.toelichting is not None

    @staticmethod
    def first_frame_fields(question: Question) -> list[Widget]:
        """The value field, when the first question needs it in the first frame."""
        return [value_input()] if question.type in ONE_LINE_TYPES else []

    def attach(self) -> None:
        """Find the fields of the first frame (after compose)."""
        self._bar = self.screen.query_one("#answer-bar", AnswerBar)
        self._value = next(iter(self.screen.query("#value").results(ValueInput)), None)

    async def build_fields(self) -> None:
        """Build the multi-line fields and the doorvragen (and the value field, if the first
        frame had none), and fill them."""
        from zet_tui.app.widgets.answer_fields import AnswerArea, ProbeList

        panel = self.screen.query_one("#answer-panel")
        if self._value is None:
            value = value_input()
            value.display = False
            await panel.mount(value, after=self.bar)
            self._value = value

        text = AnswerArea(id="value-text", soft_wrap=True, show_line_numbers=False,
                          placeholder="Antwoord (Enter = nieuwe regel, ctrl+s = opslaan)")
        text.display = False
        toelichting = AnswerArea(id="toelichting", soft_wrap=True, show_line_numbers=False,
                                 placeholder="Toelichting (Enter = nieuwe regel, ctrl+s = opslaan)")
        probes = ProbeList(id="probes")
        probes.border_title = "Doorvragen (spatie = gevraagd)"
        # Tab order follows: bar, value, text answer, toelichting, doorvragen.
        await panel.mount(text, after=self._value)
        await panel.mount(toelichting, probes)
        self.text, self.toelichting, self.probes = text, toelichting, probes
        if self.question is not None and self.loaded is not None:
            self.load(self.question, self.loaded)

    def inputs(self) -> list[Widget]:
        """Every shown widget that keys are routed to while answering (a hidden one gets no
        keys; waking it would only run its pending refresh, an extra frame in the step)."""
        fields = (self._bar, self._value, self.text, self.toelichting, self.probes)
        return [w for w in fields if w is not None and w.display]

    # -- reading and loading ------------------------------------------------------------
    def read(self) -> Draft:
        """What is on screen now, for the question last loaded."""
        q, loaded = self.question, self.loaded
        assert q is not None and loaded is not None, "read before the first question was loaded"
        selection = self.bar.selection
        status = selection if selection in DRAFT_STATUSES else None
        score = int(selection[2:]) if selection and selection.startswith("s:") else None
        if q.type == AnswerType.TEXT:
            typed = self.text.text if self.text is not None else loaded.value
        elif q.type in ONE_LINE_TYPES:
            typed = self._value.value if self._value is not None else loaded.value
        elif selection and selection.startswith("o:"):
            typed = selection[2:]
        else:
            typed = ""
        toelichting = self.toelichting.text if self.toelichting is not None else loaded.toelichting
        asked = tuple(self.probes.selected) if self.probes is not None else loaded.probes_asked
        return Draft(q.id, status=status, score=score, value=typed, toelichting=toelichting,
                     probes_asked=asked)

    def load(self, question: Question, draft: Draft) -> None:
        self.question = question
        self.loaded = draft
        bar, value = self.bar, self._value
        bar.configure(question, selection_of(question, draft))
        bar.can_focus = question.type not in VALUE_TYPES  # there it only holds F6 / F7
        if value is not None:
            one_line = question.type in ONE_LINE_TYPES
            _assign(value, "display", one_line)
            _assign(value, "placeholder", PLACEHOLDERS.get(question.type, ""))
            _assign(value, "value", draft.value if one_line else "")
            _assign(value, "cursor_position", len(value.value))  # at the end, as in the areas
        if self.text is not None:
            _assign(self.text, "display", question.type == AnswerType.TEXT)
            _load_text(self.text, draft.value if question.type == AnswerType.TEXT else "")
        if self.toelichting is not None:
            _load_text(self.toelichting, draft.toelichting)
        self._load_probes(question, draft)

    def _load_probes(self, q: Question, draft: Draft) -> None:
        probes = self.probes
        if probes is None:
            return
        asked = set(draft.probes_asked)
        # Consecutive questions usually share their probes: rebuilding the list costs a layout.
        shown = [str(probes.get_option_at_index(i).prompt) for i in range(probes.option_count)]
        if shown != [one_line(p) for p in q.probes] or set(probes.selected) != asked:
            probes.clear_options()
            probes.add_options([(literal_line(p), i, i in asked) for i, p in enumerate(q.probes)])
        _assign(probes, "display", bool(q.probes))
        if q.probes and probes.highlighted != 0:
            probes.highlighted = 0

    # -- where keys go ---------------------------------------------------------------
    def value_field(self) -> Widget | None:
        q = self.question
        if q is None or q.type not in VALUE_TYPES:
            return None
        return self.text if q.type == AnswerType.TEXT else self._value

    def answer_field(self) -> Widget | None:
        """Where Escape leads: the field that takes the answer itself."""
        return self.value_field() or self.bar

    def start_field(self) -> Widget | None:
        """Where the cursor is when the question is shown, and where characters typed
        outside a text field belong: the value field, else the end of the toelichting
        (the screen hands it the first digit as a choice). The same field from one
        smiley question to the next: Textual redraws the whole screen whenever focus
        moves (~15 ms)."""
        return self.value_field() or self.toelichting
