"""The coding screen as an analyst uses it: keyboard only, text literal, nothing lost."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from exports_support import demo
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.app.app import ZetApp
from zet_tui.app.screens.coding import CodingScreen
from zet_tui.app.screens.coding_dialogs import MemoModal, SummaryModal
from zet_tui.app.screens.modals import help_rows
from zet_tui.app.widgets.coding_grid import FragmentText, GridLine
from zet_tui.core.answers import Answer
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.coding import Codebook, Polarity
from zet_tui.core.demo import build_demo, demo_questionnaires
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Session, Store
from zet_tui.core.store.codings import MAX_MEMO
from zet_tui.core.vocab import AnswerStatus

SIZE = (120, 40)
Q = "toegang.wist-waar"


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook_or_raise(codebook_path())


async def wait_for(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 10.0) -> None:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise AssertionError("niet binnen de tijd")
        await pilot.pause(0.02)


def burst(app: AnalyseApp, keys: list[tuple[str, str]]) -> None:
    """Keys as a fast typist sends them: all queued at once, no waiting in between."""
    assert app._driver is not None
    for key, char in keys:
        app._driver.send_message(events.Key(key, char))


@contextlib.asynccontextmanager
async def analysing(db_path: Path, evaluation_id: str, codebook: Codebook,
                    size: tuple[int, int] = SIZE) -> AsyncIterator[tuple[AnalyseApp, Pilot[None]]]:
    """The analyse app on the evaluation, started and idle, as analyst Ana."""
    app = AnalyseApp(db_path, evaluation_id, codebook, analyst="Ana", ascii=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def coding_screen(app: AnalyseApp | ZetApp) -> CodingScreen:
    screen = app.screen
    assert isinstance(screen, CodingScreen), screen
    return screen


async def test_an_analyst_codes_every_toelichting_of_the_demo_without_a_mouse(
        store: Store, db_path: Path, codebook: Codebook) -> None:
    result = build_demo(store, demo_questionnaires())
    async with analysing(db_path, result.evaluation.id, codebook, size=(80, 24)) as (app, pilot):
        screen = coding_screen(app)
        assert screen.bench is not None
        done, total = screen.bench.progress()
        assert 0 < done < total  # the demo analyst coded a few
        # the first one with the picker: type to narrow, Enter takes it, Enter the suggested polarity
        await pilot.press("o", "c", *"overig", "enter", "enter")
        assert screen.bench.progress()[0] == done + 1
        # then: next uncoded (o), a suggestion (1) where the codebook has one, else repeat (.)
        for _ in range(total):
            item = screen.current
            if item is None or screen.bench.progress()[0] == total:
                break
            suggested = bool(screen.bench.suggestions(item)) and screen.bench.needs_coding(item)
            burst(app, [("o", "o"), ("1", "1") if suggested else ("full_stop", ".")] * 20)
            await pilot.pause()
        assert screen.bench.progress() == (total, total)
        await pilot.press("o")
    texts = [i for i in screen.bench.items if i.has_text]
    coded = {(c.session_id, c.question_id) for c in store.codings(evaluation_id=result.evaluation.id)}
    assert all((i.session_id, i.question_id) in coded for i in texts)
    assert {c.author for c in store.codings()} >= {"Ana"}
    assert all(e.actor for e in store.events() if e.kind == "coding_added")


@pytest.fixture
def one_answer(store: Store, mini: Questionnaire) -> tuple[str, Session]:
    ev = store.create_evaluation("Evaluatie Noord")
    case = store.add_case(ev.id, "K-01")
    s = store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
    store.save_answer(s.id, Answer(Q, AnswerStatus.ANSWERED, score=1, toelichting=(
        "Ik moest drie keer bellen [/] en [b]niemand[/b] belde terug.\x1b[2J Het duurde weken.")))
    store.save_answer(s.id, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"))
    return ev.id, s


async def test_a_fragment_is_selected_with_word_keys_and_coded(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, _ = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        screen = coding_screen(app)
        assert screen.current is not None and screen.current.question_id == Q
        await pilot.press("f", "w", "w", "w", "w", "w")  # five words: "Ik moest drie keer bellen"
        assert screen.query_one(FragmentText).offsets() == (0, 25)
        await pilot.press("b", "b")  # two words back
        await pilot.press("c", *"achteraan", "enter", "k")
        [coding] = store.codings()
        assert (coding.start, coding.end, coding.fragment) == (0, 13, "Ik moest drie")
        assert coding.code_id == "zelf-achteraan" and coding.polarity == Polarity.KNELPUNT
        assert coding.author == "Ana"
        # shift+arrows select by character; the store widens to whole characters and words' edges
        await pilot.press("home", *["shift+right"] * 9, "m")
        [quote] = store.quotes()
        assert quote.fragment == "Ik moest"
        # the suggestion for 'duurde' (wachttijd) applies to the whole answer with one key
        assert screen.bench is not None
        numbers = {s.code.id: n for n, s in enumerate(screen.bench.suggestions(screen.current), 1)}
        await pilot.press("escape", str(numbers["wachttijd"]))
        assert {c.code_id: c.start for c in store.codings()}["wachttijd"] is None
        # p cycles the polarity of the highlighted coding (the newest), x removes it
        await pilot.press("p")
        assert {c.code_id: c.polarity for c in store.codings()}["wachttijd"] == \
            Polarity.SUCCESFACTOR
        await pilot.press("x")
        assert [c.code_id for c in store.codings()] == ["zelf-achteraan"]


async def test_user_text_is_shown_literally(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, _ = one_answer
    async with analysing(db_path, ev, codebook) as (app, _):
        screen = coding_screen(app)
        console = Console(width=120, record=True, file=io.StringIO())
        for line in screen.query(GridLine):
            console.print(line.render())
        grid_text = console.export_text()
        assert "[/]" in grid_text and "[b]niemand[/b]" in grid_text and "␛[2J" in grid_text
        assert "\x1b" not in grid_text
        assert "␛[2J" in screen.query_one(FragmentText).text


async def test_an_edited_toelichting_flags_the_coding_and_e_reanchors_it(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, session = one_answer
    text = store.answers(session.id)[Q].toelichting
    coding = store.add_coding(session.id, Q, "wachttijd", "knelpunt", start=text.index("Het"),
                              end=len(text))
    async with analysing(db_path, ev, codebook) as (app, pilot):
        screen = coding_screen(app)
        # the interviewer edits the toelichting in another terminal
        store.save_answer(session.id, Answer(Q, AnswerStatus.ANSWERED, score=1,
                                             toelichting="Aanvulling vooraf. " + text))
        assert screen.bench is not None
        await wait_for(pilot, lambda: screen.bench is not None and bool(
            screen.current and screen.bench.stale(screen.current)))
        assert store.coding(coding.id).start == coding.start  # flagged, not moved
        await pilot.press("e")
        moved = store.coding(coding.id)
        assert moved.start == coding.start + len("Aanvulling vooraf. ")
        assert moved.fragment == coding.fragment
        assert not screen.bench.stale(screen.current)  # type: ignore[arg-type]


def form_error(app: AnalyseApp) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


def marks_text(screen: CodingScreen) -> list[str]:
    options = screen.query_one("#marks", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_a_memo_is_written_changed_and_emptied_from_the_keyboard(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, session = one_answer
    coding = store.add_coding(session.id, Q, "wachttijd", "knelpunt")
    quote = store.add_quote(session.id, Q, 0, 8)
    async with analysing(db_path, ev, codebook) as (app, pilot):
        screen = coding_screen(app)
        # the newest mark (the quote) is chosen; M opens its memo, Enter is a new line
        await pilot.press("M", *"kern", "enter", *"klopt [/] dit?", "ctrl+s")
        assert store.quote(quote.id).memo == "kern\nklopt [/] dit?"
        assert not isinstance(app.screen, MemoModal)
        assert "✎ kern\nklopt [/] dit?" in marks_text(screen)[1]
        assert "✎1" in str(screen._cell(screen.current))  # type: ignore[arg-type]
        # Tab to the list, up to the coding: typed text and Escape only warns
        await pilot.press("tab", "tab", "up", "M", *"nagaan")
        assert isinstance(app.screen, MemoModal)
        await pilot.press("escape")
        assert isinstance(app.screen, MemoModal) and "nog niet is opgeslagen" in form_error(app)
        await pilot.press("ctrl+s")
        assert store.coding(coding.id).memo == "nagaan"
        # changing: the form holds the memo, typing continues after it
        await pilot.press("M", *" bij dossier", "ctrl+s")
        assert store.coding(coding.id).memo == "nagaan bij dossier"
        # too long: the form says so and keeps the text; nothing is written
        await pilot.press("M")
        app.screen.query_one("#memo-text", TextArea).load_text("x" * (MAX_MEMO + 1))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MemoModal) and f"hoogstens {MAX_MEMO}" in form_error(app)
        assert store.coding(coding.id).memo == "nagaan bij dossier"
        await pilot.press("escape", "escape")  # the second Escape throws it away
        assert not isinstance(app.screen, MemoModal)
        # emptying: the line deleted, saved; the memo is gone from the list
        await pilot.press("M", "ctrl+u", "ctrl+s")
        assert store.coding(coding.id).memo == "" and "✎" not in marks_text(screen)[0]
        assert [e.kind for e in store.events()].count("coding_changed") == 3


async def test_a_memo_is_shown_literally_and_long_ones_are_cut(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, session = one_answer
    store.add_coding(session.id, Q, "wachttijd", "knelpunt", memo="[b]let op[/b] \x1b[2J [/]")
    store.add_quote(session.id, Q, 0, 8, memo="lang " * 100)
    async with analysing(db_path, ev, codebook) as (app, _):
        coded, quoted = marks_text(coding_screen(app))
        assert "✎ [b]let op[/b] ␛[2J [/]" in coded and "\x1b" not in coded
        assert quoted.endswith("lang…") and len(quoted) < len("lang " * 100)


async def test_case_forms_keep_what_was_typed(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, session = one_answer
    case_id = session.case_id
    async with analysing(db_path, ev, codebook) as (app, pilot):
        await pilot.press("s", *"Wil rust", "tab", *"Wachten", "escape")
        assert isinstance(app.screen, SummaryModal)  # typed text: the first Escape only warns
        assert "nog niet is opgeslagen" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("ctrl+s")
        summary = store.case_summary(case_id)
        assert summary is not None
        assert (summary.hulpvraag, summary.knelpunten) == ("Wil rust", "Wachten")
        await pilot.press("a", *"jeugd", "tab", *"Noord", "tab", *"leeftijd: 17", "ctrl+s")
        assert store.case_attributes(ev)[case_id] == {"domein": "jeugd", "gemeente": "Noord",
                                                      "leeftijd": "17"}
        await pilot.press("a", "tab", "tab", "ctrl+shift+k", "ctrl+s")  # free attribute out
        assert store.case_attributes(ev)[case_id] == {"domein": "jeugd", "gemeente": "Noord"}
        await pilot.press("d")
        await pilot.pause()
        # the mini questionnaire has one perspective here: nothing to compare with
        assert not store.manual_divergences(ev)


async def test_divergence_filter_and_recommendation_from_the_keyboard(
        store: Store, db_path: Path, codebook: Codebook) -> None:
    result = demo(store)
    async with analysing(db_path, result.evaluation.id, codebook) as (app, pilot):
        screen = coding_screen(app)
        before = len(store.manual_divergences(result.evaluation.id))
        await pilot.press("d", *"dossier vermeldt dit niet", "enter")
        divs = store.manual_divergences(result.evaluation.id)
        assert len(divs) == before + 1 and divs[-1].note == "dossier vermeldt dit niet"
        assert screen.current is not None and divs[-1].question_key == screen.current.row.key
        await pilot.press("slash", "tab", "tab", "tab", "space", "ctrl+s")
        assert screen.filter.uncoded
        assert screen.bench is not None and screen.current is not None
        assert screen.bench.needs_coding(screen.current)
        await pilot.press("r", "tab", *"Bel binnen een week terug", "ctrl+s")
        recs = store.recommendations(result.evaluation.id)
        assert [r.text for r in recs.values()] == ["Bel binnen een week terug"]


async def test_the_start_screen_opens_the_coding_screen(
        store: Store, db_path: Path, mini_paths: list[Path], codebook: Codebook) -> None:
    result = demo(store)
    app = ZetApp(db_path, questionnaire_paths=mini_paths, ascii=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t", *"Ana", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen))
        screen = coding_screen(app)
        assert screen.evaluation_id == result.evaluation.id and screen.actor == "Ana"
        await pilot.press("escape")
        assert not isinstance(app.screen, CodingScreen)
    keys = {(where, key) for where, key, _ in help_rows()}
    for key in ("n", "o", "c", "f", "m", "M", "s", "a", "d", "r", "/", ".", "1 … 9", "w / b"):
        assert ("analyse", key) in keys, key
    assert ("start", "ctrl+t") in keys


async def test_keys_typed_in_one_burst_reach_the_dialog_they_open(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, session = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        # the code picker, its search, Enter and the polarity in one burst
        burst(app, [("c", "c"), *((ch, ch) for ch in "overig"), ("enter", "\r"), ("s", "s")])
        await wait_for(pilot, lambda: bool(store.codings()))
        # the summary form, its text and ctrl+s in one burst
        burst(app, [("s", "s"), *((ch, ch) for ch in "Rust"), ("ctrl+s", None)])
        await wait_for(pilot, lambda: store.case_summary(session.case_id) is not None)
        # the memo form of the new coding, its text and ctrl+s in one burst
        burst(app, [("M", "M"), *((ch, ch) for ch in "Rust"), ("ctrl+s", None)])
        await wait_for(pilot, lambda: store.codings()[0].memo == "Rust")
        [coding] = store.codings()
        assert (coding.code_id, coding.polarity) == ("overig", Polarity.SUCCESFACTOR)
        summary = store.case_summary(session.case_id)
        assert summary is not None and summary.hulpvraag == "Rust"


async def test_every_key_is_in_the_command_palette(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    ev, _ = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        await pilot.press("ctrl+p", *"samenvatting")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryModal))


async def test_keys_kept_while_a_form_opens_come_before_the_next_key(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """The keys a form kept while it had no field are typed the moment its field gets the
    focus: a key the app reads right after that (and hands to the field itself) comes
    after them. Found in a real terminal: "Waarom dit [/]" was saved as "Waarom dit[/]"."""
    ev, session = one_answer
    store.add_quote(session.id, Q, 0, 8)
    async with analysing(db_path, ev, codebook) as (app, pilot):
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoModal) and app.focused is not None)
        form = app.screen
        assert isinstance(form, MemoModal)
        area = form.query_one("#memo-text", TextArea)
        form.set_focus(None)
        form.take("a", "a")  # as when the keys arrive before the field has focus
        form.take("space", " ")
        form.set_focus(area)
        area.post_message(events.Key("b", "b"))  # what the app does with the next key read
        await pilot.pause()
        assert area.text == "a b"


async def test_keys_kept_while_the_code_picker_opens_are_not_selected_away(
        db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """The search field selects its text when it gets focus: the kept keys must come after
    that, or the next key replaces them (found in a real terminal: "overig" became "rig")."""
    from zet_tui.app.screens.code_picker import CodePicker

    ev, _ = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker) and app.focused is not None)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        field = picker.query_one("#picker-filter", Input)
        picker.set_focus(None)
        for char in "ove":
            picker.take(char, char)
        picker.set_focus(field)
        field.post_message(events.Key("r", "r"))  # what the app does with the next key read
        await pilot.pause()
        assert field.value == "over"


async def test_an_answer_changed_elsewhere_shows_after_the_analysts_own_write(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """The screen follows answers changed in another app: its own write in between (which
    SQLite does not count as a change) must not make it miss the other app's commit."""
    ev, session = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        screen = coding_screen(app)
        store.save_answer(session.id, Answer(Q, AnswerStatus.ANSWERED, score=1,
                                             toelichting="Later aangevuld door de interviewer."))
        assert screen._write(lambda s: s.add_coding(session.id, Q, "wachttijd", "knelpunt"))
        screen.poll()
        await pilot.pause()
        assert screen.bench is not None
        [item] = [i for i in screen.bench.items if i.session_id == session.id and i.question_id == Q]
        assert item.toelichting == "Later aangevuld door de interviewer."


