"""`zet merge A.db B.db ... --into evaluatie.db`: combine interviewer laptops' databases.

Exit codes: 0 merged without conflicts, 4 merged but conflicts were reported
(the target kept its own rows for those), 5 a source still holds data of a
case that was erased in the target (that data was refused; everything else was
merged), 1 a user error (nothing merged from that source).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from zet_tui.commands.common import UserError
from zet_tui.core.merge import TABLE_LABELS, TABLES, SourceReport, merge_files

EXIT_CONFLICTS = 4
EXIT_REFUSED = 5


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "merge", help="voeg databases van interviewers samen",
        description="Voeg de databases van meerdere interviewers (laptops) samen tot één "
                    "evaluatie. Bronbestanden worden nooit gewijzigd; dezelfde bron twee keer "
                    "samenvoegen verandert niets. Exitcode 0: samengevoegd zonder conflicten; "
                    "4: samengevoegd, maar er zijn conflicten gemeld (het doel hield daar zijn "
                    "eigen gegevens); 5: een bron bevat nog gegevens van een casus die in het "
                    "doel is gewist (die zijn geweigerd); 1: fout in de invoer. Een casus die "
                    "in een bron is gewist (zet purge), wordt ook in het doel gewist.")
    p.add_argument("sources", nargs="+", type=Path, metavar="BRON.db",
                   help="databases om samen te voegen (worden niet gewijzigd)")
    p.add_argument("--into", required=True, type=Path, metavar="DOEL.db",
                   help="database waarin wordt samengevoegd (wordt aangemaakt als die niet bestaat)")
    p.add_argument("--dry-run", action="store_true",
                   help="toon wat er zou gebeuren, zonder iets op te slaan")
    p.set_defaults(func=run)


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{counter[t]} {TABLE_LABELS[t]}" for t in TABLES if counter.get(t))


def print_report(report: SourceReport, *, dry_run: bool) -> None:
    verb = "zou toevoegen" if dry_run else "toegevoegd"
    print(f"{report.source}:")
    print(f"  {verb}: {_counts(report.added) or 'niets'}")
    if report.updated:
        print(f"  {'zou bijwerken' if dry_run else 'bijgewerkt'}: {_counts(report.updated)}")
    if report.removed:
        print(f"  {'zou verwijderen' if dry_run else 'verwijderd'}: {_counts(report.removed)}")
    if report.identical:
        print(f"  al aanwezig: {_counts(report.identical)}")
    if report.skipped:
        print(f"  overgeslagen: {_counts(report.skipped)}")
    for message in report.erased:
        print(f"  {'zou wissen' if dry_run else 'gewist'}: {message}")
    for message in report.refused:
        print(f"  geweigerd: {message}")
    for message in report.notes:
        print(f"  let op: {message}")
    if report.conflicts:
        print(f"  {len(report.conflicts)} conflict(en):")
        for c in report.conflicts:
            print(f"    - {c.message}")


def run(args: argparse.Namespace) -> int:
    for src in args.sources:
        if not src.expanduser().exists():
            raise UserError(f"{src}: bestand bestaat niet")
    into: Path = args.into.expanduser()
    if into.exists() and into.is_dir():
        raise UserError(f"{into}: is een map; geef een databasebestand")
    if not into.parent.exists():
        raise UserError(f"{into}: de map {into.parent} bestaat niet")
    actor = os.environ.get("USER", "")
    reports = merge_files(args.sources, into, dry_run=args.dry_run, actor=actor,
                          on_report=lambda r: print_report(r, dry_run=args.dry_run))
    conflicts = sum(len(r.conflicts) for r in reports)
    refused = sum(len(r.refused) for r in reports)
    if args.dry_run:
        print("Proefrun: er is niets opgeslagen.")
    if refused:
        print(f"{refused} gewiste casus(sen) geweigerd: de bron bevat nog gegevens die in het "
              "doel met zet purge zijn verwijderd. Wis ze ook in de bron (zie hierboven).",
              file=sys.stderr)
        return EXIT_REFUSED
    if conflicts:
        print(f"{conflicts} conflict(en): het doel hield daar zijn eigen gegevens. Los ze op in "
              "de bron of het doel en voeg opnieuw samen.")
        return EXIT_CONFLICTS
    return 0
