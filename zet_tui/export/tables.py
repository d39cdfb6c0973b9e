"""Tables for other tools: a long CSV, an XLSX workbook and a JSON file with everything.

CSV choices (so a double click opens it correctly in Excel with Dutch
regional settings):

* **Encoding UTF-8 with BOM** (`utf-8-sig`): without the byte order mark Excel
  reads the file as Windows-1252 and mangles é, ë and emoji; every other tool
  (pandas, R, LibreOffice) skips the BOM.
* **Separator `;`**: Dutch Excel uses the comma as decimal separator and
  therefore expects `;` between fields; a comma-separated file would open as
  one column.
* **Decimal comma** in number values (2,5), for the same reason; scores are
  whole numbers.
* Fields are quoted when they hold `;`, quotes or line breaks (toelichtingen
  keep their line breaks); lines end in CRLF as RFC 4180 asks.
* A text that starts with `=`, `+`, `-`, `@` or a tab gets a leading `'`, so
  Excel never runs a toelichting as a formula (CSV injection). The XLSX
  (written by `xlsx.py`, see there why not openpyxl) stores every text as a
  string cell and needs no such prefix; JSON has none.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.safe_text import export_safe
from zet_tui.core.store import Session
from zet_tui.core.vocab import (
    PERSPECTIVE_LABELS,
    SCALES,
    STATUS_LABELS,
    AnswerStatus,
    AnswerType,
    tag_label,
)
from zet_tui.export.data import ExportData, fmt_value
from zet_tui.export.feedback_md import comparison_rows, feedback_rows, improvement_rows
from zet_tui.export.xlsx import Workbook

COLUMNS: tuple[tuple[str, str], ...] = (
    ("evaluatie", "Naam van de evaluatie"),
    ("casus", "Casuscode (pseudoniem; bij --pseudonymize 'Casus A', 'Casus B', ...)"),
    ("perspectief", "inwoner, professional, dossier (of other)"),
    ("sessie", "Id van de sessie (uniek, ook over databases heen)"),
    ("thema", "Id van het thema"),
    ("thema_titel", "Titel van het thema"),
    ("vraag_id", "Id van de vraag in de vragenlijst"),
    ("sleutel", "Sleutel die de vraag verbindt met dezelfde vraag in andere perspectieven"),
    ("vraag", "Tekst van de vraag"),
    ("type", "smiley, ja-nee, keuze, datum, getal of tekst"),
    ("status", "answered, weet_niet, nvt of niet_besproken"),
    ("score", "Punt op de schaal (bij type smiley), anders leeg"),
    ("schaal", "smiley5, smiley3 of ja-deels-nee (bij type smiley)"),
    ("score_label", "Omschrijving van de score, of de status in woorden"),
    ("waarde", "Antwoord bij andere types: ja/nee, keuze, datum (dd-mm-jjjj), getal, tekst"),
    ("toelichting", "Toelichting bij het antwoord (vrije tekst)"),
    ("reden", "Reden waarom de vraag niet besproken is"),
    ("tags", "Basisfuncties en werkzame elementen, gescheiden door ', '"),
    ("beantwoord_op", "Tijdstip van het laatst opgeslagen antwoord (ISO 8601, UTC)"),
)
HEADER = [name for name, _ in COLUMNS]
_FORMULA_START = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class AnswerRow:
    session: Session
    question: Question
    values: list[Any]  # raw values in COLUMNS order; score is int or None


def answer_rows(data: ExportData) -> list[AnswerRow]:
    """One row per answer, in case, perspective and questionnaire order (computed once
    per export: CSV and XLSX share them)."""
    cached = data.memo.get("answer_rows")
    if cached is None:
        cached = data.memo["answer_rows"] = list(_answer_rows(data))
    return cached


def _answer_rows(data: ExportData) -> Iterator[AnswerRow]:
    pseudo = data.pseudo
    ev_name = pseudo.text(data.evaluation.name)
    for s in data.sessions:
        answers = data.answers.get(s.id, {})
        code = data.case_code(s.case_id)
        for theme in s.questionnaire.themes:
            for q in theme.questions:
                a = answers.get(q.id)
                if a is None:
                    continue
                answered = a.status == AnswerStatus.ANSWERED
                score = a.score if answered and q.is_scaled else None
                if score is not None:
                    point = q.scale_def.point(score)
                    label = point.label if point else ""
                else:
                    label = STATUS_LABELS.get(str(a.status), str(a.status))
                value = ""
                if answered and not q.is_scaled:
                    value = fmt_value(q, a.value)
                    if q.type in (AnswerType.TEXT, AnswerType.CHOICE):
                        value = pseudo.text(value)
                yield AnswerRow(s, q, [
                    ev_name, code, s.perspective, s.id, theme.id, theme.title, q.id, q.key,
                    q.text, str(q.type), str(a.status), score,
                    q.scale if q.is_scaled else "", label, value,
                    pseudo.text(a.toelichting), pseudo.text(a.reason), ", ".join(q.tags),
                    a.updated,
                ])


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = export_safe(value if type(value) is str else str(value))
    return "'" + text if text[:1] in _FORMULA_START else text


def write_csv(data: ExportData, fh: io.TextIOBase | Any) -> int:
    """Write the long table to a text file opened with encoding utf-8-sig, newline=''."""
    writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    n = 0
    for row in answer_rows(data):
        writer.writerow([_csv_text(v) for v in row.values])
        n += 1
    return n


WIDTHS = (22, 10, 12, 12, 14, 22, 24, 24, 40, 9, 12, 6, 12, 14, 16, 60, 30, 30, 24)


def write_xlsx(data: ExportData, fh: Any) -> int:
    """One sheet per perspective with the long table, a codebook and the differences."""
    wb = Workbook()
    perspectives = sorted({s.perspective for s in data.sessions},
                          key=lambda p: list(PERSPECTIVE_LABELS).index(p)
                          if p in PERSPECTIVE_LABELS else 99)
    sheets = {}
    for p in perspectives:
        sheets[p] = wb.add_sheet(PERSPECTIVE_LABELS.get(p, p), header_rows=1, widths=WIDTHS)
        sheets[p].append(HEADER, bold=True)
    n = 0
    for row in answer_rows(data):
        sheets[row.session.perspective].append(row.values)
        n += 1
    codebook = wb.add_sheet("Codeboek", widths=(22, 60, 14, 18, 26, 26, 50, 10, 12, 30, 40, 16))
    for line in _codebook(data):
        codebook.append(line, bold=len(line) == 1)
    diffs = wb.add_sheet("Verschillen", header_rows=1,
                         widths=(12, 18, 26, 50, 14, 20, 14, 20, 10))
    diffs.append(["casus", "thema", "sleutel", "vraag", "perspectief_a", "antwoord_a",
                  "perspectief_b", "antwoord_b", "soort"], bold=True)
    for d in data.analysis.divergences:
        diffs.append([data.case_code(d.case_id), d.theme_id, d.key, d.text, d.a.perspective,
                      d.a.display, d.b.perspective, d.b.display, d.kind])
    for name, rows in feedback_tables(data).items():
        if rows:
            sheet = wb.add_sheet(name.capitalize(), header_rows=1)
            sheet.append(list(rows[0]), bold=True)
            for frow in rows:
                sheet.append(list(frow.values()))
    wb.save(fh)
    return n


def feedback_tables(data: ExportData) -> dict[str, list[dict[str, Any]]]:
    """Feedback-meeting and comparison tables, by file/sheet name; empty when there are none."""
    pseudo = data.pseudo
    out: dict[str, list[dict[str, Any]]] = {}
    if data.outcome is not None:
        out["bevindingen"] = feedback_rows(data.outcome, text=pseudo.text, person=pseudo.person)
        out["verbeterpunten"] = improvement_rows(data.outcome, text=pseudo.text, person=pseudo.person)
    if data.comparison is not None:
        out["vergelijking"] = comparison_rows(data.comparison, text=pseudo.text)
    return out


def write_rows_csv(rows: list[dict[str, Any]], fh: io.TextIOBase | Any) -> None:
    """A small table as CSV, in the same Excel-friendly dialect as the answers table."""
    writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if not rows:
        return
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_csv_text(v) for v in row.values()])


def _questionnaires(data: ExportData) -> list[Questionnaire]:
    seen: dict[tuple[str, str, str], Questionnaire] = {}
    for s in data.sessions:
        q = s.questionnaire
        key = (q.id, q.version, ",".join(t.id for t in q.themes))
        seen.setdefault(key, q)
    return list(seen.values())


def _codebook(data: ExportData) -> Iterator[list[Any]]:
    yield ["Kolommen van de antwoordtabellen"]
    yield ["kolom", "betekenis"]
    yield from ([name, meaning] for name, meaning in COLUMNS)
    yield []
    yield ["Statussen"]
    yield from ([k, v] for k, v in STATUS_LABELS.items())
    yield []
    yield ["Schalen"]
    for scale in SCALES.values():
        yield [scale.id, "; ".join(f"{p.score} = {p.label}" for p in scale.points)]
    yield []
    yield ["Vragen"]
    yield ["vragenlijst", "versie", "perspectief", "thema", "vraag_id", "sleutel", "vraag",
           "type", "schaal", "opties", "tags", "mijlpaal"]
    for q in _questionnaires(data):
        for question in q.questions():
            yield [q.id, q.version, q.perspective, question.theme_id, question.id, question.key,
                   question.text, str(question.type),
                   question.scale if question.is_scaled else "",
                   "; ".join(question.options),
                   ", ".join(f"{t} ({tag_label(t)})" for t in question.tags),
                   question.milestone or ""]


def to_json(data: ExportData) -> dict[str, Any]:
    """Everything of the export as plain data, pseudonymised like the other formats."""
    pseudo = data.pseudo
    ev = data.evaluation
    sessions = []
    snapshots: dict[str, dict[str, Any]] = {}
    snapshot_keys: dict[int, str] = {}
    for s in data.sessions:
        answers = data.answers.get(s.id, {})
        q = s.questionnaire
        key = snapshot_keys.get(id(q))
        if key is None:
            as_dict = q.to_dict()
            key = next((k for k, v in snapshots.items() if v == as_dict), None)
            if key is None:
                key = f"{q.id}@{q.version}"
                n = 1
                while key in snapshots:
                    n += 1
                    key = f"{q.id}@{q.version}-{n}"
                snapshots[key] = as_dict
            snapshot_keys[id(q)] = key
        sessions.append({
            "id": s.id, "case": data.case_code(s.case_id), "perspective": s.perspective,
            "questionnaire": {"id": q.id, "version": q.version, "title": q.title,
                              "snapshot": key},
            "interviewer": pseudo.person(s.interviewer),
            "co_interviewer": pseudo.person(s.co_interviewer),
            "consent": {"given": s.consent_given, "by": pseudo.person(s.consent_by),
                        "at": s.consent_at, "note": pseudo.text(s.consent_note)},
            "started": s.started, "ended": s.ended, "status": s.status,
            "reviewed_by": pseudo.person(s.reviewed_by), "reviewed_at": s.reviewed_at,
            "answers": [
                {"question_id": question.id, "key": question.key, "theme": question.theme_id,
                 "status": str(a.status), "score": a.score,
                 "value": (pseudo.text(a.value) if question.type in (AnswerType.TEXT,
                                                                     AnswerType.CHOICE)
                           else a.value),
                 "toelichting": pseudo.text(a.toelichting), "reason": pseudo.text(a.reason),
                 "probes_asked": [question.probes[i] for i in a.probes_asked
                                  if 0 <= i < len(question.probes)],
                 "updated": a.updated, "updated_by": pseudo.person(a.updated_by)}
                for question in q.questions() if (a := answers.get(question.id)) is not None
            ],
            "notes": [
                {"kind": n.kind, "question_id": n.question_id, "theme_id": n.theme_id,
                 "text": pseudo.text(n.text), "author": pseudo.person(n.author),
                 "created": n.created, "handled_at": n.handled_at,
                 "handled_by": pseudo.person(n.handled_by)}
                for n in data.notes.get(s.id, [])
            ],
        })
    ea = data.analysis
    cases = []
    for ca in ea.cases:
        cases.append({
            "code": data.case_code(ca.case.id),
            "label": pseudo.text(ca.case.label),
            "notes": pseudo.text(ca.case.notes),
            "sessions": {p: s.id for p, s in ca.sessions.items()},
            "divergences": [
                {"theme": d.theme_id, "key": d.key, "question": d.text, "kind": d.kind,
                 "a": {"perspective": d.a.perspective, "answer": d.a.display},
                 "b": {"perspective": d.b.perspective, "answer": d.b.display}}
                for d in ca.divergences
            ],
            "timeline": [
                {"milestone": m.key, "label": m.label, "date": m.date.isoformat(),
                 "days_since_previous": m.days_since_previous,
                 "days_since_aanmelding": m.days_since_start}
                for m in ca.timeline.milestones
            ],
            "timeline_warnings": list(ca.timeline.warnings),
        })
    codes = {c.code: data.pseudo.case_code(c) for c in data.cases}
    return {
        **feedback_tables(data),
        "format": "zet-tui-export", "version": 1, "exported_at": data.exported_at,
        "pseudonymized": pseudo.enabled,
        "evaluation": {"id": ev.id, "name": pseudo.text(ev.name),
                       "municipality": pseudo.text(ev.municipality),
                       "themes": list(ev.themes) if ev.themes else None,
                       "created": ev.created},
        "cases": cases,
        "sessions": sessions,
        "questionnaires": snapshots,
        "analysis": {
            "themes": [
                {"id": t.id, "title": t.title, "low": t.is_low,
                 "case_means": {codes.get(c, c): m for c, m in t.case_means.items()},
                 "spreads": {p: _spread(s) for p, s in t.spreads.items()}}
                for t in ea.themes
            ],
            "recurring_divergences": [
                {"key": r.key, "theme": r.theme_id, "question": r.text,
                 "cases": sorted({data.case_code(d.case_id) for d in r.divergences})}
                for r in ea.recurring
            ],
            "tags": [
                {"tag": t.tag, "label": t.label, "question_keys": list(t.question_keys),
                 "divergences": t.divergences,
                 "spreads": {p: _spread(s) for p, s in t.spreads.items()}}
                for t in ea.tags
            ],
        },
    }


def _spread(s: Any) -> dict[str, Any]:
    return {"n": s.n, "min": s.minimum, "median": s.median, "mean": s.mean,
            "distribution": list(s.distribution), "statuses": dict(s.statuses)}


#: A control character escaped by the JSON encoder (ensure_ascii=False writes C0 as \u00XX,
#: \b, \f or \r). A false alarm (an escaped backslash before a 'b') only costs a cleaning.
_JSON_ESCAPED = re.compile(r"\\(?:u00[01][0-9a-f]|[bfr])")


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        return export_safe(value)
    if isinstance(value, dict):
        return {_clean_tree(k): _clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_tree(v) for v in value]
    return value


def write_json(data: ExportData, fh: Any) -> None:
    """Compact JSON (one line): the C encoder is ten times faster than an indented dump,
    and tools read it the same; `python -m json.tool` pretty-prints it for people.

    Control characters would survive as escapes (`\u001b`) and come back when the
    file is read: the rare dump that has one is made again from a cleaned tree."""
    tree = to_json(data)
    text = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    # ~25 ms for 40,000 answers: a literal-prefix regex, then a C scan for raw C1/bidi.
    if _JSON_ESCAPED.search(text) or export_safe(text) is not text:
        text = json.dumps(_clean_tree(tree), ensure_ascii=False, separators=(",", ":"))
    fh.write(text)
    fh.write("\n")
