"""The one way stored text reaches a widget: literal, with control characters made visible.

A plain `str` given to `Static.update`, an `Option`, a `Select` option, a
DataTable cell, a border title or a `Label` is parsed as Textual markup: a
case code `[/]` raised MarkupError on every start, "Wijkteam [Noord]" showed
as "Wijkteam ". And Textual writes the characters of a text to the terminal
as they are, so an `ESC[2J` in a toelichting cleared the screen. Every user
or questionnaire text therefore goes through `literal` (or `prose` for the
longer texts with emphasis): a Rich `Text`, never markup, made safe by
`zet_tui.core.safe_text.terminal_safe`.

Below that, `install_output_guard` is a last line of defence: any control
character that still reaches Textual's output (from a text field, a third-party
widget, a message nobody wrapped) is dropped before it is written to the
terminal. It never makes text visible; that is `literal`'s job.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.style import StyleType
from rich.text import Text
from textual.content import Content
from textual.style import Style

from zet_tui.core.safe_text import one_line, terminal_safe

if TYPE_CHECKING:
    from rich.console import Console
    from textual.fuzzy import Matcher


def literal(text: str, style: StyleType = "") -> Text:
    """`text` exactly as stored (control characters shown as `␛` etc.), never as markup."""
    return Text(terminal_safe(text), style=style)


def literal_line(text: str, style: StyleType = "") -> Text:
    """`literal` for a one-line place (a list entry, a table cell, a status line, a title):
    a line break shows as `␊` and a tab as `␉`, since such widgets keep only the first line
    and would hide the rest."""
    return Text(one_line(text), style=style)


#: What a toelichting or questionnaire text may use: **bold**, *italic* and _italic_, on
#: one line, at most 200 characters (a bound, so a 200k-character text with stray
#: asterisks costs linear time). Anything else is just text.
_EMPHASIS = re.compile(
    r"\*\*(?=\S)([^\n*]{1,200}?)(?<=\S)\*\*"
    r"|(?<![\w*_])([*_])(?=[^\s*_])([^\n*_]{1,200}?)(?<=[^\s*_])\2(?![\w*_])"
)


def prose(text: str, style: StyleType = "") -> Text:
    """A longer text (toelichting, opening, theme introduction, help) shown literally.

    Every character is shown as stored, markers included: no Markdown parser
    decides that a line is a heading, a list is renumbered, a link hides its
    address or `\\*` loses its backslash. Emphasis is only *highlighted*:
    the text between `**` is bold, between `*` or `_` italic, and the markers
    themselves are dimmed."""
    result = literal(text, style)
    plain = result.plain
    if "*" not in plain and "_" not in plain:
        return result
    for match in _EMPHASIS.finditer(plain):
        start, end = match.span()
        marker = 2 if match.group(1) is not None else 1
        result.stylize("bold" if marker == 2 else "italic", start + marker, end - marker)
        result.stylize("dim", start, start + marker)
        result.stylize("dim", end - marker, end)
    return result


def clickable(content: Content, action: str) -> Content:
    """`content` that runs `action` when clicked: what the markup `[@click=action]...[/]`
    makes, without parsing markup (~0.1 ms a piece, on the first frame's key line and
    answer bar), and without a place where text could be taken for markup."""
    return content.stylize(Style.from_meta({"@click": action}))


def highlight(matcher: Matcher, candidate: str) -> Content:
    """The command palette's fuzzy highlight of `candidate`, literal (`Matcher.highlight`
    parses the candidate as markup: a question text `[/]` would crash the palette)."""
    safe = one_line(candidate)
    content = Content(safe)
    score, offsets = matcher.fuzzy_search.match(matcher.query, safe)
    if not score:
        return content
    for offset in offsets:
        if not safe[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


#: Control characters that may never reach the terminal inside text. They are zero
#: cells wide, so dropping them keeps every line as wide as Textual laid it out.
_OUTPUT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_guard_installed = False


def install_output_guard() -> None:
    """Drop control characters from the text of every line Textual writes (once per process).

    Textual turns each rendered line (a `Strip` of segments) into terminal data in
    `Strip.render`; the guard cleans the segments' text there, the one place all
    screen output passes, before the style codes are added."""
    global _guard_installed
    if _guard_installed:
        return
    from rich.segment import Segment
    from textual.strip import Strip

    original = Strip.render

    def render(self: Strip, console: Console) -> str:
        if self._render_cache is None:
            segments: list[Any] = self._segments
            if any(_OUTPUT_UNSAFE.search(text) for text, _, control in segments
                   if not control):
                self._segments = [
                    segment if segment.control else
                    Segment(_OUTPUT_UNSAFE.sub("", segment.text), segment.style)
                    for segment in segments]
        return original(self, console)

    Strip.render = render  # type: ignore[method-assign]
    _guard_installed = True


__all__ = ["highlight", "install_output_guard", "literal", "literal_line", "prose"]
