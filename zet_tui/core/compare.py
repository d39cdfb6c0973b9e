"""Comparing two evaluation rounds: did scores move, do findings recur, were points acted on?

Rules, so the comparison can be explained in the meeting:

* **Scores.** Per theme and per perspective the mean smiley5-equivalent over all
  cases (the analysis' `Spread.mean`), in round A and round B. A theme's overall
  mean pools every scored answer of all perspectives. A change counts when
  ``|B - A| >= CHANGE_THRESHOLD`` (0.5 point on the five-point scale, half a
  smiley): *verbeterd* or *verslechterd*, otherwise *gelijk*; without scores in
  one of the rounds it is *niet te vergelijken*.
* **Matching.** Themes and questions are matched by id, never by wording, so a
  compact or newer questionnaire still lines up. Wording changes are flagged: per
  perspective the questions of all session snapshots of a round are united (a
  later session's wording wins) and compared by id: *tekst gewijzigd*,
  *toegevoegd* (only in B) or *verwijderd* (only in A). Themes likewise by id.
* **Recurring findings.** A's findings (stored, plus those its analysis derives
  now) recur when B's analysis derives the same kind and key. An analyst's own
  finding cannot be checked automatically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zet_tui.core.analysis import EvaluationAnalysis, Spread
from zet_tui.core.dutch import format_date, format_number
from zet_tui.core.feedback import (
    KIND_ANALYST,
    KIND_LABELS,
    ImprovementOutcome,
    MeetingOutcome,
    derive_findings,
    load_findings,
    meeting_outcome,
)
from zet_tui.core.findings import Findings
from zet_tui.core.store import Evaluation, Session, Store
from zet_tui.core.vocab import CASE_PERSPECTIVES

CHANGE_THRESHOLD = 0.5
IMPROVED = "verbeterd"
WORSENED = "verslechterd"
SAME = "gelijk"
NOT_COMPARABLE = "niet te vergelijken"

WORDING_CHANGED = "tekst gewijzigd"
ADDED = "toegevoegd"
REMOVED = "verwijderd"


def label_delta(delta: float | None) -> str:
    if delta is None:
        return NOT_COMPARABLE
    if delta >= CHANGE_THRESHOLD:
        return IMPROVED
    if delta <= -CHANGE_THRESHOLD:
        return WORSENED
    return SAME


@dataclass(frozen=True)
class ScoreChange:
    perspective: str  # a case perspective, or "alle" for the pooled theme mean
    mean_a: float | None
    mean_b: float | None
    n_a: int
    n_b: int

    @property
    def delta(self) -> float | None:
        if self.mean_a is None or self.mean_b is None:
            return None
        return self.mean_b - self.mean_a

    @property
    def label(self) -> str:
        return label_delta(self.delta)


@dataclass(frozen=True)
class ThemeChange:
    theme_id: str
    title: str
    overall: ScoreChange
    perspectives: tuple[ScoreChange, ...]
    changed_questions: tuple[str, ...]
    """Ids of this theme's questions whose wording changed between the rounds."""

    @property
    def label(self) -> str:
        return self.overall.label


@dataclass(frozen=True)
class QuestionnaireChange:
    perspective: str
    item: str  # "thema" or "vraag"
    id: str
    change: str  # WORDING_CHANGED / ADDED / REMOVED
    theme_id: str
    text_a: str | None
    text_b: str | None


@dataclass(frozen=True)
class FindingRecurrence:
    label: str  # F-number in round A, or "" when it was never stored
    kind: str
    key: str
    text: str
    recognised: str | None
    recurs: bool | None  # None: an analyst's finding, not checked automatically


@dataclass(frozen=True)
class Comparison:
    a: Evaluation
    b: Evaluation
    themes: tuple[ThemeChange, ...]
    findings: tuple[FindingRecurrence, ...]
    outcome_a: MeetingOutcome
    questionnaire_changes: tuple[QuestionnaireChange, ...]
    versions_a: dict[str, tuple[str, ...]]
    versions_b: dict[str, tuple[str, ...]]
    warnings: tuple[str, ...]

    @property
    def is_follow_up(self) -> bool:
        return self.b.follows_id == self.a.id

    def themes_labelled(self, label: str) -> list[ThemeChange]:
        return [t for t in self.themes if t.label == label]

    @property
    def recurring_findings(self) -> list[FindingRecurrence]:
        return [f for f in self.findings if f.recurs]

    @property
    def open_improvements(self) -> list[ImprovementOutcome]:
        return self.outcome_a.open_improvements


