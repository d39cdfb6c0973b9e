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
from zet_tui.commands.dutch_argparse import DutchArgumentParser
from zet_tui.core import collector

# The store, the loader and Textual are imported inside the functions: `main` pauses the
# cycle collector first, so the start's imports do not pay for its walks (core.collector).

APP_OPTIONS = ("--db", "--questionnaires")
"""Options (each with a value) that may come before `tui` and still mean the app."""


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The `zet` parser; `commands=False` leaves out the scriptable subcommands, whose
    modules (and their imports) only slow down opening the app."""
    from zet_tui.commands.common import add_questionnaires_option

    common = DutchArgumentParser(add_help=False)
    common.add_argument("--db", metavar="BESTAND", default=argparse.SUPPRESS,
                        help="databasebestand (standaard: $ZET_DB, anders zet.db in de "
                             "gebruikersmap van zet-tui)")
    parser = DutchArgumentParser(
        prog="zet", parents=[common],
        description="zet-tui: interviewassistent voor ZET-evaluaties van zorg en "
                    "ondersteuning. Zonder subcommando opent de interview-app.",
    )
    parser.add_argument("--version", action="version", version=f"zet-tui {__version__}",
                        help="toon het versienummer en stop")
    add_questionnaires_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO")
    tui = sub.add_parser("tui", parents=[common], help="open de interview-app (standaard)",
                         description="Open de interview-app in de terminal.")
    tui.add_argument("--session", metavar="ID", default=None,
                     help="open deze sessie direct (id of begin van het id)")
    tui.add_argument("--ascii", action="store_true", default=False,
                     help="smileys als tekst, voor terminals zonder emoji (ook: ZET_ASCII=1)")
    add_questionnaires_option(tui)
    tui.set_defaults(func=run_tui)
    for name in COMMAND_MODULES if commands else ():
        importlib.import_module(name).register(sub, common)
    parser.set_defaults(func=run_tui)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    from zet_tui.commands.common import (
        announce,
        db_path,
        questionnaire_source,
        require_terminal,
        run_tui_app,
    )
    from zet_tui.core.store import Store

    questionnaires = questionnaire_source(args)
    require_terminal("de interview-app", "start 'zet' in een terminal, of gebruik een "
                     "subcommando (zie 'zet --help')")
    path = db_path(args)
    session_id = getattr(args, "session", None)
    # Fail before the screen takes over the terminal, so the message stays readable:
    # a bad database or an unknown session id is one line on a normal terminal.
    store = Store.open(path)
    try:
        announce(store)
        if session_id:
            session_id = store.session(session_id).id
            store.answers(session_id)  # damaged answers: one line here, not a refusal inside
        from zet_tui.app.app import ZetApp

        # The app goes on with this store (and shows its notices once more, on screen).
        app = ZetApp(db_path=path, session_id=session_id, questionnaire_paths=questionnaires,
                     ascii=True if getattr(args, "ascii", False) else None, store=store)
    except BaseException:
        store.close()
        raise
    return run_tui_app(app)


def opens_app(argv: Sequence[str]) -> bool:
    """True when the arguments can only mean the app: `zet`, `zet tui ...`, each
    optionally after `--db PATH` or `--questionnaires MAP`. Anything else (`--help`,
    another command) gets the full parser."""
    tokens = iter(argv)
    for token in tokens:
        if token in APP_OPTIONS:
            next(tokens, None)
        elif not token.startswith(tuple(f"{option}=" for option in APP_OPTIONS)):
            return token == "tui"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything zet-tui writes is for the owner only
    # Until the app's first screen is complete (or a command's arguments are read); on
    # every way out it runs again, also for a caller in the same process (the tests).
    collector.pause()
    try:
        return _main(argv)
    finally:
        collector.resume()


def _main(argv: Sequence[str] | None) -> int:
    from zet_tui.commands.common import TerminalSafeStream

    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands=not opens_app(args_list))
    args = parser.parse_args(args_list)
    if args.func is not run_tui:
        collector.resume()  # a command may run long (serve, coverage --watch, merge)
    stdout = sys.stdout
    if stdout is not None and stdout.isatty():
        sys.stdout = TerminalSafeStream(stdout)
    try:
        return _run(args)
    finally:
        sys.stdout = stdout


def _run(args: argparse.Namespace) -> int:
    from zet_tui.commands.common import UserError
    from zet_tui.core.questionnaire import QuestionnaireInvalid
    from zet_tui.core.safe_text import one_line
    from zet_tui.core.store import StoreError

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
