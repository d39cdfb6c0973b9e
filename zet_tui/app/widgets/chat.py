"""Small widgets of the interview screen: chat bubbles and the answer bar.

Bubbles are `Static` widgets with Rich renderables, never Textual `Markdown`
widgets: those cost ~80 ms each to mount and make a long chat crawl (see docs/
design notes). Every stored text goes through `literal` or `prose` (see
`zet_tui.app.literal`): shown exactly as typed, never parsed as markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import ClassVar, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget
from textual.widgets import OptionList, Static

from zet_tui.app.fit import Hint, fit_hints
from zet_tui.app.literal import clickable, literal, literal_line, prose
from zet_tui.core.answers import Answer
from zet_tui.core.dutch import format_value
from zet_tui.core.interview import THEME_STATE_LABELS, ThemeProgress
from zet_tui.core.questionnaire import Question
from zet_tui.core.safe_text import one_line
from zet_tui.core.vocab import STATUS_LABELS, AnswerStatus, AnswerType, ScalePoint

STATE_ICONS = {"done": "✓", "partly": "◐", "open": "○", "skipped": "⊘"}
STATE_ASCII = {"done": "[x]", "partly": "[~]", "open": "[ ]", "skipped": "[-]"}
STATE_LABELS = THEME_STATE_LABELS

BOLD = Style(bold=True)


def state_icon(state: str, ascii: bool) -> str:
    return (STATE_ASCII if ascii else STATE_ICONS)[state]


def theme_line(p: ThemeProgress, ascii: bool) -> str:
    """`◐ Toegang: deels 1/2`: one theme's state as the chat, its fold and the finish check say it."""
    return f"{state_icon(p.state, ascii)} {p.theme.title}: {STATE_LABELS[p.state]} {p.done_count}/{p.total_count}"


def theme_summary(progress: Sequence[ThemeProgress], ascii: bool) -> tuple[str, str, str]:
    """The theme states for a one-line header, from long to short: every theme's icon
    ("thema's ✓✓◐○○"), how many of each ("thema's ✓2 ◐1 ○2"), without the word."""
    icons = [state_icon(p.state, ascii) for p in progress]
    counts = " ".join(f"{icon}{icons.count(icon)}" for icon in
                      (state_icon(s, ascii) for s in ("done", "partly", "skipped", "open"))
                      if icon in icons)
    return f"thema's {''.join(icons)}", f"thema's {counts}", counts


def point_label(point: ScalePoint, ascii: bool) -> str:
    """`🙂 goed`, `+ goed`; a face that is the word itself is not said twice (`nee`, not
    `nee nee`, on the nee/deels/ja scale in ASCII)."""
    face = point.text if ascii else point.emoji
    return point.label if face == point.label else f"{face} {point.label}"


def answer_summary(question: Question, answer: Answer, ascii: bool) -> str:
    """One line for an answer: the smiley with its label, the value, or the status."""
    if answer.status == AnswerStatus.ANSWERED:
        if question.is_scaled and answer.score is not None:
            point = question.scale_def.point(answer.score)
            if point is None:
                return str(answer.score)
            return f"{point_label(point, ascii)} ({answer.score}/{question.scale_def.size})"
        return format_value(question.type, answer.value)
    if answer.status == AnswerStatus.NIET_BESPROKEN:
        return f"niet besproken: {answer.reason}"
    return STATUS_LABELS[str(answer.status)]


def question_renderable(question: Question, number: int, total: int) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble((f"Vraag {number} van {total}  ", "dim"), literal(question.text, "bold")),
    ]
    if question.help:
        parts.append(prose(question.help, style="italic dim"))
    if question.probes:
        parts.append(literal("Doorvragen: " + " · ".join(question.probes), style="dim"))
    return Group(*parts)