def _pooled(spreads: Sequence[Spread]) -> tuple[float | None, int]:
    n = sum(s.n for s in spreads if s.mean is not None)
    if not n:
        return None, 0
    return sum(s.mean * s.n for s in spreads if s.mean is not None) / n, n


def _theme_changes(a: EvaluationAnalysis, b: EvaluationAnalysis,
                   wording: Sequence[QuestionnaireChange]) -> list[ThemeChange]:
    stats_a = {t.id: t for t in a.themes}
    stats_b = {t.id: t for t in b.themes}
    order = list(dict.fromkeys([*stats_a, *stats_b]))
    out = []
    for tid in order:
        ta, tb = stats_a.get(tid), stats_b.get(tid)
        title = tb.title if tb else ta.title if ta else tid
        per = []
        for p in CASE_PERSPECTIVES:
            sa = ta.spreads.get(p) if ta else None
            sb = tb.spreads.get(p) if tb else None
            if sa is None and sb is None:
                continue
            per.append(ScoreChange(p, sa.mean if sa else None, sb.mean if sb else None,
                                   sa.n if sa else 0, sb.n if sb else 0))
        ma, na = _pooled(list(ta.spreads.values())) if ta else (None, 0)
        mb, nb = _pooled(list(tb.spreads.values())) if tb else (None, 0)
        changed = tuple(dict.fromkeys(c.id for c in wording
                                      if c.item == "vraag" and c.change == WORDING_CHANGED
                                      and c.theme_id == tid))
        out.append(ThemeChange(tid, title, ScoreChange("alle", ma, mb, na, nb), tuple(per), changed))
    return out


def _snapshot_items(sessions: Sequence[Session]) -> dict[str, tuple[dict[str, tuple[str, str]],
                                                                      dict[str, str]]]:
    """Per perspective: question id -> (text, theme id), theme id -> title; later sessions win."""
    out: dict[str, tuple[dict[str, tuple[str, str]], dict[str, str]]] = {}
    for s in sorted(sessions, key=lambda s: s.started):
        questions, themes = out.setdefault(s.perspective, ({}, {}))
        for theme in s.questionnaire.themes:
            themes[theme.id] = theme.title
            for q in theme.questions:
                questions[q.id] = (q.text, theme.id)
    return out


def questionnaire_changes(sessions_a: Sequence[Session],
                          sessions_b: Sequence[Session]) -> list[QuestionnaireChange]:
    items_a, items_b = _snapshot_items(sessions_a), _snapshot_items(sessions_b)
    out: list[QuestionnaireChange] = []
    for p in [*CASE_PERSPECTIVES, *sorted((set(items_a) | set(items_b)) - set(CASE_PERSPECTIVES))]:
        if p not in items_a or p not in items_b:
            continue  # a perspective missing in one round is not a questionnaire change
        (qa, ta), (qb, tb) = items_a[p], items_b[p]
        for tid in ta:
            if tid not in tb:
                out.append(QuestionnaireChange(p, "thema", tid, REMOVED, tid, ta[tid], None))
            elif ta[tid] != tb[tid]:
                out.append(QuestionnaireChange(p, "thema", tid, WORDING_CHANGED, tid, ta[tid], tb[tid]))
        out.extend(QuestionnaireChange(p, "thema", tid, ADDED, tid, None, tb[tid])
                   for tid in tb if tid not in ta)
        for qid, (text, tid) in qa.items():
            if qid not in qb:
                out.append(QuestionnaireChange(p, "vraag", qid, REMOVED, tid, text, None))
            elif qb[qid][0] != text:
                out.append(QuestionnaireChange(p, "vraag", qid, WORDING_CHANGED, qb[qid][1], text,
                                               qb[qid][0]))
        out.extend(QuestionnaireChange(p, "vraag", qid, ADDED, tid, None, text)
                   for qid, (text, tid) in qb.items() if qid not in qa)
    return out


