"""A regional demo evaluation with planted patterns: eleven fictional cases in three municipalities.

It shows what the findings model (`core/findings.py`) makes of a real-sized
evaluation, and it is the fixture its tests check against. Built with the
shipped questionnaires through the public `Store` API (consent, every answer
via `save_answer`); the analyst's coded evidence (codings, quotes, a divergence
marked by hand, case summaries, attributes, recommendations) is returned as
plain values (`RegioDemo.evidence`), in the types of `core/coding.py`.

Planted, with the cases in `PLANTED` (everything else scores the neutral 3):

* **only in the toelichtingen**: no integral plan, "help on islands", coded as
  a knelpunt in six cases whose scores are neutral; one case (R-09) coded as
  the counterexample, with one plan and one director;
* **youth only**: a changing contact person and poor handovers in all four
  youth cases (jeugd 4 of 4, adults 0 of 7); in the two oldest the transition
  at 18 went badly (a finding from two cases: a weak signal);
* **a success factor with a counterexample**: residents felt heard in nine
  cases, not in R-06;
* **a one-step difference the analyst marked**: in R-04 the resident (3) and
  the professional (4) see the choice of day care differently; in R-03 and R-08
  the scores on the same theme differ two steps;
* **short indications** for four adults, in scores and toelichtingen;
* **a rarely discussed theme**: safety was skipped in eight of the eleven
  interview pairs, with a reason;
* **a single-case outlier that must not become a finding**: in R-11 everything
  about access scored 1 and the analyst coded it once;
* one dossier review (R-09) is still open.

All people, places and stories are invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from zet_tui.core.answers import Answer
from zet_tui.core.codebook import codebook_in_use
from zet_tui.core.coding import (
    CaseSummary,
    Polarity,
)
from zet_tui.core.demo import demo_name, demo_questionnaires
from zet_tui.core.evidence import Evidence, load_evidence
from zet_tui.core.interview import Interview, is_visible
from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.store import Evaluation, Store
from zet_tui.core.vocab import CASE_PERSPECTIVES, AnswerStatus, AnswerType

REGIO_NAME = "Demo-evaluatie regio Veenhorst"
REGIO_MUNICIPALITY = "Regio Veenhorst (fictief)"
ACTOR = "zet demo"
ANALYST = "Noor Hendriks"


@dataclass(frozen=True)
class RegioCase:
    code: str
    gemeente: str
    domein: str
    label: str
    start: date
    name: str  # a first name in one toelichting, registered as a sensitive term


CASES: tuple[RegioCase, ...] = (
    RegioCase("R-01", "Waterveen", "Wmo", "Man van 45 met hersenletsel, begeleiding en schuldhulp",
              date(2025, 1, 6), "Wessel"),
    RegioCase("R-02", "Waterveen", "jeugd", "Meisje van 9 met autisme, gezin met veel hulpverleners",
              date(2025, 1, 20), "Lotte"),
    RegioCase("R-03", "Waterveen", "Wmo", "Vrouw van 62 met chronische pijn", date(2025, 2, 3), "Ria"),
    RegioCase("R-04", "Waterveen", "Wmo", "Jonge vrouw met een licht verstandelijke beperking, dagbesteding",
              date(2025, 2, 10), "Sanne"),
    RegioCase("R-05", "Hoogzand", "jeugd", "Jongen van 17 met een licht verstandelijke beperking",
              date(2024, 11, 4), "Daan"),
    RegioCase("R-06", "Hoogzand", "Wmo", "Alleenstaande vader met psychische klachten en schulden",
              date(2025, 1, 13), "Karim"),
    RegioCase("R-07", "Hoogzand", "jeugd", "Meisje van 17 in een pleeggezin", date(2024, 10, 14), "Fleur"),
    RegioCase("R-08", "Hoogzand", "Wmo", "Echtpaar op leeftijd, mantelzorg overbelast", date(2025, 3, 3), "Gerrit"),
    RegioCase("R-09", "Lindeburg", "Wmo", "Moeder met een licht verstandelijke beperking en twee kinderen",
              date(2024, 9, 2), "Yasmin"),
    RegioCase("R-10", "Lindeburg", "jeugd", "Jongen van 12 met gedragsproblemen", date(2025, 2, 17), "Milan"),
    RegioCase("R-11", "Lindeburg", "Wmo", "Oudere man met een vraag om woningaanpassing", date(2025, 3, 10), "Henk"),
)
NO_PLAN = ("R-01", "R-02", "R-04", "R-06", "R-08", "R-10")
ONE_PLAN = "R-09"
YOUTH = tuple(c.code for c in CASES if c.domein == "jeugd")
TURNING_18 = ("R-05", "R-07")
NOT_HEARD = "R-06"
HEARD_NEUTRAL = "R-03"
MARKED = "R-04"
WISHES_APART = ("R-03", "R-08")
SHORT_INDICATIONS = ("R-01", "R-03", "R-06", "R-09")
SAFETY_DISCUSSED = ("R-04", "R-07", "R-10")
OUTLIER = "R-11"
OPEN_DOSSIER = "R-09"
PLANTED: dict[str, tuple[str, ...]] = {
    "geen-integraal-plan": NO_PLAN, "jeugd-contactpersoon": YOUTH, "overgang-18": TURNING_18,
    "gehoord": tuple(c.code for c in CASES if c.code not in (NOT_HEARD, HEARD_NEUTRAL)),
    "gehoord-tegenvoorbeeld": (NOT_HEARD,), "handmatig-verschil": (MARKED,),
    "korte-indicaties": SHORT_INDICATIONS,
    "veiligheid-niet-besproken": tuple(c.code for c in CASES if c.code not in SAFETY_DISCUSSED),
    "uitschieter": (OUTLIER,),
}


# (case, perspective, question id) -> toelichting; {naam} is the case's sensitive first name.
TOELICHTING: Mapping[tuple[str, str, str], str] = {
    ("R-01", "inwoner", "samenhang.afstemming"): "Iedereen deed zijn best, maar de begeleider en de "
        "schuldhulp hadden elk hun eigen plan. Niemand keek naar het geheel.",
    ("R-02", "inwoner", "samenhang.afstemming"): "De school, de jeugdhulp en de huisarts wisten niet van "
        "elkaar wat ze deden. Ik was degene die alles doorgaf.",
    ("R-04", "professional", "samenhang.afstemming"): "Wij hebben ons eigen begeleidingsplan; wat de "
        "dagbesteding afspreekt, hoor ik meestal pas achteraf.",
    ("R-06", "inwoner", "samenhang.afstemming"): "Voor mijn schulden en voor mijn klachten had ik twee "
        "aparte trajecten, met elk een eigen papier.",
    ("R-08", "dossier", "samenhang.afstemming"): "Er zitten drie plannen in het dossier, van drie "
        "organisaties; er is geen gezamenlijk plan.",
    ("R-10", "professional", "samenhang.afstemming"): "De gezinscoach en de behandelaar werkten naast "
        "elkaar; een gezamenlijk plan is er nooit gekomen.",
    ("R-09", "professional", "samenhang.afstemming"): "De begeleidende organisatie had de regie: één plan, "
        "en elk jaar zaten alle partijen met haar om tafel.",
    ("R-02", "inwoner", "samenhang.contactpersoon"): "We hebben in anderhalf jaar drie gezinscoaches gehad.",
    ("R-05", "inwoner", "samenhang.contactpersoon"): "In een jaar kreeg ik vier verschillende begeleiders. "
        "Elke keer begon het weer bij nul.",
    ("R-07", "inwoner", "samenhang.contactpersoon"): "Mijn vaste begeleider vertrok en daarna wist niemand "
        "wie mijn aanspreekpunt was.",
    ("R-10", "inwoner", "samenhang.contactpersoon"): "Steeds iemand anders aan de telefoon; je vertelt je "
        "verhaal telkens opnieuw.",
    ("R-05", "inwoner", "uitvoering.overgang-18-verloop"): "Op mijn achttiende stopte alles ineens, en voor "
        "volwassenen moest ik weer op een wachtlijst.",
    ("R-07", "inwoner", "uitvoering.overgang-18-verloop"): "Niemand had gezegd dat de pleegzorg zou stoppen. "
        "Het plan voor daarna kwam pas toen ik al achttien was.",
    ("R-01", "inwoner", "vraagverheldering.gehoord"): "Ze namen de tijd en vroegen echt door. Ik voelde me "
        "serieus genomen.",
    ("R-04", "inwoner", "vraagverheldering.gehoord"): "De consulent luisterde eerst en vulde niet voor mij in.",
    ("R-09", "inwoner", "vraagverheldering.gehoord"): "Voor het eerst had ik het gevoel dat iemand snapte hoe "
        "het bij ons thuis gaat.",
    ("R-06", "inwoner", "vraagverheldering.gehoord"): "Ze hadden hun oordeel al klaar voordat ik iets kon "
        "zeggen.",
    ("R-04", "inwoner", "eigen-regie.meebeslissen"): "Over de dagbesteding was het eigenlijk al besloten "
        "toen ik erbij kwam.",
    ("R-04", "professional", "eigen-regie.meebeslissen"): "De keuze voor de dagbesteding hebben we samen "
        "gemaakt.",
    ("R-03", "inwoner", "eigen-regie.wensen"): "Wat ik zelf wilde, kwam er niet in terug.",
    ("R-08", "inwoner", "eigen-regie.wensen"): "Ze hadden het al voor ons bedacht.",
    ("R-03", "professional", "eigen-regie.wensen"): "De wensen van mevrouw waren leidend.",
    ("R-08", "professional", "eigen-regie.wensen"): "We zijn uitgegaan van wat het echtpaar zelf wilde.",
    ("R-01", "inwoner", "uitvoering.langdurig"): "Elk half jaar moet ik opnieuw aantonen dat mijn "
        "hersenletsel er nog is.",
    ("R-03", "inwoner", "uitvoering.langdurig"): "De indicatie loopt steeds maar een paar maanden; dat geeft "
        "onrust.",
    ("R-06", "professional", "uitvoering.langdurig"): "De toekenning is voor drie maanden, terwijl iedereen "
        "weet dat hij langer hulp nodig heeft.",
    ("R-09", "inwoner", "uitvoering.langdurig"): "Steeds weer die herindicatie, terwijl mijn beperking niet "
        "overgaat.",
    ("R-11", "inwoner", "toegang.wist-waar"): "Ik ben drie keer naar een ander loket gestuurd voordat iemand "
        "mijn vraag aannam.",
    ("R-06", "inwoner", "planvorming.samen"): "Het plan lag er al; ik mocht tekenen.",
    ("R-08", "inwoner", "planvorming.samen"): "We kregen het plan thuisgestuurd.",
}
BACKGROUND: Mapping[str, tuple[str, ...]] = {
    "inwoner": ("Dat ging op zich wel.", "Soms wel, soms niet.", "Daar heb ik niet veel over te zeggen."),
    "professional": ("Volgens de gebruikelijke werkwijze.", "Niets bijzonders, het liep zoals verwacht."),
    "dossier": ("Kort vastgelegd in het verslag.", "Gedeeltelijk terug te vinden in het dossier."),
}
NOT_DISCUSSED_REASON = {"inwoner": "Niet aan toegekomen: het gesprek liep uit.",
                        "professional": "Niet besproken, de tijd was op."}
ADVICE = {"inwoner": "Zorg dat ik één persoon heb die alles overziet.",
          "professional": "Geef ons ruimte om langer dan een half jaar toe te kennen.",
          "dossier": "Leg één gezamenlijk plan vast, met wie de regie heeft."}
YES_NO = {"toegang.rechten-plichten": True, "samenhang.toestemming": True, "samenhang.verhaal-herhalen": False,
          "uitvoering.wachten": False, "uitvoering.wisseling": False, "uitvoering.overgang-18": False,
          "veiligheid.risico": False, "afsluiting.terugvallen": True, "planvorming.plan-aanwezig": True,
          "planvorming.akkoord": True, "evaluatie.besproken": True, "samenhang.contactpersoon": True}
GAPS = {"eerste-contact": 9, "vraagverheldering": 21, "plan": 42, "start-hulp": 60, "evaluatie": 190,
        "afsluiting": 320}
SUMMARIES = {
    "R-01": CaseSummary("", hulpvraag="Begeleiding bij dagstructuur en schulden na hersenletsel.",
                        knelpunten="Twee trajecten naast elkaar zonder gezamenlijk plan; elk half jaar "
                                   "een nieuwe indicatie.",
                        succesfactoren="Een consulent die doorvroeg en de tijd nam.",
                        totaalbeeld="Goede hulp per onderdeel, geen samenhang tussen de onderdelen."),
    "R-05": CaseSummary("", hulpvraag="Begeleiding van een jongere met een licht verstandelijke beperking.",
                        knelpunten="Vier begeleiders in een jaar; de hulp stopte op de achttiende verjaardag.",
                        totaalbeeld="Veel wisselingen en een harde overgang naar volwassenheid."),
    "R-09": CaseSummary("", hulpvraag="Ondersteuning van een moeder met een licht verstandelijke beperking.",
                        succesfactoren="Eén plan met een regiehouder en een jaarlijks overleg met alle "
                                       "partijen.",
                        knelpunten="Korte indicaties; steeds opnieuw aanvragen.",
                        totaalbeeld="Het voorbeeld van hoe samenhang kan werken."),
}
RECOMMENDATIONS = {
    "knelpunt:werkzaam:integraal-plan": "Spreek per huishouden één plan af met één regiehouder, ook als "
                                        "jeugdhulp en Wmo allebei betrokken zijn.",
    "knelpunt:werkzaam:langdurig": "Ken begeleiding bij een blijvende beperking voor langere tijd toe en "
                                   "schaal op en af zonder nieuwe aanvraag.",
}
MANUAL_NOTE = ("De inwoner ervaart de keuze voor dagbesteding als al gemaakt; de professional ziet een "
               "gezamenlijk besluit.")
# (case, perspective, question id, code, polarity, fragment): what the analyst coded
CODINGS: tuple[tuple[str, str, str, str, Polarity, str], ...] = (
    *((c, p, "samenhang.afstemming", "we.integraal-plan", Polarity.KNELPUNT, f) for c, p, f in (
        ("R-01", "inwoner", "de begeleider en de schuldhulp hadden elk hun eigen plan"),
        ("R-02", "inwoner", "wisten niet van elkaar wat ze deden"),
        ("R-04", "professional", "wat de dagbesteding afspreekt, hoor ik meestal pas achteraf"),
        ("R-06", "inwoner", "twee aparte trajecten"),
        ("R-08", "dossier", "er is geen gezamenlijk plan"),
        ("R-10", "professional", "een gezamenlijk plan is er nooit gekomen"))),
    ("R-09", "professional", "samenhang.afstemming", "we.integraal-plan", Polarity.SUCCESFACTOR,
     "één plan, en elk jaar zaten alle partijen met haar om tafel"),
    ("R-05", "inwoner", "samenhang.contactpersoon", "vaste-contactpersoon", Polarity.KNELPUNT,
     "vier verschillende begeleiders"),
    ("R-07", "inwoner", "samenhang.contactpersoon", "vaste-contactpersoon", Polarity.KNELPUNT,
     "wist niemand wie mijn aanspreekpunt was"),
    *((c, p, "uitvoering.langdurig", "duur-indicatie", Polarity.KNELPUNT, f) for c, p, f in (
        ("R-01", "inwoner", "Elk half jaar moet ik opnieuw aantonen"),
        ("R-03", "inwoner", "De indicatie loopt steeds maar een paar maanden"),
        ("R-06", "professional", "De toekenning is voor drie maanden"),
        ("R-09", "inwoner", "Steeds weer die herindicatie"))),
    *((c, "inwoner", "vraagverheldering.gehoord", "we.basishouding", Polarity.SUCCESFACTOR, f) for c, f in (
        ("R-01", "Ik voelde me serieus genomen."), ("R-04", "luisterde eerst en vulde niet voor mij in"),
        ("R-09", "iemand snapte hoe het bij ons thuis gaat"))),
    ("R-11", "inwoner", "toegang.wist-waar", "we.toegankelijk", Polarity.KNELPUNT,
     "drie keer naar een ander loket gestuurd"),
)
QUOTES: tuple[tuple[str, str, str, str], ...] = (
    ("R-01", "inwoner", "samenhang.afstemming", "Niemand keek naar het geheel."),
    ("R-05", "inwoner", "samenhang.contactpersoon", "Elke keer begon het weer bij nul."),
    ("R-09", "professional", "samenhang.afstemming", "elk jaar zaten alle partijen met haar om tafel"),
    ("R-01", "inwoner", "uitvoering.langdurig", "Elk half jaar moet ik opnieuw aantonen dat mijn hersenletsel "
                                                "er nog is."),
)


@dataclass
class RegioDemo:
    evaluation: Evaluation
    case_ids: dict[str, str] = field(default_factory=dict)
    """Case code -> case id."""
    sessions: dict[tuple[str, str], str] = field(default_factory=dict)
    """(case code, perspective) -> session id."""
    evidence: Evidence = field(default_factory=Evidence)
    answers: int = 0


def _level(code: str, perspective: str, key: str) -> int:
    """The planted level (1-5) of a scored answer; 3 where nothing is planted."""
    planted: dict[str, int] = {}
    if key == "vraagverheldering.gehoord":
        planted = ({"inwoner": 2, "professional": 3, "dossier": 1} if code == NOT_HEARD else
                   {} if code == HEARD_NEUTRAL else {"inwoner": 5, "professional": 4, "dossier": 5})
    elif key == "uitvoering.overgang-18-verloop" or (
            code in YOUTH and key in ("samenhang.contactpersoon", "uitvoering.overdracht")):
        planted = {"inwoner": 1, "professional": 2, "dossier": 1}
    elif key == "uitvoering.langdurig" and code in SHORT_INDICATIONS:
        planted = {"inwoner": 2, "professional": 2}
    elif key == "eigen-regie.wensen" and code in WISHES_APART:
        planted = {"inwoner": 2, "professional": 4}
    elif key == "eigen-regie.meebeslissen" and code == MARKED:
        planted = {"professional": 4}
    elif key == "planvorming.samen" and code in ("R-06", "R-08"):
        planted = {"inwoner": 2, "dossier": 5}
    elif code == ONE_PLAN and key in ("planvorming.integraal", "samenhang.afstemming"):
        planted = {"inwoner": 5, "professional": 5, "dossier": 5}
    elif code == OUTLIER and key.startswith("toegang."):
        planted = {"inwoner": 1, "professional": 1, "dossier": 1}
    elif key.startswith("veiligheid.") and code == "R-07":
        planted = {"inwoner": 4, "professional": 4}
    return planted.get(perspective, 3)


def _score(level: int, q: Question) -> int:
    """A level on the question's own scale: three-point scales by side (below, on, above the middle)."""
    size = q.scale_def.size
    if size == 5:
        return level
    return 1 if level < 3 else size if level > 3 else (size + 1) // 2


