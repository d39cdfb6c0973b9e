"""Fragment offsets hold for arbitrary Unicode, and an edited toelichting flags, never shifts.

The texts mix arbitrary characters with the hard cases: combining accents,
emoji with skin tones and zero-width joiners, flags, astral letters, right-to-
left scripts, bidi controls, control characters and every Unicode line break.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets.text_area import Document

from zet_tui.core import anchors
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

HARD = ["e\u0301", "a\u0308\u0301", "👩\u200d👩\u200d👧", "👍🏽", "🇳🇱🇧🇪", "❤\ufe0f",
        "مرحبا بكم", "שָׁלוֹם", "\u202eRTL\u202c", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "漢字", " ", "  ", "\n", "\r\n",
        "\r", "\t", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\u2028", "\u2029", "\x85", "\x0b", "\x0c",
        "[/]", "[b]x[/b]", "\x00", "\x7f"]
CHARS = st.characters(blacklist_categories=("Cs",))
PIECES = st.one_of(st.text(alphabet=CHARS, max_size=6), st.sampled_from(HARD))
TEXTS = st.lists(PIECES, max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_visible_keeps_every_offset_and_only_newline_breaks_lines(text: str) -> None:
    shown = anchors.visible(text)
    assert len(shown) == len(text)
    assert [i for i, c in enumerate(shown) if c == "\n"] == [i for i, c in enumerate(text)
                                                            if c == "\n"]
    assert all(c in "\n\t" or unicodedata.category(c) not in ("Cc", "Zl", "Zp", "Cs", "Cn")
               for c in shown)
    # the text widget splits on every Unicode line break: it must see one line per "\n"
    assert Document(shown).lines == shown.split("\n")
    for offset in range(len(shown) + 1):
        assert anchors.location_to_offset(shown, anchors.offset_to_location(shown, offset)) \
            == offset


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_word_steps_never_cut_a_character(text: str) -> None:
    words = anchors.word_spans(text)
    clusters = anchors.clusters(text)
    assert "".join(text[a:b] for a, b in clusters) == text
    starts = {a for a, _ in clusters} | {len(text)}
    for a, b in words:
        assert a < b and a in starts and b in starts
        assert not text[a].isspace()
    assert words == sorted(words)
    # every non-space cluster lies in exactly one word
    for a, b in clusters:
        inside = [w for w in words if w[0] <= a and b <= w[1]]
        assert len(inside) == (0 if text[a].isspace() else 1)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 200), st.integers(0, 200))
def test_snap_and_trim_give_a_whole_fragment(text: str, i: int, j: int) -> None:
    start, end = sorted((min(i, len(text)), min(j, len(text))))
    a, b = anchors.trim(text, *anchors.snap(text, start, end))
    assert 0 <= a <= b <= len(text)
    assert anchors.is_boundary(text, a) and anchors.is_boundary(text, b)
    if a < b:
        assert not text[a].isspace() and not text[b - 1].isspace()


@pytest.fixture
def open_session(store: Store, mini: Questionnaire) -> Iterator[Session]:
    case = store.add_case(store.create_evaluation("E").id, "K-01")
    yield store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")


EDITS = st.tuples(st.integers(0, 100), st.integers(0, 20), TEXTS)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=TEXTS, fragment=TEXTS.filter(lambda t: bool(t.strip())), suffix=TEXTS,
       edit=EDITS)
def test_a_stored_fragment_holds_or_is_flagged_after_an_edit(
        store: Store, open_session: Session, prefix: str, fragment: str, suffix: str,
        edit: tuple[int, int, str]) -> None:
    qid = "toegang.wist-waar"
    text = prefix + fragment + suffix
    store.save_answer(open_session.id, Answer(qid, AnswerStatus.ANSWERED, score=3,
                                              toelichting=text))
    coding = store.add_coding(open_session.id, qid, "wachttijd", "knelpunt",
                              start=len(prefix), end=len(prefix) + len(fragment))
    quote = store.add_quote(open_session.id, qid, len(prefix), len(prefix) + len(fragment))
    for mark in (coding, quote):
        assert mark.start is not None and mark.end is not None
        assert text[mark.start:mark.end] == mark.fragment != ""
        assert len(prefix) - 2 <= mark.start  # widened to whole characters at most a little
        assert anchors.state(text, mark.start, mark.end, mark.fragment) == anchors.AnchorState.HOLDS

    at, removed, inserted = edit
    at = min(at, len(text))
    edited = text[:at] + inserted + text[at + removed:]
    store.save_answer(open_session.id, Answer(qid, AnswerStatus.ANSWERED, score=3,
                                              toelichting=edited))
    for stored in (store.coding(coding.id), store.quote(quote.id)):
        assert (stored.start, stored.end, stored.fragment) == (
            coding.start, coding.end, coding.fragment)  # the store never shifts a fragment
        holds = edited[stored.start:stored.end] == stored.fragment
        state = anchors.state(edited, stored.start, stored.end, stored.fragment)
        assert state == (anchors.AnchorState.HOLDS if holds else anchors.AnchorState.STALE)
        moved = anchors.relocate(edited, stored.start or 0, stored.fragment)
        if moved is not None:
            assert edited[moved[0]:moved[1]] == stored.fragment
    store.remove_coding(coding.id)
    store.remove_quote(quote.id)


def test_relocate_prefers_the_nearest_whole_occurrence() -> None:
    text = "Jan zei: ja. Janssen zei ook ja. Jan."
    assert anchors.relocate(text, 30, "Jan") == (33, 36)
    assert anchors.relocate("e\u0301e", 0, "e") == (2, 3)  # not the e under the accent
    assert anchors.relocate("niets", 0, "Jan") is None
