"""Broken questionnaires and broken databases: a clear message, never a traceback,
and a database file that is left exactly as it was."""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_harness import fill_answers, start_session, write_questionnaire

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.interview import Interview
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_bytes
from zet_tui.core.schema import SCHEMA_VERSION
from zet_tui.core.store import Store, StoreError
from zet_tui.core.vocab import AnswerStatus

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = (FIXTURES / "mini.md").read_bytes()
IS_ROOT = os.geteuid() == 0


def zet(*args: str, preexec: object = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zet_tui", *args], capture_output=True, text=True,
                          check=False, timeout=60, preexec_fn=preexec)  # type: ignore[arg-type]


def _cycle() -> bytes:
    """A cycle can only be written as a forward reference: wachten-ervaring depends on
    plan.kwijt, which depends on wachten-ervaring."""
    text = MINI.replace(b"- toon-als: toegang.wachten = ja", b"- toon-als: plan.kwijt = x")
    return text.replace(b"- verplicht: nee\n\nDoorvragen:\n- Nog",
                        b"- verplicht: nee\n- toon-als: toegang.wachten-ervaring = 2\n\nDoorvragen:\n- Nog")


BROKEN: dict[str, bytes] = {
    "afgebroken.md": MINI[: len(MINI) // 2],
    "afgebroken-kop.md": MINI[:40],
    "binair.md": bytes(range(256)) * 20,
    "utf16.md": MINI.decode().encode("utf-16"),
    "groot.md": MINI + b"\nHeel veel tekst zonder einde. " * 100_000,
    "dubbel-id.md": MINI.replace(b"{#plan.aantal}", b"{#plan.datum}"),
    "vooruit.md": MINI.replace(b"- toon-als: toegang.wachten = ja", b"- toon-als: plan.aantal > 3"),
    "cyclus.md": _cycle(),
    "zelf.md": MINI.replace(b"- toon-als: toegang.wachten = ja",
                            b"- toon-als: toegang.wachten-ervaring = 2"),
    "onbekende-tag.md": MINI.replace(b"basisfunctie:toegankelijk", b"basisfunctie:onbekend"),
    "windows-1252.md": MINI.replace(b"Wist u", "Wíst ú – “u”".encode("cp1252")),
    "leeg.md": b"",
    "alleen-kop.md": b"---\nid: x\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_questionnaire_gives_only_path_line_messages(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BROKEN[name])
    proc = zet("questionnaires", "check", str(path))
    assert proc.returncode == 1
    output = (proc.stdout + proc.stderr).splitlines()
    assert output, "a broken file must be reported"
    assert "Traceback" not in proc.stdout + proc.stderr
    pattern = re.compile(rf"^{re.escape(str(path))}:\d+: \S")
    assert all(pattern.match(line) for line in output), output


def test_the_broken_files_report_the_right_problem(tmp_path: Path) -> None:
    expect = {"dubbel-id.md": "komt al voor", "vooruit.md": "pas later",
              "cyclus.md": "pas later", "zelf.md": "de vraag zelf",
              "onbekende-tag.md": "onbekende tag", "windows-1252.md": "UTF-8",
              "groot.md": "te groot", "binair.md": "geen tekstbestand"}
    for name, fragment in expect.items():
        result = load_bytes(BROKEN[name], name) if name != "groot.md" else None
        if result is None:
            path = tmp_path / name
            path.write_bytes(BROKEN[name])
            proc = zet("questionnaires", "check", str(path))
            assert fragment in proc.stdout
            continue
        assert not result.ok and any(fragment in p.message for p in result.problems), name


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_windows_line_endings_are_valid(tmp_path: Path, variant: str) -> None:
    raw = MINI
    if "crlf" in variant:
        raw = raw.replace(b"\n", b"\r\n")
    if variant == "cr":
        raw = raw.replace(b"\n", b"\r")
    if "bom" in variant:
        raw = b"\xef\xbb\xbf" + raw
    path = tmp_path / "mini.md"
    path.write_bytes(raw)
    proc = zet("questionnaires", "check", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reference = load_bytes(MINI, "mini.md").questionnaire
    loaded = load_bytes(raw, "mini.md").questionnaire
    assert reference is not None and loaded is not None
    assert loaded.to_dict() == reference.to_dict()
    # line numbers still count lines, not bytes
    broken = raw.replace(b"{#plan.aantal}", b"{#plan.datum}")
    problems = load_bytes(broken, "x.md").problems
    assert [str(p) for p in problems] == ["x.md:49: id 'plan.datum' komt al voor op regel 42"]


LINES = MINI.split(b"\n")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes", "truncate", "replace"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "bytes":
            lines.insert(i, draw(st.binary(min_size=1, max_size=40)))
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        elif op == "replace":
            lines[i] = draw(st.text(max_size=60)).encode("utf-8")
    return b"\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_questionnaires_never_crash_the_loader(raw: bytes) -> None:
    result = load_bytes(raw, "mut.md")
    n_lines = max(1, raw.count(b"\n") + 1)
    for problem in result.problems:
        assert re.match(r"^mut\.md:\d+: \S", str(problem)), str(problem)
        assert 0 <= problem.line <= n_lines + 1, str(problem)
    if result.ok:
        q = result.questionnaire
        assert q is not None
        assert Questionnaire.from_dict(q.to_dict()).to_dict() == q.to_dict()
        iv = Interview(q)  # a valid questionnaire can always be interviewed, to its end
        assert iv.current in iv.visible()
        steps = 0
        while iv.next() is not None:
            steps += 1
            assert steps <= len(q.order())
    else:
        assert result.problems


# -- databases ---------------------------------------------------------------------
def _good_db(path: Path, tmp_path: Path) -> Path:
    q = write_questionnaire(tmp_path / "q.md", 30)
    with Store.open(path) as store:
        sid = start_session(store, q)
        fill_answers(store, sid, q, 20)
    return path


def _corrupt_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    for i in range(4096, len(data)):  # page 1 (header + schema root) stays valid
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE klanten (naam TEXT)")
    conn.execute("INSERT INTO klanten VALUES ('Fictief')")
    conn.commit()
    conn.close()


BAD_DBS = {
    "beschadigd": (_corrupt_pages, "beschadigd"),
    "afgekapt": (lambda p: p.write_bytes(p.read_bytes()[:6000]), "beschadigd"),
    "alleen-kop": (lambda p: p.write_bytes(p.read_bytes()[:100]), "beschadigd"),
    "geen-sqlite": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
                    "geen zet-tui-database"),
    "tekst": (lambda p: p.write_text("naam;score\nA;3\n"), "geen zet-tui-database"),
    "nieuwer-schema": (_newer, "werk zet-tui bij"),
    "ander-programma": (_foreign, "ander programma"),
}


@pytest.mark.parametrize("kind", sorted(BAD_DBS))
def test_bad_database_one_line_and_untouched(tmp_path: Path, kind: str) -> None:
    path = _good_db(tmp_path / f"{kind}.db", tmp_path)
    spoil, fragment = BAD_DBS[kind]
    spoil(path)
    before = path.read_bytes()
    proc = zet("evaluations", "--db", str(path))
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"zet: {path}: "), proc.stderr
    assert fragment in lines[0]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob(f"{kind}.db*")) == [f"{kind}.db"]


