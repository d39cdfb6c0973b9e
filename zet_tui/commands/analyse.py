"""`zet analyse`: the analyst's coding screen for one evaluation."""

from __future__ import annotations

import argparse

from zet_tui.commands.codebook import add_codebook_arg, codebook_for
from zet_tui.commands.coding import evaluation_arg, evaluation_id
from zet_tui.commands.common import UserError, db_path, open_store, run_tui_app


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "analyse", parents=[common], help="codeer de toelichtingen van een evaluatie",
        description="Open het analysescherm: per thema de antwoorden van alle casussen en "
                    "perspectieven naast elkaar, met de toelichting voluit. Codeer antwoorden "
                    "of fragmenten met het codeboek, markeer citaten en verschillen, en schrijf "
                    "per casus een samenvatting.")
    evaluation_arg(p)
    p.add_argument("--name", metavar="NAAM", default="",
                   help="jouw naam, voor het logboek (zonder: de app vraagt erom)")
    add_codebook_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zet_tui.cli import has_terminal

    path = db_path(args, create=False)
    book = codebook_for(args)
    # Resolve everything before the screen takes over the terminal, so errors stay readable.
    with open_store(args) as store:
        eid = evaluation_id(store, args)
    if not has_terminal():
        # like `zet`: no escape codes into a pipe, no waiting for keys that never come
        raise UserError("het analysescherm heeft een terminal nodig, maar invoer of uitvoer is "
                        "omgeleid; start 'zet analyse' in een terminal, of gebruik 'zet code' "
                        "en 'zet quote'", 2)
    from zet_tui.app.analyse_app import AnalyseApp

    return run_tui_app(AnalyseApp(path, eid, book, analyst=args.name.strip()))
