"""Lines that fit the terminal: header summaries and key hints at 80 columns too.

80x24 is the smallest terminal the app promises to work in. Left alone, Textual
cuts a long header at the edge ("thema's [~][ ][ ][") and a long row of key hints
either wraps onto a second line or loses its last keys. Instead a screen says
less: every part of a line may have shorter forms, a key hint a shorter label, and
hints leave in a fixed order, the way to the help (F1) last. Everything left out
is still in the F1 help and the command palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from zet_tui.core.safe_text import one_line

#: A part of a line: one text, or its forms from the longest to the shortest
#: ("" as the last form: the part may be left out).
Part = str | Sequence[str]


def fit_parts(parts: Sequence[Part], width: int, sep: str = " · ") -> str:
    """Join `parts` with `sep`, shortening them until the line fits `width` cells.

    Parts are shortened one form at a time from the last to the first, and again
    from the last while anything can still be shortened: the end of a line holds
    the details, the start the facts that must stay (case, perspective). A line
    that cannot fit is returned as short as it gets (the widget ends it with "…").
    """
    # Measured as shown: stored text (a case code, a name) on one line, controls visible.
    forms = [[one_line(form) for form in ([part] if isinstance(part, str) else part)]
             for part in parts]
    chosen = [0] * len(forms)

    def line() -> str:
        return sep.join(f[c] for f, c in zip(forms, chosen, strict=True) if f[c])

    text = line()
    shortened = True
    while cell_len(text) > width and shortened:
        shortened = False
        for i in reversed(range(len(forms))):
            if chosen[i] + 1 < len(forms[i]):
                chosen[i] += 1
                shortened = True
                text = line()
                if cell_len(text) <= width:
                    break
    return text


@dataclass(frozen=True)
class Hint:
    """One key hint: `key` as shown ("^s", "f1"), its label and the action a click runs."""

    key: str
    label: str
    action: str
    #: A shorter label for narrow terminals ("" = the label is short already).
    short: str = ""
    #: Which hints leave first when even short labels do not fit: the highest first;
    #: 0 never leaves (the way to the help, where every key is listed).
    drop: int = 1

    def width(self, short: bool) -> int:
        return cell_len(self.key) + 1 + cell_len(self.short if short and self.short else self.label)


def fit_hints(hints: Sequence[Hint], width: int,
              gaps: Sequence[int] = (2, 1)) -> tuple[list[tuple[Hint, str]], int]:
    """The hints (each with the label to show) and the gap between them that fit one line.

    Tried in order: full labels with each of `gaps` between them, then the short
    labels with the last gap, then without hints in their `drop` order (of equal ones, the last
    first). The order on screen stays the order given.
    """
    def total(shown: Sequence[Hint], short: bool, gap: int) -> int:
        return sum(h.width(short) for h in shown) + gap * max(0, len(shown) - 1)

    def labelled(shown: Sequence[Hint], short: bool) -> list[tuple[Hint, str]]:
        return [(h, h.short if short and h.short else h.label) for h in shown]

    gap = gaps[-1]
    for short, tried in (*((False, g) for g in gaps), (True, gap)):
        if total(hints, short, tried) <= width:
            return labelled(hints, short), tried
    shown = list(hints)
    leaving = sorted((i for i, h in enumerate(hints) if h.drop > 0),
                     key=lambda i: (-hints[i].drop, -i))  # equal ranks: from the end
    for i in leaving:
        shown.remove(hints[i])
        if total(shown, True, gap) <= width:
            break
    return labelled(shown, True), gap


HELP_ACTIONS = ("help", "app.help", "screen.help")
QUIT_ACTIONS = ("quit", "app.quit")
PALETTE_ACTIONS = ("command_palette", "app.command_palette")


def ranked_hints(entries: Sequence[tuple[str, str, str]], *, short_labels: Mapping[str, str],
                 first_to_go: Sequence[str] = ()) -> list[Hint]:
    """(key, label, action) as hints, in the order they leave a narrow line: the actions
    in `first_to_go` (in that order), then the palette key, then ctrl+q, then the
    others from the last; F1 help never. `short_labels` by action."""
    n = len(entries)
    hints = []
    for index, (key, label, action) in enumerate(entries):
        if action in HELP_ACTIONS:
            drop = 0
        elif action in first_to_go:
            drop = 3 * n - first_to_go.index(action)
        elif action in PALETTE_ACTIONS:
            drop = n + 2
        elif action in QUIT_ACTIONS:
            drop = n + 1
        else:
            drop = index + 1
        hints.append(Hint(key, label, action, short=short_labels.get(action, ""), drop=drop))
    return hints


__all__ = ["Hint", "Part", "fit_hints", "fit_parts", "ranked_hints"]
