"""`zet code add|list|remove|reanchor` and `zet quote add|list|remove`: coding from scripts.

An answer is addressed like the analyst sees it: case code, perspective and
question id (or the session id instead of case and perspective). A fragment is
given as its text (`--fragment`, found in the toelichting) or as offsets
(`--start/--end`, code points); without either a code applies to the whole
answer. The checks and messages are the store's and the codebook's, the same
as in the coding screen.
"""

from __future__ import annotations

import argparse
import difflib
import json
from dataclasses import asdict
from typing import Any

from zet_tui.commands.codebook import add_codebook_arg, codebook_for
from zet_tui.commands.common import UserError, open_store
from zet_tui.core import anchors
from zet_tui.core.coding import Codebook, Coding, Polarity, Quote
from zet_tui.core.store import Case, Session, Store
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS

ACTOR = "zet code"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("code", help="coderingen van toelichtingen toevoegen, tonen, verwijderen",
                       description="Codeer antwoorden of fragmenten van hun toelichting met een "
                                   "code uit het codeboek, met een polariteit (knelpunt, "
                                   "succesfactor of neutraal).")
    csub = p.add_subparsers(dest="code_command", metavar="ACTIE")
    csub.required = True
    add = csub.add_parser("add", parents=[common], help="codeer een antwoord of fragment",
                          description="Codeer een antwoord, of een fragment van de toelichting.")
    _answer_args(add)
    add.add_argument("--code", required=True, metavar="CODE", help="id van de code (zie "
                                                                   "'zet codebook list')")
    add.add_argument("--polarity", choices=[p.value for p in Polarity], default=None,
                     metavar="POLARITEIT",
                     help="knelpunt, succesfactor of neutraal (standaard: uit de score)")
    _fragment_args(add)
    add.add_argument("--memo", default="", metavar="TEKST", help="korte toelichting van de analist")
    add_codebook_arg(add)
    add.set_defaults(func=run_add)

    lst = csub.add_parser("list", parents=[common], help="toon coderingen",
                          description="Toon de coderingen van een evaluatie; fragmenten waarvan "
                                      "de toelichting later is gewijzigd staan als 'controleren'.")
    _filter_args(lst)
    lst.add_argument("--code", metavar="CODE", help="alleen deze code")
    lst.set_defaults(func=run_list)

    rm = csub.add_parser("remove", parents=[common], help="verwijder een codering",
                         description="Verwijder een codering (id of begin van het id).")
    rm.add_argument("id", metavar="ID")
    rm.set_defaults(func=run_remove)

    re_ = csub.add_parser("reanchor", parents=[common],
                          help="zet een codering opnieuw vast op de gewijzigde toelichting",
                          description="Zet het fragment van een codering opnieuw vast nadat de "
                                      "toelichting is gewijzigd: op de plek waar de tekst nu "
                                      "staat, of op een nieuw fragment.")
    re_.add_argument("id", metavar="ID")
    _fragment_args(re_)
    re_.set_defaults(func=run_reanchor)

    q = sub.add_parser("quote", help="citaten voor het rapport vastleggen en tonen",
                       description="Markeer een fragment van een toelichting als citaat voor "
                                   "het rapport.")
    qsub = q.add_subparsers(dest="quote_command", metavar="ACTIE")
    qsub.required = True
    qadd = qsub.add_parser("add", parents=[common], help="markeer een citaat",
                           description="Markeer een fragment van een toelichting als citaat.")
    _answer_args(qadd)
    _fragment_args(qadd)
    qadd.add_argument("--memo", default="", metavar="TEKST", help="waarom dit citaat")
    qadd.set_defaults(func=run_quote_add)
    qlst = qsub.add_parser("list", parents=[common], help="toon citaten",
                           description="Toon de citaten van een evaluatie.")
    _filter_args(qlst)
    qlst.set_defaults(func=run_quote_list)
    qrm = qsub.add_parser("remove", parents=[common], help="verwijder een citaat",
                          description="Verwijder een citaat (id of begin van het id).")
    qrm.add_argument("id", metavar="ID")
    qrm.set_defaults(func=run_quote_remove)


