"""The demo region (`zet demo --regio --follow-up`), built once per test run and copied per test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.beleid import policy_questionnaire
from zet_tui.core.region_demo import REGION_NAME
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus


@dataclass(frozen=True)
class DemoRegion:
    db: Path
    first: str
    """Id of the first round."""
    second: str
    """Id of the second round (follows the first)."""


@pytest.fixture(scope="session")
def _region_template(tmp_path_factory: pytest.TempPathFactory) -> DemoRegion:
    """Built the way a user does, `zet demo --regio --follow-up` on a fresh file."""
    path = tmp_path_factory.mktemp("regio") / "regio.db"
    assert main(["demo", "--db", str(path), "--regio", "--follow-up"]) == 0
    with Store.open(path) as store:
        second, first = store.regions()
        assert second.follows_id == first.id and first.name == REGION_NAME
        store.vacuum()
        return DemoRegion(path, first.id, second.id)


@pytest.fixture
def demo_region(_region_template: DemoRegion, tmp_path: Path) -> DemoRegion:
    """A private copy of the demo region's database for one test."""
    copy = tmp_path / "regio.db"
    shutil.copyfile(_region_template.db, copy)
    copy.chmod(0o600)
    return DemoRegion(copy, _region_template.first, _region_template.second)


HOSTILE = "\x1b[2J\x1b]52;c;R0VIRUlN\x07\u202e[/]\x9b31m\x00\x7f\r\nx"
"""Escapes, markup, a bidi override and control characters, as a merged file may hold."""


def hostile_region(store: Store) -> str:
    """A region whose every typed text carries escapes, markup and bidi overrides."""
    ev = store.create_evaluation(f"Evaluatie {HOSTILE}", f"Gemeente {HOSTILE}")
    region = store.create_region(f"Regio {HOSTILE}", f"omschrijving {HOSTILE}")
    store.add_region_member(region.id, ev.id, f"Aldermeer {HOSTILE}")
    case = store.add_case(ev.id, f"BELEID{HOSTILE}")
    session = store.start_session(case.id, policy_questionnaire(), interviewer=HOSTILE)
    store.save_answer(session.id, Answer("samenhang.afspraken", AnswerStatus.ANSWERED, score=5,
                                         toelichting=f"convenant {HOSTILE}"))
    return region.id
