"""The evidence per case behind the findings: scores and codings per subject, quotes, divergences.

`gather` walks the analyseschema of every case once and sorts each score and
each coding under the subjects it speaks to (see `core/findings.py` for the
rules); the findings are then counted from the per-case verdicts it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zet_tui.core import anchors
from zet_tui.core.analysis import CaseAnalysis, Cell, EvaluationAnalysis
from zet_tui.core.answers import Answer
from zet_tui.core.coding import Coding, Polarity, Quote
from zet_tui.core.evidence import Evidence
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Session
from zet_tui.core.vocab import CASE_PERSPECTIVES, TAG_NAMESPACES, AnswerStatus, tag_label

DISCUSSED = frozenset({AnswerStatus.ANSWERED, AnswerStatus.WEET_NIET, AnswerStatus.NVT})
INTERVIEWS = ("inwoner", "professional")
SUBJECT_LABELS: dict[str, str] = {
    "thema": "thema",
    "vraag": "vraag",
    "werkzaam": "werkzaam element",
    "basisfunctie": "basisfunctie",
    "code": "code",
}


@dataclass(frozen=True)
class Subject:
    kind: str
    """thema, vraag, werkzaam, basisfunctie or code."""
    id: str
    label: str
    theme_id: str = ""
    tags: tuple[str, ...] = ()
    """The werkzaam elements and basisfuncties a question or code belongs to."""

    @property
    def ref(self) -> str:
        """`werkzaam:continuiteit`, `vraag:toegang.wist-waar`: equal to the tag for elements."""
        return f"{self.kind}:{self.id}"

    @property
    def kind_label(self) -> str:
        return SUBJECT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class CaseVerdict:
    """Where one case stands on one subject."""

    mean: float | None
    """Mean of its scores on the five-point scale (None without scores)."""
    scores: int
    coded: frozenset[str]
    """Polarities the analyst coded (knelpunt / succesfactor)."""
    sides: frozenset[str]
    """knelpunt and/or succesfactor, or neither."""


@dataclass(frozen=True)
class Citation:
    """A piece of text behind a finding, with where it comes from."""

    case_id: str
    perspective: str
    question_id: str
    question_text: str
    text: str
    source: str
    """'citaat' (quote chosen by the analyst), 'codering' (coded fragment), 'toelichting'
    (the toelichting of a score on this side) or 'reden' (why a question was not discussed)."""
    counterexample: bool = False


@dataclass(frozen=True)
class DivergenceItem:
    case_id: str
    question_key: str
    text_a: str
    """The question in the first perspective's own wording ("" for a mark without a question)."""
    text_b: str
    answer_a: str
    answer_b: str
    kind: str
    """'scale', 'richting', 'ja-nee', or 'analist' for a divergence marked by hand."""
    note: str = ""


@dataclass(frozen=True)
class DivergenceGroup:
    theme_id: str
    theme_title: str
    perspectives: tuple[str, str]
    items: tuple[DivergenceItem, ...]

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.case_id for i in self.items))

    @property
    def manual_cases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.case_id for i in self.items if i.kind == "analist"))

    @property
    def key(self) -> str:
        return f"verschil:thema:{self.theme_id}:{'-'.join(self.perspectives)}"


@dataclass(frozen=True)
class Coded:
    """A coding resolved to its case, perspective, question and the toelichting it was made on."""

    coding: Coding
    case_id: str
    perspective: str
    question: Question
    toelichting: str