# -- arguments -------------------------------------------------------------------------
def evaluation_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--evaluation", "-e", metavar="EVALUATIE",
                   help="id, begin van het id, of naam (nodig bij meer dan één evaluatie)")


def _answer_args(p: argparse.ArgumentParser) -> None:
    evaluation_arg(p)
    p.add_argument("--case", metavar="CODE", help="code van de casus")
    p.add_argument("--perspective", choices=list(CASE_PERSPECTIVES), metavar="PERSPECTIEF",
                   help="inwoner, professional of dossier")
    p.add_argument("--session", metavar="ID", help="de sessie (in plaats van casus en perspectief)")
    p.add_argument("--question", required=True, metavar="VRAAG", help="id van de vraag")
    p.add_argument("--name", default=ACTOR, metavar="NAAM", help="jouw naam, voor het logboek")


def _fragment_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fragment", metavar="TEKST",
                   help="het fragment zoals het in de toelichting staat")
    p.add_argument("--occurrence", type=int, default=None, metavar="N",
                   help="welke keer het fragment voorkomt, als het vaker voorkomt (1, 2, ...)")
    p.add_argument("--start", type=int, default=None, metavar="N",
                   help="begin van het fragment (tekenpositie, vanaf 0)")
    p.add_argument("--end", type=int, default=None, metavar="N",
                   help="einde van het fragment (tekenpositie, exclusief)")


def _filter_args(p: argparse.ArgumentParser) -> None:
    evaluation_arg(p)
    p.add_argument("--case", metavar="CODE", help="alleen deze casus")
    p.add_argument("--perspective", choices=list(CASE_PERSPECTIVES), metavar="PERSPECTIEF",
                   help="alleen dit perspectief (inwoner, professional of dossier)")
    p.add_argument("--json", action="store_true", help="als JSON")


# -- resolving ---------------------------------------------------------------------------
def evaluation_id(store: Store, args: argparse.Namespace) -> str:
    if args.evaluation:
        return store.find_evaluation(args.evaluation).id
    evaluations = store.evaluations()
    if len(evaluations) == 1:
        return evaluations[0].id
    if not evaluations:
        raise UserError("er is nog geen evaluatie (probeer 'zet demo')")
    raise UserError("er zijn meerdere evaluaties; kies er een met --evaluation")


def case_of(store: Store, args: argparse.Namespace) -> Case:
    if not args.case:
        raise UserError("geef de casus met --case")
    return store.find_case(args.case, evaluation_id(store, args))


def answer_of(store: Store, args: argparse.Namespace) -> tuple[Session, str]:
    """The session and question id that `--session` or `--case/--perspective` and `--question` name."""
    if args.session:
        session = store.session(args.session)
    else:
        case = case_of(store, args)
        if not args.perspective:
            raise UserError("geef het perspectief met --perspective (of de sessie met --session)")
        sessions = [s for s in store.sessions(case_id=case.id) if s.perspective == args.perspective]
        if not sessions:
            raise UserError(f"casus {case.code} heeft geen {args.perspective}-sessie")
        session = max(sessions, key=lambda s: s.started)  # the one the analyseschema shows
    question = args.question.strip()
    ids = [q.id for q in session.questionnaire.questions()]
    if question not in ids:
        by_key = [q.id for q in session.questionnaire.questions() if q.key == question]
        if len(by_key) != 1:
            close = difflib.get_close_matches(question, ids, n=3)
            hint = f" (bedoelt u {', '.join(close)}?)" if close else ""
            raise UserError(f"vraag '{question}' staat niet in de vragenlijst van deze "
                            f"sessie{hint}")
        question = by_key[0]
    return session, question


