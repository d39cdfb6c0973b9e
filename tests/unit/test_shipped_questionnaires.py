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

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_file, questionnaire_files, shipped_dir
from zet_tui.core.vocab import (
    BASISFUNCTIES,
    MILESTONES,
    WERKZAME_ELEMENTEN,
    AnswerType,
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
    "dossier": (25, 45),
    "wmo-checklist": (20, 50),
}
MIN_SHARED_INTERVIEW_KEYS = 15


def _load(stem: str) -> Questionnaire:
    result = load_file(shipped_dir() / f"{stem}.md")
    assert result.ok, "\n".join(str(p) for p in result.problems)
    assert result.questionnaire is not None
    return result.questionnaire


def _shipped_stems() -> list[str]:
    return [p.stem for p in questionnaire_files()]


def test_expected_files_are_shipped() -> None:
    stems = set(_shipped_stems())
    for stem in (*CASE_FILES, "wmo-checklist"):
        assert stem in stems, f"questionnaires/{stem}.md ontbreekt"


@pytest.mark.parametrize("path", questionnaire_files(), ids=lambda p: Path(p).name)
def test_every_shipped_file_loads_without_problems(path: Path) -> None:
    result = load_file(path)
    assert result.problems == [], "\n".join(str(p) for p in result.problems)
    assert result.questionnaire is not None
    assert result.questionnaire.id == path.stem
    assert result.questionnaire.opening.strip(), "opening text is missing"


@pytest.mark.parametrize("path", questionnaire_files(), ids=lambda p: Path(p).name)
def test_every_question_has_a_probe(path: Path) -> None:
    q = _load(path.stem)
    missing = [x.id for x in q.questions() if not x.probes]
    assert missing == []


@pytest.mark.parametrize("stem", CASE_FILES)
def test_every_case_question_has_a_tag(stem: str) -> None:
    q = _load(stem)
    missing = [x.id for x in q.questions() if not x.tags]
    assert missing == []


@pytest.mark.parametrize("stem", CASE_FILES)
def test_perspective_matches_file(stem: str) -> None:
    assert _load(stem).perspective == stem


def test_case_files_share_theme_ids_in_order() -> None:
    for stem in CASE_FILES:
        assert [t.id for t in _load(stem).themes] == THEME_IDS, stem


@pytest.mark.parametrize("stem", INTERVIEWS)
def test_each_tag_is_on_at_least_two_interview_questions(stem: str) -> None:
    counts = Counter(tag for x in _load(stem).questions() for tag in x.tags)
    expected = [f"basisfunctie:{k}" for k in BASISFUNCTIES]
    expected += [f"werkzaam:{k}" for k in WERKZAME_ELEMENTEN]
    too_few = {tag: counts[tag] for tag in expected if counts[tag] < 2}
    assert too_few == {}


@pytest.mark.parametrize("stem", sorted(SIZE_RANGES))
def test_question_counts_within_size_range(stem: str) -> None:
    low, high = SIZE_RANGES[stem]
    count = sum(1 for _ in _load(stem).questions())
    assert low <= count <= high, f"{stem}: {count} vragen, verwacht {low}-{high}"


def test_dossier_has_every_milestone_once_as_date() -> None:
    dossier = _load("dossier")
    milestones = [x.milestone for x in dossier.questions() if x.milestone]
    assert sorted(milestones) == sorted(MILESTONES)
    for x in dossier.questions():
        if x.milestone:
            assert x.type == AnswerType.DATE, x.id


def test_dossier_records_organisations_consent_and_plan() -> None:
    dossier = _load("dossier")
    orgs = dossier.question("samenhang.organisaties")
    assert orgs is not None and orgs.type in (AnswerType.TEXT, AnswerType.CHOICE)
    for qid in ("samenhang.toestemming", "planvorming.plan-aanwezig", "planvorming.akkoord"):
        question = dossier.question(qid)
        assert question is not None, qid
        assert question.type == AnswerType.YES_NO, qid


def test_counterparts_point_to_existing_ids_in_another_perspective() -> None:
    loaded = {stem: _load(stem) for stem in CASE_FILES}
    for stem, q in loaded.items():
        others = {x.id for other, oq in loaded.items() if other != stem for x in oq.questions()}
        for x in q.questions():
            if x.counterpart is not None:
                assert x.counterpart in others, f"{stem}: {x.id} -> {x.counterpart}"


