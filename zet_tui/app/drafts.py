"""Keeping what the interviewer typed but has not saved: the draft of the shown question.

Every change on the answer panel starts a short timer; when it fires, the state
of the shown question goes to the store as its draft (one small upsert), or the
draft is removed when the state equals the saved answer again. Leaving a
question, quitting and a closed terminal write it at once. So a killed process
loses at most the last `DELAY` seconds of typing, and nothing is lost by moving
around: a question shows its draft again when it comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.timer import Timer
from textual.widget import Widget

from zet_tui.core.drafts import Draft
from zet_tui.core.store import DraftBusy, Store, StoreError

#: Seconds from the first unsaved change to its draft in the store (the issue allows 1 s).
DELAY = 0.5


class DraftKeeper:
    """The drafts of one session: in memory for the screen, in the store for a crash."""

    def __init__(self, owner: Widget, store: Store, session_id: str,
                 shown: Callable[[], tuple[Draft, Draft] | None], *,
                 may_write: Callable[[], bool] = lambda: True) -> None:
        """`shown` gives (what the fields hold now, what they held for the saved answer)
        for the question on screen, or None before the first question is loaded.
        `may_write` is False while another app writes the session (read-only screen):
        the drafts in the file are then that app's, neither shown nor touched here."""
        self.owner = owner
        self.store = store
        self.session_id = session_id
        self.shown = shown
        self.may_write = may_write
        self.drafts: dict[str, Draft] = store.drafts(session_id)
        self._timer: Timer | None = None
        self._saved: str | None = None
        self._warned = False
        #: False once the session is finished or the screen is gone: nothing more to keep.
        self.open = True

    def get(self, question_id: str) -> Draft | None:
        return self.drafts.get(question_id) if self.may_write() else None

    def changed(self) -> None:
        """Something on the panel changed: keep it within `DELAY` (not `DELAY` after the
        last key, which while typing on would be never)."""
        if self._timer is None and self.open:
            self._timer = self.owner.set_timer(DELAY, self.flush, name="draft")

    def flush(self) -> Draft | None:
        """Write the shown question's state now; returns its draft (None: nothing unsaved)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.open or not self.may_write():
            return None
        current = self.shown()
        if current is None:
            return None
        state, baseline = current
        qid = state.question_id
        if qid == self._saved:
            return None  # the fields still show what was just saved
        kept = self.drafts.get(qid)
        try:
            if state.same_as(baseline):
                if kept is not None:
                    self.store.delete_draft(self.session_id, qid)
                    del self.drafts[qid]
                return None
            if kept is None or replace(kept, updated="") != state:
                self.drafts[qid] = self.store.save_draft(self.session_id, state)
        except DraftBusy:
            self.drafts[qid] = state  # kept in memory; the store gets it at the next try
            self.changed()
        except StoreError as exc:
            self.drafts[qid] = state
            if not self._warned:  # once: the interview goes on, the words stay on screen
                self._warned = True
                self.owner.notify(f"Concept kon niet worden bewaard: {exc}", severity="warning",
                                  timeout=10)
        return self.drafts.get(qid)

    def saved(self, question_id: str) -> None:
        """The answer was saved; the store removed its draft in the same transaction."""
        self.drafts.pop(question_id, None)
        self._saved = question_id

    def loaded(self) -> None:
        """The fields now show another question (or the same one again)."""
        self._saved = None

    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.open = False
