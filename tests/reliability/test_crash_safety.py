"""SIGKILL a process that is saving answers; nothing shown as saved may be lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_harness import (
    CrashLog,
    kill_series,
    start_session,
    verify_after_kill,
    write_questionnaire,
)

from zet_tui.core.store import Store


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    q = write_questionnaire(tmp_path / "lang.md", 120)
    db = tmp_path / "zet.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
    results = kill_series(db, sid, runs=6, seed=7, max_delay=0.5)
    problems = [f"run {i} (kill after {r.delay:.2f}s): {p}"
                for i, r in enumerate(results) for p in r.problems]
    assert not problems, "\n".join(problems)
    # the runs really wrote between kills, and resumed where they stopped
    assert sum(r.log.n_saved for r in results) > 20
    assert sum(1 for r in results if r.log.n_saved > 0) >= 4


def test_check_catches_a_lost_answer(tmp_path: Path) -> None:
    """The checker itself must fail when an answer shown as saved is not there."""
    q = write_questionnaire(tmp_path / "kort.md", 12)
    db = tmp_path / "zet.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
    log = CrashLog.parse('RESUME t1.v1\nREADY\nSAVING t1.v1 [4, null, "x"]\nSAVED t1.v1\n'
                         'SAVING t1.v2 [2, null, "y"]\n')
    assert log.saved == {"t1.v1": [4, None, "x"]} and log.in_flight is not None
    problems = verify_after_kill(db, sid, log)
    assert problems == ["t1.v1: shown as saved but missing"]
