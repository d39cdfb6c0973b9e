"""`zet demo`: create a fictional demo evaluation to try the app and the exports."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from zet_tui.commands.common import add_questionnaires_option, open_store, questionnaire_source

if TYPE_CHECKING:
    from zet_tui.core.demo import DemoResult
    from zet_tui.core.questionnaire import Questionnaire


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="maak een demo-evaluatie met fictieve casussen",
        description="Maak een demo-evaluatie: drie fictieve casussen, elk met een volledig "
                    "beantwoord inwoner-, professional- en dossiergesprek, met duidelijke "
                    "verschillen tussen perspectieven en een tijdlijn. Met de meegeleverde "
                    "vragenlijsten komt er een tweede, grotere demo bij: elf casussen in drie "
                    "gemeenten met knelpunten, succesfactoren en een uitschieter, om het "
                    "evaluatierapport te bekijken. Alle personen en plaatsen zijn verzonnen.")
    add_questionnaires_option(p)
    p.add_argument("--seed", metavar="GETAL", type=int, default=7, help="startwaarde voor de willekeurige "
                   "antwoorden (standaard 7)")
    p.add_argument("--force", action="store_true",
                   help="voeg ook een demo toe als er al een is")
    p.add_argument("--follow-up", action="store_true", dest="follow_up",
                   help="voeg ook de terugkoppelbijeenkomst en een vervolgmeting toe, om "
                        "'zet compare' te proberen")
    p.add_argument("--regio", action="store_true",
                   help="maak in plaats daarvan een fictieve regio van vijf gemeenten, elk met "
                        "een evaluatie en een beleidsvragenlijst (met --follow-up ook een "
                        "tweede ronde, om 'zet compare --regio' te proberen)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.regio:
        return run_region(args)
    from zet_tui.core.demo import DEMO_NAME, build_demo, demo_name, demo_questionnaires
    from zet_tui.core.demo_regio import build_regio_demo

    source = questionnaire_source(args)
    questionnaires = demo_questionnaires(source)
    with open_store(args, create=True) as store:
        regio = None
        if source is None:
            # the regional demo plants its patterns on the shipped questions; made first, so the
            # three-case demo stays the newest evaluation (the one the start screen offers)
            demo_name(store, DEMO_NAME, args.force)  # refused before the regional one is made
            regio = build_regio_demo(store, questionnaires, force=args.force)
        result = build_demo(store, questionnaires, seed=args.seed, force=args.force)
    ev = result.evaluation
    print(f"Demo-evaluatie '{ev.name}' aangemaakt ({ev.id[:8]}): {len(result.case_codes)} "
          f"casussen ({', '.join(result.case_codes)}), {result.sessions} sessies, "
          f"{result.answers} antwoorden, {result.codings} coderingen.")
    print(f"Exporteren: zet export --evaluation {ev.id[:8]}")
    if regio is not None:
        r = regio.evaluation
        print(f"Demo-evaluatie '{r.name}' aangemaakt ({r.id[:8]}): {len(regio.case_ids)} casussen in "
              f"drie gemeenten, {len(regio.sessions)} sessies, {regio.answers} antwoorden; het "
              "evaluatierapport toont knelpunten en succesfactoren over de casussen heen.")
        print(f"Exporteren: zet export --evaluation {r.id[:8]}")
    if args.follow_up:
        _follow_up(args, result, questionnaires)
    return 0


def _follow_up(args: argparse.Namespace, result: DemoResult,
               questionnaires: dict[str, Questionnaire]) -> None:
    from zet_tui.core.demo_followup import FOLLOW_UP_CASES, build_follow_up_demo

    with open_store(args, create=True) as store:
        follow = build_follow_up_demo(store, result, questionnaires, seed=args.seed + 4)
    a, b = follow.first, follow.follow_up
    print(f"Terugkoppelbijeenkomst vastgelegd bij '{a.name}': {follow.findings} bevindingen, "
          f"{len(follow.improvements)} verbeterpunten.")
    print(f"Vervolgmeting '{b.name}' aangemaakt ({b.id[:8]}): {len(FOLLOW_UP_CASES)} casussen, "
          f"{follow.sessions} sessies, {follow.answers} antwoorden.")
    print(f"Vergelijken: zet compare {a.id[:8]} {b.id[:8]}")


def run_region(args: argparse.Namespace) -> int:
    from zet_tui.core.region_demo import MUNICIPALITIES, build_region_demo

    with open_store(args, create=True) as store:
        result = build_region_demo(store, questionnaire_source(args), follow_up=args.follow_up,
                                   force=args.force)
    region = result.region
    print(f"Demoregio '{region.name}' aangemaakt ({region.id[:8]}): "
          f"{len(MUNICIPALITIES)} gemeenten, {result.sessions} sessies, {result.answers} antwoorden.")
    print(f"Bekijken: zet regio toon {region.id[:8]}  ·  exporteren: zet regio export {region.id[:8]}")
    if result.follow_up is not None:
        print(f"Tweede ronde '{result.follow_up.name}' ({result.follow_up.id[:8]}); vergelijken: "
              f"zet compare --regio {region.id[:8]} {result.follow_up.id[:8]}")
    return 0
