"""The analyst's coded evidence as tables: one row per coding, the code x case overview, plus
quotes, case summaries, case attributes, manual divergences and recommendations.

Written as extra CSV files, XLSX sheets and JSON keys next to the answers
(`tables.feedback_tables` adds them). Every free text (fragments, quotes,
summaries, notes, attribute values) goes through the export's pseudonymiser,
the analyst's name is dropped like an interviewer's, and the case code becomes
"Casus A" in a pseudonymised export. A fragment whose toelichting was edited
after coding is marked `te_controleren = ja`, never silently shifted.
"""

from __future__ import annotations

from typing import Any

from zet_tui.core import anchors
from zet_tui.core.code_matrix import code_matrix
from zet_tui.core.coding import Coding, Polarity, Quote
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Session
from zet_tui.core.store.case_analysis import SUMMARY_FIELDS
from zet_tui.core.vocab import CASE_PERSPECTIVES
from zet_tui.export.data import ExportData


def _where(data: ExportData, mark: Coding | Quote) -> tuple[Session, Question | None] | None:
    session = data.memo.setdefault("sessions_by_id", {s.id: s for s in data.sessions}).get(
        mark.session_id)
    if session is None:
        return None
    return session, session.questionnaire.question(mark.question_id)


def _stale(data: ExportData, mark: Coding | Quote) -> str:
    answer = data.answers.get(mark.session_id, {}).get(mark.question_id)
    text = answer.toelichting if answer else ""
    stale = anchors.state(text, mark.start, mark.end, mark.fragment) == anchors.AnchorState.STALE
    return "ja" if stale else "nee"


def _offsets(data: ExportData, mark: Coding | Quote) -> dict[str, int | None]:
    """Offsets into the stored toelichting; left empty when pseudonymising, because the
    exported (cleaned) toelichting has other lengths and they would point elsewhere."""
    if data.pseudo.enabled:
        return {"begin": None, "einde": None}
    return {"begin": mark.start, "einde": mark.end}


def _mark_columns(data: ExportData, mark: Coding | Quote, session: Session,
                  question: Question | None) -> dict[str, Any]:
    return {
        "casus": data.case_code(session.case_id),
        "perspectief": session.perspective,
        "sessie": session.id,
        "thema": question.theme_id if question else "",
        "vraag_id": mark.question_id,
        "sleutel": question.key if question else "",
        "vraag": question.text if question else "",
    }


def matrix_rows(data: ExportData) -> list[dict[str, Any]]:
    """The coding screen's code x case overview (`core/code_matrix.py`) as a long table: one
    row per code in use and exported case, empty cells included (a gap is a finding too), with
    the counts per polarity and per perspective; a pivot table turns it back into the matrix."""
    evidence = data.evidence
    matrix = code_matrix(evidence.codings, data.cases, data.sessions, evidence.codebook)
    total = matrix.total().by_perspective()  # the three, and any other one coded (a checklist)
    perspectives = [*CASE_PERSPECTIVES, *(p for p in total if p not in CASE_PERSPECTIVES)]
    rows: list[dict[str, Any]] = []
    for code in matrix.codes:
        for case in matrix.cases:
            cell = matrix.cell(code.id, case.id)
            per = cell.by_perspective()
            rows.append({
                "code": code.id, "code_label": code.label if code.in_codebook else "",
                "casus": data.case_code(case.id),
                **{str(p): cell.count(p) for p in Polarity}, "totaal": cell.total,
                **{p: per.get(p, 0) for p in perspectives}})
    return rows


def coding_tables(data: ExportData) -> dict[str, list[dict[str, Any]]]:
    """The analyst's tables by file/sheet name; tables without rows are left out."""
    evidence = data.evidence
    pseudo = data.pseudo
    labels = {c.id: c.label for c in evidence.codebook.codes} if evidence.codebook else {}
    out: dict[str, list[dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    for c in evidence.codings:
        where = _where(data, c)
        if where is None:
            continue
        rows.append({
            **_mark_columns(data, c, *where),
            "code": c.code_id, "code_label": labels.get(c.code_id, ""),
            "polariteit": str(c.polarity),
            "hele_antwoord": "ja" if c.start is None else "nee",
            "fragment": pseudo.text(c.fragment), **_offsets(data, c),
            "te_controleren": _stale(data, c), "memo": pseudo.text(c.memo),
            "analist": pseudo.person(c.author), "aangemaakt": c.created,
        })
    out["coderingen"] = rows
    out["code_x_casus"] = matrix_rows(data)
    out["citaten"] = [
        {**_mark_columns(data, q, *where), "citaat": pseudo.text(q.fragment),
         **_offsets(data, q), "te_controleren": _stale(data, q), "memo": pseudo.text(q.memo),
         "analist": pseudo.person(q.author), "aangemaakt": q.created}
        for q in evidence.quotes if (where := _where(data, q)) is not None
    ]
    known = {c.id for c in data.cases}
    out["samenvattingen"] = [
        {"casus": data.case_code(case_id),
         **{f: pseudo.text(getattr(s, f)) for f in SUMMARY_FIELDS}, "bijgewerkt": s.updated}
        for case_id, s in evidence.summaries.items() if case_id in known
    ]
    out["kenmerken"] = [
        {"casus": data.case_code(case_id), "kenmerk": name, "waarde": pseudo.text(value)}
        for case_id, values in evidence.attributes.items() if case_id in known
        for name, value in values.items()
    ]
    out["verschillen_handmatig"] = [
        {"casus": data.case_code(d.case_id), "thema": d.theme_id, "sleutel": d.question_key or "",
         "perspectief_a": d.perspectives[0], "perspectief_b": d.perspectives[1],
         "notitie": pseudo.text(d.note), "analist": pseudo.person(d.author),
         "aangemaakt": d.created}
        for d in evidence.manual_divergences if d.case_id in known
    ]
    out["aanbevelingen"] = [
        {"bevinding": key, "aanbeveling": pseudo.text(r.text), "analist": pseudo.person(r.author),
         "bijgewerkt": r.updated}
        for key, r in evidence.recommendations.items()
    ]
    return {name: table for name, table in out.items() if table}
