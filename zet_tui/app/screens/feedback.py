"""The feedback meeting on screen: findings with their reactions, attendance, improvement points.

The analyst runs this during (or right after) the meeting with the
municipality. The screen opens its own `Store` on the database file, so it can
be pushed onto any App that knows the path; every write goes through
`zet_tui.core.feedback` and lands in the audit log with the analyst's name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, RadioSet, Static

from zet_tui.app.literal import literal, literal_line
from zet_tui.app.palette import ScreenKeys
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.app.widgets.toggles import RadioButton
from zet_tui.core.dutch import format_date
from zet_tui.core.feedback import (
    KIND_LABELS,
    REACTION_LABELS,
    REACTIONS,
    STATUS_LABELS,
    FeedbackError,
    MeetingOutcome,
    NumberedFinding,
    add_analyst_finding,
    add_improvement_point,
    meeting_outcome,
    parse_attendees,
    parse_date,
    record_meeting,
)
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.store import IMPROVEMENT_STATUSES, Store, StoreError
from zet_tui.core.wording import short

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 84; max-width: 100%; height: auto; padding: 0 1;
    /* The largest form (a new improvement point) just fits 24 lines; taller, it scrolls. */
    max-height: 100%; overflow-y: auto;
    border: thick $accent; background: $surface;
}}
{name} Label {{ width: 100%; }}  /* long texts wrap instead of running off the edge */
{name} RadioSet {{ layout: horizontal; width: 100%; }}
{name} .buttons {{ height: auto; margin-top: 1; }}
{name} .error {{ color: $text-error; height: auto; }}
"""


def plain(*cells: str) -> list[Text]:
    """Table cells as literal text: typed brackets must never be read as Rich markup."""
    return [literal_line(c) for c in cells]


class _Form(ModalScreen[object]):
    """Shared behaviour of the small forms: Escape cancels, Enter or Opslaan saves."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    def buttons(self) -> ComposeResult:
        yield Static("", classes="error", id="form-error", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Opslaan", variant="primary", id="form-save")
            yield Button("Annuleren", id="form-cancel")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.save()
        else:
            self.dismiss(None)

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(literal(message))

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def save(self) -> None:
        raise NotImplementedError


class ReactionModal(_Form):
    """Recognised ja / deels / nee, with the participants' explanation."""

    DEFAULT_CSS = MODAL_CSS.format(name="ReactionModal")

    def __init__(self, finding: NumberedFinding) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        current = self.finding.finding.recognised
        with Vertical():
            yield Label(literal(f"{self.finding.label}: {short(self.finding.finding.text, 200)}"))
            yield Label("Herkennen de deelnemers dit?")
            with RadioSet(id="reaction"):
                for value in REACTIONS:
                    yield RadioButton(REACTION_LABELS[value], value=value == current, id=f"reaction-{value}")
            yield Label("Uitleg van de deelnemers")
            yield Input(terminal_safe(self.finding.finding.explanation), placeholder="hun verklaring",
                        id="explanation")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#explanation", Input).focus()

    def save(self) -> None:
        index = self.query_one("#reaction", RadioSet).pressed_index
        if index < 0:
            self.error("Kies ja, deels of nee.")
            return
        self.dismiss((REACTIONS[index], self.value("explanation")))


class ImprovementModal(_Form):
    """A new improvement point: text, owner, deadline, linked findings and themes."""

    DEFAULT_CSS = MODAL_CSS.format(name="ImprovementModal")

    def __init__(self, finding_label: str = "", theme: str = "") -> None:
        super().__init__()
        self.finding_label = finding_label
        self.theme = theme

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Nieuw verbeterpunt")
            yield Input(placeholder="wat gaat er beter?", id="improvement-text")
            yield Input(placeholder="eigenaar", id="improvement-owner")
            yield Input(placeholder="deadline dd-mm-jjjj (mag leeg)", id="improvement-due")
            yield Input(terminal_safe(self.finding_label), placeholder="bevindingen, bijv. F1, F3",
                        id="improvement-findings")
            yield Input(terminal_safe(self.theme), placeholder="thema's (id of titel), gescheiden door komma's",
                        id="improvement-themes")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#improvement-text", Input).focus()

    def save(self) -> None:
        text = self.value("improvement-text")
        if not text:
            self.error("Beschrijf het verbeterpunt.")
            return
        due = self.value("improvement-due")
        try:
            due_iso = parse_date(due) if due else None
        except FeedbackError as exc:
            self.error(str(exc))
            return
        findings = parse_attendees(self.value("improvement-findings"))
        themes = parse_attendees(self.value("improvement-themes"))
        self.dismiss((text, self.value("improvement-owner"), due_iso, findings, themes))


