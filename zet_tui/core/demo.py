"""Demo data: a fictional evaluation of three cases, fully answered from three perspectives.

Built only through the public `Store` API (consent recorded, every answer via
`save_answer`), so the audit log, review notes and timestamps are as real as
after an interview. It works with *any* valid inwoner/professional/dossier
questionnaires: answers are generated per question type from a seeded random
generator, and the interesting parts are planted on purpose:

* a case profile per case (went well / mixed / went less well) sets the level
  of the smiley scores; on rows shared by several perspectives every
  perspective gets the same level, so no difference appears by accident;
* clear differences between perspectives on shared rows: the resident scores
  1-2 where the professional (and the file) score 4-5, on one key in every
  case (a recurring difference) and on one other key per case; and one ja/nee
  question answered *nee* by the resident and *ja* by the professional;
* a dossier date for every (visible) milestone question, in the natural order;
* a fictional first name and street per case in some toelichtingen, registered
  as sensitive terms, so `zet export --pseudonymize` has something to hide.

All people, streets and stories are invented.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from zet_tui.core.answers import Answer
from zet_tui.core.interview import Interview, is_visible
from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.questionnaire_loader import load_file, questionnaire_files
from zet_tui.core.store import Evaluation, Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, MILESTONES, AnswerStatus, AnswerType

DEMO_NAME = "Demo-evaluatie Voorbeeldstad"
DEMO_MUNICIPALITY = "Gemeente Voorbeeldstad (fictief)"
ACTOR = "zet demo"


@dataclass(frozen=True)
class DemoCase:
    code: str
    label: str
    level: int  # base smiley5 level: how well the case went
    first_name: str
    street: str
    start: date
    # days from aanmelding to each milestone, in natural order
    gaps: Mapping[str, int]


CASES: tuple[DemoCase, ...] = (
    DemoCase("DEMO-1", "Alleenstaande moeder met schulden, ging goed", 4, "Marieke",
             "Kastanjelaan", date(2025, 1, 13),
             {"eerste-contact": 4, "vraagverheldering": 11, "plan": 25, "start-hulp": 32,
              "evaluatie": 120, "afsluiting": 210}),
    DemoCase("DEMO-2", "Jongere van 17 met licht verstandelijke beperking", 3, "Daan",
             "Molenweg", date(2025, 2, 3),
             {"eerste-contact": 9, "vraagverheldering": 30, "plan": 58, "start-hulp": 95,
              "evaluatie": 180, "afsluiting": 300}),
    DemoCase("DEMO-3", "Oudere man, mantelzorg overbelast, ging minder goed", 2, "Henk",
             "Zonnebloemstraat", date(2024, 11, 18),
             {"eerste-contact": 21, "vraagverheldering": 49, "plan": 92, "start-hulp": 150,
              "evaluatie": 260, "afsluiting": 340}),
)

INTERVIEWERS = (("Sanne Kramer", "Ruben Aydin"), ("Ilse Verbeek", "Tom Hoekstra"))
DOSSIER_READER = "Fatima El Idrissi"
REVIEWER = "Joost van Leeuwen"

# Hand-written, fictional toelichtingen. {naam} and {straat} are the case's
# sensitive terms; {wie} is a role.
SNIPPETS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "inwoner": {
        "low": (
            "Ik moest drie keer bellen voordat iemand me terugbelde. Dat voelde niet goed.",
            "Ik had het idee dat niemand echt luisterde; ze hadden hun oordeel al klaar.",
            "Er kwam steeds iemand anders. Dan moet je je verhaal weer opnieuw doen.",
            "Het duurde maanden. In die tijd liep het thuis helemaal vast.",
            "Ik wist niet dat ik bezwaar kon maken. Dat heeft niemand me verteld.",
        ),
        "mid": (
            "Het ging wel, maar ik moest er zelf steeds achteraan.",
            "Sommige dingen gingen goed, andere niet; het hing af van wie je trof.",
            "Uiteindelijk kwam het goed, maar de weg ernaartoe was lang.",
        ),
        "high": (
            "De consulent nam echt de tijd en vroeg door. Dat deed me goed.",
            "Ik had één vast aanspreekpunt, dat maakte alles makkelijker.",
            "Ze kwamen gewoon bij mij thuis op de {straat}, dat scheelde veel.",
            "Ik mocht zelf zeggen wat ik belangrijk vond. {naam} zat er ook bij.",
        ),
    },
    "professional": {
        "low": (
            "Achteraf hadden we eerder moeten opschalen; de signalen waren er.",
            "De wachtlijst bij de aanbieder was lang, daar hadden we geen invloed op.",
            "We hebben te weinig met de school afgestemd.",
        ),
        "mid": (
            "Volgens de werkafspraken, maar het kostte meer tijd dan gewenst.",
            "Er was overleg, maar niet iedereen zat aan tafel.",
            "Redelijk; het plan is later nog bijgesteld.",
        ),
        "high": (
            "We hebben binnen een week contact opgenomen, volgens de werkafspraak.",
            "Er is een integraal plan gemaakt met alle betrokken partijen.",
            "Ik ben vanaf het begin het vaste aanspreekpunt geweest.",
            "Het huisbezoek aan de {straat} gaf een goed beeld van de situatie van {naam}.",
        ),
    },
    "dossier": {
        "low": (
            "Geen verslag van het keukentafelgesprek gevonden.",
            "Het plan is niet ondertekend door de inwoner.",
        ),
        "mid": (
            "Verslag aanwezig, maar de doelen zijn algemeen geformuleerd.",
            "Afstemming met de aanbieder staat alleen in een e-mail.",
        ),
        "high": (
            "Gespreksverslag en plan zijn volledig en door de inwoner ondertekend.",
            "In het dossier staat dat {naam} zelf de doelen heeft gekozen.",
            "Overdracht aan de aanbieder is schriftelijk vastgelegd.",
        ),
    },
}
DIVERGENT_RESIDENT = (
    "Ik voelde me helemaal niet serieus genomen. {naam} heeft het ook zo ervaren.",
    "Dat ging echt niet goed; niemand vroeg wat ik zelf wilde.",
    "Ik heb me daar in de steek gelaten gevoeld.",
)
DIVERGENT_OTHER = {
    "professional": (
        "Naar ons idee ging dit goed; de inwoner gaf geen signaal dat het anders was.",
        "Volgens onze werkafspraken is dit zorgvuldig gegaan.",
        "Dit hebben we met de inwoner besproken en dat ging prima.",
    ),
    "dossier": (
        "Volgens het dossier is dit goed verlopen.",
        "Het verslag beschrijft dit als afgestemd met de inwoner.",
    ),
}
YES_NO_PLANTED = {
    "inwoner": "Nee, dat is mij nooit verteld.",
    "professional": "Ja, dat hebben we in het eerste gesprek besproken.",
    "dossier": "Volgens het verslag is dit besproken.",
}
TEXT_ANSWERS = (
    "Zorg dat je één vast aanspreekpunt krijgt en houdt.",
    "Luister eerst, en vul niet in voor de inwoner.",
    "Sneller schakelen als het thuis niet meer gaat.",
)
REVIEW_NOTES = (
    "Toelichting nalopen met de tweede interviewer.",
    "Doorvragen bij het volgende gesprek: wat had de inwoner nodig gehad?",
)


@dataclass
class DemoResult:
    evaluation: Evaluation
    case_codes: list[str]
    sessions: int
    answers: int
    planted: dict[str, list[str]] = field(default_factory=dict)
    """Per case code the question keys where a difference was planted."""
    low_theme: str = ""
    """The theme planted to score low in most cases."""
    codings: int = 0
    """Codings the fictional analyst added (`core/demo_coding.py`)."""


def demo_questionnaires(paths: Path | Sequence[Path] | None = None) -> dict[str, Questionnaire]:
    """One valid questionnaire per case perspective from `paths` (folders or files; default:
    the shipped questionnaires).

    A questionnaire whose id equals its perspective wins over others of that
    perspective, so extra lists (like a checklist) never replace the main ones.
    """
    targets = [paths] if isinstance(paths, Path) else list(paths or ())
    found: dict[str, Questionnaire] = {}
    for path in questionnaire_files(targets or None):
        result = load_file(path)
        q = result.questionnaire
        if not result.ok or q is None or q.perspective not in CASE_PERSPECTIVES:
            continue
        if q.perspective not in found or q.id == q.perspective:
            found[q.perspective] = q
    missing = [p for p in CASE_PERSPECTIVES if p not in found]
    if missing:
        where = ", ".join(map(str, targets)) or "de meegeleverde vragenlijsten"
        raise StoreError(f"geen geldige vragenlijst voor {', '.join(missing)} in {where}")
    return found


def _shared_keys(questionnaires: Mapping[str, Questionnaire], kind: str) -> list[str]:
    """Keys answered by both inwoner and professional with a scale (kind 'scale') or ja/nee."""
    def keys(q: Questionnaire) -> list[str]:
        if kind == "scale":
            return [x.key for x in q.questions() if x.is_scaled]
        return [x.key for x in q.questions() if x.type == AnswerType.YES_NO]

    professional = set(keys(questionnaires["professional"]))
    return [k for k in dict.fromkeys(keys(questionnaires["inwoner"])) if k in professional]


def _to_scale(level: int, q: Question) -> int:
    size = q.scale_def.size
    return int(1 + (level - 1) * (size - 1) / 4 + 0.5)


def demo_name(store: Store, name: str, force: bool) -> str:
    """The name for a new demo evaluation: refused when one exists (unless `force`), else
    numbered after the existing ones."""
    existing = [e for e in store.evaluations() if e.name.startswith(name)]
    if existing and not force:
        raise StoreError(f"er is al een demo-evaluatie '{name}'; gebruik --force om er nog "
                         "een toe te voegen")
    return f"{name} ({len(existing) + 1})" if existing else name


def build_demo(store: Store, questionnaires: Mapping[str, Questionnaire], *, seed: int = 7,
               name: str = DEMO_NAME, force: bool = False) -> DemoResult:
    name = demo_name(store, name, force)
    rng = random.Random(seed)
    evaluation = store.create_evaluation(name, DEMO_MUNICIPALITY, actor=ACTOR)
    scale_keys = _shared_keys(questionnaires, "scale")
    shared_yes = _shared_keys(questionnaires, "yesno")
    result = DemoResult(evaluation, [], 0, 0)
    inwoner_themes = questionnaires["inwoner"].themes
    result.low_theme = inwoner_themes[1 if len(inwoner_themes) > 1 else 0].id
    low_keys = {x.key for q in questionnaires.values() for t in q.themes
                if t.id == result.low_theme for x in t.questions} - set(scale_keys[:1])
    yes_keys = frozenset(x.key for q in questionnaires.values() for x in q.questions()
                         if x.type == AnswerType.YES_NO)
    for index, spec in enumerate(CASES):
        case = store.add_case(evaluation.id, spec.code, spec.label, actor=ACTOR)
        result.case_codes.append(case.code)
        store.add_sensitive_term(case.id, spec.first_name, actor=ACTOR)
        store.add_sensitive_term(case.id, spec.street, actor=ACTOR)
        planted: list[str] = []
        if scale_keys:
            planted.append(scale_keys[0])  # the same difference in every case: a rode draad
            if len(scale_keys) > 1:
                planted.append(scale_keys[1 + index % (len(scale_keys) - 1)])
        planted_yes = shared_yes[0] if shared_yes and index == 1 else None
        result.planted[case.code] = planted + ([planted_yes] if planted_yes else [])
        levels = {k: max(1, min(5, spec.level + rng.choice((-1, 0, 0, 1)))) for k in
                  dict.fromkeys(x.key for q in questionnaires.values() for x in q.questions())}
        if index >= 1:  # one theme scores low in two of the three cases: a rode draad
            for k in low_keys:
                levels[k] = rng.choice((1, 2))
        yes_values = {k: rng.random() < (0.3 + 0.2 * spec.level / 2) for k in levels}
        for perspective in CASE_PERSPECTIVES:
            questionnaire = questionnaires[perspective]
            pair = INTERVIEWERS[index % len(INTERVIEWERS)]
            session = store.start_session(
                case.id, questionnaire,
                interviewer=DOSSIER_READER if perspective == "dossier" else pair[0],
                co_interviewer="" if perspective == "dossier" else pair[1],
                consent_given=True,
                consent_by={"inwoner": "inwoner zelf, mondeling",
                            "professional": "professional zelf",
                            "dossier": "inwoner, schriftelijk formulier"}[perspective],
                consent_note="Toestemming vastgelegd in het demo-formulier.", actor=ACTOR)
            result.sessions += 1
            engine = Interview(session.questionnaire)
            for q in session.questionnaire.questions():
                if not is_visible(q, engine.answers, session.questionnaire):
                    continue
                answer = _answer(engine, q, perspective, spec, rng, levels, yes_values,
                                 planted, planted_yes, yes_keys)
                saved = store.save_answer(session.id, answer,
                                          actor=session.interviewer)
                engine.record(saved)
                result.answers += 1
            if index == 2 or perspective == "inwoner":
                theme = session.questionnaire.themes[0]
                store.add_note(session.id, REVIEW_NOTES[index % len(REVIEW_NOTES)],
                               kind="flag" if index == 2 else "note",
                               question_id=theme.questions[0].id, theme_id=theme.id,
                               author=REVIEWER)
            store.finish_session(session.id, actor=session.interviewer)
            if index != 2:
                store.mark_reviewed(session.id, REVIEWER)
    from zet_tui.core.demo_coding import add_demo_analysis

    result.codings = add_demo_analysis(store, evaluation.id, "Voorbeeldstad")
    return result


def _fill(text: str, spec: DemoCase) -> str:
    return text.format(naam=spec.first_name, straat=spec.street)


def _answer(engine: Interview, q: Question, perspective: str, spec: DemoCase,
            rng: random.Random, levels: Mapping[str, int], yes_values: Mapping[str, bool],
            planted: Sequence[str], planted_yes: str | None,
            yes_keys: frozenset[str]) -> Answer:
    probes = tuple(i for i in range(len(q.probes)) if rng.random() < 0.4)
    if q.is_scaled:
        if (q.scale == "ja-deels-nee" and q.key in yes_values and q.key not in planted
                and q.key in yes_keys):
            # a file that answers a yes/no question of the interviews agrees with them
            yes = perspective != "inwoner" if q.key == planted_yes else yes_values[q.key]
            return engine.make_answer(question_id=q.id, score=3 if yes else 1,
                                      toelichting=_fill(rng.choice(SNIPPETS[perspective][
                                          "high" if yes else "low"]), spec),
                                      probes_asked=probes)
        if q.key not in planted and perspective == "inwoner" and rng.random() < 0.06:
            return engine.make_answer(question_id=q.id, status=AnswerStatus.WEET_NIET,
                                      toelichting="Dat weet ik niet meer precies.",
                                      probes_asked=probes)
        if q.key in planted:
            level = rng.choice((1, 2)) if perspective == "inwoner" else rng.choice((4, 5))
            pool = (DIVERGENT_RESIDENT if perspective == "inwoner"
                    else DIVERGENT_OTHER.get(perspective, DIVERGENT_OTHER["professional"]))
        else:
            level = levels[q.key]
            band = "low" if level <= 2 else "mid" if level == 3 else "high"
            pool = SNIPPETS[perspective][band]
        toelichting = _fill(rng.choice(pool), spec)
        return engine.make_answer(question_id=q.id, score=_to_scale(level, q),
                                  toelichting=toelichting, probes_asked=probes)
    if q.type == AnswerType.YES_NO:
        value = yes_values[q.key]
        if q.key == planted_yes:
            value = perspective != "inwoner"
            note = YES_NO_PLANTED.get(perspective, "")
        else:
            note = ""
        return engine.make_answer(question_id=q.id, value="ja" if value else "nee",
                                  toelichting=note, probes_asked=probes)
    if q.type == AnswerType.DATE:
        if q.milestone:
            days = 0 if q.milestone == "aanmelding" else spec.gaps.get(q.milestone, 0)
            if q.milestone not in MILESTONES:
                days = 0
        else:
            days = rng.randint(0, max(spec.gaps.values()))
        when = spec.start + timedelta(days=days)
        return engine.make_answer(question_id=q.id, value=when.isoformat(), probes_asked=probes)
    if q.type == AnswerType.NUMBER:
        low = int(q.minimum) if q.minimum is not None else 0
        high = int(q.maximum) if q.maximum is not None else low + 10
        return engine.make_answer(question_id=q.id, value=str(rng.randint(low, max(low, high))),
                                  probes_asked=probes)
    if q.type == AnswerType.CHOICE and q.options:
        return engine.make_answer(question_id=q.id, value=rng.choice(q.options),
                                  probes_asked=probes)
    if q.type == AnswerType.TEXT:
        return engine.make_answer(question_id=q.id, value=rng.choice(TEXT_ANSWERS),
                                  probes_asked=probes)
    return engine.make_answer(question_id=q.id, status=AnswerStatus.WEET_NIET,
                              probes_asked=probes)
