"""The regional comparison: municipalities, the matrix and its thin-data rules, beleid beside
praktijk, and two rounds compared; checked against the planted demo region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from region_support import DemoRegion

from zet_tui.cli import main
from zet_tui.core import beleid, region_matrix
from zet_tui.core.beleid import PolicyTheme, Score
from zet_tui.core.compare import IMPROVED, WORSENED
from zet_tui.core.region import load_region, municipality_of
from zet_tui.core.region_compare import compare_regions
from zet_tui.core.region_demo import PLANTED
from zet_tui.core.region_learning import MIN_MUNICIPALITIES
from zet_tui.core.region_matrix import MatrixCell, build_matrix
from zet_tui.core.region_report import build_region_report
from zet_tui.core.store import Evaluation, Store

TOEGANKELIJK = "basisfunctie:toegankelijk"
INTEGRAAL = "basisfunctie:integraal"


def _evaluation(municipality: str = "", name: str = "Evaluatie X") -> Evaluation:
    return Evaluation("e1", name, municipality, None, "2025-01-01")


def test_a_case_counts_for_its_own_gemeente_then_the_region_then_its_evaluation() -> None:
    ev = _evaluation("Aldermeer")
    assert municipality_of(ev, {"gemeente": "Brakveen"}, "Kreekdijk") == "Brakveen"
    assert municipality_of(ev, {"gemeente": " "}, "Kreekdijk") == "Kreekdijk"
    assert municipality_of(ev, {}, "") == "Aldermeer"
    assert municipality_of(_evaluation(""), None, "") == "Evaluatie X"


def test_thin_cells_say_so_and_have_no_mean() -> None:
    enough = MatrixCell("A", TOEGANKELIJK, Score(3.5, region_matrix.MIN_SCORES, 1),
                        {"inwoner": Score(3.0, region_matrix.MIN_PERSPECTIVE_SCORES - 1)}, ("c1",))
    assert not enough.thin and enough.mean == 3.5 and enough.status == ""
    assert region_matrix.perspective_mean(enough.perspective("inwoner")) is None
    assert region_matrix.score_text(enough.perspective("inwoner")) == region_matrix.THIN
    few = MatrixCell("A", TOEGANKELIJK, Score(1.0, region_matrix.MIN_SCORES - 1, 1), {}, ("c1",))
    assert few.thin and few.mean is None and few.status == region_matrix.THIN
    empty = MatrixCell("A", TOEGANKELIJK, Score(None, 0), {}, ())
    assert empty.status == region_matrix.NO_DATA


@pytest.mark.parametrize(("policy", "practice", "n", "verdict"), [
    (5.0, 5.0 - beleid.GAP, beleid.MIN_PRACTICE_SCORES, beleid.POLICY_HIGHER),
    (2.0, 2.0 + beleid.GAP, beleid.MIN_PRACTICE_SCORES, beleid.PRACTICE_HIGHER),
    (4.0, 3.5, beleid.MIN_PRACTICE_SCORES, beleid.ALIGNED),
    (5.0, 1.0, beleid.MIN_PRACTICE_SCORES - 1, beleid.THIN),
    (None, 1.0, beleid.MIN_PRACTICE_SCORES, beleid.NO_POLICY),
    (5.0, None, 0, beleid.NO_PRACTICE),
])
def test_beleid_beside_praktijk_rules(policy: float | None, practice: float | None, n: int,
                                      verdict: str) -> None:
    theme = PolicyTheme("t", "T", Score(policy, 0 if policy is None else 2),
                        Score(practice, n, 1 if n else 0))
    assert theme.verdict == verdict
    assert theme.diverges == (verdict in beleid.DIVERGING)


def test_matrix_shows_the_planted_patterns(demo_region: DemoRegion) -> None:
    with Store.open(demo_region.db) as store:
        data = load_region(store, demo_region.first)
    assert data.municipalities == ["Aldermeer", "Brakveen", "Kreekdijk", "Vlietwaarde", "Zuidgeest"]
    assert data.warnings == []
    m = build_matrix(data, "basisfunctie")
    access = {name: m.cell(name, TOEGANKELIJK) for name in m.municipalities}
    assert access["Brakveen"].mean == pytest.approx(5.0)
    assert access["Kreekdijk"].mean is not None and access["Kreekdijk"].mean <= 1.5
    assert len(access["Kreekdijk"].cases) == 2
    assert m.ranked(TOEGANKELIJK)[0].municipality == "Brakveen"
    assert m.cell("Vlietwaarde", INTEGRAAL).mean == pytest.approx(5.0)
    # the policy staff's own view is a separate column, never part of praktijk
    assert m.cell("Kreekdijk", TOEGANKELIJK).beleid.mean is not None
    assert m.cell("Kreekdijk", TOEGANKELIJK).beleid.mean > 4
    thin = [tag for tag, _ in m.tags if m.cell("Zuidgeest", tag).thin]
    assert len(thin) >= 3 and PLANTED["te-weinig-gegevens"] == ("Zuidgeest",)
    assert all(m.cell("Zuidgeest", tag) not in m.ranked(tag) for tag in thin)
    assert m.region[TOEGANKELIJK].n == sum(c.praktijk.n for c in access.values())
    assert len(build_matrix(data, "werkzaam").tags) == 10


def test_beleid_and_praktijk_diverge_where_planted(demo_region: DemoRegion) -> None:
    with Store.open(demo_region.db) as store:
        report = build_region_report(store, demo_region.first)
    verdicts = {(o.name, t.theme_id): t.verdict for o in report.municipalities
                for t in o.policy.themes}
    for name in PLANTED["beleid-positiever"]:
        theme = "toegang" if name == "Kreekdijk" else "samenhang"
        assert verdicts[(name, theme)] == beleid.POLICY_HIGHER
    assert verdicts[("Vlietwaarde", "samenhang")] == beleid.PRACTICE_HIGHER
    assert verdicts[("Brakveen", "toegang")] == beleid.ALIGNED
    assert all(o.has_policy for o in report.municipalities)
    assert report.thin_municipalities() == ["Zuidgeest"]
    # the policy case is no case of the analyseschema
    assert all(ca.case.code != "BELEID" for ca in report.data.analysis.cases)


def test_region_compare_names_who_improved_on_which_basisfunctie(demo_region: DemoRegion) -> None:
    with Store.open(demo_region.db) as store:
        c = compare_regions(store, demo_region.first, demo_region.second)
    assert c.is_follow_up
    improved = c.by_municipality("basisfunctie", IMPROVED)
    worsened = c.by_municipality("basisfunctie", WORSENED)
    assert INTEGRAAL in {ch.tag for ch in improved["Aldermeer"]}
    assert TOEGANKELIJK in {ch.tag for ch in improved["Kreekdijk"]}
    assert TOEGANKELIJK in {ch.tag for ch in worsened["Brakveen"]} and "Brakveen" not in improved
    assert "Zuidgeest" not in improved and "Zuidgeest" not in worsened
    zuid = [ch for ch in c.of("basisfunctie") if ch.municipality == "Zuidgeest"]
    assert all(ch.verdict == region_matrix.THIN for ch in zuid if ch.a and ch.a.thin)


def test_compare_regio_on_the_command_line(demo_region: DemoRegion,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_region.db)
    assert main(["compare", "--db", db, "--regio", demo_region.first[:8], demo_region.second[:8]]) == 0
    text = capsys.readouterr().out
    assert "verbeterd: Aldermeer" in text and "verslechterd: Brakveen" in text
    assert main(["regio", "vergelijk", "--db", db, "--json", demo_region.first,
                 demo_region.second]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {ch["oordeel"] for ch in data["veranderingen"] if ch["gemeente"] == "Aldermeer"
            and ch["tag"] == INTEGRAAL} == {IMPROVED}
    assert main(["compare", "--db", db, "--regio", demo_region.first, demo_region.first]) == 1
    assert "dezelfde regio" in capsys.readouterr().err
    assert main(["demo", "--db", db, "--regio"]) == 1  # a second demo region only with --force
    assert "--force" in capsys.readouterr().err


def test_regio_cli_manages_a_region_with_one_line_errors(db_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_path)
    with Store.open(db_path) as store:
        store.create_evaluation("Evaluatie Aldermeer", "Aldermeer")
        store.create_evaluation("Evaluatie zonder gemeente")
    assert main(["regio", "nieuw", "--db", db, "Regio Test", "-e", "Evaluatie Aldermeer"]) == 0
    assert main(["regio", "voeg-toe", "--db", db, "Regio Test", "Evaluatie zonder gemeente",
                 "--gemeente", "Brakveen"]) == 0
    assert main(["regio", "lijst", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Evaluatie zonder gemeente (Brakveen)" in out
    assert main(["regio", "toon", "--db", db, "Regio Test"]) == 0
    out = capsys.readouterr().out
    assert "Aldermeer" in out and "Brakveen" in out and "Nog geen beleidsvragenlijst" in out
    for argv, message in (
            (["regio", "toon", "--db", db, "Onbekend"], "regio 'Onbekend' niet gevonden"),
            (["regio", "voeg-toe", "--db", db, "Regio Test", "Evaluatie Aldermeer"], "hoort al bij"),
            (["regio", "voeg-toe", "--db", db, "Regio Test", "a", "b", "--gemeente", "X"],
             "één evaluatie"),
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["regio", "app", "--db", db, "Regio Test"]) == 2  # no terminal under pytest
    assert "terminal nodig" in capsys.readouterr().err
    assert main(["regio", "verwijder", "--db", db, "Regio Test", "Evaluatie Aldermeer"]) == 0
    with Store.open(db_path) as store:
        region = store.find_region("Regio Test")
        assert len(store.region_members(region.id)) == 1


def test_one_evaluation_whose_cases_carry_a_gemeente_is_split_by_municipality(store: Store) -> None:
    ev = store.create_evaluation("Evaluatie Regio Noord", "Regio Noord")
    cases = [store.add_case(ev.id, code) for code in ("N-1", "N-2", "N-3")]
    store.set_case_attribute(cases[0].id, "gemeente", "Aldermeer")
    store.set_case_attribute(cases[1].id, "gemeente", "aldermeer ")  # one municipality
    region = store.create_region("Regio Noord")
    store.add_region_member(region.id, ev.id)
    data = load_region(store, region.id)
    assert data.municipalities == ["Aldermeer", "Regio Noord"]  # N-3 has no gemeente of its own
    assert [data.municipality(c.id) for c in cases] == ["Aldermeer", "Aldermeer", "Regio Noord"]


def test_shared_findings_and_learning_pairs_come_from_the_findings_model(
        demo_region: DemoRegion) -> None:
    with Store.open(demo_region.db) as store:
        report = build_region_report(store, demo_region.first)
    data, learning = report.data, report.learning
    findings, where = data.findings, data.case_municipalities
    shared = {s.finding.subject.ref: s for s in learning.shared}
    plan = shared["werkzaam:integraal-plan"]
    assert plan.finding.kind == "knelpunt"
    assert plan.municipalities == PLANTED["knelpunt-integraal-plan"]
    assert plan.other_side == PLANTED["succes-integraal-plan"]
    assert shared["werkzaam:vast-contactpersoon"].municipalities == PLANTED["knelpunt-contactpersoon"]
    for s in learning.shared:  # no rule of its own: the model's findings, in two places or more
        assert s.finding in findings.headline and len(s.municipalities) >= MIN_MUNICIPALITIES
        assert {where[c] for c in s.finding.cases} == set(s.municipalities)
    pairs = {(p.source, p.learner): {t.subject.ref for t in p.topics} for p in learning.pairs}
    for learner in PLANTED["knelpunt-integraal-plan"]:
        assert "werkzaam:integraal-plan" in pairs[("Vlietwaarde", learner)]
    assert "werkzaam:toegankelijk" in pairs[("Brakveen", "Kreekdijk")]
    keys = {f.key for f in findings.findings}
    for p in learning.pairs:
        assert p.source != p.learner
        for t in p.topics:
            verdicts = findings.verdicts[t.subject.ref]
            assert t.finding_key in keys and t.success_cases and t.problem_cases
            assert all("succesfactor" in verdicts[c].sides and where[c] == p.source
                       for c in t.success_cases)
            assert all("knelpunt" in verdicts[c].sides and where[c] == p.learner
                       for c in t.problem_cases)
    access = report.basisfuncties.cell("Kreekdijk", TOEGANKELIJK)
    assert len(access.knelpunt) == 2 and not access.succesfactor
    assert len(report.basisfuncties.cell("Brakveen", TOEGANKELIJK).succesfactor) == 2
    assert report.werkzaam.cell("Aldermeer", "werkzaam:integraal-plan").findings
