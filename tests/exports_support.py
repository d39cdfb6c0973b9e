"""Shared set-up for the analysis and export tests: a demo built on small parallel fixtures."""

from __future__ import annotations

import zipfile
from pathlib import Path

from zet_tui.core.answers import Answer
from zet_tui.core.demo import DemoResult, build_demo, demo_questionnaires
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

PARALLEL = Path(__file__).parent / "fixtures" / "parallel"


def parallel() -> dict[str, Questionnaire]:
    return demo_questionnaires(PARALLEL)


def demo(store: Store, seed: int = 7) -> DemoResult:
    return build_demo(store, parallel(), seed=seed)


def scored(qid: str, score: int, toelichting: str = "") -> Answer:
    return Answer(qid, AnswerStatus.ANSWERED, score=score, toelichting=toelichting)


def valued(qid: str, value: str, toelichting: str = "") -> Answer:
    return Answer(qid, AnswerStatus.ANSWERED, value=value, toelichting=toelichting)


def all_text(folder: Path) -> dict[Path, str]:
    """Every exported file as text; an xlsx as the concatenation of its XML parts."""
    out: dict[Path, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                out[path] = "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
        else:
            out[path] = path.read_text(encoding="utf-8-sig")
    return out
