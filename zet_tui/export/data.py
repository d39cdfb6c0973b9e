"""Everything one export reads from the store, read once, plus the formatting all formats share.

The exporters never query the store themselves: the runner loads sessions,
answers and notes with one query per table (not one per session or answer),
so exporting a thousand sessions costs a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from zet_tui.core.analysis import EvaluationAnalysis, analyse_evaluation
from zet_tui.core.answers import Answer
from zet_tui.core.codebook import codebook_in_use
from zet_tui.core.compare import Comparison, compare
from zet_tui.core.dutch import format_number, format_timestamp, format_value
from zet_tui.core.evidence import Evidence, load_evidence
from zet_tui.core.feedback import MeetingOutcome, meeting_outcome
from zet_tui.core.findings import Findings, build_findings
from zet_tui.core.privacy import Pseudonymizer
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Case, Evaluation, Note, Session, Store, now
from zet_tui.core.vocab import SCALES, STATUS_LABELS, AnswerStatus, AnswerType


@dataclass
class ExportData:
    evaluation: Evaluation
    cases: list[Case]  # the exported cases, in code order
    sessions: list[Session]
    answers: dict[str, dict[str, Answer]]
    notes: dict[str, list[Note]]
    pseudo: Pseudonymizer
    analysis: EvaluationAnalysis
    outcome: MeetingOutcome | None = None
    """The feedback meeting, when one was recorded for the evaluation."""
    comparison: Comparison | None = None
    """Comparison with the earlier round, when the evaluation is a follow-up."""
    evidence: Evidence = field(default_factory=Evidence)
    """The analyst's codings, quotes, attributes, summaries and recommendations."""
    exported_at: str = field(default_factory=now)
    memo: dict[str, Any] = field(default_factory=dict)
    """Results shared between formats of one export (e.g. the table rows)."""

    def __post_init__(self) -> None:
        self._cases = {c.id: c for c in self.cases}

    @property
    def findings(self) -> Findings:
        """The findings of the exported cases, built once (only the report needs them)."""
        found = self.memo.get("findings")
        if found is None:
            found = self.memo["findings"] = build_findings(self.analysis, self.evidence, self.sessions,
                                                           self.answers)
        assert isinstance(found, Findings)
        return found

    def sessions_of(self, case_id: str) -> list[Session]:
        return [s for s in self.sessions if s.case_id == case_id]

    def case_code(self, case_id: str) -> str:
        return self.pseudo.case_code(self._cases[case_id])

    def codes(self, case_ids: Iterable[str], *, places: bool = False) -> str:
        """Case codes as the reader sees them: 'A, B'; with `places`, grouped by municipality when
        the evaluation spans several: 'A, B in Waterveen; C in Hoogzand'."""
        ids = list(case_ids)
        found = self.findings
        if not (places and len(found.municipalities()) > 1):
            return ", ".join(self.case_code(c) for c in ids)
        grouped: dict[str, list[str]] = {}
        for c in ids:
            grouped.setdefault(found.municipality(c), []).append(self.case_code(c))
        return "; ".join(f"{', '.join(codes)} in {self.pseudo.text(place) or 'onbekende gemeente'}"
                         for place, codes in grouped.items())


def load(store: Store, evaluation: Evaluation, sessions: list[Session], *,
         pseudonymize: bool = False, extra_terms: tuple[str, ...] = ()) -> ExportData:
    """Read what an export of `sessions` (all of `evaluation`) needs, in one consistent snapshot."""
    with store.snapshot():
        return _load(store, evaluation, sessions, pseudonymize, extra_terms)


