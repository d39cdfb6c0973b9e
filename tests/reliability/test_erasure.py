"""Erasure is complete and travels: the purge path, the append-only audit log, merges.

A resident who withdraws consent is erased on every laptop and in the central
file, whichever file is merged into which, and in whatever order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store, StoreError
from zet_tui.core.vocab import AnswerStatus

MARKER = "Wisbaar-Kenmerk-Q7Z"


def _bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def _case(store: Store, mini: Questionnaire, code: str, text: str) -> str:
    ev = store.evaluations()[0] if store.evaluations() else store.create_evaluation("Ronde 1")
    case = store.add_case(ev.id, code)
    if MARKER in code + text:
        store.add_sensitive_term(case.id, f"Jansen{MARKER}")
    sid = store.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                              consent_by="inwoner").id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2,
                                  toelichting=text))
    return case.id


def test_purge_takes_the_code_out_of_findings_and_the_audit_log(
        db_path: Path, mini: Questionnaire, capsys: pytest.CaptureFixture[str]) -> None:
    code = f"K-{MARKER}"
    with Store.open(db_path) as store:
        _case(store, mini, code, "weg")
        keep = _case(store, mini, "K-02", "blijft")
        ev = store.evaluations()[0].id
        finding = store.upsert_finding(
            ev, "laag_thema", "toegang", f"Toegang scoort laag in 2 casussen ({code}, K-02).")
        store.record_reaction(finding.id, "deels", f"bij {code.lower()} en Jansen{MARKER} niet")
        store.add_improvement(ev, f"Bel {code} terug")
    assert main(["purge", "--db", str(db_path), "--case", code, "--yes"]) == 0
    capsys.readouterr()
    with Store.open(db_path) as store:
        [finding] = store.findings(ev)
        assert finding.text == "Toegang scoort laag in 2 casussen ([gewiste casus], K-02)."
        assert finding.explanation == "bij [gewiste casus] en [naam] niet"
        assert store.improvements(ev)[0].text == "Bel [gewiste casus] terug"
        events = store.conn.execute("SELECT kind, old, new FROM event").fetchall()
        assert MARKER not in repr(events)
        # Only the tombstone is left of the case: its random id, no code, no text.
        assert len([e for e in events if e[0] == "case_purged"]) == 1
        assert len(store.tombstones()) == 1 and keep not in store.tombstones()
        assert store.conn.execute("SELECT count(*) FROM erasure").fetchone()[0] == 0
    assert MARKER.encode() not in _bytes(db_path)


def test_audit_log_is_append_only(store: Store, mini: Questionnaire) -> None:
    case_id = _case(store, mini, "K-01", "tekst")
    sid = store.sessions(case_id=case_id)[0].id
    for sql in ("UPDATE event SET actor = 'iemand anders'", "DELETE FROM event",
                "DELETE FROM event WHERE kind = 'case_created'"):
        with pytest.raises(sqlite3.IntegrityError, match="auditlog"):
            store.conn.execute(sql)
    # Deleting a session would take its events with it (cascade): refused too.
    with pytest.raises(sqlite3.IntegrityError, match="auditlog"):
        store.conn.execute("DELETE FROM session WHERE id = ?", (sid,))
    # Opening the erasure path without leaving a tombstone is refused by the database.
    store.conn.execute("BEGIN")
    store.conn.execute("INSERT INTO erasure (case_id) VALUES (?)", (case_id,))
    store.conn.execute("DELETE FROM event WHERE case_id = ?", (case_id,))
    with pytest.raises(sqlite3.IntegrityError, match="case_purged"):
        store.conn.execute("DELETE FROM erasure")
    store.conn.execute("ROLLBACK")
    # A write through the store that hits the rule is one clear error, nothing saved.
    with pytest.raises(StoreError, match="auditlog"), store.write() as c:
        c.execute("UPDATE event SET new = NULL")
    assert store.events(sid)
    store.purge_case(case_id)
    assert store.cases() == [] and store.tombstones() == {case_id}


def test_a_tombstone_in_a_source_erases_the_case_in_the_target(
        tmp_path: Path, mini: Questionnaire, capsys: pytest.CaptureFixture[str]) -> None:
    central, laptop = tmp_path / "centraal.db", tmp_path / "laptop.db"
    with Store.open(central) as store:
        _case(store, mini, "K-01", f"geheim {MARKER}")
        _case(store, mini, "K-02", "blijft")
        store.backup(laptop)
    assert main(["purge", "--db", str(laptop), "--case", "K-01", "--yes"]) == 0
    capsys.readouterr()
    assert main(["merge", str(laptop), "--into", str(central), "--dry-run"]) == 0
    assert "zou wissen: casus 'K-01'" in capsys.readouterr().out
    assert MARKER.encode() in _bytes(central)
    assert main(["merge", str(laptop), "--into", str(central)]) == 0
    out = capsys.readouterr().out
    assert "gewist: casus 'K-01'" in out and "1 sessie(s) en 1 antwoord(en)" in out
    with Store.open(central) as store:
        assert [c.code for c in store.cases()] == ["K-02"]
        assert len(store.tombstones()) == 1
        merge_event = [e for e in store.events() if e.kind == "merge"][-1]
        assert merge_event.new["erased"] == list(store.tombstones())
    assert MARKER.encode() not in _bytes(central)  # the same byte-level cleanup as purge
    # Merging the same laptop again changes nothing.
    assert main(["merge", str(laptop), "--into", str(central)]) == 0
    assert "gewist" not in capsys.readouterr().out


@pytest.mark.parametrize("order", ["purged-first", "purged-last"])
def test_erasure_wins_whatever_the_merge_order(
        tmp_path: Path, mini: Questionnaire, order: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Laptop A erased K-01; laptop B still has it, with newer answers."""
    central, a, b = tmp_path / "centraal.db", tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(central) as store:
        case_id = _case(store, mini, "K-01", "eerste gesprek")
        store.backup(a)
        store.backup(b)
    with Store.open(b) as store:
        sid = store.sessions(case_id=case_id)[0].id
        store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, score=1,
                                      toelichting=f"later {MARKER}"))
    assert main(["purge", "--db", str(a), "--case", "K-01", "--yes"]) == 0
    capsys.readouterr()
    sources = [a, b] if order == "purged-first" else [b, a]
    rc = main(["merge", *map(str, sources), "--into", str(central)])
    captured = capsys.readouterr()
    if order == "purged-first":
        assert rc == 5
        assert f"geweigerd: casus 'K-01' ({case_id[:8]})" in captured.out
        assert "1 sessie(s) en 2 antwoord(en)" in captured.out
    else:
        assert rc == 0 and "gewist: casus 'K-01'" in captured.out
    with Store.open(central) as store:
        assert store.cases() == [] and store.tombstones() == {case_id}
    assert MARKER.encode() not in _bytes(central)
