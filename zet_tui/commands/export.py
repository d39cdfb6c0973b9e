"""`zet export`: transcripts, analyseschema, evaluation report and tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zet_tui.commands.common import UserError, open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common], help="exporteer transcripten, analyseschema's, rapport en tabellen",
        description="Exporteer een evaluatie, een casus of één sessie: transcripten en "
                    "analyseschema's (Markdown), het evaluatierapport, en de antwoorden als "
                    "CSV, XLSX en JSON. Schrijft in een nieuwe map onder --out; een eerdere "
                    "export wordt nooit overschreven.")
    which = p.add_mutually_exclusive_group()
    p.add_argument("--evaluation", metavar="ID", help="evaluatie (id, begin van het id of naam)")
    which.add_argument("--case", metavar="CODE", help="alleen deze casus")
    which.add_argument("--session", metavar="ID", help="alleen deze sessie (id of begin ervan)")
    p.add_argument("--format", metavar="LIJST", default="md,csv,xlsx,json",
                   help="formaten, komma-gescheiden: md,csv,xlsx,json (standaard: alle)")
    p.add_argument("--out", "--to", dest="out", metavar="MAP", type=Path, default=Path("exports"),
                   help="map waarin de exportmap komt (standaard: ./exports)")
    p.add_argument("--pseudonymize", action="store_true",
                   help="vervang casuscodes, laat namen van interviewers weg en vervang de "
                        "namen en plaatsen van de casus (zie 'zet terms') in alle vrije tekst")
    p.add_argument("--terms", metavar="BESTAND", type=Path,
                   help="extra te vervangen namen en plaatsen, één per regel (met --pseudonymize)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from zet_tui.commands.terms import terms_from_file
    from zet_tui.export.runner import ExportError, parse_formats, run_export, select

    if args.terms is not None and not args.pseudonymize:
        raise UserError("--terms werkt alleen samen met --pseudonymize")
    extra = terms_from_file(args.terms) if args.terms is not None else []
    try:
        formats = parse_formats(args.format)
        with open_store(args) as store:
            selection = select(store, evaluation=args.evaluation, case=args.case,
                               session=args.session)
            tty = sys.stderr.isatty()
            shown = [-1]

            def progress(done: int, total: int, label: str) -> None:
                # a counter line on a terminal, at most ~100 updates; silent in scripts and logs
                step = done * 100 // max(total, 1)
                if tty and (step != shown[0] or done == total):
                    shown[0] = step
                    print(f"\rexporteren: {done}/{total} bestanden", end="", file=sys.stderr,
                          flush=True)

            result = run_export(store, selection, root=args.out, formats=formats,
                                pseudonymize=args.pseudonymize, extra_terms=extra,
                                progress=progress)
            if tty:
                print(file=sys.stderr)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(result.folder)
    return 0
