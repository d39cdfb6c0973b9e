"""No exported file carries a control character or a terminal escape sequence, whatever the data.

A merged laptop database can hold `ESC[2J` or OSC 52 (write the clipboard) in any text
field; `cat`-ing a transcript or opening the CSV must not obey them. Every text column
of a full demo evaluation (with feedback meeting, questionnaire titles in the session
snapshots) gets a hostile suffix; all four formats are checked byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exports_support import demo

from zet_tui.core.demo_followup import record_first_meeting
from zet_tui.core.store import Store
from zet_tui.export.runner import run_export, select

HOSTILE = "\x1b[2J\x1b]52;c;R0VIRUlN\x07\u202e[/]\x9b31m\x00\x7f\r\nx"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
COLUMNS = {
    "evaluation": ("name", "municipality"),
    "cases": ("code", "label", "notes"),
    "session": ("interviewer", "co_interviewer", "consent_by", "consent_note", "reviewed_by"),
    "answer": ("value", "toelichting", "reason", "updated_by"),
    "note": ("text", "author"),
    "finding": ("text", "explanation"),
    "improvement": ("text", "owner"),
    "meeting": ("notes",),
}
SNAPSHOT_PATHS = ("$.title", "$.opening", "$.themes[0].title", "$.themes[0].questions[0].text",
                  "$.themes[0].questions[0].help")


def poison(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    for table, columns in COLUMNS.items():
        sets = ", ".join(f"{c} = coalesce({c}, '') || :h" for c in columns)
        conn.execute(f"UPDATE {table} SET {sets}", {"h": HOSTILE})
    for path in SNAPSHOT_PATHS:
        conn.execute("UPDATE session SET snapshot = json_set(snapshot, :p,"
                     " coalesce(json_extract(snapshot, :p), '') || :h)", {"p": path, "h": HOSTILE})
    conn.commit()
    conn.close()


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_every_format_is_free_of_controls_and_escape_sequences(
        store: Store, db_path: Path, tmp_path: Path) -> None:
    result = demo(store)
    record_first_meeting(store, result)
    poison(db_path)
    with Store.open(db_path) as fresh:
        export = run_export(fresh, select(fresh, evaluation=result.evaluation.id),
                            root=tmp_path / "out")
    kinds = set()
    for path in export.files:
        raw = path.read_bytes()
        kinds.add(path.suffix)
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                texts = [zf.read(n).decode("utf-8") for n in zf.namelist()]
        elif path.suffix == ".csv":
            text = raw.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
            texts = [cell for row in rows for cell in row]
            assert text.replace("\r\n", "") .count("\r") == 0  # CR only in the line endings
        elif path.suffix == ".json":
            texts = list(strings(json.loads(raw)))
        else:
            texts = [raw.decode("utf-8")]
        for text in texts:
            found = UNSAFE.search(text)
            assert found is None, (path.name, repr(text[max(0, found.start() - 20):found.end() + 20]))
            assert "R0VIRUlN" not in text, path.name  # the OSC 52 payload went with its sequence
    assert kinds == {".md", ".csv", ".xlsx", ".json"}
    everything = "".join(p.read_text("utf-8-sig") for p in export.files if p.suffix != ".xlsx")
    assert "[/]" in everything and "Tijdlijn" in everything  # text kept, Mermaid title there
