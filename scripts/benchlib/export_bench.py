"""Export of 1,000 sessions x 40 answers (all formats): two figures against plain Python.

- whole export, fresh processes: `zet export --db DB --evaluation NAME --out DIR`
  (what a user runs: start-up, read, analysis, ~1,500 files in md/csv/xlsx/json)
  against a fresh `python` process that reads the same answer rows with plain
  sqlite3 and writes the same files (same names, same count, same bytes) with
  plain `os.open`/`write`. The baseline gets the bytes from one pickle made of an
  earlier export (untimed), so it does no formatting at all: it is the floor any
  exporter of these files pays for start-up, the read and the disk. The runs
  alternate (baseline, export, baseline, ...) so a busy disk hits both; medians
  of `RUNS`. Target: <= 2x the baseline and <= 3 s.
- data read, in process: what the export reads from the store (`select`, the
  cases, `export_answers`, notes; exactly the queries of
  `zet_tui.export.data.load` without the analysis) against plain sqlite3 reading
  the same rows, both with a fresh connection per run on a warm page cache,
  median of several runs. Target: <= 3x.

The note of the whole-export row also gives, so a slow part is visible:
- the floor: a fresh process that starts like `zet export` and reads and analyses
  the same evaluation, writing nothing (alternating with the two others): what
  the export pays before it formats a single byte;
- the cost of creating one 8 KB file in the work folder, right after the runs: on
  this shared disk it varies from ~0.02 to ~1 ms, and both sides create ~1,500;
- the split of an in-process export (cycle collector off, as `run_export` has
  it) into read and analysis, the findings and each format, CPU seconds.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reliability_harness import write_questionnaire

from benchlib.common import Figure, not_available
from zet_tui.commands import COMMAND_MODULES
from zet_tui.core.store import Store, new_id, now

EVALUATION = "Meting export"
# How `zet export` is called for "all formats" (the default --format); see `zet export -h`.
EXPORT_ARGS: tuple[str, ...] = ("export", "--db", "{db}", "--evaluation", EVALUATION,
                                "--out", "{out}")

PLAIN_SQL = (
    "SELECT e.name, c.code, s.perspective, s.questionnaire_id, a.question_id, a.status,"
    " a.score, a.value, a.toelichting, a.reason FROM answer a JOIN session s ON s.id = a.session_id"
    " JOIN cases c ON c.id = s.case_id JOIN evaluation e ON e.id = c.evaluation_id"
    " ORDER BY e.name, c.code, s.perspective, a.question_id")
READ_RUNS = 5
RUNS = 3
MAX_RATIO = 2.0
MAX_SECONDS = 3.0
# The baseline: the same rows read with plain sqlite3, the same files written with plain
# Python (bytes from a pickle of an earlier export, made before timing).
PLAIN_WRITE = f"""
import os, pickle, sqlite3, sys
db, pack, out = sys.argv[1:4]
rows = sqlite3.connect(db).execute({PLAIN_SQL!r}).fetchall()
with open(pack, "rb") as fh:
    files = pickle.load(fh)
for rel, data in files:
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
print(len(rows), len(files))
"""


# The floor: `zet export`'s start-up (the CLI and the exporters) plus its read and analysis.
FLOOR = f"""
import sys
from zet_tui.cli import main
from zet_tui.core.store import Store
from zet_tui.export.runner import load, select
with Store.open(sys.argv[1], create=False) as store:
    sel = select(store, evaluation={EVALUATION!r})
    print(sum(len(a) for a in load(store, sel.evaluation, sel.sessions).answers.values()))