def _yes(code: str, key: str) -> bool:
    if code in YOUTH and key in ("uitvoering.wisseling", "samenhang.verhaal-herhalen"):
        return True
    if code in YOUTH and key == "samenhang.contactpersoon":
        return False
    if key == "uitvoering.overgang-18":
        return code in TURNING_18
    if code == OUTLIER and key == "toegang.rechten-plichten":
        return False
    return YES_NO.get(key, True)


def _choice(spec: RegioCase, q: Question) -> str:
    if q.key == "toegang.wist-waar" and "School of kinderopvang" in q.options and spec.domein == "jeugd":
        return "School of kinderopvang"
    if q.id == "uitvoering.langdurig":
        wanted = ("Korter dan een half jaar" if spec.code in SHORT_INDICATIONS else
                  "Een half jaar tot een jaar" if spec.domein == "jeugd" else "Langer dan een jaar")
        if wanted in q.options:
            return wanted
    return q.options[0]


def _answer(engine: Interview, q: Question, spec: RegioCase, perspective: str, index: int) -> Answer:
    code = spec.code
    text = TOELICHTING.get((code, perspective, q.id), "")
    if (q.theme_id == "veiligheid" and perspective != "dossier" and code not in SAFETY_DISCUSSED):
        return engine.make_answer(question_id=q.id, status=AnswerStatus.NIET_BESPROKEN,
                                  reason=NOT_DISCUSSED_REASON[perspective])
    if q.is_scaled:
        level = _level(code, perspective, q.key)
        number = int(code[2:])
        if not text and level == 3 and (index + number) % 3 == 0:
            pool = BACKGROUND[perspective]
            text = pool[(index + number) % len(pool)]
        return engine.make_answer(question_id=q.id, score=_score(level, q), toelichting=text)
    if q.type == AnswerType.YES_NO:
        return engine.make_answer(question_id=q.id, value="ja" if _yes(code, q.key) else "nee", toelichting=text)
    if q.type == AnswerType.CHOICE and q.options:
        return engine.make_answer(question_id=q.id, value=_choice(spec, q), toelichting=text)
    if q.type == AnswerType.DATE:
        days = GAPS.get(q.milestone or "", 0) * (2 if spec.domein == "jeugd" else 1) if q.milestone else 30
        return engine.make_answer(question_id=q.id, value=(spec.start + timedelta(days=days)).isoformat())
    if q.type == AnswerType.TEXT:
        value = {"samenhang.organisaties": "wijkteam: regie; aanbieder: begeleiding; huisarts: signalering",
                 "afsluiting.advies": ADVICE.get(perspective, ADVICE["inwoner"]),
                 "afsluiting.aanvulling": f"Dank aan {spec.name} voor het meedenken." if perspective == "inwoner"
                 else "Geen aanvulling."}.get(q.id, "Geen aanvulling.")
        return engine.make_answer(question_id=q.id, value=value)
    return engine.make_answer(question_id=q.id, status=AnswerStatus.WEET_NIET)


