"""What every zet-tui app shares: a Dutch command palette and the remembered colour scheme.

Textual's own palette speaks English ("Search for commands…", "No matches
found", and the system commands Keys, Maximize, Quit, Screenshot, Theme). The
users are Dutch municipal staff: every word on screen is Dutch. Of the system
commands, the screenshot is left out on purpose: it writes the whole screen,
resident's answers included, to an SVG file outside zet-tui's care.

"Thema" means an interview theme here, so Textual's themes are called
*kleurenschema* (light or dark); the choice is remembered between runs, with
the interviewers' names (`core.settings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

from zet_tui.core import collector
from zet_tui.core.settings import Settings, load_settings, save_settings

LIGHT, DARK = "textual-light", "textual-dark"


class DutchCommandPalette(CommandPalette):
    """Textual's command palette with Dutch words."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Naar de laatste", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Naar de eerste", show=False),
        Binding("down", "cursor_down", "Volgende opdracht", show=False),
        Binding("escape", "escape", "Palet sluiten"),
        Binding("pagedown", "command_list('page_down')", "Volgende pagina", show=False),
        Binding("pageup", "command_list('page_up')", "Vorige pagina", show=False),
        Binding("up", "command_list('cursor_up')", "Vorige opdracht", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", "Zoek een opdracht…")
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with the message in Dutch (pinned Textual version: see pyproject).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text("Geen opdracht gevonden", style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ZetBaseApp(App[None]):
    """The base of the interview, review and feedback apps."""

    # Declared here, so Textual does not add its own (English) palette binding to the footer.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "command_palette", "Palet", show=False, priority=True,
                tooltip="Opdrachtenpalet openen"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._remember_theme = False  # only what the user chooses, not the start-up default
        self.settings, self._settings_problem = load_settings()
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def on_ready(self) -> None:
        self._remember_theme = True
        if not getattr(self.screen, "COMPLETES_START", False):
            # The first frame is drawn: the cycle collector, paused while `zet` started
            # (core.collector), runs again. A screen that builds more one frame later
            # (the interview) resumes it itself when it is complete.
            collector.resume()
        if self._settings_problem:
            self.notify(self._settings_problem, severity="warning", timeout=10, markup=False)
            self._settings_problem = ""

    def remember(self, **choices: str) -> None:
        """Keep choices (names, colour scheme) for the next run; a failure is one message."""
        changed = {k: v for k, v in choices.items() if getattr(self.settings, k) != v}
        if not changed:
            return
        for key, value in changed.items():
            setattr(self.settings, key, value)
        if problem := save_settings(self.settings):
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme:
            self.remember(theme=theme)

    # -- the command palette ---------------------------------------------------------
    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(DutchCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        dark = self.current_theme.dark
        yield SystemCommand("Kleurenschema: " + ("licht" if dark else "donker"),
                            "Wissel tussen een lichte en een donkere weergave (wordt onthouden)",
                            lambda: setattr(self, "theme", LIGHT if dark else DARK))
        yield SystemCommand("Kleurenschema kiezen", "Alle kleurenschema's (wordt onthouden)",
                            self.action_choose_colours)
        yield SystemCommand("Help: alle toetsen", "Overzicht van alle toetsen (F1)",
                            self.action_help)
        if screen.maximized is not None:
            yield SystemCommand("Verkleinen", "Het vergrote onderdeel weer normaal tonen",
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Vergroten", "Het onderdeel met de cursor schermvullend tonen",
                                screen.action_maximize)
        yield SystemCommand("Afsluiten", "De app sluiten (wat is opgeslagen blijft bewaard)",
                            self.action_quit)

    def action_help(self) -> None:
        """F1: every key of every screen, the current screen's own first."""
        from zet_tui.app.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(first=getattr(self.screen, "HELP_SECTION", "")))

    def action_choose_colours(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(DutchCommandPalette(providers=[ThemeProvider],
                                             placeholder="Zoek een kleurenschema…"))


__all__ = ["DARK", "LIGHT", "DutchCommandPalette", "Settings", "ZetBaseApp"]
