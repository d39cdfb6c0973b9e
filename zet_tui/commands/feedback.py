"""`zet feedback`, `zet verbeterpunt` and `zet compare`: the feedback meeting and follow-up rounds."""

from __future__ import annotations

import argparse
import json

from zet_tui.commands.common import UserError, db_path, open_store, run_tui_app
from zet_tui.core.dutch import format_date, format_timestamp
from zet_tui.core.store import IMPROVEMENT_STATUSES, Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    fb = sub.add_parser(
        "feedback", parents=[common], help="terugkoppelbijeenkomst: bevindingen en reacties",
        description="Leg de terugkoppelbijeenkomst vast: welke bevindingen de deelnemers "
                    "herkennen, hun uitleg en wie er aanwezig was.")
    fsub = fb.add_subparsers(dest="feedback_command", metavar="ACTIE", required=True)

    p = fsub.add_parser("findings", parents=[common], help="toon de genummerde bevindingen",
                        description="Werk de bevindingen bij uit de analyse (laag scorende thema's, "
                                    "terugkerende verschillen) en toon ze met hun reactie.")
    _evaluation_arg(p)
    p.set_defaults(func=run_findings)

    p = fsub.add_parser("add-finding", parents=[common], help="voeg een eigen bevinding toe",
                        description="Voeg een bevinding van de analist toe.")
    _evaluation_arg(p)
    p.add_argument("text", metavar="TEKST", help="de bevinding")
    p.set_defaults(func=run_add_finding)

    p = fsub.add_parser("react", parents=[common], help="leg de reactie op een bevinding vast",
                        description="Leg vast of de deelnemers een bevinding herkennen, met uitleg.")
    _evaluation_arg(p)
    p.add_argument("finding", metavar="BEVINDING", help="nummer (F2) of id")
    p.add_argument("--herkend", required=True, choices=("ja", "deels", "nee"), metavar="ANTWOORD",
                   help="herkennen de deelnemers de bevinding? ja, deels of nee")
    p.add_argument("--uitleg", default="", help="hun verklaring")
    p.set_defaults(func=run_react)

    p = fsub.add_parser("meeting", parents=[common], help="leg datum en aanwezigen vast",
                        description="Leg de bijeenkomst vast: datum en wie er aanwezig waren.")
    _evaluation_arg(p)
    p.add_argument("--datum", required=True, metavar="DATUM",
                   help="datum van de bijeenkomst: dd-mm-jjjj (of jjjj-mm-dd)")
    p.add_argument("--aanwezig", required=True, metavar="NAMEN",
                   help='aanwezigen, gescheiden door komma\'s: "Wethouder, Team Noord"')
    p.add_argument("--notities", default="", help="korte notities")
    p.set_defaults(func=run_meeting)

    p = fsub.add_parser("follows", parents=[common], help="markeer als vervolgmeting",
                        description="Leg vast dat evaluatie B een vervolgmeting is op evaluatie A.")
    _evaluation_arg(p)
    p.add_argument("--of", required=True, metavar="EVALUATIE_A", dest="of",
                   help="de eerdere evaluatie")
    p.set_defaults(func=run_follows)

    p = fsub.add_parser("app", parents=[common], help="open het scherm voor de bijeenkomst",
                        description="Open de terugkoppelbijeenkomst in de terminal-app.")
    _evaluation_arg(p)
    p.set_defaults(func=run_app)

    vp = sub.add_parser("verbeterpunt", parents=[common], help="verbeterpunten vastleggen en volgen",
                        description="Verbeterpunten uit de terugkoppelbijeenkomst: eigenaar, "
                                    "deadline en status, met geschiedenis in het auditlog.")
    vsub = vp.add_subparsers(dest="improvement_command", metavar="ACTIE", required=True)
    p = vsub.add_parser("add", parents=[common], help="voeg een verbeterpunt toe",
                        description="Voeg een verbeterpunt toe.")
    _evaluation_arg(p)
    p.add_argument("text", metavar="TEKST", help="het verbeterpunt")
    p.add_argument("--eigenaar", default="", help="wie is verantwoordelijk")
    p.add_argument("--deadline", default=None, metavar="DATUM", help="dd-mm-jjjj (of jjjj-mm-dd)")
    p.add_argument("--thema", action="append", default=[], metavar="THEMA",
                   help="gekoppeld thema (id of titel); mag vaker")
    p.add_argument("--bevinding", action="append", default=[], metavar="F2",
                   help="gekoppelde bevinding; mag vaker")
    p.set_defaults(func=run_improvement_add)
    p = vsub.add_parser("status", parents=[common], help="wijzig de status",
                        description="Wijzig de status van een verbeterpunt.")
    _point_args(p)
    p.add_argument("status", choices=IMPROVEMENT_STATUSES, metavar="STATUS",
                   help=f"nieuwe status: {', '.join(IMPROVEMENT_STATUSES)}")
    p.set_defaults(func=run_improvement_status)
    p = vsub.add_parser("update", parents=[common], help="wijzig eigenaar of deadline",
                        description="Wijzig de eigenaar en/of de deadline van een verbeterpunt.")
    _point_args(p)
    p.add_argument("--eigenaar", default=None, help="nieuwe eigenaar")
    p.add_argument("--deadline", default=None, metavar="DATUM",
                   help="nieuwe deadline: dd-mm-jjjj (of jjjj-mm-dd)")
    p.set_defaults(func=run_improvement_update)
    p = vsub.add_parser("list", parents=[common], help="toon de verbeterpunten",
                        description="Toon de verbeterpunten van een evaluatie.")
    _evaluation_arg(p)
    p.set_defaults(func=run_improvement_list)

    p = sub.add_parser("compare", parents=[common], help="vergelijk twee evaluatierondes",
                       description="Vergelijk een eerdere evaluatie A met een latere B: scores per "
                                   "thema en perspectief, terugkerende bevindingen, de status van "
                                   "de verbeterpunten en gewijzigde vragen.")
    p.add_argument("eval_a", metavar="EVALUATIE_A", help="de eerdere evaluatie")
    p.add_argument("eval_b", metavar="EVALUATIE_B", help="de latere evaluatie")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.add_argument("--regio", action="store_true",
                   help="A en B zijn twee rondes van een regio: welke gemeenten verbeterden op "
                        "welke basisfuncties (zie 'zet regio')")
    p.set_defaults(func=run_compare)


