"""Questionnaire model.

A questionnaire is immutable once loaded; a session stores `to_dict()` as its
snapshot, so editing the Markdown file later never changes what an old session
means. The Markdown loader lives in `questionnaire_loader.py`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from zet_tui.core.answers import Answer
from zet_tui.core.dutch import (
    DateError,
    NumberError,
    format_number,
    is_iso_date,
    iso_date,
    parse_number,
    plain_number,
)
from zet_tui.core.safe_text import one_line
from zet_tui.core.vocab import DEFAULT_SCALE, SCALES, AnswerStatus, AnswerType, Scale

CONDITION_OPS = ("!=", "<=", ">=", "=", "<", ">")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Problem:
    """One validation problem, printed as `path:line: message` (editors jump there)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # One line each, controls shown (␛, ␊): messages quote the file's own text.
        return f"{one_line(self.path)}:{self.line}: {one_line(self.message)}"


class QuestionnaireInvalid(Exception):
    """Raised by `load_or_raise`; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier answer satisfies `question_id op value`."""

    question_id: str
    op: str
    value: str

    def __str__(self) -> str:
        return f"{self.question_id} {self.op} {self.value}"

    def holds(self, answer: Answer | None) -> bool:
        if answer is None or answer.status != AnswerStatus.ANSWERED:
            return False
        actual: Any = answer.score if answer.score is not None else answer.value
        if actual is None:
            return False
        expected: Any = self.value
        if isinstance(actual, int | float):
            try:
                expected = float(self.value.replace(",", "."))
                actual = float(actual)
            except ValueError:
                return False
        else:
            actual = str(actual).strip().lower()
            expected = self.value.strip().lower()
            if is_iso_date(actual):
                # Dates are stored as JJJJ-MM-DD, which compares as text; the condition
                # may be written as dd-mm-jjjj.
                with contextlib.suppress(DateError):
                    expected = iso_date(expected)
            else:
                with contextlib.suppress(NumberError):  # numbers stored as text (getal)
                    actual, expected = parse_number(actual), parse_number(expected)
        match self.op:
            case "=":
                return bool(actual == expected)
            case "!=":
                return bool(actual != expected)
            case "<":
                return bool(actual < expected)
            case "<=":
                return bool(actual <= expected)
            case ">":
                return bool(actual > expected)
            case ">=":
                return bool(actual >= expected)
        return False


