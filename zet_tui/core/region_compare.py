"""Two rounds of a region side by side: which municipalities improved on which basisfuncties.

Municipalities are matched by name (case-insensitive). A cell of the matrix
(`core/region_matrix.py`) is compared only when it has enough data in both
rounds; otherwise the change is "te weinig gegevens", never a number. The
threshold for improved / worsened is the one of `zet compare`
(`core/compare.CHANGE_THRESHOLD`), so one rule holds for one municipality and
for the region.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zet_tui.core.compare import CHANGE_THRESHOLD, IMPROVED, NOT_COMPARABLE, WORSENED, label_delta
from zet_tui.core.dutch import format_number
from zet_tui.core.region import RegionData, load_region
from zet_tui.core.region_matrix import THIN, Matrix, MatrixCell, build_matrix
from zet_tui.core.store import Region, Store

NAMESPACES = ("basisfunctie", "werkzaam")


@dataclass(frozen=True)
class CellChange:
    municipality: str
    tag: str
    label: str
    a: MatrixCell | None
    b: MatrixCell | None

    @property
    def delta(self) -> float | None:
        if self.a is None or self.b is None or self.a.mean is None or self.b.mean is None:
            return None
        return self.b.mean - self.a.mean

    @property
    def verdict(self) -> str:
        if self.a is None or self.b is None:
            return NOT_COMPARABLE
        if self.a.mean is None or self.b.mean is None:
            return THIN
        return label_delta(self.delta)


@dataclass(frozen=True)
class RegionComparison:
    a: Region
    b: Region
    changes: tuple[CellChange, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def is_follow_up(self) -> bool:
        return self.b.follows_id == self.a.id

    def of(self, namespace: str, verdict: str | None = None) -> list[CellChange]:
        return [c for c in self.changes if c.tag.startswith(f"{namespace}:")
                and (verdict is None or c.verdict == verdict)]

    def by_municipality(self, namespace: str, verdict: str) -> dict[str, list[CellChange]]:
        out: dict[str, list[CellChange]] = {}
        for c in self.of(namespace, verdict):
            out.setdefault(c.municipality, []).append(c)
        return out


def _matched(a: Matrix, b: Matrix) -> Iterator[tuple[str, str | None, str | None]]:
    """(shown name, name in A, name in B) for every municipality of either round."""
    names_b = {m.casefold(): m for m in b.municipalities}
    seen: set[str] = set()
    for m in a.municipalities:
        seen.add(m.casefold())
        yield m, m, names_b.get(m.casefold())
    for m in b.municipalities:
        if m.casefold() not in seen:
            yield m, None, m


def compare_region_data(a: RegionData, b: RegionData) -> RegionComparison:
    changes: list[CellChange] = []
    only_a: list[str] = []
    only_b: list[str] = []
    for namespace in NAMESPACES:
        ma, mb = build_matrix(a, namespace), build_matrix(b, namespace)
        for shown, in_a, in_b in _matched(ma, mb):
            if namespace == NAMESPACES[0]:
                if in_b is None:
                    only_a.append(shown)
                elif in_a is None:
                    only_b.append(shown)
            for tag, label in ma.tags:
                changes.append(CellChange(shown, tag, label,
                                          ma.cell(in_a, tag) if in_a else None,
                                          mb.cell(in_b, tag) if in_b else None))
    warnings: list[str] = []
    if a.region.id == b.region.id:
        warnings.append("A en B zijn dezelfde regio")
    if a.region.follows_id == b.region.id:
        warnings.append("B is de eerdere ronde: A is als vervolg op B vastgelegd; draai de "
                        "volgorde om")
    return RegionComparison(a.region, b.region, tuple(changes), tuple(only_a), tuple(only_b),
                            tuple(warnings + a.warnings + b.warnings))


def compare_regions(store: Store, region_a: str, region_b: str) -> RegionComparison:
    """Compare round A (earlier) of a region with round B (later); reads only."""
    return compare_region_data(load_region(store, region_a), load_region(store, region_b))


def _mean(cell: MatrixCell | None) -> float | None:
    return None if cell is None else cell.mean


def region_comparison_to_dict(c: RegionComparison) -> dict[str, Any]:
    """Plain data for `zet compare --regio --json` and the region export."""
    def side(cell: MatrixCell | None) -> dict[str, Any] | None:
        if cell is None:
            return None
        return {"gemiddelde": None if cell.mean is None else round(cell.mean, 2),
                "scores": cell.praktijk.n, "casussen": len(cell.cases),
                "te_weinig_gegevens": cell.thin}

    return {
        "regio_a": {"id": c.a.id, "naam": c.a.name},
        "regio_b": {"id": c.b.id, "naam": c.b.name, "vervolg_op": c.b.follows_id},
        "drempel": CHANGE_THRESHOLD,
        "veranderingen": [
            {"gemeente": ch.municipality, "tag": ch.tag, "label": ch.label, "a": side(ch.a),
             "b": side(ch.b), "verschil": None if ch.delta is None else round(ch.delta, 2),
             "oordeel": ch.verdict} for ch in c.changes],
        "alleen_in_a": list(c.only_a),
        "alleen_in_b": list(c.only_b),
        "waarschuwingen": list(c.warnings),
    }


def format_region_comparison(c: RegionComparison) -> str:
    """Plain text for `zet compare --regio`: per basisfunctie who improved, who did not."""
    lines = [f"Vergelijking van regio '{c.a.name}' (A) met '{c.b.name}' (B)"]
    if c.is_follow_up:
        lines.append("B is vastgelegd als vervolgronde op A.")
    lines.extend(f"Let op: {w}." for w in c.warnings)
    lines.append("Praktijk: gemiddelde van alle casusscores op de vijfpuntsschaal; verschil telt "
                 f"vanaf {format_number(CHANGE_THRESHOLD)} punt. Een cel met te weinig gegevens "
                 "wordt niet vergeleken.")
    for namespace, title in (("basisfunctie", "Basisfuncties"), ("werkzaam", "Werkzame elementen")):
        lines.append("")
        lines.append(f"{title}:")
        for verdict, heading in ((IMPROVED, "verbeterd"), (WORSENED, "verslechterd")):
            per = c.by_municipality(namespace, verdict)
            if not per:
                lines.append(f"  {heading}: geen")
            for municipality, items in per.items():
                lines.append(f"  {heading}: {municipality}: " + ", ".join(
                    f"{ch.label} {format_number(_mean(ch.a), 1)} → {format_number(_mean(ch.b), 1)}"
                    for ch in items))
        thin = sorted({ch.municipality for ch in c.of(namespace, THIN)}, key=str.casefold)
        if thin:
            lines.append("  te weinig gegevens in een van beide rondes bij: " + ", ".join(thin))
    if c.only_a:
        lines.append(f"Alleen in A: {', '.join(c.only_a)}")
    if c.only_b:
        lines.append(f"Alleen in B: {', '.join(c.only_b)}")
    return "\n".join(lines)