def _evaluation_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--evaluation", "-e", required=True, metavar="EVALUATIE",
                   help="id, begin van het id, of naam")


def _evaluation_id(store: Store, args: argparse.Namespace) -> str:
    return store.find_evaluation(args.evaluation).id


def run_findings(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import KIND_LABELS, sync_findings

    with open_store(args) as store:
        eid = _evaluation_id(store, args)
        findings = sync_findings(store, eid, actor="zet feedback")
        if not findings:
            print("Geen bevindingen: geen knelpunt, succesfactor, weinig besproken thema of verschil "
                  "tussen perspectieven in twee of meer casussen. Voeg er een toe met "
                  "'zet feedback add-finding'.")
            return 0
        for f in findings:
            stale = "" if f.current else " (niet meer actueel)"
            print(f"{f.label:<4} [{KIND_LABELS.get(f.finding.kind, f.finding.kind)}] {f.finding.text}{stale}")
            line = f"     {f.reaction_label}"
            if f.finding.explanation:
                line += f": {f.finding.explanation}"
            print(line)
    return 0


def run_add_finding(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import add_analyst_finding, numbered_findings

    with open_store(args) as store:
        eid = _evaluation_id(store, args)
        finding = add_analyst_finding(store, eid, args.text, actor="zet feedback")
        label = next(f.label for f in numbered_findings(store, eid) if f.finding.id == finding.id)
    print(f"Bevinding {label} toegevoegd.")
    return 0


def run_react(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import REACTION_LABELS, resolve_finding, sync_findings

    with open_store(args) as store:
        eid = _evaluation_id(store, args)
        target = resolve_finding(sync_findings(store, eid, actor="zet feedback"), args.finding)
        store.record_reaction(target.finding.id, args.herkend, args.uitleg, actor="zet feedback")
    print(f"{target.label}: {REACTION_LABELS[args.herkend]}.")
    return 0


def run_meeting(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import record_meeting

    with open_store(args) as store:
        eid = _evaluation_id(store, args)
        meeting = record_meeting(store, eid, args.datum, args.aanwezig, args.notities,
                                 actor="zet feedback")
    print(f"Bijeenkomst van {format_date(meeting.held_at)} vastgelegd met {len(meeting.attendees)} aanwezigen: "
          f"{', '.join(meeting.attendees)}.")
    return 0


def run_follows(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        b = store.find_evaluation(args.evaluation)
        a = store.find_evaluation(args.of)
        if a.id == b.id:
            raise UserError("een evaluatie kan geen vervolg op zichzelf zijn")
        if a.follows_id == b.id:
            raise UserError(f"'{a.name}' is al een vervolg op '{b.name}'; omgekeerd kan niet")
        store.set_follows(b.id, a.id, actor="zet feedback")
    print(f"'{b.name}' is vastgelegd als vervolgmeting op '{a.name}'.")
    if a.municipality and b.municipality and a.municipality != b.municipality:
        print(f"Let op: andere gemeente ({a.municipality} / {b.municipality}).")
    return 0


def run_app(args: argparse.Namespace) -> int:
    path = db_path(args, create=False)
    with open_store(args) as store:
        eid = _evaluation_id(store, args)
    from zet_tui.app.feedback_app import FeedbackApp

    return run_tui_app(FeedbackApp(db_path=path, evaluation_id=eid))


def _point_args(p: argparse.ArgumentParser) -> None:
    """One improvement point: by id, or by its V-number within --evaluation."""
    p.add_argument("id", metavar="ID", help="id (of V2 samen met --evaluation)")
    p.add_argument("--evaluation", "-e", default=None, metavar="EVALUATIE",
                   help="evaluatie (id, begin van het id, of naam); nodig bij een V-nummer")


def run_improvement_add(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import add_improvement_point

    with open_store(args) as store:
        eid = _evaluation_id(store, args)
        point = add_improvement_point(store, eid, args.text, owner=args.eigenaar, due=args.deadline,
                                      themes=args.thema, findings=args.bevinding, actor="zet verbeterpunt")
        number = [p.id for p in store.improvements(eid)].index(point.id) + 1
    print(f"Verbeterpunt V{number} toegevoegd ({point.id[:8]}), status open.")
    return 0


def run_improvement_status(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import STATUS_LABELS, set_improvement_status

    with open_store(args) as store:
        eid = _evaluation_id(store, args) if args.evaluation else None
        point = set_improvement_status(store, args.id, args.status, evaluation_id=eid,
                                       actor="zet verbeterpunt")
    print(f"Verbeterpunt {point.id[:8]}: {STATUS_LABELS[point.status]}.")
    return 0


def run_improvement_update(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import update_improvement_point

    with open_store(args) as store:
        eid = _evaluation_id(store, args) if args.evaluation else None
        point = update_improvement_point(store, args.id, owner=args.eigenaar, due=args.deadline,
                                         evaluation_id=eid, actor="zet verbeterpunt")
    print(f"Verbeterpunt {point.id[:8]}: eigenaar {point.owner or '–'}, deadline "
          f"{format_date(point.due, '–')}.")
    return 0


def run_improvement_list(args: argparse.Namespace) -> int:
    from zet_tui.core.feedback import STATUS_LABELS, meeting_outcome

    with open_store(args) as store:
        outcome = meeting_outcome(store, _evaluation_id(store, args))
    if not outcome.improvements:
        print("Nog geen verbeterpunten. Voeg er een toe met 'zet verbeterpunt add'.")
        return 0
    for item in outcome.improvements:
        imp = item.improvement
        print(f"{item.label:<4} {imp.id[:8]}  [{item.status_label}] {imp.text}")
        extra = [f"eigenaar {imp.owner}" if imp.owner else "geen eigenaar",
                 f"deadline {format_date(imp.due)}" if imp.due else "geen deadline"]
        if item.finding_labels:
            extra.append("bevindingen " + ", ".join(item.finding_labels))
        if item.theme_titles:
            extra.append("thema's " + ", ".join(item.theme_titles))
        print("     " + "; ".join(extra))
        steps = " → ".join(f"{STATUS_LABELS.get(h.new, h.new)} ({format_timestamp(h.at)})"
                           for h in item.history)
        if steps:
            print(f"     geschiedenis: {steps}")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    if args.regio:
        from zet_tui.commands.regio import compare_regions_cli

        return compare_regions_cli(args, args.eval_a, args.eval_b)
    from zet_tui.core.compare import compare, comparison_to_dict, format_comparison

    with open_store(args) as store:
        a = store.find_evaluation(args.eval_a)
        b = store.find_evaluation(args.eval_b)
        if a.id == b.id:
            raise UserError("A en B zijn dezelfde evaluatie; geef twee verschillende rondes")
        result = compare(store, a.id, b.id)
    if args.json:
        print(json.dumps(comparison_to_dict(result), ensure_ascii=False, indent=2))
    else:
        print(format_comparison(result))
    return 0
