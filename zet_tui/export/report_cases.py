"""The report's short narrative per case: the analyst's summary, or one built from the answers.

Researchers describe each case before the patterns across cases (hulpvraag,
knelpunten, wat goed ging). When the analyst wrote a case summary in the
workbench, that is the narrative; without one the report says so and builds a
plain one from what the case shows: the elements and themes where it is a
knelpunt or a succesfactor, the time from the first to the last milestone, and
its lowest and highest scored toelichting.
"""

from __future__ import annotations

from zet_tui.core.analysis import CaseAnalysis, Cell
from zet_tui.core.coverage import perspective_label
from zet_tui.core.findings import HIGH_MIN, KNELPUNT, LOW_MAX, SUCCESFACTOR, Subject
from zet_tui.core.vocab import CASE_PERSPECTIVES
from zet_tui.export.data import ExportData, answer_text
from zet_tui.export.safe_md import heading, inline, normalise, shorten

SUMMARY_PARTS = (("hulpvraag", "Hulpvraag"), ("knelpunten", "Knelpunten"),
                 ("succesfactoren", "Succesfactoren"), ("totaalbeeld", "Totaalbeeld"))
MAX_QUESTIONS = 4
BUILT_NOTE = ("Samengesteld uit de scores, coderingen en toelichtingen: de analist schreef nog geen "
              "samenvatting van deze casus.")


def case_facts(data: ExportData, ca: CaseAnalysis) -> str:
    """One line: label, attributes (or the municipality) and which perspectives are in, open or missing."""
    pseudo, cid = data.pseudo, ca.case.id
    facts = []
    if normalise(ca.case.label):
        facts.append(pseudo.text(normalise(ca.case.label)))
    attributes = data.evidence.attributes.get(cid, {})
    facts += [f"{name}: {pseudo.text(value)}" for name, value in sorted(attributes.items()) if value.strip()]
    if "gemeente" not in attributes and data.findings.municipality(cid):
        facts.append(f"gemeente: {pseudo.text(data.findings.municipality(cid))}")
    shown = [perspective_label(p).lower() + (" (sessie nog open)" if s.is_open else "") for p, s in ca.sessions.items()]
    facts.append("perspectieven: " + ", ".join(shown))
    missing = [perspective_label(p).lower() for p in CASE_PERSPECTIVES if p not in ca.sessions]
    if missing:
        facts.append("nog geen " + ", ".join(missing))
    return " · ".join(facts)


def _subjects(data: ExportData, case_id: str, found: list[Subject], low: bool) -> str:
    """Elements, then the questions furthest to that side (at most `MAX_QUESTIONS`)."""
    elements = [s.label for s in found if s.kind == "werkzaam"]
    verdicts = data.findings.verdicts

    def mean(s: Subject) -> float:
        m = verdicts[s.ref][case_id].mean
        return 3.0 if m is None else m if low else -m

    questions = [s.label for s in sorted((s for s in found if s.kind == "vraag"), key=mean)][:MAX_QUESTIONS]
    parts = []
    if elements:
        parts.append(", ".join(elements) + (" (werkzame elementen)" if len(elements) > 1 else " (werkzaam element)"))
    if questions:
        parts.append("; ".join(questions))
    return "; ".join(parts)


def _extremes(ca: CaseAnalysis) -> list[Cell]:
    """The lowest scored answer with a toelichting if it is low, and the highest if it is high
    (on the thresholds of the findings model; inwoner first on a tie)."""
    scored = [c for block in ca.themes for row in block.rows for c in row.cells.values()
              if c.level is not None and normalise(c.toelichting)]
    order = {p: i for i, p in enumerate(CASE_PERSPECTIVES)}
    low = min(scored, key=lambda c: (c.level or 0, order.get(c.perspective, 9)), default=None)
    high = max(scored, key=lambda c: (c.level or 0, -order.get(c.perspective, 9)), default=None)
    return [c for c, keep in ((low, low is not None and (low.level or 0) <= LOW_MAX),
                              (high, high is not None and (high.level or 0) >= HIGH_MIN)) if keep and c]


def case_lines(data: ExportData) -> list[str]:
    out = [heading(2, "Casussen"), "",
           "Per casus een korte schets: de samenvatting van de analist, of (zonder samenvatting) wat de "
           "scores, coderingen en toelichtingen laten zien.", ""]
    for ca in data.analysis.cases:
        cid = ca.case.id
        out += [heading(3, data.case_code(cid)), "", inline(case_facts(data, ca)), ""]
        summary = data.evidence.summaries.get(cid)
        written = [(label, getattr(summary, attr)) for attr, label in SUMMARY_PARTS
                   if summary is not None and normalise(getattr(summary, attr))]
        if written:
            out += [f"- **{label}:** {inline(data.pseudo.text(text))}" for label, text in written]
            out.append("")
            continue
        sides = data.findings.case_sides(cid, kinds=("werkzaam", "vraag"))
        low = inline(_subjects(data, cid, sides[KNELPUNT], True)) or "geen volgens de scores en coderingen"
        high = inline(_subjects(data, cid, sides[SUCCESFACTOR], False)) or "niets dat er duidelijk uitspringt"
        out += [f"- **Knelpunten:** {low}", f"- **Wat goed ging:** {high}"]
        if ca.timeline.total_days is not None:
            out.append(f"- **Doorlooptijd:** {ca.timeline.total_days} dagen van de eerste tot de laatste "
                       "mijlpaal in het dossier")
        for c in _extremes(ca):
            text = shorten(data.pseudo.text(c.toelichting), 200)
            answer = answer_text(c.question, c.answer, data.pseudo)
            who = perspective_label(c.perspective).lower()
            out.append(f"- **Uit de toelichtingen:** «{inline(text)}» ({inline(who)}, "
                       f"{inline(answer)}, vraag: {inline(c.question.text)})")
        out += ["", BUILT_NOTE, ""]
    return out
