"""The analyst's part of the demo: a few codings, quotes, case attributes, summaries and a
manual divergence, so the coding screen and the exports have something to show.

Everything is written through the store (with audit events), by a fictional
analyst, on fragments of the demo's own fictional toelichtingen. Only the first
occurrence of a phrase per case is coded: the demo leaves most answers for the analyst to
try the screen on.
"""

from __future__ import annotations

from dataclasses import dataclass

from zet_tui.core.coding import Polarity
from zet_tui.core.store import Store

ANALYST = "Lotte Smit (analist, fictief)"
PER_CASE = 4

#: (fragment as it appears in a demo toelichting, code id, polarity)
PHRASES: tuple[tuple[str, str, Polarity], ...] = (
    ("drie keer bellen", "zelf-achteraan", Polarity.KNELPUNT),
    ("Het duurde maanden", "wachttijd", Polarity.KNELPUNT),
    ("steeds iemand anders", "vaste-contactpersoon", Polarity.KNELPUNT),
    ("niemand me verteld", "uitleg-rechten", Polarity.KNELPUNT),
    ("De wachtlijst bij de aanbieder was lang", "wachttijd", Polarity.KNELPUNT),
    ("één vast aanspreekpunt", "vaste-contactpersoon", Polarity.SUCCESFACTOR),
    ("integraal plan", "we.integraal-plan", Polarity.SUCCESFACTOR),
    ("nam echt de tijd en vroeg door", "we.basishouding", Polarity.SUCCESFACTOR),
    ("Geen verslag van het keukentafelgesprek", "dossier-volledig", Polarity.KNELPUNT),
    ("te weinig met de school afgestemd", "samenwerking", Polarity.KNELPUNT),
    ("zelf de doelen heeft gekozen", "we.eigen-regie", Polarity.SUCCESFACTOR),
)
QUOTES = ("Dan moet je je verhaal weer opnieuw doen.",
          "Ik had één vast aanspreekpunt, dat maakte alles makkelijker.")


@dataclass(frozen=True)
class CaseNotes:
    domein: str
    hulpvraag: str
    knelpunten: str
    succesfactoren: str
    totaalbeeld: str


NOTES: dict[str, CaseNotes] = {
    "DEMO-1": CaseNotes(
        "volwassenen", "Grip krijgen op schulden en de opvoeding volhouden als alleenstaande "
        "ouder.", "Aanvankelijk onduidelijk bij wie ze terecht kon.",
        "Eén vaste consulent die thuis langskwam en doorvroeg.",
        "Een traject dat goed liep dankzij vaste gezichten en huisbezoeken."),
    "DEMO-2": CaseNotes(
        "jeugd", "Steun voor een jongere van 17 met een licht verstandelijke beperking, met "
        "de overgang naar 18 in zicht.", "Wisselende contactpersonen; niemand legde de "
        "rechten uit; weinig afstemming met school.",
        "De jongere mocht zelf meepraten over wat belangrijk was.",
        "De jongere en de professional zien het traject heel verschillend."),
    "DEMO-3": CaseNotes(
        "Wmo", "Ontlasting van een overbelaste mantelzorger van een oudere man.",
        "Maanden wachten; meerdere keren zelf moeten bellen; dossier onvolledig.",
        "Toen de hulp er was, was die passend.",
        "Een casus die minder goed liep: te laat opgeschaald en te lang gewacht."),
}


def add_demo_analysis(store: Store, evaluation_id: str, municipality: str) -> int:
    """Code, quote and describe the demo cases; returns the number of codings."""
    cases = {c.code: c for c in store.cases(evaluation_id)}
    count = 0
    quoted: set[str] = set()
    for code, case in cases.items():
        notes = NOTES.get(code)
        if notes is not None:
            store.set_case_attribute(case.id, "domein", notes.domein, actor=ANALYST)
            store.set_case_attribute(case.id, "gemeente", municipality, actor=ANALYST)
            store.set_case_summary(case.id, actor=ANALYST, hulpvraag=notes.hulpvraag,
                                   knelpunten=notes.knelpunten,
                                   succesfactoren=notes.succesfactoren,
                                   totaalbeeld=notes.totaalbeeld)
        done = 0
        used: set[str] = set()
        sessions = store.sessions(case_id=case.id)
        answers = store.answers_for_sessions([s.id for s in sessions])
        for session in sessions:
            for qid, answer in answers[session.id].items():
                text = answer.toelichting
                for phrase, code_id, polarity in PHRASES:
                    at = text.find(phrase)
                    if at >= 0 and done < PER_CASE and phrase not in used:
                        used.add(phrase)
                        store.add_coding(session.id, qid, code_id, polarity, start=at,
                                         end=at + len(phrase), actor=ANALYST)
                        done += 1
                for quote in QUOTES:
                    at = text.find(quote)
                    if at >= 0 and quote not in quoted:
                        quoted.add(quote)
                        store.add_quote(session.id, qid, at, at + len(quote), actor=ANALYST)
        count += done
    second = cases.get("DEMO-2")
    if second is not None:
        themes = [t.id for s in store.sessions(case_id=second.id) for t in s.questionnaire.themes]
        if themes:
            store.add_manual_divergence(
                second.id, themes[0], ("inwoner", "professional"),
                "De jongere voelde zich van het begin af niet serieus genomen; de professional "
                "beschrijft hetzelfde contact als zorgvuldig. De scores laten dat maar half zien.",
                actor=ANALYST)
    return count