def answer_renderable(question: Question, answer: Answer, ascii: bool) -> RenderableType:
    parts: list[RenderableType] = [literal(answer_summary(question, answer, ascii), style="bold")]
    if answer.toelichting:
        parts.append(prose(answer.toelichting.rstrip(" \t\r\n")))  # no blank line at the end
    if answer.probes_asked:
        asked = [question.probes[i] for i in answer.probes_asked if 0 <= i < len(question.probes)]
        if asked:
            parts.append(literal("Doorgevraagd: " + " · ".join(asked), style="dim"))
    return Group(*parts)


class Bubble(Static):
    """One chat bubble; clicking it asks the screen to open its question or theme."""

    class Selected(Message):
        def __init__(self, source: Bubble) -> None:
            super().__init__()
            self.source = source

    def __init__(self, renderable: RenderableType, *, key: str, sig: str, kind: str,
                 question_id: str | None = None, theme_id: str | None = None) -> None:
        super().__init__(renderable, classes=f"bubble -{kind}")
        self.body = renderable
        self.key = key
        self.sig = sig
        self.kind = kind
        self.question_id = question_id
        self.theme_id = theme_id

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # A bubble does not scroll: its virtual size never changes the layout. Textual
        # would otherwise lay the whole screen out a second time for every new bubble.
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def set_body(self, renderable: RenderableType) -> None:
        self.body = renderable
        self.update(renderable)

    def plain_text(self, width: int = 100) -> str:
        """The bubble as plain text (tests, screen readers' logs)."""
        from rich.console import Console

        console = Console(width=width, color_system=None, record=True, file=io.StringIO())
        console.print(self.body)
        return console.export_text()

    def on_click(self, event: events.Click) -> None:
        if self.question_id or self.theme_id:
            event.stop()
            self.post_message(self.Selected(self))


def pill_lines(pills: Sequence[Content], width: int) -> Content:
    """The pills one space apart, a new line before a pill that would not fit: a pill is
    never broken over two lines ("F6" at the end of one, "weet niet" on the next), which
    Textual's wrapping did at some widths (80 columns in ASCII, a browser window)."""
    lines: list[list[Content]] = [[]]
    used = 0
    for pill in pills:
        if lines[-1] and width > 0 and used + 1 + pill.cell_length > width:
            lines.append([])
            used = 0
        used += (1 if lines[-1] else 0) + pill.cell_length
        lines[-1].append(pill)
    return Content("\n").join(Content(" ").join(line) for line in lines)