def fragment_range(text: str, args: argparse.Namespace) -> tuple[int, int] | None:
    """Offsets from `--fragment [--occurrence]` or `--start/--end`; None for the whole answer."""
    if args.fragment is not None:
        if args.start is not None or args.end is not None:
            raise UserError("geef het fragment als tekst (--fragment) of als posities "
                            "(--start/--end), niet allebei")
        found: list[int] = []
        i = text.find(args.fragment) if args.fragment else -1
        while i >= 0:
            found.append(i)
            i = text.find(args.fragment, i + 1)
        if not found:
            raise UserError(f"'{anchors.visible(args.fragment)}' staat niet in de toelichting")
        if args.occurrence is None and len(found) > 1:
            raise UserError(f"'{anchors.visible(args.fragment)}' staat {len(found)} keer in de "
                            "toelichting; "
                            "kies er een met --occurrence")
        n = args.occurrence or 1
        if not 1 <= n <= len(found):
            raise UserError(f"--occurrence moet tussen 1 en {len(found)} liggen")
        return found[n - 1], found[n - 1] + len(args.fragment)
    if args.start is None and args.end is None:
        return None
    if args.start is None or args.end is None:
        raise UserError("geef zowel --start als --end")
    return args.start, args.end


def check_code(book: Codebook, code_id: str) -> str:
    code_id = code_id.strip()
    if book.code(code_id) is None:
        close = difflib.get_close_matches(code_id, [c.id for c in book.codes], n=3)
        hint = f"; bedoelt u {', '.join(close)}?" if close else "; zie 'zet codebook list'"
        raise UserError(f"code '{code_id}' staat niet in het codeboek{hint}")
    return code_id


# -- commands -----------------------------------------------------------------------------
def run_add(args: argparse.Namespace) -> int:
    book = codebook_for(args)
    code_id = check_code(book, args.code)
    with open_store(args, create=False) as store:
        session, question = answer_of(store, args)
        answer = store.answers(session.id).get(question)
        if answer is None:
            raise UserError(f"vraag '{question}' heeft in deze sessie geen antwoord")
        span = fragment_range(answer.toelichting, args)
        polarity = args.polarity
        if polarity is None:
            # here, not at the top: every `zet` command builds this module's parser, and
            # the workbench pulls in the analysis and findings (~13 ms of each start)
            from zet_tui.core.analysis import Cell
            from zet_tui.core.workbench import default_polarity

            q = session.questionnaire.question(question)
            assert q is not None  # answer_of checked the id
            polarity = default_polarity(Cell(session.perspective, session.id, q, answer))
        coding = store.add_coding(session.id, question, code_id, polarity,
                                  start=span[0] if span else None,
                                  end=span[1] if span else None, memo=args.memo, actor=args.name)
    what = (f"fragment '{anchors.visible(coding.fragment)}'" if coding.start is not None
            else "het hele antwoord")
    print(f"Codering {coding.id[:8]} toegevoegd: {code_id} ({coding.polarity}) op {what}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    _list_marks(args, lambda store, eid: [c for c in store.codings(evaluation_id=eid)
                                          if not args.code or c.code_id == args.code],
                "Nog geen coderingen.", lambda r: f"{r['code']:<22} {r['polarity']:<12} ")
    return 0


def _list_marks(args: argparse.Namespace, read: Any, empty: str, middle: Any) -> None:
    """Codings or quotes of the chosen cases and perspectives, as lines or JSON."""
    with open_store(args, create=False) as store:
        eid = evaluation_id(store, args)
        sessions, answers = _sessions(store, eid, args)
        marks = [m for m in read(store, eid) if m.session_id in sessions]
    rows = [_row(m, sessions[m.session_id], answers) for m in marks]
    _print(rows, args.json, empty,
           lambda r: f"{r['id'][:8]}  {r['case']:<10} {r['perspective']:<12} {r['question']:<30} "
                     f"{middle(r)}{r['where']}")


