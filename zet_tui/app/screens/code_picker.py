"""Picking a code and its polarity, and keeping the keys typed while a dialog opens.

Textual hands every key it has already read to the widget that had focus when
it read it. An analyst who types `c`, "wacht", Enter, `k` in one go would
otherwise have "wacht" dropped by the screen underneath and Enter take the
first code of the list. So:

* the coding screen opens its dialogs from its own key handler, at once, and
  passes every later key that reaches it to the dialog on top (`forward_to_dialog`);
* a dialog keeps such keys until its first field has focus and then types them
  into it, in order (`EarlyKeys`);
* the code picker asks for the polarity in the same dialog and handles Enter,
  the arrows and k/s/n in its search field itself, so no key can overtake another.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from zet_tui.core.anchors import visible
from zet_tui.core.coding import Code, Codebook, Polarity

POLARITY_KEYS = {"k": Polarity.KNELPUNT, "s": Polarity.SUCCESFACTOR, "n": Polarity.NEUTRAAL}


class EarlyKeys:
    """A dialog that keeps the keys typed before its first field had focus, in order."""

    def _early(self) -> list[tuple[str, str | None]]:
        early: list[tuple[str, str | None]] = self.__dict__.setdefault("_early_keys", [])
        return early

    def take(self, key: str, character: str | None) -> None:
        """A key meant for this dialog that was read elsewhere (or before it had focus)."""
        assert isinstance(self, ModalScreen)
        if self.app.screen is not self:  # closed by an earlier key: it is the next screen's
            to_top_screen(self.app, key, character)
        elif self.focused is None or self._early():
            self._early().append((key, character))
        else:
            self._deliver(self.focused, key, character)

    def _deliver(self, target: Widget, key: str, character: str | None) -> None:
        assert isinstance(self, ModalScreen)
        if self.app.screen is not self:
            to_top_screen(self.app, key, character)
            return
        typed = getattr(target, "typed", None)
        if callable(typed) and typed(key, character):
            return
        if _type_into(self, target, key, character):
            return
        if not (_takes_text(target) and self._run_own_binding(key)):
            repost(self.app, key, character)  # the list's keys, F1, ctrl+q: their bindings

    def _run_own_binding(self, key: str) -> bool:
        """Escape, ctrl+s typed into a form's field: the dialog's own binding runs now, in
        order with the kept keys (through the app it came after them: "dan", ctrl+s, "s"
        saved "dans")."""
        assert isinstance(self, ModalScreen)
        for binding in self._bindings.key_to_bindings.get(key, ()):
            action = getattr(self, f"action_{binding.action}", None)
            if callable(action):
                action()
                return True
        return False

    def on_key(self, event: events.Key) -> None:
        """A key that reached the dialog itself: nothing in it had focus yet."""
        assert isinstance(self, ModalScreen)
        if self.focused is None:
            self.take(event.key, event.character)
            event.stop()
            event.prevent_default()

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True,
                  from_app_focus: bool = False) -> None:
        """Focus `widget`; the kept keys are typed into it next in its own queue.

        The app hands every key it reads after this to the focused widget. Typed in when
        the focus event had reached this screen, the kept keys came after a key typed
        after them ("Waarom dit [/]" became " Waarom dit[/]"). Typed in here, before the
        field had handled its focus, an Input then selected them all on focus and the next
        key replaced them ("overig" became "rig"). In the field's queue they come right
        after its focus and before any later key."""
        assert isinstance(self, ModalScreen)
        super().set_focus(widget, scroll_visible, from_app_focus)  # type: ignore[misc]
        if widget is not None and self.focused is widget and self._early():
            widget.call_later(self._type_early, widget)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._type_early(event.widget)  # focus moved without `set_focus` (a click)

    def _type_early(self, widget: Widget) -> None:
        early = self._early()
        if early and not _takes_text(widget) and widget.is_container:
            return  # a scrolling container took focus first: wait for the field
        while early:
            key, character = early.pop(0)
            self._deliver(widget, key, character)


def repost(app: App[object], key: str, character: str | None) -> None:
    """Send a key through the app again, as if typed now (it then reaches the bindings)."""
    event = events.Key(key, character)
    event.set_sender(app)  # else it stops bubbling at the dialog that created it
    app.post_message(event)


def to_top_screen(app: App[object], key: str, character: str | None) -> None:
    """A key for the screen now on top (a dialog closed by an earlier key), straight to it
    and in order with the others: through the app (`repost`) each went to whatever had
    focus while that screen came back, and one could overtake another ("Rust" lost its R)."""
    event = events.Key(key, character)
    event.set_sender(app)  # bubbles on to the app's bindings, as if typed there
    app.screen.post_message(event)


def _takes_text(widget: Widget) -> bool:
    return isinstance(widget, Input | TextArea) or callable(getattr(widget, "typed", None))


def _type_into(screen: ModalScreen[object], target: Widget, key: str, char: str | None) -> bool:
    if key == "tab":
        screen.focus_next()
    elif isinstance(target, Input):
        if key == "enter":
            target.post_message(Input.Submitted(target, target.value))
        elif key == "backspace":
            target.action_delete_left()
        elif char is not None and char.isprintable():
            target.insert_text_at_cursor(char)
        else:
            return False
    elif isinstance(target, TextArea):
        if key == "backspace":
            target.action_delete_left()
        elif key == "enter":
            target.insert("\n")
        elif char is not None and char.isprintable():
            target.insert(char)
        else:
            return False
    else:
        return False
    return True


def forward_to_dialog(app: App[object], event: events.Key) -> bool:
    """Give a key read for a screen that is no longer on top to the dialog that is."""
    top = app.screen
    if isinstance(top, EarlyKeys):
        top.take(event.key, event.character)
        event.stop()
        event.prevent_default()
        return True
    return False


def code_prompt(code: Code) -> Text:
    text = Text(visible(code.label), style="bold")
    text.append(f"  {code.id}", style="dim")
    if code.group:
        text.append(f"  · {visible(code.group)}", style="dim italic")
    return text


class SearchField(Input):
    """The picker's search field: Enter, the arrows and (once a code is chosen) k/s/n are
    handled here, in the order they were typed."""

    def typed(self, key: str, character: str | None) -> bool:
        picker = self.screen
        assert isinstance(picker, CodePicker)
        return picker.typed(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if self.typed(event.key, event.character):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


class CodePicker(EarlyKeys, ModalScreen[tuple[Code, Polarity] | None]):
    """Type to narrow the codebook, arrows to choose, Enter to take the code; then k, s or n
    (Enter: the polarity the score suggests)."""

    DEFAULT_CSS = """
    CodePicker .dialog { max-width: 90; }
    CodePicker OptionList { height: auto; max-height: 14; }
    CodePicker #picker-polarity { display: none; height: auto; }
    CodePicker.-polarity #picker-polarity { display: block; }
    CodePicker.-polarity #picker-codes { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="picker-cancel"),
    ]

    def __init__(self, codebook: Codebook, what: str, default: Polarity) -> None:
        super().__init__(classes="modal")
        self.codebook = codebook
        self.what = what
        self.default = default
        self.shown: list[Code] = list(codebook.codes)
        self.chosen: Code | None = None
        self._filtered_on = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Code kiezen"
            yield Static(Text(visible(self.what)), classes="dialog-text")
            yield SearchField(placeholder="typ een deel van naam, id of omschrijving",
                              id="picker-filter")
            yield OptionList(*(Option(code_prompt(c), id=c.id) for c in self.shown),
                             id="picker-codes")
            with Vertical(id="picker-polarity"):
                yield Static("", id="picker-question")
                with Horizontal(classes="buttons"):
                    for key, polarity in POLARITY_KEYS.items():
                        yield Button(f"{polarity.value} ({key})", id=f"polarity-{polarity.value}",
                                     variant="primary" if polarity == self.default else "default")

    def on_mount(self) -> None:
        self.query_one("#picker-codes", OptionList).highlighted = 0
        self.query_one("#picker-filter", SearchField).focus()

    # -- keys, in typing order -----------------------------------------------------------------
    def typed(self, key: str, character: str | None) -> bool:
        if self.app.screen is not self:
            # Dismissed by an earlier key (k, s, n, Enter) while later ones were already
            # handed to the search field: they are the coding screen's ("k" then "M" for a
            # memo), not a second polarity (a dismiss then had no screen to pop).
            to_top_screen(self.app, key, character)
            return True
        if self.chosen is not None:
            if key == "enter":
                self.dismiss((self.chosen, self.default))
            elif character in POLARITY_KEYS:
                self.dismiss((self.chosen, POLARITY_KEYS[character]))
            elif key == "escape":
                self._back()
            return True  # while asking for the polarity, typing never edits the search
        if key in ("down", "up", "enter"):
            # the list follows the text typed so far, even when Enter overtakes the
            # Changed message of the last letter
            self._refilter(self.query_one("#picker-filter", SearchField).value)
        if key in ("down", "up"):
            self._move(1 if key == "down" else -1)
            return True
        if key == "enter":
            options = self.query_one("#picker-codes", OptionList)
            if options.highlighted is not None and self.shown:
                self._choose(self.shown[options.highlighted])
            return True
        return False

    def _move(self, step: int) -> None:
        options = self.query_one("#picker-codes", OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def _choose(self, code: Code) -> None:
        self.chosen = code
        self.query_one("#picker-question", Static).update(Text(visible(
            f"{code.label}: knelpunt (k), succesfactor (s) of neutraal (n)? "
            f"Enter kiest {self.default.value}; Esc: andere code.")))
        self.add_class("-polarity")

    def _back(self) -> None:
        self.chosen = None
        self.remove_class("-polarity")
        self.query_one("#picker-filter", SearchField).focus()

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def _refilter(self, value: str) -> None:
        if value == self._filtered_on:
            return
        self._filtered_on = value
        words = value.lower().split()
        self.shown = [c for c in self.codebook.codes if all(
            w in f"{c.id} {c.label} {c.description} {' '.join(c.keywords)}".lower()
            for w in words)]
        options = self.query_one("#picker-codes", OptionList)
        options.clear_options()
        options.add_options([Option(code_prompt(c), id=c.id) for c in self.shown])
        if self.shown:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#picker-codes")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        code = self.codebook.code(event.option.id or "")
        if code is not None:
            self._choose(code)
            self.query_one("#picker-filter", SearchField).focus()

    @on(Button.Pressed)
    def _polarity_pressed(self, event: Button.Pressed) -> None:
        if self.chosen is not None:
            self.dismiss((self.chosen, Polarity((event.button.id or "").removeprefix("polarity-"))))

    def action_cancel(self) -> None:
        if self.chosen is not None:
            self._back()
        else:
            self.dismiss(None)