@dataclass(frozen=True)
class Question:
    id: str
    theme_id: str
    text: str
    type: AnswerType = AnswerType.SMILEY
    help: str = ""
    probes: tuple[str, ...] = ()
    required: bool = True
    tags: tuple[str, ...] = ()
    condition: Condition | None = None
    options: tuple[str, ...] = ()
    scale: str = DEFAULT_SCALE
    counterpart: str | None = None
    milestone: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """The id that lines this question up with its counterparts in other perspectives."""
        return self.counterpart or self.id

    @property
    def scale_def(self) -> Scale:
        return SCALES[self.scale]

    @property
    def is_scaled(self) -> bool:
        return self.type == AnswerType.SMILEY

    def validate_value(self, raw: str) -> tuple[str | None, str | None]:
        """Normalise a typed value for non-scale types: (value, None) or (None, Dutch error)."""
        text = raw.strip()
        if not text:
            return None, "Vul een antwoord in."
        match self.type:
            case AnswerType.YES_NO:
                low = text.lower()
                if low in ("ja", "j", "yes", "y"):
                    return "ja", None
                if low in ("nee", "n", "no"):
                    return "nee", None
                return None, "Kies ja of nee."
            case AnswerType.CHOICE:
                for opt in self.options:
                    if opt.lower() == text.lower():
                        return opt, None
                if text.isascii() and text.isdigit() and 1 <= int(text) <= len(self.options):
                    return self.options[int(text) - 1], None
                return None, "Kies een van de opties."
            case AnswerType.DATE:
                try:
                    return iso_date(text), None
                except DateError as exc:
                    return None, str(exc)
            case AnswerType.NUMBER:
                try:
                    number = parse_number(text)
                except NumberError as exc:
                    return None, str(exc)
                if self.minimum is not None and number < self.minimum:
                    return None, f"Het getal moet minstens {format_number(self.minimum)} zijn."
                if self.maximum is not None and number > self.maximum:
                    return None, f"Het getal mag hoogstens {format_number(self.maximum)} zijn."
                return plain_number(number), None
            case AnswerType.TEXT:
                return text, None
        return None, "Dit type vraag heeft een score, geen tekst."


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    perspective: str
    version: str
    scale: str = DEFAULT_SCALE
    opening: str = ""
    themes: tuple[Theme, ...] = ()
    source: str = ""
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.clear()
        self._index.update({q.id: q for q in self.questions()})

    def questions(self) -> Iterator[Question]:
        for theme in self.themes:
            yield from theme.questions

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def order(self) -> dict[str, int]:
        """Position of every question id, for sorting answers in questionnaire order."""
        return {q.id: i for i, q in enumerate(self.questions())}

    def restricted_to(self, theme_ids: Iterable[str] | None) -> Questionnaire:
        """The compact form: only the given themes, in questionnaire order.

        Unknown theme ids are ignored so that one theme selection can be applied
        to the inwoner, professional and dossier questionnaires alike.
        """
        if theme_ids is None:
            return self
        wanted = set(theme_ids)
        return replace(
            self,
            themes=tuple(t for t in self.themes if t.id in wanted),
            _index={},
        )

    # -- snapshot ---------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": 1,
            "id": self.id,
            "title": self.title,
            "perspective": self.perspective,
            "version": self.version,
            "scale": self.scale,
            "opening": self.opening,
            "source": self.source,
            "themes": [
                {
                    "id": t.id,
                    "title": t.title,
                    "intro": t.intro,
                    "line": t.line,
                    "questions": [_question_to_dict(q) for q in t.questions],
                }
                for t in self.themes
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Questionnaire:
        themes = tuple(
            Theme(
                id=t["id"],
                title=t["title"],
                intro=t.get("intro", ""),
                line=t.get("line", 0),
                questions=tuple(_question_from_dict(q, t["id"]) for q in t["questions"]),
            )
            for t in data["themes"]
        )
        return cls(
            id=data["id"],
            title=data["title"],
            perspective=data["perspective"],
            version=str(data["version"]),
            scale=data.get("scale", DEFAULT_SCALE),
            opening=data.get("opening", ""),
            source=data.get("source", ""),
            themes=themes,
        )


def _question_to_dict(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "type": str(q.type),
        "help": q.help,
        "probes": list(q.probes),
        "required": q.required,
        "tags": list(q.tags),
        "condition": (
            None
            if q.condition is None
            else {"question_id": q.condition.question_id, "op": q.condition.op,
                  "value": q.condition.value}
        ),
        "options": list(q.options),
        "scale": q.scale,
        "counterpart": q.counterpart,
        "milestone": q.milestone,
        "minimum": q.minimum,
        "maximum": q.maximum,
        "line": q.line,
    }


def _question_from_dict(d: Mapping[str, Any], theme_id: str) -> Question:
    cond = d.get("condition")
    return Question(
        id=d["id"],
        theme_id=theme_id,
        text=d["text"],
        type=AnswerType(d.get("type", "smiley")),
        help=d.get("help", ""),
        probes=tuple(d.get("probes", ())),
        required=bool(d.get("required", True)),
        tags=tuple(d.get("tags", ())),
        condition=None if not cond else Condition(cond["question_id"], cond["op"], cond["value"]),
        options=tuple(d.get("options", ())),
        scale=d.get("scale", DEFAULT_SCALE),
        counterpart=d.get("counterpart"),
        milestone=d.get("milestone"),
        minimum=d.get("minimum"),
        maximum=d.get("maximum"),
        line=d.get("line", 0),
    )
