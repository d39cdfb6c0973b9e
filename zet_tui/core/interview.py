"""The interview engine: where we are in a questionnaire, as pure state.

No I/O and no Textual: the app asks the engine what to show, persists answers
through the store, then tells the engine (`record`). That order is what makes
"committed before the screen moves on" hold. Conditions are re-evaluated on
every call, so editing an earlier answer immediately shows or hides the
questions that depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Question, Questionnaire, Theme
from zet_tui.core.vocab import AnswerStatus


class InterviewError(ValueError):
    pass


#: The states of a theme. Every screen, `zet coverage` and the transcript take them
#: (and the counts below) from `ThemeProgress`, so they can never disagree.
DONE = "done"
PARTLY = "partly"
OPEN = "open"
SKIPPED = "skipped"
#: Dutch words for the states, as the interviewer and the reviewer read them.
THEME_STATE_LABELS: dict[str, str] = {
    DONE: "klaar", PARTLY: "deels", OPEN: "open", SKIPPED: "niet besproken",
}


@dataclass(frozen=True)
class ThemeProgress:
    theme: Theme
    visible: int
    required: int
    complete: int
    required_complete: int
    #: complete questions that were skipped (niet besproken, with a reason)
    skipped: int = 0

    @property
    def state(self) -> str:
        """done / skipped / partly / open, as shown in the theme list and in coverage.

        Covered means every visible required question is complete; a theme of
        only optional questions counts as done once one of them is answered.
        A covered theme in which every complete question was skipped was not
        discussed at all: it is "skipped", never "done".
        """
        if self.required_complete >= self.required and (
            self.required > 0 or self.complete > 0 or self.visible == 0
        ):
            return SKIPPED if self.complete and self.skipped >= self.complete else DONE
        return PARTLY if self.complete else OPEN

    @property
    def covered(self) -> bool:
        """Nothing of this theme is left open (done, or deliberately not discussed)."""
        return self.state in (DONE, SKIPPED)

    @property
    def done_count(self) -> int:
        """The numerator of `3/4`: complete required questions; for a theme of only
        optional questions 1 once any of them is complete."""
        if self.required:
            return self.required_complete
        return min(self.complete, 1 if self.visible else 0)

    @property
    def total_count(self) -> int:
        """The denominator of `3/4`: the visible required questions (optional ones do
        not keep a theme open, so they are not counted; see `done_count`)."""
        return self.required if self.required else (1 if self.visible else 0)


def is_visible(question: Question, answers: Mapping[str, Answer],
               questionnaire: Questionnaire) -> bool:
    cond = question.condition
    if cond is None:
        return True
    if questionnaire.question(cond.question_id) is None:
        return True  # the condition's theme is not part of this (compact) evaluation
    target = questionnaire.question(cond.question_id)
    assert target is not None
    if not is_visible(target, answers, questionnaire):
        return False
    return cond.holds(answers.get(cond.question_id))


def visible_questions(questionnaire: Questionnaire,
                      answers: Mapping[str, Answer]) -> list[Question]:
    return [q for q in questionnaire.questions() if is_visible(q, answers, questionnaire)]


def theme_progress(questionnaire: Questionnaire, answers: Mapping[str, Answer],
                   theme: Theme) -> ThemeProgress:
    visible = [q for q in theme.questions if is_visible(q, answers, questionnaire)]
    required = [q for q in visible if q.required]
    complete = [q for q in visible if q.id in answers and answers[q.id].is_complete]
    req_complete = [q for q in required if q.id in answers and answers[q.id].is_complete]
    skipped = [q for q in complete if answers[q.id].status == AnswerStatus.NIET_BESPROKEN]
    return ThemeProgress(theme, len(visible), len(required), len(complete), len(req_complete),
                         len(skipped))


class Interview:
    """Position and answers of one session."""

    def __init__(self, questionnaire: Questionnaire,
                 answers: Mapping[str, Answer] | None = None) -> None:
        if not any(True for _ in questionnaire.questions()):
            raise InterviewError("deze vragenlijst heeft geen vragen")
        self.questionnaire = questionnaire
        self.answers: dict[str, Answer] = dict(answers or {})
        self.position: str = self.resume_position()

    # -- reading -------------------------------------------------------------
    def visible(self) -> list[Question]:
        return visible_questions(self.questionnaire, self.answers)

    @property
    def current(self) -> Question:
        q = self.questionnaire.question(self.position)
        assert q is not None
        return q

    @property
    def current_answer(self) -> Answer | None:
        return self.answers.get(self.position)

    def index(self) -> tuple[int, int]:
        """(n, N): 1-based number of the current question among the visible ones."""
        visible = self.visible()
        ids = [q.id for q in visible]
        if self.position in ids:
            return ids.index(self.position) + 1, len(ids)
        return 0, len(ids)

    def progress(self) -> list[ThemeProgress]:
        return [theme_progress(self.questionnaire, self.answers, t)
                for t in self.questionnaire.themes]

    def first_open(self) -> Question | None:
        """First visible required question without a complete answer."""
        for q in self.visible():
            if q.required and not (q.id in self.answers and self.answers[q.id].is_complete):
                return q
        return None

    def resume_position(self) -> str:
        """Where a resumed session continues: the first open required question,
        else the first unanswered optional one, else the last question."""
        first = self.first_open()
        if first is not None:
            return first.id
        visible = self.visible()
        for q in visible:
            if q.id not in self.answers:
                return q.id
        return visible[-1].id if visible else next(self.questionnaire.questions()).id

    def is_complete(self) -> bool:
        return self.first_open() is None

    # -- moving --------------------------------------------------------------
    def next(self) -> Question | None:
        """Move to the next visible question; None (and stay) at the end."""
        visible = self.visible()
        order = self.questionnaire.order()
        here = order[self.position]
        for q in visible:
            if order[q.id] > here:
                self.position = q.id
                return q
        return None

    def back(self) -> Question | None:
        visible = self.visible()
        order = self.questionnaire.order()
        here = order[self.position]
        previous = [q for q in visible if order[q.id] < here]
        if not previous:
            return None
        self.position = previous[-1].id
        return previous[-1]

    def jump(self, question_id: str) -> Question:
        q = self.questionnaire.question(question_id)
        if q is None:
            raise InterviewError(f"onbekende vraag '{question_id}'")
        if not is_visible(q, self.answers, self.questionnaire):
            raise InterviewError(f"vraag '{question_id}' is nu niet van toepassing")
        self.position = q.id
        return q

    def jump_theme(self, theme_id: str) -> Question:
        theme = self.questionnaire.theme(theme_id)
        if theme is None:
            raise InterviewError(f"onbekend thema '{theme_id}'")
        visible = [q for q in theme.questions
                   if is_visible(q, self.answers, self.questionnaire)]
        if not visible:
            raise InterviewError(f"thema '{theme.title}' heeft nu geen vragen")
        target = next((q for q in visible
                       if not (q.id in self.answers and self.answers[q.id].is_complete)),
                      visible[0])
        self.position = target.id
        return target

    # -- answering (build the Answer; the caller stores it, then records it) -----
    def make_answer(self, *, score: int | None = None, value: str | None = None,
                    status: AnswerStatus = AnswerStatus.ANSWERED, toelichting: str = "",
                    reason: str = "", probes_asked: tuple[int, ...] | None = None,
                    question_id: str | None = None) -> Answer:
        q = self.questionnaire.question(question_id or self.position)
        if q is None:
            raise InterviewError(f"onbekende vraag '{question_id}'")
        if probes_asked is None:
            existing = self.answers.get(q.id)
            probes_asked = existing.probes_asked if existing else ()
        if status == AnswerStatus.ANSWERED:
            if q.is_scaled:
                if score is None or q.scale_def.point(score) is None:
                    raise InterviewError(
                        f"kies een score van 1 tot {q.scale_def.size}")
                value = None
            else:
                normalised, error = q.validate_value(value or "")
                if error:
                    raise InterviewError(error)
                value, score = normalised, None
        elif status == AnswerStatus.NIET_BESPROKEN:
            if not reason.strip():
                raise InterviewError("geef een reden waarom de vraag niet besproken is")
            score = value = None
        else:
            score = value = None
        return Answer(question_id=q.id, status=status, score=score, value=value,
                      toelichting=toelichting.strip(), reason=reason.strip(),
                      probes_asked=tuple(sorted(set(probes_asked))))

    def skip_theme(self, theme_id: str, reason: str, *,
                   typed: Mapping[str, tuple[str, tuple[int, ...]]] | None = None) -> list[Answer]:
        """The niet-besproken answers that close a theme with one reason, in question order.

        Every visible question of the theme without a complete answer gets one;
        answered questions keep their answer. A question that a skip hides (its
        condition no longer holds) needs none. `typed` carries the toelichting and
        ticked probes already typed for a question (the current one), so a skip
        never drops them. Nothing is recorded: the caller stores, then records.
        """
        theme = self.questionnaire.theme(theme_id)
        if theme is None:
            raise InterviewError(f"onbekend thema '{theme_id}'")
        if not reason.strip():
            raise InterviewError("geef een reden waarom het thema niet besproken is")
        typed = typed or {}
        answers = dict(self.answers)
        out: list[Answer] = []
        while True:
            q = next((q for q in theme.questions
                      if is_visible(q, answers, self.questionnaire)
                      and not (q.id in answers and answers[q.id].is_complete)), None)
            if q is None:
                break
            entry = typed.get(q.id)
            existing = answers.get(q.id)
            answer = self.make_answer(
                status=AnswerStatus.NIET_BESPROKEN, reason=reason, question_id=q.id,
                toelichting=entry[0] if entry else (existing.toelichting if existing else ""),
                probes_asked=entry[1] if entry else None)
            answers[q.id] = answer
            out.append(answer)
        if not out:
            raise InterviewError(f"alle vragen van thema '{theme.title}' zijn al behandeld")
        return out

    def last_skip_reason(self) -> str:
        """The reason of the most recent skip: offered again, since one reason ("geen
        tijd meer") usually holds for several questions in a row."""
        skipped = [a for a in self.answers.values()
                   if a.status == AnswerStatus.NIET_BESPROKEN and a.reason.strip()]
        return max(skipped, key=lambda a: a.updated).reason if skipped else ""

    def record(self, answer: Answer) -> None:
        """Take a stored answer into the state (after the store committed it)."""
        if self.questionnaire.question(answer.question_id) is None:
            raise InterviewError(f"onbekende vraag '{answer.question_id}'")
        self.answers[answer.question_id] = answer
        # an edit can hide the current question (its condition no longer holds)
        if not is_visible(self.current, self.answers, self.questionnaire):
            self.position = self.resume_position()

    def reload(self, answers: Mapping[str, Answer]) -> None:
        """Take the stored answers as they are now (saved by another process, or merged):
        the position stays unless its question is no longer shown."""
        self.answers = dict(answers)
        if not is_visible(self.current, self.answers, self.questionnaire):
            self.position = self.resume_position()

    def forget(self, question_id: str) -> None:
        self.answers.pop(question_id, None)