async def test_keys_after_the_polarity_belong_to_the_screen_underneath(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """Code, polarity and a memo in one burst (found in tmux: the memo's "s" reached the
    closed picker as a second polarity and the app crashed)."""
    ev, _ = one_answer
    async with analysing(db_path, ev, codebook) as (app, pilot):
        burst(app, [("c", "c"), *((ch, ch) for ch in "overig"), ("enter", "\r"), ("k", "k"),
                    ("M", "M"), *((ch, ch) for ch in "Rust en kans"), ("ctrl+s", None)])
        await wait_for(pilot, lambda: bool(store.codings()) and store.codings()[0].memo != "")
        [coding] = store.codings()
        assert (coding.code_id, coding.polarity, coding.memo) == (
            "overig", Polarity.KNELPUNT, "Rust en kans")
        assert app.is_running and isinstance(app.screen, CodingScreen)


async def test_a_key_typed_right_after_saving_a_form_is_the_screens(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """"Rust", ctrl+s, s in one burst: the memo is "Rust" and the s opens the case summary
    (found in tmux: a key typed after ctrl+s was saved in the memo)."""
    ev, session = one_answer
    store.add_coding(session.id, Q, "wachttijd", "knelpunt")
    async with analysing(db_path, ev, codebook) as (app, pilot):
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoModal) and app.focused is not None)
        burst(app, [*((ch, ch) for ch in "Rust"), ("ctrl+s", None), ("s", "s")])
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryModal))
        assert store.codings()[0].memo == "Rust"


