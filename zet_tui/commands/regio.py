"""`zet regio`: regions of several municipalities and their comparison (the policy
self-evaluation is started like any session: `zet start --questionnaire beleid`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from zet_tui.commands.common import UserError, db_path, open_store, require_terminal, run_tui_app


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    rp = sub.add_parser(
        "regio", parents=[common], help="vergelijk gemeenten in een regio",
        description="Een regio bundelt evaluaties (één per gemeente, of één evaluatie waarvan de "
                    "casussen het kenmerk 'gemeente' hebben) en zet de gemeenten naast elkaar: "
                    "basisfuncties en werkzame elementen, beleid naast praktijk, per gemeente "
                    "een pagina en een samenvatting voor de wethouders.")
    rsub = rp.add_subparsers(dest="regio_command", metavar="ACTIE", required=True)

    p = rsub.add_parser("nieuw", parents=[common], help="maak een regio",
                        description="Maak een regio, eventueel meteen met evaluaties erin.")
    p.add_argument("name", metavar="NAAM", help="naam van de regio")
    p.add_argument("--omschrijving", default="", help="korte omschrijving")
    p.add_argument("--vervolg-op", dest="follows", metavar="REGIO", default=None,
                   help="de eerdere ronde van deze regio (voor 'zet compare --regio')")
    p.add_argument("--evaluation", "-e", action="append", default=[], metavar="EVALUATIE",
                   help="voeg deze evaluatie toe (id, begin van het id, of naam); mag vaker")
    p.set_defaults(func=run_new)

    p = rsub.add_parser("lijst", parents=[common], help="toon de regio's",
                        description="Toon alle regio's met hun evaluaties en gemeenten.")
    p.set_defaults(func=run_list)

    p = rsub.add_parser("voeg-toe", parents=[common], help="voeg evaluaties toe aan een regio",
                        description="Voeg een of meer evaluaties toe aan een regio.")
    _region_arg(p)
    p.add_argument("evaluations", nargs="+", metavar="EVALUATIE",
                   help="id, begin van het id, of naam")
    p.add_argument("--gemeente", default="", help="de gemeente waarvoor deze evaluatie telt "
                   "(standaard: de gemeente van de evaluatie; één evaluatie tegelijk)")
    p.set_defaults(func=run_add)

    p = rsub.add_parser("verwijder", parents=[common], help="haal een evaluatie uit een regio",
                        description="Haal een evaluatie uit een regio; de evaluatie zelf blijft.")
    _region_arg(p)
    p.add_argument("evaluation", metavar="EVALUATIE", help="id, begin van het id, of naam")
    p.set_defaults(func=run_remove)

    p = rsub.add_parser("vervolg", parents=[common], help="markeer als volgende ronde",
                        description="Leg vast dat regio B de volgende ronde is van regio A.")
    _region_arg(p)
    p.add_argument("--op", required=True, metavar="REGIO_A", dest="of", help="de eerdere ronde")
    p.set_defaults(func=run_follows)

    p = rsub.add_parser("toon", parents=[common], help="toon de vergelijking van de gemeenten",
                        description="Toon de matrix van gemeenten en basisfuncties, werkzame "
                                    "elementen en beleid naast praktijk.")
    _region_arg(p)
    p.add_argument("--json", action="store_true", help="alles als JSON")
    p.set_defaults(func=run_show)

    p = rsub.add_parser("export", parents=[common], help="exporteer het regiorapport",
                        description="Schrijf het regiorapport, een pagina per gemeente, de "
                                    "samenvatting voor de wethouders en de tabellen (CSV, XLSX, "
                                    "JSON) in een nieuwe map; een eerdere export wordt nooit "
                                    "overschreven.")
    _region_arg(p)
    p.add_argument("--format", metavar="LIJST", default="md,csv,xlsx,json",
                   help="formaten, komma-gescheiden: md,csv,xlsx,json (standaard: alle)")
    p.add_argument("--out", "--to", dest="out", metavar="MAP", type=Path, default=Path("exports"),
                   help="map waarin de exportmap komt (standaard: ./exports)")
    p.add_argument("--pseudonymize", action="store_true",
                   help="gemeenten blijven staan; casuscodes en namen komen er niet in")
    p.set_defaults(func=run_export)

    p = rsub.add_parser("vergelijk", parents=[common], help="vergelijk twee rondes van een regio",
                        description="Welke gemeenten verbeterden op welke basisfuncties "
                                    "(hetzelfde als 'zet compare --regio').")
    p.add_argument("region_a", metavar="REGIO_A", help="de eerdere ronde")
    p.add_argument("region_b", metavar="REGIO_B", help="de latere ronde")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(func=run_compare)

    p = rsub.add_parser("app", parents=[common], help="open het regioscherm",
                        description="Open de vergelijking van een regio in de terminal-app.")
    p.add_argument("region", metavar="REGIO", nargs="?", default=None,
                   help="id, begin van het id, of naam (standaard: de nieuwste)")
    p.set_defaults(func=run_app)


def _region_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("region", metavar="REGIO", help="id, begin van het id, of naam")


def run_new(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        follows = store.find_region(args.follows).id if args.follows else None
        evaluations = [store.find_evaluation(ref) for ref in args.evaluation]
        region = store.create_region(args.name, args.omschrijving, follows_id=follows,
                                     actor="zet regio")
        for ev in evaluations:
            store.add_region_member(region.id, ev.id, actor="zet regio")
    print(f"Regio '{region.name}' aangemaakt ({region.id[:8]}) met {len(evaluations)} evaluaties.")
    if not evaluations:
        print(f"Voeg evaluaties toe: zet regio voeg-toe {region.id[:8]} EVALUATIE ...")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        regions = store.regions()
        if not regions:
            print("Nog geen regio's. Maak er een met 'zet regio nieuw', of probeer 'zet demo --regio'.")
            return 0
        for region in regions:
            follows = store.region(region.follows_id) if region.follows_id else None
            after = f" (vervolg op '{follows.name}')" if follows else ""
            print(f"{region.id[:8]}  {region.name}{after}")
            for m in store.region_members(region.id):
                ev = store.evaluation(m.evaluation_id)
                if ev is not None:
                    gemeente = m.municipality or ev.municipality or "gemeente onbekend"
                    print(f"  {ev.id[:8]}  {ev.name} ({gemeente})")
    return 0


def run_add(args: argparse.Namespace) -> int:
    if args.gemeente and len(args.evaluations) > 1:
        raise UserError("--gemeente geldt voor één evaluatie; voeg ze een voor een toe")
    with open_store(args) as store:
        region = store.find_region(args.region)
        evaluations = [store.find_evaluation(ref) for ref in args.evaluations]
        for ev in evaluations:
            store.add_region_member(region.id, ev.id, args.gemeente, actor="zet regio")
    names = ", ".join(f"'{ev.name}'" for ev in evaluations)
    print(f"Toegevoegd aan regio '{region.name}': {names}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        region = store.find_region(args.region)
        ev = store.find_evaluation(args.evaluation)
        store.remove_region_member(region.id, ev.id, actor="zet regio")
    print(f"'{ev.name}' hoort niet meer bij regio '{region.name}'; de evaluatie zelf is gebleven.")
    return 0


def run_follows(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        b = store.find_region(args.region)
        a = store.find_region(args.of)
        store.set_region_follows(b.id, a.id, actor="zet regio")
    print(f"Regio '{b.name}' is vastgelegd als volgende ronde van '{a.name}'.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from zet_tui.commands.regio_text import format_region
    from zet_tui.export.region_data import load_region_export
    from zet_tui.export.region_tables import region_json

    with open_store(args, create=False) as store:
        x = load_region_export(store, store.find_region(args.region).id)
    if args.json:
        print(json.dumps(region_json(x), ensure_ascii=False, indent=2))
    else:
        print(format_region(x))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from zet_tui.export.region_runner import run_region_export
    from zet_tui.export.runner import ExportError, parse_formats

    try:
        formats = parse_formats(args.format)
        with open_store(args, create=False) as store:
            region = store.find_region(args.region)
            result = run_region_export(store, region.id, root=args.out, formats=formats,
                                       pseudonymize=args.pseudonymize)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(result.folder)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    return compare_regions_cli(args, args.region_a, args.region_b)


def compare_regions_cli(args: argparse.Namespace, ref_a: str, ref_b: str) -> int:
    """`zet compare --regio A B` and `zet regio vergelijk A B`."""
    from zet_tui.core.region_compare import compare_regions, format_region_comparison, region_comparison_to_dict

    with open_store(args, create=False) as store:
        a, b = store.find_region(ref_a), store.find_region(ref_b)
        if a.id == b.id:
            raise UserError("A en B zijn dezelfde regio; geef twee verschillende rondes")
        result = compare_regions(store, a.id, b.id)
    if getattr(args, "json", False):
        print(json.dumps(region_comparison_to_dict(result), ensure_ascii=False, indent=2))
    else:
        print(format_region_comparison(result))
    return 0


def run_app(args: argparse.Namespace) -> int:
    require_terminal("het regioscherm", "gebruik 'zet regio toon' of 'zet regio export' in "
                     "een script")
    path = db_path(args, create=False)
    with open_store(args, create=False) as store:
        if args.region:
            region_id = store.find_region(args.region).id
        else:
            regions = store.regions()
            if not regions:
                raise UserError("nog geen regio's; maak er een met 'zet regio nieuw' of probeer "
                                "'zet demo --regio'")
            region_id = regions[0].id
    from zet_tui.app.region_app import RegionApp

    return run_tui_app(RegionApp(db_path=path, region_id=region_id))
