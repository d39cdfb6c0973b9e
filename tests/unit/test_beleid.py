"""The policy self-evaluation: the shipped questionnaire, no consent, its own case in coverage,
and beleid beside praktijk in the evaluation report."""

from __future__ import annotations

from pathlib import Path

import pytest
from region_support import DemoRegion

from zet_tui.cli import main
from zet_tui.core.beleid import policy_questionnaire
from zet_tui.core.coverage import coverage_for_evaluation
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_file, shipped_dir
from zet_tui.core.store import ConsentRequired, Store
from zet_tui.core.vocab import CASE_PERSPECTIVES, POLICY_PERSPECTIVE

CASE_THEMES = {"toegang", "vraagverheldering", "planvorming", "samenhang", "uitvoering",
               "veiligheid", "eigen-regie", "evaluatie", "afsluiting"}


@pytest.fixture
def policy() -> Questionnaire:
    return policy_questionnaire()


def test_shipped_policy_questionnaire_lines_up_with_the_case_themes(
        policy: Questionnaire, capsys: pytest.CaptureFixture[str]) -> None:
    assert policy.perspective == POLICY_PERSPECTIVE and policy.id == "beleid"
    assert {t.id for t in policy.themes} <= CASE_THEMES
    assert {"toegang", "samenhang"} <= {t.id for t in policy.themes}
    scored = [q for q in policy.questions() if q.is_scaled]
    assert len(scored) >= 20 and all(q.tags for q in scored)
    assert all(q.id.startswith(f"{q.theme_id}.") for q in policy.questions())
    samenhang = " ".join(q.text.lower() for q in policy.theme("samenhang").questions)  # type: ignore[union-attr]
    for subject in ("afspraken", "regie", "informatie", "financiering"):
        assert subject in samenhang
    assert main(["questionnaires", "check", str(shipped_dir() / "beleid.md")]) == 0
    assert "ok (beleid 1" in capsys.readouterr().out
    assert load_file(shipped_dir() / "beleid.md").problems == []


def test_policy_staff_need_no_resident_consent(store: Store, policy: Questionnaire,
                                               mini: Questionnaire) -> None:
    ev = store.create_evaluation("Evaluatie Aldermeer", "Aldermeer")
    case = store.add_case(ev.id, "BELEID")
    session = store.start_session(case.id, policy, interviewer="Marloes")
    assert session.perspective == POLICY_PERSPECTIVE and not session.consent_given
    other = store.add_case(ev.id, "K-01")
    with pytest.raises(ConsentRequired):
        store.start_session(other.id, mini)


def test_the_policy_case_has_only_its_own_column_in_coverage(demo_region: DemoRegion) -> None:
    with Store.open(demo_region.db) as store:
        ev = store.find_evaluation("Evaluatie Aldermeer 2025")
        cov = coverage_for_evaluation(store, ev.id)
    policy = next(c for c in cov.cases if c.code == "BELEID")
    assert policy.perspectives == (POLICY_PERSPECTIVE,)
    assert policy.complete and cov.complete
    cases = [c for c in cov.cases if c.code != "BELEID"]
    assert all(c.perspectives == CASE_PERSPECTIVES for c in cases)


def test_evaluation_report_sets_beleid_beside_praktijk(demo_region: DemoRegion, tmp_path: Path) -> None:
    with Store.open(demo_region.db) as store:
        ev = store.find_evaluation("Evaluatie Aldermeer 2025")
        policy_case = store.find_case("BELEID", ev.id)
        store.add_sensitive_term(policy_case.id, "convenant")
    for extra in ([], ["--pseudonymize"]):
        out = tmp_path / ("p" if extra else "n")
        assert main(["export", "--db", str(demo_region.db), "--evaluation", ev.id, "--out",
                     str(out), "--format", "md", *extra]) == 0
        [folder] = list(out.iterdir())
        report = (folder / "evaluatierapport.md").read_text(encoding="utf-8")
        section = report.split("## Beleid en praktijk", 1)[1].split("\n## ", 1)[0]
        assert "| Samenhang en afstemming | 5,0 (5) | 2,3 (14) | 2 | **beleid positiever** |" in section
        assert ("convenant" in section) != bool(extra)


def test_zet_start_takes_the_policy_questionnaire_without_consent(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db_path) as store:
        ev = store.create_evaluation("Evaluatie Aldermeer", "Aldermeer")
    assert main(["--db", str(db_path), "start", "--questionnaire", "beleid", "--evaluation",
                 "Evaluatie Aldermeer", "--case", "BELEID", "--interviewer", "Marloes",
                 "--no-open"]) == 0
    assert "Nieuwe casus 'BELEID'" in capsys.readouterr().out
    with Store.open(db_path) as store:
        [session] = store.sessions(evaluation_id=ev.id)
        assert session.perspective == POLICY_PERSPECTIVE and not session.consent_given