@dataclass
class Gathered:
    evidence: Evidence
    case_ids: list[str] = field(default_factory=list)
    case_codes: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    cells: dict[str, dict[str, list[Cell]]] = field(default_factory=dict)
    codings: dict[str, dict[str, list[Coded]]] = field(default_factory=dict)
    verdicts: dict[str, dict[str, CaseVerdict]] = field(default_factory=dict)
    quotes: list[tuple[Quote, Coded]] = field(default_factory=list)
    """Quotes resolved like codings (the Coded holds a placeholder coding)."""
    discussion: dict[str, tuple[str, set[str], list[str], list[Citation]]] = field(default_factory=dict)
    """Theme id -> (title, cases where discussed, cases with a finished interview, reasons)."""
    divergence_groups: list[DivergenceGroup] = field(default_factory=list)
    used_codings: list[Coded] = field(default_factory=list)
    tag_refs: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    used_quotes: int = 0
    stale: int = 0

    def attribute(self, case_id: str, name: str) -> str:
        return self.evidence.attribute(case_id, name)

    def citations(self, ref: str, side: str, shows: Sequence[str], counter: Sequence[str],
                  limit: int) -> tuple[Citation, ...]:
        """Up to `limit` texts: one per case that shows it, and one counterexample when there is one."""
        out: list[Citation] = []
        room = limit - (1 if counter else 0)
        for cid in shows:
            if len(out) >= room:
                break
            c = self._citation(ref, cid, side, counterexample=False)
            if c is not None:
                out.append(c)
        other = "succesfactor" if side == "knelpunt" else "knelpunt"
        for cid in counter:
            c = self._citation(ref, cid, other, counterexample=True)
            if c is not None:
                out.append(c)
                break
        return tuple(out)

    def _citation(self, ref: str, case_id: str, side: str, *, counterexample: bool) -> Citation | None:
        verdict = self.verdicts[ref][case_id]
        wanted = -1 if side == "knelpunt" else 1
        codings = [c for c in self.codings.get(ref, {}).get(case_id, ())
                   if str(c.coding.polarity) == side]
        if verdict.coded:
            answers = {(c.coding.session_id, c.question.id) for c in codings}
        else:
            answers = {(cell.session_id, cell.question.id) for cell in self.cells.get(ref, {}).get(case_id, ())
                       if cell.side == wanted}
        for quote, where in self.quotes:
            if where.case_id == case_id and (quote.session_id, quote.question_id) in answers:
                return _cite(where, quote.fragment, "citaat", counterexample)
        for coded in codings:
            text = coded.coding.fragment or coded.toelichting
            if text.strip():
                return _cite(coded, text, "codering", counterexample)
        if verdict.coded:
            return None
        cells = sorted((cell for cell in self.cells.get(ref, {}).get(case_id, ())
                        if cell.side == wanted and cell.toelichting.strip()),
                       key=lambda cell: (cell.level or 0) * -wanted)
        if not cells:
            return None
        cell = cells[0]
        return Citation(case_id, cell.perspective, cell.question.id, cell.question.text,
                        cell.toelichting, "toelichting", counterexample)


def _cite(where: Coded, text: str, source: str, counterexample: bool) -> Citation:
    return Citation(where.case_id, where.perspective, where.question.id, where.question.text, text,
                    source, counterexample)


def gather(analysis: EvaluationAnalysis, evidence: Evidence, sessions: Sequence[Session],
           answers: Mapping[str, Mapping[str, Answer]], *, low_max: float, high_min: float) -> Gathered:
    g = Gathered(evidence)
    sessions_of: dict[str, tuple[str, Session]] = {s.id: (s.case_id, s) for s in sessions}
    for ca in analysis.cases:
        g.case_ids.append(ca.case.id)
        g.case_codes[ca.case.id] = ca.case.code
        for s in ca.sessions.values():
            sessions_of.setdefault(s.id, (ca.case.id, s))
        _scores(g, ca)
        _discussion(g, ca)
    known = set(g.case_ids)
    cell_answers: dict[tuple[str, str], Answer | None] = {}

    def resolve(session_id: str, question_id: str) -> tuple[str, Session, Question, str] | None:
        hit = sessions_of.get(session_id)
        if hit is None or hit[0] not in known:
            return None
        question = hit[1].questionnaire.question(question_id)
        if question is None:
            return None
        if not cell_answers:  # the analyseschema's answers, indexed when a coding or quote asks
            cell_answers.update({(cell.session_id, cell.question.id): cell.answer for ca in analysis.cases
                                 for block in ca.themes for row in block.rows for cell in row.cells.values()})
        answer = answers.get(session_id, {}).get(question_id) or cell_answers.get((session_id, question_id))
        return hit[0], hit[1], question, answer.toelichting if answer is not None else ""

    for coding in evidence.codings:
        found = resolve(coding.session_id, coding.question_id)
        if found is None:
            continue
        case_id, session, question, text = found
        if anchors.state(text, coding.start, coding.end, coding.fragment) == anchors.AnchorState.STALE:
            g.stale += 1
            continue
        coded = Coded(coding, case_id, session.perspective, question, text)
        g.used_codings.append(coded)
        for ref in _coding_refs(g, coding, question):
            g.codings.setdefault(ref, {}).setdefault(case_id, []).append(coded)
    for quote in evidence.quotes:
        found = resolve(quote.session_id, quote.question_id)
        if found is None:
            continue
        case_id, session, question, text = found
        if anchors.state(text, quote.start, quote.end, quote.fragment) == anchors.AnchorState.STALE:
            g.stale += 1
            continue
        placeholder = Coding(quote.id, quote.session_id, quote.question_id, "", Polarity.NEUTRAAL)
        g.quotes.append((quote, Coded(placeholder, case_id, session.perspective, question, text)))
        g.used_quotes += 1
    _verdicts(g, low_max, high_min)
    g.divergence_groups = _divergences(analysis, evidence, known)
    return g


