"""The feedback meeting: findings put to the municipality, their reactions, improvement points.

Findings come from two places. The findings model (`core/findings.py`)
derives them: knelpunten, succesfactoren, weinig besproken thema's and
verschillen between perspectives, keyed by the finding's stable key, in the
model's order (the top priorities first, no pattern twice). The analyst adds
their own (kind ``analist``). Derived findings are written with
`Store.upsert_finding`, so syncing again refreshes their text and never loses a
recorded reaction.

Findings recorded under the earlier single rule (kind ``laag_thema`` keyed by
theme id; kind ``verschil`` keyed by question key) keep their number and
reaction: when the model finds the same pattern (a knelpunt on that theme; a
difference in the theme that contains that question) it refreshes that record
instead of adding a new one.

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
from zet_tui.core.codebook import codebook_in_use
from zet_tui.core.dutch import DateError, iso_date
from zet_tui.core.evidence import load_evidence
from zet_tui.core.findings import (
    KNELPUNT,
    SUCCESFACTOR,
    VERSCHIL,
    WEINIG_BESPROKEN,
    Findings,
    build_findings,
    finding_text,
)
from zet_tui.core.findings import Finding as ModelFinding
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

KIND_KNELPUNT = KNELPUNT
KIND_SUCCES = SUCCESFACTOR
KIND_RARELY_DISCUSSED = WEINIG_BESPROKEN
KIND_DIVERGENCE = VERSCHIL
KIND_ANALYST = "analist"
KIND_LOW_THEME = "laag_thema"
"""Recorded under the earlier rule (a theme low in most cases); no longer derived."""
FINDING_KINDS: tuple[str, ...] = (KIND_KNELPUNT, KIND_SUCCES, KIND_RARELY_DISCUSSED, KIND_DIVERGENCE,
                                  KIND_ANALYST, KIND_LOW_THEME)
KIND_LABELS: dict[str, str] = {
    KIND_KNELPUNT: "knelpunt",
    KIND_SUCCES: "succesfactor",
    KIND_RARELY_DISCUSSED: "weinig besproken thema",
    KIND_DIVERGENCE: "verschil tussen perspectieven",
    KIND_ANALYST: "notitie analist",
    KIND_LOW_THEME: "laag scorend thema",
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
    aliases: tuple[tuple[str, str], ...] = ()
    """(kind, key) of findings recorded under the earlier rule that this one continues."""


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


def load_findings(store: Store, evaluation_id: str) -> Findings:
    """The findings of an evaluation: its analysis plus the analyst's coded evidence."""
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    sessions = store.sessions(evaluation_id=evaluation_id)
    answers = store.answers_for_sessions([s.id for s in sessions])
    analysis = analyse_evaluation(evaluation, store.cases(evaluation_id), sessions, answers)
    evidence = load_evidence(store, evaluation_id, codebook=codebook_in_use)
    return build_findings(analysis, evidence, sessions, answers)


def theme_titles(analysis: EvaluationAnalysis) -> dict[str, str]:
    titles = {t.id: t.title for t in analysis.themes}
    for ca in analysis.cases:
        for s in ca.sessions.values():
            for theme in s.questionnaire.themes:
                titles.setdefault(theme.id, theme.title)
    return titles


def _legacy(f: ModelFinding) -> list[tuple[str, str]]:
    """(kind, key) under which the earlier single rule recorded this pattern."""
    if f.kind == KNELPUNT and f.subject.kind == "thema" and f.subgroup is None:
        return [(KIND_LOW_THEME, f.subject.id)]
    if f.kind == VERSCHIL:
        return [(KIND_DIVERGENCE, key) for key in f.questions]
    return []


def _theme_of(f: ModelFinding, findings: Findings) -> str:
    """The finding's theme: its subject's, or the one theme all its questions share."""
    if f.subject.theme_id:
        return f.subject.theme_id
    themes = {findings.subjects[f"vraag:{q}"].theme_id for q in f.questions if f"vraag:{q}" in findings.subjects}
    return themes.pop() if len(themes) == 1 else ""


