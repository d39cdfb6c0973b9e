"""`zet coverage`: exit codes, table marks and JSON for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_data import answer_all, save, setup_case

from zet_tui.cli import main
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["coverage", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_open_case_exits_3_with_marks(store: Store, db_path: Path, mini: Questionnaire,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner", "professional"])
    answer_all(store, s["inwoner"].id)
    save(store, s["professional"].id, "toegang.wist-waar", score=2)
    code, out, err = run(capsys, "--db", str(db_path), "--case", "A-01")
    assert code == 3 and err == ""
    lines = out.splitlines()
    toegang = next(line for line in lines if line.startswith("Toegang"))
    plan = next(line for line in lines if line.startswith("Plan"))
    assert toegang.split()[1:] == ["✔", "klaar", "2/2", "◐", "deels", "1/2", "✗", "geen", "sessie"]
    assert plan.split()[1:] == ["✔", "klaar", "3/3", "✗", "open", "0/3", "✗", "geen", "sessie"]
    assert "Inwoner" in lines[1] and "Professional" in lines[1] and "Dossier" in lines[1]
    assert "Thema's x perspectieven: 2 van 6 klaar, 1 deels, 1 open, 2 zonder sessie" in out
    assert "Nog niet alles besproken." in out


def test_complete_session_exits_0(store: Store, db_path: Path, mini: Questionnaire,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    code, _, _ = run(capsys, "--db", str(db_path), "--session", sid[:8])
    assert code == 3
    answer_all(store, sid)
    code, out, _ = run(capsys, "--db", str(db_path), "--session", sid[:8])
    assert code == 0
    assert "Alles besproken." in out and out.count("✔ klaar") == 2


def test_evaluation_and_all_json(store: Store, db_path: Path, mini: Questionnaire,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    ev, _, s = setup_case(store, mini)
    for session in s.values():
        answer_all(store, session.id)
    code, out, _ = run(capsys, "--db", str(db_path), "--evaluation", ev.name, "--json")
    data = json.loads(out)
    assert code == 0 and data["scope"] == "evaluation" and data["complete"] is True
    assert data["cases"][0]["code"] == "A-01"
    assert data["cases"][0]["perspectives"] == ["inwoner", "professional", "dossier"]
    cell = data["cases"][0]["themes"][0]["cells"]["dossier"]
    assert cell["state"] == "done" and cell["done"] == 2 and cell["total"] == 2
    # a second evaluation with an open case: without a selection all are shown and the exit is 3
    setup_case(store, mini, code="Z-9", perspectives=["inwoner"])
    save(store, s["inwoner"].id, "plan.wie", status=AnswerStatus.NIET_BESPROKEN)
    code, out, _ = run(capsys, "--db", str(db_path), "--json")
    data = json.loads(out)
    assert code == 3 and data["scope"] == "all" and data["complete"] is False
    assert len(data["evaluations"]) == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["--case", "BESTAAT-NIET"], "casus 'BESTAAT-NIET' niet gevonden"),
    (["--evaluation", "onbekend"], "evaluatie 'onbekend' niet gevonden"),
    (["--session", "0000ffff"], "sessie '0000ffff' niet gevonden"),
    (["--session", "abcd", "--case", "A-01"], "geef --session alleen"),
    (["--watch", "--interval", "0"], "--interval moet een positief"),
])
def test_user_errors_exit_1_with_one_line(store: Store, db_path: Path, mini: Questionnaire,
                                          capsys: pytest.CaptureFixture[str], argv: list[str],
                                          message: str) -> None:
    setup_case(store, mini, perspectives=["inwoner"])
    code, out, err = run(capsys, "--db", str(db_path), *argv)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_database_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nergens.db"
    code, _, err = run(capsys, "--db", str(target))
    assert code == 1 and "bestaat niet" in err and not target.exists()


def test_empty_database_says_so(store: Store, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(db_path))
    assert code == 1 and "nog geen evaluaties" in err


def test_watch_into_a_pipe_writes_json_lines(store: Store, db_path: Path, mini: Questionnaire) -> None:
    """`--watch --json` into a pipe: one compact JSON object per change, nothing in between."""
    import os
    import select
    import subprocess
    import sys
    import time

    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zet_tui", "coverage", "--db", str(db_path), "--session", sid,
         "--watch", "--json", "--interval", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert first["complete"] is False
        time.sleep(0.5)  # no change: the short interval must not repeat output into a pipe
        assert select.select([proc.stdout], [], [], 0)[0] == []
        answer_all(store, sid)
        deadline = time.monotonic() + 10
        while True:
            data = json.loads(proc.stdout.readline())
            if data["complete"] or time.monotonic() > deadline:
                break
        assert data["complete"] is True and data["counts"]["done"] == 2
    finally:
        proc.kill()
        proc.wait()


def test_review_command_checks_the_session_before_opening_the_screen(
        store: Store, db_path: Path, mini: Questionnaire, capsys: pytest.CaptureFixture[str]) -> None:
    setup_case(store, mini, perspectives=["inwoner"])
    code = main(["review", "--db", str(db_path), "--session", "0000ffff", "--name", "Rob"])
    _, err = capsys.readouterr()
    assert code == 1 and "sessie '0000ffff' niet gevonden" in err
    missing = db_path.with_name("weg.db")
    assert main(["review", "--db", str(missing)]) == 1 and not missing.exists()