def run_remove(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        coding = store.remove_coding(args.id, actor=ACTOR)
    print(f"Codering {coding.id[:8]} ({coding.code_id}) verwijderd.")
    return 0


def run_reanchor(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        coding = store.coding(args.id)
        text = _toelichting(store, coding.session_id, coding.question_id)
        span = fragment_range(text, args)
        if span is None:
            if coding.start is None:
                raise UserError("deze codering geldt voor het hele antwoord; er is niets vast "
                                "te zetten")
            span = anchors.relocate(text, coding.start, coding.fragment)
            if span is None:
                raise UserError(f"'{anchors.visible(coding.fragment)}' staat niet meer in de "
                                "toelichting; geef "
                                "het nieuwe fragment met --fragment of --start/--end")
        coding = store.reanchor_coding(coding.id, *span, actor=ACTOR)
    print(f"Codering {coding.id[:8]} staat nu op '{anchors.visible(coding.fragment)}' "
          f"({coding.start}-{coding.end}).")
    return 0


def run_quote_add(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        session, question = answer_of(store, args)
        text = _toelichting(store, session.id, question)
        span = fragment_range(text, args)
        if span is None:
            raise UserError("een citaat is een fragment: geef --fragment of --start/--end")
        quote = store.add_quote(session.id, question, *span, memo=args.memo, actor=args.name)
    print(f"Citaat {quote.id[:8]} vastgelegd: '{anchors.visible(quote.fragment)}'.")
    return 0


def run_quote_list(args: argparse.Namespace) -> int:
    _list_marks(args, lambda store, eid: store.quotes(evaluation_id=eid), "Nog geen citaten.",
                lambda r: "")
    return 0


def run_quote_remove(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        quote = store.remove_quote(args.id, actor=ACTOR)
    print(f"Citaat {quote.id[:8]} verwijderd.")
    return 0


# -- helpers ------------------------------------------------------------------------------
def _toelichting(store: Store, session_id: str, question_id: str) -> str:
    answer = store.answers(session_id).get(question_id)
    if answer is None:
        raise UserError(f"vraag '{question_id}' heeft in deze sessie geen antwoord")
    return answer.toelichting


def _sessions(store: Store, eid: str, args: argparse.Namespace
              ) -> tuple[dict[str, tuple[Session, str]], dict[str, dict[str, Any]]]:
    cases = {c.id: c.code for c in store.cases(eid)}
    if args.case:
        wanted = store.find_case(args.case, eid).id
        cases = {k: v for k, v in cases.items() if k == wanted}
    sessions = {s.id: (s, cases[s.case_id]) for s in store.sessions(evaluation_id=eid)
                if s.case_id in cases and (not args.perspective or s.perspective == args.perspective)}
    answers: dict[str, dict[str, Any]] = dict(store.answers_for_sessions(list(sessions)))
    return sessions, answers


def _row(mark: Coding | Quote, where: tuple[Session, str],
         answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    session, case_code = where
    answer = answers.get(mark.session_id, {}).get(mark.question_id)
    text = answer.toelichting if answer else ""
    stale = anchors.state(text, mark.start, mark.end, mark.fragment) == anchors.AnchorState.STALE
    row = dict(asdict(mark))
    if isinstance(mark, Coding):
        row["code"], row["polarity"] = mark.code_id, str(mark.polarity)
    row.update(case=case_code, perspective=PERSPECTIVE_LABELS.get(session.perspective,
                                                                  session.perspective).lower(),
               question=mark.question_id, stale=stale,
               where=("(hele antwoord)" if mark.start is None
                      else f"'{anchors.visible(mark.fragment)}'")
               + ("  ⚠ controleren: toelichting gewijzigd" if stale else ""))
    return row


def _print(rows: list[dict[str, Any]], as_json: bool, empty: str, line: Any) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        print(empty)
    for r in rows:
        print(line(r))