class AnswerBar(Widget, can_focus=True):
    """The smiley bar (or the options of a yes/no or choice question).

    Usually the cursor is in the toelichting and the screen hands the first digit
    typed there to `pick`. With focus on the bar itself (Escape, shift+Tab): 1..k
    pick a point or an option and the cursor goes back (`on_choice`), so the words
    that follow are text; Enter saves. Letters are never commands here: the screen
    routes them to the text field. Weet niet and n.v.t. are the screen's F6 / F7,
    or a click on their pill.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: applied when the key is read, before the next key is routed (see
        # key_routing), so "4" and the words typed right after it never mix.
        *(Binding(str(i), f"pick({i})", f"Kies {i}", show=False, priority=True)
          for i in range(1, 10)),
        Binding("enter", "screen.submit", "Opslaan", show=False, priority=True),
    ]

    selection: reactive[str | None] = reactive(None)

    class Changed(Message):
        pass

    def __init__(self, *, ascii: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii = ascii
        self.question: Question | None = None
        #: Called after every choice (key or click), before the next key is routed.
        self.on_choice: Callable[[], None] | None = None
        #: The next digit typed in the toelichting chooses: the digits are underlined.
        self.choosing = False
        #: The last drawing: the bar is drawn for its height and for its lines, and again
        #: on every refresh of the panel around it, mostly unchanged.
        self._drawn: tuple[tuple[object, ...], Content] | None = None

    def show_choosing(self, choosing: bool) -> None:
        """In the drawing, not by a CSS class: a class change restyles the bar (~0.5 ms on
        every key that starts or ends it), a repaint of one line does not."""
        if choosing != self.choosing:
            self.choosing = choosing
            self.refresh()

    def configure(self, question: Question, selection: str | None) -> None:
        previous = self.question
        self.question = question
        self.selection = selection
        same_shape = previous is not None and (previous.type, previous.scale, previous.options) == (
            question.type, question.scale, question.options)
        self.refresh(layout=not same_shape)

    def options(self) -> list[str]:
        q = self.question
        if q is None:
            return []
        if q.type == AnswerType.YES_NO:
            return ["ja", "nee"]
        if q.type == AnswerType.CHOICE:
            return list(q.options)
        return []

    def render(self, width: int | None = None) -> Content:
        q = self.question
        if q is None:
            return Content("")
        width = width if width is not None else self.content_size.width
        key = (q, self.selection, self.choosing, self.ascii, width)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._pills(q, width))
        return self._drawn[1]

    def _pills(self, q: Question, width: int) -> Content:
        pills: list[Content] = []

        def pill(label: str, action: str, selected: bool, key: str = "") -> Content:
            content = clickable(Content(f" {label} "), action)
            if key and self.choosing:
                content = content.stylize("underline bold", 1, 1 + len(key))
            return content.stylize("reverse bold") if selected else content

        if q.is_scaled:
            for point in q.scale_def.points:
                pills.append(pill(f"{point.score} {point_label(point, self.ascii)}",
                                  f"pick({point.score})", self.selection == f"s:{point.score}",
                                  str(point.score)))
        else:
            for i, option in enumerate(self.options(), start=1):
                pills.append(pill(f"{i} {one_line(option)}", f"pick({i})",
                                  self.selection == f"o:{option}", str(i)))
        pills.append(pill("F6 weet niet", "status('weet_niet')", self.selection == "weet_niet"))
        pills.append(pill("F7 n.v.t.", "status('nvt')", self.selection == "nvt"))
        return pill_lines(pills, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # As many lines as the pills take at this width (see `pill_lines`).
        return self.render(width).get_height(cast(RulesMap, self.styles), width)

    def choice(self, number: int) -> str | None:
        """The selection digit `number` stands for on this question (None: no such point)."""
        q = self.question
        if q is None:
            return None
        if q.is_scaled:
            return f"s:{number}" if q.scale_def.point(number) is not None else None
        options = self.options()
        return f"o:{options[number - 1]}" if 1 <= number <= len(options) else None

    def action_pick(self, number: int) -> None:
        choice = self.choice(number)
        if choice is not None:
            self.selection = choice
            self._chosen()

    def action_status(self, status: str) -> None:
        self.toggle_status(status)

    def toggle_status(self, status: str) -> None:
        """Weet niet / n.v.t. on, or off again when it was already chosen."""
        self.selection = None if self.selection == status else status
        self._chosen()

    def _chosen(self) -> None:
        if self.on_choice is not None:
            self.on_choice()

    def watch_selection(self) -> None:
        self.refresh()
        self.post_message(self.Changed())


class KeyHints(Widget):
    """A fixed line of clickable key hints that fits the width (see `fit.fit_hints`).

    Used instead of Textual's `Footer` on the interview screen: the Footer
    recomposes its key widgets on every focus change (~40 widgets), which made
    Tab and the answer key noticeably slower. This is one line, drawn again only
    when its width changes. The help screen lists every key.
    """

    def __init__(self, hints: Sequence[Hint], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints = list(hints)
        self._drawn: tuple[int, Content] | None = None

    def render(self) -> Content:
        width = self.content_size.width
        if self._drawn is None or self._drawn[0] != width:
            shown, gap = fit_hints(self.hints, width)
            parts = [clickable(Content.assemble((hint.key, BOLD), " ", label), hint.action)
                     for hint, label in shown]
            self._drawn = (width, Content(" " * gap).join(parts))
        return self._drawn[1]


class ChatLog(VerticalScroll):
    """The scrolling chat. With focus, up/down select a bubble and Enter opens its question.

    Only bubbles that belong to a question or theme can be selected; the
    selection is a CSS class, so moving it costs no re-render of other bubbles.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "select(-1)", "Vorige ballon", show=False),
        Binding("down", "select(1)", "Volgende ballon", show=False),
        Binding("enter", "open", "Open vraag", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selected: Bubble | None = None
        self._painted_scroll: float | None = None

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._repaint_scrollbar)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # New content alone (a taller virtual size) was just arranged by the layout that
        # reports it; only a change of the chat's own size needs another pass (anchoring).
        return super()._size_updated(size, virtual_size, container_size,
                                     layout=layout and size != self.outer_size)

    def _repaint_scrollbar(self, _screen: object) -> None:
        """Keep the scrollbar in step with the anchored scroll position.

        When the chat changes height, Textual's compositor moves an anchored view to
        the end by setting the position without a repaint, so the thumb was drawn
        where it had been. Checked after every layout: one comparison."""
        if self.show_vertical_scrollbar and self._painted_scroll != self.scroll_y:
            self._painted_scroll = self.scroll_y
            self.vertical_scrollbar.refresh()

    def selectable(self) -> list[Bubble]:
        return [b for b in self.query_children(Bubble) if b.question_id or b.theme_id]

    def on_focus(self) -> None:
        bubbles = self.selectable()
        if bubbles and (self.selected is None or self.selected not in bubbles):
            self._select(bubbles[-1])

    def on_blur(self) -> None:
        if self.selected is not None:
            self.selected.remove_class("-selected")
            self.selected = None

    def _select(self, bubble: Bubble) -> None:
        if self.selected is not None:
            self.selected.remove_class("-selected")
        self.selected = bubble
        bubble.add_class("-selected")
        self.scroll_to_widget(bubble, animate=False)

    def action_select(self, step: int) -> None:
        bubbles = self.selectable()
        if not bubbles:
            return
        if self.selected not in bubbles:
            self._select(bubbles[-1])
            return
        assert self.selected is not None
        index = max(0, min(len(bubbles) - 1, bubbles.index(self.selected) + step))
        self._select(bubbles[index])

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(Bubble.Selected(self.selected))


