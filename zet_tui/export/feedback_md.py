"""Report sections and table rows for the feedback meeting and the comparison of two rounds.

Pure functions over `MeetingOutcome` and `Comparison`: the evaluation report
(Markdown) and the table exporters (CSV/XLSX/JSON) call them, nothing here reads
the store or writes files.

Free text (findings, explanations, improvement points, attendee names) comes
from users, so it goes through `safe_md` like every other exported text. The
`text` and `person` callables let an export pseudonymise: free text through
`Pseudonymizer.text`, names of people through `Pseudonymizer.person`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zet_tui.core.compare import (
    ADDED,
    CHANGE_THRESHOLD,
    IMPROVED,
    NOT_COMPARABLE,
    REMOVED,
    SAME,
    WORDING_CHANGED,
    WORSENED,
    Comparison,
    ScoreChange,
)
from zet_tui.core.dutch import format_date, format_number, format_timestamp
from zet_tui.core.feedback import KIND_LABELS, STATUS_LABELS, MeetingOutcome
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export.safe_md import cell, inline, table

Transform = Callable[[str | None], str]


def _same(value: str | None) -> str:
    return value or ""


def render_meeting_section(outcome: MeetingOutcome, *, level: int = 2, text: Transform = _same,
                           person: Transform = _same) -> str:
    """The report section 'Terugkoppelbijeenkomst': meetings, reactions per finding, points."""
    h = "#" * level
    lines = [f"{h} Terugkoppelbijeenkomst", ""]
    if outcome.meetings:
        for m in outcome.meetings:
            who = ", ".join(inline(person(a)) for a in m.attendees if person(a)) or "niet vastgelegd"
            lines.append(f"- **{format_date(m.held_at)}**, aanwezig: {who}")
            if m.notes:
                lines.append(f"  - {inline(text(m.notes))}")
    else:
        lines.append("Nog geen bijeenkomst vastgelegd.")
    lines.append("")
    lines.append(f"{h}# Bevindingen en herkenning")
    lines.append("")
    if outcome.findings:
        counts = outcome.reaction_counts()
        lines.append("; ".join(f"{label}: {n}" for label, n in counts.items() if n) + ".")
        lines.append("")
        lines.append(table(
            ["Nr.", "Soort", "Bevinding", "Herkend", "Uitleg"],
            [[f.label, KIND_LABELS.get(f.finding.kind, f.finding.kind),
              cell(text(f.finding.text)) + ("" if f.current else " *(niet meer actueel)*"),
              f.reaction_label, cell(text(f.finding.explanation))] for f in outcome.findings]))
    else:
        lines.append("Geen bevindingen vastgelegd.")
    lines.append("")
    lines.append(f"{h}# Verbeterpunten")
    lines.append("")
    if outcome.improvements:
        lines.append(table(
            ["Nr.", "Verbeterpunt", "Eigenaar", "Deadline", "Status", "Bevindingen", "Thema's"],
            [[i.label, cell(text(i.improvement.text)), cell(person(i.improvement.owner)),
              format_date(i.improvement.due, "–"), i.status_label, ", ".join(i.finding_labels) or "–",
              cell(", ".join(i.theme_titles))] for i in outcome.improvements]))
        lines.append("")
        lines.append(f"Nog niet gereed: {len(outcome.open_improvements)} van {len(outcome.improvements)}.")
    else:
        lines.append("Nog geen verbeterpunten.")
    return "\n".join(lines).rstrip() + "\n"


def _num(x: float | None) -> str:
    return format_number(x, 1)


def _delta(s: ScoreChange) -> str:
    return format_number(s.delta, 1, sign=True)


def render_compare_section(comparison: Comparison, *, level: int = 2, text: Transform = _same,
                           person: Transform = _same) -> str:
    """The report section 'Vergelijking met de vorige ronde'."""
    c = comparison
    h = "#" * level
    lines = [f"{h} Vergelijking met de vorige ronde", "",
             f"Eerdere ronde (A): {inline(text(c.a.name))}; deze ronde (B): {inline(text(c.b.name))}."
             + (" B is vastgelegd als vervolgmeting op A." if c.is_follow_up else ""),
             "",
             f"Gemiddelde score op de vijfpuntsschaal; een verschil telt vanaf {format_number(CHANGE_THRESHOLD)} punt. "
             "Thema's en vragen zijn op id vergeleken.", ""]
    lines.extend(f"> Let op: {inline(text(w))}." for w in c.warnings)
    if c.warnings:
        lines.append("")
    for label, heading in ((IMPROVED, "Verbeterd"), (WORSENED, "Verslechterd"), (SAME, "Gelijk gebleven"),
                           (NOT_COMPARABLE, "Niet te vergelijken")):
        themes = c.themes_labelled(label)
        if themes:
            names = ", ".join(inline(t.title) for t in themes)
            lines.append(f"- **{heading}:** {names}")
    lines.append("")
    perspectives = [p for p in PERSPECTIVE_LABELS if any(
        s.perspective == p for t in c.themes for s in t.perspectives)]
    header = ["Thema", "A", "B", "Verschil", "Oordeel", *(PERSPECTIVE_LABELS[p] for p in perspectives)]
    rows = []
    for t in c.themes:
        per = {s.perspective: s for s in t.perspectives}
        cells = [f"{_num(per[p].mean_a)} → {_num(per[p].mean_b)}" if p in per else "–" for p in perspectives]
        title = cell(t.title) + (f" (vraagtekst gewijzigd: {inline(', '.join(t.changed_questions))})"
                                    if t.changed_questions else "")
        rows.append([title, _num(t.overall.mean_a), _num(t.overall.mean_b), _delta(t.overall), t.label, *cells])
    lines.append(table(header, rows))
    lines.append("")
    lines.append(f"{h}# Bevindingen van de vorige ronde")
    lines.append("")
    if c.findings:
        lines.append(table(
            ["Nr.", "Bevinding", "Komt terug"],
            [[f.label or "–", cell(text(f.text)),
              "ja" if f.recurs else "nee" if f.recurs is False else "niet automatisch na te gaan"]
             for f in c.findings]))
    else:
        lines.append("De vorige ronde had geen bevindingen.")
    lines.append("")
    lines.append(f"{h}# Verbeterpunten van de vorige ronde")
    lines.append("")
    points = c.outcome_a.improvements
    if points:
        lines.append(table(
            ["Nr.", "Verbeterpunt", "Eigenaar", "Deadline", "Status"],
            [[i.label, cell(text(i.improvement.text)), cell(person(i.improvement.owner)),
              format_date(i.improvement.due, "–"),
              i.status_label] for i in points]))
        lines.append("")
        lines.append(f"Nog niet gereed: {len(c.open_improvements)} van {len(points)}.")
    else:
        lines.append("De vorige ronde had geen verbeterpunten.")
    if c.questionnaire_changes:
        lines.append("")
        lines.append(f"{h}# Gewijzigde vragenlijsten")
        lines.append("")
        change_names = {WORDING_CHANGED: "tekst gewijzigd", ADDED: "toegevoegd", REMOVED: "verwijderd"}
        lines.append(table(
            ["Perspectief", "Soort", "Id", "Wijziging", "Tekst A", "Tekst B"],
            [[PERSPECTIVE_LABELS.get(q.perspective, q.perspective), q.item, cell(q.id),
              change_names.get(q.change, q.change), cell(q.text_a or ""), cell(q.text_b or "")]
             for q in c.questionnaire_changes]))
    return "\n".join(lines).rstrip() + "\n"


# -- rows for CSV / XLSX / JSON ---------------------------------------------------------
def feedback_rows(outcome: MeetingOutcome, *, text: Transform = _same,
                  person: Transform = _same) -> list[dict[str, Any]]:
    """One row per finding with its reaction; meeting dates and attendees repeated per row."""
    dates = "; ".join(m.held_at for m in outcome.meetings)
    attendees = "; ".join(p for p in (person(a) for a in outcome.attendees) if p)
    return [{
        "evaluatie": text(outcome.evaluation.name),
        "nummer": f.label,
        "soort": f.finding.kind,
        "soort_label": KIND_LABELS.get(f.finding.kind, f.finding.kind),
        "sleutel": f.finding.key,
        "thema": f.theme_id or "",
        "bevinding": text(f.finding.text),
        "actueel": f.current,
        "herkend": f.finding.recognised or "",
        "herkend_label": f.reaction_label,
        "uitleg": text(f.finding.explanation),
        "bijeenkomst": dates,
        "aanwezig": attendees,
    } for f in outcome.findings]


def improvement_rows(outcome: MeetingOutcome, *, text: Transform = _same,
                     person: Transform = _same) -> list[dict[str, Any]]:
    """One row per improvement point, with linked findings/themes and its status history."""
    return [{
        "evaluatie": text(outcome.evaluation.name),
        "nummer": i.label,
        "id": i.improvement.id,
        "verbeterpunt": text(i.improvement.text),
        "eigenaar": person(i.improvement.owner),
        "deadline": i.improvement.due or "",
        "status": i.improvement.status,
        "status_label": i.status_label,
        "bevindingen": "; ".join(i.finding_labels),
        "themas": "; ".join(i.improvement.themes),
        "aangemaakt": i.improvement.created,
        "bijgewerkt": i.improvement.updated,
        "geschiedenis": "; ".join(f"{format_timestamp(h.at)} {STATUS_LABELS.get(h.new, h.new)}"
                                  for h in i.history),
    } for i in outcome.improvements]


def comparison_rows(comparison: Comparison, *, text: Transform = _same) -> list[dict[str, Any]]:
    """One row per theme × perspective (perspective 'alle' for the pooled theme mean)."""
    out = []
    for t in comparison.themes:
        for s in (t.overall, *t.perspectives):
            out.append({
                "evaluatie_a": text(comparison.a.name),
                "evaluatie_b": text(comparison.b.name),
                "thema": t.theme_id,
                "thema_titel": t.title,
                "perspectief": s.perspective,
                "gemiddelde_a": None if s.mean_a is None else round(s.mean_a, 2),
                "gemiddelde_b": None if s.mean_b is None else round(s.mean_b, 2),
                "n_a": s.n_a,
                "n_b": s.n_b,
                "verschil": None if s.delta is None else round(s.delta, 2),
                "oordeel": s.label,
                "vraagtekst_gewijzigd": "; ".join(t.changed_questions),
            })
    return out
