"""Shared findings and learning pairs in Markdown, for the region report, the page per
municipality and the aldermen summary. Cases are named by their municipality, never by code."""

from __future__ import annotations

from zet_tui.core import findings as model
from zet_tui.core.region_learning import (
    MIN_MUNICIPALITIES,
    TOP_SUMMARY,
    LearningPair,
    SharedFinding,
    finding_title,
    places,
    shared_text,
    topics_text,
)
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export.region_data import RegionExport
from zet_tui.export.safe_md import cell, heading, inline, shorten, table

CITATIONS = 2
"""Texts from the cases shown under a shared finding in the region report."""


def _shared_table(x: RegionExport, shared: list[SharedFinding]) -> str:
    where = x.data.case_municipalities
    rows = [[inline(finding_title(s.finding)), inline(places(s.finding.cases, where)),
             cell(", ".join(s.other_side))] for s in shared]
    return table(["Bevinding", "Gemeenten met dit patroon (casussen)", "Aan de andere kant"], rows)


def _pairs_table(pairs: list[LearningPair]) -> str:
    rows = [[inline(p.source), inline(p.learner), inline(topics_text(p))] for p in pairs]
    return table(["Leer van", "Voor", "Onderwerpen"], rows)


def region_sections(x: RegionExport) -> list[str]:
    """The region report's sections: every shared finding with its evidence, every pair."""
    learning = x.report.learning
    where = x.data.case_municipalities
    out = [heading(2, "Gedeelde bevindingen"), "",
           "Bevindingen van het bevindingenmodel over alle casussen van de regio samen, die in "
           f"minstens {MIN_MUNICIPALITIES} gemeenten voorkomen. *Aan de andere kant*: gemeenten met "
           "een casus waar hetzelfde onderwerp juist de andere kant op valt.", ""]
    if not learning.shared:
        out += ["Geen bevinding die in meerdere gemeenten voorkomt.", ""]
    else:
        out += [_shared_table(x, list(learning.shared)), ""]
        for s in learning.shared:
            out.append(f"- {inline(shared_text(s, where))}")
            unique = {c.text.strip(): c for c in reversed(s.finding.citations)}  # first one wins
            for c in list(reversed(unique.values()))[:CITATIONS]:
                who = f"{where.get(c.case_id, '?')}, {PERSPECTIVE_LABELS.get(c.perspective, c.perspective).lower()}"
                lead = "tegenvoorbeeld: " if c.counterexample else ""
                out.append(f"  - {lead}«{inline(shorten(x.pseudo.text(c.text), 200))}» ({inline(who)})")
        out.append("")
    out += [heading(2, "Leren van elkaar"), "",
            "Waar de casussen van de ene gemeente een succesfactor laten zien op een onderwerp dat "
            "bij een andere gemeente een knelpunt is (volgens het bevindingenmodel), staan ze hier "
            "als paar om met elkaar in gesprek te gaan.", ""]
    out += [_pairs_table(list(learning.pairs)) if learning.pairs else
            "Geen paren: nergens staat een succesfactor tegenover een knelpunt in een andere "
            "gemeente.", ""]
    return out


def municipality_sections(x: RegionExport, name: str) -> list[str]:
    """What one municipality shares with others, and who it can learn from or teach."""
    learning = x.report.learning
    where = x.data.case_municipalities
    out = [heading(2, "Wat u deelt met andere gemeenten"), ""]
    shared = learning.shared_with(name)
    for s in shared:
        others = [m for m in s.municipalities if m != name]
        if name in s.municipalities:
            line = f"- {inline(finding_title(s.finding))}: ook in {inline(', '.join(others))}"
            if s.other_side:
                line += f"; aan de andere kant: {inline(', '.join(s.other_side))}"
        else:
            line = (f"- {inline(finding_title(s.finding))} in {inline(places(s.finding.cases, where))}"
                    f"; bij u valt het juist de andere kant op")
        out.append(line + ".")
    if not shared:
        out.append("Geen bevinding die u met andere gemeenten deelt.")
    out += ["", heading(2, "Leren van elkaar"), ""]
    pairs = learning.pairs_of(name)
    for p in pairs:
        if p.learner == name:
            out.append(f"- Leer van {inline(p.source)} over: {inline(topics_text(p))}.")
        else:
            out.append(f"- {inline(p.learner)} kan van u leren over: {inline(topics_text(p))}.")
    if not pairs:
        out.append("Geen paren met andere gemeenten.")
    return [*out, ""]


def aldermen_sections(x: RegionExport) -> list[str]:
    learning = x.report.learning
    out: list[str] = []
    knelpunten = [s for s in learning.shared if s.finding.kind == model.KNELPUNT][:TOP_SUMMARY]
    if knelpunten:
        out += [heading(2, "Knelpunten die meerdere gemeenten delen"), "",
                _shared_table(x, knelpunten), ""]
    if learning.pairs:
        out += [heading(2, "Leren van elkaar"), "", _pairs_table(list(learning.pairs[:TOP_SUMMARY])),
                ""]
        if len(learning.pairs) > TOP_SUMMARY:
            out += [f"En {len(learning.pairs) - TOP_SUMMARY} paren meer in het regiorapport.", ""]
    return out


def method_lines() -> list[str]:
    return [
        f"- Bevindingen komen uit het bevindingenmodel, toegepast op alle casussen van de regio "
        f"samen: nooit uit één casus (minstens {model.MIN_CASES}), in minstens "
        f"{round(model.MIN_SHARE * 100)}% van de casussen met gegevens, of als patroon van één "
        "gemeente (het kenmerk *gemeente*). Zie docs/bevindingen.md.",
        f"- Gedeeld: een bevinding met casussen in minstens {MIN_MUNICIPALITIES} gemeenten. Leren van "
        "elkaar: een succesfactor in de ene gemeente tegenover een knelpunt in een andere, op "
        "hetzelfde onderwerp.",
    ]
