"""`zet start`: start a session from the command line, then (by default) open it in the app.

The same checks as the start screen: a questionnaire by id (any of them, also the
Wmo checklist), an existing evaluation or a new one, a case code (a new code makes
a new case, as in the form), the interviewer, and recorded consent for the three
perspectives that talk about a resident.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zet_tui.commands.common import (
    UserError,
    add_questionnaires_option,
    db_path,
    open_store,
    questionnaire_source,
    require_terminal,
    run_tui_app,
)
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import StoreError, consent_subject


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "start", parents=[common], help="start een sessie (ook de Wmo-checklist) en open die",
        description="Start een nieuwe sessie met een vragenlijst, zoals het startscherm, en open "
                    "die in de interview-app. Vragenlijsten: zie 'zet questionnaires list'.")
    p.add_argument("--questionnaire", metavar="ID", required=True,
                   help="id van de vragenlijst, bijv. inwoner of wmo-checklist")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--evaluation", metavar="E", help="bestaande evaluatie (id, begin van het "
                                                           "id of naam)")
    where.add_argument("--new-evaluation", metavar="NAAM", help="maak een nieuwe evaluatie")
    p.add_argument("--municipality", metavar="GEMEENTE", default="",
                   help="gemeente, bij --new-evaluation")
    p.add_argument("--case", metavar="CODE", required=True,
                   help="casuscode (een pseudoniem, nooit een echte naam); een nieuwe code maakt "
                        "een nieuwe casus; bij de Wmo-checklist: de aanpak die u bekijkt")
    p.add_argument("--interviewer", metavar="NAAM", required=True, help="wie het interview afneemt")
    p.add_argument("--reviewer", metavar="NAAM", default="",
                   help="de reviewer: de tweede persoon, die meekijkt (optioneel)")
    p.add_argument("--consent-by", metavar="WIE", default="",
                   help="wie toestemming gaf (nodig voor inwoner, professional en dossier)")
    p.add_argument("--consent-note", metavar="TEKST", default="", help="opmerking bij de toestemming")
    p.add_argument("--no-open", action="store_true",
                   help="alleen aanmaken en het sessie-id tonen, de app niet openen")
    add_questionnaires_option(p)
    p.set_defaults(func=run)


def find_questionnaire(ref: str, source: list[Path] | None = None) -> Questionnaire:
    """A valid questionnaire by id (or file path) from the configured folders."""
    from zet_tui.core.questionnaire_loader import load_file, questionnaire_files

    as_path = Path(ref).expanduser()
    files = [as_path] if as_path.suffix == ".md" else questionnaire_files(source)
    known: list[str] = []
    for path in files:
        result = load_file(path)
        q = result.questionnaire
        if q is None or not result.ok:
            if path == as_path:
                raise UserError(f"{path}: ongeldige vragenlijst (zie 'zet questionnaires check "
                                f"{path}')")
            continue
        if q.id == ref or path == as_path:
            return q
        known.append(q.id)
    raise UserError(f"vragenlijst '{ref}' niet gevonden; bekend: {', '.join(known) or 'geen'}")


def run(args: argparse.Namespace) -> int:
    source = questionnaire_source(args)
    questionnaire = find_questionnaire(args.questionnaire, source)
    interviewer = args.interviewer.strip()
    if not interviewer:
        raise UserError("--interviewer mag niet leeg zijn")
    what = consent_subject(questionnaire.perspective)
    if what is not None and not args.consent_by.strip():
        raise UserError(f"zonder toestemming voor {what} start deze sessie niet: geef "
                        "--consent-by WIE")
    path = db_path(args, create=True)
    with open_store(args, create=True) as store:  # like the app: creates the file if needed
        if args.evaluation:
            evaluation = store.find_evaluation(args.evaluation)
        else:
            evaluation = store.create_evaluation(args.new_evaluation, args.municipality,
                                                 actor=interviewer)
            print(f"Nieuwe evaluatie '{evaluation.name}' ({evaluation.id[:8]}).")
        try:
            case = store.find_case(args.case, evaluation.id)
        except StoreError:
            case = store.add_case(evaluation.id, args.case, actor=interviewer)
            print(f"Nieuwe casus '{case.code}'.")
        session = store.start_session(
            case.id, questionnaire, interviewer=interviewer, co_interviewer=args.reviewer,
            consent_given=bool(args.consent_by.strip()), consent_by=args.consent_by,
            consent_note=args.consent_note, actor=interviewer)
    print(f"Sessie {session.id} gestart: casus {case.code}, {questionnaire.title}.")
    if args.no_open:
        return 0
    # The session is saved: without a terminal, say how to open it later (exit 2).
    require_terminal("de interview-app", f"open de sessie in een terminal met 'zet tui "
                     f"--session {session.id}'")
    from zet_tui.app.app import ZetApp

    return run_tui_app(ZetApp(db_path=path, session_id=session.id, questionnaire_paths=source))
