"""Hostile text and the checks that it is shown literally, for the literal-text property tests.

"Literal" means: the widget holds a Rich `Text` or Textual `Content` (never a markup
string) whose plain text is `terminal_safe(typed)`, and rendering the widget's lines
(the step before the terminal) runs without an error and produces no control character.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

from zet_tui.core.safe_text import one_line, terminal_safe

#: Markup, escape sequences, control characters, bidi overrides, Markdown, wide characters.
FRAGMENTS = [
    "[/]", "[b]", "[/b]", "[Noord]", "[@click=app.quit]klik[/]", "[$accent]", "[link=x]",
    "\\[b]", "\\", "\x1b[2J", "\x1b]52;c;R0VIRUlN\x07", "\x1b]0;titel\x1b\\", "\x1b",
    "\u202e", "\u2066", "\u2069", "\x9b31m", "\r\n", "\r", "\n", "\t", "\x00", "\x07", "\x08",
    "\x7f", "\u2028", "**vet**", "*", "_", "# kop", "- lijst", "1. een", "&amp;", "<b>",
    "😄", "👩\u200d👩\u200d👧", "é", "\u00a0", " ", "Wijkteam [Zuid]",
]
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10)),
                   min_size=1, max_size=10).map("".join)
#: 200,000 characters: markup and escapes all the way.
BIG = ("[/]\x1b[2J\u202e[b]lang woord " * 10_000)[:200_000]
#: Examples per field (the issue asks at least 500 in CI).
EXAMPLES = 500
#: What may never be in a rendered line (tab and LF are layout and never in a strip).
RENDERED_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def for_each_text(check: Callable[[str], None]) -> None:
    """Run `check` for EXAMPLES hostile texts and the 200k one (synchronously: the app's
    event loop waits meanwhile, so one running app serves all examples)."""
    prop = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])(
        example(BIG)(given(hostile)(check)))
    prop()


def plain(obj: Any) -> str:
    """The plain text of a prompt, cell, visual or group of them, unwrapped; a `str` is
    refused: Textual would read it as markup."""
    assert not isinstance(obj, str), f"markup string handed to a widget: {obj[:80]!r}"
    if isinstance(obj, Text | Content):
        return obj.plain
    if isinstance(obj, Group):
        return "\n".join(plain(part) for part in obj.renderables)
    raise AssertionError(f"unexpected renderable {type(obj).__name__}")


def shows(shown: str, typed: str) -> None:
    """`typed` is in `shown` exactly as `terminal_safe` makes it: nothing interpreted."""
    expected = terminal_safe(typed)
    assert expected in shown, (typed[:80], shown[:200])


def shows_line(shown: str, typed: str) -> None:
    """As `shows`, for a one-line place: line breaks and tabs as `␊` and `␉` (`one_line`)."""
    expected = one_line(typed)
    assert expected in shown and "\n" not in shown, (typed[:80], shown[:200])


def renders_clean(widget: Widget) -> None:
    """Render the widget's top lines as for the screen (the whole content is laid out, the
    first lines made into terminal segments): no error, no control character."""
    width, height = widget.size
    for strip in widget.render_lines(Region(0, 0, max(width, 1), min(max(height, 1), 4))):
        found = RENDERED_UNSAFE.search(strip.text)
        assert found is None, repr(strip.text)


def screen_text(app: App[Any]) -> str:
    """Everything on the screen (with the screens below a modal), as plain text."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      record=True, color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()