def derive_findings(findings: Findings) -> list[DerivedFinding]:
    """The findings put to the meeting, in the model's order: priorities first, no pattern twice.

    A pattern the earlier rule recorded (a low theme; a difference on one question) is continued
    by the headline finding that now names it: the same finding, or the one sharing its questions.
    """
    headline = list(findings.headline)
    legacy: dict[str, list[tuple[str, str]]] = {h.key: [] for h in headline}
    for f in findings.findings:
        target = f if f in headline else next(
            (h for h in headline if h.kind == f.kind and set(h.questions) & set(f.questions)), None)
        if target is not None:
            legacy[target.key].extend(ref for ref in _legacy(f) if ref not in legacy[target.key])
    return [DerivedFinding(f.kind, f.key, finding_text(f, findings), _theme_of(f, findings),
                           tuple(legacy[f.key])) for f in headline]


def _write_derived(store: Store, evaluation_id: str, derived: Sequence[DerivedFinding], actor: str) -> None:
    """Upsert each derived finding; one recorded under the earlier rule is continued, not duplicated."""
    stored = {(f.kind, f.key) for f in store.findings(evaluation_id)}
    claimed: set[tuple[str, str]] = set()
    for d in derived:
        target = (d.kind, d.key)
        if target not in stored:
            target = next((a for a in d.aliases if a in stored and a not in claimed), target)
        claimed.add(target)
        store.upsert_finding(evaluation_id, *target, d.text, actor=actor)


def numbered_findings(store: Store, evaluation_id: str,
                      findings: Findings | None = None) -> list[NumberedFinding]:
    """Stored findings in creation order with their F-numbers; reads only."""
    if findings is None:
        findings = load_findings(store, evaluation_id)
    derived: dict[tuple[str, str], DerivedFinding] = {}
    for derived_finding in derive_findings(findings):
        for ref in ((derived_finding.kind, derived_finding.key), *derived_finding.aliases):
            derived.setdefault(ref, derived_finding)
    titles = theme_titles(findings.analysis)
    out = []
    for number, f in enumerate(store.findings(evaluation_id), start=1):
        d = derived.get((f.kind, f.key))
        theme_id = d.theme_id if d else (f.key if f.kind == KIND_LOW_THEME else None)
        out.append(NumberedFinding(number, f, f.kind == KIND_ANALYST or d is not None, theme_id or None,
                                   titles.get(theme_id, theme_id) if theme_id else ""))
    return out


def sync_findings(store: Store, evaluation_id: str, *, actor: str = "") -> list[NumberedFinding]:
    """Write the model's findings into the store (idempotent) and return all, numbered."""
    findings = load_findings(store, evaluation_id)
    _write_derived(store, evaluation_id, derive_findings(findings), actor)
    return numbered_findings(store, evaluation_id, findings)


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
                    findings: Findings | None = None) -> MeetingOutcome:
    """Everything the report says about the feedback meeting; writes only when `sync`.

    `findings`: the evaluation's findings when the caller already has them (they are
    the costly part, and compare/export compute them anyway).
    """
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        raise FeedbackError(f"evaluatie '{evaluation_id}' niet gevonden")
    if findings is None:
        findings = load_findings(store, evaluation_id)
    if sync:
        _write_derived(store, evaluation_id, derive_findings(findings), actor)
    numbered = numbered_findings(store, evaluation_id, findings)
    labels = {f.finding.id: f.label for f in numbered}
    titles = known_themes(store, evaluation_id)
    improvements = tuple(
        ImprovementOutcome(n, imp, tuple(labels.get(fid, fid[:8]) for fid in imp.findings),
                           tuple(titles.get(t, t) for t in imp.themes),
                           status_history(store.improvement_history(imp.id)))
        for n, imp in enumerate(store.improvements(evaluation_id), start=1))
    return MeetingOutcome(evaluation, tuple(store.meetings(evaluation_id)), tuple(numbered), improvements)
