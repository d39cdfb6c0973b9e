"""The feedback meeting and the comparison with the earlier round end up in every export format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from exports_support import all_text, demo, parallel

from zet_tui.core.demo_followup import build_follow_up_demo
from zet_tui.core.store import Store
from zet_tui.export.runner import export_all


def test_report_and_tables_carry_meeting_and_comparison(store: Store, tmp_path: Path) -> None:
    first = demo(store)
    follow = build_follow_up_demo(store, first, parallel())
    a, b = follow.first, follow.follow_up

    export_all(store, store.sessions(evaluation_id=a.id), tmp_path / "a")
    report = (tmp_path / "a" / "evaluatierapport.md").read_text()
    assert "## Terugkoppelbijeenkomst" in report and "### Verbeterpunten" in report
    with (tmp_path / "a" / "verbeterpunten.csv").open(encoding="utf-8-sig", newline="") as fh:
        points = list(csv.DictReader(fh, delimiter=";"))
    assert sorted(p["status"] for p in points) == ["gereed", "in_uitvoering", "open"]
    with (tmp_path / "a" / "bevindingen.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {r["herkend"] for r in csv.DictReader(fh, delimiter=";")} <= {"ja", "deels", "nee"}
    data = json.loads((tmp_path / "a" / "export.json").read_text())
    assert len(data["verbeterpunten"]) == 3 and data["bevindingen"]
    xlsx = all_text(tmp_path / "a")[tmp_path / "a" / "antwoorden.xlsx"]
    assert "Verbeterpunten" in xlsx and "Bevindingen" in xlsx

    export_all(store, store.sessions(evaluation_id=b.id), tmp_path / "b")
    report_b = (tmp_path / "b" / "evaluatierapport.md").read_text()
    assert "## Vergelijking met de vorige ronde" in report_b
    assert (tmp_path / "b" / "vergelijking.csv").exists()
    assert json.loads((tmp_path / "b" / "export.json").read_text())["vergelijking"]


def test_pseudonymised_follow_up_hides_the_earlier_rounds_cases_and_owners(store: Store,
                                                                           tmp_path: Path) -> None:
    first = demo(store)
    follow = build_follow_up_demo(store, first, parallel())
    a, b = follow.first, follow.follow_up
    secrets = [c.code for c in store.cases(a.id)] + [c.code for c in store.cases(b.id)]
    secrets += [i.owner for i in store.improvements(a.id) if i.owner]
    secrets += [name for m in store.meetings(a.id) for name in m.attendees]
    for s in store.sessions(evaluation_id=a.id) + store.sessions(evaluation_id=b.id):
        secrets += [s.interviewer, s.co_interviewer]
    secrets = [x for x in secrets if len(x) > 1]
    for ev, folder in ((a, "a"), (b, "b")):
        export_all(store, store.sessions(evaluation_id=ev.id), tmp_path / folder, pseudonymize=True)
        for path, text in all_text(tmp_path / folder).items():
            for secret in secrets:
                assert secret.lower() not in text.lower(), (path, secret)
