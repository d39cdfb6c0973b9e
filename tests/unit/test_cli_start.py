"""`zet start`: any questionnaire, the Wmo checklist too, with the start form's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.store import Store

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini.md"


def test_wmo_checklist_starts_without_consent(db_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(db_path), "start", "--questionnaire", "wmo-checklist",
                 "--new-evaluation", "Wmo 2026", "--municipality", "Testdorp",
                 "--case", "Wijkteam Noord", "--interviewer", "Anna", "--no-open"])
    out = capsys.readouterr().out
    assert code == 0 and "Nieuwe casus 'Wijkteam Noord'" in out
    with Store.open(db_path) as store:
        session = store.sessions()[0]
        assert (session.questionnaire.id, session.perspective, session.interviewer) == (
            "wmo-checklist", "other", "Anna")
        assert session.id in out and not session.consent_given


def test_an_interview_needs_consent_and_a_known_questionnaire(
        db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["--db", str(db_path), "start", "--new-evaluation", "E", "--case", "K-01",
            "--interviewer", "Anna", "--no-open"]
    assert main([*base, "--questionnaire", "inwoner"]) == 1
    assert "--consent-by" in capsys.readouterr().err
    assert main([*base, "--questionnaire", "bestaat-niet"]) == 1
    assert "bekend: beleid, dossier, inwoner, professional, wmo-checklist" in capsys.readouterr().err
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(MINI))
    assert main([*base, "--questionnaire", "mini", "--consent-by", "inwoner", "--reviewer",
                 "Rob"]) == 0
    # a second perspective of the same case, in the existing evaluation
    assert main(["--db", str(db_path), "start", "--evaluation", "E", "--case", "K-01",
                 "--questionnaire", str(MINI), "--interviewer", "Bea", "--consent-by", "ouder",
                 "--no-open"]) == 0
    with Store.open(db_path) as store:
        assert len(store.evaluations()) == 1 and len(store.cases(store.evaluations()[0].id)) == 1
        assert [(s.interviewer, s.co_interviewer) for s in store.sessions()] == [
            ("Anna", "Rob"), ("Bea", "")]


def test_without_a_terminal_the_session_is_kept_and_named(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`zet start` in a script (no terminal): the session is saved, the app is not run into
    the pipe; one line says how to open it, exit 2 (as `zet` itself)."""
    code = main(["--db", str(db_path), "start", "--questionnaire", "wmo-checklist",
                 "--new-evaluation", "Wmo", "--case", "Team Zuid", "--interviewer", "Anna"])
    err = capsys.readouterr().err.strip().splitlines()
    with Store.open(db_path) as store:
        [session] = store.sessions()
    assert code == 2 and len(err) == 1
    assert "terminal nodig" in err[0] and f"zet tui --session {session.id}" in err[0]
