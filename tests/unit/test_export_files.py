from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from exports_support import PARALLEL, demo

from zet_tui.cli import main
from zet_tui.core.store import Store
from zet_tui.export.runner import export_all, run_export, select


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_one_command_exports_everything(store: Store, db_path: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    result = demo(store)
    out = tmp_path / "out"
    assert main(["export", "--db", str(db_path), "--out", str(out)]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder == out / "demo-evaluatie-voorbeeldstad"
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    sessions = store.sessions(evaluation_id=result.evaluation.id)
    codes = {c.id: c.code.lower() for c in store.cases()}
    transcripts = sorted(f"transcripten/{codes[s.case_id]}-{s.perspective}-{s.id[:8]}.md"
                         for s in sessions)
    # the demo's analyst coded a few answers: their tables come along (export/coding_tables.py)
    analyst = ["coderingen.csv", "code_x_casus.csv", "citaten.csv", "samenvattingen.csv", "kenmerken.csv",
               "verschillen_handmatig.csv"]
    expected = sorted(["index.md", "evaluatierapport.md", "antwoorden.csv", "antwoorden.xlsx",
                       "export.json", *(f"analyseschema-{c.lower()}.md" for c in result.case_codes),
                       *transcripts, *analyst])
    assert names == sorted([*expected, ".zet-export.json"])
    assert mode(folder) == 0o700
    for p in folder.rglob("*"):
        assert mode(p) == (0o700 if p.is_dir() else 0o600), p
    index = (folder / "index.md").read_text()
    for name in expected:
        if name != "index.md":
            assert f"]({name})" in index
    assert ".zet-export" not in index


def test_analyseschema_shows_the_planted_differences(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    sel = select(store, evaluation=result.evaluation.id)
    folder = run_export(store, sel, root=tmp_path, formats=["md"]).folder
    for code in result.case_codes:
        text = (folder / f"analyseschema-{code.lower()}.md").read_text()
        _, _, rest = text.partition("## Verschillen tussen perspectieven")
        listing = rest.split("\n## ", 1)[0]
        marked_rows = [line for line in rest.splitlines() if line.startswith("| ⚠️ ")]
        assert len(marked_rows) == len(result.planted[code])
        assert "tegenover" in listing
        assert "```mermaid\ngantt" in text and "Dagen sinds aanmelding" in text
    report = (folder / "evaluatierapport.md").read_text()
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings[:9] == [
        "## Samenvatting", "## Knelpunten en succesfactoren per werkzaam element",
        "## Knelpunten en succesfactoren per basisfunctie", "## Per thema", "## Verschillen tussen perspectieven",
        "## Casussen", "## Verantwoording", "## Bijlage A: scores per thema",
        "## Bijlage B: basisfuncties en werkzame elementen"]
    assert headings[9:] == ["## Bijlage C: verschillen per vraag",
                            "## Bijlage D: alle antwoorden met toelichting per thema"]
    # the difference planted in every case is a finding of its theme, in all three cases
    assert "### Toegang: inwoner tegenover professional (3 casussen)" in report


def test_transcript_has_the_session_facts(store: Store, tmp_path: Path) -> None:
    demo(store)
    session = store.sessions()[0]
    sel = select(store, session=session.id[:8])
    res = run_export(store, sel, root=tmp_path, formats=["md"])
    transcripts = list(res.folder.rglob("transcripten/*.md"))
    assert len(transcripts) == 1 and not list(res.folder.rglob("analyseschema*.md"))
    text = transcripts[0].read_text()
    for needle in ("| Evaluatie |", "| Casus | DEMO-1 |", "| Perspectief | Inwoner |",
                   "versie 1", "| Interviewers | Sanne Kramer, Ruben Aydin |",
                   "| Toestemming | gegeven door", "| Duur |", "- **Antwoord:**",
                   "- **Toelichting:**", "- **Notitie van de reviewer**", "## Dekking",
                   "thema's besproken"):
        assert needle in text, needle


def test_never_overwrites_an_earlier_export(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    sel = select(store, case="DEMO-2")
    first = run_export(store, sel, root=tmp_path, formats=["md", "csv"])
    assert first.folder.name == "demo-evaluatie-voorbeeldstad-demo-2"
    before = {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()}
    second = run_export(store, sel, root=tmp_path, formats=["md", "csv"])
    third = run_export(store, sel, root=tmp_path, formats=["md"])
    assert second.folder.name == "demo-evaluatie-voorbeeldstad-demo-2-2"
    assert third.folder.name == "demo-evaluatie-voorbeeldstad-demo-2-3"
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == before
    # the low-level entry point refuses to replace a file, too
    with pytest.raises(FileExistsError):
        export_all(store, store.sessions(evaluation_id=result.evaluation.id), first.folder,
                   ["csv"])
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == before


def test_failed_export_leaves_no_half_folder(store: Store, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    demo(store)
    from zet_tui.export import tables
    from zet_tui.export.runner import ExportError

    def boom(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, "write_json", boom)
    with pytest.raises(ExportError, match="onvolledige export is verwijderd"):
        run_export(store, select(store), root=tmp_path / "o")
    assert list((tmp_path / "o").iterdir()) == []


def test_batched_reads_one_query_per_table(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    sessions = store.sessions(evaluation_id=result.evaluation.id)
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    export_all(store, sessions, tmp_path / "x", ["md", "csv", "json"])
    store.conn.set_trace_callback(None)
    assert sum(1 for q in seen if "FROM answer" in q) == 1
    assert sum(1 for q in seen if "FROM note" in q) == 1
    assert not any(q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in seen)


@pytest.mark.parametrize(("argv", "message"), [
    (["--case", "BESTAAT-NIET"], "casus 'BESTAAT-NIET' niet gevonden"),
    (["--evaluation", "onbekend"], "evaluatie 'onbekend' niet gevonden"),
    (["--session", "ffffffff"], "sessie 'ffffffff' niet gevonden"),
    (["--format", "md,pdf"], "onbekend formaat 'pdf'"),
    (["--terms", "x.txt"], "--terms werkt alleen samen met --pseudonymize"),
    (["--pseudonymize", "--terms", "/bestaat/niet.txt"], "kan bestand niet lezen"),
])
def test_bad_input_is_one_dutch_line(store: Store, db_path: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str], argv: list[str],
                                     message: str) -> None:
    demo(store)
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path / "o"), *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_unwritable_out_and_missing_database(store: Store, db_path: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user that ignores file permissions")
        assert main(["export", "--db", str(db_path), "--out", str(locked)]) == 1
        err = capsys.readouterr().err
        assert "geen schrijfrechten" in err and err.count("\n") == 1
    finally:
        locked.chmod(0o700)
    assert main(["export", "--db", str(tmp_path / "geen.db")]) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_out_is_a_file(store: Store, db_path: Path, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    target = tmp_path / "bestand"
    target.write_text("x")
    for out in (target, target / "onder"):
        assert main(["export", "--db", str(db_path), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert str(target) in err and "Traceback" not in err and err.count("\n") == 1


def test_several_evaluations_need_a_choice(store: Store, db_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    store.create_evaluation("Tweede")
    assert main(["export", "--db", str(db_path)]) == 1
    assert "--evaluation" in capsys.readouterr().err


def test_default_folder_is_exports_in_the_working_directory(
        store: Store, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", str(db_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "exports/demo-evaluatie-voorbeeldstad"
    assert (tmp_path / "exports" / "demo-evaluatie-voorbeeldstad" / "antwoorden.csv").is_file()


def test_demo_fixture_questionnaires_are_used(store: Store) -> None:
    demo(store)
    assert {s.questionnaire.id for s in store.sessions()} == {
        f"t-{p}" for p in ("inwoner", "professional", "dossier")}
    assert PARALLEL.is_dir()


def test_progress_counts_every_file(store: Store, tmp_path: Path) -> None:
    demo(store)
    calls: list[tuple[int, int]] = []
    res = run_export(store, select(store), root=tmp_path,
                     progress=lambda done, total, _label: calls.append((done, total)))
    total = calls[0][1]
    assert [d for d, _ in calls] == list(range(1, total + 1))
    assert all(t == total for _, t in calls)
    assert total == sum(1 for p in res.folder.rglob("*") if p.is_file()) - 1  # + the manifest


def test_progress_line_only_on_a_terminal(store: Store, db_path: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    demo(store)
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "\rexporteren: " in err and err.endswith("bestanden\n")


def test_done_when_shipped_questionnaires_show_the_demo_differences(store: Store,
                                                                    tmp_path: Path) -> None:
    from zet_tui.core.demo import build_demo, demo_questionnaires

    result = build_demo(store, demo_questionnaires())
    folder = run_export(store, select(store), root=tmp_path).folder
    for code in result.case_codes:
        text = (folder / f"analyseschema-{code.lower()}.md").read_text()
        marked = [line for line in text.splitlines() if line.startswith("| ⚠️ ")]
        assert len(marked) == len(result.planted[code]) > 0
    report = (folder / "evaluatierapport.md").read_text()
    title = next(t.title for s in store.sessions() for t in s.questionnaire.themes if t.id == result.low_theme)
    row = next(line for line in report.splitlines() if line.startswith(f"| {title} |"))
    assert row.split(" | ")[1] != "–"  # the theme planted low in two of the three cases has a knelpunt


def test_export_reads_match_the_plain_store_reads(store: Store) -> None:
    result = demo(store)
    s0 = store.sessions()[0]
    from dataclasses import replace

    a0 = next(iter(store.answers(s0.id).values()))
    store.save_answer(s0.id, replace(a0, probes_asked=(0, 1)))
    sessions = store.sessions(evaluation_id=result.evaluation.id)
    by_snapshot: dict[str, set[int]] = {}
    for s in sessions:  # identical snapshots are parsed once and shared
        by_snapshot.setdefault(s.questionnaire.id, set()).add(id(s.questionnaire))
    assert all(len(objs) == 1 for objs in by_snapshot.values())
    assert [s.questionnaire for s in sessions] == [store.session(s.id).questionnaire for s in sessions]
    ids = [s.id for s in store.sessions()]
    assert store.export_answers(ids) == store.answers_for_sessions(ids)
    assert store.export_answers(ids)[s0.id][a0.question_id].probes_asked == (0, 1)
    assert store.export_answers([]) == {} and store.notes_for_sessions([]) == {}
    notes = store.notes_for_sessions(ids)
    assert all(notes[sid] == store.notes(sid) for sid in ids)