class StatusModal(_Form):
    DEFAULT_CSS = MODAL_CSS.format(name="StatusModal")

    def __init__(self, label: str, text: str, status: str) -> None:
        super().__init__()
        self.label, self.text, self.status = label, text, status

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(f"{self.label}: {short(self.text, 200)}"))
            with RadioSet(id="status"):
                for value in IMPROVEMENT_STATUSES:
                    yield RadioButton(STATUS_LABELS[value], value=value == self.status, id=f"status-{value}")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#status", RadioSet).focus()

    def save(self) -> None:
        index = self.query_one("#status", RadioSet).pressed_index
        if index < 0:
            self.error("Kies een status.")
            return
        self.dismiss(IMPROVEMENT_STATUSES[index])


class MeetingModal(_Form):
    """Date, attendance and notes of the meeting."""

    DEFAULT_CSS = MODAL_CSS.format(name="MeetingModal")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Bijeenkomst vastleggen")
            yield Input(placeholder="datum dd-mm-jjjj", id="meeting-date")
            yield Input(placeholder="aanwezig: namen gescheiden door komma's", id="meeting-attendees")
            yield Input(placeholder="notities (mag leeg)", id="meeting-notes")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#meeting-date", Input).focus()

    def save(self) -> None:
        try:
            held_at = parse_date(self.value("meeting-date"))
        except FeedbackError as exc:
            self.error(str(exc))
            return
        attendees = parse_attendees(self.value("meeting-attendees"))
        if not attendees:
            self.error("Noem wie er aanwezig waren.")
            return
        self.dismiss((held_at, attendees, self.value("meeting-notes")))


class FindingModal(_Form):
    DEFAULT_CSS = MODAL_CSS.format(name="FindingModal")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Eigen bevinding van de analist")
            yield Input(placeholder="bevinding", id="finding-text")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#finding-text", Input).focus()

    def save(self) -> None:
        text = self.value("finding-text")
        if not text:
            self.error("Schrijf de bevinding op.")
            return
        self.dismiss(text)


