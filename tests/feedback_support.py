"""Small evaluation rounds with chosen scores, for the feedback meeting and comparison tests."""

from __future__ import annotations

from collections.abc import Mapping

from exports_support import parallel, scored

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Evaluation, Store

# One low theme (samenwerking low in A and B) and one recurring difference
# (resident 1 against professional 5 on toegang.wist-waar in A and B).
ROUND_ONE: dict[str, dict[str, dict[str, int]]] = {
    "A": {"inwoner": {"toegang.wist-waar": 1, "toegang.gehoord": 3, "samenwerking.afstemming": 1},
          "professional": {"toegang.wist-waar-prof": 5, "toegang.gehoord": 3,
                           "samenwerking.afstemming": 2}},
    "B": {"inwoner": {"toegang.wist-waar": 2, "toegang.gehoord": 3, "samenwerking.afstemming": 2},
          "professional": {"toegang.wist-waar-prof": 5, "toegang.gehoord": 4,
                           "samenwerking.afstemming": 1}},
    "C": {"inwoner": {"toegang.wist-waar": 4, "toegang.gehoord": 4, "samenwerking.afstemming": 4},
          "professional": {"toegang.wist-waar-prof": 4, "toegang.gehoord": 4,
                           "samenwerking.afstemming": 4}},
}


def make_round(store: Store, name: str, cases: Mapping[str, Mapping[str, Mapping[str, int]]],
               questionnaires: Mapping[str, Questionnaire] | None = None,
               follows_id: str | None = None, municipality: str = "Gemeente Testdorp") -> Evaluation:
    qs = questionnaires or parallel()
    ev = store.create_evaluation(name, municipality, follows_id=follows_id)
    for code, per in cases.items():
        case = store.add_case(ev.id, code)
        for perspective, scores in per.items():
            session = store.start_session(case.id, qs[perspective], consent_given=True,
                                          consent_by="test")
            for qid, score in scores.items():
                store.save_answer(session.id, scored(qid, score))
    return ev
