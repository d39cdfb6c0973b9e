from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.schema import SCHEMA_VERSION
from zet_tui.core.store import ConsentRequired, Store, StoreError, file_mode
from zet_tui.core.vocab import AnswerStatus

FIXTURES = Path(__file__).parents[1] / "fixtures"


def start(store: Store, q: Questionnaire, themes: list[str] | None = None) -> str:
    ev = store.create_evaluation("Test", "Gemeente", themes)
    case = store.add_case(ev.id, "C-01")
    return store.start_session(case.id, q, interviewer="A", consent_given=True,
                               consent_by="inwoner").id


def test_new_database_is_private_and_configured(store: Store, db_path: Path) -> None:
    assert file_mode(db_path) == 0o600
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.schema_version == SCHEMA_VERSION
    sid = start(store, Questionnaire.from_dict(_tiny()))
    store.save_answer(sid, Answer("t.v", AnswerStatus.ANSWERED, score=3))
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            assert file_mode(side) == 0o600


def _tiny() -> dict[str, object]:
    return {"id": "tiny", "title": "Tiny", "perspective": "inwoner", "version": "1",
            "themes": [{"id": "t", "title": "T", "questions": [{"id": "t.v", "text": "V?"}]}]}


def test_answer_and_event_written_together(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2,
                                  toelichting="Eerst niet."), actor="A")
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                  toelichting="Later wel."), actor="B")
    answers = store.answers(sid)
    assert answers["toegang.wist-waar"].score == 4
    assert answers["toegang.wist-waar"].updated_by == "B"
    events = [e for e in store.events(sid) if e.question_id == "toegang.wist-waar"]
    assert [e.kind for e in events] == ["answer_created", "answer_changed"]
    assert events[1].old["score"] == 2 and events[1].new["score"] == 4
    assert events[1].actor == "B"
    # saving the same answer again is not a change: no new event
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                  toelichting="Later wel."), actor="B")
    assert len([e for e in store.events(sid) if e.question_id == "toegang.wist-waar"]) == 2


def test_answer_is_visible_to_a_second_connection(store: Store, db_path: Path,
                                                  mini: Questionnaire) -> None:
    sid = start(store, mini)
    other = Store.open(db_path)
    before = other.data_version()
    store.save_answer(sid, Answer("plan.aantal", AnswerStatus.ANSWERED, value="3"))
    assert other.answers(sid)["plan.aantal"].value == "3"
    assert other.data_version() != before
    other.close()


def test_consent_is_required_for_interviews(store: Store, mini: Questionnaire) -> None:
    ev = store.create_evaluation("Test")
    case = store.add_case(ev.id, "C-01")
    with pytest.raises(ConsentRequired):
        store.start_session(case.id, mini, consent_given=False)
    with pytest.raises(ConsentRequired):
        store.start_session(case.id, mini, consent_given=True, consent_by="  ")
    assert store.sessions(case_id=case.id) == []


def test_session_snapshot_is_restricted_to_evaluation_themes(store: Store,
                                                             mini: Questionnaire) -> None:
    sid = start(store, mini, themes=["plan"])
    session = store.session(sid)
    assert [t.id for t in session.questionnaire.themes] == ["plan"]
    assert store.session(sid[:8]).id == sid


def test_duplicate_case_code_rejected(store: Store) -> None:
    ev = store.create_evaluation("Test")
    store.add_case(ev.id, "C-01")
    with pytest.raises(StoreError, match="bestaat al"):
        store.add_case(ev.id, "C-01")


def test_non_sqlite_file_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"dit is tekst, geen database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="geen zet-tui-database"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not path.with_name("notes.db-wal").exists()


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE evaluation (id TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="werk zet-tui bij"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE klanten (naam TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="ander programma"):
        Store.open(path)


def test_missing_and_readonly_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="bestaat niet"):
        Store.open(tmp_path / "nergens" / "zet.db")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if not _is_root():
            with pytest.raises(StoreError, match="schrijfrechten"):
                Store.open(ro / "zet.db")
    finally:
        ro.chmod(0o700)


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def test_first_schema_fixture_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", path)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        session = store.session("s1")
        assert session.questionnaire.id == "mini"
        assert store.answers("s1")["toegang.wist-waar"].toelichting == "Via de huisarts."
        assert store.notes("s1")[0].is_open_flag
        assert session.reviewed_by is None
        store.mark_reviewed("s1", "Reviewer")
        assert store.session("s1").reviewed_by == "Reviewer"
    backup = tmp_path / "old.db.v1.bak"
    assert backup.exists() and file_mode(backup) == 0o600
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_notes_and_flags(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    flag = store.add_note(sid, "Vraag door op het netwerk", kind="flag",
                          theme_id="toegang", author="R")
    assert store.notes(sid)[0].is_open_flag
    store.handle_note(flag.id, actor="I")
    assert not store.notes(sid)[0].is_open_flag
    kinds = [e.kind for e in store.events(sid)]
    assert "flag_added" in kinds and "note_handled" in kinds


def test_finish_session(store: Store, mini: Questionnaire) -> None:
    sid = start(store, mini)
    store.finish_session(sid, actor="A")
    s = store.session(sid)
    assert s.status == "afgerond" and s.ended is not None


def test_cli_reports_bad_database_in_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.db"
    bad.write_text("hallo")
    assert main(["evaluations", "--db", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0]
    assert main(["--db", str(tmp_path / "x" / "y.db"), "evaluations"]) == 1
    assert "bestaat niet" in capsys.readouterr().err
