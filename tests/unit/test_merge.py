"""`zet merge`: several interviewer laptops' databases become one evaluation.

The laptops are simulated the way teams work: one person creates the
evaluation and shares the file, each pair then adds its own cases, sessions,
answers and notes. Ids and clocks are made deterministic per laptop, so the
same work done in one shared database yields exactly the same rows; that is
what makes "the merged file equals one database where everything happened"
checkable row by row.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import zet_tui.core.store.ids as store_module
from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.merge import TABLES, canonical_dump, dump_hash, merge_files
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

FIXTURES = Path(__file__).parents[1] / "fixtures"


class Laptops:
    """Deterministic ids and timestamps, one counter and one clock per laptop."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}
        self.current = "a"

    def use(self, laptop: str) -> None:
        self.current = laptop

    def _tick(self) -> int:
        self.counters[self.current] = self.counters.get(self.current, 0) + 1
        return self.counters[self.current]

    def new_id(self) -> str:
        return f"{self.current}{self._tick():031x}"

    def now(self) -> str:
        day = "abc".index(self.current) + 1
        stamp = datetime(2026, 3, day, 9, tzinfo=UTC) + timedelta(seconds=self._tick())
        return stamp.isoformat(timespec="milliseconds")

    def reset(self) -> None:
        self.counters.clear()
        self.current = "a"


@pytest.fixture
def laptops(monkeypatch: pytest.MonkeyPatch) -> Laptops:
    lt = Laptops()
    monkeypatch.setattr(store_module, "new_id", lt.new_id)
    monkeypatch.setattr(store_module, "now", lt.now)
    return lt


def ans(qid: str, score: int | None = None, value: str | None = None, note: str = "") -> Answer:
    return Answer(qid, AnswerStatus.ANSWERED, score=score, value=value, toelichting=note)


# -- the work done on each laptop ---------------------------------------------------
def create_evaluation(store: Store) -> str:
    return store.create_evaluation("Evaluatie Noord", "Gemeente Voorbeeld", actor="Anna").id


def work_a(store: Store, ev: str, q: Questionnaire) -> None:
    case = store.add_case(ev, "C-01", "mevrouw A (fictief)", actor="Anna")
    s = store.start_session(case.id, q, interviewer="Anna", co_interviewer="Bram",
                            consent_given=True, consent_by="inwoner", actor="Anna")
    store.save_answer(s.id, ans("toegang.wist-waar", 2, note="Eerst niet."), actor="Anna")
    store.save_answer(s.id, ans("toegang.wist-waar", 4, note="Later via de buurtcoach."),
                      actor="Anna")
    store.save_answer(s.id, ans("plan.aantal", value="3"), actor="Anna")
    store.add_note(s.id, "Doorvragen over wachttijd", kind="flag",
                   question_id="toegang.wist-waar", author="Bram")
    store.add_note(s.id, "Inwoner was open en rustig", author="Bram")
    store.finish_session(s.id, actor="Anna")
    store.mark_reviewed(s.id, "Bram")


def work_b(store: Store, ev: str, q: Questionnaire) -> None:
    case = store.add_case(ev, "C-02", actor="Cees")
    store.add_sensitive_term(case.id, "Jansen", "[naam]", actor="Cees")
    s = store.start_session(case.id, q, interviewer="Cees", consent_given=True,
                            consent_by="inwoner", actor="Cees")
    store.save_answer(s.id, ans("toegang.wist-waar", 1, note="Niemand wist het."), actor="Cees")
    note = store.add_note(s.id, "Terugbellen", kind="flag", author="Dini")
    store.handle_note(note.id, actor="Cees")


def work_c(store: Store, ev: str, q: Questionnaire) -> None:
    case = store.add_case(ev, "C-03", actor="Eva")
    for interviewer in ("Eva", "Fleur"):
        s = store.start_session(case.id, q, interviewer=interviewer, consent_given=True,
                                consent_by="inwoner", actor=interviewer)
        store.save_answer(s.id, ans("toegang.wist-waar", 3), actor=interviewer)
        store.save_answer(s.id, Answer("toegang.wachten", AnswerStatus.WEET_NIET),
                          actor=interviewer)
    store.finish_session(s.id, actor="Fleur")


WORK: dict[str, Callable[[Store, str, Questionnaire], None]] = {
    "a": work_a, "b": work_b, "c": work_c}


def share(src: Path, dst: Path) -> None:
    """How a team hands the file on: a consistent copy of the whole database."""
    with Store.open(src) as s:
        s.backup(dst)


