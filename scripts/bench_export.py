"""Time `zet export` on a large database: N sessions x M answers, every format.

    python scripts/bench_export.py [--sessions 1000] [--answers 40] [--keep DIR]

Compares the export with a plain sqlite3 read of the same rows (the floor any
export has to pay). Data are generated through the Store for evaluations,
cases and sessions, and with one bulk INSERT for the answers (40,000 separate
fsynced transactions would only time the disk).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store, now
from zet_tui.core.vocab import AnswerType
from zet_tui.export import data as export_data
from zet_tui.export.runner import FORMATS, export_all

FIXTURES = Path(__file__).resolve().parents[1] / "questionnaires"
WORDS = ("de", "hulp", "kwam", "laat", "maar", "was", "goed", "niet", "wij", "zij", "gesprek",
         "plan", "thuis", "school", "buurt", "wachten", "contact", "afspraak", "samen")


def questionnaires() -> dict[str, Questionnaire]:
    from zet_tui.core.demo import demo_questionnaires

    return demo_questionnaires(FIXTURES)


def value_for(q: object, rng: random.Random) -> tuple[int | None, str | None]:
    from zet_tui.core.questionnaire import Question

    assert isinstance(q, Question)
    if q.is_scaled:
        return rng.randint(1, q.scale_def.size), None
    match q.type:
        case AnswerType.YES_NO:
            return None, rng.choice(("ja", "nee"))
        case AnswerType.CHOICE:
            return None, rng.choice(q.options) if q.options else "x"
        case AnswerType.DATE:
            return None, f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        case AnswerType.NUMBER:
            return None, str(rng.randint(0, 20))
    return None, " ".join(rng.choice(WORDS) for _ in range(8))


def build(path: Path, n_sessions: int, n_answers: int) -> None:
    rng = random.Random(1)
    qs = questionnaires()
    perspectives = ("inwoner", "professional", "dossier")
    with Store.open(path) as store:
        ev = store.create_evaluation("Benchmark")
        rows = []
        case_id = ""
        for i in range(n_sessions):
            p = perspectives[i % 3]
            if i % 3 == 0:
                case_id = store.add_case(ev.id, f"B-{i // 3:04d}").id
            s = store.start_session(case_id, qs[p], interviewer="A", consent_given=True,
                                    consent_by="x")
            for q in list(s.questionnaire.questions())[:n_answers]:
                score, value = value_for(q, rng)
                toelichting = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25)))
                rows.append((s.id, q.id, "answered", score, value, toelichting, "", "[0]", now(),
                             "A"))
        with store.write() as c:
            c.executemany("INSERT INTO answer (session_id, question_id, status, score, value,"
                          " toelichting, reason, probes_asked, updated, updated_by)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def plain_read(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    conn = sqlite3.connect(path)
    n = len(conn.execute("SELECT * FROM answer").fetchall())
    conn.execute("SELECT * FROM session").fetchall()
    conn.close()
    return time.perf_counter() - t, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--answers", type=int, default=40)
    ap.add_argument("--keep", type=Path, help="keep the database and export here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="zet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if not db.exists():
        t = time.perf_counter()
        build(db, args.sessions, args.answers)
        print(f"data generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    plain, n = min(plain_read(db) for _ in range(3))
    results: dict[str, float] = {"plain_read_s": plain, "answers": n}
    with Store.open(db) as store:
        t = time.perf_counter()
        sessions = store.sessions()
        ev = store.evaluations()[0]
        data = export_data.load(store, ev, sessions)
        results["load_and_analyse_s"] = time.perf_counter() - t
        reads = []
        for _ in range(3):
            t = time.perf_counter()
            sessions = store.sessions()
            store.export_answers([s.id for s in sessions])
            reads.append(time.perf_counter() - t)
        results["store_read_s"] = min(reads)
        del data
        for fmt in FORMATS:
            t = time.perf_counter()
            export_all(store, store.sessions(), work / f"out-{fmt}", [fmt])
            results[f"export_{fmt}_s"] = time.perf_counter() - t
        t, cpu = time.perf_counter(), time.process_time()
        export_all(store, store.sessions(), work / "out-all", FORMATS)
        results["export_all_formats_s"] = time.perf_counter() - t
        results["export_all_formats_cpu_s"] = time.process_time() - cpu
    results["store_read_vs_plain"] = results["store_read_s"] / plain
    results["export_all_vs_plain"] = results["export_all_formats_s"] / plain
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in results.items()},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
