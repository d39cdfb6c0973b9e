"""The feedback meeting: findings put to the municipality, their reactions, improvement points.

Findings come from two places. The analysis derives them (a theme that is a
*rode draad* because it scores low in most cases, kind ``laag_thema`` keyed by
theme id; a difference between perspectives that recurs across cases, kind
``verschil`` keyed by question key), and the analyst adds their own (kind
``analist``). Derived findings are written with `Store.upsert_finding`, so
syncing again refreshes their text and never loses a recorded reaction.

Numbering (F1, F2, ... and V1, V2, ... for improvement points) follows creation
order in the store, so a number the meeting wrote on a flip-over keeps meaning
the same finding after later syncs; a derived finding that the analysis no
longer produces keeps its number and is shown as no longer current.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from zet_tui.core.analysis import EvaluationAnalysis, analyse_evaluation
from zet_tui.core.dutch import DateError, iso_date
from zet_tui.core.store import (
    IMPROVEMENT_STATUSES,
    Evaluation,
    Event,
    Finding,
    Improvement,
    Meeting,
    Store,
    StoreError,
    new_id,
)

KIND_LOW_THEME = "laag_thema"
KIND_DIVERGENCE = "verschil"
KIND_ANALYST = "analist"
FINDING_KINDS: tuple[str, ...] = (KIND_LOW_THEME, KIND_DIVERGENCE, KIND_ANALYST)
KIND_LABELS: dict[str, str] = {
    KIND_LOW_THEME: "laag scorend thema",
    KIND_DIVERGENCE: "terugkerend verschil",
    KIND_ANALYST: "notitie analist",
}
REACTIONS: tuple[str, ...] = ("ja", "deels", "nee")
REACTION_LABELS: dict[str, str] = {
    "ja": "herkend",
    "deels": "deels herkend",
    "nee": "niet herkend",
}
NOT_DISCUSSED = "nog niet besproken"
STATUS_LABELS: dict[str, str] = {
    "open": "open",
    "in_uitvoering": "in uitvoering",
    "gereed": "gereed",
}


class FeedbackError(StoreError):
    """A user mistake in the feedback workflow; the message is Dutch and shown as is."""


@dataclass(frozen=True)
class DerivedFinding:
    kind: str
    key: str
    text: str
    theme_id: str


@dataclass(frozen=True)
class NumberedFinding:
    number: int
    finding: Finding
    current: bool
    """False for a derived finding that the analysis no longer produces."""
    theme_id: str | None
    theme_title: str

    @property
    def label(self) -> str:
        return f"F{self.number}"

    @property
    def reaction_label(self) -> str:
        return REACTION_LABELS.get(self.finding.recognised or "", NOT_DISCUSSED)


def parse_date(text: str) -> str:
    """A date typed as dd-mm-jjjj or JJJJ-MM-DD, as stored (JJJJ-MM-DD)."""
    try:
        return iso_date(text)
    except DateError as exc:
        raise FeedbackError(str(exc).rstrip(".")) from None


def parse_attendees(text: str) -> list[str]:
    """'A, B; C' -> ['A', 'B', 'C']: attendance is typed as one line in the meeting."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def load_analysis(store: Store, evaluation_id: str) -> EvaluationAnalysis:
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    sessions = store.sessions(evaluation_id=evaluation_id)
    answers = store.answers_for_sessions([s.id for s in sessions])
    return analyse_evaluation(evaluation, store.cases(evaluation_id), sessions, answers)


def theme_titles(analysis: EvaluationAnalysis) -> dict[str, str]:
    titles = {t.id: t.title for t in analysis.themes}
    for ca in analysis.cases:
        for s in ca.sessions.values():
            for theme in s.questionnaire.themes:
                titles.setdefault(theme.id, theme.title)
    return titles


def derive_findings(analysis: EvaluationAnalysis) -> list[DerivedFinding]:
    """The findings the analysis puts to the meeting: rode draden first, then differences."""
    out: list[DerivedFinding] = []
    for theme in analysis.low_themes:
        low = theme.low_cases
        out.append(DerivedFinding(
            KIND_LOW_THEME, theme.id,
            f"Thema '{theme.title}' scoort laag in {len(low)} van de {len(theme.case_means)} "
            f"casussen ({', '.join(low)}).",
            theme.id))
    titles = theme_titles(analysis)
    for rec in analysis.recurring:
        pairs = ", ".join(f"{a} tegenover {b}" for (a, b), _ in sorted(rec.pairs.items()))
        out.append(DerivedFinding(
            KIND_DIVERGENCE, rec.key,
            f"Perspectieven verschillen bij '{rec.text}' (thema '{titles.get(rec.theme_id, rec.theme_id)}')"
            f" in {len(rec.case_codes)} casussen ({', '.join(rec.case_codes)}): {pairs}.",
            rec.theme_id))
    return out


