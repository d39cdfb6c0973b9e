"""The code x case overview (core/code_matrix.py): counts, order, and nothing counted twice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zet_tui.core.code_matrix import code_matrix
from zet_tui.core.coding import Code, Codebook, Coding, Polarity
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Case, Session

BOOK = Codebook("cb", "Codeboek", "1", (Code("wachttijd", "Wachttijd"), Code("uitleg", "Uitleg"),
                                        Code("netwerk", "Netwerk betrokken")))
PERSPECTIVES = ("inwoner", "professional", "dossier")


def _case(code: str) -> Case:
    return Case(f"c-{code}", "ev", code, "", "", "")


def _session(case: Case, perspective: str, questionnaire: Questionnaire) -> Session:
    return Session(f"s-{case.code}-{perspective}", case.id, perspective, questionnaire, "Anna", "",
                   True, "inwoner", None, "", "2026-01-01T10:00:00", None, "open")


def _world(mini: Questionnaire, codes: str = "K-01 K-02 K-03") -> tuple[list[Case], list[Session]]:
    cases = [_case(c) for c in codes.split()]
    return cases, [_session(c, p, mini) for c in cases for p in PERSPECTIVES]


def _coding(n: int, case: str, perspective: str, code_id: str, polarity: Polarity,
            question: str = "toegang.wist-waar") -> Coding:
    return Coding(f"k{n}", f"s-{case}-{perspective}", question, code_id, polarity)


def test_cells_count_by_polarity_and_perspective(mini: Questionnaire) -> None:
    cases, sessions = _world(mini)
    codings = [
        _coding(1, "K-01", "inwoner", "uitleg", Polarity.KNELPUNT),
        _coding(2, "K-01", "dossier", "uitleg", Polarity.KNELPUNT, "toegang.wachten"),
        _coding(3, "K-01", "inwoner", "uitleg", Polarity.SUCCESFACTOR),
        _coding(4, "K-03", "professional", "wachttijd", Polarity.NEUTRAAL),
        _coding(5, "K-03", "inwoner", "onbekend", Polarity.KNELPUNT),
        _coding(6, "K-09", "inwoner", "netwerk", Polarity.KNELPUNT),  # a session of no given case
    ]
    m = code_matrix(codings, cases, sessions, BOOK)
    # codebook order, only used codes, an unknown id last; netwerk's only coding has no case here
    assert [(c.id, c.in_codebook) for c in m.codes] == [
        ("wachttijd", True), ("uitleg", True), ("onbekend", False)]
    assert [c.code for c in m.cases] == ["K-01", "K-02", "K-03"]  # K-02: a gap, still a column
    cell = m.cell("uitleg", "c-K-01")
    assert (cell.count(Polarity.KNELPUNT), cell.count(Polarity.SUCCESFACTOR), cell.total) == (2, 1, 3)
    assert cell.by_perspective() == {"inwoner": 2, "dossier": 1}
    assert cell.short() == "2k 1s"
    assert m.cell("wachttijd", "c-K-03").short() == "1n"
    assert m.cell("uitleg", "c-K-02").short() == "" and m.cell("uitleg", "c-K-02").total == 0
    # each coding knows where it was made, in the words its perspective was asked
    placed = {p.coding.id: p for p in cell.codings}
    assert placed["k2"].perspective == "dossier"
    assert placed["k2"].question_text == mini.question("toegang.wachten").text  # type: ignore[union-attr]
    assert m.code_total("uitleg").short() == "2k 1s"
    assert m.case_total("c-K-03").short() == "1k 1n"
    assert m.total().total == 5


def test_no_codings_no_rows(mini: Questionnaire) -> None:
    cases, sessions = _world(mini)
    m = code_matrix([], cases, sessions, BOOK)
    assert m.codes == () and len(m.cases) == 3 and m.total().total == 0


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # mini is read only
@given(st.lists(st.tuples(st.sampled_from(["K-01", "K-02", "K-03", "K-04"]),
                          st.sampled_from(PERSPECTIVES),
                          st.sampled_from(["wachttijd", "uitleg", "netwerk", "weg"]),
                          st.sampled_from(list(Polarity))), max_size=40))
def test_every_coding_counted_exactly_once(
        mini: Questionnaire, rows: list[tuple[str, str, str, Polarity]]) -> None:
    cases, sessions = _world(mini)  # K-04 is not one of the cases: its codings are left out
    codings = [_coding(n, *row) for n, row in enumerate(rows)]
    m = code_matrix(codings, cases, sessions, BOOK)
    placed = [c for c in codings if not c.session_id.startswith("s-K-04")]
    ids = [p.coding.id for code in m.codes for case in m.cases
           for p in m.cell(code.id, case.id).codings]
    assert sorted(ids) == sorted(c.id for c in placed)  # every one, none twice
    assert m.total().total == len(placed)
    assert sum(m.code_total(c.id).total for c in m.codes) == len(placed)
    assert sum(m.case_total(c.id).total for c in m.cases) == len(placed)
    for code in m.codes:
        assert m.code_total(code.id).total > 0  # only codes in use
        for case in m.cases:
            cell = m.cell(code.id, case.id)
            assert sum(cell.count(p) for p in Polarity) == cell.total == sum(
                cell.by_perspective().values())
