"""SIGKILL at random moments while answers are being saved (see tests/reliability)."""

from __future__ import annotations

from pathlib import Path

from reliability_harness import kill_series, start_session, write_questionnaire

from benchlib.common import Figure
from zet_tui.core.store import Store


def crash_figure(workdir: Path, runs: int = 50, seed: int = 20) -> Figure:
    q = write_questionnaire(workdir / "crash.md", 150)
    db = workdir / "crash.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
    results = kill_series(db, sid, runs, seed=seed, max_delay=0.8)
    failed = [(i, r.problems) for i, r in enumerate(results) if r.problems]
    saved = sum(r.log.n_saved for r in results)
    mid_write = sum(1 for r in results if r.log.n_saved > 0)
    note = (f"{runs} kills ({mid_write} while saving), {saved} answers shown as saved; "
            "checked: none missing, integrity_check ok, resume on the first open question")
    if failed:
        note = f"{len(failed)} of {runs} runs failed; first: run {failed[0][0]}: {failed[0][1][:3]}"
    return Figure("crash safety: SIGKILL runs without loss", runs - len(failed), "runs",
                  f"{runs} of {runs}", not failed and mid_write > runs // 2, note=note,
                  details={"runs": runs, "failed": len(failed), "saved": saved,
                           "killed_while_saving": mid_write})
