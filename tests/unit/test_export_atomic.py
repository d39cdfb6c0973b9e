"""Exports never collide and never half-exist; purge finds the exports that hold a case."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exports_support import demo, parallel

from zet_tui.cli import main
from zet_tui.core import scratch
from zet_tui.core.store import Store
from zet_tui.export import runner
from zet_tui.export.data import load
from zet_tui.export.folders import MANIFEST, ExportError
from zet_tui.export.parallel import Forked, can_fork
from zet_tui.export.runner import FORMATS, export_all, run_export, select, write_export


def _cases(store: Store, codes: list[str]) -> None:
    qs = parallel()
    ev = store.create_evaluation("Botsing", "Gemeente")
    for code in codes:
        case = store.add_case(ev.id, code)
        for q in qs.values():
            store.start_session(case.id, q, interviewer="Anna", consent_given=True,
                                consent_by="inwoner")


def test_codes_with_the_same_file_name_get_their_own_files(
        store: Store, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cases(store, ["K-01", "k.01", "🙂", "😀", "K-02"])
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path / "uit")]) == 0
    folder = Path(capsys.readouterr().out.strip())
    ids = {c.code: c.id[:8] for c in store.cases()}
    schemas = sorted(p.name for p in folder.glob("analyseschema-*.md"))
    assert schemas == sorted([
        f"analyseschema-k-01-{ids['K-01']}.md", f"analyseschema-k-01-{ids['k.01']}.md",
        f"analyseschema-casus-{ids['🙂']}.md", f"analyseschema-casus-{ids['😀']}.md",
        "analyseschema-k-02.md"])  # no clash, no suffix
    transcripts = list((folder / "transcripten").iterdir())
    assert len(transcripts) == len(store.sessions())
    index = (folder / "index.md").read_text(encoding="utf-8")
    for path in [*folder.glob("analyseschema-*.md"), *transcripts]:
        assert f"]({path.relative_to(folder)})" in index


def test_two_evaluations_with_the_same_folder_name(store: Store, tmp_path: Path) -> None:
    for name in ("Evaluatie Noord", "evaluatie-noord"):
        ev = store.create_evaluation(name)
        case = store.add_case(ev.id, "C-1")
        store.start_session(case.id, parallel()["inwoner"], interviewer="A",
                            consent_given=True, consent_by="inwoner")
    results = export_all(store, store.sessions(), tmp_path / "uit", ["csv"])
    assert len({r.folder for r in results}) == 2


def test_the_folder_appears_only_when_complete(store: Store, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    demo(store)
    from zet_tui.export import report

    root = tmp_path / "uit"
    seen: list[list[str]] = []
    real = report.render

    def spy(*args: Any) -> str:
        seen.append(sorted(p.name for p in root.iterdir()))
        return real(*args)

    monkeypatch.setattr(report, "render", spy)
    result = run_export(store, select(store), root=root)
    [visible] = seen  # while writing, only the hidden work folder exists
    assert len(visible) == 1 and visible[0].startswith(scratch.PREFIX + "export-")
    assert sorted(p.name for p in root.iterdir()) == [result.folder.name]
    assert all(p.exists() and p.parent.is_relative_to(result.folder) for p in result.files)


KILLED_EXPORT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from zet_tui.core.store import Store
    from zet_tui.export import tables
    from zet_tui.export.runner import run_export, select

    def killed(*args):
        os.kill(os.getpid(), signal.SIGKILL)

    tables.write_json = killed
    with Store.open(sys.argv[1]) as store:
        run_export(store, select(store), root=Path(sys.argv[2]))
""")


def test_a_killed_export_leaves_a_recognisable_work_folder_that_is_cleaned_up(
        store: Store, db_path: Path, tmp_path: Path) -> None:
    demo(store)
    root = tmp_path / "uit"
    # One process, so the kill lands at a known moment (see the parallel tests for two).
    proc = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(db_path), str(root)],
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, "ZET_EXPORT_SEQUENTIAL": "1"})
    assert proc.returncode == -signal.SIGKILL
    [left] = root.iterdir()
    assert left.name.startswith(f"{scratch.PREFIX}export-")  # hidden, and says "bezig"
    assert (left / "antwoorden.csv").exists()  # half written: never under a real name
    result = run_export(store, select(store), root=root)
    assert sorted(p.name for p in root.iterdir()) == [result.folder.name]


def test_purge_lists_the_exports_that_still_hold_the_case(
        store: Store, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    monkeypatch.chdir(tmp_path)
    whole = run_export(store, select(store)).folder  # ./exports, the default
    elsewhere = run_export(store, select(store, case="DEMO-1"), root=tmp_path / "gedeeld",
                           pseudonymize=True).folder
    other = run_export(store, select(store, case="DEMO-2"), root=tmp_path / "gedeeld").folder
    assert "DEMO" not in (elsewhere / MANIFEST).read_text()
    assert main(["purge", "--db", str(db_path), "--case", "DEMO-1", "--yes",
                 "--exports", str(tmp_path / "gedeeld")]) == 0
    out = capsys.readouterr().out
    assert "exportmappen bevatten de casus nog" in out
    assert str(whole.resolve()) in out and str(elsewhere.resolve()) in out
    assert str(other.resolve()) not in out


needs_fork = pytest.mark.skipif(not can_fork(), reason="one core, or no fork here")


@needs_fork
def test_two_processes_write_the_same_export_as_one(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    demo(store)
    sel = select(store)
    data = load(store, sel.evaluation, sel.sessions)
    forked: list[object] = []
    monkeypatch.setattr(runner, "Forked", lambda work: forked.append(work) or Forked(work))
    ticks: list[int] = []
    two = write_export(data, _empty(tmp_path / "twee"), FORMATS,
                       progress=lambda done, _total, _label: ticks.append(done))
    assert forked and ticks == list(range(1, len(two.files) + 1))
    monkeypatch.setenv("ZET_EXPORT_SEQUENTIAL", "1")
    one = write_export(data, _empty(tmp_path / "een"), FORMATS)
    assert len(forked) == 1 and two.answers == one.answers > 0
    assert sorted(p.relative_to(two.folder) for p in two.files) == sorted(
        p.relative_to(one.folder) for p in one.files)
    for path in one.folder.rglob("*"):
        if path.is_file():
            twin = two.folder / path.relative_to(one.folder)
            if path.suffix == ".xlsx":
                assert _zip_parts(path) == _zip_parts(twin)
            else:
                assert path.read_bytes() == twin.read_bytes(), path.name


@needs_fork
def test_a_second_process_that_dies_fails_the_export_cleanly(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo(store)
    from zet_tui.export import tables

    monkeypatch.setattr(tables, "write_xlsx",
                        lambda *_: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ExportError, match="tweede exportproces: afgebroken"):
        run_export(store, select(store), root=tmp_path / "uit")
    assert list((tmp_path / "uit").iterdir()) == []


def _empty(folder: Path) -> Path:
    folder.mkdir()
    return folder


def _zip_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}
