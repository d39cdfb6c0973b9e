from __future__ import annotations

from pathlib import Path

import pytest
from exports_support import PARALLEL, demo

from zet_tui.cli import main
from zet_tui.core.demo import CASES, DEMO_NAME, build_demo, demo_questionnaires
from zet_tui.core.interview import Interview
from zet_tui.core.store import Store, StoreError


def test_demo_is_complete_consented_and_audited(store: Store) -> None:
    result = demo(store)
    sessions = store.sessions(evaluation_id=result.evaluation.id)
    assert len(sessions) == 9 and result.sessions == 9
    assert {s.perspective for s in sessions} == {"inwoner", "professional", "dossier"}
    created = 0
    for s in sessions:
        assert s.consent_given and s.consent_by and s.status == "afgerond"
        answers = store.answers(s.id)
        assert Interview(s.questionnaire, answers).is_complete()
        events = store.events(s.id)
        created += sum(1 for e in events if e.kind == "answer_created")
        assert any(a.toelichting for a in answers.values())
    assert created == result.answers
    for spec, case in zip(CASES, store.cases(result.evaluation.id), strict=True):
        assert {t for t, _ in store.sensitive_terms(case.id)} == {spec.first_name, spec.street}


def test_demo_puts_dates_on_every_milestone(store: Store) -> None:
    result = demo(store)
    for s in store.sessions(evaluation_id=result.evaluation.id):
        if s.perspective != "dossier":
            continue
        answers = store.answers(s.id)
        milestones = [q for q in s.questionnaire.questions() if q.milestone]
        assert milestones and all(answers[q.id].value for q in milestones)


def test_demo_sensitive_terms_appear_in_toelichtingen(store: Store) -> None:
    result = demo(store)
    text = " ".join(a.toelichting for s in store.sessions(evaluation_id=result.evaluation.id)
                    for a in store.answers(s.id).values())
    assert any(spec.first_name in text or spec.street in text for spec in CASES)


def test_demo_is_deterministic_per_seed(tmp_path: Path) -> None:
    def scores(path: Path, seed: int) -> list[tuple[str, str, str]]:
        with Store.open(path) as st:
            result = demo(st, seed)
            return sorted((f"{s.perspective}:{a.question_id}", str(a.score), str(a.value))
                          for s in st.sessions(evaluation_id=result.evaluation.id)
                          for a in st.answers(s.id).values())

    assert scores(tmp_path / "a.db", 3) == scores(tmp_path / "b.db", 3)
    assert scores(tmp_path / "c.db", 3) != scores(tmp_path / "d.db", 4)


def test_second_demo_needs_force(store: Store) -> None:
    qs = demo_questionnaires(PARALLEL)
    build_demo(store, qs)
    with pytest.raises(StoreError, match="--force"):
        build_demo(store, qs)
    second = build_demo(store, qs, force=True)
    assert second.evaluation.name == f"{DEMO_NAME} (2)"
    assert len(store.evaluations()) == 2


def test_demo_works_with_the_shipped_questionnaires(store: Store) -> None:
    result = build_demo(store, demo_questionnaires())
    assert result.sessions == 9
    assert all(result.planted[c] for c in result.case_codes)


def test_demo_cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(db_path), "--questionnaires", str(PARALLEL)]) == 0
    assert "3 casussen" in capsys.readouterr().out
    assert main(["demo", "--db", str(db_path), "--questionnaires", str(PARALLEL)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert main(["demo", "--db", str(db_path), "--questionnaires", str(db_path.parent / "nee")]) == 1
    assert "niet gevonden" in capsys.readouterr().err


def test_demo_cli_without_questionnaires_for_every_perspective(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only = tmp_path / "alleen-inwoner"
    only.mkdir()
    (only / "inwoner.md").write_text((PARALLEL / "inwoner.md").read_text())
    assert main(["demo", "--db", str(db_path), "--questionnaires", str(only)]) == 1
    err = capsys.readouterr().err
    assert "professional" in err and "dossier" in err and "Traceback" not in err


def test_demo_cli_with_the_shipped_questionnaires_adds_the_regional_demo(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zet_tui.core.demo_regio import CASES as REGIO_CASES
    from zet_tui.core.demo_regio import REGIO_NAME

    assert main(["demo", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "3 casussen" in out and f"'{REGIO_NAME}'" in out and "11 casussen in drie gemeenten" in out
    with Store.open(db_path) as store:
        evaluations = store.evaluations()
        assert [e.name for e in evaluations] == [DEMO_NAME, REGIO_NAME]  # the small one stays the newest
        assert [c.code for c in store.cases(evaluations[1].id)] == [c.code for c in REGIO_CASES]
    assert main(["demo", "--db", str(db_path)]) == 1
    assert "--force" in capsys.readouterr().err
    with Store.open(db_path) as store:
        assert len(store.evaluations()) == 2  # refused before adding anything


def test_regional_demo_evidence_is_anchored_in_the_stored_toelichtingen(store: Store) -> None:
    from zet_tui.core.demo_regio import build_regio_demo

    demo = build_regio_demo(store)
    answers = store.answers_for_sessions(list(demo.sessions.values()))
    for coding in demo.evidence.codings:
        text = answers[coding.session_id][coding.question_id].toelichting
        assert coding.start is not None and text[coding.start:coding.end] == coding.fragment
    for quote in demo.evidence.quotes:
        assert answers[quote.session_id][quote.question_id].toelichting[quote.start:quote.end] == quote.fragment
    open_sessions = [s for s in store.sessions(evaluation_id=demo.evaluation.id) if s.is_open]
    assert [(s.case_id, s.perspective) for s in open_sessions] == [(demo.case_ids["R-09"], "dossier")]
    assert all(s.consent_given for s in store.sessions(evaluation_id=demo.evaluation.id))
