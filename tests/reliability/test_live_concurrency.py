"""Interviewer and reviewer on one database file, in two processes.

The interviewer saves a burst of answers as fast as it can while this process
does what the review screen does (poll data_version, reload answers and notes,
compute coverage, add flags). WAL + BEGIN IMMEDIATE + busy timeout must make
that work without a single "database is locked".
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from review_data import answer_all, save, setup_case

from zet_tui.core.coverage import session_coverage
from zet_tui.core.questionnaire import Question, Questionnaire, Theme
from zet_tui.core.store import Store, StoreError

BURST = 300

WRITER = textwrap.dedent("""
    import sys
    import time
    from zet_tui.core.answers import Answer
    from zet_tui.core.store import Store
    from zet_tui.core.vocab import AnswerStatus
    db, sid, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(db)
    print("start", flush=True)
    for i in range(n):
        store.save_answer(sid, Answer(f"t{i // 30}.q{i}", AnswerStatus.ANSWERED, score=i % 5 + 1,
                                      toelichting=f"toelichting {i}"), actor="Ilse")
        # 2 ms apart: still a hundred times faster than any interviewer, and on a fast disk
        # the whole burst no longer ends before the reviewer has looked twice
        time.sleep(0.002)
    store.close()
    print("klaar", flush=True)
""")


def big_questionnaire() -> Questionnaire:
    themes = tuple(
        Theme(id=f"t{t}", title=f"Thema {t}", questions=tuple(
            Question(id=f"t{t}.q{i}", theme_id=f"t{t}", text=f"Vraag {i}?")
            for i in range(t * 30, t * 30 + 30)))
        for t in range(BURST // 30)
    )
    return Questionnaire(id="groot", title="Groot", perspective="inwoner", version="1", themes=themes)


def test_burst_of_answers_while_reviewer_polls_and_flags(store: Store, db_path: Path) -> None:
    ev = store.create_evaluation("Burst")
    case = store.add_case(ev.id, "B-1")
    sid = store.start_session(case.id, big_questionnaire(), consent_given=True, consent_by="Fictief").id
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), sid, str(BURST)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    reviewer = Store.open(db_path)
    errors: list[str] = []
    reloads = flags = 0
    seen_version = -1
    started = time.monotonic()
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "start"
        while writer.poll() is None or reloads == 0:
            try:
                version = reviewer.data_version()
                if version != seen_version:
                    seen_version = version
                    session = reviewer.session(sid)
                    answers = reviewer.answers(sid)
                    reviewer.notes(sid)
                    session_coverage(session, answers)
                    reloads += 1
                    # the first reload already flags: under load the reviewer may
                    # reload only a few times while the writer bursts
                    if reloads % 10 == 1:
                        reviewer.add_note(sid, f"vraag door bij {len(answers)}", kind="flag",
                                          theme_id="t0", author="Rob")
                        flags += 1
            except StoreError as exc:  # the store maps "locked"/"busy" to a StoreError
                errors.append(str(exc))
            time.sleep(0.002)
            assert time.monotonic() - started < 60, "writer hangs"
        _, stderr = writer.communicate(timeout=30)
        elapsed = time.monotonic() - started
        assert writer.returncode == 0, stderr
        assert "locked" not in stderr and "bezet" not in stderr
        assert errors == []
        answers = reviewer.answers(sid)
        assert len(answers) == BURST
        assert answers[f"t9.q{BURST - 1}"].toelichting == f"toelichting {BURST - 1}"
        assert len([n for n in reviewer.notes(sid) if n.kind == "flag"]) == flags
        assert sum(1 for e in reviewer.events(sid) if e.kind == "answer_created") == BURST
        assert reloads > 1 and flags >= 1
        assert session_coverage(reviewer.session(sid), answers).complete
        print(f"burst {BURST} answers in {elapsed:.2f}s, reviewer reloads {reloads}, flags {flags}")
    finally:
        if writer.poll() is None:
            writer.kill()
        reviewer.close()


def _reader(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def _wait_line(lines: queue.Queue[str], needle: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if needle in line:
            return line
    raise AssertionError(f"'{needle}' niet gezien")


def test_watch_redraws_when_the_interviewer_saves(store: Store, db_path: Path, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zet_tui", "coverage", "--db", str(db_path), "--session", sid,
         "--watch", "--interval", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        _wait_line(lines, "Nog niet alles besproken.")
        save(store, sid, "toegang.wist-waar", score=3, toelichting="")
        assert "◐ deels 1/2" in _wait_line(lines, "Toegang")
        started = time.monotonic()
        answer_all(store, sid)
        _wait_line(lines, "Alles besproken.")
        assert time.monotonic() - started < 3
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0  # Ctrl-C: clean exit with the last state (all covered)
        assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