async def test_a_form_opened_and_saved_in_one_burst_keeps_order_and_text(
        store: Store, db_path: Path, codebook: Codebook, one_answer: tuple[str, Session]) -> None:
    """Form key, text, ctrl+s and the next form's key in one burst, as typed before the form
    has its field: the text goes after what the field holds, ctrl+s saves just that, and
    the next key opens the next form (found in tmux: "dan", ctrl+s, "s" saved "dans"; a
    summary's words went before the text it had)."""
    ev, session = one_answer
    store.add_coding(session.id, Q, "wachttijd", "knelpunt")
    store.set_case_summary(session.case_id, hulpvraag="Oud.")
    async with analysing(db_path, ev, codebook) as (app, pilot):
        burst(app, [("M", "M"), *((ch, ch) for ch in "Rust"), ("ctrl+s", None), ("s", "s"),
                    *((ch, ch) for ch in " Nieuw."), ("ctrl+s", None)])
        await wait_for(pilot, lambda: getattr(store.case_summary(session.case_id), "hulpvraag",
                                              "") != "Oud.")
        assert store.codings()[0].memo == "Rust"
        summary = store.case_summary(session.case_id)
        assert summary is not None and summary.hulpvraag == "Oud. Nieuw."
        assert isinstance(app.screen, CodingScreen)
