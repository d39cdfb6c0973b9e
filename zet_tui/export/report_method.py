"""The report's method section: what the findings rest on, and the rules with their thresholds.

A reader of the report (and the municipality in the feedback meeting) must be
able to see how complete the material is (sessions per perspective, sessions
still open), what the analyst coded, and which rule turns answers into a
finding. The thresholds are read from `core/findings.py`, so the text cannot
drift from the rules.
"""

from __future__ import annotations

from collections import Counter

from zet_tui.core import findings as rules
from zet_tui.core.interview import visible_questions
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS
from zet_tui.export.data import ExportData, fmt_dt, fmt_num
from zet_tui.export.safe_md import heading, inline, table

_FRACTIONS = {1 / 3: "een derde", 1 / 2: "de helft", 2 / 3: "twee derde", 1 / 4: "een kwart"}


def share_words(x: float) -> str:
    return next((words for value, words in _FRACTIONS.items() if abs(value - x) < 1e-9), f"{x:.0%}")


def thresholds() -> list[tuple[str, str]]:
    """Each rule in one sentence, with its threshold; shared by the report and the JSON."""
    return [
        ("Knelpunt in een casus", "de analist codeerde er een knelpunt, of (zonder codering) het gemiddelde "
         f"van de scores van de casus op het onderwerp is {fmt_num(rules.LOW_MAX)} of lager"),
        ("Succesfactor in een casus", "de analist codeerde er een succesfactor, of (zonder codering) het "
         f"gemiddelde is {fmt_num(rules.HIGH_MIN)} of hoger"),
        ("Bevinding", f"in minstens {rules.MIN_CASES} casussen en in minstens {share_words(rules.MIN_SHARE)} "
         "van de casussen met scores of coderingen op het onderwerp; nooit uit één casus"),
        ("Zwak signaal", f"een bevinding uit minder dan {rules.STRONG_FROM} casussen"),
        ("Tegenvoorbeeld", "een casus met gegevens op het onderwerp die aan de andere kant staat"),
        ("Groep casussen", f"in minstens {rules.MIN_CASES} casussen en {share_words(rules.SUBGROUP_MIN_SHARE)} "
         f"van een groep (zelfde domein, gemeente of ander kenmerk), terwijl het aandeel daarbuiten hoogstens "
         f"{share_words(rules.SUBGROUP_OUTSIDE_FACTOR)} daarvan is"),
        ("Weinig besproken", f"een thema dat in minder dan {share_words(rules.DISCUSSED_MIN_SHARE)} van de "
         f"casussen in een afgerond gesprek aan bod kwam, en in minstens {rules.MIN_CASES} casussen niet"),
        ("Verschil tussen perspectieven", "op dezelfde schaal twee of meer stappen uit elkaar; op verschillende "
         "schalen aan tegenovergestelde kanten (nee tegenover 4 of 5, ja tegenover 1 of 2); ja tegenover nee; "
         f"of door de analist gemarkeerd. Een bevinding als het per thema en paar in minstens {rules.MIN_CASES} "
         "casussen voorkomt"),
        ("Prioriteiten", f"de {rules.TOP_PRIORITIES} knelpunten met de meeste casussen (bij gelijke stand eerst "
         "werkzame elementen, dan codes en vragen, dan het grootste aandeel); zwakke signalen achteraan; hetzelfde "
         "patroon telt één keer"),
    ]


def method(data: ExportData) -> list[str]:
    out = [heading(2, "Verantwoording"), "", heading(3, "Gesprekken en dossiers"), ""]
    per: Counter[tuple[str, bool]] = Counter((s.perspective, s.is_open) for s in data.sessions)
    perspectives = [p for p in (*CASE_PERSPECTIVES, *sorted({s.perspective for s in data.sessions}))
                    if any(k[0] == p for k in per)]
    rows = [[PERSPECTIVE_LABELS.get(p, p), str(per[(p, False)] + per[(p, True)]), str(per[(p, False)]),
             str(per[(p, True)])] for p in dict.fromkeys(perspectives)]
    out += [table(["Perspectief", "Sessies", "Afgerond", "Open"], rows), ""]
    still_open = [s for s in data.sessions if s.is_open]
    if still_open:
        out += ["Nog niet afgerond (hun antwoorden tellen mee zoals ze nu zijn):", ""]
        for s in still_open:
            answers = data.answers.get(s.id, {})
            visible = visible_questions(s.questionnaire, answers)
            done = sum(1 for q in visible if q.id in answers and answers[q.id].is_complete)
            who = PERSPECTIVE_LABELS.get(s.perspective, s.perspective).lower()
            out.append(f"- {inline(data.case_code(s.case_id))} · {who}: gestart {fmt_dt(s.started)}, "
                       f"{done} van {len(visible)} vragen ingevuld")
        out.append("")
    else:
        out += ["Alle sessies zijn afgerond.", ""]
    repeated = Counter((s.case_id, s.perspective) for s in data.sessions)
    for (case_id, p), n in repeated.items():
        if n > 1 and p in CASE_PERSPECTIVES:
            out += [f"{inline(data.case_code(case_id))} heeft {n} sessies als {PERSPECTIVE_LABELS[p].lower()}; "
                    "de laatst gestarte telt in de analyse.", ""]
    out += [heading(3, "Codering door de analist"), "", *_coding(data), ""]
    out += [heading(3, "Regels en drempels"), "",
            table(["Regel", "Wanneer"], [[inline(a), inline(b)] for a, b in thresholds()]), "",
            "Antwoorden staan in dit rapport op hun eigen schaal (smileys 1 tot 5, drie smileys als 1/3 tot "
            "3/3, nee/deels/ja als woord). Alleen voor gemiddelden (het oordeel per casus en de tabellen in "
            "bijlage A en B) staat elke score op de vijfpuntsschaal: drie smileys en nee/deels/ja worden "
            "1, 3 en 5. Ja/nee-vragen tellen niet mee in gemiddelden.", ""]
    return out


def _coding(data: ExportData) -> list[str]:
    c = data.findings.coding
    n_cases = len(data.findings.case_ids)
    if not (c.codings or c.quotes or c.manual_divergences or c.summaries or c.attributes):
        return ["Er is (nog) niet gecodeerd: de knelpunten en succesfactoren rusten alleen op de scores. Wat "
                "alleen in de toelichtingen staat, komt in de bevindingen zodra de analist het codeert."]
    polarity = ", ".join(f"{n} {name}" for name, n in sorted(c.by_polarity.items()))
    lines = [f"- Coderingen: {c.codings} in {c.cases} van de {n_cases} casussen, met {c.codes} "
             f"verschillende codes{f' ({polarity})' if polarity else ''}.",
             f"- Citaten gekozen door de analist: {c.quotes}.",
             f"- Verschillen met de hand gemarkeerd: {c.manual_divergences}.",
             f"- Casussamenvattingen: {c.summaries} van de {n_cases}."]
    if c.attributes:
        lines.append(f"- Kenmerken van casussen: {inline(', '.join(c.attributes))}.")
    if c.stale:
        lines.append(f"- Niet meegenomen: {c.stale} coderingen of citaten waarvan de toelichting na het "
                     "coderen is gewijzigd (opnieuw vast te leggen in het analysescherm).")
    return lines
