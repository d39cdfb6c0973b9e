"""Tables for other tools: a long CSV, an XLSX workbook and a JSON file with everything.

The CSV and the XLSX have the same columns, built once per export as typed
values (text, whole and decimal numbers, dates, times, yes/no) and written by
each format in the way its reader understands:

* **XLSX** (written by `xlsx.py`, see there why not a library): real date and
  number cells, long texts wrapped, a frozen bold header with filter buttons,
  column widths; every text is a string cell, so a toelichting never becomes a
  formula.
* **CSV**, so a double click opens it correctly in Excel with Dutch regional
  settings: UTF-8 with BOM (`utf-8-sig`; without it Excel reads Windows-1252
  and mangles é, ë and emoji; pandas, R and LibreOffice skip the BOM), `;`
  between fields (Dutch Excel expects it, as the comma is its decimal sign),
  decimal comma (2,5), dates dd-mm-jjjj and times dd-mm-jjjj uu:mm (Dutch Excel
  reads both as dates), ja/nee for yes/no. Fields are quoted when they hold
  `;`, quotes or line breaks (toelichtingen keep their line breaks); lines end
  in CRLF as RFC 4180 asks. A text that starts with `=`, `+`, `-`, `@` or a tab
  gets a leading `'`, so Excel never runs a toelichting as a formula (CSV
  injection).

Codes stay stable for scripts (`status` is `answered`, `weet_niet`, ...) and
have a Dutch label next to them (`status_label`: beantwoord, weet niet, ...).
JSON keeps ISO dates and the stored values.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from zet_tui.core.answers import Answer
from zet_tui.core.dutch import DateError, format_date, format_number, iso_date, local_time
from zet_tui.core.privacy import Pseudonymizer
from zet_tui.core.questionnaire import Question, Questionnaire
from zet_tui.core.safe_text import export_safe
from zet_tui.core.vocab import (
    DIVERGENCE_LABELS,
    PERSPECTIVE_LABELS,
    SCALES,
    STATUS_LABELS,
    AnswerType,
    tag_label,
)
from zet_tui.export.answer_rows import ASKED, HEAD, OWN, TAGS, TIME, VERDICT, answer_rows
from zet_tui.export.answer_rows import AnswerRow as AnswerRow  # the rows' type, for scripts
from zet_tui.export.coding_tables import coding_tables
from zet_tui.export.data import ExportData
from zet_tui.export.feedback_md import comparison_rows, feedback_rows, improvement_rows
from zet_tui.export.report_json import report_dict
from zet_tui.export.xlsx import Sheet, Workbook


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    width: float = 14
    wrap: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("evaluatie", "Naam van de evaluatie", 22),
    Column("casus", "Casuscode (pseudoniem; bij --pseudonymize 'Casus A', 'Casus B', ...)", 10),
    Column("perspectief", "inwoner, professional, dossier (of other)", 12),
    Column("sessie", "Id van de sessie (uniek, ook over databases heen)", 12),
    Column("thema", "Id van het thema", 14),
    Column("thema_titel", "Titel van het thema", 22, wrap=True),
    Column("vraag_id", "Id van de vraag in de vragenlijst", 24),
    Column("sleutel", "Sleutel die de vraag verbindt met dezelfde vraag in andere perspectieven", 24),
    Column("vraag", "Tekst van de vraag", 40, wrap=True),
    Column("type", "smiley, ja-nee, keuze, datum, getal of tekst", 9),
    Column("status", "Vaste code: answered, weet_niet, nvt of niet_besproken", 12),
    Column("status_label", "De status in woorden: beantwoord, weet niet, n.v.t., niet besproken", 14),
    Column("score", "Punt op de schaal (bij type smiley), anders leeg", 6),
    Column("schaal", "smiley5, smiley3 of ja-deels-nee (bij type smiley)", 12),
    Column("score_label", "Omschrijving van de score (bij type smiley)", 14),
    Column("waarde", "Antwoord bij andere types: ja/nee, keuze, tekst; een datum als datum "
                     "(dd-mm-jjjj), een getal als getal", 16, wrap=True),
    Column("toelichting", "Toelichting bij het antwoord (vrije tekst)", 60, wrap=True),
    Column("reden", "Reden waarom de vraag niet besproken is", 30, wrap=True),
    Column("tags", "Basisfuncties en werkzame elementen, gescheiden door ', '", 30, wrap=True),
    Column("beantwoord_op", "Tijdstip van het laatst opgeslagen antwoord (lokale tijd, "
                            "dd-mm-jjjj uu:mm)", 17),
)
HEADER = [c.name for c in COLUMNS]
DIVERGENCE_COLUMNS: tuple[Column, ...] = (
    Column("casus", "Casuscode", 12),
    Column("thema", "Id van het thema", 18),
    Column("sleutel", "Sleutel van de vraag", 26),
    Column("vraag", "Tekst van de vraag", 50, wrap=True),
    Column("perspectief_a", "Eerste perspectief", 14),
    Column("antwoord_a", "Antwoord vanuit het eerste perspectief", 22, wrap=True),
    Column("perspectief_b", "Tweede perspectief", 14),
    Column("antwoord_b", "Antwoord vanuit het tweede perspectief", 22, wrap=True),
    Column("soort", "Vaste code: scale of ja-nee", 10),
    Column("soort_label", "Soort verschil in woorden", 20),
)
# Columns of the feedback and comparison tables whose ISO text is a date, a time or a
# list of dates; and the ones with long free text.
TABLE_DATES = frozenset({"deadline"})
TABLE_TIMES = frozenset({"aangemaakt", "bijgewerkt"})
TABLE_DATE_LISTS = frozenset({"bijeenkomst"})
TABLE_WRAP = frozenset({"bevinding", "uitleg", "verbeterpunt", "geschiedenis", "aanwezig",
                        "vraagtekst_gewijzigd", "themas", "thema_titel",
                        # the analyst's tables (export/coding_tables.py)
                        "fragment", "citaat", "memo", "notitie", "aanbeveling", "hulpvraag",
                        "knelpunten", "succesfactoren", "totaalbeeld"})
_FORMULA_START = frozenset("=+-@\t\r")


def csv_text(value: Any) -> str:
    """One typed value as CSV text for Dutch Excel (no control characters: export_safe)."""
    if type(value) is str:
        text = export_safe(value)
        return "'" + text if text[:1] in _FORMULA_START else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return format_number(value)
    return csv_text(str(value))


def _csv_writer(fh: io.TextIOBase | Any) -> Any:
    return csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def write_csv(data: ExportData, fh: io.TextIOBase | Any) -> int:
    """Write the long table to a text file opened with encoding utf-8-sig, newline=''.

    The lines are joined here rather than by `csv.writer` (`_csv_field` writes a field as
    the writer does): the parts of a row that many rows share are written once."""
    _csv_writer(fh).writerow(HEADER)
    shared: dict[int, str] = {}

    def part(values: tuple[Any, ...]) -> str:
        text = shared.get(id(values))
        if text is None:
            text = shared[id(values)] = ";".join(map(_csv_field, values))
        return text

    field = _csv_field
    lines = []
    for row in answer_rows(data):
        value, toelichting, reason = row.own
        lines.append(f"{part(row.head)};{part(row.asked)};{part(row.verdict)};{field(value)};"
                     f"{field(toelichting)};{field(reason)};{part(row.tags)};{part(row.time)}\r\n")
    fh.write("".join(lines))
    return len(lines)


#: What makes `csv.writer` quote a field in this dialect (QUOTE_MINIMAL, `;`, `"`, CRLF).
_CSV_QUOTED = re.compile('[;"\r\n]')


def _csv_field(value: Any) -> str:
    """`csv_text(value)` as one field of a line with several, exactly as `_csv_writer` writes it."""
    text = csv_text(value)
    if _CSV_QUOTED.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def _wrapped(columns: tuple[Column, ...]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.wrap]


def write_xlsx(data: ExportData, fh: Any) -> int:
    """One sheet per perspective with the long table, a codebook and the differences."""
    wb = Workbook()
    perspectives = sorted({s.perspective for s in data.sessions},
                          key=lambda p: list(PERSPECTIVE_LABELS).index(p)
                          if p in PERSPECTIVE_LABELS else 99)
    sheets = {}
    for p in perspectives:
        sheets[p] = wb.add_sheet(PERSPECTIVE_LABELS.get(p, p), header_rows=1, autofilter=True,
                                 widths=[c.width for c in COLUMNS], wrap=_wrapped(COLUMNS))
        sheets[p].append(HEADER, bold=True)
    shared: dict[int, str] = {}  # every answer sheet has the same columns: one run fits all

    def part(sheet: Sheet, values: tuple[Any, ...], first: int) -> str:
        run = shared.get(id(values))
        if run is None:
            run = shared[id(values)] = sheet.run(values, first)
        return run

    table = answer_rows(data)
    for row in table:
        sheet = sheets[row.session.perspective]
        sheet.append_runs((part(sheet, row.head, HEAD), part(sheet, row.asked, ASKED),
                           part(sheet, row.verdict, VERDICT), sheet.run(row.own, OWN),
                           part(sheet, row.tags, TAGS), part(sheet, row.time, TIME)))
    codebook = wb.add_sheet("Codeboek", widths=(22, 60, 14, 18, 26, 26, 50, 10, 12, 30, 40, 16),
                            wrap=(1, 6, 9, 10))
    for line in _codebook(data):
        codebook.append(line, bold=len(line) == 1)
    diffs = wb.add_sheet("Verschillen", header_rows=1, autofilter=True,
                         widths=[c.width for c in DIVERGENCE_COLUMNS], wrap=_wrapped(DIVERGENCE_COLUMNS))
    diffs.append([c.name for c in DIVERGENCE_COLUMNS], bold=True)
    for d in data.analysis.divergences:
        diffs.append([data.case_code(d.case_id), d.theme_id, d.key, d.text, d.a.perspective,
                      d.a.display, d.b.perspective, d.b.display, d.kind,
                      DIVERGENCE_LABELS.get(d.kind, d.kind)])
    for name, rows in feedback_tables(data).items():
        rows_sheet(wb, name.capitalize(), rows)
    wb.save(fh)
    return len(table)


def rows_sheet(wb: Workbook, name: str, rows: list[dict[str, Any]],
               wrap: frozenset[str] = TABLE_WRAP) -> None:
    """A sheet with a bold, filtered header for a small table of dicts (nothing when empty)."""
    if not rows:
        return
    header = list(rows[0])
    typed = [[table_value(k, v) for k, v in row.items()] for row in rows]
    sheet = wb.add_sheet(name, header_rows=1, autofilter=True, widths=_widths(header, typed),
                         wrap=[i for i, k in enumerate(header) if k in wrap])
    sheet.append(header, bold=True)
    for trow in typed:
        sheet.append(trow)


def _widths(header: list[str], rows: list[list[Any]]) -> list[float]:
    """Fit each column to its longest value (first lines, at most 60 characters)."""
    widths = [float(len(h) + 2) for h in header]
    for row in rows[:500]:
        for i, v in enumerate(row):
            text = csv_text(v).split("\n", 1)[0] if not isinstance(v, date) else "00-00-0000 00:00"
            widths[i] = max(widths[i], min(len(text) + 2, 60))
    return widths


def table_value(name: str, value: Any) -> Any:
    """A value of a feedback or comparison row as a cell: ISO dates and times become
    dates (for the spreadsheet and dd-mm-jjjj in CSV); the row itself stays as JSON has it."""
    if not isinstance(value, str) or not value:
        return value
    try:
        if name in TABLE_DATES:
            return date.fromisoformat(iso_date(value))
        if name in TABLE_TIMES:
            return local_time(value)
    except (DateError, ValueError):
        return value
    if name in TABLE_DATE_LISTS:
        return "; ".join(format_date(part) for part in value.split("; "))
    return value


def feedback_tables(data: ExportData) -> dict[str, list[dict[str, Any]]]:
    """Feedback-meeting, comparison and analyst (coding) tables, by file/sheet name; empty
    when there are none."""
    pseudo = data.pseudo
    out: dict[str, list[dict[str, Any]]] = coding_tables(data)
    if data.outcome is not None:
        out["bevindingen"] = feedback_rows(data.outcome, text=pseudo.text, person=pseudo.person)
        out["verbeterpunten"] = improvement_rows(data.outcome, text=pseudo.text, person=pseudo.person)
    if data.comparison is not None:
        out["vergelijking"] = comparison_rows(data.comparison, text=pseudo.text)
    return out


def write_rows_csv(rows: list[dict[str, Any]], fh: io.TextIOBase | Any) -> None:
    """A small table as CSV, in the same Excel-friendly dialect as the answers table."""
    writer = _csv_writer(fh)
    if not rows:
        return
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([csv_text(table_value(k, v)) for k, v in row.items()])


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
    yield from ([c.name, c.meaning] for c in COLUMNS)
    yield []
    yield ["Statussen"]
    yield ["status", "status_label"]
    yield from ([k, v] for k, v in STATUS_LABELS.items())
    yield []
    yield ["Soorten verschillen (blad Verschillen)"]
    yield ["soort", "soort_label"]
    yield from ([k, v] for k, v in DIVERGENCE_LABELS.items())
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
    asked: dict[str, list[tuple[Question, str, str, str, bool]]] = {}  # per snapshot key
    for s in data.sessions:
        answers = data.answers.get(s.id, {})
        q = s.questionnaire
        key = snapshot_keys.get(id(q))
        if key is None:
            as_dict = q.to_dict()
            # Only the file name: the full path names a user folder and differs per laptop.
            as_dict["source"] = PurePath(as_dict["source"]).name if as_dict.get("source") else ""
            key = next((k for k, v in snapshots.items() if v == as_dict), None)
            if key is None:
                key = f"{q.id}@{q.version}"
                n = 1
                while key in snapshots:
                    n += 1
                    key = f"{q.id}@{q.version}-{n}"
                snapshots[key] = as_dict
            snapshot_keys[id(q)] = key
            asked.setdefault(key, [(x, x.id, x.key, x.theme_id, x.type in (AnswerType.TEXT, AnswerType.CHOICE))
                                   for x in q.questions()])
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
            "answers": _json_answers(asked[key], answers, pseudo),
            "notes": [
                {"kind": n.kind, "role": n.role, "question_id": n.question_id,
                 "theme_id": n.theme_id,
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
        "report": report_dict(data),
        "analysis": {
            "themes": [
                {"id": t.id, "title": t.title,
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


def _json_answers(asked: list[tuple[Question, str, str, str, bool]], answers: Mapping[str, Answer],
                  pseudo: Pseudonymizer) -> list[dict[str, Any]]:
    """A session's answers in questionnaire order; `asked` is (question, id, key, theme, free
    text) per question of its snapshot, made once per snapshot."""
    text, person = pseudo.text, pseudo.person
    out = []
    for question, qid, key, theme, free in asked:
        a = answers.get(qid)
        if a is None:
            continue
        out.append({"question_id": qid, "key": key, "theme": theme, "status": str(a.status), "score": a.score,
                    "value": text(a.value) if free else a.value,
                    "toelichting": text(a.toelichting), "reason": text(a.reason),
                    "probes_asked": [question.probes[i] for i in a.probes_asked if 0 <= i < len(question.probes)]
                    if a.probes_asked else [],
                    "updated": a.updated, "updated_by": person(a.updated_by)})
    return out


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
    write_clean_json(to_json(data), fh)


def write_clean_json(tree: Any, fh: Any) -> None:
    """`tree` as compact JSON without a control character, also not as an escape."""
    text = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    # ~25 ms for 40,000 answers: a literal-prefix regex, then a C scan for raw C1/bidi.
    if _JSON_ESCAPED.search(text) or export_safe(text) is not text:
        text = json.dumps(_clean_tree(tree), ensure_ascii=False, separators=(",", ":"))
    fh.write(text)
    fh.write("\n")
