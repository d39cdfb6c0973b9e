"""Two real `zet` processes on one session, in tmux: one writes, the other reads along;
after `kill -9` of the writer nobody is locked out."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_tmux import MINI, Pane

from zet_tui.core.store import Session, Store

pytestmark = pytest.mark.slow


def _start(name: str, command: str) -> Pane:
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                   check=True)
    return Pane(name)


def _lease_pid(store: Store, session_id: str, other_than: int = 0, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lease = store.lease(session_id)
        if lease is not None and lease.pid != other_than:
            return lease.pid
        time.sleep(0.1)
    raise AssertionError("no lease written")


def test_second_process_reads_along_and_a_killed_writer_locks_nobody_out(
        db_path: Path, open_session: Session, store: Store) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is niet geïnstalleerd (scripts/test installeert het via apt)")
    zet = Path(sys.executable).parent / "zet"
    sid = open_session.id
    command = (f"env ZET_DB={shlex.quote(str(db_path))} ZET_QUESTIONNAIRES={shlex.quote(str(MINI))} "
               f"TERM=xterm-256color {shlex.quote(str(zet))} tui --session {sid}")
    names = [f"zet-lease-{os.getpid()}-{i}" for i in range(3)]
    try:
        writer = _start(names[0], command)
        writer.wait_for("Vraag 1 van 6 · Wist u waar u terecht kon?")
        writer_pid = _lease_pid(store, sid)

        reader = _start(names[1], command)
        reader.wait_for("Alleen lezen: Anna (op deze computer, proces")
        reader.keys("5", "C-s")  # refused: nothing is written from the reading app

        writer.keys("4", "C-s")
        writer.wait_for("Vraag 2 van 6 · Moest u lang wachten?")
        # the reader follows: the answer and the writer's new position
        reader.wait_for("Vraag 2 van 6 · Moest u lang wachten?")
        reader.wait_for("goed (4/5)")

        os.kill(writer_pid, signal.SIGKILL)  # no clean exit: the lease stays behind
        # a new app after the crash writes at once (the old process is gone) ...
        restarted = _start(names[2], command)
        restarted.wait_for("Vraag 2 van 6 · Moest u lang wachten?")
        assert "Alleen lezen" not in restarted.text()
        restarted.keys("1", "C-s")
        restarted.wait_for("Vraag 3 van 7 · Hoe was het wachten?")
        # ... and the reading app now names that one as the writer, and follows it
        reader.wait_for("Vraag 3 van 7 · Hoe was het wachten?")
        assert _lease_pid(store, sid) != writer_pid
    finally:
        for name in names:
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
    answers = store.answers(sid)
    assert answers["toegang.wist-waar"].score == 4  # the reader's "5" never reached the file
    assert answers["toegang.wachten"].value == "ja"
    kinds = [e.kind for e in store.events(sid)]
    assert kinds.count("session_claimed") == 1 and kinds.count("session_taken_over") == 1
