"""Commit latency of one answer (synchronous=FULL, real file), against plain sqlite3.

The two are interleaved commit by commit on two files in the same folder, so a
burst of disk or CPU contention hits both alike; on a shared machine the fsync
time swings by 10x from one second to the next.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from reliability_harness import start_session, write_questionnaire

from benchlib.common import Figure, percentile
from zet_tui.core.answers import Answer
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus


def _plain(path: Path) -> sqlite3.Connection:
    """The floor: one small upsert per transaction, same pragmas, no store code."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, txt TEXT)")
    return conn


def interleaved_commits(workdir: Path, n: int) -> tuple[list[float], list[float]]:
    q = write_questionnaire(workdir / "commit.md", 200, conditions=False)
    questions = [x.id for x in q.questions()]
    ours: list[float] = []
    plain: list[float] = []
    conn = _plain(workdir / "plain.db")
    with Store.open(workdir / "commit.db") as store:
        sid = start_session(store, q)
        for i in range(n):
            text = "toelichting " * 8 + str(i)
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?,?,?) ON CONFLICT (k) DO UPDATE SET v = excluded.v,"
                         " txt = excluded.txt", (f"q{i % 200}", i, text))
            conn.execute("COMMIT")
            plain.append((time.perf_counter() - t0) * 1000)
            answer = Answer(questions[i % len(questions)], AnswerStatus.ANSWERED, score=1 + i % 5,
                            toelichting=text)
            t0 = time.perf_counter()
            store.save_answer(sid, answer, actor="bench")
            ours.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return ours, plain


def commit_figures(workdir: Path, n: int = 1000) -> list[Figure]:
    ours, plain = interleaved_commits(workdir, n)
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(plain, 50), percentile(plain, 99)
    label = f"plain sqlite3 upsert+COMMIT, WAL, synchronous=FULL, interleaved ({n} commits each)"
    return [
        Figure("commit of one answer, p50", p50, "ms", "-", True, b50, label, details={"n": n}),
        Figure("commit of one answer, p99", p99, "ms", "p99 <= 5 ms", p99 <= 5.0, b99, label,
               note=_floor_note(p99, b99),
               details={"n": n, "max_ms": max(ours), "baseline_max_ms": max(plain),
                        "over_5ms": sum(1 for x in ours if x > 5.0),
                        "baseline_over_5ms": sum(1 for x in plain if x > 5.0)}),
    ]


def _floor_note(p99: float, b99: float) -> str:
    """Say so when the disk, not zet-tui, decides the p99: fsync time dominates a commit."""
    if p99 > 5.0 and b99 > 5.0:
        return (f"the plain sqlite3 floor on this disk is itself {b99:.1f} ms at p99 "
                "(fsync latency); zet-tui writes the answer and its audit event in one commit")
    return ""
