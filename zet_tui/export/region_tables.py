"""The region as tables: CSV per table, one XLSX workbook and one JSON file.

The same rows feed every format, written by the table writers of an
evaluation export (`tables.write_rows_csv`, `tables.rows_sheet`): Dutch Excel
CSV, typed spreadsheet cells, ja/nee for yes/no. Means are rounded to two
decimals; a thin cell has an empty mean and `te_weinig_gegevens` = ja.
"""

from __future__ import annotations

from typing import Any

from zet_tui.core.beleid import Score
from zet_tui.core.region_compare import region_comparison_to_dict
from zet_tui.core.region_learning import finding_title, places
from zet_tui.core.region_matrix import MATRIX_PERSPECTIVES, MIN_PERSPECTIVE_SCORES, Matrix
from zet_tui.core.safe_text import export_safe
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export.region_data import RegionExport
from zet_tui.export.tables import rows_sheet, write_clean_json
from zet_tui.export.xlsx import Workbook

SHEET_TITLES: dict[str, str] = {
    "regio-gemeenten": "Gemeenten",
    "regio-matrix": "Matrix",
    "regio-gedeelde-bevindingen": "Gedeelde bevindingen",
    "regio-leren-van-elkaar": "Leren van elkaar",
    "regio-beleid-praktijk": "Beleid en praktijk",
    "regio-vergelijking": "Vergelijking",
}
WRAP = frozenset({"evaluaties", "casussen_codes", "label", "titel", "toelichting_beleid",
                  "bevinding", "onderwerp"})


def _mean(score: Score, minimum: int = MIN_PERSPECTIVE_SCORES) -> float | None:
    return None if score.mean is None or score.n < minimum else round(score.mean, 2)


def _matrix_rows(m: Matrix) -> list[dict[str, Any]]:
    rows = []
    for name in m.municipalities:
        for tag, label in m.tags:
            c = m.cell(name, tag)
            row: dict[str, Any] = {
                "gemeente": name, "soort": m.namespace, "tag": tag, "label": label,
                "praktijk": None if c.mean is None else round(c.mean, 2),
                "praktijk_scores": c.praktijk.n, "casussen": len(c.cases),
                "te_weinig_gegevens": c.thin}
            for p in MATRIX_PERSPECTIVES:
                score = c.perspective(p)
                row[p] = _mean(score, 1 if p == "beleid" else MIN_PERSPECTIVE_SCORES)
                row[f"{p}_scores"] = score.n
            row["knelpunt_casussen"] = len(c.knelpunt)
            row["succesfactor_casussen"] = len(c.succesfactor)
            row["bevindingen"] = ", ".join(c.findings)
            rows.append(row)
    return rows


def region_tables(x: RegionExport) -> dict[str, list[dict[str, Any]]]:
    """Every table of the region export, by file name (without .csv); texts without control
    characters (`export_safe`), as every exported cell."""
    return {name: [{k: export_safe(v) if isinstance(v, str) else v for k, v in row.items()}
                   for row in rows] for name, rows in _tables(x).items()}


def _tables(x: RegionExport) -> dict[str, list[dict[str, Any]]]:
    r = x.report
    out: dict[str, list[dict[str, Any]]] = {}
    out["regio-gemeenten"] = [
        {"gemeente": o.name, "evaluaties": "; ".join(x.pseudo.text(e) for e in o.evaluations),
         "casussen": len(o.case_ids),
         **({} if x.pseudo.enabled else {"casussen_codes": x.case_codes(o.case_ids)}),
         "perspectieven": ", ".join(o.perspectives), "beleidsvragenlijst": o.has_policy}
        for o in r.municipalities]
    out["regio-matrix"] = _matrix_rows(r.basisfuncties) + _matrix_rows(r.werkzaam)
    out["regio-beleid-praktijk"] = [
        {"gemeente": o.name, "thema": t.theme_id, "titel": t.title,
         "beleid": _mean(t.beleid, 1), "beleid_scores": t.beleid.n,
         "praktijk": _mean(t.praktijk, 1), "praktijk_scores": t.praktijk.n,
         "casussen": t.praktijk.cases,
         "verschil": None if t.gap is None else round(t.gap, 2), "oordeel": t.verdict,
         "toelichting_beleid": " / ".join(x.pseudo.text(n) for n in t.toelichtingen)}
        for o in r.municipalities for t in o.policy.themes]
    learning = r.learning
    where = x.data.case_municipalities
    out["regio-gedeelde-bevindingen"] = [
        {"soort": s.finding.kind, "onderwerp": s.finding.subject.label,
         "onderwerp_soort": s.finding.subject.kind_label, "bevinding": finding_title(s.finding),
         "gemeenten": ", ".join(s.municipalities), "casussen": places(s.finding.cases, where),
         "aantal": s.finding.n, "van": s.finding.m, "zwak_signaal": s.finding.weak,
         "andere_kant": ", ".join(s.other_side), "sleutel": s.finding.key}
        for s in learning.shared]
    out["regio-leren-van-elkaar"] = [
        {"leer_van": p.source, "voor": p.learner, "onderwerp": t.subject.label,
         "onderwerp_soort": t.subject.kind_label, "succes_casussen": len(t.success_cases),
         "knelpunt_casussen": len(t.problem_cases), "sleutel": t.finding_key}
        for p in learning.pairs for t in p.topics]
    if x.comparison is not None:
        out["regio-vergelijking"] = [
            {"gemeente": ch["gemeente"], "tag": ch["tag"], "label": ch["label"],
             "vorige_ronde": (ch["a"] or {}).get("gemiddelde"),
             "deze_ronde": (ch["b"] or {}).get("gemiddelde"),
             "verschil": ch["verschil"], "oordeel": ch["oordeel"]}
            for ch in region_comparison_to_dict(x.comparison)["veranderingen"]]
    return out


def write_region_xlsx(x: RegionExport, fh: Any) -> None:
    wb = Workbook()
    for name, rows in region_tables(x).items():
        rows_sheet(wb, SHEET_TITLES.get(name, name), rows, WRAP)
    legend = wb.add_sheet("Uitleg", widths=(26, 90), wrap=(1,))
    legend.append(["kolom", "betekenis"], bold=True)
    for key, meaning in (
            ("praktijk", "gemiddelde van alle casusscores (inwoner, professional, dossier) op de "
                         "vijfpuntsschaal; leeg bij te weinig gegevens"),
            *((p, f"gemiddelde van het perspectief {PERSPECTIVE_LABELS[p].lower()}")
              for p in MATRIX_PERSPECTIVES),
            ("te_weinig_gegevens", "ja: de cel telt in geen vergelijking mee"),
            ("oordeel", "beleid naast praktijk, of de verandering sinds de vorige ronde")):
        legend.append([key, meaning])
    wb.save(fh)


def region_json(x: RegionExport) -> dict[str, Any]:
    region = x.data.region
    return {
        "format": "zet-tui-regio", "version": 1, "exported_at": x.exported_at,
        "pseudonymized": x.pseudo.enabled,
        "regio": {"id": region.id, "naam": region.name,
                  "omschrijving": x.pseudo.text(region.description),
                  "vervolg_op": region.follows_id},
        **{name.removeprefix("regio-").replace("-", "_"): rows
           for name, rows in region_tables(x).items() if name != "regio-vergelijking"},
        "vergelijking": None if x.comparison is None else region_comparison_to_dict(x.comparison),
        "waarschuwingen": list(x.data.warnings),
    }


def write_region_json(x: RegionExport, fh: Any) -> None:
    write_clean_json(region_json(x), fh)
