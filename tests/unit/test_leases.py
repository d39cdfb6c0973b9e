"""The writer's lease of a session: claim, heartbeat, takeover, release; notes know their role."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.lease import STALE_SECONDS, Lease, LeaseKeeper, pid_alive
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import NoteRole, Store, StoreError
from zet_tui.core.vocab import AnswerStatus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def start(store: Store, mini: Questionnaire) -> str:
    ev = store.create_evaluation("Leases")
    case = store.add_case(ev.id, "L-01")
    return store.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                               consent_by="inwoner").id


def age_heartbeat(db_path: Path, session_id: str, seconds: float) -> None:
    """As if the holder's last heartbeat was `seconds` ago."""
    stamp = (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE session_lease SET heartbeat = ? WHERE session_id = ?",
                     (stamp, session_id))


def start_second(store: Store, mini: Questionnaire) -> str:
    case = store.add_case(store.evaluations()[0].id, "L-02")
    return store.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                               consent_by="inwoner").id


def _none() -> Lease:
    return Lease("", "", 0, "", "", "", "")


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not reached")


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_second_claim_gets_the_first_lease_back(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    assert store.claim_session(sid, "app-a", interviewer="Anna", question_id="toegang.wist-waar",
                               theme_id="toegang") is None
    other = store.claim_session(sid, "app-b", interviewer="Anna")
    assert other is not None and other.holder == "app-a" and other.theme_id == "toegang"
    assert not other.is_free()
    # the same app may claim again (a screen opened a second time)
    assert store.claim_session(sid, "app-a", interviewer="Anna") is None
    assert [e.kind for e in store.events(sid)].count("session_claimed") == 1


def test_stale_lease_is_taken_over(store: Store, db_path: Path, mini: Questionnaire) -> None:
    sid = start(store, mini)
    assert store.claim_session(sid, "app-a", host="andere-laptop") is None
    age_heartbeat(db_path, sid, STALE_SECONDS - 5)
    assert store.claim_session(sid, "app-b") is not None  # still alive: its heartbeat is recent
    age_heartbeat(db_path, sid, STALE_SECONDS + 1)
    assert store.claim_session(sid, "app-b", interviewer="Bea") is None
    lease = store.lease(sid)
    assert lease is not None and lease.holder == "app-b" and lease.interviewer == "Bea"
    taken = [e for e in store.events(sid) if e.kind == "session_taken_over"]
    assert taken and taken[0].old["reason"] == "geen hartslag"
    assert "andere-laptop" not in str(taken[0].old)  # no hostnames in the audit log


def test_dead_process_on_this_computer_is_taken_over_at_once(store: Store,
                                                              mini: Questionnaire) -> None:
    sid = start(store, mini)
    pid = dead_pid()
    assert not pid_alive(pid)
    assert store.claim_session(sid, "app-a", pid=pid) is None
    assert store.claim_session(sid, "app-b") is None  # fresh heartbeat, but nobody home
    # a live process on another computer is not guessed dead by its pid
    sid2 = start_second(store, mini)
    assert store.claim_session(sid2, "app-a", pid=pid, host="andere-laptop") is None
    assert store.claim_session(sid2, "app-b") is not None


def test_heartbeat_position_loss_and_release(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    assert store.claim_session(sid, "app-a") is None
    assert store.renew_lease(sid, "app-a", question_id="plan.datum", theme_id="plan") is None
    lease = store.lease(sid)
    assert lease is not None and (lease.question_id, lease.theme_id) == ("plan.datum", "plan")
    assert store.live_leases().keys() == {sid}
    store.release_lease(sid, "app-b")  # not its lease: nothing happens
    assert store.lease(sid) is not None
    store.release_lease(sid, "app-a", actor="Anna")
    assert store.lease(sid) is None and store.live_leases() == {}
    # a heartbeat after the lease was given up (or purged) learns it lost the session
    lost = store.renew_lease(sid, "app-a")
    assert lost is not None and lost.holder == ""
    kinds = [e.kind for e in store.events(sid)]
    assert kinds.count("session_claimed") == 1 and kinds.count("session_released") == 1


def test_answers_are_refused_while_another_app_writes(store: Store, db_path: Path,
                                                      mini: Questionnaire) -> None:
    sid = start(store, mini)
    answer = Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4)
    assert store.claim_session(sid, "app-a") is None
    store.save_answer(sid, answer, holder="app-a")
    store.save_answer(sid, answer)  # the CLI, merge and tests hold no lease
    with pytest.raises(StoreError, match="andere app"):
        store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"),
                          holder="app-b")
    assert "toegang.wachten" not in store.answers(sid)
    age_heartbeat(db_path, sid, STALE_SECONDS + 1)  # the writer is gone: nobody is locked out
    store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"),
                      holder="app-b")


def test_keeper_renews_reports_position_and_notices_a_takeover(
        store: Store, db_path: Path, mini: Questionnaire) -> None:
    sid = start(store, mini)
    assert store.claim_session(sid, "app-a") is None
    lost: list[Lease | None] = []
    keeper = LeaseKeeper(db_path, sid, "app-a", on_lost=lost.append, interval=0.05)
    keeper.start()
    try:
        keeper.set_position("plan.wie", "plan")
        wait_until(lambda: (store.lease(sid) or _none()).question_id == "plan.wie")
        age_heartbeat(db_path, sid, STALE_SECONDS + 1)
        wait_until(lambda: not (store.lease(sid) or _none()).is_stale())  # renewed
        # another app takes the lease (say this one was stopped for a while)
        with sqlite3.connect(db_path) as conn:
            conn.execute("UPDATE session_lease SET holder = 'app-b' WHERE session_id = ?", (sid,))
        wait_until(lambda: bool(lost))
        assert lost[0] is not None and lost[0].holder == "app-b"
    finally:
        keeper.stop()


def test_purge_removes_the_lease(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    assert store.claim_session(sid, "app-a") is None
    case_id = store.session(sid).case_id
    store.purge_case(case_id)
    assert store.conn.execute("SELECT count(*) FROM session_lease").fetchone()[0] == 0


def test_note_roles_and_upgrade_of_older_notes(store: Store, tmp_path: Path,
                                               mini: Questionnaire) -> None:
    sid = start(store, mini)
    own = store.add_note(sid, "let op toon", author="Anna", role=NoteRole.INTERVIEWER)
    other = store.add_note(sid, "vraag door", kind="flag", author="Rob")
    assert [(n.id, n.by_reviewer) for n in store.notes(sid)] == [(own.id, False), (other.id, True)]
    with pytest.raises(StoreError, match="onbekende rol"):
        store.add_note(sid, "x", role="analist")
    # a file of the first schema: the interviewer's note (by name) becomes the interviewer's
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO note (id, session_id, kind, text, author, created) VALUES"
                     " ('n-own', 's1', 'note', 'eigen', 'Interviewer A', '2025-01-01T10:00')")
    with Store.open(path) as old:
        roles = {n.author: n.role for n in old.notes("s1")}
    assert roles == {"Notulist B": NoteRole.REVIEWER, "Interviewer A": NoteRole.INTERVIEWER}


def test_a_killed_process_not_yet_reaped_counts_as_gone() -> None:
    """After kill -9 the process is a zombie until its parent waits for it: it will never write again."""
    import signal
    import subprocess
    import sys
    import time

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(child.pid)
        child.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while pid_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not pid_alive(child.pid)  # not reaped yet: we have not called wait()
    finally:
        child.kill()
        child.wait()
