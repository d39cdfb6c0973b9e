"""Demo follow-up round: the first demo's feedback meeting, then a second evaluation a year later.

Built on top of `build_demo` (kept in its own module so the first round's demo
stays untouched) and only through the public Store API. What it plants, so that
`zet compare` has a story to tell:

* the first evaluation gets a feedback meeting with fictional attendees, a
  reaction on every finding (herkend / deels / niet herkend) and three
  improvement points: one *gereed*, one *in_uitvoering*, one *open*;
* a second evaluation, same municipality, recorded as follow-up, with three new
  fictional cases on the same case profiles (went well / mixed / less well);
* the theme that scored low in the first round now scores well (*verbeterd*),
  the last theme scores worse (*verslechterd*), the others stay at the same level;
* the difference between resident and professional on the first shared question
  returns in two of the three cases, so that finding recurs;
* the inwoner questionnaire is bumped to version 2 with one question reworded,
  so the comparison flags a wording change.

All people, streets and stories are invented.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from zet_tui.core.answers import Answer
from zet_tui.core.demo import ACTOR, INTERVIEWERS, REVIEWER, DemoResult
from zet_tui.core.feedback import (
    KIND_DIVERGENCE,
    KIND_KNELPUNT,
    add_analyst_finding,
    numbered_findings,
    record_meeting,
    sync_findings,
)
from zet_tui.core.interview import Interview, is_visible
from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.store import Evaluation, Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, MILESTONES, AnswerStatus, AnswerType

FOLLOW_UP_SUFFIX = " — vervolgmeting"
REWORDED_PREFIX = "(herzien) "
ATTENDEES = ("Anouk de Vries (wethouder)", "Bas Meijer (teamleider Sociaal Team Noord)",
             "Priya Ramdin (beleidsadviseur Wmo)", "Kees Bakker (zorgaanbieder De Linde)")
ANALYST_NOTE = ("Inwoners noemen vaak dat ze niet wisten bij wie ze terechtkonden na de "
                "eerste afspraak.")
REACTIONS = (
    ("ja", "Herkenbaar: door tijdsdruk werd het eerste gesprek vaak kort gehouden."),
    ("deels", "Bij jongeren herkennen we dit, bij ouderen minder."),
    ("nee", "Volgens het team is dit juist verbeterd sinds de nieuwe werkafspraken."),
)
IMPROVEMENTS = (
    ("Werkwijze bij '{theme}' aanscherpen: doorvragen op alle leefgebieden en het verslag "
     "samen met de inwoner nalopen",
     "Teamleider Sociaal Team Noord", "2025-12-01", "gereed"),
    ("Eén vast aanspreekpunt per inwoner, ook na de overdracht aan een aanbieder",
     "Beleidsadviseur Wmo", "2026-03-01", "in_uitvoering"),
    ("Terugbelnorm van twee werkdagen invoeren en bewaken",
     "Teamleider Sociaal Team Noord", "2026-06-01", "open"),
)


@dataclass(frozen=True)
class FollowUpCase:
    code: str
    label: str
    level: int
    start: date


FOLLOW_UP_CASES: tuple[FollowUpCase, ...] = (
    FollowUpCase("VERVOLG-1", "Gezin met opvoedvragen, ging goed", 4, date(2026, 1, 12)),
    FollowUpCase("VERVOLG-2", "Jonge mantelzorger, wisselend verlopen", 3, date(2026, 2, 2)),
    FollowUpCase("VERVOLG-3", "Man met schulden en eenzaamheid, ging minder goed", 2, date(2025, 12, 8)),
)
GAPS = {"eerste-contact": 3, "vraagverheldering": 9, "plan": 20, "start-hulp": 28,
        "evaluatie": 110, "afsluiting": 200}
TOELICHTING: Mapping[str, Mapping[str, str]] = {
    "inwoner": {
        "low": "Het duurde lang en ik moest er zelf achteraan blijven gaan.",
        "mid": "Het ging redelijk; sommige afspraken liepen beter dan andere.",
        "high": "Dit ging goed: er werd meteen met mij meegedacht.",
    },
    "professional": {
        "low": "Door personeelstekort kwamen we hier niet goed aan toe.",
        "mid": "Volgens de werkafspraken, al ging niet alles even vlot.",
        "high": "Sinds de nieuwe werkafspraken lukt dit goed.",
    },
    "dossier": {
        "low": "Hierover staat niets in het dossier.",
        "mid": "Gedeeltelijk vastgelegd in het dossier.",
        "high": "Volledig en tijdig vastgelegd in het dossier.",
    },
}


@dataclass
class FollowUpResult:
    first: Evaluation
    follow_up: Evaluation
    improved_theme: str
    worsened_theme: str | None
    recurring_key: str | None
    reworded_question: str
    improvements: list[str]
    findings: int
    sessions: int = 0
    answers: int = 0


def bumped_questionnaire(questionnaire: Questionnaire, question_id: str, version: str = "2") -> Questionnaire:
    """A copy with one question reworded and a new version, as an evaluator would after round one."""
    themes = tuple(
        replace(t, questions=tuple(
            replace(q, text=REWORDED_PREFIX + q.text) if q.id == question_id else q
            for q in t.questions))
        for t in questionnaire.themes)
    return replace(questionnaire, version=version, themes=themes, _index={})


def record_first_meeting(store: Store, first: DemoResult) -> list[str]:
    """The feedback meeting of round one; returns the ids of its improvement points."""
    eid = first.evaluation.id
    sync_findings(store, eid, actor=ACTOR)  # derived findings first: they get F1, F2, ...
    add_analyst_finding(store, eid, ANALYST_NOTE, actor=ACTOR)
    findings = numbered_findings(store, eid)
    record_meeting(store, eid, "2025-09-18", list(ATTENDEES),
                   "Terugkoppeling in het gemeentehuis; bevindingen herkend en toegelicht.",
                   actor=ACTOR)
    for i, f in enumerate(findings):
        recognised, explanation = REACTIONS[i % len(REACTIONS)]
        store.record_reaction(f.finding.id, recognised, explanation, actor=ACTOR)
    low = [f.finding.id for f in findings if f.finding.kind == KIND_KNELPUNT]
    diff = [f.finding.id for f in findings if f.finding.kind == KIND_DIVERGENCE]
    links: tuple[tuple[list[str], list[str]], ...] = (
        (low[:1], [first.low_theme]), (diff[:1], []), ([findings[-1].finding.id], []))
    theme_title = next((t.title for s in store.sessions(evaluation_id=eid)
                         for t in s.questionnaire.themes if t.id == first.low_theme), first.low_theme)
    ids = []
    for (text, owner, due, status), (finding_ids, themes) in zip(IMPROVEMENTS, links, strict=True):
        text = text.format(theme=theme_title)
        point = store.add_improvement(eid, text, owner=owner, due=due, themes=themes,
                                      findings=finding_ids, actor=ACTOR)
        if status == "gereed":
            store.update_improvement(point.id, status="in_uitvoering", actor=ACTOR)
        if status != "open":
            store.update_improvement(point.id, status=status, actor=ACTOR)
        ids.append(point.id)
    return ids


def build_follow_up_demo(store: Store, first: DemoResult,
                         questionnaires: Mapping[str, Questionnaire], *, seed: int = 11) -> FollowUpResult:
    """Record round one's meeting and add the follow-up evaluation (see the module docstring)."""
    name = first.evaluation.name + FOLLOW_UP_SUFFIX
    if any(e.name == name for e in store.evaluations()):
        raise StoreError(f"er is al een vervolgmeting '{name}'")
    improvement_ids = record_first_meeting(store, first)
    rng = random.Random(seed)
    inwoner = questionnaires["inwoner"]
    themes = [t.id for t in inwoner.themes]
    improved = first.low_theme
    worsened = themes[-1] if len(themes) > 2 and themes[-1] != improved else None
    scaled_first = next((q for q in inwoner.themes[0].questions if q.is_scaled), inwoner.themes[0].questions[0])
    reworded = next((q.id for q in inwoner.themes[0].questions if q.id != scaled_first.id),
                    scaled_first.id)
    planted_key = _planted_key(first)
    versions = dict(questionnaires)
    versions["inwoner"] = bumped_questionnaire(inwoner, reworded)
    evaluation = store.create_evaluation(name, first.evaluation.municipality,
                                         first.evaluation.themes, actor=ACTOR,
                                         follows_id=first.evaluation.id)
    result = FollowUpResult(first.evaluation, evaluation, improved, worsened, planted_key, reworded,
                            improvement_ids, len(store.findings(first.evaluation.id)))
    all_keys = list(dict.fromkeys(q.key for qn in versions.values() for q in qn.questions()))
    theme_of = {q.key: q.theme_id for qn in versions.values() for q in qn.questions()}
    for index, spec in enumerate(FOLLOW_UP_CASES):
        case = store.add_case(evaluation.id, spec.code, spec.label, actor=ACTOR)
        levels: dict[str, int] = {}
        for key in all_keys:
            theme = theme_of[key]
            if theme == improved:
                levels[key] = rng.choice((4, 5))
            elif theme == worsened:
                levels[key] = rng.choice((2, 3)) if spec.level >= 3 else 1
            else:
                levels[key] = max(1, min(5, spec.level + rng.choice((-1, 0, 0, 1))))
        divergent = planted_key if index < 2 else None
        for perspective in CASE_PERSPECTIVES:
            pair = INTERVIEWERS[index % len(INTERVIEWERS)]
            session = store.start_session(
                case.id, versions[perspective],
                interviewer="Lotte Jansen" if perspective == "dossier" else pair[0],
                co_interviewer="" if perspective == "dossier" else pair[1], consent_given=True,
                consent_by="inwoner, schriftelijk formulier" if perspective != "professional"
                else "professional zelf",
                consent_note="Toestemming vastgelegd in het demo-formulier.", actor=ACTOR)
            result.sessions += 1
            engine = Interview(session.questionnaire)
            for q in session.questionnaire.questions():
                if not is_visible(q, engine.answers, session.questionnaire):
                    continue
                level = levels[q.key]
                if q.key == divergent:
                    level = rng.choice((1, 2)) if perspective == "inwoner" else rng.choice((4, 5))
                answer = _answer(engine, q, level, spec, rng, perspective)
                engine.record(store.save_answer(session.id, answer, actor=session.interviewer))
                result.answers += 1
            store.finish_session(session.id, actor=session.interviewer)
            store.mark_reviewed(session.id, REVIEWER)
    return result


