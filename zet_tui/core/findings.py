"""Findings researchers recognise: knelpunten and succesfactoren across the cases of one evaluation.

`build_findings` is a pure function of the analyseschema of every case
(`core/analysis.py`) and the analyst's coded evidence (`core/evidence.py`).
Every rule can be said in one sentence in the feedback meeting, and every
threshold is a named constant below; `docs/bevindingen.md` has the same rules
in Dutch, for analysts.

* **Subjects.** A finding is about a theme, a question (one row of the
  analyseschema: the same question in every perspective), a werkzaam element,
  a basisfunctie or a code of the codebook. A score counts for its question,
  its theme and the elements and basisfuncties the question is tagged with. A
  coding counts for its code and for the elements, basisfuncties and themes
  the codebook gives that code (without them: those of the coded question).
* **One case, one subject.** A case is a *knelpunt* on a subject when the
  analyst coded a knelpunt there, a *succesfactor* when the analyst coded a
  succesfactor (both when both were coded). Without such a coding the scores
  decide: the mean of all scores of the case on the subject, over all
  perspectives and placed on the five-point scale, is at most `LOW_MAX`
  (knelpunt) or at least `HIGH_MIN` (succesfactor). The toelichting is where
  the insight is, so the analyst's coding outweighs the numbers.
* **Finding.** A knelpunt or succesfactor is a finding when it holds in at
  least `MIN_CASES` cases and in at least `MIN_SHARE` of the cases with scores
  or codings on the subject: never from one case. Fewer than `STRONG_FROM`
  cases is a *zwak signaal*. Cases on the other side are its counterexamples.
* **Subgroup.** Cases share attributes (domein, gemeente, ...). A pattern is a
  finding of that subgroup when it holds in at least `MIN_CASES` cases and
  `SUBGROUP_MIN_SHARE` of the subgroup, while outside the subgroup (cases
  with another value) its share is at most `SUBGROUP_OUTSIDE_FACTOR` times
  that: "jeugd 3 van 3, elders 0 van 8" is a finding even without a majority.
* **Weinig besproken.** A theme discussed (a question answered, *weet niet* or
  *n.v.t.*) in a finished interview of fewer than `DISCUSSED_MIN_SHARE` of the
  cases, and left out in at least `MIN_CASES` cases, is a finding of its own.
* **Verschil.** Divergences (`core/analysis.py`, by meaning) and those the
  analyst marked by hand are grouped per theme and pair of perspectives; a
  group spanning at least `MIN_CASES` cases is a finding.
* **Ranking.** Knelpunten are ranked by number of cases, then subject
  (werkzaam element, code, question, theme, basisfunctie: the researchers'
  vocabulary first), then share (a subgroup's 3 of 3 before 3 of 11); weak
  signals last. A finding that repeats a higher one (same cases, same side,
  a question or code in common) is not repeated in the priorities or in the
  list for the feedback meeting, nor is a theme or basisfunctie whose cases
  are all named by findings on the elements, questions or codes underneath
  (one theme mean must not hide three findings). The first `TOP_PRIORITIES`
  are the priorities. For a code, the cases counted are all cases the
  analyst coded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from zet_tui.core.analysis import EvaluationAnalysis
from zet_tui.core.answers import Answer
from zet_tui.core.evidence import Evidence
from zet_tui.core.findings_cases import (
    CaseVerdict,
    Citation,
    DivergenceGroup,
    DivergenceItem,
    Gathered,
    Subject,
    gather,
)
from zet_tui.core.store import Evaluation, Session
from zet_tui.core.vocab import PERSPECTIVE_LABELS

__all__ = ["CaseVerdict", "Citation", "DivergenceGroup", "DivergenceItem", "Finding", "Findings",
           "Subgroup", "Subject", "build_findings", "finding_text"]

MIN_CASES = 2
"""Never a finding from fewer cases: one case is an exception, not a pattern."""
STRONG_FROM = 3
"""Fewer cases than this is a weak signal ("with three cases you see the rule")."""
MIN_SHARE = 1 / 3
"""Share of the cases with scores or codings on the subject."""
LOW_MAX = 2.5
HIGH_MIN = 4.0
SUBGROUP_MIN_SHARE = 2 / 3
SUBGROUP_OUTSIDE_FACTOR = 0.5
DISCUSSED_MIN_SHARE = 0.5
TOP_PRIORITIES = 5
MAX_CITATIONS = 3

KNELPUNT = "knelpunt"
SUCCESFACTOR = "succesfactor"
WEINIG_BESPROKEN = "weinig-besproken"
VERSCHIL = "verschil"
SIDES = (KNELPUNT, SUCCESFACTOR)
KIND_TITLES: dict[str, str] = {
    KNELPUNT: "Knelpunt",
    SUCCESFACTOR: "Succesfactor",
    WEINIG_BESPROKEN: "Weinig besproken",
    VERSCHIL: "Verschil tussen perspectieven",
}
_RANK = {"werkzaam": 0, "code": 1, "vraag": 2, "thema": 3, "basisfunctie": 4}
_BROAD = ("thema", "basisfunctie")
NO_RECOMMENDATION = "nog geen aanbeveling"
WEAK_NOTE = "Zwak signaal: minder dan drie casussen."


@dataclass(frozen=True)
class Subgroup:
    attribute: str
    value: str
    outside: int
    """Cases with another value of the attribute that show the same."""
    outside_considered: int


@dataclass(frozen=True)
class Finding:
    key: str
    """Stable across runs: recommendations and the feedback meeting refer to it."""
    kind: str
    subject: Subject
    cases: tuple[str, ...]
    """Case ids that show it."""
    considered: tuple[str, ...]
    """Case ids with data on the subject (within the subgroup, if any)."""
    counterexamples: tuple[str, ...] = ()
    subgroup: Subgroup | None = None
    questions: tuple[str, ...] = ()
    """Question keys underneath: the questions that show it in those cases."""
    codes: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    coded_cases: tuple[str, ...] = ()
    """Cases where the analyst's coding decided."""
    perspectives: Mapping[str, int] = field(default_factory=dict)
    """Per perspective: in how many of the cases it contributed to this side."""
    pair: tuple[str, str] | None = None
    """For a verschil: the two perspectives."""

    @property
    def n(self) -> int:
        return len(self.cases)

    @property
    def m(self) -> int:
        return len(self.considered)

    @property
    def share(self) -> float:
        return self.n / self.m if self.m else 0.0

    @property
    def weak(self) -> bool:
        return self.n < STRONG_FROM


