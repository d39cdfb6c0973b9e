"""Drafts: stored apart from answers, never counted as one, gone when saved, finished or merged."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from review_data import save, setup_case

from zet_tui.core.answers import Answer
from zet_tui.core.coverage import coverage_for_session
from zet_tui.core.drafts import Draft, draft_of
from zet_tui.core.merge import merge_files
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import DraftBusy, Store, StoreError
from zet_tui.core.store.drafts import DRAFT_BUSY_MS
from zet_tui.core.vocab import AnswerStatus
from zet_tui.export.runner import export_all

WORDS = "haar zus heeft 2 keer gebeld, wil niet"


def test_draft_round_trip_without_an_audit_event(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    events = len(store.events(sid))
    draft = store.save_draft(sid, Draft("toegang.wist-waar", score=4, toelichting=WORDS,
                                        probes_asked=(1,)))
    store.save_draft(sid, Draft("plan.datum", value="14-03-20"))  # half typed, kept as typed
    assert draft.updated
    assert store.drafts(sid) == {
        "toegang.wist-waar": draft,
        "plan.datum": Draft("plan.datum", value="14-03-20", updated=store.drafts(sid)["plan.datum"].updated),
    }
    store.save_draft(sid, Draft("toegang.wist-waar", status="weet_niet", toelichting=WORDS + "!"))
    assert store.drafts(sid)["toegang.wist-waar"].status == "weet_niet"
    assert len(store.events(sid)) == events  # no audit event per keystroke
    # the connection is back to its durable settings after the light write
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    store.delete_draft(sid, "plan.datum")
    assert list(store.drafts(sid)) == ["toegang.wist-waar"]


def test_a_draft_is_never_an_answer(store: Store, mini: Questionnaire, tmp_path: Path) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    store.save_draft(sid, Draft("toegang.wist-waar", score=5, toelichting="CONCEPTTEKST"))
    assert store.answers(sid) == {}
    cov = coverage_for_session(store, sid)
    assert cov.theme("toegang").complete == 0  # type: ignore[union-attr]
    assert [row.answered for row in store.session_summaries()] == [0]
    files = export_all(store, store.sessions(), tmp_path / "export")
    written = [p for r in files for p in r.files]
    assert written
    for path in written:
        assert b"CONCEPTTEKST" not in path.read_bytes(), path


def test_saving_the_answer_removes_its_draft_in_the_same_transaction(
        store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    store.save_draft(sid, Draft("toegang.wist-waar", score=4, toelichting=WORDS))
    store.save_draft(sid, Draft("plan.datum", value="14-03-2024"))
    # a failing save (unknown session: foreign key) keeps the draft
    with pytest.raises(StoreError):
        store.save_answer("geen-sessie", Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    assert "toegang.wist-waar" in store.drafts(sid)
    save(store, sid, "toegang.wist-waar", score=4, toelichting=WORDS)
    assert list(store.drafts(sid)) == ["plan.datum"]
    assert store.answers(sid)["toegang.wist-waar"].toelichting == WORDS


def test_finishing_removes_the_drafts_of_that_session_only(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner", "professional"])
    a, b = s["inwoner"].id, s["professional"].id
    store.save_draft(a, Draft("toegang.wist-waar", score=2))
    store.save_draft(b, Draft("toegang.wist-waar", score=3))
    store.finish_session(a)
    assert store.drafts(a) == {}
    assert list(store.drafts(b)) == ["toegang.wist-waar"]


def test_merge_leaves_drafts_on_the_laptop(tmp_path: Path, mini: Questionnaire) -> None:
    source, target = tmp_path / "laptop.db", tmp_path / "evaluatie.db"
    with Store.open(source) as store:
        _, _, s = setup_case(store, mini, perspectives=["inwoner"])
        sid = s["inwoner"].id
        save(store, sid, "toegang.wist-waar", score=4)
        store.save_draft(sid, Draft("toegang.wachten", value="ja", toelichting="CONCEPTTEKST"))
    [report] = merge_files([source], target)
    assert report.added["answer"] == 1 and "draft" not in report.added
    with Store.open(target) as merged:
        assert merged.drafts(sid) == {}
        assert list(merged.answers(sid)) == ["toegang.wist-waar"]
    with Store.open(source) as store:
        assert list(store.drafts(sid)) == ["toegang.wachten"]  # the source is never written


def test_a_busy_database_refuses_the_draft_quickly(db_path: Path, store: Store,
                                                   mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        t0 = time.perf_counter()
        with pytest.raises(DraftBusy, match="bezet"):
            store.save_draft(s["inwoner"].id, Draft("toegang.wist-waar", score=1))
        assert time.perf_counter() - t0 < 10 * DRAFT_BUSY_MS / 1000
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    store.save_draft(s["inwoner"].id, Draft("toegang.wist-waar", score=1))
    assert store.drafts(s["inwoner"].id)["toegang.wist-waar"].score == 1


def test_draft_of_a_saved_answer_is_what_the_screen_shows(mini: Questionnaire) -> None:
    scale, date, count = (mini.question(q) for q in ("toegang.wist-waar", "plan.datum",
                                                     "plan.aantal"))
    assert scale is not None and date is not None and count is not None
    assert draft_of(scale, None) == Draft("toegang.wist-waar")
    scored = Answer(scale.id, AnswerStatus.ANSWERED, score=4, toelichting="t", probes_asked=(0,))
    assert draft_of(scale, scored) == Draft(scale.id, score=4, toelichting="t", probes_asked=(0,))
    # dates and numbers as they are typed and shown, not as stored
    assert draft_of(date, Answer(date.id, AnswerStatus.ANSWERED, value="2024-03-14")).value == (
        "14-03-2024")
    assert draft_of(count, Answer(count.id, AnswerStatus.ANSWERED, value="2.5")).value == "2,5"
    assert draft_of(scale, Answer(scale.id, AnswerStatus.WEET_NIET, toelichting="x")) == Draft(
        scale.id, status="weet_niet", toelichting="x")
    skipped = Answer(scale.id, AnswerStatus.NIET_BESPROKEN, reason="geen tijd", toelichting="x")
    assert draft_of(scale, skipped) == Draft(scale.id, toelichting="x")
    # whitespace around the text and the order of the probes are no change
    assert Draft("q", toelichting="t \n", probes_asked=(1, 0)).same_as(
        Draft("q", toelichting="t", probes_asked=(0, 1)))
    assert not Draft("q", score=4).same_as(Draft("q", score=3))
