"""Drafts: what the interviewer has typed or chosen for a question but not saved yet.

A draft is data from the first keystroke (nothing typed in a live interview may be
lost), but it is not an answer: coverage, review, exports and merge read only the
`answer` table. Saving the answer removes its draft in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zet_tui.core.answers import Answer
from zet_tui.core.dutch import format_value
from zet_tui.core.questionnaire import Question
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.vocab import AnswerStatus

#: Statuses a draft can hold besides a score or value: the deliberate "no answer" keys.
DRAFT_STATUSES = (str(AnswerStatus.WEET_NIET), str(AnswerStatus.NVT))


@dataclass(frozen=True)
class Draft:
    """The unsaved state of one question, exactly as on screen.

    `value` is the chosen option (ja/nee, a choice) or the typed value (date, number,
    text) as typed, not normalised: a half-typed date must come back as it was.
    `status` is weet_niet or n.v.t. when one of those keys was pressed.
    """

    question_id: str
    status: str | None = None
    score: int | None = None
    value: str = ""
    toelichting: str = ""
    probes_asked: tuple[int, ...] = field(default=())
    updated: str = ""

    def same_as(self, other: Draft) -> bool:
        """Same content (saving either gives the same answer): whitespace around the
        toelichting and the time stamp do not count."""
        return (self.status, self.score, self.value.strip(), self.toelichting.strip(),
                tuple(sorted(set(self.probes_asked)))) == (
            other.status, other.score, other.value.strip(), other.toelichting.strip(),
            tuple(sorted(set(other.probes_asked))))


def draft_of(question: Question, answer: Answer | None) -> Draft:
    """What the screen shows for a saved answer (or for no answer): the baseline a
    draft is compared with. Dates and numbers as the interviewer types them
    (14-03-2024, 2,5), control characters made visible as everywhere on screen
    (`terminal_safe`); a skip (niet besproken) shows no choice, only its text."""
    if answer is None:
        return Draft(question.id)
    status = str(answer.status) if str(answer.status) in DRAFT_STATUSES else None
    answered = answer.status == AnswerStatus.ANSWERED
    return Draft(question.id, status=status, score=answer.score if answered else None,
                 value=terminal_safe(format_value(question.type, answer.value)) if answered else "",
                 toelichting=terminal_safe(answer.toelichting),
                 probes_asked=tuple(answer.probes_asked))
