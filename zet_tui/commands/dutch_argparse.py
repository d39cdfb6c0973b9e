"""argparse in Dutch: usage, section titles, the -h help and every error message.

argparse looks its English strings up through the module's gettext hooks
(`argparse._` and `argparse.ngettext`) at the moment it needs them. This parser
points those hooks at a Dutch table while it builds, parses and formats, and
puts them back afterwards, so nothing else in the process changes language.
Subparsers are made with the parent's class (argparse's default), so every
command that a module registers through `add_parser` is Dutch without doing
anything; `common` parents must be made with this class too, or argparse would
add an English "options" group next to the Dutch one.

An error is one line naming the problem and where to look, exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

DUTCH: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "subcommands": "commando's",
    "show this help message and exit": "toon deze hulp en stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekend commando %(parser_name)r (kies uit %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "not allowed with argument %s": "mag niet samen met %s",
    "ignored explicit argument %r": "deze optie neemt geen waarde (%r)",
    "the following arguments are required: %s": "verplicht maar niet gegeven: %s",
    "one of the arguments %s is required": "geef een van deze: %s",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "ambiguous option: %(option)s could match %(matches)s":
        "optie %(option)s is niet eenduidig: %(matches)s",
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ongeldige keuze %(value)r (kies uit %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    # Mistakes in the definition of a parser (for developers), Dutch all the same.
    "conflicting subparser: %s": "commando bestaat al: %s",
    "conflicting subparser alias: %s": "alias bestaat al: %s",
    "cannot have multiple subparser arguments": "maar één groep commando's per parser",
    "mutually exclusive arguments must be optional": "wederzijds uitsluitende argumenten moeten optioneel zijn",
}
DUTCH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("verwacht %s waarde", "verwacht %s waarden"),
    ("conflicting option string: %s", "conflicting option strings: %s"):
        ("optie bestaat al: %s", "opties bestaan al: %s"),
}
TYPE_NAMES = {"int": "een geheel getal", "float": "een getal", "Path": "een pad", "str": "tekst"}


def _translate(message: str) -> str:
    return DUTCH.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    one, many = DUTCH_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def dutch() -> Iterator[None]:
    """argparse speaks Dutch inside this block."""
    hooks = vars(argparse)
    saved = hooks["_"], hooks["ngettext"]
    hooks["_"], hooks["ngettext"] = _translate, _translate_plural
    try:
        yield
    finally:
        hooks["_"], hooks["ngettext"] = saved


class DutchArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with dutch():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with dutch():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with dutch():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with dutch():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with dutch():
            return super().format_usage()

    def format_help(self) -> str:
        with dutch():
            return super().format_help()

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES and isinstance(exc.__context__, TypeError | ValueError):
                raise argparse.ArgumentError(
                    action, f"ongeldige waarde {arg_string!r} (verwacht: {TYPE_NAMES[name]})") from None
            raise

    def error(self, message: str) -> NoReturn:
        """One line: what is wrong and where the help is; exit code 2 as argparse has it."""
        print(f"{self.prog}: {message} (zie '{self.prog} --help')", file=sys.stderr)
        sys.exit(2)
