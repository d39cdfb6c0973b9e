"""A memo shortened for the list under the toelichting: a prefix, never through a character."""

from __future__ import annotations

from hypothesis import given, settings
from test_anchors import TEXTS

from zet_tui.app.widgets.coding_grid import MEMO_CHARS, MEMO_LINES, memo_preview, shorten
from zet_tui.core import anchors


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_shorten_keeps_a_prefix_of_whole_characters(text: str) -> None:
    cut = shorten(text)
    if cut == text:
        return
    assert cut.endswith("…")
    kept = cut[:-1]
    assert text.startswith(kept) and len(kept) <= MEMO_CHARS
    assert kept.count("\n") < MEMO_LINES
    assert anchors.is_boundary(text, len(kept))


def test_a_short_memo_is_whole_and_literal() -> None:
    assert memo_preview("[b]x[/b]\x1b[2J").plain == "✎ [b]x[/b]␛[2J"
    assert shorten("a\nb\nc\nd") == "a\nb\nc…"
    assert shorten("é" * MEMO_CHARS + "e\u0301") == "é" * MEMO_CHARS + "…"