def _load(store: Store, evaluation: Evaluation, sessions: list[Session], pseudonymize: bool,
          extra_terms: tuple[str, ...]) -> ExportData:
    all_cases = store.cases(evaluation.id)
    wanted = {s.case_id for s in sessions}
    cases = [c for c in all_cases if c.id in wanted]
    ids = [s.id for s in sessions]
    answers = store.export_answers(ids)
    notes = store.notes_for_sessions(ids)
    analysis = analyse_evaluation(evaluation, cases, sessions, answers)
    # Codings of the exported sessions only: a per-case export shows nothing of other cases.
    evidence = load_evidence(store, evaluation.id, codebook=codebook_in_use, session_ids=ids,
                             case_ids=wanted)
    earlier = store.evaluation(evaluation.follows_id) if evaluation.follows_id else None
    if pseudonymize:
        # The comparison quotes findings of the earlier round, which name its cases.
        named_cases = all_cases + (store.cases(earlier.id) if earlier else [])
        named_sessions = sessions + (store.sessions(evaluation_id=earlier.id) if earlier else [])
        terms = {c.id: store.sensitive_terms(c.id) for c in named_cases}
        pseudo = Pseudonymizer.build(named_cases, named_sessions, terms, extra_terms)
    else:
        pseudo = Pseudonymizer.disabled()
    data = ExportData(evaluation, cases, sessions, answers, notes, pseudo, analysis, evidence=evidence)
    meeting = bool(store.findings(evaluation.id) or store.meetings(evaluation.id)
                   or store.improvements(evaluation.id))
    # The findings are the evaluation's own when every session is exported: reuse them.
    whole = (data.findings if (meeting or earlier is not None)
             and {s.id for s in sessions} == store.session_ids(evaluation.id) else None)
    if meeting:
        data.outcome = meeting_outcome(store, evaluation.id, findings=whole)
    if earlier is not None:
        data.comparison = compare(store, earlier.id, evaluation.id, findings_b=whole)
    return data


def group_by_evaluation(store: Store, sessions: list[Session]) -> list[tuple[Evaluation,
                                                                            list[Session]]]:
    """Sessions per evaluation, with two queries whatever the number of cases."""
    case_eval = {c.id: c.evaluation_id for c in store.cases()}
    grouped: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        if s.case_id in case_eval:
            grouped[case_eval[s.case_id]].append(s)
    evaluations = {e.id: e for e in store.evaluations()}
    return [(evaluations[eid], group) for eid, group in grouped.items() if eid in evaluations]


# -- formatting shared by Markdown and tables -------------------------------------
def fmt_num(value: float | None, digits: int = 1) -> str:
    """Dutch decimal comma: 3,5."""
    return format_number(value, digits)


def fmt_value(question: Question, value: str | None) -> str:
    """A stored non-scale value as a Dutch reader expects it (dates dd-mm-jjjj, 2,5)."""
    return format_value(question.type, value)


def answer_text(question: Question, answer: Answer | None, pseudo: Pseudonymizer, *,
                emoji: bool = True) -> str:
    """The answer as one short raw text on its own scale: '🙂 4 · goed', '😐 2/3 · gaat wel',
    '◐ deels', 'ja', '12-03-2025', 'weet niet'."""
    if answer is None:
        return "geen antwoord"
    if answer.status != AnswerStatus.ANSWERED:
        return STATUS_LABELS.get(str(answer.status), str(answer.status))
    if answer.score is not None and question.is_scaled:
        return _score_text(question.scale, answer.score, emoji)
    text = fmt_value(question, answer.value)
    return pseudo.text(text) if question.type in (AnswerType.TEXT, AnswerType.CHOICE) else text


@cache
def _score_text(scale: str, score: int, emoji: bool) -> str:
    """A score on its scale, as `answer_text` shows it (a handful of texts, asked 100,000 times;
    scores come from an INTEGER column, so equal keys are equal values: never 4 and 4.0)."""
    scale_def = SCALES[scale]
    point = scale_def.point(score)
    if point is None:
        return str(score)
    size = scale_def.size
    if scale == "ja-deels-nee":
        label = point.label  # its numbers 1-3 mean nothing to a reader
    elif size != 5:
        label = f"{score}/{size} · {point.label}"
    else:
        label = f"{score} · {point.label}"
    return f"{point.emoji} {label}" if emoji else label


def fmt_dt(stamp: str | None) -> str:
    """An ISO timestamp in local time, dd-mm-jjjj HH:MM."""
    return format_timestamp(stamp)


def fmt_duration(start: str | None, end: str | None) -> str:
    if not start or not end:
        return "–"
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:
        return "–"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "minder dan 1 minuut"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} u {minutes:02d} min" if hours else f"{minutes} min"
