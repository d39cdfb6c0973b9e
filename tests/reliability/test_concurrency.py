"""Interviewer, reviewer and an export on one database file, in three processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from reliability_harness import (
    export_worker,
    interviewer_worker,
    reviewer_worker,
    start_session,
    write_questionnaire,
)

from zet_tui.core.store import Store


@pytest.mark.slow
def test_three_roles_at_once_no_lock_errors_no_lost_writes(tmp_path: Path) -> None:
    q = write_questionnaire(tmp_path / "q.md", 100)
    db = tmp_path / "gedeeld.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
    backups = tmp_path / "kopieen"
    backups.mkdir()
    ctx = multiprocessing.get_context("spawn")
    out: Any = ctx.Queue()
    start_at = time.time() + 2.0  # after the three interpreters have started
    procs = [
        ctx.Process(target=interviewer_worker, args=(str(db), sid, 3, out, start_at)),
        ctx.Process(target=reviewer_worker, args=(str(db), sid, 80, out, start_at)),
        ctx.Process(target=export_worker, args=(str(db), 40, str(backups), out, start_at)),
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    for role, result in results.items():
        assert result["errors"] == [], (role, result["errors"][:5])
    spans = [r["span"] for r in results.values()]
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"the roles did not overlap: {spans}"
    interviewer, reviewer, export = results["interviewer"], results["reviewer"], results["export"]
    assert interviewer["saves"] == 3 * 100 and reviewer["notes"] == 80 and export["snapshots"] == 40
    assert export["files"] > 0  # real exports (all formats) ran while the others wrote
    with Store.open(db) as store:
        answers = store.answers(sid)
        stored = {qid: [a.score, a.value, a.toelichting] for qid, a in answers.items()}
        assert stored == interviewer["final"]  # zero lost writes: the last save of each question
        events = store.events(sid)
        assert sum(1 for e in events if e.kind in ("answer_created", "answer_changed")) == 300
        notes = store.notes(sid)
        assert len(notes) == 80 and sum(1 for n in notes if n.handled_at) == 40
        assert sum(1 for e in events if e.kind == "flag_added") == 80
        assert store.session(sid).reviewed_by == "Reviewer"
    for copy in backups.glob("*.db"):
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