def _subject(g: Gathered, kind: str, sid: str, label: str, theme_id: str = "",
             tags: tuple[str, ...] = ()) -> str:
    ref = f"{kind}:{sid}"
    known = g.subjects.get(ref)
    if known is None:
        g.subjects[ref] = Subject(kind, sid, label, theme_id, tags)
    elif tags and not set(tags) <= set(known.tags):
        merged = tuple(dict.fromkeys((*known.tags, *tags)))
        g.subjects[ref] = Subject(kind, sid, known.label, known.theme_id, merged)
    return ref


def _tag_refs(g: Gathered, tags: tuple[str, ...]) -> tuple[str, ...]:
    """The subjects of a question's (or code's) tags; cached, as every score asks again."""
    refs = g.tag_refs.get(tags)
    if refs is None:
        found = []
        for tag in tags:
            namespace, _, value = tag.partition(":")
            if value in TAG_NAMESPACES.get(namespace, {}):
                found.append(_subject(g, namespace, value, tag_label(tag)))
        refs = g.tag_refs[tags] = tuple(found)
    return refs


def _scores(g: Gathered, ca: CaseAnalysis) -> None:
    cid = ca.case.id
    by_ref = g.cells
    for block in ca.themes:
        theme = _subject(g, "thema", block.id, block.title, block.id)
        for row in block.rows:
            question = f"vraag:{row.key}"
            if question not in g.subjects:  # the first case that has the row names it
                _subject(g, "vraag", row.key, row.text, row.theme_id, row.tags)
            for cell in row.cells.values():
                if cell.level is None:
                    continue
                for ref in (theme, question, *_tag_refs(g, cell.question.tags)):
                    per_case = by_ref.get(ref)
                    if per_case is None:
                        per_case = by_ref[ref] = {}
                    found = per_case.get(cid)
                    if found is None:
                        per_case[cid] = [cell]
                    else:
                        found.append(cell)


def _coding_refs(g: Gathered, coding: Coding, question: Question) -> list[str]:
    code = g.evidence.codebook.code(coding.code_id) if g.evidence.codebook else None
    if code is not None and (code.werkzaam or code.basisfunctie):
        tags = (*(f"werkzaam:{w}" for w in code.werkzaam), *(f"basisfunctie:{b}" for b in code.basisfunctie))
    else:
        tags = question.tags
    themes = code.themes if code is not None and code.themes else (question.theme_id,)
    refs = [_subject(g, "code", coding.code_id, code.label if code else coding.code_id,
                     themes[0], tuple(tags))]
    refs += [_subject(g, "thema", t, t, t) for t in themes]
    refs += _tag_refs(g, tuple(tags))
    return refs


