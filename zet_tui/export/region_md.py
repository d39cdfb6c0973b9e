"""The region in Markdown: the regional report, one page per municipality, the aldermen summary.

Every value from the database goes through `safe_md` (and, pseudonymised,
through the export's `Pseudonymizer`) before it lands in a file.
"""

from __future__ import annotations

from collections.abc import Iterable

from zet_tui.core.beleid import (
    GAP,
    MIN_PRACTICE_SCORES,
    POLICY_HIGHER,
    PRACTICE_HIGHER,
    PolicyComparison,
)
from zet_tui.core.compare import CHANGE_THRESHOLD, IMPROVED, WORSENED
from zet_tui.core.dutch import format_number, format_timestamp
from zet_tui.core.region_compare import RegionComparison
from zet_tui.core.region_matrix import (
    MIN_CASES,
    MIN_PERSPECTIVE_SCORES,
    MIN_SCORES,
    Matrix,
    MatrixCell,
    cell_text,
)
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS
from zet_tui.export.beleid_md import policy_table, scored
from zet_tui.export.region_data import RegionExport, casussen
from zet_tui.export.region_learning_md import (
    aldermen_sections,
    method_lines,
    municipality_sections,
    region_sections,
)
from zet_tui.export.safe_md import cell, heading, inline, table


def _n(x: float | None) -> str:
    return format_number(x, 1)


def _matrix_cell(c: MatrixCell) -> str:
    text = cell_text(c)
    if not c.status:
        text += f" ({len(c.cases)})"
    if c.beleid.n:
        text += f" · B {_n(c.beleid.mean)}"
    return text


def _matrix_table(m: Matrix) -> str:
    header = ["Gemeente", *(inline(label) for _, label in m.tags)]
    rows = [[inline(name), *(_matrix_cell(m.cell(name, tag)) for tag, _ in m.tags)]
            for name in m.municipalities]
    rows.append(["**Regio**", *(_n(m.region[tag].mean) if tag in m.region else "–"
                                for tag, _ in m.tags)])
    return table(header, rows)


def _preamble(x: RegionExport, title: str) -> list[str]:
    region = x.data.region
    out = [heading(1, f"{title} {region.name}"), ""]
    if region.description:
        out += [inline(x.pseudo.text(region.description)), ""]
    if x.exported_at:
        out.append(f"Gemaakt op {format_timestamp(x.exported_at)}.")
    if x.pseudo.enabled:
        out.append("Gepseudonimiseerd: de gemeenten staan erin, casuscodes en namen niet.")
    out += [f"Let op: {inline(w)}." for w in x.data.warnings]
    return [*out, ""]


def matrix_legend() -> str:
    return ("Per cel: de praktijk, het gemiddelde van alle scores uit de casussen (inwoner, "
            "professional en dossier samen, op de vijfpuntsschaal), met tussen haakjes het aantal "
            "casussen; B is de score van de beleidsvragenlijst. *Te weinig gegevens*: minder "
            f"dan {MIN_CASES} casus of minder dan {MIN_SCORES} scores; zo'n cel telt in geen "
            "vergelijking mee.")


def region_report_md(x: RegionExport) -> str:
    r = x.report
    out = _preamble(x, "Regiorapport")
    out += [heading(2, "Gemeenten"), ""]
    rows = []
    for o in r.municipalities:
        rows.append([inline(o.name), cell(", ".join(x.pseudo.text(e) for e in o.evaluations)),
                     cell(x.case_codes(o.case_ids)),
                     cell(", ".join(PERSPECTIVE_LABELS[p].lower() for p in o.perspectives)),
                     "ja" if o.has_policy else "nee"])
    out += [table(["Gemeente", "Evaluatie", "Casussen", "Perspectieven", "Beleidsvragenlijst"],
                  rows), ""]
    for m in (r.basisfuncties, r.werkzaam):
        out += [heading(2, f"{m.title} per gemeente"), "", matrix_legend(), "", _matrix_table(m), ""]
    out += region_sections(x)
    out += _policy_overview([o.policy for o in r.municipalities])
    if x.comparison is not None:
        out += _comparison(x.comparison, level=2)
    out += _method()
    out += [heading(2, "Bijlage: alle cellen per perspectief"), ""]
    for m in (r.basisfuncties, r.werkzaam):
        out += [heading(3, m.title), "", _perspective_table(m), ""]
    return "\n".join(out)


def _perspective_table(m: Matrix) -> str:
    header = ["Gemeente", "Onderwerp", *(PERSPECTIVE_LABELS[p] for p in CASE_PERSPECTIVES),
              "Praktijk", "Beleid", "Casussen"]
    rows = []
    for name in m.municipalities:
        for tag, label in m.tags:
            c = m.cell(name, tag)
            rows.append([inline(name), inline(label),
                         *(scored(c.perspective(p)) for p in CASE_PERSPECTIVES),
                         cell_text(c), scored(c.beleid, 1), str(len(c.cases))])
    return table(header, rows)