"""


def make_database(path: Path, workdir: Path, sessions: int = 1000, answers: int = 40) -> int:
    """Evaluation, cases and sessions through the Store; answers and their events in one
    bulk transaction (40,000 separate fsyncs would measure the disk, not the export)."""
    q = write_questionnaire(workdir / "export.md", answers, conditions=False)
    qids = [x.id for x in q.questions()]
    with Store.open(path) as store:
        ev = store.create_evaluation(EVALUATION, "Testgemeente")
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


def _median(run: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def file_sizes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pack_files(folder: Path, pack: Path) -> None:
    files = [(str(p.relative_to(folder)), p.read_bytes())
             for p in sorted(folder.rglob("*")) if p.is_file()]
    pack.write_bytes(pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))


def plain_read(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return len(conn.execute(PLAIN_SQL).fetchall())
    finally:
        conn.close()


def export_read(db: Path) -> int:
    """The store reads of one whole-evaluation export (`data.load` minus the analysis)."""
    from zet_tui.export.runner import select

    with Store.open(db, create=False) as store:
        selection = select(store, evaluation=EVALUATION)
        ids = [s.id for s in selection.sessions]
        store.cases(selection.evaluation.id)
        answers = store.export_answers(ids)
        store.notes_for_sessions(ids)
    return sum(len(a) for a in answers.values())


def export_phases(db: Path, workdir: Path) -> dict[str, float]:
    """CPU seconds per part of an in-process export, the cycle collector off as in `run_export`:
    read and analysis (`load`), the findings, then each format (md creates ~1,500 files)."""
    import gc

    from zet_tui.export.data import load
    from zet_tui.export.runner import FORMATS, select, write_export

    phases: dict[str, float] = {}
    gc.disable()
    try:
        with Store.open(db, create=False) as store:
            t0 = time.process_time()
            selection = select(store, evaluation=EVALUATION)
            data = load(store, selection.evaluation, selection.sessions)
            phases["load"] = time.process_time() - t0
            t0 = time.process_time()
            _ = data.findings
            phases["findings"] = time.process_time() - t0
            os.environ["ZET_EXPORT_SEQUENTIAL"] = "1"
            for fmt in FORMATS:
                folder = Path(tempfile.mkdtemp(prefix=f"phase-{fmt}-", dir=workdir))
                t0 = time.process_time()
                write_export(data, folder, (fmt,))
                phases[fmt] = time.process_time() - t0
    finally:
        os.environ.pop("ZET_EXPORT_SEQUENTIAL", None)
        gc.enable()
    return phases


def file_creation_ms(workdir: Path, n: int = 300) -> float:
    """Milliseconds to create and write one 8 KB file here (a transcript's size), median of `n`."""
    folder = Path(tempfile.mkdtemp(prefix="create-", dir=workdir))
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fd = os.open(folder / f"f{i}.md", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.write(fd, b"x" * 8192)
        os.close(fd)
        samples.append(time.perf_counter() - t0)
    shutil.rmtree(folder)
    return statistics.median(samples) * 1000


def export_figures(workdir: Path) -> list[Figure]:
    name = "export 1,000 sessions x 40 answers"
    target = f"<= {MAX_SECONDS:g} s and <= {MAX_RATIO:g}x plain write"
    read_name, read_target = "export data read (same rows)", "<= 3x plain read"
    if "zet_tui.commands.export" not in COMMAND_MODULES:
        reason = "n/a (exports not on main yet: no 'zet export')"
        return [not_available(name, target, reason), not_available(read_name, read_target, reason)]
    db = workdir / "export.db"
    rows = make_database(db, workdir)
    figures: list[Figure] = []

    # 1. The whole export against plain Python writing the same files, fresh processes.
    def export(out: Path) -> tuple[float, subprocess.CompletedProcess[str], Path | None]:
        args = [a.format(out=out, db=db) for a in EXPORT_ARGS]
        seconds, proc = _timed([sys.executable, "-m", "zet_tui", *args])
        folder = Path(proc.stdout.strip()) if proc.returncode == 0 else None
        return seconds, proc, folder

    _, first, reference = export(workdir / "export-first")  # warms the cache, makes the files
    if reference is None:
        figures.append(Figure(name, None, "s", target, False,
                              note=f"zet export failed ({first.returncode}): "
                                   f"{first.stderr.strip()[-300:]}"))
    else:
        pack = workdir / "files.pickle"
        pack_files(reference, pack)
        expected = file_sizes(reference)
        shutil.rmtree(workdir / "export-first")
        export_s, plain_s, floor_s, problems = [], [], [], []
        for run in range(RUNS):
            seconds, floor = _timed([sys.executable, "-c", FLOOR, str(db)])
            if floor.returncode != 0 or floor.stdout.split() != [str(rows)]:
                problems.append(f"floor failed: {floor.stderr.strip()[-200:]}")
            floor_s.append(seconds)
            plain_out = workdir / f"plain-{run}"
            seconds, plain = _timed([sys.executable, "-c", PLAIN_WRITE, str(db), str(pack),
                                     str(plain_out)])
            if plain.returncode != 0 or plain.stdout.split() != [str(rows), str(len(expected))]:
                problems.append(f"plain write failed: {plain.stderr.strip()[-200:]}")
            plain_s.append(seconds)
            seconds, proc, folder = export(workdir / f"export-{run}")
            if folder is None:
                problems.append(f"zet export failed: {proc.stderr.strip()[-200:]}")
            elif file_sizes(folder) != expected or file_sizes(plain_out) != expected:
                problems.append("the export and the plain write differ in files or sizes")
            export_s.append(seconds)
            shutil.rmtree(plain_out, ignore_errors=True)
            shutil.rmtree(workdir / f"export-{run}", ignore_errors=True)
        seconds, baseline = statistics.median(export_s), statistics.median(plain_s)
        floor_median = statistics.median(floor_s)
        create_ms = file_creation_ms(workdir)
        phases = export_phases(db, workdir)
        split = ", ".join(f"{k} {v:.2f}" for k, v in phases.items())
        ok = not problems and seconds <= MAX_SECONDS and seconds <= MAX_RATIO * baseline
        figures.append(Figure(
            name, seconds, "s", target, ok, baseline,
            f"plain Python: sqlite3 read of the same {rows} rows + the same "
            f"{len(expected)} files ({sum(expected.values()) / 1e6:.1f} MB), fresh process",
            note=(f"median of {RUNS} alternating runs (export {', '.join(f'{x:.2f}' for x in export_s)} s;"
                  f" plain {', '.join(f'{x:.2f}' for x in plain_s)} s). Floor (start-up, read and"
                  f" analysis, nothing written) {floor_median:.2f} s = {floor_median / baseline:.2f}x plain."
                  f" Creating an 8 KB file here: {create_ms:.2f} ms. In process, CPU s: {split}"
                  + (f". PROBLEM: {problems[0]}" if problems else "")),
            details={"rows": rows, "files": len(expected), "bytes": sum(expected.values()),
                     "export_s": export_s, "plain_s": plain_s, "floor_s": floor_s,
                     "file_create_ms": create_ms, "phases_cpu_s": phases}))

    # 2. The data read against the plain read, both in this process.
    if export_read(db) != rows or plain_read(db) != rows:  # also warms the page cache
        figures.append(not_available(read_name, read_target, "n/a (row counts differ)"))
        return figures
    plain_in = _median(lambda: plain_read(db), READ_RUNS)
    read_in = _median(lambda: export_read(db), READ_RUNS)
    figures.append(Figure(
        read_name, read_in, "s", read_target, read_in <= 3 * plain_in, plain_in,
        f"plain sqlite3 fetchall of the same {rows} rows, in process",
        note=f"in process, fresh connection per run, median of {READ_RUNS}; the export read "
             "builds Answer objects and also reads sessions, cases and notes",
        details={"rows": rows, "runs": READ_RUNS}))
    return figures