def numbered_findings(store: Store, evaluation_id: str,
                      analysis: EvaluationAnalysis | None = None) -> list[NumberedFinding]:
    """Stored findings in creation order with their F-numbers; reads only."""
    if analysis is None:
        analysis = load_analysis(store, evaluation_id)
    derived = {(d.kind, d.key): d for d in derive_findings(analysis)}
    titles = theme_titles(analysis)
    out = []
    for number, f in enumerate(store.findings(evaluation_id), start=1):
        d = derived.get((f.kind, f.key))
        theme_id = d.theme_id if d else (f.key if f.kind == KIND_LOW_THEME else None)
        out.append(NumberedFinding(number, f, f.kind == KIND_ANALYST or d is not None, theme_id,
                                   titles.get(theme_id, theme_id or "") if theme_id else ""))
    return out


def sync_findings(store: Store, evaluation_id: str, *, actor: str = "") -> list[NumberedFinding]:
    """Write the analysis' findings into the store (idempotent) and return all, numbered."""
    analysis = load_analysis(store, evaluation_id)
    for d in derive_findings(analysis):
        store.upsert_finding(evaluation_id, d.kind, d.key, d.text, actor=actor)
    return numbered_findings(store, evaluation_id, analysis)


def add_analyst_finding(store: Store, evaluation_id: str, text: str, *, actor: str = "") -> Finding:
    text = text.strip()
    if not text:
        raise FeedbackError("een bevinding heeft een tekst nodig")
    if store.evaluation(evaluation_id) is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    return store.upsert_finding(evaluation_id, KIND_ANALYST, f"a-{new_id()[:12]}", text, actor=actor)


def resolve_finding(findings: Sequence[NumberedFinding], ref: str) -> NumberedFinding:
    """'F2', 'f2', '2' or an id (prefix) -> the finding; a Dutch error otherwise."""
    raw = ref.strip()
    m = re.fullmatch(r"[fF]?(\d+)", raw)
    if m:
        number = int(m.group(1))
        for f in findings:
            if f.number == number:
                return f
    if len(raw) >= 4:  # an id prefix may be all digits too
        hits = [f for f in findings if f.finding.id.startswith(raw.lower())]
        if len(hits) == 1:
            return hits[0]
    known = f"F1 t/m F{len(findings)}" if findings else "nog geen bevindingen"
    raise FeedbackError(f"bevinding '{ref}' niet gevonden ({known}; zie 'zet feedback findings')")


def record_meeting(store: Store, evaluation_id: str, held_at: str, attendees: Sequence[str] | str,
                   notes: str = "", *, actor: str = "") -> Meeting:
    """Validated wrapper around `Store.add_meeting`: a real date and at least one attendee."""
    if store.evaluation(evaluation_id) is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    people = parse_attendees(attendees) if isinstance(attendees, str) else [
        a.strip() for a in attendees if a.strip()]
    if not people:
        raise FeedbackError("noem wie er aanwezig waren (bijvoorbeeld \"Wethouder, Team Noord\")")
    return store.add_meeting(evaluation_id, parse_date(held_at), people, notes, actor=actor)


def known_themes(store: Store, evaluation_id: str) -> dict[str, str]:
    """Theme id -> title over every session snapshot of the evaluation (and its chosen themes)."""
    titles: dict[str, str] = {}
    for s in store.sessions(evaluation_id=evaluation_id):
        for theme in s.questionnaire.themes:
            titles.setdefault(theme.id, theme.title)
    ev = store.evaluation(evaluation_id)
    for tid in (ev.themes or ()) if ev else ():
        titles.setdefault(tid, tid)
    return titles


def add_improvement_point(store: Store, evaluation_id: str, text: str, *, owner: str = "",
                          due: str | None = None, themes: Sequence[str] = (),
                          findings: Sequence[str] = (), actor: str = "") -> Improvement:
    """Validated `Store.add_improvement`: `findings` are F-numbers or ids, `due` YYYY-MM-DD."""
    if store.evaluation(evaluation_id) is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    if not text.strip():
        raise FeedbackError("een verbeterpunt heeft een omschrijving nodig")
    due_iso = parse_date(due) if due else None
    theme_ids: list[str] = []
    if themes:
        known = known_themes(store, evaluation_id)
        for t in themes:
            tid = t.strip()
            match = tid if tid in known else next(
                (k for k, title in known.items() if title.lower() == tid.lower()), None)
            if match is None:
                listing = ", ".join(sorted(known)) or "geen (nog geen sessies)"
                raise FeedbackError(f"thema '{t}' hoort niet bij deze evaluatie (bekend: {listing})")
            if match not in theme_ids:
                theme_ids.append(match)
    finding_ids: list[str] = []
    if findings:
        numbered = numbered_findings(store, evaluation_id)
        for ref in findings:
            fid = resolve_finding(numbered, ref).finding.id
            if fid not in finding_ids:
                finding_ids.append(fid)
    return store.add_improvement(evaluation_id, text, owner=owner, due=due_iso, themes=theme_ids,
                                 findings=finding_ids, actor=actor)


