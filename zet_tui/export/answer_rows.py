"""The rows of the long answer table (CSV and XLSX), built once per export in shared parts.

A row's twenty values (`tables.COLUMNS`) depend on four things: the session
(evaluation, case, perspective, session id), the question (theme, wording,
type, tags), the answer's status and score (status, labels, score, scale) and
the answer itself (value, toelichting, reason, time). A thousand sessions share
a handful of questionnaire snapshots and a few dozen statuses and scores, so
the parts that depend on the session, the question or the score are made once
and *shared* by every row they belong to (the same tuple object). The writers
turn each shared part into CSV text or XLSX cells once and reuse it (by
identity), so the per-answer work is the answer's own free text and time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, NamedTuple

from zet_tui.core.dutch import DateError, NumberError, iso_date, local_time, parse_number
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Session
from zet_tui.core.vocab import STATUS_LABELS, AnswerStatus, AnswerType
from zet_tui.export.data import ExportData

#: Where each part starts in `tables.COLUMNS` (a part's values are consecutive columns).
HEAD, ASKED, VERDICT, OWN, TAGS, TIME = 0, 4, 10, 15, 18, 19


class AnswerRow(NamedTuple):
    session: Session
    question: Question
    head: tuple[Any, ...]
    """evaluatie, casus, perspectief, sessie: one tuple per session."""
    asked: tuple[Any, ...]
    """thema, thema_titel, vraag_id, sleutel, vraag, type: one tuple per question."""
    verdict: tuple[Any, ...]
    """status, status_label, score, schaal, score_label: one tuple per question, status and score."""
    own: tuple[Any, ...]
    """waarde, toelichting, reden: the answer's own."""
    tags: tuple[Any, ...]
    """tags: one tuple per question."""
    time: tuple[Any, ...]
    """beantwoord_op: one tuple per distinct time."""

    @property
    def values(self) -> list[Any]:
        """The typed values in `tables.COLUMNS` order: str, int, float, date, datetime or None."""
        return [*self.head, *self.asked, *self.verdict, *self.own, *self.tags, *self.time]


def answer_rows(data: ExportData) -> list[AnswerRow]:
    """One row per answer, in case, perspective and questionnaire order (computed once
    per export: CSV and XLSX share them)."""
    cached = data.memo.get("answer_rows")
    if cached is None:
        cached = data.memo["answer_rows"] = list(_answer_rows(data))
    return cached


def typed_value(question: Question, value: str | None) -> str | float | date | None:
    """A stored non-scale answer as a cell: a date, a number, or the text."""
    if value is None:
        return None
    try:
        if question.type == AnswerType.DATE:
            return date.fromisoformat(iso_date(value))
        if question.type == AnswerType.NUMBER:
            return parse_number(value)
    except (DateError, NumberError):
        pass  # damaged data is exported as it was stored, never dropped
    return value


def _timestamp(stamp: str) -> datetime | str:
    try:
        return local_time(stamp)
    except ValueError:
        return stamp


class _Parts:
    """The shared parts of one export's rows, made on first use."""

    def __init__(self) -> None:
        self.asked: dict[int, tuple[Question, tuple[Any, ...], tuple[Any, ...]]] = {}
        self.verdicts: dict[tuple[int, str, int | None], tuple[Any, ...]] = {}
        self.times: dict[str, tuple[Any, ...]] = {}

    def question(self, theme_id: str, theme_title: str, q: Question) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        known = self.asked.get(id(q))
        if known is None or known[0] is not q:
            known = self.asked[id(q)] = (q, (theme_id, theme_title, q.id, q.key, q.text, str(q.type)),
                                         (", ".join(q.tags),))
        return known[1], known[2]

    def verdict(self, q: Question, status: str, score: int | None) -> tuple[Any, ...]:
        key = (id(q), status, score)
        known = self.verdicts.get(key)
        if known is None:
            label = ""
            if score is not None:
                point = q.scale_def.point(score)
                label = point.label if point else ""
            known = self.verdicts[key] = (status, STATUS_LABELS.get(status, status), score,
                                          q.scale if q.is_scaled else "", label)
        return known

    def time(self, stamp: str) -> tuple[Any, ...]:
        known = self.times.get(stamp)
        if known is None:
            known = self.times[stamp] = (_timestamp(stamp),)
        return known


def _answer_rows(data: ExportData) -> Iterator[AnswerRow]:
    pseudo = data.pseudo
    ev_name = pseudo.text(data.evaluation.name)
    parts = _Parts()  # its dicts keep the questions they are keyed by (id) alive
    answered_status = AnswerStatus.ANSWERED
    free_text = (AnswerType.TEXT, AnswerType.CHOICE)
    for s in data.sessions:
        answers = data.answers.get(s.id, {})
        head = (ev_name, data.case_code(s.case_id), s.perspective, s.id)
        for theme in s.questionnaire.themes:
            for q in theme.questions:
                a = answers.get(q.id)
                if a is None:
                    continue
                answered = a.status == answered_status
                scaled = q.is_scaled
                value: Any = None
                if answered and not scaled:
                    value = typed_value(q, a.value)
                    if q.type in free_text and isinstance(value, str):
                        value = pseudo.text(value)
                asked, tags = parts.question(theme.id, theme.title, q)
                yield AnswerRow(s, q, head, asked,
                                parts.verdict(q, str(a.status), a.score if answered and scaled else None),
                                (value, pseudo.text(a.toelichting), pseudo.text(a.reason)),
                                tags, parts.time(a.updated))
