"""`zet evaluations`: list evaluations, cases and sessions in a database."""

from __future__ import annotations

import argparse

from zet_tui.commands.common import open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluations", parents=[common], help="toon evaluaties, casussen en sessies",
                       description="Toon alle evaluaties met hun casussen en sessies.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        evaluations = store.evaluations()
        if not evaluations:
            print("Nog geen evaluaties. Start 'zet' om er een aan te maken, of 'zet demo'.")
            return 0
        for ev in evaluations:
            where = f" ({ev.municipality})" if ev.municipality else ""
            print(f"{ev.id[:8]}  {ev.name}{where}")
            for case in store.cases(ev.id):
                print(f"  casus {case.code}")
                for s in store.sessions(case_id=case.id):
                    print(f"    {s.id[:8]}  {s.perspective:<13} {s.status:<9} "
                          f"{s.questionnaire.title}")
    return 0