@pytest.fixture
def three_laptops(tmp_path: Path, laptops: Laptops, mini: Questionnaire) -> dict[str, Path]:
    paths = {k: tmp_path / f"laptop-{k}.db" for k in "abc"}
    laptops.use("a")
    with Store.open(paths["a"]) as a:
        ev = create_evaluation(a)
    share(paths["a"], paths["b"])
    share(paths["a"], paths["c"])
    for k, work in WORK.items():
        laptops.use(k)
        with Store.open(paths[k]) as s:
            work(s, ev, mini)
    return paths


@pytest.fixture
def single_db(tmp_path: Path, laptops: Laptops, mini: Questionnaire,
              three_laptops: dict[str, Path]) -> Path:
    """All interviews held in one database, with the same ids and clocks."""
    laptops.reset()
    path = tmp_path / "one.db"
    with Store.open(path) as s:
        laptops.use("a")
        ev = create_evaluation(s)
        for k, work in WORK.items():
            laptops.use(k)
            work(s, ev, mini)
    return path


@pytest.fixture
def conn() -> Iterator[Callable[[Path], sqlite3.Connection]]:
    opened: list[sqlite3.Connection] = []

    def open_ro(path: Path) -> sqlite3.Connection:
        c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        opened.append(c)
        return c

    yield open_ro
    for c in opened:
        c.close()


def counts(c: sqlite3.Connection) -> dict[str, int]:
    return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- tests -----------------------------------------------------------------------------