@dataclass(frozen=True)
class CodingSummary:
    codings: int
    by_polarity: Mapping[str, int]
    cases: int
    codes: int
    quotes: int
    stale: int
    """Codings and quotes left out: the toelichting changed after coding."""
    manual_divergences: int
    summaries: int
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class Findings:
    analysis: EvaluationAnalysis
    case_ids: tuple[str, ...]
    case_codes: Mapping[str, str]
    findings: tuple[Finding, ...]
    """Knelpunten (ranked), succesfactoren (ranked), weinig besproken, verschillen."""
    priorities: tuple[Finding, ...]
    headline: tuple[Finding, ...]
    """The findings for the feedback meeting: no pattern twice. The knelpunten and
    succesfactoren in it are `distinct` of each side, in rank order."""
    divergences: tuple[DivergenceGroup, ...]
    subjects: Mapping[str, Subject]
    verdicts: Mapping[str, Mapping[str, CaseVerdict]]
    evidence: Evidence
    coding: CodingSummary

    @property
    def evaluation(self) -> Evaluation:
        return self.analysis.evaluation

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def about(self, tag: str) -> list[Finding]:
        """Knelpunten and succesfactoren of a werkzaam element or basisfunctie (`werkzaam:x`):
        the element itself first, then the questions and codes tagged with it."""
        own = [f for f in self.findings if f.kind in SIDES and f.subject.ref == tag]
        under = [f for f in self.findings if f.kind in SIDES and f.subject.ref != tag
                 and tag in f.subject.tags]
        return own + under

    def in_theme(self, theme_id: str) -> list[Finding]:
        return [f for f in self.findings if f.subject.theme_id == theme_id
                and f.subject.kind in ("thema", "vraag")]

    def code(self, case_id: str) -> str:
        return self.case_codes.get(case_id, case_id)

    def municipality(self, case_id: str) -> str:
        return self.evidence.attribute(case_id, "gemeente") or self.evaluation.municipality

    def municipalities(self) -> dict[str, list[str]]:
        """Municipality -> its case ids, in case order (computed once: the report asks often)."""
        return {place: list(ids) for place, ids in self._municipalities.items()}

    @cached_property
    def _municipalities(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for cid in self.case_ids:
            out.setdefault(self.municipality(cid), []).append(cid)
        return {place: tuple(ids) for place, ids in out.items()}

    def recommendation(self, key: str) -> str:
        rec = self.evidence.recommendations.get(key)
        return rec.text.strip() if rec is not None else ""

    def case_sides(self, case_id: str, kinds: Iterable[str] = ("werkzaam", "thema")) -> dict[str, list[Subject]]:
        """Per side, the subjects (of `kinds`) on which this case is a knelpunt or succesfactor."""
        wanted = set(kinds)
        out: dict[str, list[Subject]] = {side: [] for side in SIDES}
        for ref, per_case in self.verdicts.items():
            subject = self.subjects[ref]
            verdict = per_case.get(case_id)
            if verdict is None or subject.kind not in wanted:
                continue
            for side in SIDES:
                if side in verdict.sides:
                    out[side].append(subject)
        return out


def build_findings(analysis: EvaluationAnalysis, evidence: Evidence | None = None,
                   sessions: Sequence[Session] = (),
                   answers: Mapping[str, Mapping[str, Answer]] | None = None) -> Findings:
    """All findings of one evaluation.

    `sessions` and `answers` (all of the evaluation) resolve codings and quotes on
    sessions the analyseschema does not show (an earlier session of a perspective);
    without them only the analyseschema's sessions are used.
    """
    evidence = evidence or Evidence()
    g = gather(analysis, evidence, sessions, answers or {}, low_max=LOW_MAX, high_min=HIGH_MIN)
    knelpunten = _rank(_side_findings(g, KNELPUNT))
    successes = _rank(_side_findings(g, SUCCESFACTOR))
    rarely = _rarely_discussed(g)
    groups = g.divergence_groups
    differences = [_divergence_finding(grp) for grp in groups if len(grp.cases) >= MIN_CASES]
    main_knelpunten = distinct(knelpunten)
    priorities = main_knelpunten[:TOP_PRIORITIES]
    headline = [*main_knelpunten, *distinct(successes), *rarely, *differences]
    return Findings(
        analysis=analysis,
        case_ids=tuple(g.case_ids), case_codes=dict(g.case_codes),
        findings=(*knelpunten, *successes, *rarely, *differences),
        priorities=tuple(priorities), headline=tuple(headline),
        divergences=tuple(groups), subjects=g.subjects, verdicts=g.verdicts,
        evidence=evidence, coding=_coding_summary(g, evidence))


# -- knelpunten and succesfactoren --------------------------------------------------
def _side_findings(g: Gathered, side: str) -> list[Finding]:
    other = SUCCESFACTOR if side == KNELPUNT else KNELPUNT
    groups = _attribute_groups(g)
    out: list[Finding] = []
    coded = {c.case_id for c in g.used_codings}
    for ref, per_case in g.verdicts.items():
        subject = g.subjects[ref]
        # a code counts against every case the analyst coded, not only those where it was applied
        considered = [c for c in g.case_ids if c in per_case or (subject.kind == "code" and c in coded)]
        shows = [c for c in considered if c in per_case and side in per_case[c].sides]
        if len(shows) >= MIN_CASES and len(shows) >= MIN_SHARE * len(considered):
            out.append(_finding(g, f"{side}:{ref}", side, subject, shows, considered,
                                [c for c in considered if c in per_case and other in per_case[c].sides
                                 and side not in per_case[c].sides]))
        for (name, value), members in groups.items():
            inside = [c for c in considered if c in members]
            outside = [c for c in considered if c not in members
                       and g.attribute(c, name) not in ("", value)]
            n_in = sum(1 for c in inside if c in shows)
            n_out = sum(1 for c in outside if c in shows)
            if (n_in < MIN_CASES or not outside or n_in < SUBGROUP_MIN_SHARE * len(inside)
                    or n_out / len(outside) > SUBGROUP_OUTSIDE_FACTOR * n_in / len(inside)):
                continue
            out.append(_finding(
                g, f"{side}:{ref}@{name}={value}", side, subject,
                [c for c in inside if c in shows], inside,
                [c for c in inside if c in per_case and other in per_case[c].sides
                 and side not in per_case[c].sides],
                Subgroup(name, value, n_out, len(outside))))
    return out


def _attribute_groups(g: Gathered) -> dict[tuple[str, str], set[str]]:
    """(attribute, value) -> its cases, for attributes with at least two values among the cases."""
    values: dict[str, dict[str, set[str]]] = {}
    for cid in g.case_ids:
        for name, value in g.evidence.attributes.get(cid, {}).items():
            if value.strip():
                values.setdefault(name, {}).setdefault(value.strip(), set()).add(cid)
    return {(name, value): members for name, per_value in sorted(values.items()) if len(per_value) > 1
            for value, members in sorted(per_value.items())}


def _finding(g: Gathered, key: str, side: str, subject: Subject, shows: list[str],
             considered: list[str], counter: list[str], subgroup: Subgroup | None = None) -> Finding:
    ref = subject.ref
    questions: dict[str, None] = {}
    codes: dict[str, None] = {}
    perspectives: Counter[str] = Counter()
    for cid in shows:
        contributed: set[str] = set()
        for cell in g.cells.get(ref, {}).get(cid, ()):
            if cell.side == (-1 if side == KNELPUNT else 1):
                questions[cell.question.key] = None
                contributed.add(cell.perspective)
        for coded in g.codings.get(ref, {}).get(cid, ()):
            if coded.coding.polarity == side:
                codes[coded.coding.code_id] = None
                questions[coded.question.key] = None
                contributed.add(coded.perspective)
        perspectives.update(contributed)
    coded_cases = tuple(c for c in shows if side in g.verdicts[ref][c].coded)
    return Finding(
        key=key, kind=side, subject=subject, cases=tuple(shows), considered=tuple(considered),
        counterexamples=tuple(counter), subgroup=subgroup, questions=tuple(questions),
        codes=tuple(codes), coded_cases=coded_cases,
        citations=g.citations(ref, side, shows, counter, MAX_CITATIONS),
        perspectives={p: perspectives[p] for p in PERSPECTIVE_LABELS if perspectives[p]})


def _rank(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.weak, -f.n, _RANK.get(f.subject.kind, 9), -f.share,
                                           f.subgroup is not None, f.key))