def build_regio_demo(store: Store, questionnaires: Mapping[str, Questionnaire] | None = None, *,
                     name: str = REGIO_NAME, force: bool = False) -> RegioDemo:
    """Store the regional demo's sessions and answers; return them with the coded evidence."""
    qs = questionnaires or demo_questionnaires()
    name = demo_name(store, name, force)
    demo = RegioDemo(store.create_evaluation(name, REGIO_MUNICIPALITY, actor=ACTOR))
    toelichtingen: dict[tuple[str, str, str], str] = {}
    for spec in CASES:
        case = store.add_case(demo.evaluation.id, spec.code, spec.label, actor=ACTOR)
        demo.case_ids[spec.code] = case.id
        store.add_sensitive_term(case.id, spec.name, actor=ACTOR)
        for perspective in CASE_PERSPECTIVES:
            session = store.start_session(
                case.id, qs[perspective], interviewer="Bas Vermeulen" if perspective != "dossier" else ANALYST,
                co_interviewer="Eva Smit" if perspective != "dossier" else "", consent_given=True,
                consent_by="inwoner, schriftelijk" if perspective != "professional" else "professional zelf",
                actor=ACTOR)
            demo.sessions[(spec.code, perspective)] = session.id
            engine = Interview(session.questionnaire)
            stop = "uitvoering" if (spec.code, perspective) == (OPEN_DOSSIER, "dossier") else None
            for index, q in enumerate(session.questionnaire.questions()):
                if q.theme_id == stop:
                    break
                if not is_visible(q, engine.answers, session.questionnaire):
                    continue
                saved = store.save_answer(session.id, _answer(engine, q, spec, perspective, index),
                                          actor=session.interviewer)
                engine.record(saved)
                toelichtingen[(spec.code, perspective, q.id)] = saved.toelichting
                demo.answers += 1
            if stop is None:
                store.finish_session(session.id, actor=session.interviewer)
    _store_evidence(store, demo, toelichtingen)
    demo.evidence = load_evidence(store, demo.evaluation.id, codebook=codebook_in_use())
    return demo


