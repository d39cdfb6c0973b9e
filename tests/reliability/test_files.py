"""Files: commands that read create nothing, modes are tightened, no work copies linger,
and the app refuses to draw into a pipe."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_harness import start_session

import zet_tui.core.merge as merge_module
from zet_tui.cli import main
from zet_tui.core import scratch
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store, file_mode

READ_ONLY_COMMANDS = [
    ["evaluations"],
    ["coverage"],
    ["backup"],
    ["export", "--out", "{tmp}/uit"],
    ["purge", "--case", "C-01", "--yes"],
    ["terms", "list", "--case", "C-01"],
    ["feedback", "findings", "-e", "x"],
    ["verbeterpunt", "list", "-e", "x"],
    ["compare", "x", "y"],
    ["review", "--name", "Rob"],
]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_commands_that_need_data_create_nothing(tmp_path: Path, argv: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    missing = tmp_path / "typfout.db"
    assert main([*argv, "--db", str(missing)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"zet: {missing}: database bestaat niet; controleer --db (of $ZET_DB). Er is "
                   "niets aangemaakt"]
    empty = tmp_path / "leeg.db"
    empty.touch()
    assert main([*argv, "--db", str(empty)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "leeg (0 bytes)" in err[0]
    assert _names(tmp_path) == ["leeg.db"] and empty.stat().st_size == 0


def test_without_db_a_reading_command_does_not_create_the_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZET_DB")
    assert main(["coverage"]) == 1
    assert not (tmp_path / "xdg").exists()


def test_opening_tightens_modes_and_says_so_once(tmp_path: Path, mini: Questionnaire) -> None:
    db = tmp_path / "gekopieerd.db"
    with Store.open(db) as store:
        start_session(store, mini)
    # Copied from a USB stick, with a -wal and -shm of a reader that is still open.
    reader = sqlite3.connect(db)
    reader.execute("SELECT count(*) FROM answer").fetchone()
    sides = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
    for path in [db, *sides]:
        path.chmod(0o644)
    try:
        first = subprocess.run([sys.executable, "-m", "zet_tui", "evaluations", "--db", str(db)],
                               capture_output=True, text=True, check=False, timeout=60)
        assert first.returncode == 0 and "Meting" in first.stdout
        assert first.stderr.count("\n") == 1, first.stderr
        assert "gekopieerd.db was 0644, gekopieerd.db-wal was 0644, gekopieerd.db-shm was 0644" \
            in first.stderr and "0600" in first.stderr
        assert [file_mode(p) for p in [db, *sides]] == [0o600] * 3
        again = subprocess.run([sys.executable, "-m", "zet_tui", "evaluations", "--db", str(db)],
                               capture_output=True, text=True, check=False, timeout=60)
        assert again.returncode == 0 and again.stderr == ""
    finally:
        reader.close()


def test_work_folders_of_a_killed_run_are_removed_at_the_next_start(
        tmp_path: Path, mini: Questionnaire) -> None:
    db = tmp_path / "zet.db"
    with Store.open(db) as store:
        start_session(store, mini)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = tmp_path / f"{scratch.PREFIX}merge-{dead}-0a1b2c3d"
    killed.mkdir()
    (killed / "bron.db").write_bytes(db.read_bytes())
    running = scratch.new_folder(tmp_path, "merge")  # a merge of this process, still busy
    assert main(["evaluations", "--db", str(db)]) == 0
    assert not killed.exists() and running.exists()


def test_merge_copies_live_next_to_the_target(tmp_path: Path, mini: Questionnaire,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "laptop.db", tmp_path / "doel" / "centraal.db"
    target.parent.mkdir()
    with Store.open(source) as store:
        start_session(store, mini)
    system_tmp = tmp_path / "systeem-tmp"
    system_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    seen: list[Path] = []
    real_snapshot = merge_module._snapshot

    def spy(path: Path, copy: Path) -> None:
        seen.append(copy)
        assert file_mode(copy.parent) == 0o700
        real_snapshot(path, copy)

    monkeypatch.setattr(merge_module, "_snapshot", spy)
    assert main(["merge", str(source), "--into", str(target)]) == 0
    assert seen and all(p.parent.parent == target.parent for p in seen)
    assert all(p.parent.name.startswith(scratch.PREFIX + "merge-") for p in seen)
    assert _names(system_tmp) == []
    assert [n for n in _names(target.parent) if n.startswith(".")] == []


def test_the_app_without_a_terminal_says_so(tmp_path: Path) -> None:
    db = tmp_path / "zet.db"
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "--db", str(db)],
                          stdin=subprocess.DEVNULL, capture_output=True, check=False, timeout=60,
                          env={**os.environ, "TEXTUAL_DRIVER": ""})
    assert proc.returncode == 2
    assert proc.stdout == b""  # not one escape code in the pipe
    err = proc.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "heeft een terminal nodig" in err[0]
    assert not db.exists()