def _policy_overview(policies: list[PolicyComparison]) -> list[str]:
    out = [heading(2, "Beleid en praktijk"), "",
           "Per thema de score van de beleidsvragenlijst (bedoeld) naast het gemiddelde van de "
           f"casussen (gevonden). Een verschil van {format_number(GAP)} punt of meer is gemarkeerd.",
           ""]
    with_policy = [p for p in policies if p.session is not None]
    missing = [p.municipality for p in policies if p.session is None]
    if missing:
        out += [f"Nog geen beleidsvragenlijst: {inline(', '.join(missing))}.", ""]
    if not with_policy:
        return [*out, "Nog geen enkele gemeente heeft de beleidsvragenlijst ingevuld.", ""]
    themes: dict[str, str] = {}
    for p in with_policy:
        for t in p.themes:
            themes.setdefault(t.theme_id, t.title)
    rows = []
    for theme_id, title in themes.items():
        verdicts = {p.municipality: found.verdict for p in with_policy
                    if (found := p.theme(theme_id)) is not None}
        rows.append([inline(title), *(cell(", ".join(m for m, v in verdicts.items() if v == side))
                                      for side in (POLICY_HIGHER, PRACTICE_HIGHER))])
    out += [table(["Thema", "Beleid positiever dan de praktijk", "Praktijk positiever dan het beleid"],
                  rows), ""]
    out += [heading(3, "Per gemeente"), ""]
    for p in with_policy:
        out += [heading(4, p.municipality), "", policy_table(p), ""]
    return out


def _comparison(c: RegionComparison, *, level: int) -> list[str]:
    out = [heading(level, "Vergeleken met de vorige ronde"), "",
           f"Vorige ronde: {inline(c.a.name)}. Verbeterd of verslechterd vanaf "
           f"{format_number(CHANGE_THRESHOLD)} punt; cellen met te weinig gegevens zijn niet "
           "vergeleken.", ""]
    rows = []
    for verdict in (IMPROVED, WORSENED):
        for municipality, items in c.by_municipality("basisfunctie", verdict).items():
            rows.append([inline(municipality), verdict, inline(", ".join(
                f"{ch.label} {_n(ch.a.mean if ch.a else None)} → {_n(ch.b.mean if ch.b else None)}"
                for ch in items))])
    out += [table(["Gemeente", "Oordeel", "Basisfuncties"], rows) if rows else
            "Geen gemeente verbeterde of verslechterde op een basisfunctie.", ""]
    return out


def _method() -> list[str]:
    return [heading(2, "Werkwijze en drempels"), "",
            f"- Scores staan op de vijfpuntsschaal. Een cel heeft minstens {MIN_CASES} casus en "
            f"{MIN_SCORES} scores nodig; het gemiddelde van één perspectief minstens "
            f"{MIN_PERSPECTIVE_SCORES} scores. Anders staat er *te weinig gegevens*.",
            f"- Beleid en praktijk lopen uiteen bij een verschil van {format_number(GAP)} punt of meer; "
            f"de praktijk heeft daarvoor minstens {MIN_PRACTICE_SCORES} scores nodig.",
            "- Een casus telt voor de gemeente uit zijn kenmerk *gemeente*, anders voor de gemeente "
            "van zijn evaluatie (of de gemeente die bij het toevoegen aan de regio is gegeven).",
            *method_lines(), ""]


# -- one page per municipality ----------------------------------------------------------
def municipality_md(x: RegionExport, name: str) -> str:
    r = x.report
    o = r.overview(name)
    out = [heading(1, f"{name}: terugkoppeling uit {r.data.region.name}"), ""]
    if x.exported_at:
        out.append(f"Gemaakt op {format_timestamp(x.exported_at)}.")
    if x.pseudo.enabled:
        out.append("Gepseudonimiseerd: casuscodes en namen staan er niet in.")
    out += ["", f"- Evaluatie: {inline(', '.join(x.pseudo.text(e) for e in o.evaluations)) or '–'}",
            f"- Casussen: {inline(x.case_codes(o.case_ids)) or 'geen'}",
            f"- Perspectieven: {', '.join(PERSPECTIVE_LABELS[p].lower() for p in o.perspectives) or 'geen'}",
            f"- Beleidsvragenlijst: {'ingevuld' if o.has_policy else 'nog niet ingevuld'}", ""]
    thin = [label for tag, label in r.basisfuncties.tags if r.basisfuncties.cell(name, tag).thin]
    if thin:
        out += [f"Te weinig gegevens voor: {inline(', '.join(thin))}. Lees die cijfers niet als "
                "oordeel.", ""]
    out += [heading(2, "Basisfuncties: uw gemeente en de regio"), "",
            _own_table(r.basisfuncties, name), ""]
    out += [heading(2, "Werkzame elementen: sterkst en zwakst"), "", *_strong_weak(r.werkzaam, name), ""]
    out += municipality_sections(x, name)
    out += [heading(2, "Beleid en praktijk per thema"), ""]
    if o.has_policy:
        out += [policy_table(o.policy), ""]
        for t in o.policy.diverging:
            if t.toelichtingen:
                out += [f"- {inline(t.title)} ({t.verdict}), beleid: "
                        + " / ".join(inline(x.pseudo.text(n)) for n in t.toelichtingen), ""]
    else:
        out += ["De beleidsvragenlijst is nog niet ingevuld: vul die in om bedoeld en gevonden "
                "naast elkaar te zien.", ""]
    if x.comparison is not None:
        changes = [ch for ch in x.comparison.of("basisfunctie") if ch.municipality == name]
        out += [heading(2, "Vergeleken met de vorige ronde"), "",
                table(["Basisfunctie", "Vorige ronde", "Nu", "Oordeel"],
                      [[inline(ch.label), _n(ch.a.mean if ch.a else None),
                        _n(ch.b.mean if ch.b else None), ch.verdict] for ch in changes]), ""]
    return "\n".join(out)


