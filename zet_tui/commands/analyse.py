"""`zet analyse`: the analyst's coding screen for one evaluation."""

from __future__ import annotations

import argparse

from zet_tui.commands.codebook import add_codebook_arg, codebook_for
from zet_tui.commands.coding import evaluation_arg, evaluation_id
from zet_tui.commands.common import db_path, open_store, require_terminal, run_tui_app


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
    path = db_path(args, create=False)
    book = codebook_for(args)
    # Resolve everything before the screen takes over the terminal, so errors stay readable.
    with open_store(args) as store:
        eid = evaluation_id(store, args)
    require_terminal("het analysescherm", "start 'zet analyse' in een terminal, of gebruik "
                     "'zet code' en 'zet quote'")
    from zet_tui.app.analyse_app import AnalyseApp

    return run_tui_app(AnalyseApp(path, eid, book, analyst=args.name.strip()))
