from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

from exports_support import demo
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import DIVERGENCE_LABELS, AnswerStatus
from zet_tui.export.runner import run_export, select
from zet_tui.export.tables import HEADER


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def export(store: Store, tmp_path: Path, formats: list[str]) -> Path:
    return run_export(store, select(store), root=tmp_path, formats=formats).folder


def total_answers(store: Store) -> int:
    return sum(len(store.answers(s.id)) for s in store.sessions())


def test_csv_opens_with_semicolon_and_utf8_sig(store: Store, tmp_path: Path) -> None:
    demo(store)
    folder = export(store, tmp_path, ["csv"])
    raw = (folder / "antwoorden.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with (folder / "antwoorden.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert list(rows[0]) == HEADER
    assert len(rows) == total_answers(store)
    assert {r["perspectief"] for r in rows} == {"inwoner", "professional", "dossier"}
    assert {r["casus"] for r in rows} == {"DEMO-1", "DEMO-2", "DEMO-3"}
    dates = [r for r in rows if r["type"] == "datum"]
    assert dates and all(len(r["waarde"]) == 10 and r["waarde"][2] == "-" for r in dates)
    scored = [r for r in rows if r["score"]]
    assert scored and all(r["score"].isdigit() and r["score_label"] for r in scored)
    assert {(r["status"], r["status_label"]) for r in rows} >= {("answered", "beantwoord")}
    assert all(re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", r["beantwoord_op"]) for r in rows)
    assert any(r["toelichting"] for r in rows)


def test_csv_decimal_comma_line_breaks_and_no_formulas(store: Store, mini: Questionnaire,
                                                       tmp_path: Path) -> None:
    ev = store.create_evaluation("Getallen")
    case = store.add_case(ev.id, "G-1")
    s = store.start_session(case.id, mini, consent_given=True, consent_by="x")
    store.save_answer(s.id, Answer("plan.aantal", AnswerStatus.ANSWERED, value="2.5",
                                   toelichting="=HYPERLINK(\"x\")\nregel twee; met ;"))
    store.save_answer(s.id, Answer("plan.kwijt", AnswerStatus.ANSWERED, value="@zorg"))
    store.save_answer(s.id, Answer("toegang.wachten", AnswerStatus.NIET_BESPROKEN,
                                   reason="-geen tijd"))
    folder = export(store, tmp_path, ["csv", "xlsx"])
    with (folder / "antwoorden.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["vraag_id"]: r for r in csv.DictReader(fh, delimiter=";")}
    assert rows["plan.aantal"]["waarde"] == "2,5"
    assert rows["plan.aantal"]["toelichting"] == "'=HYPERLINK(\"x\")\nregel twee; met ;"
    assert rows["plan.kwijt"]["waarde"] == "'@zorg"
    assert rows["toegang.wachten"]["reden"] == "'-geen tijd"
    assert rows["toegang.wachten"]["status"] == "niet_besproken"
    assert rows["toegang.wachten"]["status_label"] == "niet besproken"
    assert rows["toegang.wachten"]["score_label"] == ""
    wb = load_workbook(folder / "antwoorden.xlsx")
    ws = wb["Inwoner"]
    header = [c.value for c in ws[1]]
    by_id = {r[header.index("vraag_id")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert by_id["plan.aantal"][header.index("waarde")] == 2.5  # a number cell, not the text 2,5
    cell = by_id["plan.aantal"][header.index("toelichting")]
    assert cell == "=HYPERLINK(\"x\")\nregel twee; met ;"  # a string, never a formula
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_xlsx_has_a_sheet_per_perspective_and_a_codebook(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    folder = export(store, tmp_path, ["xlsx"])
    wb = load_workbook(folder / "antwoorden.xlsx", read_only=True)
    assert wb.sheetnames == ["Inwoner", "Professional", "Dossier", "Codeboek", "Verschillen",
                             # the demo analyst's work (export/coding_tables.py)
                             "Coderingen", "Code_x_casus", "Citaten", "Samenvattingen", "Kenmerken",
                             "Verschillen_handmatig"]
    n = 0
    for name in ("Inwoner", "Professional", "Dossier"):
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        n += len(rows) - 1
        persp = {r[HEADER.index("perspectief")] for r in rows[1:]}
        assert persp == {name.lower()}
        scores = [r[HEADER.index("score")] for r in rows[1:] if r[HEADER.index("score")] is not None]
        assert scores and all(isinstance(x, int) for x in scores)
    assert n == total_answers(store)
    codebook = [r for r in wb["Codeboek"].iter_rows(values_only=True)]
    flat = [str(v) for r in codebook for v in r if v is not None]
    assert "toegang.wist-waar-prof" in flat and "smiley5" in flat and "beantwoord_op" in flat
    diffs = list(wb["Verschillen"].iter_rows(values_only=True))[1:]
    assert len(diffs) >= sum(len(v) for v in result.planted.values())


def test_json_round_trip(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    folder = export(store, tmp_path, ["json"])
    data = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    assert data["format"] == "zet-tui-export" and data["pseudonymized"] is False
    assert data["evaluation"]["id"] == result.evaluation.id
    assert len(data["sessions"]) == 9
    for s in data["sessions"]:
        stored = store.answers(s["id"])
        assert {a["question_id"]: (a["status"], a["score"], a["value"], a["toelichting"])
                for a in s["answers"]} == {
            k: (str(a.status), a.score, a.value, a.toelichting) for k, a in stored.items()}
        snapshot = data["questionnaires"][s["questionnaire"]["snapshot"]]
        assert Questionnaire.from_dict(snapshot).id == s["questionnaire"]["id"]
    keys = {c["code"]: {d["key"] for d in c["divergences"]} for c in data["cases"]}
    assert keys == {code: set(v) for code, v in result.planted.items()}
    assert all(c["timeline"] for c in data["cases"])
    assert data["analysis"]["recurring_divergences"]
    assert json.loads(json.dumps(data)) == data


def test_xlsx_parts_are_well_formed_and_formatted(store: Store, tmp_path: Path) -> None:
    import zipfile
    from xml.etree import ElementTree

    demo(store)
    folder = export(store, tmp_path, ["xlsx"])
    with zipfile.ZipFile(folder / "antwoorden.xlsx") as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            ElementTree.fromstring(zf.read(name))
    wb = load_workbook(folder / "antwoorden.xlsx")
    ws = wb["Inwoner"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and not ws["A2"].font.b
    toelichting = column_letter(HEADER.index("toelichting"))
    assert ws.column_dimensions[toelichting].width == 60


def test_the_spreadsheet_is_ready_for_an_analyst(store: Store, tmp_path: Path) -> None:
    """Real dates and numbers, wrapped text, filters, frozen header, widths and Dutch labels
    next to stable codes, read back with openpyxl as a spreadsheet program would."""
    from feedback_support import ROUND_ONE, make_round

    from zet_tui.core.feedback import add_improvement_point, record_meeting, sync_findings

    demo(store)
    ev = make_round(store, "Ronde 1", ROUND_ONE)
    sync_findings(store, ev.id)
    record_meeting(store, ev.id, "18-09-2025", "Wethouder")
    add_improvement_point(store, ev.id, "Afstemming\nverbeteren", due="31-03-2026")
    demo_ev = next(e for e in store.evaluations() if e.id != ev.id)
    folder = run_export(store, select(store, evaluation=demo_ev.id), root=tmp_path,
                        formats=["xlsx", "csv"]).folder
    wb = load_workbook(folder / "antwoorden.xlsx")
    for name in ("Inwoner", "Professional", "Dossier", "Verschillen"):
        sheet = wb[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{column_letter(sheet.max_column - 1)}{sheet.max_row}"
    ws = wb["Dossier"]
    col = {name: i for i, name in enumerate(HEADER)}
    rows = list(ws.iter_rows(min_row=2))
    dates = [r[col["waarde"]] for r in rows if r[col["type"]].value == "datum"]
    assert dates and all(c.is_date and c.number_format == "dd-mm-yyyy" for c in dates)
    assert all(type(c.value) is datetime for c in dates)  # a date cell, not the text 13-01-2025
    stamps = [r[col["beantwoord_op"]] for r in rows]
    assert all(c.is_date and c.number_format == "dd-mm-yyyy hh:mm" for c in stamps)
    notes = [r[col["toelichting"]] for r in rows if r[col["toelichting"]].value]
    assert notes and all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in notes)
    assert not rows[0][col["sessie"]].alignment.wrap_text
    assert {(r[col["status"]].value, r[col["status_label"]].value) for r in rows} >= {
        ("answered", "beantwoord")}
    diffs = wb["Verschillen"]
    header = [c.value for c in diffs[1]]
    kinds = {(r[header.index("soort")], r[header.index("soort_label")])
             for r in diffs.iter_rows(min_row=2, values_only=True)}
    assert kinds and kinds <= {(kind, label) for kind, label in DIVERGENCE_LABELS.items()}
    assert wb["Codeboek"]["B2"].alignment.wrap_text
    # the demo has no meeting: the feedback sheets belong to the other evaluation
    assert "Verbeterpunten" not in wb.sheetnames
    folder = run_export(store, select(store, evaluation=ev.id), root=tmp_path, formats=["xlsx", "csv"]).folder
    points = load_workbook(folder / "antwoorden.xlsx")["Verbeterpunten"]
    header = [c.value for c in points[1]]
    row = points[2]
    assert row[header.index("deadline")].is_date and row[header.index("deadline")].value == datetime(2026, 3, 31)
    assert (row[header.index("status")].value, row[header.index("status_label")].value) == ("open", "open")
    assert row[header.index("verbeterpunt")].alignment.wrap_text
    assert points.auto_filter.ref and points.column_dimensions["A"].width >= len("evaluatie")
    with (folder / "verbeterpunten.csv").open(encoding="utf-8-sig", newline="") as fh:
        (point,) = csv.DictReader(fh, delimiter=";")
    assert point["deadline"] == "31-03-2026" and re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", point["aangemaakt"])
    with (folder / "bevindingen.csv").open(encoding="utf-8-sig", newline="") as fh:
        findings = list(csv.DictReader(fh, delimiter=";"))
    assert {f["actueel"] for f in findings} <= {"ja", "nee"} and findings[0]["bijeenkomst"] == "18-09-2025"


def test_xlsx_writer_escapes_and_limits() -> None:
    import io

    from zet_tui.export.xlsx import MAX_CELL, Workbook, column_letter

    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]
    wb = Workbook()
    sheet = wb.add_sheet("Naam: met [rare] tekens/en een heel lange titel erachter")
    wb.add_sheet("Naam met rare tekensen een heel lange titel erachter")
    sheet.append(["<b>&\x01\x1f", "=1+1", 2.5, 7, True, None, "x" * (MAX_CELL + 10),
                  date(2024, 3, 14), datetime(1999, 12, 31, 23, 59, 30)])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    book = load_workbook(buf)
    assert book.sheetnames[0] == "Naam met rare tekensen een heel"
    assert book.sheetnames[1] == "Naam met rare tekensen een h 2"  # unique, still <= 31
    row = [c.value for c in book.worksheets[0][1]]
    assert row[:5] == ["<b>&", "=1+1", 2.5, 7, True]
    assert row[5] is None and len(row[6]) == MAX_CELL
    assert row[7:] == [datetime(2024, 3, 14), datetime(1999, 12, 31, 23, 59, 30)]


def test_checklist_sessions_get_a_transcript_and_an_overig_sheet(store: Store,
                                                                 tmp_path: Path) -> None:
    from zet_tui.core.questionnaire_loader import load_or_raise, shipped_dir

    checklist = load_or_raise(shipped_dir() / "wmo-checklist.md")
    assert checklist.perspective == "other"
    ev = store.create_evaluation("Zelfevaluatie")
    case = store.add_case(ev.id, "TEAM-1")
    s = store.start_session(case.id, checklist)
    first = next(iter(s.questionnaire.questions()))
    store.save_answer(s.id, Answer(first.id, AnswerStatus.WEET_NIET, toelichting="nog uitzoeken"))
    res = run_export(store, select(store), root=tmp_path)
    names = sorted(str(p.relative_to(res.folder)) for p in res.folder.rglob("*") if p.is_file())
    assert f"transcripten/team-1-other-{s.id[:8]}.md" in names
    assert not any(n.startswith("analyseschema") for n in names)
    assert load_workbook(res.folder / "antwoorden.xlsx").sheetnames[0] == "Overig"
    assert "transcripten/team-1-other" in (res.folder / "index.md").read_text()
