"""Export of 1,000 sessions x 40 answers (all formats) against a plain sqlite3 read.

The export runs as `zet export` in a subprocess (what a user runs); the baseline
is a fresh `python` process that reads the same answer rows with plain sqlite3,
so interpreter start-up is in both.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from reliability_harness import write_questionnaire

from benchlib.common import Figure, not_available
from zet_tui.commands import COMMAND_MODULES
from zet_tui.core.store import Store, new_id, now

# How `zet export` is called for "all formats"; adjust here when the export lands.
EXPORT_ARGS: tuple[str, ...] = ("export", "--to", "{out}")

PLAIN_READ = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT e.name, c.code, s.perspective, s.questionnaire_id, a.question_id, a.status,"
    " a.score, a.value, a.toelichting, a.reason FROM answer a JOIN session s ON s.id = a.session_id"
    " JOIN cases c ON c.id = s.case_id JOIN evaluation e ON e.id = c.evaluation_id"
    " ORDER BY e.name, c.code, s.perspective, a.question_id").fetchall()
print(len(rows))
"""


def make_database(path: Path, workdir: Path, sessions: int = 1000, answers: int = 40) -> int:
    """Evaluation, cases and sessions through the Store; answers and their events in one
    bulk transaction (40,000 separate fsyncs would measure the disk, not the export)."""
    q = write_questionnaire(workdir / "export.md", answers, conditions=False)
    qids = [x.id for x in q.questions()]
    with Store.open(path) as store:
        ev = store.create_evaluation("Meting export", "Testgemeente")
        sids: list[str] = []
        for i in range(sessions // 2):
            case = store.add_case(ev.id, f"C-{i:04d}")
            for _ in range(2):
                sids.append(store.start_session(case.id, q, interviewer="Bench", consent_given=True,
                                                consent_by="inwoner").id)
        stamp = now()
        answer_rows, event_rows = [], []
        for n, sid in enumerate(sids):
            for k, qid in enumerate(qids):
                text = f"Toelichting {n}-{k}: het contact verliep " + ("goed " * (k % 7))
                answer_rows.append((sid, qid, "answered", 1 + (n + k) % 5, None, text, "", "[]",
                                    stamp, "bench"))
                event_rows.append((new_id(), sid, stamp, "bench", "answer_created", qid,
                                   json.dumps({"status": "answered", "score": 1 + (n + k) % 5,
                                               "toelichting": text})))
        with store.write() as c:
            c.executemany("INSERT INTO answer (session_id, question_id, status, score, value,"
                          " toelichting, reason, probes_asked, updated, updated_by)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?)", answer_rows)
            c.executemany("INSERT INTO event (id, session_id, at, actor, kind, question_id, new)"
                          " VALUES (?,?,?,?,?,?,?)", event_rows)
    return len(answer_rows)


def _timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600)
    return time.perf_counter() - t0, proc


def export_figure(workdir: Path) -> Figure:
    name, target = "export 1,000 sessions x 40 answers", "<= 5 s and <= 3x plain read"
    if "zet_tui.commands.export" not in COMMAND_MODULES:
        return not_available(name, target, "n/a (exports not on main yet: no 'zet export')")
    db = workdir / "export.db"
    rows = make_database(db, workdir)
    plain_s, plain = _timed([sys.executable, "-c", PLAIN_READ, str(db)])
    if plain.returncode != 0 or int(plain.stdout.strip() or 0) != rows:
        return not_available(name, target, f"n/a (plain read failed: {plain.stderr[-200:]})")
    out = workdir / "export-out"
    args = [a.format(out=out) for a in EXPORT_ARGS]
    seconds, proc = _timed([sys.executable, "-m", "zet_tui", *args, "--db", str(db)])
    if proc.returncode != 0:
        return Figure(name, None, "s", target, False,
                      note=f"zet export failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    return Figure(name, seconds, "s", target, seconds <= 5 and seconds <= 3 * plain_s, plain_s,
                  f"plain sqlite3 read of the same {rows} answer rows, fresh python process",
                  note=f"{len(files)} files written", details={"rows": rows})