def same_pattern(a: Finding, b: Finding) -> bool:
    """Same side, same cases, and a question or code in common: one pattern seen twice."""
    return (a.kind == b.kind and set(a.cases) == set(b.cases)
            and bool(set(a.questions) & set(b.questions) or set(a.codes) & set(b.codes)))


def _covered(f: Finding, ranked: list[Finding]) -> bool:
    """A theme or basisfunctie whose cases are all named by findings on the elements, questions
    or codes underneath (same side): those say more, so it is not put forward on its own."""
    if f.subject.kind not in _BROAD:
        return False
    named: set[str] = set()
    for other in ranked:
        if (other.subject.kind not in _BROAD and other.kind == f.kind and other.subgroup is None
                and (set(other.questions) & set(f.questions) or set(other.codes) & set(f.codes))):
            named.update(other.cases)
    return set(f.cases) <= named


def distinct(ranked: list[Finding], *, drop_covered: bool = True) -> list[Finding]:
    """`ranked` without repeats of one pattern (and, with `drop_covered`, without a theme or
    basisfunctie that the specific findings already explain)."""
    kept: list[Finding] = []
    for f in ranked:
        if drop_covered and _covered(f, ranked):
            continue
        if not any(same_pattern(f, k) or (f.subject.ref == k.subject.ref and f.kind == k.kind)
                   for k in kept):
            kept.append(f)
    return kept


