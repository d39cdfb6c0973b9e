"""Lines that fit the terminal: header parts and key hints (zet_tui/app/fit.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from zet_tui.app.fit import Hint, fit_hints, fit_parts, ranked_hints

INTERVIEW = [("Casus K-01", "K-01"), "Inwoner", ("vraag 26 van 41", "26/41"),
             ("tijd 00:12:34", "00:12:34"),
             ("thema's [x][x][x][x][~][ ][ ][ ][ ]", "thema's [x]4 [~]1 [ ]4", "[x]4 [~]1 [ ]4")]


def test_parts_are_shortened_from_the_end_only_as_far_as_needed() -> None:
    full = ("Casus K-01 · Inwoner · vraag 26 van 41 · tijd 00:12:34 · "
            "thema's [x][x][x][x][~][ ][ ][ ][ ]")
    assert fit_parts(INTERVIEW, 120) == full
    # The theme strip becomes counts first, then the time loses its word, and so on.
    assert fit_parts(INTERVIEW, 79) == ("Casus K-01 · Inwoner · vraag 26 van 41 · tijd 00:12:34 · "
                                        "thema's [x]4 [~]1 [ ]4")
    assert fit_parts(INTERVIEW, 78) == ("Casus K-01 · Inwoner · vraag 26 van 41 · 00:12:34 · "
                                        "thema's [x]4 [~]1 [ ]4")
    narrow = fit_parts(INTERVIEW, 50)
    assert cell_len(narrow) <= 50 and narrow.startswith("K-01 · Inwoner")
    # What cannot fit comes back as short as it gets; the widget ends it with "…".
    assert fit_parts(INTERVIEW, 10) == "K-01 · Inwoner · 26/41 · 00:12:34 · [x]4 [~]1 [ ]4"


def test_an_empty_form_leaves_the_part_out_and_stored_text_is_one_line() -> None:
    assert fit_parts(["Review", ("Gesprek met de inwoner", "")], 10) == "Review"
    assert fit_parts(["Casus K\x1b[2J\n01"], 80) == "Casus K␛[2J␊01"


def test_wide_characters_are_measured_in_cells() -> None:
    line = fit_parts(["😄😄😄😄😄", ("abc", "")], 12)
    assert line == "😄😄😄😄😄"  # ten cells; with " · abc" it would be sixteen


HINTS = ranked_hints([("^s", "Opslaan", "submit"), ("^o", "Overslaan", "skip"),
                      ("f3", "Dekking", "coverage"), ("f9", "Afronden", "finish"),
                      ("^p", "Palet", "app.command_palette"), ("^q", "Afsluiten", "app.quit"),
                      ("f1", "Help", "screen.help")],
                     short_labels={"finish": "Klaar"}, first_to_go=("coverage",))


def test_hints_keep_their_order_and_leave_in_their_rank() -> None:
    shown, gap = fit_hints(HINTS, 200)
    assert gap == 2 and [label for _, label in shown] == [h.label for h in HINTS]
    shown, gap = fit_hints(HINTS, 80)
    assert gap == 1 and [label for _, label in shown] == [h.label for h in HINTS]
    # Then the short labels, then the screen's own choice (f3), the palette, ctrl+q and the
    # last keys; F1 help stays.
    steps = {width: [(h.key, label) for h, label in fit_hints(HINTS, width)[0]]
             for width in (70, 60, 50, 36, 30, 14)}
    assert steps[70] == [("^s", "Opslaan"), ("^o", "Overslaan"), ("f9", "Klaar"), ("^p", "Palet"),
                         ("^q", "Afsluiten"), ("f1", "Help")]
    assert [key for key, _ in steps[60]] == ["^s", "^o", "f9", "^q", "f1"]
    assert [key for key, _ in steps[50]] == ["^s", "^o", "f9", "f1"]
    assert [key for key, _ in steps[36]] == ["^s", "^o", "f1"]
    assert [key for key, _ in steps[30]] == ["^s", "f1"]
    assert [key for key, _ in steps[14]] == ["f1"]


hints = st.lists(st.builds(Hint, key=st.text(min_size=1, max_size=4),
                           label=st.text(min_size=1, max_size=15), action=st.text(max_size=5),
                           short=st.text(max_size=6), drop=st.integers(0, 9)),
                 max_size=12)


@settings(max_examples=300, deadline=None)
@given(hints, st.integers(0, 160), st.sampled_from([(2, 1), (1,), (0,)]))
def test_fitted_hints_fit_keep_order_and_never_lose_the_help(
        given_hints: list[Hint], width: int, gaps: tuple[int, ...]) -> None:
    shown, gap = fit_hints(given_hints, width, gaps)
    kept = [h for h in given_hints if h.drop == 0]
    assert [h for h, _ in shown] == [h for h in given_hints if any(h is s for s, _ in shown)]
    assert all(h in [s for s, _ in shown] for h in kept)
    assert all(label in (h.label, h.short) for h, label in shown)
    total = sum(cell_len(h.key) + 1 + cell_len(label) for h, label in shown) + gap * max(
        0, len(shown) - 1)
    must_show = sum(h.width(True) for h in kept) + gaps[-1] * max(0, len(kept) - 1)
    assert total <= width or total == must_show