def _store_evidence(store: Store, demo: RegioDemo, texts: Mapping[tuple[str, str, str], str]) -> None:
    """What the analyst coded, through the same store calls as the coding screen."""
    def anchor(code: str, perspective: str, qid: str, fragment: str) -> tuple[str, int, int]:
        text = texts[(code, perspective, qid)]
        start = text.index(fragment)
        return demo.sessions[(code, perspective)], start, start + len(fragment)

    for code, perspective, qid, code_id, polarity, fragment in CODINGS:
        sid, start, end = anchor(code, perspective, qid, fragment)
        store.add_coding(sid, qid, code_id, polarity, start=start, end=end, actor=ANALYST)
    for code, perspective, qid, fragment in QUOTES:
        sid, start, end = anchor(code, perspective, qid, fragment)
        store.add_quote(sid, qid, start, end, actor=ANALYST)
    ids = demo.case_ids
    store.add_manual_divergence(ids[MARKED], "eigen-regie", ("inwoner", "professional"), MANUAL_NOTE,
                                question_key="eigen-regie.meebeslissen", actor=ANALYST)
    for code, s in SUMMARIES.items():
        store.set_case_summary(ids[code], actor=ANALYST, hulpvraag=s.hulpvraag, knelpunten=s.knelpunten,
                               succesfactoren=s.succesfactoren, totaalbeeld=s.totaalbeeld)
    for c in CASES:
        store.set_case_attribute(ids[c.code], "gemeente", c.gemeente, actor=ANALYST)
        store.set_case_attribute(ids[c.code], "domein", c.domein, actor=ANALYST)
    for key, text in RECOMMENDATIONS.items():
        store.set_recommendation(demo.evaluation.id, key, text, actor=ANALYST)
