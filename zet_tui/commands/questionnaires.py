"""`zet questionnaires check|list`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zet_tui.commands.common import add_questionnaires_option, questionnaire_source
from zet_tui.commands.text_table import table_lines
from zet_tui.core.questionnaire_loader import load_file, questionnaire_files, shipped_dir
from zet_tui.core.safe_text import one_line
from zet_tui.core.wording import count


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("questionnaires", help="vragenlijsten controleren en tonen",
                       description="Vragenlijsten (Markdown) controleren en tonen.")
    qsub = p.add_subparsers(dest="qcommand", metavar="ACTIE")
    qsub.required = True
    check = qsub.add_parser("check", parents=[common], help="controleer vragenlijstbestanden",
                            description="Controleer vragenlijsten; elke fout als pad:regel: "
                                        "uitleg. Exit 1 bij fouten.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PAD",
                       help="bestanden of mappen (standaard: --questionnaires, $ZET_QUESTIONNAIRES "
                            f"of de meegeleverde in {shipped_dir()})")
    add_questionnaires_option(check)
    check.set_defaults(func=run_check)
    lst = qsub.add_parser("list", parents=[common], help="toon de beschikbare vragenlijsten",
                          description="Toon de geldige vragenlijsten met hun id, perspectief, "
                                      "versie en aantal vragen.")
    lst.add_argument("paths", nargs="*", type=Path, metavar="PAD", help="bestanden of mappen")
    add_questionnaires_option(lst)
    lst.set_defaults(func=run_list)


def _targets(args: argparse.Namespace) -> list[Path] | None:
    return list(args.paths) or questionnaire_source(args)


def run_check(args: argparse.Namespace) -> int:
    targets = _targets(args)
    files = questionnaire_files(targets)
    if not files:
        where = one_line(", ".join(map(str, targets or [shipped_dir()])))
        print(f"geen vragenlijsten (*.md) gevonden in {where}",
              file=sys.stderr)
        return 1
    bad = 0
    for path in files:
        result = load_file(path)
        for problem in result.problems:
            print(problem)
        if result.ok and result.questionnaire is not None:
            q = result.questionnaire
            n = sum(1 for _ in q.questions())
            themes = count(len(q.themes), "thema", "thema's")
            print(f"{one_line(str(path))}: ok ({one_line(q.id)} {one_line(q.version)}, {themes}, "
                  f"{count(n, 'vraag', 'vragen')})")
        else:
            bad += 1
    return 1 if bad else 0


def run_list(args: argparse.Namespace) -> int:
    rc = 0
    rows: list[list[str]] = []
    for path in questionnaire_files(_targets(args)):
        result = load_file(path)
        q = result.questionnaire
        if q is None:
            print(f"{one_line(str(path))}: ongeldig ({count(len(result.problems), 'fout', 'fouten')}; "
                  f"zie 'zet questionnaires "
                  f"check')", file=sys.stderr)
            rc = 1
            continue
        rows.append([one_line(q.id), q.perspective, one_line(q.version),
                     str(sum(1 for _ in q.questions())), one_line(q.title)])
    if rows:
        print("\n".join(table_lines(["id", "perspectief", "versie", "vragen", "titel"], rows, numbers=[3])))
    return rc