# -- weinig besproken, verschillen ---------------------------------------------------
def _rarely_discussed(g: Gathered) -> list[Finding]:
    out = []
    for theme_id, (title, discussed, considered, reasons) in g.discussion.items():
        missing = [c for c in considered if c not in discussed]
        if len(missing) < MIN_CASES or len(discussed) >= DISCUSSED_MIN_SHARE * len(considered):
            continue
        subject = g.subjects.get(f"thema:{theme_id}") or Subject("thema", theme_id, title, theme_id)
        first: dict[str, Citation] = {}
        for reason in reasons:
            if reason.case_id in missing:
                first.setdefault(reason.case_id, reason)
        out.append(Finding(
            key=f"{WEINIG_BESPROKEN}:thema:{theme_id}", kind=WEINIG_BESPROKEN, subject=subject,
            cases=tuple(missing), considered=tuple(considered),
            counterexamples=tuple(c for c in considered if c in discussed),
            citations=tuple(first.values())[:MAX_CITATIONS]))
    return sorted(out, key=lambda f: (-f.n, f.key))


def _divergence_finding(group: DivergenceGroup) -> Finding:
    return Finding(
        key=group.key, kind=VERSCHIL,
        subject=Subject("thema", group.theme_id, group.theme_title, group.theme_id),
        cases=group.cases, considered=group.cases,
        questions=tuple(dict.fromkeys(i.question_key for i in group.items if i.question_key)),
        coded_cases=group.manual_cases, pair=group.perspectives)


