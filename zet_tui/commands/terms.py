"""`zet terms add|list`: names and places to hide when exporting with --pseudonymize."""

from __future__ import annotations

import argparse
from pathlib import Path

from zet_tui.commands.common import UserError, open_store
from zet_tui.core.privacy import read_terms_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("terms", help="te vervangen namen en plaatsen per casus",
                       description="Beheer per casus de namen en plaatsen die bij "
                                   "'zet export --pseudonymize' uit alle vrije tekst "
                                   "worden vervangen.")
    tsub = p.add_subparsers(dest="tcommand", metavar="ACTIE")
    tsub.required = True
    add = tsub.add_parser("add", parents=[common], help="voeg namen of plaatsen toe",
                          description="Voeg te vervangen namen of plaatsen toe aan een casus.")
    add.add_argument("--case", required=True, metavar="CODE", help="code van de casus")
    add.add_argument("--evaluation", metavar="ID", help="evaluatie (als de code vaker voorkomt)")
    add.add_argument("--file", type=Path, metavar="BESTAND",
                     help="bestand met één naam of plaats per regel")
    add.add_argument("terms", nargs="*", metavar="TERM", help="naam of plaats")
    add.set_defaults(func=run_add)
    lst = tsub.add_parser("list", parents=[common], help="toon de namen en plaatsen van een casus",
                          description="Toon de te vervangen namen en plaatsen van een casus.")
    lst.add_argument("--case", required=True, metavar="CODE", help="code van de casus")
    lst.add_argument("--evaluation", metavar="ID", help="evaluatie (als de code vaker voorkomt)")
    lst.set_defaults(func=run_list)


def terms_from_file(path: Path) -> list[str]:
    try:
        return read_terms_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "geen UTF-8-tekst"
        raise UserError(f"{path}: kan bestand niet lezen ({reason})") from None


def run_add(args: argparse.Namespace) -> int:
    terms = [t.strip() for t in args.terms if t.strip()]
    if args.file is not None:
        terms += terms_from_file(args.file)
    if not terms:
        raise UserError("geef minstens één naam of plaats (of --file)")
    with open_store(args) as store:
        ev = store.find_evaluation(args.evaluation).id if args.evaluation else None
        case = store.find_case(args.case, ev)
        for term in terms:
            store.add_sensitive_term(case.id, term)
    print(f"{len(terms)} naam/namen toegevoegd aan casus {case.code}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        ev = store.find_evaluation(args.evaluation).id if args.evaluation else None
        case = store.find_case(args.case, ev)
        terms = store.sensitive_terms(case.id)
    if not terms:
        print(f"Casus {case.code} heeft nog geen te vervangen namen.")
    for term, replacement in terms:
        print(f"{term}\t-> {replacement}" if replacement else term)
    return 0
