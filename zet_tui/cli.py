"""The `zet` command: opens the TUI, or runs a scriptable subcommand.

User errors never show a traceback: they print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from zet_tui import __version__
from zet_tui.commands import COMMAND_MODULES
from zet_tui.commands.common import TerminalSafeStream, UserError, db_path, run_tui_app
from zet_tui.core.questionnaire import QuestionnaireInvalid
from zet_tui.core.safe_text import one_line
from zet_tui.core.store import StoreError


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The `zet` parser; `commands=False` leaves out the scriptable subcommands, whose
    modules (and their imports) only slow down opening the app."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="databasebestand (standaard: $ZET_DB, anders zet.db in de "
                             "gebruikersmap van zet-tui)")
    parser = argparse.ArgumentParser(
        prog="zet", parents=[common],
        description="zet-tui: interviewassistent voor ZET-evaluaties van zorg en "
                    "ondersteuning. Zonder subcommando opent de interview-app.",
    )
    parser.add_argument("--version", action="version", version=f"zet-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO")
    tui = sub.add_parser("tui", parents=[common], help="open de interview-app (standaard)",
                         description="Open de interview-app in de terminal.")
    tui.add_argument("--session", metavar="ID", default=None,
                     help="open deze sessie direct (id of begin van het id)")
    tui.add_argument("--ascii", action="store_true", default=False,
                     help="smileys als tekst, voor terminals zonder emoji (ook: ZET_ASCII=1)")
    tui.set_defaults(func=run_tui)
    for name in COMMAND_MODULES if commands else ():
        importlib.import_module(name).register(sub, common)
    parser.set_defaults(func=run_tui)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    from zet_tui.core.store import Store

    path = db_path(args)
    session_id = getattr(args, "session", None)
    # Fail before the screen takes over the terminal, so the message stays readable:
    # a bad database or an unknown session id is one line on a normal terminal.
    with Store.open(path) as store:
        if session_id:
            session_id = store.session(session_id).id
            store.answers(session_id)  # damaged answers: one line here, not a refusal inside
    from zet_tui.app.app import ZetApp

    return run_tui_app(ZetApp(db_path=path, session_id=session_id,
                          ascii=True if getattr(args, "ascii", False) else None))


def opens_app(argv: Sequence[str]) -> bool:
    """True when the arguments can only mean the app: `zet`, `zet tui ...`, each
    optionally after `--db PATH`. Anything else (`--help`, another command) gets
    the full parser."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not token.startswith("--db="):
            return token == "tui"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything zet-tui writes is for the owner only
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands=not opens_app(args_list))
    args = parser.parse_args(args_list)
    stdout = sys.stdout
    if stdout is not None and stdout.isatty():
        sys.stdout = TerminalSafeStream(stdout)
    try:
        return _run(args)
    finally:
        sys.stdout = stdout


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except (StoreError, UserError) as exc:
        # Messages quote stored text (a case code, a name): one line, controls shown.
        print(f"zet: {one_line(str(exc))}", file=sys.stderr)
        return exc.code if isinstance(exc, UserError) else 1
    except QuestionnaireInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)  # one line each: see Problem.__str__
        return 1
    except KeyboardInterrupt:
        print("zet: afgebroken", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        # Last line of defence (e.g. a logically damaged row): one line, no traceback;
        # ZET_DEBUG=1 shows the traceback for a bug report.
        if os.environ.get("ZET_DEBUG"):
            raise
        print(f"zet: onverwachte fout ({type(exc).__name__}: {one_line(str(exc))}); er is "
              "niets gewijzigd dat niet al was opgeslagen. Details: ZET_DEBUG=1 zet ...",
              file=sys.stderr)
        return 70
