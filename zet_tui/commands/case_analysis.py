"""`zet divergence`, `zet summary`, `zet attribute` and `zet recommendation`: the analyst's
notes on cases and findings, from scripts (the coding screen edits the same rows)."""

from __future__ import annotations

import argparse
import json

from zet_tui.commands.coding import case_of, evaluation_arg, evaluation_id
from zet_tui.commands.common import UserError, open_store
from zet_tui.core.anchors import visible
from zet_tui.core.coding import STANDARD_ATTRIBUTES
from zet_tui.core.store.case_analysis import SUMMARY_FIELDS, SUMMARY_LABELS
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS

ACTOR = "zet analyse"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("divergence", help="handmatige verschillen tussen perspectieven",
                       description="Leg een verschil tussen twee perspectieven van een casus "
                                   "vast dat de scores niet laten zien, met een korte notitie.")
    dsub = d.add_subparsers(dest="divergence_command", metavar="ACTIE")
    dsub.required = True
    p = dsub.add_parser("add", parents=[common], help="leg een verschil vast",
                        description="Leg een verschil tussen twee perspectieven vast.")
    _case_args(p)
    p.add_argument("--theme", required=True, metavar="THEMA", help="id van het thema")
    p.add_argument("--between", required=True, nargs=2, choices=list(CASE_PERSPECTIVES),
                   metavar="PERSPECTIEF", help="de twee perspectieven, bijv. inwoner professional")
    p.add_argument("--question", metavar="SLEUTEL", default=None,
                   help="sleutel of id van de vraag (zonder: het hele thema)")
    p.add_argument("note", metavar="NOTITIE", help="wat er verschilt")
    p.set_defaults(func=run_divergence_add)
    p = dsub.add_parser("list", parents=[common], help="toon de verschillen",
                        description="Toon de handmatig vastgelegde verschillen.")
    evaluation_arg(p)
    p.set_defaults(func=run_divergence_list)
    p = dsub.add_parser("remove", parents=[common], help="verwijder een verschil",
                        description="Verwijder een handmatig verschil (id of begin ervan).")
    p.add_argument("id", metavar="ID")
    p.set_defaults(func=run_divergence_remove)

    s = sub.add_parser("summary", help="korte samenvatting per casus",
                       description="De samenvatting van de analist per casus: hulpvraag, "
                                   "knelpunten, succesfactoren en totaalbeeld.")
    ssub = s.add_subparsers(dest="summary_command", metavar="ACTIE")
    ssub.required = True
    p = ssub.add_parser("set", parents=[common], help="schrijf (een deel van) de samenvatting",
                        description="Schrijf delen van de samenvatting; wat u niet noemt, blijft "
                                    "staan. Een lege tekst ('') maakt een deel leeg.")
    _case_args(p)
    for name in SUMMARY_FIELDS:
        p.add_argument(f"--{name}", default=None, metavar="TEKST", help=SUMMARY_LABELS[name])
    p.set_defaults(func=run_summary_set)
    p = ssub.add_parser("show", parents=[common], help="toon de samenvattingen",
                        description="Toon de samenvattingen van de casussen.")
    evaluation_arg(p)
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(func=run_summary_show)

    a = sub.add_parser("attribute", help="kenmerken van casussen (domein, gemeente, ...)",
                       description="Kenmerken van een casus, om bevindingen per subgroep te "
                                   "bekijken: " + "; ".join(STANDARD_ATTRIBUTES.values())
                                   + "; en vrije kenmerken.")
    asub = a.add_subparsers(dest="attribute_command", metavar="ACTIE")
    asub.required = True
    p = asub.add_parser("set", parents=[common], help="zet een kenmerk (leeg = verwijderen)",
                        description="Zet een kenmerk van een casus; een lege waarde verwijdert het.")
    _case_args(p)
    p.add_argument("name", metavar="NAAM", help="bijv. domein, gemeente, leeftijd")
    p.add_argument("value", metavar="WAARDE", help="bijv. jeugd")
    p.set_defaults(func=run_attribute_set)
    p = asub.add_parser("list", parents=[common], help="toon de kenmerken",
                        description="Toon de kenmerken van alle casussen.")
    evaluation_arg(p)
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(func=run_attribute_list)

    r = sub.add_parser("recommendation", help="aanbevelingen bij bevindingen",
                       description="De aanbeveling van de analist bij een bevinding, op de "
                                   "vaste sleutel van de bevinding.")
    rsub = r.add_subparsers(dest="recommendation_command", metavar="ACTIE")
    rsub.required = True
    p = rsub.add_parser("set", parents=[common], help="schrijf een aanbeveling (leeg = weg)",
                        description="Schrijf de aanbeveling bij een bevinding; een lege tekst "
                                    "verwijdert haar.")
    evaluation_arg(p)
    p.add_argument("key", metavar="SLEUTEL", help="sleutel van de bevinding")
    p.add_argument("text", metavar="TEKST")
    p.add_argument("--name", default=ACTOR, metavar="NAAM", help="jouw naam, voor het logboek")
    p.set_defaults(func=run_recommendation_set)
    p = rsub.add_parser("list", parents=[common], help="toon de aanbevelingen",
                        description="Toon de aanbevelingen van een evaluatie.")
    evaluation_arg(p)
    p.set_defaults(func=run_recommendation_list)