_LOW: frozenset[str] = frozenset({"knelpunt"})
_HIGH: frozenset[str] = frozenset({"succesfactor"})
_NEITHER: frozenset[str] = frozenset()


def _verdicts(g: Gathered, low_max: float, high_min: float) -> None:
    no_codings: dict[str, list[Coded]] = {}
    for ref in dict.fromkeys([*g.cells, *g.codings]):
        per_case: dict[str, CaseVerdict] = {}
        cells_of = g.cells.get(ref, {})
        codings_of = g.codings.get(ref, no_codings)
        for cid in g.case_ids:
            cells = cells_of.get(cid)
            codings = codings_of.get(cid)
            if not cells and not codings:
                continue
            levels = [c.level for c in cells or () if c.level is not None]
            mean = sum(levels) / len(levels) if levels else None
            coded = frozenset(str(c.coding.polarity) for c in codings or ()
                              if c.coding.polarity != Polarity.NEUTRAAL)
            if coded:
                sides = coded
            elif mean is None:
                sides = _NEITHER
            else:
                sides = _LOW if mean <= low_max else _HIGH if mean >= high_min else _NEITHER
            per_case[cid] = CaseVerdict(mean, len(levels), coded, sides)
        g.verdicts[ref] = per_case


def _discussion(g: Gathered, ca: CaseAnalysis) -> None:
    """Which themes came up in the case's finished interviews (a dossier is read, not discussed)."""
    for block in ca.themes:
        for p in INTERVIEWS:
            session = ca.sessions.get(p)
            cells = [row.cells[p] for row in block.rows if p in row.cells]
            if session is None or session.is_open or not cells:
                continue
            _title, discussed, considered, reasons = g.discussion.setdefault(
                block.id, (block.title, set(), [], []))
            if ca.case.id not in considered:
                considered.append(ca.case.id)
            for cell in cells:
                a = cell.answer
                if a is not None and a.status in DISCUSSED:
                    discussed.add(ca.case.id)
                elif a is not None and a.status == AnswerStatus.NIET_BESPROKEN and a.reason.strip():
                    reasons.append(Citation(ca.case.id, p, cell.question.id, cell.question.text,
                                            a.reason, "reden"))


def _divergences(analysis: EvaluationAnalysis, evidence: Evidence, known: set[str]) -> list[DivergenceGroup]:
    titles: dict[str, str] = {}
    items: dict[tuple[str, tuple[str, str]], list[DivergenceItem]] = {}
    by_case = {ca.case.id: ca for ca in analysis.cases}
    for ca in analysis.cases:
        for block in ca.themes:
            titles.setdefault(block.id, block.title)
        for d in ca.divergences:
            items.setdefault((d.theme_id, d.perspectives), []).append(DivergenceItem(
                ca.case.id, d.key, d.a.question.text, d.b.question.text, d.a.display, d.b.display, d.kind))
    for md in evidence.manual_divergences:
        if md.case_id not in known:
            continue
        order = {p: i for i, p in enumerate(CASE_PERSPECTIVES)}
        a, b = sorted(md.perspectives, key=lambda p: order.get(p, len(order)))
        row = next((r for block in by_case[md.case_id].themes for r in block.rows
                    if md.question_key and r.key == md.question_key), None)
        ca_, cb_ = (row.cells.get(a), row.cells.get(b)) if row is not None else (None, None)
        items.setdefault((md.theme_id, (a, b)), []).append(DivergenceItem(
            md.case_id, md.question_key or "", ca_.question.text if ca_ else "",
            cb_.question.text if cb_ else "", ca_.display if ca_ else "", cb_.display if cb_ else "",
            "analist", md.note))
    theme_order = {tid: i for i, tid in enumerate(titles)}
    case_order = {cid: i for i, cid in enumerate(by_case)}
    groups = [DivergenceGroup(tid, titles.get(tid, tid), pair,
                              tuple(sorted(found, key=lambda i: case_order.get(i.case_id, 0))))
              for (tid, pair), found in items.items()]
    return sorted(groups, key=lambda grp: (-len(grp.cases), theme_order.get(grp.theme_id, 99),
                                           grp.perspectives))
