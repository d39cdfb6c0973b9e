"""Textual's footer on one line at any width: shorter labels, then fewer keys.

Textual's `Footer` lays its keys out side by side and cuts them off at the right
edge: at 80 columns the review screen lost `l`, `g` and `esc`. This footer
chooses, whenever its keys or its width change, what fits (see `fit.fit_hints`):
the labels a screen lists in `SHORT_LABELS` (by action), then without the keys
it lists in `FOOTER_DROP`, the palette key, ctrl+q and the screen's last keys,
never without F1 help. Every key keeps working and stays in the help and the
palette.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from zet_tui.app.fit import fit_hints, ranked_hints

#: The cell Textual's compact footer adds to a key: the space after it (the palette
#: key, docked right, has a bar before it instead).
KEY_MARGIN = 1


class FitFooter(Footer):
    """A compact `Footer` whose keys always fit one line."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._fitted_width = 0

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):  # binding groups: not used here, shown as Textual does
            yield from widgets
            return
        self._fitted_width = self._width()
        # The order the screen and the app declare (Textual lists priority bindings first
        # while a dialog has the focus); the palette key, docked right, last.
        declared = [b.action for b in (*self.screen.BINDINGS, *self.app.BINDINGS)
                    if isinstance(b, Binding)]
        keys.sort(key=lambda k: (k.has_class("-command-palette"),
                                 declared.index(k.action) if k.action in declared else len(declared)))
        hints = ranked_hints([(k.key_display, k.description, k.action) for k in keys],
                             short_labels=getattr(self.screen, "SHORT_LABELS", {}),
                             first_to_go=getattr(self.screen, "FOOTER_DROP", ()))
        # Each key takes one cell more than its text (its margin, or the palette's bar):
        # one gap between keys, one more at the end.
        shown, _gap = fit_hints(hints, self._fitted_width - KEY_MARGIN, gaps=(KEY_MARGIN,))
        labels = {id(hint): label for hint, label in shown}
        for key, hint in zip(keys, hints, strict=True):
            if id(hint) in labels:
                key.description = labels[id(hint)]
                yield key

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)


__all__ = ["FitFooter"]
