from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from zet_tui.cli import build_parser, main


def subcommands() -> list[list[str]]:
    parser = build_parser()
    out: list[list[str]] = []
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            out.append([name])
            for sa in getattr(sub, "_subparsers", None)._group_actions if sub._subparsers else []:
                out.extend([name, n] for n in sa.choices)
    return out


# argparse's own English, and English metavars that argparse makes from option names.
ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|show program|and exit|"
                     r"error:|required|invalid|choose from|subcommands|\{\w+,|"
                     r"\b(PATH|FILE|DIR|NAME|PORT|HOST|SEED|TEXT|VALUE|COMMAND|ACTION|FOLDER)\b")


@pytest.mark.parametrize("argv", [[], *subcommands()], ids=lambda a: " ".join(a) or "zet")
def test_every_command_has_dutch_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: zet") and "-h, --help  " in out
    assert "toon deze hulp en stop" in out and "opties:" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


def test_unknown_command_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "bestaat-niet"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "ongeldige keuze 'bestaat-niet'" in proc.stderr


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--formaat", "csv"], "zet: onbekende argumenten: --formaat csv (zie 'zet --help')"),
    (["coverage", "--interval", "snel"],
     "zet coverage: --interval: ongeldige waarde 'snel' (verwacht: een getal) (zie 'zet coverage --help')"),
    (["feedback", "meeting", "-e", "x"],
     "zet feedback meeting: verplicht maar niet gegeven: --datum, --aanwezig (zie 'zet feedback meeting --help')"),
    (["verbeterpunt", "status", "V1", "klaar"], "zet verbeterpunt status: STATUS: ongeldige keuze 'klaar'"),
    (["serve", "--port"], "zet serve: --port: verwacht één waarde"),
    (["terms"], "zet terms: verplicht maar niet gegeven: ACTIE"),
])
def test_argparse_errors_are_one_dutch_line(argv: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_other_argparse_users_in_the_process_stay_english() -> None:
    import argparse

    build_parser().format_help()
    plain = argparse.ArgumentParser(prog="ander")
    assert "usage: ander" in plain.format_help() and "show this help message" in plain.format_help()


def test_cli_tables_are_literal_and_capped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from zet_tui.commands.text_table import table_lines

    lines = table_lines(["Thema", "Stand"], [["[bold]Noord[/]", "✔ klaar"], ["x" * 50, "✗ open"]],
                        max_widths=[12])
    assert lines[0].split() == ["Thema", "Stand"] and set(lines[1]) <= {"─", " "}
    assert lines[2].startswith("[bold]Noord…") and lines[3].startswith("xxxxxxxxxxx…")
    assert all("\x1b" not in line for line in lines)
    questionnaire = Path(__file__).parents[1] / "fixtures" / "mini.md"
    assert main(["questionnaires", "list", str(questionnaire)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "perspectief", "versie", "vragen", "titel"]
    assert out[2].split() == ["mini", "inwoner", "1", "7", "Klein", "testgesprek"]


@pytest.mark.parametrize(("argv", "code"), [
    (["tui"], 2),  # no terminal here: a user error before the app starts
    (["questionnaires", "list"], 0),
    (["questionnaires", "check", "bestaat-niet.md"], 1),
    (["export", "--help"], 0),
])
def test_the_cycle_collector_runs_for_commands_and_again_after_main(
        argv: list[str], code: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`zet` pauses the collector while it starts (core.collector): a command runs with it
    (it may run for hours), and every way out of `main` leaves it running."""
    import gc

    import zet_tui.cli as cli

    assert gc.isenabled()
    during: list[bool] = []
    run = cli._run

    def watched(args: object) -> int:
        during.append(gc.isenabled())
        return run(args)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_run", watched)
    monkeypatch.setenv("ZET_DB", str(tmp_path / "zet.db"))
    try:
        result = main(argv)
    except SystemExit as exc:
        result = exc.code
    assert result == code and gc.isenabled()
    assert during == ([] if argv[-1] == "--help" else [argv[0] != "tui"])
    capsys.readouterr()
