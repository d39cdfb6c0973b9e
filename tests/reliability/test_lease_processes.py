"""The writer's lease between real processes (no terminal needed): a live holder keeps its
session, `kill -9` frees it at once, and a refused answer never reaches the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store, StoreError
from zet_tui.core.vocab import AnswerStatus

HOLDER = textwrap.dedent("""
    import sys, time
    from zet_tui.core.lease import LeaseKeeper
    from zet_tui.core.store import Store
    db, sid = sys.argv[1], sys.argv[2]
    with Store.open(db) as store:
        assert store.claim_session(sid, "proces-a", interviewer="Anna") is None
    keeper = LeaseKeeper(db, sid, "proces-a", on_lost=print, interval=0.2)
    keeper.start()
    print("houdt", flush=True)
    time.sleep(60)
""")


def test_live_holder_keeps_the_session_until_killed(store: Store, db_path: Path,
                                                    mini: Questionnaire) -> None:
    ev = store.create_evaluation("Twee processen")
    case = store.add_case(ev.id, "P-01")
    sid = store.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                              consent_by="inwoner").id
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), sid],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "houdt"
        other = store.claim_session(sid, "proces-b", interviewer="Bea")
        assert other is not None and other.pid == holder.pid and not other.is_free()
        with pytest.raises(StoreError, match=r"Anna .*werkt nu in deze sessie"):
            store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=5),
                              holder="proces-b")
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        # no clean exit, a fresh heartbeat: still the session is free at once
        assert store.claim_session(sid, "proces-b", interviewer="Bea") is None
        store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4),
                          holder="proces-b")
    finally:
        if holder.poll() is None:
            holder.kill()
    assert store.answers(sid)["toegang.wist-waar"].score == 4
    taken = [e for e in store.events(sid) if e.kind == "session_taken_over"]
    assert len(taken) == 1 and taken[0].old["reason"] == "proces gestopt"