class ThemeList(OptionList):
    """The theme list beside the chat.

    Every answer changes one row (the count of the current theme). Textual's
    `replace_option_prompt_at_index` drops the rendered lines of *every* option,
    so all ~25 rows were rendered again on each key press. `set_prompt` drops
    only the changed row and repaints its lines. It leans on OptionList
    internals of the pinned Textual version; whenever those do not fit (row
    height changes, nothing laid out yet) it takes the public, slower path.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blank: Strip | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._blank = None  # the width or the colours may have changed since the last time
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """The lines below the last row are one and the same blank line, made once a drawing:
        Textual looks its style up again for each (~35 µs a line; the first frame, before
        the rows arrive, is all blank lines)."""
        if self.scroll_offset.y + y < len(self._line_cache.lines):  # as laid out by render_lines
            return super().render_line(y)
        if self._blank is None:
            self._blank = super().render_line(y)
        return self._blank

    def set_prompt(self, index: int, text: str | Text) -> None:
        # Theme titles come from the questionnaire: never markup, controls shown.
        prompt = literal_line(text) if isinstance(text, str) else text
        option = self.get_option_at_index(index)
        cache = self._line_cache
        line = cache.index_to_line.get(index)
        height = cache.heights.get(index)
        region = self.scrollable_content_region
        if line is None or height is None or not region:
            self.replace_option_prompt_at_index(index, prompt)
            return
        option._set_prompt(prompt)
        padding = self.get_component_styles("option-list--option").padding
        width = region.width - self._get_left_gutter_width() - padding.width
        rules = cast(RulesMap, self.styles)  # as OptionList itself does
        if self._get_visual(option).get_height(rules, width) + option._divider != height:
            self._clear_caches()  # the row wraps differently: lines below it move
            return
        rendered = self._option_render_cache.keys()  # LRUCache is not iterable itself
        for key in [key for key in rendered if key[0] is option]:
            self._option_render_cache.discard(key)
        self.refresh(Region(0, line - self.scroll_offset.y, region.width, height))
