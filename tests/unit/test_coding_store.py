"""Storage of the analyst's work: codings, quotes, divergences, summaries, attributes,
recommendations; each write with its audit event; purge takes all of a case."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.coding import CaseSummary, Coding, Polarity, Quote, Recommendation
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Case, Session, Store, StoreError
from zet_tui.core.vocab import AnswerStatus

Q = "toegang.wist-waar"
TEXT = "Ik moest drie keer bellen. Daarna ging het goed met Jan."


@dataclass
class World:
    evaluation_id: str
    case: Case
    other: Case
    session: Session
    other_session: Session


@pytest.fixture
def world(store: Store, mini: Questionnaire) -> Iterator[World]:
    ev = store.create_evaluation("E", "Testdorp")
    case, other = store.add_case(ev.id, "K-01"), store.add_case(ev.id, "K-02")
    s1 = store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
    s2 = store.start_session(other.id, mini, consent_given=True, consent_by="inwoner")
    for s in (s1, s2):
        store.save_answer(s.id, Answer(Q, AnswerStatus.ANSWERED, score=2, toelichting=TEXT))
    yield World(ev.id, case, other, s1, s2)


def kinds(store: Store, **where: str) -> list[str]:
    return [e.kind for e in store.events(**where)]  # type: ignore[arg-type]


def test_the_store_api_the_findings_model_reads() -> None:
    """Names and keyword-only filters as agreed with the findings branch."""
    params = inspect.signature(Store.codings).parameters
    assert [p for p in params if p != "self"] == ["evaluation_id", "session_id"]
    assert all(params[p].kind == inspect.Parameter.KEYWORD_ONLY for p in params if p != "self")
    assert list(inspect.signature(Store.quotes).parameters)[1:] == ["evaluation_id", "session_id"]
    for name in ("manual_divergences", "case_summaries", "case_attributes", "recommendations"):
        assert list(inspect.signature(getattr(Store, name)).parameters)[1:] == ["evaluation_id"]
    assert list(inspect.signature(Store.set_recommendation).parameters)[1:] == [
        "evaluation_id", "finding_key", "text", "actor"]


def test_codings_on_answers_and_fragments(store: Store, world: World) -> None:
    whole = store.add_coding(world.session.id, Q, "wachttijd", "knelpunt", actor="Ana")
    assert (whole.start, whole.end, whole.fragment) == (None, None, "")
    frag = store.add_coding(world.session.id, Q, "zelf-achteraan", Polarity.KNELPUNT,
                            start=8, end=25, memo=" belt zelf ", actor="Ana")
    # widened/trimmed to whole words' characters, copied as text
    assert (frag.start, frag.end, frag.fragment) == (9, 25, "drie keer bellen")
    assert frag.memo == "belt zelf" and frag.author == "Ana"
    store.add_coding(world.other_session.id, Q, "wachttijd", "neutraal")
    assert [c.id for c in store.codings(session_id=world.session.id)] == [whole.id, frag.id]
    assert len(store.codings(evaluation_id=world.evaluation_id)) == 3
    assert len(store.codings()) == 3
    assert store.coding(frag.id[:6]) == frag
    assert kinds(store, session_id=world.session.id)[-2:] == ["coding_added", "coding_added"]
    event = store.events(world.session.id)[-1]
    assert event.new["fragment"] == "drie keer bellen" and event.actor == "Ana"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"code_id": "Geen Id"}, "ongeldige code"),
    ({"polarity": "slecht"}, "onbekende polariteit 'slecht'"),
    ({"question_id": "plan.wie"}, "geen antwoord om te coderen"),
    ({"start": 5, "end": 500}, "valt buiten de toelichting"),
    ({"start": 5, "end": 5}, "valt buiten de toelichting"),
    ({"start": 2, "end": 3}, "alleen witruimte"),
    ({"start": 3}, "geef begin en einde"),
])
def test_bad_codings_are_refused_and_nothing_is_written(
        store: Store, world: World, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"session_id": world.session.id, "question_id": Q,
                               "code_id": "wachttijd", "polarity": "knelpunt", **kwargs}
    before = len(store.events())
    with pytest.raises(StoreError, match=message):
        store.add_coding(**args)  # type: ignore[arg-type]
    assert store.codings() == [] and len(store.events()) == before


def test_change_reanchor_and_remove(store: Store, world: World) -> None:
    coding = store.add_coding(world.session.id, Q, "wachttijd", "knelpunt", start=9, end=25)
    changed = store.update_coding(coding.id, polarity="succesfactor", memo="toch goed")
    assert changed.polarity == Polarity.SUCCESFACTOR and changed.memo == "toch goed"
    assert store.update_coding(coding.id, polarity="succesfactor") == changed  # no-op
    event = store.events(world.session.id)[-1]
    assert event.kind == "coding_changed" and event.old["polarity"] == "knelpunt"
    store.save_answer(world.session.id, Answer(Q, AnswerStatus.ANSWERED, score=2,
                                               toelichting="Eerst: " + TEXT))
    assert store.coding(coding.id).start == 9  # never moved by the store
    moved = store.reanchor_coding(coding.id, 16, 32)
    assert moved.fragment == "drie keer bellen" and moved.start == 16
    removed = store.remove_coding(coding.id, actor="Ana")
    assert removed.id == coding.id and store.codings() == []
    assert store.events(world.session.id)[-1].old["id"] == coding.id
    with pytest.raises(StoreError, match="niet gevonden"):
        store.remove_coding(coding.id)


def test_quotes(store: Store, world: World) -> None:
    quote = store.add_quote(world.session.id, Q, 0, 26, memo="kern", actor="Ana")
    assert quote.fragment == "Ik moest drie keer bellen."
    assert store.quotes(evaluation_id=world.evaluation_id) == [quote]
    assert store.update_quote(quote.id, memo="").memo == ""
    assert store.reanchor_quote(quote.id, 0, 8).fragment == "Ik moest"
    store.remove_quote(quote.id)
    assert store.quotes() == []
    assert kinds(store, session_id=world.session.id)[-4:] == [
        "quote_added", "quote_changed", "quote_changed", "quote_removed"]
    assert isinstance(quote, Quote)


def test_manual_divergences(store: Store, world: World) -> None:
    div = store.add_manual_divergence(world.case.id, "toegang", ("Inwoner", "professional"),
                                      "  voelt zich niet gehoord ", question_key=Q, actor="Ana")
    assert div.perspectives == ("inwoner", "professional") and div.note == "voelt zich niet gehoord"
    assert store.manual_divergences(world.evaluation_id) == [div]
    for perspectives, note, message in ((("inwoner", "inwoner"), "x", "twee verschillende"),
                                        (("inwoner", "buurman"), "x", "onbekend perspectief"),
                                        (("inwoner", "dossier"), " ", "korte notitie")):
        with pytest.raises(StoreError, match=message):
            store.add_manual_divergence(world.case.id, "toegang", perspectives, note)
    store.remove_manual_divergence(div.id[:6])
    assert store.manual_divergences(world.evaluation_id) == []
    assert kinds(store, case_id=world.case.id)[-2:] == ["divergence_added", "divergence_removed"]


def test_case_summaries_change_only_the_parts_given(store: Store, world: World) -> None:
    first = store.set_case_summary(world.case.id, hulpvraag="Schulden", totaalbeeld="Goed",
                                   actor="Ana")
    assert isinstance(first, CaseSummary) and first.hulpvraag == "Schulden"
    second = store.set_case_summary(world.case.id, knelpunten="Wachten", totaalbeeld="")
    assert (second.hulpvraag, second.knelpunten, second.totaalbeeld) == ("Schulden", "Wachten", "")
    assert store.case_summaries(world.evaluation_id) == {world.case.id: second}
    with pytest.raises(StoreError, match="onbekend deel"):
        store.set_case_summary(world.case.id, conclusie="x")
    events = [e for e in store.events(case_id=world.case.id) if e.kind == "case_summary_changed"]
    assert [e.new["knelpunten"] for e in events] == ["", "Wachten"]


def test_case_attributes(store: Store, world: World) -> None:
    store.set_case_attribute(world.case.id, "Domein", " jeugd ", actor="Ana")
    store.set_case_attribute(world.case.id, "gemeente", "Testdorp")
    store.set_case_attribute(world.other.id, "domein", "Wmo")
    store.set_case_attribute(world.case.id, "domein", "jeugd")  # unchanged: no event
    assert store.case_attributes(world.evaluation_id) == {
        world.case.id: {"domein": "jeugd", "gemeente": "Testdorp"},
        world.other.id: {"domein": "Wmo"}}
    store.set_case_attribute(world.case.id, "GEMEENTE", "")
    assert store.case_attributes(world.evaluation_id)[world.case.id] == {"domein": "jeugd"}
    with pytest.raises(StoreError, match="ongeldige kenmerknaam"):
        store.set_case_attribute(world.case.id, "-", "x")
    assert kinds(store, case_id=world.case.id).count("case_attribute_changed") == 3


def test_recommendations(store: Store, world: World) -> None:
    rec = store.set_recommendation(world.evaluation_id, "laag_thema:toegang", "Bel terug.",
                                   actor="Ana")
    assert isinstance(rec, Recommendation) and rec.author == "Ana"
    store.set_recommendation(world.evaluation_id, "laag_thema:toegang", "Bel binnen een dag.")
    assert store.recommendations(world.evaluation_id)["laag_thema:toegang"].text == \
        "Bel binnen een dag."
    assert store.set_recommendation(world.evaluation_id, "laag_thema:toegang", " ") is None
    assert store.recommendations(world.evaluation_id) == {}
    with pytest.raises(StoreError, match="bestaat niet"):
        store.set_recommendation("nergens", "k", "x")


def test_purge_takes_everything_of_the_case_and_nothing_else(store: Store, world: World) -> None:
    for s, case in ((world.session, world.case), (world.other_session, world.other)):
        store.add_coding(s.id, Q, "wachttijd", "knelpunt", start=9, end=25)
        store.add_quote(s.id, Q, 0, 8)
        store.add_manual_divergence(case.id, "toegang", ("inwoner", "dossier"), "verschil")
        store.set_case_summary(case.id, hulpvraag="Jan wil hulp")
        store.set_case_attribute(case.id, "domein", "jeugd")
    counts = store.purge_case(world.case.id)
    for table in ("coding", "quote", "manual_divergence", "case_summary", "case_attribute"):
        assert counts[table] == 1
    assert [c.session_id for c in store.codings()] == [world.other_session.id]
    assert [q.session_id for q in store.quotes()] == [world.other_session.id]
    assert list(store.case_summaries(world.evaluation_id)) == [world.other.id]
    assert list(store.case_attributes(world.evaluation_id)) == [world.other.id]
    conn = sqlite3.connect(store.path)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert world.case.id not in dump.replace(f'"case":"{world.case.id}"', "").replace(
        f'"case": "{world.case.id}"', "")
    assert dump.count("Jan wil hulp") == 2  # the other case's summary and its event


def test_coding_value_types_are_returned(store: Store, world: World) -> None:
    c = store.add_coding(world.session.id, Q, "wachttijd", "neutraal")
    assert isinstance(c, Coding) and c.polarity is Polarity.NEUTRAAL and c.created


def test_a_short_reference_names_what_it_could_mean(store: Store, world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    made = (f"abcd{n:04d}" for n in range(1, 100))
    monkeypatch.setattr("zet_tui.core.store.ids.new_id", lambda: next(made))
    store.add_quote(world.session.id, Q, 0, 8)
    second = store.add_quote(world.session.id, Q, 9, 13)
    with pytest.raises(StoreError, match="'abcd' past op meerdere citaten; geef meer tekens"):
        store.quote("abcd")
    with pytest.raises(StoreError, match="citaat 'ffff' niet gevonden"):
        store.quote("ffff")
    assert store.quote(second.id).fragment == "drie"