def _versions(sessions: Sequence[Session]) -> dict[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = {}
    for s in sessions:
        q = s.questionnaire
        found.setdefault(s.perspective, {})[f"{q.id} v{q.version}"] = None
    return {p: tuple(v) for p, v in found.items()}


def _derived_refs(findings: Findings) -> set[tuple[str, str]]:
    """(kind, key) of every derived finding, and of the earlier-rule findings each continues."""
    return {ref for d in derive_findings(findings) for ref in ((d.kind, d.key), *d.aliases)}


def _recurrences(outcome_a: MeetingOutcome, findings_a: Findings,
                 findings_b: Findings) -> list[FindingRecurrence]:
    now_b = _derived_refs(findings_b)
    out: list[FindingRecurrence] = []
    seen: set[tuple[str, str]] = set()
    for nf in outcome_a.findings:
        f = nf.finding
        seen.add((f.kind, f.key))
        recurs = None if f.kind == KIND_ANALYST else (f.kind, f.key) in now_b
        out.append(FindingRecurrence(nf.label, f.kind, f.key, f.text, f.recognised, recurs))
    for d in derive_findings(findings_a):
        if (d.kind, d.key) not in seen and not seen.intersection(d.aliases):
            out.append(FindingRecurrence("", d.kind, d.key, d.text, None, (d.kind, d.key) in now_b))
    return out


def compare(store: Store, eval_a: str, eval_b: str, *,
            findings_b: Findings | None = None) -> Comparison:
    """Compare round A (earlier) with round B (later); reads only.

    `findings_b`: B's findings when the caller (an export of B) already has them.
    """
    findings_a = load_findings(store, eval_a)
    if findings_b is None:
        findings_b = load_findings(store, eval_b)
    analysis_a, analysis_b = findings_a.analysis, findings_b.analysis
    a, b = analysis_a.evaluation, analysis_b.evaluation
    sessions_a = store.sessions(evaluation_id=a.id)
    sessions_b = store.sessions(evaluation_id=b.id)
    warnings: list[str] = []
    if a.id == b.id:
        warnings.append("A en B zijn dezelfde evaluatie")
    if a.municipality and b.municipality and a.municipality != b.municipality:
        warnings.append(f"andere gemeente: '{a.municipality}' tegenover '{b.municipality}'")
    if b.follows_id != a.id and a.follows_id == b.id:
        warnings.append("B is de eerdere ronde: A is als vervolg op B vastgelegd; draai de volgorde om")
    for label, sessions in (("A", sessions_a), ("B", sessions_b)):
        if not sessions:
            warnings.append(f"evaluatie {label} heeft nog geen sessies")
    wording = questionnaire_changes(sessions_a, sessions_b)
    outcome_a = meeting_outcome(store, a.id, findings=findings_a)
    return Comparison(
        a=a, b=b, themes=tuple(_theme_changes(analysis_a, analysis_b, wording)),
        findings=tuple(_recurrences(outcome_a, findings_a, findings_b)), outcome_a=outcome_a,
        questionnaire_changes=tuple(wording), versions_a=_versions(sessions_a),
        versions_b=_versions(sessions_b), warnings=tuple(warnings))


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _score(s: ScoreChange) -> dict[str, Any]:
    return {"perspectief": s.perspective, "gemiddelde_a": _round(s.mean_a),
            "gemiddelde_b": _round(s.mean_b), "n_a": s.n_a, "n_b": s.n_b,
            "verschil": _round(s.delta), "oordeel": s.label}


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """Plain data for `zet compare --json` and the JSON export."""
    return {
        "evaluatie_a": {"id": c.a.id, "naam": c.a.name, "gemeente": c.a.municipality},
        "evaluatie_b": {"id": c.b.id, "naam": c.b.name, "gemeente": c.b.municipality,
                        "vervolg_op": c.b.follows_id},
        "drempel": CHANGE_THRESHOLD,
        "themas": [{"id": t.theme_id, "titel": t.title, **_score(t.overall),
                    "perspectieven": [_score(s) for s in t.perspectives],
                    "gewijzigde_vragen": list(t.changed_questions)} for t in c.themes],
        "bevindingen": [{"nummer": f.label, "soort": f.kind, "soort_label": KIND_LABELS.get(f.kind, f.kind),
                         "sleutel": f.key, "tekst": f.text, "herkend": f.recognised,
                         "komt_terug": f.recurs} for f in c.findings],
        "verbeterpunten": [{"nummer": i.label, "id": i.improvement.id, "tekst": i.improvement.text,
                            "eigenaar": i.improvement.owner, "deadline": i.improvement.due,
                            "status": i.improvement.status} for i in c.outcome_a.improvements],
        "vragenlijstwijzigingen": [{"perspectief": q.perspective, "soort": q.item, "id": q.id,
                                    "wijziging": q.change, "thema": q.theme_id, "tekst_a": q.text_a,
                                    "tekst_b": q.text_b} for q in c.questionnaire_changes],
        "versies_a": {p: list(v) for p, v in c.versions_a.items()},
        "versies_b": {p: list(v) for p, v in c.versions_b.items()},
        "waarschuwingen": list(c.warnings),
    }



def _fmt(x: float | None) -> str:
    return format_number(x, 1)


def _fmt_delta(x: float | None) -> str:
    return format_number(x, 1, sign=True, empty="")


def format_comparison(c: Comparison) -> str:
    """Readable plain-text summary for `zet compare`: what improved, what did not, what is open."""
    lines = [f"Vergelijking: '{c.a.name}' (A) → '{c.b.name}' (B)"]
    if c.is_follow_up:
        lines.append("B is vastgelegd als vervolgmeting op A.")
    lines.extend(f"Let op: {w}." for w in c.warnings)
    lines.append("Scores: gemiddelde op de vijfpuntsschaal; verschil telt vanaf "
                 f"{format_number(CHANGE_THRESHOLD)} punt.")

    def theme_line(t: ThemeChange) -> str:
        per = ", ".join(f"{s.perspective} {_fmt(s.mean_a)}→{_fmt(s.mean_b)}" for s in t.perspectives)
        flag = " [vraagtekst gewijzigd: " + ", ".join(t.changed_questions) + "]" if t.changed_questions else ""
        return (f"  - {t.title}: {_fmt(t.overall.mean_a)} → {_fmt(t.overall.mean_b)} "
                f"({_fmt_delta(t.overall.delta)}; {per}){flag}")

    if not c.themes:
        lines.append("Nog geen scores om te vergelijken.")
    for label, heading in ((IMPROVED, "Verbeterd"), (WORSENED, "Verslechterd"), (SAME, "Gelijk gebleven"),
                           (NOT_COMPARABLE, "Niet te vergelijken (alleen in één ronde)")):
        themes = c.themes_labelled(label)
        if themes:
            lines.append("")
            lines.append(f"{heading}:")
            lines.extend(theme_line(t) for t in themes)
    lines.append("")
    recurring = c.recurring_findings
    gone = [f for f in c.findings if f.recurs is False]
    unchecked = [f for f in c.findings if f.recurs is None]
    lines.append(f"Bevindingen van A die terugkomen in B ({len(recurring)}):")
    lines.extend(f"  - {f.label + ' ' if f.label else ''}{f.text}" for f in recurring)
    if not recurring:
        lines.append("  geen")
    if gone:
        lines.append(f"Niet meer gevonden in B ({len(gone)}):")
        lines.extend(f"  - {f.label + ' ' if f.label else ''}{f.text}" for f in gone)
    if unchecked:
        lines.append(f"Eigen bevindingen van de analist (niet automatisch na te gaan) ({len(unchecked)}):")
        lines.extend(f"  - {f.label} {f.text}" for f in unchecked)
    lines.append("")
    points = c.outcome_a.improvements
    open_points = c.open_improvements
    lines.append(f"Verbeterpunten van A: {len(points)}, waarvan {len(open_points)} nog niet gereed.")
    for item in points:
        imp = item.improvement
        who = f" — eigenaar: {imp.owner}" if imp.owner else ""
        due = f", deadline {format_date(imp.due)}" if imp.due else ""
        lines.append(f"  - {item.label} [{item.status_label}] {imp.text}{who}{due}")
    if c.questionnaire_changes:
        lines.append("")
        lines.append("Gewijzigde vragenlijsten (vergeleken op id):")
        for p in sorted(set(c.versions_a) | set(c.versions_b)):
            va, vb = ", ".join(c.versions_a.get(p, ())), ", ".join(c.versions_b.get(p, ()))
            if va != vb:
                lines.append(f"  {p}: {va or '–'} → {vb or '–'}")
        for q in c.questionnaire_changes:
            if q.change == WORDING_CHANGED:
                lines.append(f"  - {q.perspective} {q.item} {q.id}: {q.change}: '{q.text_a}' → '{q.text_b}'")
            else:
                lines.append(f"  - {q.perspective} {q.item} {q.id}: {q.change}: '{q.text_b or q.text_a}'")
    return "\n".join(lines)
