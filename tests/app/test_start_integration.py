"""From the start screen to the other roles: review, feedback meeting and export, by keys."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from feedback_support import ROUND_ONE, make_round
from review_data import answer_all
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Static

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.feedback import FeedbackScreen
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.review import ReviewScreen, SessionPickScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.app.screens.start_dialogs import ExportDialog, FeedbackDialog, ReviewerNameModal
from zet_tui.core.store import Session, Store

SIZE = (120, 40)


async def ready(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot: Pilot[None], screen_type: type, what: str) -> None:
    for _ in range(50):
        if isinstance(pilot.app.screen, screen_type):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{what} did not open; on screen: {pilot.app.screen!r}")


def messages(app: ZetApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_review_of_the_highlighted_open_session(db_path: Path, mini_paths: list[Path],
                                                      open_session: Session, store: Store) -> None:
    answer_all(store, open_session.id, only=["toegang"])
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        assert app.focused is not None and app.focused.id == "open-sessions"
        await pilot.press("ctrl+r")
        await wait_for(pilot, ReviewerNameModal, "the name dialog")
        await pilot.press("enter")  # no name: refused, the dialog stays
        assert isinstance(app.screen, ReviewerNameModal)
        await pilot.press(*"Rita", "enter")
        await wait_for(pilot, ReviewScreen, "the review screen")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.session_id == open_session.id and review.reviewer_name == "Rita"
        await pilot.pause()
        header = str(review.query_one("#review-header", Static).render())
        assert "Review · Rita" in header and "interviewer Anna" in header and "2 antwoorden" in header
        code = store.case(open_session.case_id).code  # type: ignore[union-attr]
        assert f"casus {code}" in header
        answers = review.query_one("#review-answers", DataTable)
        assert answers.row_count == 2  # the two answered toegang questions
        # A flag from the reviewer lands in the shared database with her name.
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"vraag door op wachten", "enter")
        await pilot.pause()
        [flag] = store.notes(open_session.id)
        assert (flag.kind, flag.text, flag.author) == ("flag", "vraag door op wachten", "Rita")
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")
        assert app.screen is start


async def test_review_picks_any_session_and_remembers_the_name(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    store.finish_session(open_session.id)  # finished: not in the open list, still reviewable
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not app.screen.query_one("#open-sessions").display
        await pilot.press("ctrl+r")
        await wait_for(pilot, SessionPickScreen, "the session list")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, ReviewerNameModal, "the name dialog")
        await pilot.press(*"Rita", "enter")
        await wait_for(pilot, ReviewScreen, "the review screen")
        assert app.screen.session_id == open_session.id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")
        # The second time the name is already filled in.
        await pilot.press("ctrl+r")
        await wait_for(pilot, SessionPickScreen, "the session list")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, ReviewerNameModal, "the name dialog")
        assert app.screen.query_one(Input).value == "Rita"
        await pilot.press("escape")  # cancelled: back on the start screen, nothing opened
        await wait_for(pilot, StartScreen, "the start screen")


async def test_feedback_meeting_for_the_chosen_evaluation(db_path: Path, mini_paths: list[Path],
                                                          store: Store) -> None:
    make_round(store, "Ronde 0", ROUND_ONE)
    ev = make_round(store, "Ronde 1", ROUND_ONE)
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#evaluation").value = ev.id  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+f")
        await wait_for(pilot, FeedbackDialog, "the feedback dialog")
        dialog = app.screen
        assert dialog.evaluation_id() == ev.id  # type: ignore[attr-defined]
        await pilot.press("enter")  # without a name nothing opens
        assert isinstance(app.screen, FeedbackDialog)
        assert "naam" in str(dialog.query_one("#dialog-error", Static).render())
        await pilot.press(*"Analist Anna", "enter")
        await wait_for(pilot, FeedbackScreen, "the feedback screen")
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert feedback.evaluation_id == ev.id and feedback.actor == "Analist Anna"
        await pilot.pause()
        findings = feedback.query_one("#findings", DataTable)
        assert [str(findings.get_row_at(r)[0]) for r in range(findings.row_count)] == ["F1", "F2"]
        assert "Ronde 1" in str(feedback.query_one("#feedback-meeting", Static).render())
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")


async def test_export_writes_a_folder_in_a_worker(db_path: Path, mini_paths: list[Path],
                                                  open_session: Session, store: Store,
                                                  tmp_path: Path) -> None:
    answer_all(store, open_session.id)
    target = tmp_path / "uit"
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # Reachable from the command palette as well as by ctrl+e.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"exporteren")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, ExportDialog, "the export dialog")
        dialog = app.screen
        root = dialog.query_one("#dialog-root", Input)
        assert root.value == str(Path.cwd() / "exports")  # like `zet export`
        root.value = str(target)
        await pilot.click("#dialog-ok")
        await wait_for(pilot, StartScreen, "the start screen")
        await ready(pilot)
        [folder] = target.iterdir()
        assert folder.name == "evaluatie-testdorp"
        names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert {"index.md", "evaluatierapport.md", "antwoorden.csv", "antwoorden.xlsx",
                "export.json"} <= names
        with (folder / "antwoorden.csv").open(encoding="utf-8-sig", newline="") as fh:
            assert len(list(csv.DictReader(fh))) == 5
        assert any("Export klaar" in m and str(folder) in m for m in messages(app))
        assert not app.screen.query_one("#export-status").display
        # A second export never overwrites the first; pseudonymised gets its own suffix.
        await pilot.press("ctrl+e")
        await wait_for(pilot, ExportDialog, "the export dialog")
        app.screen.query_one("#dialog-root", Input).value = str(target)
        app.screen.query_one("#dialog-pseudo", Checkbox).value = True
        await pilot.click("#dialog-ok")
        await wait_for(pilot, StartScreen, "the start screen")
        await ready(pilot)
        assert sorted(p.name for p in target.iterdir()) == [
            "evaluatie-testdorp", "evaluatie-testdorp-gepseudonimiseerd"]


async def test_export_problems_are_notifications(db_path: Path, mini_paths: list[Path],
                                                 open_session: Session, tmp_path: Path) -> None:
    blocker = tmp_path / "bestand.txt"
    blocker.write_text("geen map")
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, ExportDialog, "the export dialog")
        root = app.screen.query_one("#dialog-root", Input)
        # A file as the folder is refused in the dialog itself.
        root.value = str(blocker)
        await pilot.click("#dialog-ok")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "geen map" in str(app.screen.query_one("#dialog-error", Static).render())
        # A folder below a file only fails when writing: an error notification, no crash.
        root.value = str(blocker / "sub")
        root.focus()
        await pilot.press("enter")  # Enter in the field confirms as well
        await wait_for(pilot, StartScreen, "the start screen")
        await ready(pilot)
        failed = [m for m in messages(app) if m.startswith("Export mislukt")]
        assert failed and "kan map niet aanmaken" in failed[0]
        assert app.is_running


async def test_without_evaluations_feedback_and_export_explain(db_path: Path,
                                                               mini_paths: list[Path]) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key in ("ctrl+f", "ctrl+e"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
        assert sum("nog geen evaluatie" in m for m in messages(app)) == 2


async def test_the_newest_evaluation_is_preselected(db_path: Path, mini_paths: list[Path],
                                                   store: Store) -> None:
    store.create_evaluation("Ronde 2025", "Testdorp")
    time.sleep(0.01)  # creation stamps have millisecond precision: keep the order unambiguous
    newest = store.create_evaluation("Ronde 2026", "Testdorp")
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        select = app.screen.query_one("#evaluation")
        assert select.value == newest.id  # type: ignore[attr-defined]
        assert not app.screen.query_one("#new-evaluation").display
        # A deliberate choice for a new evaluation survives a visit to another screen.
        select.value = "__new__"  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await wait_for(pilot, ExportDialog, "the export dialog")
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")
        await pilot.pause()
        assert app.screen.query_one("#evaluation").value == "__new__"  # type: ignore[attr-defined]
        assert app.screen.query_one("#new-evaluation").display


async def test_reviewer_and_analyst_names_are_kept_apart(db_path: Path, mini_paths: list[Path],
                                                         open_session: Session) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, ReviewerNameModal, "the name dialog")
        await pilot.press(*"Rita", "enter")
        await wait_for(pilot, ReviewScreen, "the review screen")
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")
        await pilot.press("ctrl+f")
        await wait_for(pilot, FeedbackDialog, "the feedback dialog")
        assert app.screen.query_one("#dialog-actor", Input).value == ""


async def test_open_sessions_stay_pickable_after_a_dialog(db_path: Path, mini_paths: list[Path],
                                                          open_session: Session) -> None:
    """Back on the start screen from a dialog (its lists are refilled), ctrl+o and Enter
    still open the highlighted session: refilling the list must not leave nothing
    highlighted, where Enter does nothing at all."""
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, ExportDialog, "the export dialog")
        await pilot.press("escape")
        await wait_for(pilot, StartScreen, "the start screen")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, InterviewScreen, "the interview")
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.session.id == open_session.id


async def test_what_is_typed_after_tab_goes_to_the_field_tab_leads_to(
        db_path: Path, mini_paths: list[Path]) -> None:
    """All keys queued at once, as a fast typist or tmux sends them: Tab from a text field,
    from two drop-down lists and from a checkbox; backspace and space before a Tab still
    act where they were typed. Before, the names typed after Tab ended in the case code."""
    from textual import events

    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        start = app.screen
        for field in ("interviewer", "co-interviewer"):
            start.query_one(f"#{field}", Input).value = ""
        start.set_focus(start.query_one("#case-code", Input))
        await pilot.pause()
        keys: list[tuple[str, str | None]] = [
            *((c, c) for c in "K-9x"), ("backspace", None), ("tab", None),  # to perspective
            ("tab", None), ("tab", None),  # past the questionnaire list, to the interviewer
            *((c, c) for c in "Eva"), ("tab", None), *((c, c) for c in "Rita"),
            ("tab", None), ("space", " "), ("tab", None), *((c, c) for c in "inwoner")]
        assert app._driver is not None
        for key, char in keys:
            app._driver.send_message(events.Key(key, char))
        await pilot.pause(0.3)
        values = {f: start.query_one(f"#{f}", Input).value
                  for f in ("case-code", "interviewer", "co-interviewer", "consent-by")}
        assert values == {"case-code": "K-9", "interviewer": "Eva", "co-interviewer": "Rita",
                          "consent-by": "inwoner"}
        assert start.query_one("#consent", Checkbox).value