def _case_args(p: argparse.ArgumentParser) -> None:
    evaluation_arg(p)
    p.add_argument("--case", required=True, metavar="CODE", help="code van de casus")
    p.add_argument("--name", default=ACTOR, metavar="NAAM", help="jouw naam, voor het logboek")


def run_divergence_add(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        case = case_of(store, args)
        sessions = store.sessions(case_id=case.id)
        themes = {t.id for s in sessions for t in s.questionnaire.themes}
        if args.theme not in themes:
            raise UserError(f"thema '{args.theme}' komt niet voor in de sessies van casus "
                            f"{case.code} (wel: {', '.join(sorted(themes)) or 'geen'})")
        key = args.question
        if key is not None:
            questions = [q for s in sessions for q in s.questionnaire.questions()
                         if q.theme_id == args.theme]
            keys = {q.key: q.key for q in questions}
            keys.update({q.id: q.key for q in questions})  # an id wins over a key
            if key not in keys:
                raise UserError(f"vraag '{key}' hoort niet bij thema '{args.theme}'")
            key = keys[key]
        div = store.add_manual_divergence(case.id, args.theme,
                                          (args.between[0], args.between[1]), args.note,
                                          question_key=key, actor=args.name)
    print(f"Verschil {div.id[:8]} vastgelegd bij casus {case.code}, thema {div.theme_id}.")
    return 0


def run_divergence_list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        eid = evaluation_id(store, args)
        codes = {c.id: c.code for c in store.cases(eid)}
        divergences = store.manual_divergences(eid)
    if not divergences:
        print("Nog geen handmatige verschillen.")
    for d in divergences:
        a, b = (PERSPECTIVE_LABELS.get(p, p).lower() for p in d.perspectives)
        where = d.theme_id + (f" / {d.question_key}" if d.question_key else "")
        print(f"{d.id[:8]}  {codes.get(d.case_id, '?'):<10} {where:<36} {a} ↔ {b}: "
              f"{visible(d.note)}")
    return 0


def run_divergence_remove(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.remove_manual_divergence(args.id, actor=ACTOR)
    print("Verschil verwijderd.")
    return 0


def run_summary_set(args: argparse.Namespace) -> int:
    parts = {f: getattr(args, f) for f in SUMMARY_FIELDS if getattr(args, f) is not None}
    if not parts:
        raise UserError("geef minstens één deel: " + ", ".join(f"--{f}" for f in SUMMARY_FIELDS))
    with open_store(args, create=False) as store:
        case = case_of(store, args)
        store.set_case_summary(case.id, actor=args.name, **parts)
    print(f"Samenvatting van casus {case.code} bijgewerkt ({', '.join(parts)}).")
    return 0


def run_summary_show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        eid = evaluation_id(store, args)
        codes = {c.id: c.code for c in store.cases(eid)}
        summaries = store.case_summaries(eid)
    if args.json:
        print(json.dumps({codes.get(k, k): {f: getattr(v, f) for f in SUMMARY_FIELDS}
                          for k, v in summaries.items()}, ensure_ascii=False, indent=2))
        return 0
    if not summaries:
        print("Nog geen samenvattingen.")
    for case_id, summary in summaries.items():
        print(f"Casus {codes.get(case_id, case_id)}")
        for f in SUMMARY_FIELDS:
            print(f"  {SUMMARY_LABELS[f]}: {visible(getattr(summary, f)) or '–'}")
    return 0


def run_attribute_set(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        case = case_of(store, args)
        store.set_case_attribute(case.id, args.name, args.value, actor=ACTOR)
    done = f"'{visible(args.value.strip())}'" if args.value.strip() else "verwijderd"
    print(f"Casus {case.code}: {args.name.strip().lower()} {done}.")
    return 0


def run_attribute_list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        eid = evaluation_id(store, args)
        codes = {c.id: c.code for c in store.cases(eid)}
        attributes = store.case_attributes(eid)
    if args.json:
        print(json.dumps({codes.get(k, k): v for k, v in attributes.items()},
                         ensure_ascii=False, indent=2))
        return 0
    if not attributes:
        print("Nog geen kenmerken.")
    for case_id, values in attributes.items():
        pairs = "; ".join(f"{k}: {visible(v)}" for k, v in values.items())
        print(f"{codes.get(case_id, case_id):<10} {pairs}")
    return 0


def run_recommendation_set(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        eid = evaluation_id(store, args)
        rec = store.set_recommendation(eid, args.key, args.text, actor=args.name)
    print(f"Aanbeveling bij {args.key.strip()} {'opgeslagen' if rec else 'verwijderd'}.")
    return 0


def run_recommendation_list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        recommendations = store.recommendations(evaluation_id(store, args))
    if not recommendations:
        print("Nog geen aanbevelingen.")
    for key, rec in recommendations.items():
        print(f"{key}: {visible(rec.text)}")
    return 0