def resolve_improvement(store: Store, ref: str, evaluation_id: str | None = None) -> Improvement:
    """'V2' (with an evaluation) or an id (prefix) -> the improvement point."""
    m = re.fullmatch(r"[vV](\d+)", ref.strip())
    if m:
        if evaluation_id is None:
            raise FeedbackError(f"'{ref}' is een volgnummer; geef ook --evaluation, of gebruik het id")
        points = store.improvements(evaluation_id)
        number = int(m.group(1))
        if not 1 <= number <= len(points):
            raise FeedbackError(f"verbeterpunt '{ref}' niet gevonden (deze evaluatie heeft er "
                                f"{len(points)})")
        return points[number - 1]
    found = store.improvement(ref.strip())
    if evaluation_id is not None and found.evaluation_id != evaluation_id:
        raise FeedbackError(f"verbeterpunt '{ref}' hoort bij een andere evaluatie")
    return found


def set_improvement_status(store: Store, ref: str, status: str, *, evaluation_id: str | None = None,
                           actor: str = "") -> Improvement:
    if status not in IMPROVEMENT_STATUSES:
        raise FeedbackError(f"status moet een van {', '.join(IMPROVEMENT_STATUSES)} zijn")
    point = resolve_improvement(store, ref, evaluation_id)
    store.update_improvement(point.id, status=status, actor=actor)
    return store.improvement(point.id)


def update_improvement_point(store: Store, ref: str, *, owner: str | None = None, due: str | None = None,
                             evaluation_id: str | None = None, actor: str = "") -> Improvement:
    """Change owner and/or due date (YYYY-MM-DD); the change is in the audit log."""
    if owner is None and due is None:
        raise FeedbackError("geef --eigenaar en/of --deadline")
    point = resolve_improvement(store, ref, evaluation_id)
    store.update_improvement(point.id, owner=None if owner is None else owner.strip(),
                             due=parse_date(due) if due else None, actor=actor)
    return store.improvement(point.id)


# -- the outcome, for the report section and the exports ---------------------------
@dataclass(frozen=True)
class StatusChange:
    at: str
    actor: str
    old: str | None
    new: str


@dataclass(frozen=True)
class ImprovementOutcome:
    number: int
    improvement: Improvement
    finding_labels: tuple[str, ...]
    theme_titles: tuple[str, ...]
    history: tuple[StatusChange, ...]

    @property
    def label(self) -> str:
        return f"V{self.number}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.improvement.status, self.improvement.status)


@dataclass(frozen=True)
class MeetingOutcome:
    evaluation: Evaluation
    meetings: tuple[Meeting, ...]
    findings: tuple[NumberedFinding, ...]
    improvements: tuple[ImprovementOutcome, ...]

    @property
    def attendees(self) -> list[str]:
        """Everyone present at any meeting, first mention first."""
        return list(dict.fromkeys(a for m in self.meetings for a in m.attendees))

    @property
    def open_improvements(self) -> list[ImprovementOutcome]:
        return [i for i in self.improvements if i.improvement.status != "gereed"]

    def reaction_counts(self) -> dict[str, int]:
        counts = {label: 0 for label in (*REACTION_LABELS.values(), NOT_DISCUSSED)}
        for f in self.findings:
            counts[f.reaction_label] += 1
        return counts


def status_history(events: Sequence[Event]) -> tuple[StatusChange, ...]:
    """Status steps of one improvement point from its audit events (creation = 'open')."""
    out: list[StatusChange] = []
    for e in events:
        if e.kind == "improvement_added":
            out.append(StatusChange(e.at, e.actor, None, "open"))
        elif e.kind == "improvement_changed" and isinstance(e.new, dict) and "status" in e.new:
            old = e.old.get("status") if isinstance(e.old, dict) else None
            out.append(StatusChange(e.at, e.actor, old, str(e.new["status"])))
    return tuple(out)


def meeting_outcome(store: Store, evaluation_id: str, *, sync: bool = False, actor: str = "",
                    analysis: EvaluationAnalysis | None = None) -> MeetingOutcome:
    """Everything the report says about the feedback meeting; writes only when `sync`.

    `analysis`: the evaluation's analysis when the caller already has it (it is the
    costly part, and compare/export compute it anyway).
    """
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    if analysis is None:
        analysis = load_analysis(store, evaluation_id)
    if sync:
        for d in derive_findings(analysis):
            store.upsert_finding(evaluation_id, d.kind, d.key, d.text, actor=actor)
    findings = numbered_findings(store, evaluation_id, analysis)
    labels = {f.finding.id: f.label for f in findings}
    titles = known_themes(store, evaluation_id)
    improvements = tuple(
        ImprovementOutcome(n, imp, tuple(labels.get(fid, fid[:8]) for fid in imp.findings),
                           tuple(titles.get(t, t) for t in imp.themes),
                           status_history(store.improvement_history(imp.id)))
        for n, imp in enumerate(store.improvements(evaluation_id), start=1))
    return MeetingOutcome(evaluation, tuple(store.meetings(evaluation_id)), tuple(findings), improvements)
