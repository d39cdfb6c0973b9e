"""A second Store on the same file in one process must not cost the first its file locks.

POSIX record locks belong to the process: closing *any* descriptor of the database
file drops them all. Opening a second Store used to read the file header with a
plain open()/close(), after which another process, closing its last connection,
believed it was the last one and deleted the -wal and -shm files under the running
app: its commits from then on went to a deleted file, invisible to the reviewer
(found with the interview app's heartbeat thread, which opens its own Store).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

READ = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('SELECT count(*) FROM answer').fetchone()[0]); c.close()")


def other_process_count(db_path: Path) -> int:
    out = subprocess.run([sys.executable, "-c", READ, str(db_path)], capture_output=True,
                         text=True, check=True).stdout
    return int(out)


def test_commits_stay_visible_after_a_second_store_in_the_same_process(
        db_path: Path, mini: Questionnaire) -> None:
    app = Store.open(db_path)
    ev = app.create_evaluation("Locks")
    case = app.add_case(ev.id, "L-01")
    sid = app.start_session(case.id, mini, consent_given=True, consent_by="inwoner").id
    worker = Store.open(db_path)  # e.g. the heartbeat thread or an export worker
    worker.close()
    assert other_process_count(db_path) == 0  # another process opens and closes the file
    app.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    assert db_path.with_name(db_path.name + "-wal").exists()
    assert other_process_count(db_path) == 1
    app.close()
