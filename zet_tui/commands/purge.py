"""`zet purge --case CODE`: delete a case and everything about it, for good.

A resident may withdraw consent, or a case may have been entered by mistake.
The store deletes every row and rewrites the file (VACUUM + WAL truncate), so
the text is gone from the bytes on disk, not just hidden. Backups and exports
made earlier still hold the case: we list the backups next to the database and
the export folders (recognised by their `.zet-export.json`) in ./exports, next
to the database and in every `--exports` folder, so the user can deal with them
too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zet_tui.commands.common import UserError, db_path, open_store
from zet_tui.export.folders import folders_holding


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("purge", parents=[common], help="verwijder een casus definitief",
                       description="Verwijder een casus met al zijn sessies, antwoorden, "
                                   "gebeurtenissen en notities definitief uit de database, "
                                   "en herschrijf het bestand zodat de tekst ook op schijf "
                                   "weg is.")
    p.add_argument("--case", required=True, metavar="CODE", help="code (pseudoniem) van de casus")
    p.add_argument("--evaluation", metavar="ID",
                   help="evaluatie (id of naam), nodig als de code in meerdere evaluaties voorkomt")
    p.add_argument("--yes", action="store_true",
                   help="niet om bevestiging vragen (nodig zonder terminal)")
    p.add_argument("--exports", action="append", default=[], type=Path, metavar="MAP",
                   help="zoek ook in deze map naar exports die de casus nog bevatten (mag vaker; "
                        "./exports en de map exports naast de database worden altijd bekeken)")
    p.set_defaults(func=run)


def _confirm(question: str) -> bool:
    try:
        reply = input(question)
    except EOFError:
        return False
    return reply.strip().lower() in ("j", "ja", "y", "yes")


def run(args: argparse.Namespace) -> int:
    path = db_path(args, create=False)
    with open_store(args) as store:
        evaluation_id = store.find_evaluation(args.evaluation).id if args.evaluation else None
        case = store.find_case(args.case, evaluation_id)
        sessions = store.sessions(case_id=case.id)
        summary = (f"casus '{case.code}' met {len(sessions)} sessie(s) en alle antwoorden, "
                   "notities en gebeurtenissen")
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("purge verwijdert gegevens definitief; bevestig met --yes "
                                "(er is geen terminal om het te vragen)", 2)
            if not _confirm(f"Definitief verwijderen: {summary}? Dit kan niet ongedaan worden "
                            "gemaakt. [j/N] "):
                print("Niets verwijderd.")
                return 1
        counts = store.purge_case(case.id)
    print(f"Verwijderd: casus '{case.code}', {counts.get('session', 0)} sessie(s), "
          f"{counts.get('answer', 0)} antwoord(en), {counts.get('note', 0)} notitie(s), "
          f"{counts.get('event', 0)} gebeurtenis(sen). Het bestand is herschreven.")
    if counts.get("checkpoint_busy"):
        print("Let op: een ander programma had de database open; oude gegevens kunnen in "
              f"{path.name}-wal blijven staan tot alle zet-vensters gesloten zijn.")
    copies = _copies_next_to(path)
    if copies:
        print("Let op: deze kopieën bevatten de casus nog en zijn niet aangepast:")
        for copy in copies:
            print(f"  {copy}")
    exports = folders_holding(case.id, [Path("exports"), path.parent / "exports", *args.exports])
    if exports:
        print("Let op: deze exportmappen bevatten de casus nog; verwijder ze (en gedeelde "
              "kopieën ervan) zelf:")
        for folder in exports:
            print(f"  {folder}")
    return 0


def _copies_next_to(path: Path) -> list[Path]:
    """Backups (`zet backup`) and pre-migration copies that may still hold the case."""
    patterns = (f"{path.name}.backup-*", f"{path.name}.v*.bak")
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in path.parent.glob(pattern) if p.is_file())
    return sorted(found)
