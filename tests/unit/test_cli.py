from __future__ import annotations

import subprocess
import sys

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


@pytest.mark.parametrize("argv", [[], *subcommands()], ids=lambda a: " ".join(a) or "zet")
def test_every_command_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    assert "usage: zet" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "bestaat-niet"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "invalid choice" in proc.stderr
