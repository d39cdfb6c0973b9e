"""`zet regio toon`: the region as plain-text tables for a terminal or a pipe."""

from __future__ import annotations

from zet_tui.commands.text_table import table_lines
from zet_tui.core.beleid import DIVERGING
from zet_tui.core.dutch import format_number
from zet_tui.core.region_learning import shared_text, topics_text
from zet_tui.core.region_matrix import MIN_CASES, MIN_SCORES, SHORT_LABELS, Matrix, cell_text
from zet_tui.export.region_data import RegionExport


def _matrix(m: Matrix) -> list[str]:
    header = ["Gemeente", *(SHORT_LABELS.get(tag, label) for tag, label in m.tags)]
    rows = []
    for name in m.municipalities:
        row = [name]
        for tag, _ in m.tags:
            c = m.cell(name, tag)
            text = ("te weinig" if c.praktijk.n else "–") if c.status else cell_text(c)
            if c.beleid.n:
                text += f" B{format_number(c.beleid.mean, 1)}"
            row.append(text)
        rows.append(row)
    rows.append(["regio", *(format_number(m.region[tag].mean, 1) if tag in m.region else "–"
                            for tag, _ in m.tags)])
    return table_lines(header, rows, max_widths=[20])


def format_region(x: RegionExport) -> str:
    r = x.report
    region = r.data.region
    lines = [f"Regio '{region.name}': {len(r.municipalities)} gemeenten, "
             f"{r.data.case_count} casussen"]
    lines += [f"Let op: {w}." for w in r.data.warnings]
    lines.append("")
    lines += table_lines(["Gemeente", "Casussen", "Perspectieven", "Beleid"], [
        [o.name, str(len(o.case_ids)), ", ".join(o.perspectives) or "–",
         "ja" if o.has_policy else "nee"] for o in r.municipalities])
    lines.append("")
    lines.append("Praktijk = gemiddelde van alle casusscores (vijfpuntsschaal), B = beleid. "
                 f"'te weinig': minder dan {MIN_CASES} casus of {MIN_SCORES} scores.")
    for m in (r.basisfuncties, r.werkzaam):
        lines.append("")
        lines.append(f"{m.title}:")
        lines += _matrix(m)
    lines.append("")
    where = r.data.case_municipalities
    lines.append("Gedeelde bevindingen (in meerdere gemeenten):" if r.learning.shared else
                 "Geen bevinding die in meerdere gemeenten voorkomt.")
    for item in r.learning.shared:
        lines.append(f"  - {shared_text(item, where)}")
        if item.other_side:
            lines.append(f"    aan de andere kant: {', '.join(item.other_side)}")
    lines.append("Leren van elkaar:" if r.learning.pairs else
                 "Geen paren om van elkaar te leren.")
    lines += [f"  - {p.learner} kan leren van {p.source} over: {topics_text(p)}"
              for p in r.learning.pairs]
    lines.append("")
    diverging = [(o.name, t) for o in r.municipalities for t in o.policy.themes
                 if t.verdict in DIVERGING]
    lines.append("Waar beleid en praktijk uiteenlopen:" if diverging else
                 "Beleid en praktijk lopen nergens uiteen (of er is nog geen beleidsvragenlijst).")
    lines += [f"  - {name}, {t.title}: beleid {format_number(t.beleid.mean, 1)}, praktijk "
              f"{format_number(t.praktijk.mean, 1)} ({t.verdict})" for name, t in diverging]
    missing = [o.name for o in r.municipalities if not o.has_policy]
    if missing:
        lines.append(f"Nog geen beleidsvragenlijst: {', '.join(missing)}.")
    thin = r.thin_municipalities()
    if thin:
        lines.append(f"Te weinig gegevens voor de meeste basisfuncties: {', '.join(thin)}.")
    return "\n".join(lines)
