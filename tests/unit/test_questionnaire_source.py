"""Which questionnaires a command reads: --questionnaires, else $ZET_QUESTIONNAIRES, else the
shipped ones (package data), the same rule for every command that reads them."""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from zet_tui.cli import main, opens_app
from zet_tui.core.questionnaire_loader import questionnaire_files, shipped_dir
from zet_tui.core.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "mini.md"
PARALLEL = FIXTURES / "parallel"


def test_the_shipped_questionnaires_are_package_data() -> None:
    assert shipped_dir() == importlib.resources.files("zet_tui.questionnaires")
    assert {p.name for p in questionnaire_files()} >= {"inwoner.md", "professional.md", "dossier.md"}


def test_check_and_list_follow_the_option_then_the_environment(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questionnaires", "check"]) == 0
    assert "inwoner.md: ok" in capsys.readouterr().out
    monkeypatch.setenv("ZET_QUESTIONNAIRES", f"{MINI}{os.pathsep}{PARALLEL / 'inwoner.md'}")
    assert main(["questionnaires", "check"]) == 0
    out = capsys.readouterr().out
    assert f"{MINI}: ok" in out and "parallel/inwoner.md: ok" in out and "dossier" not in out
    assert main(["questionnaires", "list", "--questionnaires", str(PARALLEL)]) == 0
    out = capsys.readouterr().out
    assert "dossier" in out and "mini" not in out


@pytest.mark.parametrize("argv", [["demo"], ["questionnaires", "check"], ["tui"], ["serve"]])
def test_a_missing_folder_is_one_line_naming_where_it_came_from(
        argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(tmp_path / "weg"))
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == f"zet: {tmp_path / 'weg'}: map of bestand met vragenlijsten niet gevonden ($ZET_QUESTIONNAIRES)\n"
    assert main([*argv, "--questionnaires", str(tmp_path / "ook-weg")]) == 1
    assert "(--questionnaires)" in capsys.readouterr().err


def test_demo_reads_the_configured_questionnaires(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(PARALLEL))
    assert main(["demo", "--db", str(db_path)]) == 0
    with Store.open(db_path) as store:
        ids = {s.questionnaire.source for s in store.sessions()}
    assert ids and all(source.startswith(str(PARALLEL)) for source in ids)
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(MINI))  # no dossier list in there
    assert main(["demo", "--db", str(db_path), "--force"]) == 1
    assert "geen geldige vragenlijst voor professional, dossier" in capsys.readouterr().err


def test_the_app_gets_the_option_given_before_or_after_tui(db_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from zet_tui.app.app import ZetApp

    seen: list[Any] = []
    monkeypatch.setattr(ZetApp, "run", lambda self: seen.append(self.questionnaire_paths))
    for stream in (sys.stdin, sys.stdout):  # as on a terminal, where the app would draw
        monkeypatch.setattr(stream, "isatty", lambda: True)
    for argv in (["--questionnaires", str(MINI)], ["--db", str(db_path), "tui", f"--questionnaires={MINI}"]):
        assert opens_app(argv)
        assert main(argv) == 0
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(PARALLEL))
    assert main(["tui"]) == 0
    assert seen == [[MINI], [MINI], [PARALLEL]]


def test_serve_hands_the_questionnaires_to_every_browser_session(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zet_tui.commands import serve

    commands: list[str] = []

    class Server:
        def serve(self) -> None:
            pass

    def make_server(command: str, *args: Any, **kwargs: Any) -> Server:
        commands.append(command)
        return Server()

    monkeypatch.setattr(serve, "make_server", make_server)
    assert main(["serve", "--db", str(db_path), "--questionnaires", str(MINI)]) == 0
    # Smileys as text in the browser unless --emoji (see test_serve for the app's command line).
    assert commands[0].endswith(f" tui --ascii --questionnaires={MINI}")
    assert main(["serve", "--db", str(db_path), "--emoji", "--questionnaires", str(MINI)]) == 0
    assert commands[1].endswith(f" tui --questionnaires={MINI}")
