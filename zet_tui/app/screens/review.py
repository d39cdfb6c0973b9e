"""Review mode: the second person of the interview pair follows a live session.

The screen opens its own `Store` on the database file (a connection belongs to
one thread, and the reviewer usually runs in another process than the
interviewer), so it can be pushed onto any App. It polls `PRAGMA data_version`
twice a second and reloads only when another connection committed: cheap
enough to run for a whole interview, fast enough that an answer shows up well
within a second of being saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static, TabbedContent, TabPane

from zet_tui.app.fit import Part, fit_parts
from zet_tui.app.literal import literal, literal_line
from zet_tui.app.palette import ScreenKeys
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.app.widgets.review_note import SESSION_TARGET, NoteDraft, NoteModal
from zet_tui.core.answers import Answer
from zet_tui.core.coverage import (
    DONE,
    SKIPPED,
    STATE_LABELS,
    STATE_MARKS,
    SessionCoverage,
    is_covered,
    perspective_label,
    session_coverage,
)
from zet_tui.core.dutch import format_timestamp, format_value
from zet_tui.core.interview import visible_questions
from zet_tui.core.lease import Lease
from zet_tui.core.questionnaire import Question
from zet_tui.core.safe_text import one_line
from zet_tui.core.store import Note, Session, SessionSummary, Store, StoreError
from zet_tui.core.vocab import STATUS_LABELS, AnswerStatus
from zet_tui.core.wording import count, short

POLL_SECONDS = 0.5
MAX_ANSWER_ROWS = 60


def local_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return stamp


def local_datetime(stamp: str | None) -> str:
    return format_timestamp(stamp, empty="")


def answer_text(question: Question | None, answer: Answer) -> str:
    """The answer as the reviewer reads it: the scale label, the typed value or the status."""
    if answer.status == AnswerStatus.ANSWERED:
        if question is not None and question.is_scaled and answer.score is not None:
            point = question.scale_def.point(answer.score)
            if point is None:
                return str(answer.score)
            return point.label if point.text == point.label else f"{point.label} ({point.text})"
        return format_value(question.type, answer.value) if question is not None else answer.value or ""
    label = STATUS_LABELS.get(str(answer.status), str(answer.status))
    if answer.status == AnswerStatus.NIET_BESPROKEN:
        return f"{label}: {answer.reason}" if answer.reason else f"{label} (zonder reden)"
    return label


def session_state(s: SessionSummary) -> str | Text:
    """The status cell of a session in a pick list: running, finished, or damaged."""
    if s.damaged:
        return Text("beschadigd", style="bold red")
    return Text("loopt", style="bold green") if s.status == "open" else s.status


def state_text(state: str, done: int | None = None, total: int | None = None) -> Text:
    style = {"done": "green", "partly": "yellow", "skipped": "magenta"}.get(state, "red")
    label = f"{STATE_MARKS[state]} {STATE_LABELS[state]}"
    if total:
        label += f" {done}/{total}"
    return Text(label, style=style)


def fill_table(table: DataTable[str | Text], rows: Sequence[tuple[str, Sequence[str | Text]]], *,
               follow_top: bool = False) -> None:
    """Replace all rows but keep the cursor on the same row key, so a live refresh does not jump.

    With `follow_top` a cursor on the first row stays on the first row: whoever
    watches the newest answer keeps seeing the newest one as answers come in.
    """
    keep: str | None = None
    rows = [(key, [literal_line(c) if isinstance(c, str) else c for c in cells])
            for key, cells in rows]  # stored text: never markup, controls shown
    if table.row_count and 0 <= table.cursor_row < table.row_count:
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    old_row = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if not rows:
        return
    keys = [k for k, _ in rows]
    target = keys.index(keep) if keep in keys else min(old_row, len(rows) - 1)
    if follow_top and old_row == 0:
        target = 0
    table.move_cursor(row=max(target, 0), animate=False)


class LiveStore:
    """A screen with its own Store connection that reloads when another connection commits.

    Both review screens poll `PRAGMA data_version` (cheap) and re-read only on a change.
    """

    store: Store | None
    _seen_version: int | None

    def reload(self) -> None:
        raise NotImplementedError

    def on_poll_error(self, exc: sqlite3.Error) -> None:
        """A transient read problem: by default the next tick simply tries again."""

    def poll(self) -> None:
        if self.store is None:
            return
        try:
            changed = self.store.data_version() != self._seen_version
        except sqlite3.Error as exc:
            self.on_poll_error(exc)
            return
        if changed:
            self.reload()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


class ReviewScreen(LiveStore, Screen[None]):
    """Live coverage, incoming answers, notes and flags, and the post-interview sign-off."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenKeys}
    DEFAULT_CSS = """
    ReviewScreen { overflow: hidden; }
    ReviewScreen #review-header { height: auto; padding: 0 1; background: $boost;
                                  text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-tabs { height: 1fr; }
    ReviewScreen #review-tabs > ContentSwitcher { height: 1fr; }
    ReviewScreen TabPane { height: 1fr; padding: 0; }
    ReviewScreen #live-top { height: 2fr; }
    ReviewScreen #themes-pane { width: 2fr; }
    ReviewScreen #answers-pane { width: 3fr; }
    ReviewScreen .pane-title { text-style: bold; padding: 0 1; height: 1; }
    ReviewScreen DataTable { height: 1fr; }
    ReviewScreen #answer-detail { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    ReviewScreen #notes-pane { height: 1fr; }
    ReviewScreen #finish-scroll DataTable { height: auto; max-height: 14; }
    ReviewScreen #finish-status { padding: 0 1; height: auto; }
    ReviewScreen #mark-reviewed { margin: 1 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "add_flag", "Doorvraag-vlag", id="review-flag"),
        Binding("n", "add_note", "Notitie", id="review-note"),
        Binding("x", "toggle_handled", "Vlag afgehandeld", id="review-handled"),
        Binding("a", "show_finish", "Afronden review", id="review-finish"),
        Binding("l", "show_live", "Live", id="review-live"),
        Binding("g", "mark_reviewed", "Markeer gereviewd", id="review-mark"),
        Binding("escape", "close", "Terug", id="review-close"),
    ]
    #: Footer labels at 80 columns, where every key above still shows (see FitFooter).
    SHORT_LABELS: ClassVar[dict[str, str]] = {
        "add_flag": "Vlag", "toggle_handled": "Afgehandeld", "show_finish": "Afronden",
        "mark_reviewed": "Gereviewd"}
    HELP_SECTION = "review"

    def __init__(self, store_path: str | Path, session_id: str, reviewer_name: str) -> None:
        super().__init__()
        self.store_path = Path(store_path)
        self.session_id = session_id
        self.reviewer_name = reviewer_name.strip()
        self.store: Store | None = None
        self.session: Session | None = None
        self.case_code = ""
        self.answers: dict[str, Answer] = {}
        self.notes: list[Note] = []
        self.coverage: SessionCoverage | None = None
        #: The interview app's lease: where the interviewer is (None: no app writes now).
        self.lease: Lease | None = None
        self._followed_theme: str | None = None
        self._seen_version: int | None = None
        self._error: str = ""
        self.reloads = 0  # how many times data was reloaded (tests assert the poll is change-driven)
        #: Session, answers and notes as the tables show them (None: nothing shown yet).
        self._shown: tuple[Session, dict[str, Answer], list[Note]] | None = None
        self.renders = 0  # how many times the answers, notes and finish tables were refilled

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="review-header")
        with TabbedContent(initial="review-live", id="review-tabs"):
            with TabPane("Live", id="review-live"):
                with Horizontal(id="live-top"):
                    with Vertical(id="themes-pane"):
                        yield Static("Thema's", classes="pane-title")
                        yield DataTable(id="review-themes", cursor_type="row", zebra_stripes=True)
                    with Vertical(id="answers-pane"):
                        yield Static("Binnenkomende antwoorden (nieuwste boven)", classes="pane-title")
                        yield DataTable(id="review-answers", cursor_type="row", zebra_stripes=True)
                        yield Static("", id="answer-detail")
                with Vertical(id="notes-pane"):
                    yield Static("Notities en doorvraag-vlaggen (f: vlag, n: notitie, x: afgehandeld)",
                                 classes="pane-title")
                    yield DataTable(id="review-notes", cursor_type="row")
            with TabPane("Afronden", id="review-finish"), VerticalScroll(id="finish-scroll"):
                yield Static("", id="finish-status")
                yield Static("Open thema's", classes="pane-title")
                yield DataTable(id="finish-themes", cursor_type="row")
                yield Static("Open vlaggen", classes="pane-title")
                yield DataTable(id="finish-flags", cursor_type="row")
                yield Static("Antwoorden zonder toelichting", classes="pane-title")
                yield DataTable(id="finish-no-toelichting", cursor_type="row")
                yield Button("Markeer sessie als gereviewd (g)", variant="success", id="mark-reviewed")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#review-themes", DataTable).add_columns("Thema", "Status", "Vlaggen")
        self.query_one("#review-answers", DataTable).add_columns(
            "Tijd", "Thema", "Vraag", "Antwoord", "Toelichting")
        # Status and text first: at 80 and 120 columns they stay on screen (the place
        # and the author may run off the edge).
        self.query_one("#review-notes", DataTable).add_columns(
            "Soort", "Status", "Tekst", "Bij", "Door")
        self.query_one("#finish-themes", DataTable).add_columns("Thema", "Status", "Open vragen")
        self.query_one("#finish-flags", DataTable).add_columns("Bij", "Vlag", "Door", "Sinds")
        self.query_one("#finish-no-toelichting", DataTable).add_columns("Thema", "Vraag", "Antwoord")
        try:
            self.store = Store.open(self.store_path, create=False)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error", timeout=8)
            self.call_after_refresh(self.action_close)
            return
        try:
            self.session = self.store.session(self.session_id)
            self.session_id = self.session.id
            case = self.store.case(self.session.case_id)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error", timeout=8)
            self.call_after_refresh(self.action_close)
            return
        self.case_code = case.code if case else "?"
        self.reload()
        if self.coverage is None:  # the session cannot be read: the message is shown, go back
            self.call_after_refresh(self.action_close)
            return
        self.set_interval(POLL_SECONDS, self.poll, name="review-poll")
        self.query_one("#review-themes", DataTable).focus()

    # -- live data ---------------------------------------------------------------
    def on_poll_error(self, exc: sqlite3.Error) -> None:
        self._show_error(f"database niet leesbaar: {exc}")  # keep polling: the file may come back

    def reload(self) -> None:
        if self.store is None:
            return
        try:
            self._seen_version = self.store.data_version()
            session = self.store.session(self.session_id)
            answers = self.store.answers(self.session_id)
            notes = self.store.notes(self.session_id)
            lease = self.store.lease(self.session_id)
        except (StoreError, sqlite3.Error) as exc:
            self._show_error(str(exc))
            return
        self._error = ""
        self.reloads += 1
        self.lease = lease if lease is not None and not lease.is_free() else None
        # The interview app's heartbeat commits every few seconds: when only the lease
        # moved, refilling the answers, notes and finish tables would redo the same rows.
        shown = (session, answers, notes)
        changed = shown != self._shown
        if changed:
            self._shown = shown
            self.session, self.answers, self.notes = shown
            self.coverage = session_coverage(session, answers)
        self._render_header()
        self._render_themes()
        self._follow_interviewer()
        if changed:
            self.renders += 1
            self._render_answers()
            self._render_notes()
            self._render_finish()

    def _show_error(self, message: str) -> None:
        if message != self._error:
            self._error = message
            self.app.notify(message, severity="error", timeout=6)

    # -- rendering -----------------------------------------------------------------
    def _render_header(self) -> None:
        """Two lines at any width: who and what, then where the session stands; the parts
        at the end of a line are shortened first (see `fit_parts`)."""
        s, cov = self.session, self.coverage
        assert s is not None and cov is not None
        counts = cov.counts()
        done = counts[DONE]
        total = len(cov.themes)
        status = "loopt" if s.is_open else "afgerond"
        open_flags = sum(1 for n in self.notes if n.is_open_flag)
        skipped = f" ({counts[SKIPPED]} niet besproken)" if counts[SKIPPED] else ""
        title = f"Review · {self.reviewer_name}" if self.reviewer_name else "Review"
        who: list[Part] = [title, (f"casus {self.case_code}", self.case_code),
                           perspective_label(s.perspective), (s.questionnaire.title, "")]
        if s.interviewer:
            who.append((f"interviewer {s.interviewer}", s.interviewer, ""))
        state: list[Part] = []
        if (here := self.interviewer_theme()) is not None:
            state.append(f"nu bij {self._theme_title(here)}")
        state += [(f"sessie {s.id[:8]} {status}", status),
                  (f"thema's klaar {done}/{total}{skipped}", f"thema's {done}/{total}"),
                  (f"open vlaggen {open_flags}", f"vlaggen {open_flags}"),
                  (count(len(self.answers), "antwoord", "antwoorden"), "")]
        if s.reviewed_by:
            state.append((f"gereviewd door {s.reviewed_by} ({local_datetime(s.reviewed_at)})",
                          "gereviewd"))
        width = (self.size.width or self.app.size.width) - 2  # the header's padding
        first = fit_parts(who, width)  # starts with the title, as one_line shows it
        shown_title = one_line(title)
        self.query_one("#review-header", Static).update(Text.assemble(
            literal_line(shown_title, "bold"), literal_line(first[len(shown_title):]), "\n",
            literal_line(fit_parts(state, width))))

    def on_resize(self) -> None:
        if self.coverage is not None:
            self._render_header()

    def _flags_per_theme(self) -> dict[str, int]:
        assert self.session is not None
        out: dict[str, int] = {}
        for n in self.notes:
            if not n.is_open_flag:
                continue
            theme_id = n.theme_id
            if theme_id is None and n.question_id:
                q = self.session.questionnaire.question(n.question_id)
                theme_id = q.theme_id if q else None
            if theme_id:
                out[theme_id] = out.get(theme_id, 0) + 1
        return out

    def interviewer_theme(self) -> str | None:
        """The theme the interviewer is at now (from the interview app's heartbeat)."""
        if self.lease is None or self.session is None:
            return None
        tid = self.lease.theme_id
        return tid if tid and self.session.questionnaire.theme(tid) else None

    def _follow_interviewer(self) -> None:
        """When the interviewer moves to another theme, the theme cursor moves along, so a
        new note is about that theme unless the reviewer chose another row since."""
        here = self.interviewer_theme()
        if here is None or here == self._followed_theme or self.coverage is None:
            return
        self._followed_theme = here
        ids = [t.theme_id for t in self.coverage.themes]
        if here in ids:
            self.query_one("#review-themes", DataTable).move_cursor(row=ids.index(here),
                                                                    animate=False)

    def _render_themes(self) -> None:
        assert self.coverage is not None
        flags = self._flags_per_theme()
        here = self.interviewer_theme()
        rows: list[tuple[str, Sequence[str | Text]]] = [
            (t.theme_id, [f"▸ {t.title}" if t.theme_id == here else t.title,
                          state_text(t.state, t.done_count, t.total_count),
                          Text(f"⚑ {flags[t.theme_id]}", style="bold magenta")
                          if flags.get(t.theme_id) else ""])
            for t in self.coverage.themes
        ]
        fill_table(self.query_one("#review-themes", DataTable), rows)

    def _question(self, question_id: str | None) -> Question | None:
        if question_id is None or self.session is None:
            return None
        return self.session.questionnaire.question(question_id)

    def _theme_title(self, theme_id: str | None) -> str:
        if theme_id is None or self.session is None:
            return ""
        theme = self.session.questionnaire.theme(theme_id)
        return theme.title if theme else theme_id

    def _render_answers(self) -> None:
        newest = sorted(self.answers.values(), key=lambda a: a.updated, reverse=True)
        rows: list[tuple[str, Sequence[str | Text]]] = []
        for a in newest[:MAX_ANSWER_ROWS]:
            q = self._question(a.question_id)
            toelichting = short(a.toelichting) if a.toelichting else Text("(geen toelichting)",
                                                                          style="dim italic")
            rows.append((a.question_id, [
                local_time(a.updated), short(self._theme_title(q.theme_id if q else None), 24),
                short(q.text if q else a.question_id, 50), short(answer_text(q, a), 30),
                toelichting]))
        fill_table(self.query_one("#review-answers", DataTable), rows, follow_top=True)
        self._render_detail()

    def _render_detail(self) -> None:
        table = self.query_one("#review-answers", DataTable)
        detail = self.query_one("#answer-detail", Static)
        if not table.row_count:
            detail.update("Nog geen antwoorden. Ze verschijnen hier zodra de interviewer ze opslaat.")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        answer = self.answers.get(key or "")
        if answer is None:
            return
        q = self._question(answer.question_id)
        detail.update(Text.assemble(
            literal((q.text if q else answer.question_id) + "\n", style="bold"),
            literal(f"{answer_text(q, answer)}. "),
            literal(answer.toelichting or "(geen toelichting)")))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "review-answers":
            self._render_detail()

    def _target_label(self, note: Note) -> str:
        if note.question_id:
            q = self._question(note.question_id)
            return "Vraag: " + short(q.text if q else note.question_id, 40)
        if note.theme_id:
            return "Thema: " + self._theme_title(note.theme_id)
        return "Hele sessie"

    def _render_notes(self) -> None:
        rows: list[tuple[str, Sequence[str | Text]]] = []
        for n in reversed(self.notes):
            if n.kind == "flag":
                kind = Text("⚑ vlag", style="bold magenta")
                status: str | Text = (
                    literal_line(f"afgehandeld{' door ' + n.handled_by if n.handled_by else ''} "
                                 f"{local_time(n.handled_at)}", style="green")
                    if n.handled_at else Text("open", style="bold red"))
            else:
                kind = Text("notitie reviewer" if n.by_reviewer else "notitie interviewer")
                status = ""
            rows.append((n.id, [kind, status, short(n.text, 50), self._target_label(n), n.author]))
        fill_table(self.query_one("#review-notes", DataTable), rows)

    def open_answers_without_toelichting(self) -> list[tuple[Question, Answer]]:
        """Answered visible questions whose toelichting is empty: where the insight is missing."""
        assert self.session is not None
        out = []
        for q in visible_questions(self.session.questionnaire, self.answers):
            a = self.answers.get(q.id)
            if a is not None and a.status == AnswerStatus.ANSWERED and not a.toelichting.strip():
                out.append((q, a))
        return out

    def _render_finish(self) -> None:
        s, cov = self.session, self.coverage
        assert s is not None and cov is not None
        open_themes = [t for t in cov.themes if not is_covered(t.state)]
        open_flags = [n for n in self.notes if n.is_open_flag]
        missing = self.open_answers_without_toelichting()
        lines = [f"Sessie {s.id[:8]}: {'loopt nog' if s.is_open else 'afgerond'}."]
        if s.reviewed_by:
            lines.append(f"Gereviewd door {s.reviewed_by} op {local_datetime(s.reviewed_at)}.")
        else:
            lines.append("Nog niet gereviewd.")
        themes_open = count(len(open_themes), "open thema", "open thema's")
        lines.append(f"{themes_open}, "
                     f"{count(len(open_flags), 'open vlag', 'open vlaggen')}, "
                     f"{count(len(missing), 'antwoord', 'antwoorden')} zonder toelichting.")
        self.query_one("#finish-status", Static).update(literal("\n".join(lines)))
        fill_table(self.query_one("#finish-themes", DataTable), [
            (t.theme_id, [t.title, state_text(t.state, t.done_count, t.total_count),
                          short("; ".join(q.text if (q := self._question(qid)) else qid
                                          for qid in t.open_questions), 90)])
            for t in open_themes])
        fill_table(self.query_one("#finish-flags", DataTable), [
            (n.id, [self._target_label(n), short(n.text, 60), n.author, local_time(n.created)])
            for n in open_flags])
        fill_table(self.query_one("#finish-no-toelichting", DataTable), [
            (q.id, [self._theme_title(q.theme_id), short(q.text, 60), short(answer_text(q, a), 30)])
            for q, a in missing])

    # -- actions -----------------------------------------------------------------
    def _default_target(self) -> str:
        """Point a new note at what the reviewer is looking at: the row under the cursor,
        else the theme the interviewer is at (the theme cursor follows it too)."""
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            if focused.id in ("review-themes", "finish-themes") and key:
                return f"theme:{key}"
            if focused.id in ("review-answers", "finish-no-toelichting") and key:
                return f"question:{key}"
        here = self.interviewer_theme()
        return f"theme:{here}" if here else SESSION_TARGET

    def _open_note_modal(self, kind: str) -> None:
        if self.session is None or self.store is None:
            return
        self.app.push_screen(NoteModal(self.session.questionnaire, kind=kind,
                                       target=self._default_target()), self._save_note)

    def action_add_flag(self) -> None:
        self._open_note_modal("flag")

    def action_add_note(self) -> None:
        self._open_note_modal("note")

    def _save_note(self, draft: NoteDraft | None) -> None:
        if draft is None or self.store is None:
            return
        try:
            self.store.add_note(self.session_id, draft.text, kind=draft.kind,
                                question_id=draft.question_id, theme_id=draft.theme_id,
                                author=self.reviewer_name)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.app.notify("Vlag gezet voor de interviewer." if draft.kind == "flag"
                        else "Notitie opgeslagen.")
        self.reload()

    def action_toggle_handled(self) -> None:
        """The reviewer may close a flag too, e.g. when the answer came up anyway."""
        table = self.query_one("#review-notes", DataTable)
        if self.store is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        note = next((n for n in self.notes if n.id == key), None)
        if note is None or note.kind != "flag":
            self.app.notify("Kies in de lijst een vlag om af te handelen.", severity="warning")
            return
        if note.handled_at:
            self.app.notify("Deze vlag is al afgehandeld.")
            return
        try:
            self.store.handle_note(note.id, actor=self.reviewer_name)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.reload()

    def action_show_finish(self) -> None:
        self.query_one(TabbedContent).active = "review-finish"

    def action_show_live(self) -> None:
        self.query_one(TabbedContent).active = "review-live"

    def action_mark_reviewed(self) -> None:
        if self.store is None or self.session is None:
            return
        tabs = self.query_one(TabbedContent)
        if tabs.active != "review-finish":
            # sign off only with the list of open points in view
            tabs.active = "review-finish"
            self.app.notify("Bekijk wat nog open staat en druk nogmaals op g om de review af te ronden.")
            return
        if not self.reviewer_name:
            self.app.notify("Zonder naam kan de review niet worden afgerond.", severity="error")
            return
        try:
            self.store.mark_reviewed(self.session_id, self.reviewer_name)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error")
            return
        warning = " Let op: het interview loopt nog." if self.session.is_open else ""
        self.app.notify(f"Sessie gemarkeerd als gereviewd door {self.reviewer_name}.{warning}")
        self.reload()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "mark-reviewed":
            event.stop()
            self.action_mark_reviewed()

    def action_close(self) -> None:
        if self.app.screen is self and len(self.app.screen_stack) > 1:
            self.dismiss(None)


class SessionPickScreen(LiveStore, Screen[str | None]):
    """Choose the session to follow; the list refreshes itself while interviews start."""

    DEFAULT_CSS = """
    SessionPickScreen #pick-help { padding: 0 1; height: auto; background: $boost; }
    SessionPickScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Stoppen", id="pick-cancel"),
    ]

    def __init__(self, store_path: str | Path) -> None:
        super().__init__()
        self.store_path = Path(store_path)
        self.store: Store | None = None
        self._seen_version: int | None = None
        self.summaries: list[SessionSummary] = []
        self._shown: list[SessionSummary] | None = None  # the rows the table shows

    def compose(self) -> ComposeResult:
        yield Static("Kies de sessie die je wilt volgen (Enter). Lopende sessies staan bovenaan; "
                     "de lijst ververst vanzelf.", id="pick-help")
        yield DataTable(id="pick-sessions", cursor_type="row")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "Status", "Evaluatie", "Casus", "Perspectief", "Vragenlijst", "Interviewer", "Gestart",
            "Antwoorden")
        try:
            self.store = Store.open(self.store_path, create=False)
        except StoreError as exc:
            self.app.notify(str(exc), severity="error", timeout=8)
            return
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll, name="pick-poll")
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        if self.store is None:
            return
        try:
            self._seen_version = self.store.data_version()
            summaries = self.store.session_summaries()
        except (StoreError, sqlite3.Error) as exc:
            self.app.notify(str(exc), severity="error")
            return
        summaries = sorted(summaries, key=lambda s: s.status != "open")
        if summaries == self._shown:  # e.g. only an interview app's heartbeat: same rows
            return
        self.summaries = self._shown = summaries
        fill_table(self.query_one(DataTable), [
            (s.session_id, [session_state(s),
                            short(s.evaluation_name, 30), s.case_code, perspective_label(s.perspective),
                            short(s.questionnaire_title, 30), s.interviewer, local_datetime(s.started),
                            str(s.answered)])
            for s in self.summaries])
        self.query_one("#pick-help", Static).update(
            "Kies de sessie die je wilt volgen (Enter). Lopende sessies staan bovenaan; de lijst "
            "ververst vanzelf." if self.summaries else
            "Nog geen sessies. Zodra de interviewer een sessie start, verschijnt die hier.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        chosen = next((s for s in self.summaries if s.session_id == event.row_key.value), None)
        if chosen is not None and chosen.damaged:
            self.app.notify(chosen.damage_message(), severity="error", timeout=8)
        elif event.row_key.value:
            self.dismiss(event.row_key.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
