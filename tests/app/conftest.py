from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Session, Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "mini.md"


@pytest.fixture
def mini_paths() -> list[Path]:
    return [MINI]


@pytest.fixture
def open_session(store: Store, mini: Questionnaire) -> Iterator[Session]:
    """A fresh inwoner session on the mini questionnaire, with consent."""
    ev = store.create_evaluation("Evaluatie Testdorp", "Testdorp")
    case = store.add_case(ev.id, "K-01")
    yield store.start_session(case.id, mini, interviewer="Anna", co_interviewer="Bram",
                              consent_given=True, consent_by="inwoner")


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen (a lease's start, a note's time) in one time zone for stable SVGs."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
