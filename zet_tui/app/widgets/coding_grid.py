"""Widgets of the coding screen: the grid of answers and the toelichting to select fragments in.

The grid mounts one `GridLine` per (question row, case) of the current theme:
a single widget that draws the case's perspectives side by side, so a theme of
eleven cases costs tens of widgets, not hundreds. All user text reaches the
screen as `rich.text.Text` after `anchors.visible` (control characters shown as
symbols, never as markup or terminal escapes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from zet_tui.app.literal import literal
from zet_tui.core import anchors
from zet_tui.core.coding import Coding, Polarity, Quote
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.core.workbench import Item

CODE_WIDTH = 8
MEMO_MARK = "✎"
#: How much of a memo the list under the toelichting shows: enough to recognise it.
MEMO_LINES = 3
MEMO_CHARS = 200
POLARITY_MARKS = {Polarity.KNELPUNT: "−", Polarity.SUCCESFACTOR: "+", Polarity.NEUTRAAL: "○"}
POLARITY_STYLES = {Polarity.KNELPUNT: "bold red", Polarity.SUCCESFACTOR: "bold green",
                   Polarity.NEUTRAAL: "bold"}


def answer_label(item: Item, *, ascii: bool) -> str:
    """'2 🙁 slecht', 'ja', 'weet niet': the answer without its toelichting."""
    cell = item.cell
    if cell.score is not None and not ascii:
        point = cell.question.scale_def.point(cell.score)
        if point is not None:
            return f"{cell.score} {point.emoji} {point.label}"
    return cell.display


def mark_text(codings: list[Coding], quotes: list[Quote], stale: int) -> Text:
    """The codes on an answer as one line: '−wachttijd +we.basishouding ❝1 ✎2 ⚠1'
    (✎: how many of its codings and quotes carry a memo)."""
    text = Text()
    for c in codings:
        if text:
            text.append(" ")
        text.append(POLARITY_MARKS[c.polarity] + c.code_id, style=POLARITY_STYLES[c.polarity])
    if quotes:
        text.append((" " if text else "") + f"❝{len(quotes)}", style="italic")
    memos = sum(1 for c in codings if c.memo) + sum(1 for q in quotes if q.memo)
    if memos:
        text.append((" " if text else "") + f"{MEMO_MARK}{memos}", style="italic")
    if stale:
        text.append((" " if text else "") + f"⚠{stale}", style="bold yellow")
    return text


def shorten(text: str, lines: int = MEMO_LINES, chars: int = MEMO_CHARS) -> str:
    """`text` cut to its first `lines` lines and `chars` characters, with an ellipsis when
    something was left out; never through a character (an accent, an emoji's modifiers)."""
    cut = "\n".join(text.split("\n")[:lines])[:chars]  # (a prefix of `text`)
    if cut == text:
        return text
    end = len(cut.rstrip())
    while end > 0 and not anchors.is_boundary(text, end):
        end -= 1
    return text[:end] + "…"


def memo_preview(memo: str) -> Text:
    """A memo under its coding or quote, literal and shortened (the whole memo is in the
    memo form, M)."""
    return literal(f"{MEMO_MARK} {shorten(memo)}", style="italic")


class GridLine(Static):
    """One case's answers to one question row, its perspectives side by side."""

    DEFAULT_CSS = """
    GridLine { height: auto; padding: 0 1 1 1; }
    """

    class Picked(Message):
        def __init__(self, item: Item) -> None:
            super().__init__()
            self.item = item

    def __init__(self, case_code: str, items: dict[str, Item], perspectives: list[str],
                 cell: Callable[[Item], Text]) -> None:
        super().__init__()
        self.case_code = case_code
        self.items = items
        self.perspectives = perspectives
        self.cell = cell

    def render(self) -> RenderableType:
        table = columns(self.perspectives)
        row: list[RenderableType] = [Text(anchors.visible(self.case_code), style="bold")]
        for p in self.perspectives:
            item = self.items.get(p)
            row.append(self.cell(item) if item is not None else Text("–", style="dim"))
        table.add_row(*row)
        return table

    def on_click(self, event: events.Click) -> None:
        usable = self.content_region.width - CODE_WIDTH - 1
        x = event.x - self.gutter.left - CODE_WIDTH - 1
        if usable <= 0 or x < 0 or not self.perspectives:
            return
        column = min(len(self.perspectives) - 1, x * len(self.perspectives) // usable)
        item = self.items.get(self.perspectives[column])
        if item is not None:
            self.post_message(self.Picked(item))


def columns(perspectives: list[str]) -> Table:
    """The grid's columns: the case code, then one equal column per perspective."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=CODE_WIDTH, no_wrap=True, overflow="ellipsis")
    for _ in perspectives:
        table.add_column(ratio=1, overflow="fold")
    return table


class RowHeader(Static):
    """A question row: its wording, and the perspectives above their columns."""

    DEFAULT_CSS = """
    RowHeader { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str, perspectives: list[str]) -> None:
        super().__init__(classes="row-header")
        self.title = title
        self.perspectives = perspectives

    def render(self) -> RenderableType:
        labels = columns(self.perspectives)
        labels.add_row(Text(""), *(Text(PERSPECTIVE_LABELS.get(p, p), style="dim")
                                   for p in self.perspectives))
        return Group(Text(anchors.visible(self.title), style="bold"), labels)


class CodingGrid(VerticalScroll, can_focus=True):
    """The answers of one theme; arrow keys move between answers (the screen's actions)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move('up')", "Omhoog", show=False),
        Binding("down", "screen.move('down')", "Omlaag", show=False),
        Binding("left", "screen.move('left')", "Links", show=False),
        Binding("right", "screen.move('right')", "Rechts", show=False),
    ]


class FragmentText(TextArea):
    """The toelichting, read-only, to select a fragment with the keyboard (or the mouse).

    Shift+arrows select by character and ctrl+shift+arrows by word (TextArea's
    own keys); `w` and `b` grow and shrink the selection by whole words as the
    store counts them, for terminals that do not pass ctrl+shift+arrows on.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "grow_word", "Woord erbij", show=False),
        Binding("b", "shrink_word", "Woord eraf", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         **kwargs)  # type: ignore[arg-type]
        self.source = ""

    def show(self, text: str) -> None:
        """Show a toelichting; the visible form has the same offsets as `text`."""
        self.source = text
        self.load_text(anchors.visible(text))
        self.move_cursor((0, 0))

    def offsets(self) -> tuple[int, int] | None:
        """The selection as offsets into the stored toelichting, or None when nothing is selected."""
        start, end = self.selection
        shown = self.text
        a = anchors.location_to_offset(shown, start)
        b = anchors.location_to_offset(shown, end)
        a, b = min(a, b), max(a, b)
        return (a, b) if a < b else None

    def select_offsets(self, start: int, end: int) -> None:
        shown = self.text
        self.selection = Selection(anchors.offset_to_location(shown, start),
                                   anchors.offset_to_location(shown, end))

    def action_grow_word(self) -> None:
        words = anchors.word_spans(self.source)
        if not words:
            return
        current = self.offsets()
        cursor = anchors.location_to_offset(self.text, self.selection.end)
        if current is None:
            word = next((w for w in words if w[1] > cursor), words[-1])
            self.select_offsets(*word)
            return
        nxt = next((w for w in words if w[1] > current[1]), None)
        if nxt is not None:
            self.select_offsets(current[0], nxt[1])

    def action_shrink_word(self) -> None:
        current = self.offsets()
        if current is None:
            return
        inside = [w for w in anchors.word_spans(self.source)
                  if current[0] <= w[0] and w[1] <= current[1]]
        if len(inside) <= 1:
            self.select_offsets(current[0], current[0])
        else:
            self.select_offsets(current[0], inside[-2][1])
