"""A compact ZET (chosen themes) is honoured by sessions, coverage and every export format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from zet_tui.core.answers import Answer
from zet_tui.core.coverage import coverage_for_evaluation
from zet_tui.core.interview import Interview
from zet_tui.core.questionnaire_loader import load_or_raise, shipped_dir
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus
from zet_tui.export.runner import export_all

CHOSEN = ["toegang", "veiligheid"]


def test_compact_evaluation_exports_only_the_chosen_themes(store: Store, tmp_path: Path) -> None:
    ev = store.create_evaluation("Compact", "Teststad", CHOSEN)
    case = store.add_case(ev.id, "K-01")
    for name in ("inwoner", "professional"):
        q = load_or_raise(shipped_dir() / f"{name}.md")
        session = store.start_session(case.id, q, interviewer="A", consent_given=True,
                                      consent_by="inwoner")
        assert [t.id for t in session.questionnaire.themes] == CHOSEN
        iv = Interview(session.questionnaire)
        for question in iv.visible():
            answer = (Answer(question.id, AnswerStatus.ANSWERED, score=4) if question.is_scaled
                      else Answer(question.id, AnswerStatus.WEET_NIET))
            iv.record(store.save_answer(session.id, answer))
    coverage = coverage_for_evaluation(store, ev.id)
    (case_cov,) = coverage.cases
    assert [r.theme_id for r in case_cov.rows] == CHOSEN
    # the dossier perspective has no session yet, so the case is not complete
    assert not coverage.complete
    assert all(c.covered for r in case_cov.rows for c in r.cells if c.perspective != "dossier")
    export_all(store, store.sessions(evaluation_id=ev.id), tmp_path / "out")
    with (tmp_path / "out" / "antwoorden.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert rows and {r["thema"] for r in rows} == set(CHOSEN)
    data = json.loads((tmp_path / "out" / "export.json").read_text())
    themes = {t["id"] for q in data["questionnaires"].values() for t in q["themes"]}
    assert themes == set(CHOSEN)
    schema = (tmp_path / "out" / "analyseschema-k-01.md").read_text()
    assert "Veiligheid" in schema and "Vraagverheldering" not in schema
