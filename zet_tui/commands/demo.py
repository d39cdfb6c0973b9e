"""`zet demo`: create a fictional demo evaluation to try the app and the exports."""

from __future__ import annotations

import argparse
from pathlib import Path

from zet_tui.commands.common import UserError, open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="maak een demo-evaluatie met fictieve casussen",
        description="Maak een demo-evaluatie: drie fictieve casussen, elk met een volledig "
                    "beantwoord inwoner-, professional- en dossiergesprek, met duidelijke "
                    "verschillen tussen perspectieven en een tijdlijn. Alle personen zijn "
                    "verzonnen.")
    p.add_argument("--questionnaires", metavar="MAP", type=Path, default=None,
                   help="map met vragenlijsten (standaard: de meegeleverde)")
    p.add_argument("--seed", type=int, default=7, help="startwaarde voor de willekeurige "
                   "antwoorden (standaard 7)")
    p.add_argument("--force", action="store_true",
                   help="voeg ook een demo toe als er al een is")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zet_tui.core.demo import build_demo, demo_questionnaires

    if args.questionnaires is not None and not args.questionnaires.is_dir():
        raise UserError(f"{args.questionnaires}: map niet gevonden")
    questionnaires = demo_questionnaires(args.questionnaires)
    with open_store(args) as store:
        result = build_demo(store, questionnaires, seed=args.seed, force=args.force)
    ev = result.evaluation
    print(f"Demo-evaluatie '{ev.name}' aangemaakt ({ev.id[:8]}): {len(result.case_codes)} "
          f"casussen ({', '.join(result.case_codes)}), {result.sessions} sessies, "
          f"{result.answers} antwoorden.")
    print(f"Exporteren: zet export --evaluation {ev.id[:8]}")
    return 0
