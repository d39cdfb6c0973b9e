"""`zet review`: the second person of the interview pair follows a session live.

The reviewer runs this in their own terminal on the same database file as the
interviewer; WAL lets both read and write without blocking each other.
"""

from __future__ import annotations

import argparse

from zet_tui.commands.common import db_path, open_store, run_tui_app


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "review", parents=[common], help="volg als reviewer een sessie live",
        description="Open de reviewmodus: zie live welke thema's besproken zijn en wat er "
                    "geantwoord wordt, zet notities en doorvraag-vlaggen voor de interviewer, "
                    "en rond na afloop de review af.")
    p.add_argument("--session", metavar="ID", help="de sessie (id of begin van het id); "
                                                    "zonder: kies uit een lijst")
    p.add_argument("--name", metavar="NAAM", default="",
                   help="jouw naam, voor het logboek (zonder: de app vraagt erom)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = db_path(args, create=False)
    # Resolve everything before the screen takes over the terminal, so errors stay readable.
    with open_store(args) as store:
        session_id = store.session(args.session).id if args.session else None
        if session_id:
            store.answers(session_id)  # damaged answers: one line here, not an empty screen
    from zet_tui.app.review_app import ReviewApp

    return run_tui_app(ReviewApp(path, session_id=session_id, reviewer_name=args.name.strip()))
