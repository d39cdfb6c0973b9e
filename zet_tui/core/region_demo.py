"""A fictional region to try the regional comparison: five municipalities, one evaluation each.

Built through the public `Store` API (consent for every interview and
dossier study, every answer via `save_answer`, a policy self-evaluation per
municipality without consent), like `core/demo.py`. Scores are planted on the
analysis tags, so any questionnaires that use the standard tags work; a
question without a planted tag scores the neutral 3. Planted (`PLANTED`):

* **a shared knelpunt**: no integral plan (werkzaam element *integraal plan*)
  in Aldermeer, Brakveen and Kreekdijk, while both cases of Vlietwaarde show
  it as a success factor: Vlietwaarde is the one to learn from;
* **access**: Brakveen's front door works well (fast first contact), in
  Kreekdijk residents were sent from desk to desk: a second learning pair;
* **one contact person** is a problem in Aldermeer and Kreekdijk alike, and works in
  Vlietwaarde;
* **beleid beside praktijk**: Aldermeer's policy staff rate samenhang and
  planvorming highly while its cases do not (beleid positiever); Vlietwaarde
  rates samenhang modestly while its cases went well (praktijk positiever);
  Kreekdijk expects more of its access than the cases show;
* **thin data**: Zuidgeest has one case with only a half-finished dossier
  study, so most of its cells say "te weinig gegevens".

With `follow_up` a second round (a region that follows the first) shows
Aldermeer improved on integral work, Kreekdijk on access, and Brakveen's access
slipped. All people, places and stories are invented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from zet_tui.core.answers import Answer
from zet_tui.core.beleid import policy_questionnaire
from zet_tui.core.demo import demo_questionnaires, to_scale
from zet_tui.core.interview import Interview, is_visible
from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.store import Evaluation, Region, Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, MILESTONES, AnswerType

REGION_NAME = "Regio Zilverstroom (fictief)"
FOLLOW_UP_NAME = "Regio Zilverstroom (fictief), tweede ronde"
ACTOR = "zet demo"
POLICY_CASE = "BELEID"
NEUTRAL = 3

INTEGRAAL_PLAN = "werkzaam:integraal-plan"
INTEGRAAL = "basisfunctie:integraal"
TOEGANKELIJK = "basisfunctie:toegankelijk"
TOEGANG = "werkzaam:toegankelijk"
CONTACTPERSOON = "werkzaam:vast-contactpersoon"


@dataclass(frozen=True)
class DemoCase:
    code: str
    label: str
    first_name: str
    start: date
    first_contact_days: int
    perspectives: tuple[str, ...] = CASE_PERSPECTIVES
    finished: bool = True


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    cases: tuple[DemoCase, ...]
    levels: tuple[tuple[str, int], ...]
    """(tag, smiley5 level) in priority order: a question takes the first tag it carries."""
    policy: Mapping[str, int]
    """Theme id -> level of the policy self-evaluation (others score `NEUTRAL`)."""
    advisor: str


def _cases(prefix: str, specs: Sequence[tuple[str, str, date, int]]) -> tuple[DemoCase, ...]:
    return tuple(DemoCase(f"{prefix}-{i}", label, name, start, days)
                 for i, (label, name, start, days) in enumerate(specs, start=1))


MUNICIPALITIES: tuple[DemoMunicipality, ...] = (
    DemoMunicipality(
        "Aldermeer",
        _cases("ALD", (("Gezin met drie kinderen en schulden", "Noor", date(2025, 1, 6), 8),
                       ("Jongen van 15, schoolverzuim", "Jesse", date(2025, 2, 3), 10))),
        ((INTEGRAAL_PLAN, 2), (INTEGRAAL, 2), (CONTACTPERSOON, 2)),
        {"samenhang": 5, "planvorming": 5}, "Marloes Tersteeg"),
    DemoMunicipality(
        "Brakveen",
        _cases("BRA", (("Moeder met psychische klachten", "Ilse", date(2025, 1, 13), 3),
                       ("Meisje van 12 met angstklachten", "Fenna", date(2025, 2, 10), 2))),
        ((TOEGANKELIJK, 5), (TOEGANG, 5), (INTEGRAAL_PLAN, 2)),
        {"toegang": 5}, "Rutger Bosveld"),
    DemoMunicipality(
        "Kreekdijk",
        _cases("KRE", (("Vader met een licht verstandelijke beperking", "Kees",
                        date(2024, 11, 18), 34),
                       ("Jongere van 17 die uit huis wil", "Sem", date(2025, 1, 20), 29))),
        ((TOEGANKELIJK, 1), (TOEGANG, 2), (CONTACTPERSOON, 2), (INTEGRAAL_PLAN, 2)),
        {"toegang": 5}, "Hanna Wijnberg"),
    DemoMunicipality(
        "Vlietwaarde",
        _cases("VLI", (("Gezin met een kind met autisme", "Mila", date(2025, 1, 27), 6),
                       ("Jonge moeder zonder netwerk", "Yara", date(2025, 3, 3), 5))),
        ((INTEGRAAL_PLAN, 5), (INTEGRAAL, 5), (CONTACTPERSOON, 4)),
        {"samenhang": 3, "planvorming": 3}, "Thomas Groeneveld"),
    DemoMunicipality(
        "Zuidgeest",
        (DemoCase("ZUI-1", "Oudere vrouw, mantelzorger valt weg", "Riek", date(2025, 2, 17), 14,
                  perspectives=("dossier",), finished=False),),
        ((CONTACTPERSOON, 2),),
        {}, "Esra Koçak"),
)
# The second round: what changed after the first round's meetings.
FOLLOW_UP_LEVELS: Mapping[str, tuple[tuple[str, int], ...]] = {
    "Aldermeer": ((INTEGRAAL_PLAN, 4), (INTEGRAAL, 4), (CONTACTPERSOON, 2)),
    "Brakveen": ((TOEGANKELIJK, 3), (TOEGANG, 3), (INTEGRAAL_PLAN, 2)),
    "Kreekdijk": ((TOEGANKELIJK, 4), (TOEGANG, 4), (CONTACTPERSOON, 2), (INTEGRAAL_PLAN, 3)),
}
PLANTED: Mapping[str, tuple[str, ...]] = {
    "knelpunt-integraal-plan": ("Aldermeer", "Brakveen", "Kreekdijk"),
    "succes-integraal-plan": ("Vlietwaarde",),
    "succes-toegang": ("Brakveen",),
    "knelpunt-toegang": ("Kreekdijk",),
    "knelpunt-contactpersoon": ("Aldermeer", "Kreekdijk"),
    "beleid-positiever": ("Aldermeer", "Kreekdijk"),
    "praktijk-positiever": ("Vlietwaarde",),
    "te-weinig-gegevens": ("Zuidgeest",),
    "verbeterd-in-ronde-2": ("Aldermeer", "Kreekdijk"),
    "verslechterd-in-ronde-2": ("Brakveen",),
}

INTERVIEWERS = ("Lotte Veenstra", "Bas Hiemstra")
DOSSIER_READER = "Sevda Yilmaz"
# {naam} is the case's first name, registered as a sensitive term.
SNIPPETS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    INTEGRAAL_PLAN: {
        "low": ("Iedere hulpverlener had een eigen plan; niemand hield het overzicht.",
                "Ik moest zelf tussen de school en de hulp in staan, {naam} merkte dat ook.",
                "Drie organisaties, drie plannen en geen gezamenlijk gesprek."),
        "high": ("Er was één plan voor het hele gezin, en één persoon die de regie hield.",
                 "Alle partijen zaten samen aan tafel; {naam} mocht zelf zeggen wat voorop ging.",
                 "Het plan werd elke drie maanden samen bijgesteld."),
    },
    TOEGANKELIJK: {
        "low": ("Ik werd van het ene loket naar het andere gestuurd.",
                "Het duurde weken voordat iemand terugbelde.",
                "Niemand kon zeggen waar ik met deze vraag moest zijn."),
        "high": ("Binnen een paar dagen zat er iemand aan de keukentafel.",
                 "Eén telefoonnummer, en die persoon regelde de rest.",
                 "De wijkcoach was gewoon aanspreekbaar op school."),
    },
    CONTACTPERSOON: {
        "low": ("Steeds iemand anders; je begint elke keer opnieuw.",
                "Toen de vaste begeleider wegging, wist niemand wie het overnam."),
        "high": ("Ik had één vast aanspreekpunt, dat gaf rust.",),
    },
}
SNIPPETS_BY_TAG: Mapping[str, str] = {INTEGRAAL: INTEGRAAL_PLAN, TOEGANG: TOEGANKELIJK}
NEUTRAL_SNIPPETS = ("Dat ging zoals je zou verwachten.", "Niet bijzonder goed of slecht.",
                    "Wisselend, het hing af van wie je trof.")
POLICY_SNIPPETS: Mapping[str, Mapping[str, str]] = {
    "samenhang": {"high": "In het regionale convenant is afgesproken dat er één plan en één "
                          "regisseur per huishouden komt.",
                  "mid": "Er zijn werkafspraken, maar die gelden nog niet voor alle partners."},
    "planvorming": {"high": "Het integrale plan is in het beleid de standaard.",
                    "mid": "Een gezamenlijk plan is de bedoeling; hoe vaak het lukt, weten we niet."},
    "toegang": {"high": "Eén loket voor alle vragen, met een eerste gesprek binnen vijf "
                        "werkdagen.",
                "mid": "De toegang is te bereiken via telefoon en website."},
}
TEXT_ANSWERS = ("Zorg voor één plan en één vaste persoon.",
                "Leer van elkaars aanpak in de regio.")


@dataclass
class RegionDemoResult:
    region: Region
    evaluations: list[Evaluation] = field(default_factory=list)
    sessions: int = 0
    answers: int = 0
    follow_up: Region | None = None


def _level(q: Question, levels: Sequence[tuple[str, int]]) -> tuple[int, str | None]:
    for tag, level in levels:
        if tag in q.tags:
            return level, tag
    return NEUTRAL, None


def _snippet(tag: str | None, level: int, case: DemoCase, index: int) -> str:
    pool = SNIPPETS.get(SNIPPETS_BY_TAG.get(tag or "", tag or ""), {})
    band = "low" if level <= 2 else "high" if level >= 4 else ""
    texts = pool.get(band) or NEUTRAL_SNIPPETS
    return texts[index % len(texts)].format(naam=case.first_name)


def _answer(engine: Interview, q: Question, level: int, text: str, index: int,
            case: DemoCase) -> Answer:
    if q.is_scaled:
        return engine.make_answer(question_id=q.id, score=to_scale(level, q), toelichting=text)
    if q.type == AnswerType.YES_NO:
        return engine.make_answer(question_id=q.id, value="ja" if level >= NEUTRAL else "nee",
                                  toelichting=text if level != NEUTRAL else "")
    if q.type == AnswerType.DATE:
        # milestones in their natural order, each step as long as the wait for first contact
        step = list(MILESTONES).index(q.milestone) if q.milestone in MILESTONES else 1
        days = case.first_contact_days * step
        return engine.make_answer(question_id=q.id,
                                  value=(case.start + timedelta(days=days)).isoformat())
    if q.type == AnswerType.NUMBER:
        low = q.minimum if q.minimum is not None else 0.0
        high = q.maximum if q.maximum is not None else float(case.first_contact_days)
        return engine.make_answer(question_id=q.id,
                                  value=str(int(min(max(case.first_contact_days, low), high))))
    if q.type == AnswerType.CHOICE and q.options:
        return engine.make_answer(question_id=q.id, value=q.options[index % len(q.options)])
    return engine.make_answer(question_id=q.id, value=TEXT_ANSWERS[index % len(TEXT_ANSWERS)])


AnswerFor = Callable[[Interview, Question, int], Answer | None]


def _fill(store: Store, session_id: str, questionnaire: Questionnaire, actor: str,
          answer_for: AnswerFor) -> int:
    engine = Interview(questionnaire)
    count = 0
    for index, q in enumerate(questionnaire.questions()):
        if not is_visible(q, engine.answers, questionnaire):
            continue
        answer = answer_for(engine, q, index)
        if answer is None:
            continue
        engine.record(store.save_answer(session_id, answer, actor=actor))
        count += 1
    return count


def _case_answer(engine: Interview, q: Question, index: int, *, case: DemoCase,
                 levels: Sequence[tuple[str, int]], kept: frozenset[str]) -> Answer | None:
    if q.theme_id not in kept:
        return None
    level, tag = _level(q, levels)
    return _answer(engine, q, level, _snippet(tag, level, case, index), index, case)


def _municipality(store: Store, result: RegionDemoResult, spec: DemoMunicipality,
                  levels: Sequence[tuple[str, int]], questionnaires: Mapping[str, Questionnaire],
                  policy: Questionnaire, year: int) -> Evaluation:
    evaluation = store.create_evaluation(f"Evaluatie {spec.name} {year}", spec.name, actor=ACTOR)
    for case_spec in spec.cases:
        case = store.add_case(evaluation.id, case_spec.code, case_spec.label, actor=ACTOR)
        store.add_sensitive_term(case.id, case_spec.first_name, actor=ACTOR)
        for perspective in case_spec.perspectives:
            session = store.start_session(
                case.id, questionnaires[perspective],
                interviewer=DOSSIER_READER if perspective == "dossier" else INTERVIEWERS[0],
                co_interviewer="" if perspective == "dossier" else INTERVIEWERS[1],
                consent_given=True, consent_by="inwoner, schriftelijk" if perspective == "dossier"
                else f"{perspective} zelf, mondeling", actor=ACTOR)
            # an unfinished study stops halfway through the questionnaire
            themes = session.questionnaire.themes
            kept = frozenset(t.id for t in themes[:None if case_spec.finished else len(themes) // 2])
            answer_for = partial(_case_answer, case=case_spec, levels=levels, kept=kept)
            result.answers += _fill(store, session.id, session.questionnaire, session.interviewer,
                                    answer_for)
            result.sessions += 1
            if case_spec.finished:
                store.finish_session(session.id, actor=session.interviewer)
    _policy_session(store, result, spec, evaluation, policy)
    return evaluation


def _policy_session(store: Store, result: RegionDemoResult, spec: DemoMunicipality,
                    evaluation: Evaluation, policy: Questionnaire) -> None:
    case = store.add_case(evaluation.id, POLICY_CASE, f"Beleidsvragenlijst {spec.name}",
                          actor=ACTOR)
    session = store.start_session(case.id, policy, interviewer=spec.advisor, actor=ACTOR)
    nobody = DemoCase("", "", "", date(2025, 1, 1), 5)

    def answer_for(engine: Interview, q: Question, index: int) -> Answer:
        level = spec.policy.get(q.theme_id, NEUTRAL)
        texts = POLICY_SNIPPETS.get(q.theme_id, {})
        text = texts.get("high" if level >= 4 else "mid", "") if index % 2 == 0 else ""
        return _answer(engine, q, level, text, index, nobody)

    result.answers += _fill(store, session.id, session.questionnaire, spec.advisor, answer_for)
    result.sessions += 1
    store.finish_session(session.id, actor=spec.advisor)


def build_region_demo(store: Store, questionnaire_paths: Path | Sequence[Path] | None = None, *,
                      follow_up: bool = False, force: bool = False) -> RegionDemoResult:
    """Build the demo region (and with `follow_up` its second round) in `store`."""
    existing = [r for r in store.regions() if r.name.startswith(REGION_NAME)]
    if existing and not force:
        raise StoreError(f"er is al een demoregio '{REGION_NAME}'; gebruik --force om er nog een "
                         "toe te voegen")
    suffix = f" ({len(existing) + 1})" if existing else ""
    questionnaires = demo_questionnaires(questionnaire_paths)
    policy = policy_questionnaire(questionnaire_paths)
    region = store.create_region(REGION_NAME + suffix, "Vijf fictieve gemeenten, één evaluatie per "
                                 "gemeente, met een beleidsvragenlijst per gemeente.", actor=ACTOR)
    result = RegionDemoResult(region)
    for spec in MUNICIPALITIES:
        ev = _municipality(store, result, spec, spec.levels, questionnaires, policy, 2025)
        store.add_region_member(region.id, ev.id, actor=ACTOR)
        result.evaluations.append(ev)
    if follow_up:
        second = store.create_region(FOLLOW_UP_NAME + suffix, "De tweede ronde, een jaar later.",
                                     follows_id=region.id, actor=ACTOR)
        for spec, first in zip(MUNICIPALITIES, list(result.evaluations), strict=True):
            again = DemoMunicipality(spec.name, _cases(spec.cases[0].code[:3], [
                (c.label, c.first_name, c.start.replace(year=c.start.year + 1), c.first_contact_days)
                for c in spec.cases] * (2 if len(spec.cases) == 1 else 1)),
                FOLLOW_UP_LEVELS.get(spec.name, spec.levels), spec.policy, spec.advisor)
            ev = _municipality(store, result, again, again.levels, questionnaires, policy, 2026)
            store.set_follows(ev.id, first.id, actor=ACTOR)
            store.add_region_member(second.id, ev.id, actor=ACTOR)
            result.evaluations.append(ev)
        result.follow_up = second
    return result
