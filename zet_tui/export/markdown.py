"""Markdown exports: transcript per session and analyseschema per case (the report: `report.py`).

Plain CommonMark plus GFM tables, `<br>` and a Mermaid block: that renders on
GitHub and in Obsidian alike. Every value from the database passes through
`safe_md` (and through the pseudonymizer) before it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from zet_tui.core.analysis import NOT_ASKED, CaseAnalysis, Cell, Row
from zet_tui.core.answers import Answer
from zet_tui.core.coverage import perspective_label
from zet_tui.core.dutch import format_date
from zet_tui.core.interview import DONE, SKIPPED, theme_progress, visible_questions
from zet_tui.core.privacy import Pseudonymizer
from zet_tui.core.questionnaire import Question, Questionnaire, Theme
from zet_tui.core.store import Note, Session
from zet_tui.core.timeline import mermaid_gantt
from zet_tui.core.vocab import CASE_PERSPECTIVES, AnswerStatus
from zet_tui.core.wording import count
from zet_tui.export.data import ExportData, answer_text, fmt_dt, fmt_duration
from zet_tui.export.safe_md import cell, heading, inline, normalise, shorten, table

STATE_LABELS = {"done": "besproken", "partly": "deels besproken", "open": "open",
                "skipped": "niet besproken"}
DIVERGENCE_MARK = "⚠️"


def _meta_table(rows: list[tuple[str, str]]) -> str:
    return table(["Gegeven", "Waarde"], [[label, cell(value)] for label, value in rows])


# -- transcript ------------------------------------------------------------------
@dataclass(frozen=True)
class _Asked:
    """A question as every transcript on its questionnaire shows it."""

    question: Question
    heading: str


@dataclass(frozen=True)
class _Layout:
    """The escaped headings of one questionnaire, made once per export: a thousand sessions
    share a handful of questionnaire snapshots, so their words are escaped a handful of times."""

    themes: tuple[tuple[Theme, str, str, tuple[_Asked, ...]], ...]
    """(theme, heading, title cell of the coverage table, questions) per theme."""
    conditional: bool
    """A question has a condition: which questions show depends on the answers."""
    empty: bool


def _layout(data: ExportData, q: Questionnaire) -> _Layout:
    layouts: dict[int, tuple[Questionnaire, _Layout]] = data.memo.setdefault("transcript_layouts", {})
    known = layouts.get(id(q))
    if known is not None and known[0] is q:
        return known[1]
    themes = tuple(
        (theme, heading(2, f"{ti}. {theme.title}"), cell(theme.title),
         tuple(_Asked(question, heading(3, f"{ti}.{qi} {question.text}"))
               for qi, question in enumerate(theme.questions, start=1)))
        for ti, theme in enumerate(q.themes, start=1))
    questions = [x for t in q.themes for x in t.questions]
    layout = _Layout(themes, any(x.condition is not None for x in questions), not questions)
    layouts[id(q)] = (q, layout)
    return layout


_fixed_inline = cache(inline)
"""`inline` of the handful of texts that statuses and scale points give."""


def answer_md(question: Question, answer: Answer | None, pseudo: Pseudonymizer) -> str:
    """`answer_text` escaped for Markdown: the texts of statuses and scores are escaped once."""
    text = answer_text(question, answer, pseudo)
    if answer is None or answer.status != AnswerStatus.ANSWERED or (answer.score is not None
                                                                   and question.is_scaled):
        return _fixed_inline(text)
    return inline(text)


def transcript(data: ExportData, session: Session) -> str:
    pseudo = data.pseudo
    q = session.questionnaire
    layout = _layout(data, q)
    answers = data.answers.get(session.id, {})
    notes = data.notes.get(session.id, [])
    code = data.case_code(session.case_id)
    interviewers = ", ".join(n for n in (pseudo.person(session.interviewer),
                                          pseudo.person(session.co_interviewer)) if n)
    if session.consent_given:
        by = pseudo.person(session.consent_by)
        consent = f"gegeven{' door ' + by if by else ''} op {fmt_dt(session.consent_at)}"
        if session.consent_note:
            consent += f" ({pseudo.text(session.consent_note)})"
    else:
        consent = "niet vastgelegd"
    status = "afgerond" if session.status == "afgerond" else "open"
    if session.reviewed_at:
        reviewer = pseudo.person(session.reviewed_by)
        status += f"; gereviewd{' door ' + reviewer if reviewer else ''} op " \
                  f"{fmt_dt(session.reviewed_at)}"
    out = [
        heading(1, f"Transcript {code} · {perspective_label(session.perspective)}"),
        "",
        _meta_table([
            ("Evaluatie", pseudo.text(data.evaluation.name)),
            ("Casus", code),
            ("Perspectief", perspective_label(session.perspective)),
            ("Vragenlijst", f"{q.title} ({q.id}, versie {q.version})"),
            ("Interviewers", interviewers or ("weggelaten" if pseudo.enabled else "–")),
            ("Toestemming", consent),
            ("Datum", fmt_dt(session.started)),
            ("Duur", fmt_duration(session.started, session.ended)),
            ("Status", status),
            ("Sessie-id", session.id),
        ]),
        "",
    ]
    by_question: dict[str | None, list[Note]] = {}
    for n in notes:
        by_question.setdefault(n.question_id, []).append(n)
    # without conditions every question shows (visible_questions would return them all)
    visible = {x.id for x in visible_questions(q, answers)} if layout.conditional else None
    append = out.append
    niet_besproken = AnswerStatus.NIET_BESPROKEN
    for theme, theme_heading, _title, questions in layout.themes:
        out += [theme_heading, ""]
        shown = 0
        for asked in questions:
            question = asked.question
            a = answers.get(question.id)
            if a is None and visible is not None and question.id not in visible:
                continue
            shown += 1
            out += [asked.heading, "", f"- **Antwoord:** {answer_md(question, a, pseudo)}"]
            if a is not None:
                if a.status == niet_besproken:
                    reason = inline(pseudo.text(a.reason))
                    if reason:
                        append(f"- **Reden:** {reason}")
                toelichting = inline(pseudo.text(a.toelichting))
                if toelichting:
                    append(f"- **Toelichting:** {toelichting}")
                if a.probes_asked:
                    asked_probes = [question.probes[i] for i in a.probes_asked if 0 <= i < len(question.probes)]
                    if asked_probes:
                        append(f"- **Doorgevraagd:** {inline('; '.join(asked_probes))}")
            if by_question:
                for n in by_question.pop(question.id, []):
                    append(_note_line(n, data))
            append("")
        if not shown:
            out += ["Geen vragen van toepassing.", ""]
        if by_question:
            theme_notes = [n for n in by_question.get(None, []) if n.theme_id == theme.id]
            for n in theme_notes:
                append(_note_line(n, data))
                by_question[None].remove(n)
            if theme_notes:
                append("")
    rest = [n for group in by_question.values() for n in group]
    if rest:
        out += [heading(2, "Notities bij de sessie"), ""]
        out += [_note_line(n, data) for n in rest]
        append("")
    out += [heading(2, "Dekking"), "", _coverage(layout, q, answers)]
    return "\n".join(out) + "\n"


def _note_line(note: Note, data: ExportData) -> str:
    if note.kind == "flag":
        kind = "Vervolgvraag van de reviewer"
    else:
        kind = "Notitie van de reviewer" if note.by_reviewer else "Notitie van de interviewer"
    if note.kind == "flag":
        kind += " (afgehandeld)" if note.handled_at else " (open)"
    author = data.pseudo.person(note.author)
    who = f"{author}, {fmt_dt(note.created)}" if author else fmt_dt(note.created)
    return (f"- **{kind}** ({inline(who)}): "
            f"{inline(data.pseudo.text(note.text))}")


def _coverage(layout: _Layout, q: Questionnaire, answers: Mapping[str, Answer]) -> str:
    """The theme table of `zet coverage` (`theme_progress`, as `Interview.progress` gives it)."""
    if layout.empty:
        return "Deze vragenlijst heeft geen vragen.\n"
    progress = [theme_progress(q, answers, t) for t in q.themes]
    rows = [[title, STATE_LABELS.get(p.state, p.state), f"{p.done_count}/{p.total_count}"]
            for p, (_theme, _heading, title, _questions) in zip(progress, layout.themes, strict=True)]
    done = sum(1 for p in progress if p.state == DONE)
    skipped = sum(1 for p in progress if p.state == SKIPPED)
    themes = count(len(progress), "thema", "thema's")
    summary = f"{done} van {themes} besproken"
    if skipped:
        summary += f", {skipped} niet besproken"
    return (f"{summary}.\n\n"
            + table(["Thema", "Status", "Afgerond"], rows) + "\n\n"
            + "Afgerond: verplichte vragen met een antwoord, weet niet, n.v.t. of niet "
              "besproken met een reden (zoals `zet coverage` en de schermen tellen).\n")


# -- analyseschema ---------------------------------------------------------------
def _cell_text(c: Cell | None, data: ExportData, *, limit: int = 160) -> str:
    if c is None:
        return "–"
    if c.hidden and c.answer is None:
        return NOT_ASKED
    text = answer_text(c.question, c.answer, data.pseudo)
    short = shorten(data.pseudo.text(c.toelichting), limit)
    if short:
        text += ": " + short
    return inline(text)


def analyseschema(data: ExportData, ca: CaseAnalysis) -> str:
    pseudo = data.pseudo
    code = data.case_code(ca.case.id)
    out = [heading(1, f"Analyseschema {code}"), ""]
    intro = f"Evaluatie: {normalise(pseudo.text(data.evaluation.name))}"
    if normalise(ca.case.label):
        intro += f". Casus: {normalise(pseudo.text(ca.case.label))}"
    out += [inline(intro), ""]
    sessions = [[perspective_label(p), cell(f"{s.questionnaire.title} (versie {s.questionnaire.version})"),
                 fmt_dt(s.started), "afgerond" if s.status == "afgerond" else "open"]
                for p, s in ((p, ca.sessions[p]) for p in ca.perspectives)]
    out += [table(["Perspectief", "Vragenlijst", "Datum", "Status"], sessions), ""]
    missing = [perspective_label(p) for p in CASE_PERSPECTIVES if p not in ca.sessions]
    if missing:
        out += [f"Nog geen sessie voor: {', '.join(missing)}.", ""]
    divs = ca.divergences
    out += [heading(2, "Verschillen tussen perspectieven"), ""]
    out += [f"{DIVERGENCE_MARK} markeert een verschil: op dezelfde schaal twee of meer stappen "
            "uit elkaar; op verschillende schalen aan tegenovergestelde kanten (nee tegenover 4 of 5, "
            "ja tegenover 1 of 2); of ja tegenover nee. Antwoorden staan op hun eigen schaal.", ""]
    if divs:
        titles = {t.id: t.title for t in ca.themes}
        out += [table(["Thema", "Vraag", "Verschil"],
                      [[cell(titles.get(d.theme_id, d.theme_id)), cell(d.text),
                        cell(d.describe())] for d in divs]), ""]
    else:
        out += ["Geen verschillen gevonden.", ""]
    persp = ca.perspectives
    for block in ca.themes:
        out += [heading(2, block.title), ""]
        rows = []
        for row in block.rows:
            diverging = {p for d in row.divergences for p in d.perspectives}
            label = (f"{DIVERGENCE_MARK} " if row.divergences else "") + _row_label(row, data)
            cells = []
            for p in persp:
                text = _cell_text(row.cells.get(p), data)
                cells.append(f"**{text}**" if p in diverging and text != "–" else text)
            rows.append([label, *cells])
        out += [table(["Vraag", *(perspective_label(p) for p in persp)], rows), ""]
    out += _timeline(ca, code)
    return "\n".join(out) + "\n"


def _row_label(row: Row, data: ExportData) -> str:
    """The row's question, plus each perspective's own wording where it differs (the same for
    every case with these questions: made once per export)."""
    labels: dict[tuple[object, ...], str] = data.memo.setdefault("row_labels", {})
    key = (row.key, *((p, id(c.question)) for p, c in row.cells.items()))
    label = labels.get(key)
    if label is None:
        label = inline(row.text)
        for p in CASE_PERSPECTIVES:
            c = row.cells.get(p)
            if c is not None and normalise(c.question.text) != normalise(row.text):
                label += f"<br>{perspective_label(p)}: {inline(c.question.text)}"
        labels[key] = label
    return label


def _timeline(ca: CaseAnalysis, code: str) -> list[str]:
    out = [heading(2, "Tijdlijn"), ""]
    ms = ca.timeline.milestones
    if not ms:
        return [*out, "Geen datums van mijlpalen in het dossier.", ""]
    rows = [[m.label, format_date(m.date),
             "–" if m.days_since_previous is None else str(m.days_since_previous),
             "–" if m.days_since_start is None else str(m.days_since_start)] for m in ms]
    out += [table(["Mijlpaal", "Datum", "Dagen sinds vorige", "Dagen sinds aanmelding"], rows),
            ""]
    if ca.timeline.total_days is not None:
        out += [f"Doorlooptijd van eerste tot laatste mijlpaal: {ca.timeline.total_days} dagen.",
                ""]
    for w in ca.timeline.warnings:
        out += [f"- Let op: {inline(w)}"]
    if ca.timeline.warnings:
        out.append("")
    out += ["```mermaid", mermaid_gantt(ca.timeline, f"Tijdlijn {code}").rstrip("\n"), "```", ""]
    return out