def test_three_laptops_merge_into_what_one_database_would_hold(
        tmp_path: Path, three_laptops: dict[str, Path], single_db: Path,
        conn: Callable[[Path], sqlite3.Connection], capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "evaluatie.db"
    before = {k: file_digest(p) for k, p in three_laptops.items()}
    rc = main(["merge", *map(str, three_laptops.values()), "--into", str(target)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "conflict" not in out
    # Sources get no side files (checked before this test opens them itself).
    assert sorted(p.name for p in tmp_path.glob("laptop-*")) == [
        "laptop-a.db", "laptop-b.db", "laptop-c.db"]
    merged, single = conn(target), conn(single_db)
    assert canonical_dump(merged) == canonical_dump(single)
    assert dump_hash(merged, exclude_event_kinds=("merge",)) == dump_hash(
        single, exclude_event_kinds=("merge",))
    assert sorted(r[0] for r in merged.execute("SELECT code FROM cases")) == [
        "C-01", "C-02", "C-03"]
    assert counts(merged)["session"] == 4
    # The audit log of every laptop survives, row for row.
    for path in three_laptops.values():
        source_events = set(conn(path).execute("SELECT * FROM event").fetchall())
        assert source_events <= set(merged.execute("SELECT * FROM event").fetchall())
    merge_events = merged.execute("SELECT new FROM event WHERE kind = 'merge'").fetchall()
    assert len(merge_events) == 3
    # Sources are read, never written.
    assert before == {k: file_digest(p) for k, p in three_laptops.items()}


def test_a_source_in_use_is_merged_with_its_latest_commits(
        tmp_path: Path, shared_session: tuple[Path, Path, str]) -> None:
    a, _, sid = shared_session
    with Store.open(a) as live:  # the interviewer is still working in it
        live.save_answer(sid, ans("plan.aantal", value="7"))
        assert a.with_name("a.db-wal").exists()
        target = tmp_path / "doel.db"
        [report] = merge_files([a], target)
        assert report.added["answer"] == 2
        live.save_answer(sid, ans("plan.aantal", value="8"))
    with Store.open(target) as s:
        assert s.answers(sid)["plan.aantal"].value == "7"


def test_merging_the_same_files_again_changes_nothing(
        tmp_path: Path, three_laptops: dict[str, Path],
        conn: Callable[[Path], sqlite3.Connection], capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "evaluatie.db"
    sources = list(three_laptops.values())
    merge_files(sources, target)
    first_counts, first_hash = counts(conn(target)), dump_hash(conn(target))
    reports = merge_files([*sources, sources[0]], target)
    assert all(not r.added and not r.updated and not r.conflicts for r in reports)
    assert sum(reports[1].identical.values()) > 0
    c = conn(target)
    assert counts(c) == first_counts
    assert dump_hash(c) == first_hash  # not even a new merge event
    assert main(["merge", *map(str, sources), "--into", str(target)]) == 0
    assert "toegevoegd: niets" in capsys.readouterr().out


def test_a_merged_file_merges_into_another_target_without_changes(
        tmp_path: Path, three_laptops: dict[str, Path],
        conn: Callable[[Path], sqlite3.Connection]) -> None:
    first, second = tmp_path / "eerste.db", tmp_path / "tweede.db"
    merge_files(list(three_laptops.values()), first)
    merge_files([three_laptops["b"], first], second)
    assert canonical_dump(conn(first)) == canonical_dump(conn(second))


@pytest.fixture
def shared_session(tmp_path: Path, laptops: Laptops, mini: Questionnaire
                   ) -> tuple[Path, Path, str]:
    """A session started on laptop A, shared mid-interview to laptop B."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    laptops.use("a")
    with Store.open(a) as s:
        ev = create_evaluation(s)
        case = s.add_case(ev, "C-01")
        sid = s.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                              consent_by="inwoner").id
        s.save_answer(sid, ans("toegang.wist-waar", 2, note="Eerst niet."), actor="Anna")
    share(a, b)
    return a, b, sid


def test_same_answer_edited_in_two_places_is_a_conflict_and_never_overwritten(
        tmp_path: Path, laptops: Laptops, shared_session: tuple[Path, Path, str],
        conn: Callable[[Path], sqlite3.Connection], capsys: pytest.CaptureFixture[str]) -> None:
    a, b, sid = shared_session
    laptops.use("a")
    with Store.open(a) as s:
        s.save_answer(sid, ans("toegang.wist-waar", 4, note="Via de huisarts."), actor="Anna")
    laptops.use("b")
    with Store.open(b) as s:
        s.save_answer(sid, ans("toegang.wist-waar", 1, note="Helemaal niet."), actor="Bram")
    target = tmp_path / "doel.db"
    share(a, target)
    row_before = conn(target).execute("SELECT * FROM answer").fetchall()

    rc = main(["merge", str(b), "--into", str(target)])
    out = capsys.readouterr().out
    assert rc == 4
    assert f"sessie {sid[:8]}, vraag toegang.wist-waar" in out
    assert "score 4" in out and "score 1" in out and "Via de huisarts" in out
    assert "2026-03-01" in out and "2026-03-02" in out  # both updated timestamps
    c = conn(target)
    assert c.execute("SELECT * FROM answer").fetchall() == row_before
    # B's edit is not lost: it is in the merged audit log.
    news = [r[0] for r in c.execute("SELECT new FROM event WHERE kind = 'answer_changed'")]
    assert any('"Helemaal niet."' in n for n in news)
    # Merging again reports the same conflict and still changes nothing.
    digest = dump_hash(c)
    assert main(["merge", str(b), "--into", str(target)]) == 4
    assert "vraag toegang.wist-waar" in capsys.readouterr().out
    assert dump_hash(conn(target)) == digest


def test_a_session_continued_on_one_laptop_is_taken_over_without_conflict(
        tmp_path: Path, laptops: Laptops, shared_session: tuple[Path, Path, str],
        conn: Callable[[Path], sqlite3.Connection]) -> None:
    a, b, sid = shared_session
    laptops.use("b")
    with Store.open(b) as s:
        s.save_answer(sid, ans("toegang.wist-waar", 3, note="Via de wijkteam-site."))
        s.save_answer(sid, ans("plan.aantal", value="2"))
        s.finish_session(sid)
    # The newer file into the older one: fast-forward.
    old_target = tmp_path / "oud.db"
    share(a, old_target)
    [report] = merge_files([b], old_target)
    assert report.conflicts == []
    assert report.updated["answer"] == 1 and report.updated["session"] == 1
    # The older file into the newer one: nothing to do.
    new_target = tmp_path / "nieuw.db"
    share(b, new_target)
    [report] = merge_files([a], new_target)
    assert report.conflicts == [] and not report.changed
    assert canonical_dump(conn(old_target)) == canonical_dump(conn(new_target))
    with Store.open(old_target) as s:
        assert s.session(sid).status == "afgerond"
        assert s.answers(sid)["toegang.wist-waar"].score == 3


def test_session_finished_in_one_place_and_answered_in_the_other_is_a_conflict(
        tmp_path: Path, laptops: Laptops, shared_session: tuple[Path, Path, str],
        conn: Callable[[Path], sqlite3.Connection]) -> None:
    a, b, sid = shared_session
    laptops.use("a")
    with Store.open(a) as s:
        s.finish_session(sid)
    laptops.use("b")
    with Store.open(b) as s:
        s.save_answer(sid, ans("plan.aantal", value="5"))
    [report] = merge_files([b], a)
    assert [c.table for c in report.conflicts] == ["session"]
    assert "op twee plaatsen bewerkt" in report.conflicts[0].message
    with Store.open(a) as s:
        assert s.session(sid).status == "afgerond"  # target kept its row
        assert s.answers(sid)["plan.aantal"].value == "5"  # a new answer is added, not lost


def test_two_cases_with_the_same_code_are_a_conflict_and_skipped(
        tmp_path: Path, laptops: Laptops, mini: Questionnaire,
        conn: Callable[[Path], sqlite3.Connection], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    laptops.use("a")
    with Store.open(a) as s:
        ev = create_evaluation(s)
    share(a, b)
    for laptop, path in (("a", a), ("b", b)):
        laptops.use(laptop)
        with Store.open(path) as s:
            case = s.add_case(ev, "C-01")
            sid = s.start_session(case.id, mini, consent_given=True, consent_by="inwoner").id
            s.save_answer(sid, ans("toegang.wist-waar", 2))
    before = counts(conn(a))
    assert main(["merge", str(b), "--into", str(a)]) == 4
    out = capsys.readouterr().out
    assert "twee casussen met dezelfde code 'C-01'" in out
    assert counts(conn(a)) == before  # none of B's case rows came in


def test_old_schema_source_is_merged_from_a_migrated_copy(
        tmp_path: Path, conn: Callable[[Path], sqlite3.Connection]) -> None:
    old = tmp_path / "oud.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", old)
    digest = file_digest(old)
    target = tmp_path / "doel.db"
    [report] = merge_files([old], target)
    assert report.added["session"] == 1 and report.added["answer"] == 1
    assert file_digest(old) == digest
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("oud")) == ["oud.db"]


def test_dry_run_saves_nothing(tmp_path: Path, three_laptops: dict[str, Path],
                               capsys: pytest.CaptureFixture[str],
                               conn: Callable[[Path], sqlite3.Connection]) -> None:
    target = tmp_path / "doel.db"
    assert main(["merge", str(three_laptops["a"]), "--into", str(target), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "zou toevoegen: 1 evaluaties" in out and "Proefrun" in out
    assert not target.exists()
    share(three_laptops["b"], target)
    digest = dump_hash(conn(target))
    assert main(["merge", str(three_laptops["a"]), "--into", str(target), "--dry-run"]) == 0
    assert dump_hash(conn(target)) == digest


@pytest.mark.parametrize("kind", ["missing", "text", "other-sqlite", "directory", "same"])
def test_bad_input_is_one_dutch_line_and_exit_1(
        tmp_path: Path, kind: str, store: Store, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bron.db"
    target = tmp_path / "doel.db"
    if kind == "text":
        src.write_text("geen database\n")
    elif kind == "other-sqlite":
        c = sqlite3.connect(src)
        c.execute("CREATE TABLE t (x)")
        c.commit()
        c.close()
    elif kind == "directory":
        src.mkdir()
    elif kind == "same":
        src, target = db_path, db_path
    assert main(["merge", str(src), "--into", str(target)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("zet: ") and "Traceback" not in err[0]
    if kind != "same":
        assert not target.exists()


def test_merged_exports_equal_the_exports_of_one_database(
        tmp_path: Path, three_laptops: dict[str, Path], single_db: Path) -> None:
    """Issue 10's promise in the analyst's terms: same transcripts, analyseschema, report, tables."""
    from zet_tui.export.runner import export_all

    target = tmp_path / "evaluatie.db"
    assert main(["merge", *map(str, three_laptops.values()), "--into", str(target)]) == 0

    def export(db: Path, out: Path) -> dict[str, bytes]:
        with Store.open(db) as st:
            export_all(st, st.sessions(), out)
        files = {}
        for path in sorted(out.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                if path.suffix == ".json":  # the export's own timestamp differs, nothing else
                    doc = json.loads(data)
                    doc.pop("exported_at", None)
                    data = json.dumps(doc, sort_keys=True).encode()
                elif path.suffix == ".md":
                    data = re.sub(rb"\| Ge\xc3\xabxporteerd \|[^\n]*", b"", data)
                elif path.suffix == ".xlsx":
                    continue  # zip timestamps; its rows are the CSV's, compared below
                files[str(path.relative_to(out))] = data
        return files

    merged, single = export(target, tmp_path / "merged"), export(single_db, tmp_path / "single")
    assert merged.keys() == single.keys()
    assert "antwoorden.csv" in merged and any(k.startswith("transcripten/") for k in merged)
    for name in merged:
        assert merged[name] == single[name], name
