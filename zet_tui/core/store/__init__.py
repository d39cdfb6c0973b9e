"""The SQLite store: every SQL statement of zet-tui lives in this package.

One module per aggregate (evaluations and cases, sessions, answers, drafts, notes,
leases, erasure, feedback, the analyst's codings and case analysis, regions), each a mixin
on `StoreBase`, which owns the connection and
its transactions. `Store` is all of them together: callers keep one object per
thread and never see the split.
"""

from __future__ import annotations

from zet_tui.core.store.answers import AnswerStore
from zet_tui.core.store.base import BUSY_TIMEOUT_MS, StoreBase
from zet_tui.core.store.case_analysis import CaseAnalysisStore
from zet_tui.core.store.codings import CodingStore
from zet_tui.core.store.drafts import DraftBusy, DraftStore
from zet_tui.core.store.erasure import ErasureStore
from zet_tui.core.store.errors import ConsentRequired, StoreError
from zet_tui.core.store.evaluations import EvaluationStore
from zet_tui.core.store.feedback import FeedbackStore
from zet_tui.core.store.files import copy_private, file_mode, restrict_permissions
from zet_tui.core.store.ids import new_id, now
from zet_tui.core.store.leases import LeaseStore
from zet_tui.core.store.models import (
    IMPROVEMENT_STATUSES,
    Case,
    Evaluation,
    Event,
    Finding,
    Improvement,
    Meeting,
    Note,
    NoteRole,
    Session,
    SessionSummary,
)
from zet_tui.core.store.notes import NoteStore
from zet_tui.core.store.regions import Region, RegionMember, RegionStore
from zet_tui.core.store.sessions import CONSENT_PERSPECTIVES, SessionStore, consent_subject


class Store(SessionStore, AnswerStore, DraftStore, NoteStore, LeaseStore, ErasureStore,
            FeedbackStore, EvaluationStore, CodingStore, CaseAnalysisStore, RegionStore, StoreBase):
    """All reads and writes of one database file, for one thread."""


__all__ = [
    "BUSY_TIMEOUT_MS",
    "CONSENT_PERSPECTIVES",
    "IMPROVEMENT_STATUSES",
    "Case",
    "ConsentRequired",
    "DraftBusy",
    "Evaluation",
    "Event",
    "Finding",
    "Improvement",
    "Meeting",
    "Note",
    "NoteRole",
    "Region",
    "RegionMember",
    "Session",
    "SessionSummary",
    "Store",
    "StoreBase",
    "StoreError",
    "consent_subject",
    "copy_private",
    "file_mode",
    "new_id",
    "now",
    "restrict_permissions",
]
