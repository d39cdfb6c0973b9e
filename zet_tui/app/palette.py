"""Command palette entries by name: a screen's roles (start) or every key of a screen.

Every key a footer leaves out at 80 columns must still be reachable from the
palette (and the F1 help): `ScreenKeys` lists each binding of the screen with
its longer description, so the review, feedback and coding screens need no
hand-written list that could fall behind their bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

#: Textual's names of punctuation keys, as the help and the palette show them.
KEY_NAMES = {"question_mark": "?", "slash": "/", "full_stop": "."}


class NamedCommands(Provider):
    """Entries from `_commands()` (name, callback, help), searched on name and help."""

    def _commands(self) -> Iterable[tuple[str, Callable[[], object], str]]:
        return ()

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class ScreenKeys(NamedCommands):
    """Every key of the screen, by name (digits, numbered variants of one action, left out)."""

    def _commands(self) -> Iterable[tuple[str, Callable[[], object], str]]:
        for b in self.screen.BINDINGS:
            if isinstance(b, Binding) and b.description and not b.key.isdigit():
                key = b.key.split(",")[0]
                yield b.tooltip or b.description, self._run(b.action), f"toets {KEY_NAMES.get(key, key)}"

    def _run(self, action: str) -> Callable[[], object]:
        return lambda: self.screen.run_action(action)


__all__ = ["KEY_NAMES", "NamedCommands", "ScreenKeys"]
