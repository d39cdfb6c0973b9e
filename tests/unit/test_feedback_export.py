"""Report sections and table rows for the feedback meeting and the comparison."""

from __future__ import annotations

import csv
import io
import json
import re

from feedback_support import ROUND_ONE, make_round

from zet_tui.core.compare import compare
from zet_tui.core.feedback import (
    add_analyst_finding,
    add_improvement_point,
    meeting_outcome,
    record_meeting,
    set_improvement_status,
    sync_findings,
)
from zet_tui.core.store import Store
from zet_tui.export.feedback_md import (
    comparison_rows,
    feedback_rows,
    improvement_rows,
    render_compare_section,
    render_meeting_section,
)

HOSTILE = "Wachten | lang\n# kop <script>alert(1)</script> [link](http://x)"


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def setup(store: Store) -> tuple[str, str]:
    a = make_round(store, "Ronde 1", ROUND_ONE)
    sync_findings(store, a.id)
    add_analyst_finding(store, a.id, HOSTILE)
    record_meeting(store, a.id, "2025-09-18", ["Wethouder | gemeente", "Team Noord"], "notitie\nmet regel")
    store.record_reaction(store.findings(a.id)[0].id, "ja", "Klopt | zeker\nnieuwe regel")
    add_improvement_point(store, a.id, HOSTILE, owner="Teamleider", due="2026-01-31", findings=["F1", "F3"],
                          themes=["samenwerking"])
    add_improvement_point(store, a.id, "Tweede punt")
    set_improvement_status(store, "V2", "gereed", evaluation_id=a.id)
    b = make_round(store, "Ronde 2", {"D": {"inwoner": {"samenwerking.afstemming": 5}}}, follows_id=a.id)
    return a.id, b.id


def test_meeting_section_is_a_well_formed_report_part(store: Store) -> None:
    a, _ = setup(store)
    md = render_meeting_section(meeting_outcome(store, a))
    assert md.startswith("## Terugkoppelbijeenkomst\n")
    assert "**18-09-2025**, aanwezig: Wethouder &#124; gemeente, Team Noord" in md
    assert "herkend: 1" in md and "Nog niet gereed: 1 van 2." in md
    assert "<script>" not in md and not re.search(r"^#+ kop", md, re.M)
    for table in re.findall(r"((?:^\|.*\|$\n?)+)", md, re.M):
        widths = {unescaped_pipes(line) for line in table.strip().splitlines()}
        assert len(widths) == 1, table
    assert "| V1 | Wachten &#124; lang<br>\\# kop" in md and "| F1, F3 |" in md
    assert "&lt;script&gt;" in md


def test_compare_section(store: Store) -> None:
    a, b = setup(store)
    md = render_compare_section(compare(store, a, b))
    assert md.startswith("## Vergelijking met de vorige ronde\n")
    assert "B is vastgelegd als vervolgmeting op A." in md
    assert "**Verbeterd:** Samenwerking" in md
    assert "### Verbeterpunten van de vorige ronde" in md and "Nog niet gereed: 1 van 2." in md
    assert "niet automatisch na te gaan" in md
    for table in re.findall(r"((?:^\|.*\|$\n?)+)", md, re.M):
        assert len({unescaped_pipes(line) for line in table.strip().splitlines()}) == 1, table


def test_rows_for_tables_round_trip_through_csv_and_json(store: Store) -> None:
    a, b = setup(store)
    outcome = meeting_outcome(store, a)
    rows = feedback_rows(outcome)
    assert [r["nummer"] for r in rows] == ["F1", "F2", "F3"]
    assert rows[0]["herkend"] == "ja" and rows[0]["uitleg"] == "Klopt | zeker\nnieuwe regel"
    assert rows[2]["bevinding"] == HOSTILE and rows[0]["aanwezig"] == "Wethouder | gemeente; Team Noord"
    points = improvement_rows(outcome)
    assert [(p["nummer"], p["status"]) for p in points] == [("V1", "open"), ("V2", "gereed")]
    assert points[0]["bevindingen"] == "F1; F3" and points[0]["themas"] == "samenwerking"
    assert points[1]["geschiedenis"].endswith(" gereed") and " open; " in points[1]["geschiedenis"]
    cmp_rows = comparison_rows(compare(store, a, b))
    samen = next(r for r in cmp_rows if r["thema"] == "samenwerking" and r["perspectief"] == "inwoner")
    assert samen["gemiddelde_b"] == 5.0 and samen["oordeel"] == "verbeterd"
    for table in (rows, points, cmp_rows):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
        read = list(csv.DictReader(io.StringIO(buf.getvalue())))
        assert len(read) == len(table) and read[0].keys() == table[0].keys()
        assert json.loads(json.dumps(table)) == table
