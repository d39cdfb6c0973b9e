"""`zet regio export`: every file, private modes, never overwritten, and pseudonymised that keeps
the municipalities but never a case code or a name."""

from __future__ import annotations

import csv
import json
import re
import stat
from pathlib import Path

import pytest
from exports_support import all_text
from hypothesis import example, given, settings
from hypothesis import strategies as st
from region_support import DemoRegion, hostile_region

from zet_tui.cli import main
from zet_tui.core.region_demo import INTERVIEWERS, MUNICIPALITIES
from zet_tui.core.store import Store
from zet_tui.export.folders import MANIFEST, folders_holding
from zet_tui.export.region_data import load_region_export
from zet_tui.export.region_md import region_report_md
from zet_tui.export.region_runner import _municipality_files, run_region_export

CASE_CODES = [c.code for m in MUNICIPALITIES for c in m.cases]
NAMES = [c.first_name for m in MUNICIPALITIES for c in m.cases] + list(INTERVIEWERS) + [
    m.advisor for m in MUNICIPALITIES]


def _export(db: Path, region: str, out: Path, *extra: str) -> Path:
    assert main(["regio", "export", "--db", str(db), region, "--out", str(out), *extra]) == 0
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    return folders[-1]


def test_export_writes_every_file_privately(demo_region: DemoRegion, tmp_path: Path) -> None:
    folder = _export(demo_region.db, demo_region.second, tmp_path / "exports")
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"index.md", "regiorapport.md", "wethouders.md", "regio.xlsx", "regio.json",
            "regio-gemeenten.csv", "regio-matrix.csv", "regio-beleid-praktijk.csv",
            "regio-gedeelde-bevindingen.csv", "regio-leren-van-elkaar.csv",
            "regio-vergelijking.csv"} <= names
    assert {f"gemeenten/{m.name.lower()}.md" for m in MUNICIPALITIES} <= names
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    report = (folder / "regiorapport.md").read_text(encoding="utf-8")
    assert "ALD-1" in report  # not pseudonymised: the analyst sees the case codes
    assert "Vergeleken met de vorige ronde" in report
    # the second round: Aldermeer, which learnt from Vlietwaarde, is now the one to learn from
    assert "| Succesfactor bij Integraal plan (werkzaam element) |" in report.split(
        "## Gedeelde bevindingen", 1)[1]
    assert "| Aldermeer | Brakveen |" in report.split("## Leren van elkaar", 1)[1]
    assert "| Vlietwaarde | Aldermeer |" in report.split("## Leren van elkaar", 1)[1]
    aldermen = (folder / "wethouders.md").read_text(encoding="utf-8")
    assert "## Knelpunten die meerdere gemeenten delen" in aldermen
    with (folder / "regio-vergelijking.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    # Zuidgeest's first round was too thin to compare; a number would suggest a change
    zuid = [r for r in rows if r["gemeente"] == "Zuidgeest" and r["vorige_ronde"] == ""]
    assert zuid and {r["oordeel"] for r in zuid} == {"te weinig gegevens"}
    assert any(r["verschil"] == "2,1" or r["oordeel"] == "verbeterd" for r in rows)
    data = json.loads((folder / "regio.json").read_text(encoding="utf-8"))
    assert data["format"] == "zet-tui-regio" and not data["pseudonymized"]
    assert {r["gemeente"] for r in data["gemeenten"]} == {m.name for m in MUNICIPALITIES}
    again = _export(demo_region.db, demo_region.second, tmp_path / "exports")
    assert again != folder and again.name.endswith("-2")
    with Store.open(demo_region.db) as store:  # zet purge can name the exports holding a case
        case = store.find_case("ALD-1", store.find_evaluation("Evaluatie Aldermeer 2026").id)
    assert folders_holding(case.id, [tmp_path / "exports"]) == sorted([folder, again])


def test_pseudonymised_export_keeps_municipalities_but_no_codes_or_names(
        demo_region: DemoRegion, tmp_path: Path) -> None:
    folder = _export(demo_region.db, demo_region.first, tmp_path / "exports", "--pseudonymize")
    assert folder.name.endswith("-gepseudonimiseerd")
    texts = all_text(folder)
    assert len(texts) >= 12
    for path, text in texts.items():
        for secret in CASE_CODES + NAMES + ["BELEID"]:
            assert secret not in text, f"{secret} in {path.name}"
    everything = "\n".join(texts.values())
    for m in MUNICIPALITIES:
        assert m.name in everything
    page = (folder / "gemeenten" / "aldermeer.md").read_text(encoding="utf-8")
    assert "2 casussen" in page and "beleid positiever" in page
    with (folder / "regio-matrix.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["gemeente"] == "Zuidgeest"]
    assert any(r["te_weinig_gegevens"] == "ja" and r["praktijk"] == "" for r in rows)


def test_user_text_cannot_break_the_markdown(store: Store, db_path: Path, tmp_path: Path) -> None:
    ev = store.create_evaluation("Evaluatie | [Noord]", "Gemeente | <b>[Noord]</b>")
    region = store.create_region("Regio *x* [/]", "omschrijving | met <script>")
    store.add_region_member(region.id, ev.id)
    result = run_region_export(store, region.id, root=tmp_path / "out", formats=("md",))
    report = (result.folder / "regiorapport.md").read_text(encoding="utf-8")
    assert "<script>" not in report and "<b>" not in report
    row = next(line for line in report.splitlines() if "Noord" in line and line.startswith("|"))
    assert row.count("|") == 6  # five cells: the typed '|' is escaped, not a column
    assert main(["regio", "export", "--db", str(db_path), region.id, "--format", "pdf",
                 "--out", str(tmp_path / "x")]) == 1


@pytest.mark.parametrize("fmt", ["csv", "json", "md", "xlsx"])
def test_each_format_alone(demo_region: DemoRegion, tmp_path: Path, fmt: str) -> None:
    folder = _export(demo_region.db, demo_region.first, tmp_path / "exports", "--format", fmt)
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    assert suffixes == {f".{fmt}"}


@settings(max_examples=40, deadline=None)
@example(names=[":", "/"])  # both slug to nothing: their files once became gemeente-/ (a folder)
@example(names=["..", "a/b", "A/B"])
@given(names=st.lists(st.text(min_size=1, max_size=20).filter(lambda t: t.strip()), min_size=1,
                      max_size=6))
def test_any_municipality_names_get_their_own_page_and_an_intact_table(names: list[str]) -> None:
    """Typed gemeente names (member overrides) of any kind: one page each inside gemeenten/,
    and every row of the municipality table keeps its five cells."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "z.db") as store:
        region = store.create_region("R")
        for i, name in enumerate(names):
            ev = store.create_evaluation(f"E{i}")
            store.add_region_member(region.id, ev.id, name)
        x = load_region_export(store, region.id)
        pages = _municipality_files(x)
        assert len(set(pages.values())) == len(pages) == len(x.data.municipalities)
        assert all(p.startswith("gemeenten/") and "/" not in p[10:] and p.endswith(".md")
                   and ".." not in p for p in pages.values())
        report = region_report_md(x)
        section = report.split("## Gemeenten", 1)[1].split("\n## ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| ")]
        assert len(rows) == len(x.data.municipalities) + 1  # header and one row each
        assert all(row.count(" | ") == 4 for row in rows)


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("pseudonymize", [False, True])
def test_no_exported_region_file_carries_a_control_character(
        store: Store, tmp_path: Path, pseudonymize: bool) -> None:
    result = run_region_export(store, hostile_region(store), root=tmp_path / "out",
                               pseudonymize=pseudonymize)
    texts = all_text(result.folder)
    assert {p.suffix for p in texts} >= {".md", ".csv", ".json", ".xlsx"}
    for path, text in texts.items():
        found = UNSAFE.search(text.replace("\r\n", "").replace("\n", "").replace("\t", ""))
        assert found is None, (path.name, text[max(0, found.start() - 20):found.end() + 20])
        assert "\\u001b" not in text and "\\u009b" not in text, path.name
    everything = "\n".join(texts.values())
    assert "convenant" in everything and "Aldermeer" in everything
