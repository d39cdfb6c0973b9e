"""`zet codebook check|list`, and the codebook every coding command validates against."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zet_tui.commands.common import UserError, add_questionnaires_option, questionnaire_source
from zet_tui.core.codebook import codebook_path, known_theme_ids, load_codebook
from zet_tui.core.coding import Codebook
from zet_tui.core.vocab import tag_label


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("codebook", help="het codeboek van de analyse controleren en tonen",
                       description="Het codeboek (Markdown, standaard questionnaires/codeboek.md) "
                                   "controleren en tonen.")
    csub = p.add_subparsers(dest="ccommand", metavar="ACTIE")
    csub.required = True
    check = csub.add_parser("check", parents=[common], help="controleer een codeboek",
                            description="Controleer een codeboek; elke fout als pad:regel: "
                                        "uitleg. Thema's worden gecontroleerd tegen de "
                                        "vragenlijsten in dezelfde map. Exit 1 bij fouten.")
    check.add_argument("path", nargs="?", type=Path, metavar="BESTAND",
                       help=f"codeboek (standaard: {codebook_path()})")
    check.set_defaults(func=run_check)
    lst = csub.add_parser("list", parents=[common], help="toon de codes",
                          description="Toon de codes van het codeboek met hun koppelingen.")
    lst.add_argument("path", nargs="?", type=Path, metavar="BESTAND", help="codeboek")
    lst.set_defaults(func=run_list)


def add_codebook_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--codebook", type=Path, metavar="BESTAND", default=None,
                   help="codeboek (standaard: codeboek.md naast de vragenlijsten)")
    add_questionnaires_option(p)


def codebook_for(args: argparse.Namespace) -> Codebook:
    """The codebook of `--codebook`, else the one next to the questionnaires in use (see
    `core/codebook.codebook_path`); every problem on stderr, then one line."""
    path = getattr(args, "codebook", None) or codebook_path(questionnaire_source(args) or [])
    result = load_codebook(Path(path).expanduser())
    if not result.ok or result.codebook is None:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        raise UserError(f"{path}: het codeboek heeft {len(result.problems)} fout(en); los ze op "
                        "(zie 'zet codebook check') en probeer opnieuw")
    return result.codebook


def run_check(args: argparse.Namespace) -> int:
    path: Path = (args.path or codebook_path()).expanduser()
    themes = known_theme_ids(path.parent) if path.parent.is_dir() else set()
    result = load_codebook(path, themes or None)
    for problem in result.problems:
        print(problem)
    if not result.ok or result.codebook is None:
        return 1
    book = result.codebook
    print(f"{path}: ok ({book.id} {book.version}, {len(book.codes)} codes)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    args.codebook = args.path
    book = codebook_for(args)
    group = None
    for code in book.codes:
        if code.group != group:
            group = code.group
            print(f"# {group}" if group else "#")
        links = [tag_label(f"werkzaam:{w}") for w in code.werkzaam]
        links += [tag_label(f"basisfunctie:{b}") for b in code.basisfunctie]
        extra = f"  [{'; '.join(links)}]" if links else ""
        print(f"{code.id:<24} {code.label}{extra}")
    return 0
