"""The interview screen's link to the other processes on the same database file.

- **One writer.** The screen claims the session's writer lease (see
  `core.lease`). When another app already writes the session, this one opens
  read-only: a banner says who writes, the answer fields cannot be typed in,
  and the screen follows that interviewer's answers and position live. Once
  the other app is closed (or killed, or hung), F8 takes the session over.
- **Answers saved elsewhere** (a merge into the live file, a takeover) reach
  the chat and the theme list within a second; the current question's fields
  are refreshed only when nothing was typed in them.
- **The reviewer reaches the interviewer.** A note or flag that arrives is
  shown quietly in one line above the question (no pop-up: the interviewer is
  in a conversation), counted in the header and listed in F5.

Kept out of `interview.py` on purpose: the screen calls in at a few points
(mount, the one-second tick, before a write, unmount).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from zet_tui.app.literal import literal, literal_line
from zet_tui.core.answers import Answer
from zet_tui.core.lease import Lease, LeaseKeeper, describe
from zet_tui.core.store import Note, StoreError, new_id
from zet_tui.core.wording import count, short

if TYPE_CHECKING:
    # Not at run time: the interview screen builds these two one frame after the first
    # question, and importing their modules before it would delay that frame.
    from textual.widgets import TextArea

    from zet_tui.app.screens.interview import InterviewScreen

#: Longest note text in the one-line arrival strip; F5 shows all of it.
STRIP_CHARS = 90


class LeaseLost(Message):
    """Posted (from the keeper's thread) when another app took the session over."""

    def __init__(self, lease: Lease | None) -> None:
        super().__init__()
        self.lease = lease


def note_author(note: Note) -> str:
    """Who wrote a note, as the interviewer reads it."""
    if not note.by_reviewer:
        return f"de interviewer ({note.author})" if note.author else "de interviewer"
    return f"reviewer {note.author}" if note.author else "de reviewer"


def reviewer_counts(notes: Sequence[Note], ascii: bool, *, short: bool = False) -> str:
    """The header's count of what the reviewer sent: open flags and notes (`short`: the
    numbers with a sign each, for a narrow header)."""
    flags = sum(1 for n in notes if n.is_open_flag)
    remarks = sum(1 for n in notes if n.kind == "note" and n.by_reviewer)
    flag_sign = "!" if ascii else "⚑"
    if short:
        return " ".join(part for part in (f"{flag_sign}{flags}" if flags else "",
                                          f"{'*' if ascii else '✎'}{remarks}" if remarks else "")
                        if part)
    parts = []
    if flags:
        parts.append(f"{flag_sign} {count(flags, 'open vlag', 'open vlaggen')}")
    if remarks:
        parts.append(count(remarks, "notitie", "notities") + " reviewer")
    return " · ".join(parts)


def _released(session_id: str) -> Lease:
    """Stands for "no app writes this session any more" (its lease was given free)."""
    return Lease(session_id, holder="", pid=0, host="", interviewer="", acquired="", heartbeat="")


class LiveSession:
    """Lease, read-only mode, answers from elsewhere and arriving notes of one screen."""

    def __init__(self, screen: InterviewScreen) -> None:
        self.screen = screen
        self.holder = new_id()  # this screen's claim; a reopened screen claims anew
        #: The app that writes this session while this one only reads (None: we write).
        self.other: Lease | None = None
        #: Why this app cannot write for another reason (a read-only file, ...).
        self.problem = ""
        self.keeper: LeaseKeeper | None = None
        self._seen = {n.id for n in screen.notes}
        self.arrived: list[Note] = []
        #: After losing the lease with unsaved input: leave the fields as they are.
        self._hold_fields = False
        #: Whether this screen ever held the lease (only then is there one to give back).
        self._claimed = False

    # -- the lease ---------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.other is not None or bool(self.problem)

    def _claim(self) -> bool:
        screen = self.screen
        session = screen.session
        try:
            self.other = screen.store.claim_session(
                session.id, self.holder, interviewer=session.interviewer,
                question_id=screen.engine.position, theme_id=screen.engine.current.theme_id)
            self.problem = ""
        except StoreError as exc:
            self.other, self.problem = None, str(exc)
        self._claimed = self._claimed or not self.read_only
        return not self.read_only

    def _start_keeper(self) -> None:
        screen = self.screen
        keeper = LeaseKeeper(Path(screen.app.db_path), screen.session.id,  # type: ignore[attr-defined]
                             self.holder, on_lost=lambda lease: screen.post_message(LeaseLost(lease)),
                             position=(screen.engine.position, screen.engine.current.theme_id))
        keeper.start()
        self.keeper = keeper

    @staticmethod
    def lines() -> list[Static]:
        """The read-only banner and the line for arriving notes, both hidden until needed;
        composed with the answer panel (mounting them afterwards cost the first frame a
        second round of mounting)."""
        banner, arrived = Static(id="readonly-banner", markup=False), Static(id="arrived",
                                                                             markup=False)
        banner.display = arrived.display = False
        return [banner, arrived]

    def mount(self) -> None:
        """On the screen's mount: the banner (when read-only); the claim one frame later.

        The claim is a write with an fsync (~4 ms, more on a busy disk): the first question
        is drawn first. Keys typed in between stay in the fields whatever the claim finds,
        and an answer saved before it is still checked against another app's lease."""
        self.apply_mode()
        self.screen.call_after_refresh(self._claim_after_first_frame)

    def _claim_after_first_frame(self) -> None:
        if self._claim():
            self._start_keeper()
            return
        # The drafts in the file are the writing app's (or an earlier run's): not shown
        # here, not touched from here. Nothing was typed yet (keys wait for the fields).
        self.screen.show_question(focus=False)
        self._hold_fields = self.fields_dirty()
        self.apply_mode()
        self.screen.update_status()
        if not self.problem:
            self._follow_lease()  # show where the writing interviewer is

    def stop(self) -> None:
        """On unmount: stop the heartbeat and give the session free (a clean exit)."""
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper = None
        if self._claimed and not self.read_only:
            session = self.screen.session
            # On failure the lease goes stale by itself: nobody is locked out for long.
            with contextlib.suppress(StoreError, sqlite3.Error):
                self.screen.store.release_lease(session.id, self.holder, actor=session.interviewer)

    def apply_mode(self) -> None:
        """Answer fields writable or not; the banner says why not and what to do."""
        screen = self.screen
        ro = self.read_only
        for widget in screen.query("#answer-bar, #value, #probes"):
            if widget.disabled != ro:
                widget.disabled = ro
        for area in self._text_areas():
            if area.read_only != ro:
                area.read_only = ro  # still selectable: text can be copied
        banner = screen.query_one("#readonly-banner", Static)
        banner.display = ro
        if ro:
            banner.update(self.banner_text())
            focused = screen.focused
            if focused is None or focused.disabled or focused.id in ("toelichting", "value-text",
                                                                     "themes"):
                screen.query_one("#chat").focus()  # arrows browse the answers

    def banner_text(self) -> Text:
        if self.problem:
            return literal(f"Alleen lezen: {self.problem}")
        other = self.other
        if other is None or other.holder == "" or other.is_free():
            return Text("Alleen lezen: de andere app op deze sessie is gesloten of reageert niet "
                        "meer. F8 = hier verder werken.")
        text = literal(f"Alleen lezen: {describe(other)} werkt in deze sessie in een andere "
                       "app. De antwoorden verschijnen hier live; opslaan kan alleen daar.")
        if self._hold_fields:
            text.append(" Wat u hier nog niet had opgeslagen staat nog in de velden.")
        return text

    def refuse_write(self) -> bool:
        """Before a write (save, skip, note, finish): True, with a message, when read-only.

        Asked before any prompt opens, so nothing is typed that could not be kept."""
        if not self.read_only:
            return False
        self.screen.notify(self.banner_text().plain, severity="warning", timeout=8)
        return True

    def take_over(self) -> None:
        """F8: write here, once the other app is gone (closed, killed or without heartbeat)."""
        screen = self.screen
        if not self.read_only:
            screen.notify("Deze app werkt al in deze sessie.")
            return
        if not self._claim():
            screen.query_one("#readonly-banner", Static).update(self.banner_text())
            who = describe(self.other) if self.other else self.problem
            screen.notify(f"Nog in gebruik: {who}. Sluit daar eerst af (ctrl+q).",
                          severity="warning", timeout=8)
            return
        self._start_keeper()
        self.apply_mode()
        if self._hold_fields:
            self._hold_fields = False  # what was typed here stays in the fields
        else:
            screen.show_question()
        screen.update_status()
        screen.notify("U werkt nu in deze sessie; antwoorden worden hier opgeslagen.")

    def lost(self, lease: Lease | None) -> None:
        """The keeper found the lease in other hands (this app was stopped or hung)."""
        if self.read_only:
            return
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper = None
        screen = self.screen
        self._hold_fields = self.fields_dirty()
        self.other = lease if lease is not None else _released(screen.session.id)
        self.apply_mode()
        screen.update_status()
        screen.notify(self.banner_text().plain, severity="warning", timeout=15)

    # -- the one-second tick -----------------------------------------------------------
    def tick(self, changed: bool) -> None:
        screen = self.screen
        if self.keeper is not None:
            self.keeper.set_position(screen.engine.position, screen.engine.current.theme_id)
        if changed:
            self.reload()
        elif self.read_only and not self.problem:
            self._follow_lease()  # a closed or killed writer writes nothing: check its clock

    def reload(self) -> None:
        """Another connection committed: take its notes, answers and (read-only) position."""
        screen = self.screen
        store = screen.store
        sid = screen.session.id
        try:
            notes = store.notes(sid)
            answers = store.answers(sid)
        except (StoreError, sqlite3.Error):
            return  # busy or vanished for a moment: the next tick tries again
        notes_changed = notes != screen.notes
        if notes_changed:
            self._arrive([n for n in notes if n.id not in self._seen and n.by_reviewer])
            self._seen.update(n.id for n in notes)
            screen.notes = notes
        if answers != screen.engine.answers:
            self._take_answers(answers)  # redraws the view with the new notes too
        elif notes_changed:
            screen.reload_view()
        if self.read_only and not self.problem:
            self._follow_lease()

    def _follow_lease(self) -> None:
        screen = self.screen
        try:
            lease = screen.store.lease(screen.session.id)
        except StoreError:
            return
        if lease is not None and lease.holder == self.holder:
            return
        before = self.other
        self.other = lease if lease is not None else _released(screen.session.id)
        if before != self.other or (before is not None and before.is_free()):
            screen.query_one("#readonly-banner", Static).update(self.banner_text())
        qid = lease.question_id if lease is not None and not lease.is_free() else None
        engine = screen.engine
        if not self._hold_fields and qid and qid != engine.position:
            try:
                engine.jump(qid)
            except ValueError:
                return  # the writer is on a question this copy does not show (yet)
            screen.show_question(focus=False)

    def _take_answers(self, answers: dict[str, Answer]) -> None:
        screen = self.screen
        engine = screen.engine
        position = engine.position
        before = engine.current_answer
        keep_fields = self._hold_fields or (not self.read_only and self.fields_dirty())
        engine.reload(answers)
        after = engine.current_answer
        if engine.position != position or (after != before and not keep_fields):
            screen.show_question(focus=not self.read_only)
            return
        screen.reload_view()
        if not self.read_only and after != before:
            screen.notify("Het antwoord op deze vraag is elders gewijzigd; wat u hier typte staat "
                          "nog in de velden en gaat voor bij opslaan.", severity="warning",
                          timeout=10)

    def fields_dirty(self) -> bool:
        """Whether the current question's fields differ from what they were loaded with
        (the saved answer): the same test as the screen's *concept* marker."""
        shown = self.screen.shown_state()
        return shown is not None and not shown[0].same_as(shown[1])

    def _text_areas(self) -> list[TextArea]:
        """The toelichting and the text answer, once built (typed by cast: see the imports)."""
        return [cast("TextArea", w) for w in self.screen.query("#toelichting, #value-text")]

    # -- the reviewer's notes arriving ------------------------------------------------
    def _arrive(self, new: list[Note]) -> None:
        if not new:
            return
        self.arrived.extend(new)
        latest = new[-1]
        ascii_ = self.screen.ascii
        icon = ("!" if ascii_ else "⚑") if latest.kind == "flag" else ("*" if ascii_ else "✎")
        kind = "Vlag" if latest.kind == "flag" else "Notitie"
        text = short(latest.text, STRIP_CHARS)
        line = Text()
        line.append(literal_line(f"{icon} {kind} van {note_author(latest)} {self.place(latest)}: ",
                                 style="bold"))
        line.append(literal_line(text))
        more = len(self.arrived) - 1
        line.append(f"  (F5{f', nog {more}' if more else ''})", style="dim")
        strip = self.screen.query_one("#arrived", Static)
        strip.update(line)
        strip.display = True

    def seen(self) -> None:
        """F5 was opened: the arrivals are read."""
        self.arrived.clear()
        self.screen.query_one("#arrived", Static).display = False

    def place(self, note: Note) -> str:
        """Where a note points: `bij thema Toegang`, `bij vraag ...`, `bij de sessie`."""
        qn = self.screen.engine.questionnaire
        if note.question_id:
            q = qn.question(note.question_id)
            if q is not None:
                text = q.text if len(q.text) <= 50 else q.text[:49] + "…"
                return f"bij vraag \u201c{text}\u201d"
        theme = qn.theme(note.theme_id) if note.theme_id else None
        if theme is not None:
            return f"bij thema {theme.title}"
        return "bij de sessie"


__all__ = ["LeaseLost", "LiveSession", "note_author", "reviewer_counts"]
