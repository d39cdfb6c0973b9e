"""The rows of the store as immutable values, and their mapping from SQL rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store.errors import damaged
from zet_tui.core.vocab import AnswerStatus


@dataclass(frozen=True)
class Evaluation:
    id: str
    name: str
    municipality: str
    themes: tuple[str, ...] | None
    created: str
    follows_id: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    evaluation_id: str
    code: str
    label: str
    notes: str
    created: str


@dataclass(frozen=True)
class Session:
    id: str
    case_id: str
    perspective: str
    questionnaire: Questionnaire
    interviewer: str
    co_interviewer: str
    consent_given: bool
    consent_by: str
    consent_at: str | None
    consent_note: str
    started: str
    ended: str | None
    status: str
    reviewed_by: str | None = None
    reviewed_at: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class NoteRole(StrEnum):
    """Who wrote a note: the interviewer (F2) or the reviewer, the second person."""

    INTERVIEWER = "interviewer"
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Note:
    id: str
    session_id: str
    question_id: str | None
    theme_id: str | None
    kind: str
    text: str
    author: str
    created: str
    handled_at: str | None
    handled_by: str | None
    role: str = NoteRole.REVIEWER

    @property
    def is_open_flag(self) -> bool:
        return self.kind == "flag" and self.handled_at is None

    @property
    def by_reviewer(self) -> bool:
        return self.role != NoteRole.INTERVIEWER


@dataclass(frozen=True)
class Event:
    id: str
    session_id: str | None
    at: str
    actor: str
    kind: str
    question_id: str | None
    old: Any
    new: Any


IMPROVEMENT_STATUSES = ("open", "in_uitvoering", "gereed")


@dataclass(frozen=True)
class Finding:
    """A finding put to the feedback meeting; `recognised` is the participants' reaction."""

    id: str
    evaluation_id: str
    kind: str
    key: str
    text: str
    recognised: str | None
    explanation: str
    created: str
    updated: str


@dataclass(frozen=True)
class Meeting:
    id: str
    evaluation_id: str
    held_at: str
    attendees: tuple[str, ...]
    notes: str
    created: str


@dataclass(frozen=True)
class Improvement:
    id: str
    evaluation_id: str
    text: str
    themes: tuple[str, ...]
    findings: tuple[str, ...]
    owner: str
    due: str | None
    status: str
    created: str
    updated: str


@dataclass
class SessionSummary:
    """One row for pick-lists: a session with its case and evaluation."""

    session_id: str
    evaluation_id: str
    evaluation_name: str
    case_code: str
    perspective: str
    questionnaire_title: str
    interviewer: str
    started: str
    status: str
    answered: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    damaged: str = ""
    """What cannot be read (empty: nothing); such a session is listed but not opened."""

    def damage_message(self) -> str:
        return (f"Sessie {self.session_id[:8]} (casus {self.case_code}) is beschadigd en kan "
                f"niet worden geopend: {self.damaged} onleesbaar. De andere sessies zijn "
                "bruikbaar.")


def _probes(raw: str | None, ident: str | None = None) -> tuple[int, ...]:
    """The asked probes (indexes) from their JSON list; damage names the session `ident`."""
    if not raw or raw == "[]":
        return ()
    if raw[0] == "[" and raw[-1] == "]":  # the usual "[0, 2]": faster than the JSON parser
        try:
            return tuple(int(x) for x in raw[1:-1].split(","))
        except ValueError:
            pass
    try:
        probes = json.loads(raw)
    except (ValueError, TypeError):
        probes = None
    if not isinstance(probes, list) or not all(type(x) is int for x in probes):
        raise damaged("antwoord van sessie", ident, "probes_asked") from None
    return tuple(probes)


def json_list(r: dict[str, Any], key: str, what: str) -> list[Any]:
    """Column `key` of row `r` as the JSON list of strings it must hold, or `DamagedData`."""
    try:
        value = json.loads(r[key])
    except (ValueError, TypeError):
        value = None
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise damaged(what, r.get("id"), key)
    return value


def _json_value(r: dict[str, Any], key: str, what: str) -> Any:
    try:
        return None if r[key] is None else json.loads(r[key])
    except (ValueError, TypeError):
        raise damaged(what, r.get("id"), key) from None


# -- row mapping -------------------------------------------------------------
def _evaluation(r: dict[str, Any]) -> Evaluation:
    themes = json_list(r, "themes", "evaluatie") if r.get("themes") else None
    return Evaluation(r["id"], r["name"], r["municipality"],
                      tuple(themes) if themes else None, r["created"], r.get("follows_id"))


def _case(r: dict[str, Any]) -> Case:
    return Case(r["id"], r["evaluation_id"], r["code"], r["label"], r["notes"], r["created"])


def _session(r: dict[str, Any], parsed: dict[str, Questionnaire] | None = None) -> Session:
    questionnaire = None if parsed is None else parsed.get(r["snapshot"])
    if questionnaire is None:
        try:
            questionnaire = Questionnaire.from_dict(json.loads(r["snapshot"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise damaged("sessie", r["id"], f"vragenlijst, {type(exc).__name__}") from None
        if parsed is not None:
            parsed[r["snapshot"]] = questionnaire
    return Session(
        id=r["id"], case_id=r["case_id"], perspective=r["perspective"],
        questionnaire=questionnaire,
        interviewer=r["interviewer"], co_interviewer=r["co_interviewer"],
        consent_given=bool(r["consent_given"]), consent_by=r["consent_by"],
        consent_at=r["consent_at"], consent_note=r["consent_note"], started=r["started"],
        ended=r["ended"], status=r["status"], reviewed_by=r.get("reviewed_by"),
        reviewed_at=r.get("reviewed_at"),
    )


def _improvement(r: dict[str, Any]) -> Improvement:
    return Improvement(r["id"], r["evaluation_id"], r["text"],
                       tuple(json_list(r, "themes", "verbeterpunt")),
                       tuple(json_list(r, "findings", "verbeterpunt")), r["owner"], r["due"],
                       r["status"], r["created"], r["updated"])


def _event_row(r: dict[str, Any]) -> Event:
    return Event(r["id"], r["session_id"], r["at"], r["actor"], r["kind"], r["question_id"],
                 _json_value(r, "old", "logboekregel"), _json_value(r, "new", "logboekregel"))


def answer_status(raw: str, ident: str | None) -> AnswerStatus:
    try:
        return AnswerStatus(raw)
    except ValueError:
        raise damaged("antwoord van sessie", ident, "status") from None


def _answer(r: dict[str, Any]) -> Answer:
    return Answer(
        question_id=r["question_id"], status=answer_status(r["status"], r.get("session_id")),
        score=r["score"], value=r["value"], toelichting=r["toelichting"], reason=r["reason"],
        probes_asked=_probes(r["probes_asked"], r.get("session_id")), updated=r["updated"],
        updated_by=r["updated_by"],
    )
