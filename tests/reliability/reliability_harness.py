"""Shared by the reliability tests and `scripts/bench`: generated questionnaires,
sessions, and the kill-and-check logic of the crash-safety test.

The kill check does not care what wrote the database: any driver that prints
`SAVING <qid> <json>` before a save and `SAVED <qid>` after the store returned
(flushed at once) can be checked, whether it is `crash_driver.py` or, later,
the real app under Pilot.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zet_tui.core.answers import Answer
from zet_tui.core.interview import Interview
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_or_raise
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus
from zet_tui.export.runner import export_all

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "crash_driver.py"


def questionnaire_markdown(n_questions: int, *, per_theme: int = 10, conditions: bool = True,
                           qid: str = "lang", perspective: str = "inwoner") -> str:
    """A valid questionnaire of `n_questions`: mostly smileys; with `conditions`, every
    tenth question is ja/nee and the next one is only shown after 'ja'."""
    lines = ["---", f"id: {qid}", f"titel: Lange vragenlijst ({n_questions} vragen)",
             f"perspectief: {perspective}", "versie: 1", "---", "",
             "Een gegenereerde vragenlijst voor tests en metingen.", ""]
    for i in range(n_questions):
        if i % per_theme == 0:
            t = i // per_theme + 1
            lines += [f"# Thema {t} {{#t{t}}}", "", f"Inleiding bij thema {t}.", ""]
        t = i // per_theme + 1
        lines += [f"## Hoe ging onderdeel {i + 1}? {{#t{t}.v{i + 1}}}", "",
                  f"Hulptekst bij vraag {i + 1}.", ""]
        if conditions and i % 10 == 4:
            lines += ["- type: ja-nee", ""]
        elif conditions and i % 10 == 5:
            lines += [f"- toon-als: t{t}.v{i} = ja", ""]
        lines += ["Doorvragen:", "- Kunt u een voorbeeld geven?", "- Wat had beter gekund?", ""]
    return "\n".join(lines)


def write_questionnaire(path: Path, n_questions: int, **kwargs: Any) -> Questionnaire:
    path.write_text(questionnaire_markdown(n_questions, **kwargs), encoding="utf-8")
    return load_or_raise(path)


def start_session(store: Store, questionnaire: Questionnaire, *, code: str = "C-01",
                  evaluation: str = "Meting") -> str:
    ev = store.create_evaluation(evaluation, "Testgemeente")
    case = store.add_case(ev.id, code)
    return store.start_session(case.id, questionnaire, interviewer="Interviewer",
                               consent_given=True, consent_by="inwoner (mondeling)").id


def fill_answers(store: Store, session_id: str, questionnaire: Questionnaire, upto: int) -> None:
    """Answer the first `upto` visible questions in order (ja for ja/nee)."""
    iv = Interview(questionnaire, store.answers(session_id))
    for _ in range(upto):
        q = iv.current
        ans = iv.make_answer(score=3) if q.is_scaled else iv.make_answer(value="ja")
        iv.record(store.save_answer(session_id, ans, actor="meting"))
        if iv.next() is None:
            break


# -- crash safety -------------------------------------------------------------
@dataclass
class CrashLog:
    """What the driver printed before it was killed (complete lines only)."""

    resume: str | None = None
    ready: bool = False
    saved: dict[str, Any] = field(default_factory=dict)   # qid -> last value shown as saved
    in_flight: tuple[str, Any] | None = None               # SAVING without its SAVED
    n_saved: int = 0

    @classmethod
    def parse(cls, text: str) -> CrashLog:
        log = cls()
        complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
        pending: dict[str, Any] = {}
        for line in complete.splitlines():
            word, _, rest = line.partition(" ")
            if word == "RESUME":
                log.resume = rest
            elif word == "READY":
                log.ready = True
            elif word == "SAVING":
                qid, _, payload = rest.partition(" ")
                pending = {qid: json.loads(payload)}
                log.in_flight = (qid, pending[qid])
            elif word == "SAVED":
                if log.in_flight is None or log.in_flight[0] != rest:
                    raise AssertionError(f"SAVED {rest} without SAVING")
                log.saved[rest] = log.in_flight[1]
                log.in_flight = None
                log.n_saved += 1
        return log


def answer_payload(a: Answer) -> list[Any]:
    return [a.score, a.value, a.toelichting]


def expected_resume(questionnaire: Questionnaire, answers: dict[str, Answer]) -> str:
    """First open question, computed without the engine: the generated questionnaires
    only have `toon-als: X = ja` conditions on a ja/nee question, and every question is
    required, so this is "first shown question without an answer"."""
    shown: dict[str, bool] = {}
    last = ""
    for q in questionnaire.questions():
        visible = True
        if q.condition is not None:
            target = answers.get(q.condition.question_id)
            visible = shown.get(q.condition.question_id, False) and target is not None \
                and target.value == "ja"
        shown[q.id] = visible
        if visible:
            last = q.id
            if q.id not in answers:
                return q.id
    return last


def verify_after_kill(db: Path, session_id: str, log: CrashLog) -> list[str]:
    """Every problem found after a kill; empty means the run passed."""
    problems: list[str] = []
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if check != [("ok",)]:
        problems.append(f"integrity_check: {check[:3]}")
        return problems
    with Store.open(db, create=False) as store:
        answers = store.answers(session_id)
        questionnaire = store.session(session_id).questionnaire
    for qid, shown in log.saved.items():
        got = answers.get(qid)
        allowed = [shown]
        if log.in_flight is not None and log.in_flight[0] == qid:
            allowed.append(log.in_flight[1])  # committed, killed before it was shown
        if got is None:
            problems.append(f"{qid}: shown as saved but missing")
        elif answer_payload(got) not in allowed:
            problems.append(f"{qid}: stored {answer_payload(got)}, shown as saved {shown}")
    expected = expected_resume(questionnaire, answers)
    position = Interview(questionnaire, answers).position
    if position != expected:
        problems.append(f"resume at {position}, first open question is {expected}")
    return problems


@dataclass
class KillResult:
    log: CrashLog
    problems: list[str]
    delay: float
    expected_next: str


def kill_run(db: Path, session_id: str, delay: float, seed: int,
             previous_expected: str | None = None, *, after_ready: bool = True) -> KillResult:
    """Start the driver, SIGKILL it `delay` seconds after it said READY (or after
    the spawn, with `after_ready=False`, to hit start-up too), check the database.

    `previous_expected` is the first open question after the previous kill; the
    driver must resume exactly there (checked when it got far enough to say)."""
    out = db.with_name(f"driver-{seed}.out")
    with out.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "--db", str(db), "--session", session_id,
             "--seed", str(seed)],
            stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        if after_ready:  # a loaded machine may take seconds to import; wait for it
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline:
                if "READY\n" in out.read_text(encoding="utf-8", errors="replace"):
                    break
                time.sleep(0.005)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    text = out.read_text(encoding="utf-8", errors="replace")
    out.unlink()
    problems: list[str] = []
    if proc.returncode not in (-signal.SIGKILL, 0):
        problems.append(f"driver exited {proc.returncode}: {text[-500:]}")
    log = CrashLog.parse(text)
    if previous_expected is not None and log.resume is not None and log.resume != previous_expected:
        problems.append(f"driver resumed at {log.resume}, expected {previous_expected}")
    problems += verify_after_kill(db, session_id, log)
    with Store.open(db, create=False) as store:
        answers = store.answers(session_id)
        expected = expected_resume(store.session(session_id).questionnaire, answers)
    return KillResult(log, problems, delay, expected)


def kill_series(db: Path, session_id: str, runs: int, *, seed: int = 1,
                max_delay: float = 0.8) -> list[KillResult]:
    """`runs` kills on the same database, each run resuming the previous one."""
    rng = random.Random(seed)
    results: list[KillResult] = []
    expected: str | None = None
    for i in range(runs):
        after_ready = i % 4 != 3  # every fourth run may die while starting up
        delay = rng.uniform(0.0, max_delay) if after_ready else rng.uniform(0.02, 0.6)
        result = kill_run(db, session_id, delay, seed * 1000 + i, expected, after_ready=after_ready)
        expected = result.expected_next
        results.append(result)
    return results


# -- concurrency: interviewer, reviewer and an export on one file ---------------------
def interviewer_worker(db: str, session_id: str, rounds: int, out: Any, start_at: float = 0.0) -> None:
    """Answers every question `rounds` times (each save changes the toelichting)."""
    errors: list[str] = []
    began = time.time()
    saves = 0
    final: dict[str, list[Any]] = {}
    try:
        with Store.open(db, create=False) as store:
            time.sleep(max(0.0, start_at - time.time()))  # start together
            began = time.time()
            questionnaire = store.session(session_id).questionnaire
            for r in range(rounds):
                for i, q in enumerate(questionnaire.questions()):
                    value = None if q.is_scaled else "ja"
                    score = 1 + (i + r) % 5 if q.is_scaled else None
                    answer = Answer(q.id, AnswerStatus.ANSWERED, score=score, value=value,
                                    toelichting=f"ronde {r} vraag {i}")
                    try:
                        store.save_answer(session_id, answer, actor="interviewer")
                        saves += 1
                        final[q.id] = [score, value, answer.toelichting]
                    except Exception as exc:
                        errors.append(f"save {q.id}: {exc}")
    except Exception as exc:
        errors.append(f"interviewer: {exc}")
    out.put(("interviewer", {"span": (began, time.time()), "errors": errors, "saves": saves, "final": final}))


def reviewer_worker(db: str, session_id: str, notes: int, out: Any, start_at: float = 0.0) -> None:
    """Polls for changes like the live review screen, reads answers, adds and handles flags."""
    errors: list[str] = []
    began = time.time()
    added = 0
    reads = 0
    try:
        with Store.open(db, create=False) as store:
            time.sleep(max(0.0, start_at - time.time()))  # start together
            began = time.time()
            seen = store.data_version()
            for i in range(notes):
                try:
                    version = store.data_version()
                    if version != seen:
                        seen = version
                    store.answers(session_id)
                    store.notes(session_id)
                    reads += 1
                    note = store.add_note(session_id, f"doorvragen {i}", kind="flag",
                                          author="reviewer")
                    added += 1
                    if i % 2:
                        store.handle_note(note.id, actor="reviewer")
                except Exception as exc:
                    errors.append(f"reviewer {i}: {exc}")
            store.mark_reviewed(session_id, "Reviewer")
    except Exception as exc:
        errors.append(f"reviewer: {exc}")
    out.put(("reviewer", {"span": (began, time.time()), "errors": errors, "notes": added, "reads": reads}))


def export_worker(db: str, rounds: int, backup_dir: str, out: Any, start_at: float = 0.0) -> None:
    """Reads everything in one snapshot, as an export does, and makes online backups.

    In every snapshot each answer must have exactly one answer_created event: an
    answer and its audit event are committed together or not at all."""
    errors: list[str] = []
    began = time.time()
    snapshots = exported = 0
    try:
        with Store.open(db, create=False) as store:
            time.sleep(max(0.0, start_at - time.time()))  # start together
            began = time.time()
            for i in range(rounds):
                try:
                    store.conn.execute("BEGIN")
                    try:
                        sessions = [s.id for s in store.sessions()]
                        answers = store.answers_for_sessions(sessions)
                        n_answers = sum(len(a) for a in answers.values())
                        n_created = sum(1 for e in store.events() if e.kind == "answer_created")
                        for sid in sessions:
                            store.notes(sid)
                    finally:
                        store.conn.execute("COMMIT")
                    if n_answers != n_created:
                        errors.append(f"snapshot {i}: {n_answers} answers, {n_created} events")
                    snapshots += 1
                    if i % 5 == 0:
                        store.backup(Path(backup_dir) / f"export-{i}.db")
                        # and a real export of every format, while the others write
                        results = export_all(store, store.sessions(), Path(backup_dir) / f"export-{i}")
                        exported += sum(len(r.files) for r in results)
                except Exception as exc:
                    errors.append(f"export {i}: {exc}")
    except Exception as exc:
        errors.append(f"export: {exc}")
    out.put(("export", {"span": (began, time.time()), "errors": errors, "snapshots": snapshots,
                        "files": exported}))