def test_read_only_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _good_db(tmp_path / "ro.db", tmp_path)
    path.chmod(0o400)
    before = path.read_bytes()
    if not IS_ROOT:  # root may write anyway; the real check needs an ordinary user
        proc = zet("evaluations", "--db", str(path))
        assert proc.returncode == 1 and "alleen-lezen" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    # the same refusal, with the permission check answered as for an ordinary user
    real_access = os.access
    monkeypatch.setattr("zet_tui.core.store.errors.os.access",
                        lambda p, mode: False if Path(p) == path and mode & os.W_OK else real_access(p, mode))
    assert main(["evaluations", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "alleen-lezen" in err[0]
    assert path.read_bytes() == before


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _good_db(folder / "zet.db", tmp_path)
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr("zet_tui.core.store.errors.os.access",
                        lambda p, mode: False if Path(p) == folder and mode & os.W_OK else real_access(p, mode))
    assert main(["evaluations", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "alleen-lezen" in err[0]
    assert path.read_bytes() == before


def test_full_disk_while_saving_keeps_earlier_answers(tmp_path: Path) -> None:
    q = write_questionnaire(tmp_path / "q.md", 30)
    db = tmp_path / "vol.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
        fill_answers(store, sid, q, 10)
        before = store.answers(sid)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        first = next(q.questions()).id
        with pytest.raises(StoreError, match="schijf is vol; er is niets opgeslagen"):
            store.save_answer(sid, Answer(first, AnswerStatus.ANSWERED, score=5,
                                          toelichting="lang verhaal " * 5000))
        assert store.answers(sid) == before  # nothing half-written, nothing lost
        assert not store.conn.in_transaction
        # once there is room again, saving works on the same connection
        store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        store.save_answer(sid, Answer(first, AnswerStatus.ANSWERED, score=5, toelichting="kort"))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _small_file_limit() -> None:
    """Child process: files may not grow beyond 200 kB, as on a nearly full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_backup_onto_a_full_disk(tmp_path: Path) -> None:
    q = write_questionnaire(tmp_path / "q.md", 40, conditions=False)
    db = tmp_path / "groot.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
        for question in q.questions():
            store.save_answer(sid, Answer(question.id, AnswerStatus.ANSWERED, score=3,
                                          toelichting="uitgebreide toelichting " * 1000))
    assert db.stat().st_size > 400_000
    before = db.read_bytes()
    target = tmp_path / "kopie.db"
    proc = zet("backup", "--db", str(db), "--to", str(target), preexec=_small_file_limit)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "reservekopie mislukt" in lines[0], proc.stderr
    assert not target.exists()
    assert db.read_bytes() == before


def test_unwritable_backup_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _good_db(tmp_path / "zet.db", tmp_path)
    target = tmp_path / "bestand"
    target.write_text("x")
    assert main(["backup", "--db", str(db), "--to", str(target / "kopie.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "kan de kopie niet aanmaken" in err[0], err


def test_database_path_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "map.db"
    folder.mkdir()
    assert main(["evaluations", "--db", str(folder)]) == 1
    assert "is een map" in capsys.readouterr().err
    shutil.rmtree(folder)


@pytest.mark.parametrize("snapshot", ['{"id": "x", "themes": [', '"geen object"', '{"id": 1}'])
def test_damaged_session_snapshot(tmp_path: Path, snapshot: str) -> None:
    """A row that SQLite finds fine but zet-tui cannot read: still one line."""
    path = _good_db(tmp_path / "snap.db", tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE session SET snapshot = ?", (snapshot,))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    proc = zet("evaluations", "--db", str(path))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "beschadigd" in lines[0], proc.stderr
    assert path.read_bytes() == before


def test_unexpected_error_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr("zet_tui.commands.evaluations.open_store", boom)
    assert main(["evaluations"]) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "RuntimeError: kapot" in err[0]
    monkeypatch.setenv("ZET_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["evaluations"])


def test_locked_database_is_one_clear_line_and_keeps_the_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Another program holds the write lock longer than the busy timeout: a message, no traceback."""
    import sqlite3

    import zet_tui.core.store.base as store_module
    from zet_tui.cli import main
    from zet_tui.core.store import Store, StoreError

    db = tmp_path / "bezet.db"
    with Store.open(db) as store:
        store.create_evaluation("Voor de vergrendeling")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="bezet"):
            s = Store.open(db)  # opening may still succeed in WAL mode; writing must not
            try:
                s.create_evaluation("Tijdens de vergrendeling")
            finally:
                s.close()
        assert main(["demo", "--db", str(db)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "bezet" in err[0] and "Traceback" not in err[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(db) as store:
        assert [e.name for e in store.evaluations()] == ["Voor de vergrendeling"]