def _coding_summary(g: Gathered, evidence: Evidence) -> CodingSummary:
    used = g.used_codings
    return CodingSummary(
        codings=len(used),
        by_polarity=dict(Counter(str(c.coding.polarity) for c in used)),
        cases=len({c.case_id for c in used}), codes=len({c.coding.code_id for c in used}),
        quotes=g.used_quotes, stale=g.stale,
        manual_divergences=sum(len(grp.manual_cases) for grp in g.divergence_groups),
        summaries=sum(1 for cid in g.case_ids if cid in evidence.summaries),
        attributes=tuple(sorted({name for cid in g.case_ids
                                 for name, v in evidence.attributes.get(cid, {}).items() if v.strip()})))


# -- sentences for the feedback meeting and the report --------------------------------
def _codes(f: Findings, ids: Iterable[str]) -> str:
    return ", ".join(f.code(c) for c in ids)


def finding_text(f: Finding, findings: Findings) -> str:
    """One Dutch sentence with the evidence, for the feedback meeting (F1, F2, ...)."""
    s = f.subject
    if f.kind == WEINIG_BESPROKEN:
        text = (f"Thema '{s.label}' is weinig besproken: in {f.n} van {f.m} casussen kwam het in "
                f"geen enkel afgerond gesprek aan bod ({_codes(findings, f.cases)}).")
    elif f.kind == VERSCHIL:
        pa, pb = (PERSPECTIVE_LABELS.get(p, p).lower() for p in f.pair or ("", ""))
        manual = f", waarvan {len(f.coded_cases)} door de analist gemarkeerd" if f.coded_cases else ""
        text = (f"Verschil tussen {pa} en {pb} bij thema '{s.label}' in {f.n} casussen "
                f"({_codes(findings, f.cases)}){manual}.")
    else:
        where = f", vooral bij {f.subgroup.attribute} {f.subgroup.value}" if f.subgroup else ""
        return f"{KIND_TITLES[f.kind]} bij {s.label} ({s.kind_label}){where}: " + evidence_text(
            f, lambda ids: _codes(findings, ids))
    if f.weak:
        text += f" {WEAK_NOTE}"
    return text


def evidence_text(f: Finding, codes: Callable[[Iterable[str]], str]) -> str:
    """'in 4 van 11 casussen (A, B, C, D); elders 0 van 7; tegenvoorbeeld: E.' (and the weak note);
    `codes` writes case ids as the reader sees them."""
    text = f"in {f.n} van {f.m} casussen ({codes(f.cases)})"
    if f.subgroup is not None:
        text += f"; elders {f.subgroup.outside} van {f.subgroup.outside_considered}"
    if f.counterexamples:
        label = "wel besproken" if f.kind == WEINIG_BESPROKEN else "tegenvoorbeeld"
        text += f"; {label}: {codes(f.counterexamples)}"
    return text + "." + (f" {WEAK_NOTE}" if f.weak else "")