def _planted_key(first: DemoResult) -> str | None:
    """The question key whose difference was planted in every case of round one."""
    lists = [set(keys) for keys in first.planted.values() if keys]
    common = set.intersection(*lists) if lists else set()
    for keys in first.planted.values():
        for k in keys:
            if k in common:
                return k
    return None


def _answer(engine: Interview, q: Question, level: int, spec: FollowUpCase, rng: random.Random,
            perspective: str) -> Answer:
    band = "low" if level <= 2 else "mid" if level == 3 else "high"
    if q.is_scaled:
        size = q.scale_def.size
        score = int(1 + (level - 1) * (size - 1) / 4 + 0.5)
        return engine.make_answer(question_id=q.id, score=score, toelichting=TOELICHTING[perspective][band])
    if q.type == AnswerType.YES_NO:
        return engine.make_answer(question_id=q.id, value="ja" if level >= 3 else "nee")
    if q.type == AnswerType.DATE:
        days = GAPS.get(q.milestone or "", 0) if q.milestone in MILESTONES else rng.randint(0, 200)
        return engine.make_answer(question_id=q.id, value=(spec.start + timedelta(days=days)).isoformat())
    if q.type == AnswerType.NUMBER:
        low = int(q.minimum) if q.minimum is not None else 0
        high = int(q.maximum) if q.maximum is not None else low + 10
        return engine.make_answer(question_id=q.id, value=str(rng.randint(low, max(low, high))))
    if q.type == AnswerType.CHOICE and q.options:
        return engine.make_answer(question_id=q.id, value=rng.choice(q.options))
    if q.type == AnswerType.TEXT:
        return engine.make_answer(question_id=q.id, value="Blijf vragen wat de inwoner zelf wil.")
    return engine.make_answer(question_id=q.id, status=AnswerStatus.WEET_NIET)
