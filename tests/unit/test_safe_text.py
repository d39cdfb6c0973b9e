"""Stored text made safe for the terminal, a one-line message and a file (zet_tui.core.safe_text)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.core.questionnaire import Problem
from zet_tui.core.safe_text import export_safe, one_line, terminal_safe

#: What may never reach a terminal or a file: C0 except tab and LF, DEL, C1, line and
#: paragraph separators, bidi embeddings/overrides/isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    "\ud800-\udfff]")
HOSTILE = ["\x1b[2J", "\x1b]52;c;SGVsbG8=\x07", "\x1b]0;titel\x1b\\", "\x9b31m", "\x1bP1$r\x1b\\",
           "\u202e", "\u2066", "\r\n", "\r", "\x85", "\u2028", "\x00", "\x7f", "\t", "\n", "[/]",
           "[b]", "\x1b", "\x07", "\x08", "\ud800"]
texts = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=12).map("".join)


def test_escape_sequences_are_shown_not_obeyed() -> None:
    assert terminal_safe("a\x1b[2Jb") == "a␛[2Jb"
    assert terminal_safe("\x1b]52;c;SGVsbG8=\x07") == "␛]52;c;SGVsbG8=␇"
    assert terminal_safe("x\x9b31my") == "x\\x9b31my"
    assert terminal_safe("abc\u202edef\u2069") == "abc\\u202edef\\u2069"
    assert terminal_safe("nul\x00del\x7f") == "nul␀del␡"


def test_line_breaks_and_tabs_stay_layout() -> None:
    assert terminal_safe("a\r\nb\rc\u2028d\x85e\tf") == "a\nb\nc\nd\ne\tf"
    assert one_line("a\r\nb\tc\x1b") == "a␊b␉c␛"


def test_clean_text_is_returned_as_it_is() -> None:
    text = "Wijkteam [Noord] · 😄 é"
    assert terminal_safe(text) is text and export_safe(text) is text and one_line(text) is text


def test_exports_drop_whole_sequences() -> None:
    assert export_safe("a\x1b[2Jb\x1b]52;c;SGVsbG8=\x07c\x1b]0;t\x1b\\d") == "abcd"
    assert export_safe("x\x9b1;31my\u202ez\r\nw") == "xyz\nw"
    assert export_safe("\x1b") == ""


@settings(max_examples=300)
@given(texts)
def test_nothing_unsafe_survives(text: str) -> None:
    shown, line, exported = terminal_safe(text), one_line(text), export_safe(text)
    for out in (shown, line, exported):
        assert not UNSAFE.search(out)
    assert "\n" not in line and "\t" not in line
    assert terminal_safe(shown) == shown and export_safe(exported) == exported  # idempotent


@settings(max_examples=300)
@given(texts, texts)
def test_screens_change_characters_one_by_one(a: str, b: str) -> None:
    """Made visible character by character (a CR LF pair is one line break): nothing typed
    is dropped, merged or moved on screen."""
    if a.endswith("\r") and b.startswith("\n"):
        b = " " + b
    assert terminal_safe(a + b) == terminal_safe(a) + terminal_safe(b)
    safe = "".join(c for c in a if not UNSAFE.match(c) and c != "\r")
    assert terminal_safe(safe) == safe


def test_questionnaire_problems_are_one_line_each() -> None:
    problem = Problem("vragen\x1b[2J.md", 3, "'regel een\nregel twee' staat niet onder een vraag")
    assert str(problem) == "vragen␛[2J.md:3: 'regel een␊regel twee' staat niet onder een vraag"
