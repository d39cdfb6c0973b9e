"""Every exported byte stays the same when the exporters change for speed: a golden check.

A deterministic database (ids and clocks fixed, as in test_merge.py; the time zone
fixed) holds the demo with its feedback meeting and follow-up, the regional demo
with the analyst's codings, and answers with awkward text (Markdown and CSV
specials, formula starts, line breaks, escape sequences, a 40,000-character
toelichting). Each evaluation is exported in every scope, plain and
pseudonymised, and every file is hashed (an XLSX by its parts: the zip container
depends on the zlib build) against tests/fixtures/export_golden.json.

A change that is *meant* to change what an export says regenerates the hashes:

    ZET_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/unit/test_export_golden.py

and the diff of that file names every file that changed; review those exports.
`scripts/export_golden.py` makes the same before/after comparison on the
1,000-session database of `scripts/bench`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exports_support import demo, parallel

import zet_tui.core.feedback as feedback
import zet_tui.core.store.ids as ids
from zet_tui.core.demo_followup import build_follow_up_demo
from zet_tui.core.demo_regio import build_regio_demo
from zet_tui.core.store import Store
from zet_tui.export.data import load
from zet_tui.export.runner import FORMATS, select, write_export

GOLDEN = Path(__file__).parents[1] / "fixtures" / "export_golden.json"
AWKWARD = ["=SOM(A1)", "+31 6 1234", "-min", "@zorg", "\tTab vooraan",
           "a|b <script>&amp; *x* _y_ [l](u) #tag $m$ %% == ^ ~ \\ `c`",
           "regel 1\nregel 2\r\nregel 3\rregel 4\u2028vijf", "😀👍🏽 é ë", "  spaties  ",
           "x" * 40_000, "", 'quote "a";b', "\x1b[2J\x1b]52;c;R0VIRUlN\x07\u202e[/]\x9b31m\x7f",
           "\ufffe\uffff"]


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    counter = iter(range(1, 10**9))
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def new_id() -> str:
        return f"{next(counter):032x}"

    monkeypatch.setattr(ids, "new_id", new_id)
    monkeypatch.setattr(feedback, "new_id", new_id)  # imported by name there
    monkeypatch.setattr(ids, "now", lambda: (start + timedelta(seconds=next(counter)))
                        .isoformat(timespec="milliseconds"))
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _build(path: Path) -> None:
    with Store.open(path) as store:
        build_regio_demo(store)
        first = demo(store)
        build_follow_up_demo(store, first, parallel())
    conn = sqlite3.connect(path)
    rows = [r for (r,) in conn.execute("SELECT rowid FROM answer ORDER BY session_id, question_id")]
    for i, rowid in enumerate(rows[::7]):
        conn.execute("UPDATE answer SET toelichting = ?, reason = ?,"
                     " value = CASE WHEN value IS NULL THEN NULL ELSE ? END WHERE rowid = ?",
                     (AWKWARD[i % len(AWKWARD)], AWKWARD[(i + 5) % len(AWKWARD)],
                      AWKWARD[(i + 3) % len(AWKWARD)], rowid))
    conn.commit()
    conn.close()


def _digest(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            parts = b"".join(name.encode() + b"\0" + zf.read(name) for name in zf.namelist())
        return hashlib.sha256(parts).hexdigest()[:20]
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def _exports(store: Store, out: Path) -> dict[str, str]:
    """path -> hash of every file of every export (`write_export` as `run_export` calls it)."""
    found: dict[str, str] = {}
    for ev in store.evaluations():
        case = store.cases(ev.id)[0]
        session = store.sessions(case_id=case.id)[0]
        scopes = [("evaluatie", select(store, evaluation=ev.id), False),
                  ("gepseudonimiseerd", select(store, evaluation=ev.id), True),
                  ("casus", select(store, case=case.id), False),
                  ("sessie", select(store, session=session.id), True)]
        for scope, selection, pseudo in scopes:
            data = load(store, selection.evaluation, selection.sessions, pseudonymize=pseudo,
                        extra_terms=("Noord",) if pseudo else ())
            data.exported_at = "2026-03-04T05:06:07.890+00:00"
            folder = out / f"{ev.name}-{scope}"
            folder.mkdir(parents=True)
            write_export(data, folder, FORMATS, report=selection.scope == "evaluation",
                         analyseschema=selection.scope in ("evaluation", "case"))
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found[str(path.relative_to(out))] = _digest(path)
    return found


def test_every_exported_file_is_as_before(fixed_clock: None, tmp_path: Path) -> None:
    _build(tmp_path / "golden.db")
    with Store.open(tmp_path / "golden.db", create=False) as store:
        found = _exports(store, tmp_path / "uit")
    assert len(found) > 100 and any(name.endswith(".xlsx") for name in found)
    # No export names the folders of this machine (the hashes must not depend on the checkout,
    # and an export must not carry a user's home folder to the analysts)
    for export_json in (tmp_path / "uit").rglob("export.json"):
        text = export_json.read_text(encoding="utf-8")
        assert str(Path(__file__).parents[2]) not in text and str(tmp_path) not in text
    if os.environ.get("ZET_GOLDEN_UPDATE"):
        GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
    assert not changed, f"{len(changed)} exported files differ, e.g. {changed[:5]} (see the module docstring)"
