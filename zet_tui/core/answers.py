"""The answer value object shared by the engine, the store and the exporters."""

from __future__ import annotations

from dataclasses import dataclass, field

from zet_tui.core.vocab import AnswerStatus


@dataclass(frozen=True)
class Answer:
    """One answer to one question in one session.

    `score` holds a point on the question's scale (smiley, three-point, ja/deels/nee);
    `value` holds the normalised text of the other answer types (ja/nee, a choice,
    an ISO date, a number, free text). `reason` explains a niet-besproken skip.
    """

    question_id: str
    status: AnswerStatus
    score: int | None = None
    value: str | None = None
    toelichting: str = ""
    reason: str = ""
    probes_asked: tuple[int, ...] = field(default=())
    updated: str = ""
    updated_by: str = ""

    @property
    def is_complete(self) -> bool:
        """Counts for coverage: answered, weet niet, n.v.t., or skipped with a reason."""
        if self.status == AnswerStatus.NIET_BESPROKEN:
            return bool(self.reason.strip())
        return True