def _own_table(m: Matrix, name: str) -> str:
    rows = []
    for tag, label in m.tags:
        c = m.cell(name, tag)
        region = m.region.get(tag)
        rows.append([inline(label), cell_text(c), _n(region.mean if region else None),
                     *(scored(c.perspective(p)) for p in CASE_PERSPECTIVES), scored(c.beleid, 1)])
    return table(["Basisfunctie", "Uw praktijk", "Regio", *(PERSPECTIVE_LABELS[p] for p in
                                                           CASE_PERSPECTIVES), "Beleid"], rows)


def _strong_weak(m: Matrix, name: str) -> list[str]:
    cells = sorted((m.cell(name, tag) for tag, _ in m.tags if m.cell(name, tag).mean is not None),
                   key=lambda c: -(c.mean or 0.0))
    labels = dict(m.tags)
    if not cells:
        return ["Te weinig gegevens om werkzame elementen te vergelijken."]
    top, bottom = cells[:3], [c for c in reversed(cells[-3:]) if c not in cells[:3]]
    out = ["Sterkst: " + ", ".join(f"{inline(labels[c.tag])} ({_n(c.mean)})" for c in top) + "."]
    if bottom:
        out.append("")
        out.append("Zwakst: " + ", ".join(f"{inline(labels[c.tag])} ({_n(c.mean)})"
                                          for c in bottom) + ".")
    return out


# -- the aldermen session --------------------------------------------------------------
def aldermen_md(x: RegionExport) -> str:
    r = x.report
    data = r.data
    policies = sum(1 for o in r.municipalities if o.has_policy)
    out = _preamble(x, "Samenvatting voor de wethouders:")
    out += [f"{len(r.municipalities)} gemeenten, {casussen(data.case_count)}, "
            f"{policies} beleidsvragenlijsten.", ""]
    out += [heading(2, "Basisfuncties in de regio"), ""]
    rows = []
    for tag, label in r.basisfuncties.tags:
        ranked = r.basisfuncties.ranked(tag)
        region = r.basisfuncties.region.get(tag)
        if len(ranked) > 1 and ranked[0].mean == ranked[-1].mean:
            best = worst = "gelijk bij alle gemeenten"
        else:
            best = f"{inline(ranked[0].municipality)} ({_n(ranked[0].mean)})" if ranked else "–"
            worst = (f"{inline(ranked[-1].municipality)} ({_n(ranked[-1].mean)})"
                     if len(ranked) > 1 else "–")
        rows.append([inline(label), _n(region.mean if region else None), best, worst])
    out += [table(["Basisfunctie", "Regio", "Hoogst", "Laagst"], rows), ""]
    out += aldermen_sections(x)
    out += _aldermen_policy([o.policy for o in r.municipalities if o.has_policy])
    if x.comparison is not None:
        out += _comparison(x.comparison, level=2)
    thin = r.thin_municipalities()
    if thin:
        out += [heading(2, "Voorzichtig lezen"), "",
                f"Te weinig gegevens voor de meeste basisfuncties bij: {inline(', '.join(thin))}.", ""]
    return "\n".join(out)


def _aldermen_policy(policies: Iterable[PolicyComparison]) -> list[str]:
    lines = []
    for p in policies:
        for t in p.diverging:
            lines.append(f"- {inline(p.municipality)}, {inline(t.title)}: beleid {_n(t.beleid.mean)}, "
                         f"praktijk {_n(t.praktijk.mean)} ({t.verdict}).")
    if not lines:
        return []
    return [heading(2, "Waar beleid en praktijk uiteenlopen"), "", *lines, ""]
