"""The feedback-meeting screen: record a reaction, an improvement point, its status and the meeting."""

from __future__ import annotations

from pathlib import Path

from feedback_support import ROUND_ONE, make_round
from textual.app import App
from textual.widgets import DataTable, Input, Static

from zet_tui.app.feedback_app import FeedbackApp
from zet_tui.app.screens.feedback import (
    FeedbackScreen,
    ImprovementModal,
    MeetingModal,
    ReactionModal,
    StatusModal,
)
from zet_tui.core.store import Store

SIZE = (150, 45)


def rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


async def test_record_reaction_and_improvement_point(store: Store, db_path: Path) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    app = FeedbackApp(db_path, eid, actor="Analist Anna")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        findings = screen.query_one("#findings", DataTable)
        assert [r[0] for r in rows(findings)] == ["F1", "F2"]
        assert rows(findings)[0][2] == "nog niet besproken"

        # reaction on F2: deels, with an explanation
        await pilot.press("down", "r")
        modal = app.screen
        assert isinstance(modal, ReactionModal) and modal.finding.label == "F2"
        await pilot.press("enter")  # nothing chosen yet: refused with a message
        assert isinstance(app.screen, ReactionModal)
        assert "Kies ja, deels of nee" in str(modal.query_one("#form-error", Static).render())
        await pilot.click("#reaction-deels")
        modal.query_one("#explanation", Input).value = "Alleen bij jongeren"
        await pilot.click("#form-save")
        await pilot.pause()
        assert app.screen is screen
        assert rows(findings)[1][2] == "deels herkend" and rows(findings)[1][4] == "Alleen bij jongeren"
        detail = str(screen.query_one("#finding-detail", Static).render())
        assert detail.startswith("F2: Verschil tussen inwoner en professional")
        assert "deels herkend: Alleen bij jongeren" in detail
        f2 = store.findings(eid)[1]
        assert (f2.recognised, f2.explanation) == ("deels", "Alleen bij jongeren")
        event = [e for e in store.evaluation_events(eid) if e.kind == "finding_reaction"][-1]
        assert event.actor == "Analist Anna"

        # improvement point linked to the finding under the cursor; a bad date is caught in the form
        await pilot.press("v")
        form = app.screen
        assert isinstance(form, ImprovementModal)
        assert form.query_one("#improvement-findings", Input).value == "F2"
        assert form.query_one("#improvement-themes", Input).value == "toegang"
        form.query_one("#improvement-text", Input).value = "Uitleg op maat voor jongeren"
        form.query_one("#improvement-owner", Input).value = "Jeugdteam"
        form.query_one("#improvement-due", Input).value = "eind 2026"
        await pilot.press("enter")
        assert isinstance(app.screen, ImprovementModal)
        assert "dd-mm-jjjj" in str(form.query_one("#form-error", Static).render())
        form.query_one("#improvement-due", Input).value = "31-12-2026"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        improvements = screen.query_one("#improvements", DataTable)
        assert rows(improvements) == [["V1", "open", "31-12-2026", "Uitleg op maat voor jongeren", "Jeugdteam",
                                       "F2"]]
        (point,) = store.improvements(eid)
        assert point.findings == (f2.id,) and point.owner == "Jeugdteam" and point.themes == ("toegang",)
        assert point.due == "2026-12-31"

        # its status, then the meeting itself
        await pilot.press("s")
        assert isinstance(app.screen, StatusModal)
        await pilot.click("#status-in_uitvoering")
        await pilot.click("#form-save")
        await pilot.pause()
        assert rows(improvements)[0][1] == "in uitvoering"
        history = store.improvement_history(point.id)
        assert [e.new.get("status") for e in history[1:]] == ["in_uitvoering"]

        await pilot.press("m")
        meeting = app.screen
        assert isinstance(meeting, MeetingModal)
        meeting.query_one("#meeting-date", Input).value = "2025-09-18"
        meeting.query_one("#meeting-attendees", Input).value = "Wethouder, Jeugdteam"
        await pilot.press("enter")
        await pilot.pause()
        assert [m.attendees for m in store.meetings(eid)] == [("Wethouder", "Jeugdteam")]
        assert "18-09-2025 (Wethouder, Jeugdteam)" in str(screen.query_one("#feedback-meeting", Static).render())


async def test_escape_cancels_a_form_without_writing(store: Store, db_path: Path) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    app = FeedbackApp(db_path, eid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        assert isinstance(app.screen, ReactionModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("s")  # no improvement points yet: a notice, no dialog
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
    assert all(f.recognised is None for f in store.findings(eid))
    assert not [e for e in store.evaluation_events(eid) if e.kind == "finding_reaction"]


async def test_typed_brackets_are_shown_literally(store: Store, db_path: Path) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    hostile = "Wachten [/b] [bold]lang[/bold] \\[x]"
    app = FeedbackApp(db_path, eid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        app.screen.query_one("#finding-text", Input).value = hostile
        await pilot.press("enter")
        await pilot.pause()
        findings = screen.query_one("#findings", DataTable)
        assert rows(findings)[2][3] == hostile
        await pilot.press("down", "down", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReactionModal) and app.screen.finding.finding.text == hostile
        await pilot.press("escape")
        await pilot.press("m")
        app.screen.query_one("#meeting-date", Input).value = "2025-01-01"
        app.screen.query_one("#meeting-attendees", Input).value = "[/i]Jan"
        await pilot.press("enter")
        await pilot.pause()
        assert "[/i]Jan" in str(screen.query_one("#feedback-meeting", Static).render())


async def test_screen_can_be_pushed_onto_any_app(store: Store, db_path: Path) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(FeedbackScreen(db_path, eid))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        assert screen.query_one("#findings", DataTable).row_count == 2
        assert "nog geen bijeenkomst" in str(screen.query_one("#feedback-meeting", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FeedbackScreen)
