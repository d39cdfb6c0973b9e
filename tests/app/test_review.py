"""Live review: the interviewer writes through one connection, the review app reads through its own."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from review_data import save, setup_case
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TabbedContent

from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens.review import ReviewScreen, SessionPickScreen
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store

SIZE = (160, 50)


async def wait_for(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 3.0) -> float:
    """Seconds until `check` held; fails the test after `timeout`."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise AssertionError("niet binnen de tijd zichtbaar")
        await pilot.pause(0.05)
    return time.monotonic() - start


def cells(table: DataTable[object]) -> list[str]:
    return [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]


async def test_reviewer_sees_answers_flags_and_signs_off(
        store: Store, db_path: Path, mini: Questionnaire) -> None:
    _, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    sid = sessions["inwoner"].id
    app = ReviewApp(db_path, session_id=sid, reviewer_name="Rob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        themes = screen.query_one("#review-themes", DataTable)
        answers = screen.query_one("#review-answers", DataTable)
        assert "✗ open 0/2" in cells(themes)

        # the interviewer saves an answer in "another terminal" (another connection)
        save(store, sid, "toegang.wist-waar", score=4,
             toelichting="De buurvrouw uit haar netwerk wees de weg.")
        latency = await wait_for(pilot, lambda: any("netwerk" in c for c in cells(answers)))
        assert latency < 1.5
        print(f"answer visible to the reviewer after {latency:.2f}s")
        assert "◐ deels 1/2" in cells(themes)
        assert "goed (+)" in cells(answers)
        # a cursor on the newest answer follows the newest answer
        save(store, sid, "plan.wie", value="Samen", toelichting="met de wijkcoach")
        await wait_for(pilot, lambda: answers.row_count == 2)
        assert answers.cursor_row == 0
        assert "met de wijkcoach" in str(screen.query_one("#answer-detail").render())
        store.delete_answer(sid, "plan.wie", actor="Ilse")
        await wait_for(pilot, lambda: answers.row_count == 1)

        # idle: the poll does not reload when nothing changed
        reloads = screen.reloads
        await pilot.pause(1.2)
        assert screen.reloads == reloads

        # the reviewer flags the highlighted theme
        themes.focus()
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#note-text", Input).value = "vraag nog door op het netwerk"
        await pilot.press("enter")
        await pilot.pause()
        flags = [n for n in store.notes(sid) if n.kind == "flag"]
        assert len(flags) == 1
        flag = flags[0]
        assert (flag.theme_id, flag.author, flag.text) == ("toegang", "Rob", "vraag nog door op het netwerk")
        assert "⚑ 1" in cells(themes)

        # the interviewer marks it handled; the reviewer sees that
        store.handle_note(flag.id, actor="Ilse")
        notes = screen.query_one("#review-notes", DataTable)
        await wait_for(pilot, lambda: any("afgehandeld door Ilse" in c for c in cells(notes)))
        assert "⚑ 1" not in cells(themes)

        # after the interview: open themes, answers without toelichting, sign-off
        save(store, sid, "toegang.wachten", value="nee")
        store.finish_session(sid, actor="Ilse")
        await pilot.press("a")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "review-finish"
        finish_themes = screen.query_one("#finish-themes", DataTable)
        missing = screen.query_one("#finish-no-toelichting", DataTable)
        await wait_for(pilot, lambda: any("Moest u lang wachten?" in c for c in cells(missing)))
        assert [str(finish_themes.get_row_at(r)[0]) for r in range(finish_themes.row_count)] == ["Plan"]
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("g")  # from the live tab: first shows what is open, signs nothing
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "review-finish"
        assert store.session(sid).reviewed_by is None
        await pilot.press("g")
        await pilot.pause()
        assert "Gereviewd door Rob" in str(screen.query_one("#finish-status").render())
    reviewed = store.session(sid)
    assert reviewed.reviewed_by == "Rob" and reviewed.reviewed_at
    log = [(e.kind, e.actor) for e in store.events(sid)]
    assert ("answer_created", "Ilse") in log
    assert ("flag_added", "Rob") in log
    assert ("note_handled", "Ilse") in log
    assert ("session_reviewed", "Rob") in log


async def test_note_on_a_question_from_the_answers_table(
        store: Store, db_path: Path, mini: Questionnaire) -> None:
    _, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    sid = sessions["inwoner"].id
    save(store, sid, "plan.wie", value="Samen", toelichting="met de wijkcoach")
    app = ReviewApp(db_path, session_id=sid, reviewer_name="Rob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.query_one("#review-answers", DataTable).focus()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-text", Input).value = "mooi voorbeeld voor de terugkoppeling"
        await pilot.click("#note-save")
        await pilot.pause()
        # an empty text is refused without closing the dialog
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Schrijf eerst" in str(app.screen.query_one("#note-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen
        assert review.store is not None
    assert review.store is None  # its own connection is closed when the screen goes away
    notes = store.notes(sid)
    assert [(n.kind, n.question_id, n.theme_id) for n in notes] == [("note", "plan.wie", "plan")]


async def test_picker_asks_name_and_lists_new_sessions_live(
        store: Store, db_path: Path, mini: Questionnaire) -> None:
    ev, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    app = ReviewApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # empty name is refused
        await pilot.pause()
        assert not isinstance(app.screen, SessionPickScreen)
        await pilot.press(*"Rob", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SessionPickScreen)
        table = picker.query_one(DataTable)
        assert table.row_count == 1
        _, _, more = setup_case(store, mini, code="B-02", perspectives=["professional"], evaluation=ev)
        await wait_for(pilot, lambda: table.row_count == 2)
        table.focus()
        target = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.session_id == target and review.reviewer_name == "Rob"
        assert target in {sessions["inwoner"].id, more["professional"].id}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionPickScreen)


async def test_review_screen_can_be_pushed_onto_any_app(
        store: Store, db_path: Path, mini: Questionnaire) -> None:
    """The lead's main app pushes the screen; a session that vanished closes it with a message."""
    from textual.app import App

    _, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    host: App[None] = App()
    async with host.run_test(size=SIZE) as pilot:
        await host.push_screen(ReviewScreen(db_path, sessions["inwoner"].id, "Rob"))
        await pilot.pause()
        assert isinstance(host.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(host.screen, ReviewScreen)
        await host.push_screen(ReviewScreen(db_path, "ffffffffffff", "Rob"))
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(host.screen, ReviewScreen)
        assert any("niet gevonden" in n.message for n in host._notifications)



def count_clears(monkeypatch: pytest.MonkeyPatch, tables: Iterable[DataTable[Any]]) -> list[str]:
    """The ids of the tables emptied from now on, in order (a refill starts with `clear`)."""
    cleared: list[str] = []
    for table in tables:
        def clear(table: DataTable[Any] = table, **kwargs: bool) -> DataTable[Any]:
            cleared.append(table.id or "")
            return DataTable.clear(table, **kwargs)
        monkeypatch.setattr(table, "clear", clear)
    return cleared


async def test_heartbeat_alone_does_not_refill_the_tables(
        store: Store, db_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interview app's lease heartbeat commits every few seconds: the reviewer's
    tables keep their rows then, and only what shows the interviewer's place moves."""
    _, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    sid = sessions["inwoner"].id
    save(store, sid, "plan.wie", value="Samen", toelichting="met de wijkcoach")
    store.claim_session(sid, "interview-app", interviewer="Ilse", theme_id="toegang")
    app = ReviewApp(db_path, session_id=sid, reviewer_name="Rob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        themes = screen.query_one("#review-themes", DataTable)
        answers = screen.query_one("#review-answers", DataTable)
        assert str(themes.get_row_at(0)[0]) == "▸ Toegang"
        cleared = count_clears(monkeypatch, screen.query(DataTable))
        reloads = screen.reloads

        store.renew_lease(sid, "interview-app", theme_id="plan")  # the heartbeat, at another theme
        await wait_for(pilot, lambda: screen.reloads > reloads)
        assert str(themes.get_row_at(1)[0]) == "▸ Plan" and themes.cursor_row == 1
        assert "nu bij Plan" in str(screen.query_one("#review-header").render())
        assert cleared == ["review-themes"]  # answers, notes and finish tables left alone

        cleared.clear()
        save(store, sid, "toegang.wachten", value="nee")  # a real change is shown as before
        await wait_for(pilot, lambda: answers.row_count == 2)
        assert {"review-answers", "review-notes", "finish-no-toelichting"} <= set(cleared)


async def test_picker_keeps_its_rows_on_a_heartbeat(
        store: Store, db_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, sessions = setup_case(store, mini, perspectives=["inwoner"])
    sid = sessions["inwoner"].id
    store.claim_session(sid, "interview-app", interviewer="Ilse")
    app = ReviewApp(db_path, reviewer_name="Rob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SessionPickScreen)
        table = picker.query_one(DataTable)
        cleared = count_clears(monkeypatch, [table])
        seen = picker._seen_version  # the picker's own connection's count of others' commits
        store.renew_lease(sid, "interview-app", theme_id="plan")
        await wait_for(pilot, lambda: picker._seen_version != seen)  # read again
        assert not cleared and table.row_count == 1
        save(store, sid, "plan.wie", value="Samen")  # one more answer: the row is redrawn
        await wait_for(pilot, lambda: str(table.get_row_at(0)[-1]) == "1")
        assert cleared == ["pick-sessions"]
