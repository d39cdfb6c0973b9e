"""SVG snapshots of the four main screens at 80x24 and 120x40.

Update after an intended change with `pytest tests/app/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them. The clock is fixed so the elapsed time is stable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from zet_tui.app.app import ZetApp
from zet_tui.core.answers import Answer
from zet_tui.core.drafts import Draft
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Compare = Callable[..., bool]


def fixed_clock(session: Session) -> datetime:
    return datetime.fromisoformat(session.started) + timedelta(minutes=12, seconds=34)


def _app(db_path: Path, mini_paths: list[Path], session: Session | None = None) -> ZetApp:
    if session is None:
        return ZetApp(db_path, questionnaire_paths=mini_paths, ascii=False)
    return ZetApp(db_path, questionnaire_paths=mini_paths, session_id=session.id, ascii=False,
                  clock=lambda: fixed_clock(session))


def _answer_some(store: Store, session: Session) -> None:
    store.save_answer(session.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                         toelichting="Via de **buurvrouw**, daarna de huisarts.",
                                         probes_asked=(0,)), actor="Anna")
    store.save_answer(session.id, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"),
                      actor="Anna")


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                      open_session: Session, store: Store, size: tuple[int, int]) -> None:
    _answer_some(store, open_session)

    async def loaded(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES)
def test_interview_mid_theme(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                             open_session: Session, store: Store, size: tuple[int, int]) -> None:
    _answer_some(store, open_session)
    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=_steady_cursor)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                     open_session: Session, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_finish_screen(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                       open_session: Session, store: Store, size: tuple[int, int]) -> None:
    _answer_some(store, open_session)

    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press("f9")
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=before)


async def _steady_cursor(pilot: Pilot[None]) -> None:
    """The fields are built one frame after the question; a blinking cursor would make the
    picture depend on the moment it is taken."""
    from textual.widgets import TextArea

    for _ in range(100):
        if pilot.app.screen.query("#toelichting"):
            break
        await pilot.pause(0.02)
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def _then(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return before


@pytest.mark.parametrize("size", SIZES)
def test_interview_concept(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                           open_session: Session, store: Store, size: tuple[int, int]) -> None:
    """A smiley chosen and words typed, not saved yet: the question line says *concept*."""
    store.save_answer(open_session.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED,
                                              score=4, toelichting="Eerst de buurvrouw,\n"
                                                                   "toen de huisarts."),
                      actor="Anna")

    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press("1", *"lang, 2 maanden", "enter", *"wil niet")
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=before)


def test_text_question_area(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                            open_session: Session, store: Store) -> None:
    """A text question takes several lines; Escape leaves the cursor in it."""
    _answer_some(store, open_session)
    store.save_answer(open_session.id, Answer("toegang.wachten-ervaring", AnswerStatus.ANSWERED,
                                              score=2))
    for qid, value in (("plan.datum", "2024-03-14"), ("plan.aantal", "3"), ("plan.wie", "Samen")):
        store.save_answer(open_session.id, Answer(qid, AnswerStatus.ANSWERED, value=value))

    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press(*"Veel gedaan", "enter", *"en goed geholpen", "escape")
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=(80, 24),
                        run_before=before)


def test_finish_with_a_concept(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                               open_session: Session, store: Store) -> None:
    """Finishing names the question whose typed answer is not saved."""
    store.save_draft(open_session.id, Draft("toegang.wist-waar", score=3, toelichting="bijna"))

    async def before(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        await pilot.press("f9")
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=(80, 24),
                        run_before=before)


def test_start_screen_with_hostile_names_and_a_damaged_session(
        snap_compare: Compare, db_path: Path, mini_paths: list[Path], open_session: Session,
        store: Store) -> None:
    """Markup, an escape sequence and a bidi override in names show literally; a damaged
    session is listed as damaged, a damaged evaluation is named and left out."""
    import sqlite3

    ev = store.create_evaluation("Wijkteam [Noord] \x1b[2J", "[/]\u202e")
    case = store.add_case(ev.id, "[b]K-02[/b]")
    damaged = store.start_session(case.id, open_session.questionnaire, interviewer="[@click=app.quit]Bo[/]",
                                  consent_given=True, consent_by="inwoner")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE session SET snapshot = '{' WHERE id = ?", (damaged.id,))
    conn.execute("INSERT INTO evaluation (id, name, municipality, themes, created) VALUES"
                 " ('0bad0000', 'Oud', '', '[', '2020-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()

    async def loaded(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths), terminal_size=(120, 40), run_before=loaded)


# -- the session and the reviewer: new screen states -------------------------------------------
FIXED = "2026-03-02T09:15:00.000+00:00"


def _fix_times(db_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE session_lease SET acquired = ?", (FIXED,))
        conn.execute("UPDATE note SET created = ?", (FIXED,))


@pytest.mark.parametrize("size", SIZES)
def test_read_only_second_app(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                              open_session: Session, store: Store, size: tuple[int, int],
                              utc: None) -> None:
    _answer_some(store, open_session)
    store.claim_session(open_session.id, "andere-app", interviewer="Anna", pid=4242,
                        host="andere-laptop", question_id="toegang.wachten-ervaring",
                        theme_id="toegang")
    _fix_times(db_path)
    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=_steady_cursor)


def test_theme_skip_prompt_offers_the_last_reason(snap_compare: Compare, db_path: Path,
                                                  mini_paths: list[Path], open_session: Session,
                                                  store: Store) -> None:
    store.save_answer(open_session.id, Answer("toegang.wist-waar", AnswerStatus.NIET_BESPROKEN,
                                              reason="inwoner moe, later verder"), actor="Anna")
    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=(80, 24),
                        run_before=_then("ctrl+t"))


def test_theme_not_discussed_in_panel_and_chat(snap_compare: Compare, db_path: Path,
                                               mini_paths: list[Path], open_session: Session,
                                               store: Store) -> None:
    for qid in ("toegang.wist-waar", "toegang.wachten"):
        store.save_answer(open_session.id, Answer(qid, AnswerStatus.NIET_BESPROKEN,
                                                  reason="geen tijd meer"), actor="Anna")
    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=(120, 40),
                        run_before=_steady_cursor)


@pytest.mark.parametrize("size", SIZES)
def test_reviewer_note_arrives_near_the_answer(snap_compare: Compare, db_path: Path,
                                               mini_paths: list[Path], open_session: Session,
                                               store: Store, size: tuple[int, int]) -> None:
    _answer_some(store, open_session)

    async def arrive(pilot: Pilot[None]) -> None:
        await _steady_cursor(pilot)
        store.add_note(open_session.id, "vraag nog door op het netwerk van de inwoner",
                       kind="flag", theme_id="toegang", author="Rob")
        pilot.app.screen.tick()  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=size,
                        run_before=arrive)


def test_f5_lists_notes_and_flags(snap_compare: Compare, db_path: Path, mini_paths: list[Path],
                                  open_session: Session, store: Store, utc: None) -> None:
    from zet_tui.core.store import NoteRole

    _answer_some(store, open_session)
    sid = open_session.id
    store.add_note(sid, "let op: toon bleef vriendelijk", question_id="toegang.wist-waar",
                   theme_id="toegang", author="Anna", role=NoteRole.INTERVIEWER)
    store.add_note(sid, "mooie open vraag over het netwerk", author="Rob")
    store.add_note(sid, "vraag door naar de wachttijd", kind="flag",
                   question_id="toegang.wachten", theme_id="toegang", author="Rob")
    _fix_times(db_path)
    assert snap_compare(_app(db_path, mini_paths, open_session), terminal_size=(80, 24),
                        run_before=_then("f5"))