@pytest.mark.parametrize("stem", CASE_FILES)
def test_keys_are_unique_within_a_file(stem: str) -> None:
    keys = Counter(x.key for x in _load(stem).questions())
    assert [k for k, n in keys.items() if n > 1] == []


def test_interviews_share_many_question_keys() -> None:
    inwoner = {x.key for x in _load("inwoner").questions()}
    professional = {x.key for x in _load("professional").questions()}
    assert len(inwoner & professional) >= MIN_SHARED_INTERVIEW_KEYS


def test_dossier_lines_up_with_the_interviews() -> None:
    interview_keys = {x.key for stem in INTERVIEWS for x in _load(stem).questions()}
    dossier_keys = {x.key for x in _load("dossier").questions()}
    assert len(dossier_keys & interview_keys) >= 10


def test_example_counterpart_felt_heard() -> None:
    for stem in INTERVIEWS:
        assert _load(stem).question("vraagverheldering.gehoord") is not None, stem


@pytest.mark.parametrize("stem", INTERVIEWS)
def test_interview_has_a_condition(stem: str) -> None:
    assert any(x.condition is not None for x in _load(stem).questions())


@pytest.mark.parametrize("stem", CASE_FILES)
def test_closing_theme_has_advice_addition_and_overall_score(stem: str) -> None:
    closing = _load(stem).theme("afsluiting")
    assert closing is not None
    ids = {x.id for x in closing.questions}
    assert {"afsluiting.aanvulling", "afsluiting.advies", "afsluiting.totaal"} <= ids
    total = _load(stem).question("afsluiting.totaal")
    assert total is not None and total.type == AnswerType.SMILEY


@pytest.mark.parametrize("stem", CASE_FILES)
def test_question_ids_are_prefixed_with_their_theme(stem: str) -> None:
    for x in _load(stem).questions():
        assert x.id.startswith(f"{x.theme_id}."), x.id


@pytest.mark.parametrize("stem", CASE_FILES)
def test_compact_mode_keeps_only_chosen_themes(stem: str) -> None:
    full = _load(stem)
    compact = full.restricted_to({"toegang", "veiligheid"})
    assert [t.id for t in compact.themes] == ["toegang", "veiligheid"]
    kept = [x.id for x in compact.questions()]
    expected = [x.id for x in full.questions() if x.theme_id in ("toegang", "veiligheid")]
    assert kept == expected and kept
    dropped = next(x.id for x in full.questions() if x.theme_id == "planvorming")
    assert compact.question(dropped) is None
    assert compact.question(kept[0]) is not None


def test_compact_conditions_refer_to_kept_questions() -> None:
    """A shown-if condition must not point into a theme a compact evaluation may drop."""
    for stem in CASE_FILES:
        for x in _load(stem).questions():
            if x.condition is not None:
                assert x.condition.question_id.split(".")[0] == x.theme_id, x.id


def test_wmo_checklist_parts_and_scale() -> None:
    wmo = _load("wmo-checklist")
    assert wmo.perspective == "other"
    assert wmo.scale == "ja-deels-nee"
    assert [t.id for t in wmo.themes] == ["beleidsontwerp", "draagvlak", "uitvoering", "evaluatie"]
    for x in wmo.questions():
        assert x.type == AnswerType.SMILEY and x.scale == "ja-deels-nee", x.id


@pytest.mark.parametrize("stem", CASE_FILES)
def test_every_theme_has_a_scored_question_that_is_always_asked(stem: str) -> None:
    """So every theme compares across all three perspectives (a dossier theme without a score never
    could); a question behind a condition may not be asked at all."""
    for theme in _load(stem).themes:
        scored = [x.id for x in theme.questions if x.type == AnswerType.SMILEY and x.condition is None]
        assert scored, f"{stem}: thema {theme.id} heeft geen score zonder voorwaarde"


def test_integraal_plan_is_also_where_the_lack_of_one_shows() -> None:
    """The lack of an integral plan shows in the coordination between organisations and in how
    broadly the question was explored, not only in the planning questions."""
    for stem in CASE_FILES:
        q = _load(stem)
        for qid in ("samenhang.afstemming", "vraagverheldering.levensgebieden", "planvorming.integraal"):
            question = q.question(qid)
            assert question is not None and "werkzaam:integraal-plan" in question.tags, (stem, qid)
        consent = q.question("samenhang.toestemming")
        assert consent is not None and "basisfunctie:veilig" not in consent.tags  # consent is not safety