class FeedbackScreen(Screen[None]):
    """Findings with reactions on top, improvement points below; keys open the forms."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenKeys}
    DEFAULT_CSS = """
    FeedbackScreen #feedback-meeting { height: auto; padding: 0 1; }
    FeedbackScreen .feedback-title { text-style: bold; padding: 1 1 0 1; }
    FeedbackScreen DataTable { height: 1fr; }
    FeedbackScreen #finding-detail { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "react", "Reactie", id="feedback-react",
                tooltip="Reactie op de gekozen bevinding: herkend of niet, met uitleg"),
        Binding("a", "add_finding", "Bevinding", id="feedback-finding",
                tooltip="Eigen bevinding toevoegen"),
        Binding("v", "add_improvement", "Verbeterpunt", id="feedback-improvement",
                tooltip="Nieuw verbeterpunt (eigenaar, deadline, bevindingen)"),
        Binding("s", "status", "Status", id="feedback-status",
                tooltip="Status van het gekozen verbeterpunt"),
        Binding("m", "meeting", "Bijeenkomst", id="feedback-meeting",
                tooltip="Terugkoppelbijeenkomst vastleggen: datum, aanwezigen, notities"),
        Binding("escape", "close", "Terug", id="feedback-close"),
    ]
    HELP_SECTION = "terugkoppeling"

    def __init__(self, db_path: str | Path, evaluation_id: str, *, actor: str = "") -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.evaluation_id = evaluation_id
        self.actor = actor or "zet feedback app"
        self.store: Store | None = None
        self.outcome: MeetingOutcome | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="feedback-meeting", markup=False)
        yield Static("Bevindingen (r: reactie, a: eigen bevinding)", classes="feedback-title")
        yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield Static("", id="finding-detail", markup=False)
        yield Static("Verbeterpunten (v: nieuw, s: status)", classes="feedback-title")
        yield DataTable(id="improvements", cursor_type="row", zebra_stripes=True)
        yield FitFooter()

    def on_mount(self) -> None:
        self.store = Store.open(self.db_path, create=False)
        findings = self.query_one("#findings", DataTable)
        # The state columns before the long text: on screen at 80 and 120 columns too.
        findings.add_columns("Nr.", "Soort", "Herkend", "Bevinding", "Uitleg")
        improvements = self.query_one("#improvements", DataTable)
        improvements.add_columns("Nr.", "Status", "Deadline", "Verbeterpunt", "Eigenaar", "Bevindingen")
        self._reload(sync=True)
        findings.focus()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- data ------------------------------------------------------------------
    def _reload(self, *, sync: bool = False) -> None:
        assert self.store is not None
        try:
            self.outcome = meeting_outcome(self.store, self.evaluation_id, sync=sync, actor=self.actor)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        o = self.outcome
        meetings = "; ".join(f"{format_date(m.held_at)} ({', '.join(m.attendees)})" for m in o.meetings)
        self.query_one("#feedback-meeting", Static).update(literal(
            f"{o.evaluation.name} — terugkoppelbijeenkomst: "
            + (meetings if meetings else "nog geen bijeenkomst vastgelegd (m)")))
        findings = self.query_one("#findings", DataTable)
        row = findings.cursor_row
        findings.clear()
        for f in o.findings:
            findings.add_row(*plain(f.label, KIND_LABELS.get(f.finding.kind, f.finding.kind),
                                    f.reaction_label,
                                    short(f.finding.text) + ("" if f.current else " (niet meer actueel)"),
                                    short(f.finding.explanation, 40)), key=f.finding.id)
        if o.findings:
            findings.move_cursor(row=min(row, len(o.findings) - 1))
        self._show_detail()
        improvements = self.query_one("#improvements", DataTable)
        row = improvements.cursor_row
        improvements.clear()
        for i in o.improvements:
            imp = i.improvement
            improvements.add_row(*plain(i.label, i.status_label, format_date(imp.due), short(imp.text),
                                        imp.owner, ", ".join(i.finding_labels)), key=imp.id)
        if o.improvements:
            improvements.move_cursor(row=min(row, len(o.improvements) - 1))

    def _write(self, change: Callable[[Store], object]) -> None:
        """Run one write through the core; a refusal shows as a notification, not a crash."""
        assert self.store is not None
        try:
            change(self.store)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "findings":
            self._show_detail()

    def _show_detail(self) -> None:
        """The full text of the highlighted finding: the table cuts long findings short."""
        f = self._current_finding()
        text = ""
        if f is not None:
            text = f"{f.label}: {f.finding.text}"
            if f.finding.explanation:
                text += f"\n{f.reaction_label}: {f.finding.explanation}"
        self.query_one("#finding-detail", Static).update(literal(text))

    def _current_finding(self) -> NumberedFinding | None:
        if self.outcome is None or not self.outcome.findings:
            return None
        row = self.query_one("#findings", DataTable).cursor_row
        return self.outcome.findings[row] if 0 <= row < len(self.outcome.findings) else None

    # -- actions ---------------------------------------------------------------
    def action_react(self) -> None:
        finding = self._current_finding()
        if finding is None:
            self.notify("Er zijn nog geen bevindingen.", severity="warning")
            return

        def done(result: object) -> None:
            if isinstance(result, tuple):
                recognised, explanation = result
                self._write(lambda st: st.record_reaction(finding.finding.id, recognised, explanation,
                                                          actor=self.actor))

        self.app.push_screen(ReactionModal(finding), done)

    def action_add_finding(self) -> None:
        def done(result: object) -> None:
            if isinstance(result, str):
                self._write(lambda st: add_analyst_finding(st, self.evaluation_id, result, actor=self.actor))

        self.app.push_screen(FindingModal(), done)

    def action_add_improvement(self) -> None:
        finding = self._current_finding()

        def done(result: object) -> None:
            if isinstance(result, tuple):
                text, owner, due, findings, themes = result
                self._write(lambda st: add_improvement_point(st, self.evaluation_id, text, owner=owner, due=due,
                                                             findings=findings, themes=themes,
                                                             actor=self.actor))

        self.app.push_screen(ImprovementModal(finding.label if finding else "",
                                              (finding.theme_id or "") if finding else ""), done)

    def action_status(self) -> None:
        if self.outcome is None or not self.outcome.improvements:
            self.notify("Er zijn nog geen verbeterpunten (v: nieuw).", severity="warning")
            return
        row = self.query_one("#improvements", DataTable).cursor_row
        item = self.outcome.improvements[max(0, min(row, len(self.outcome.improvements) - 1))]

        def done(result: object) -> None:
            if isinstance(result, str):
                self._write(lambda st: st.update_improvement(item.improvement.id, status=result, actor=self.actor))

        self.app.push_screen(StatusModal(item.label, item.improvement.text, item.improvement.status), done)

    def action_meeting(self) -> None:
        def done(result: object) -> None:
            if isinstance(result, tuple):
                held_at, attendees, notes = result
                self._write(lambda st: record_meeting(st, self.evaluation_id, held_at, attendees, notes,
                                                      actor=self.actor))

        self.app.push_screen(MeetingModal(), done)

    def action_close(self) -> None:
        self.dismiss(None)
