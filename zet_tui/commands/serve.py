"""`zet serve`: the interview app in a web browser (textual-serve).

A reviewer follows a live interview on a laptop or tablet: every browser
connection starts `zet --db PATH tui` on the same database file as the
interviewer's terminal (WAL lets both work at once).

The data is about vulnerable residents, so it is safe by default, like
Jupyter's server: it binds to 127.0.0.1 unless told otherwise, every request
needs the access token (also on 127.0.0.1; `--no-token` is an explicit opt-out
for loopback only), `Host` and `Origin` are checked, and the number of app
processes is capped (`serve_guard.py`). The token comes from `--token-file`,
`$ZET_SERVE_TOKEN` or is made up, so it need not appear in `ps`; the link with
the token is printed and, on a desktop, opened in the browser.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shlex
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zet_tui.commands.common import (
    UserError,
    add_questionnaires_option,
    announce,
    db_path,
    questionnaire_source,
)
from zet_tui.commands.serve_guard import display_host, is_loopback, make_server

if TYPE_CHECKING:
    from sys import UnraisableHookArgs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_APPS = 4
TOKEN_ENV = "ZET_SERVE_TOKEN"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,200}")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "serve", parents=[common], help="open de interview-app in een webbrowser",
        description="Bied de interview-app aan in een webbrowser (bijvoorbeeld voor de "
                    "meekijkende reviewer op een laptop of tablet). Gebruikt hetzelfde "
                    "databasebestand als de app in de terminal. Luistert standaard alleen op "
                    "deze computer (127.0.0.1) en vraagt altijd om een toegangstoken, dat als "
                    "deel van de link wordt getoond (en op een computer met een bureaublad "
                    f"in de browser geopend). Het token komt uit --token-file, ${TOKEN_ENV} of "
                    "wordt bij elke start nieuw gemaakt.")
    p.add_argument("--host", metavar="ADRES", default=DEFAULT_HOST,
                   help=f"adres om op te luisteren (standaard {DEFAULT_HOST}: alleen deze "
                        "computer; 0.0.0.0 = het hele netwerk)")
    p.add_argument("--port", metavar="POORT", type=int, default=DEFAULT_PORT,
                   help=f"poort (standaard {DEFAULT_PORT})")
    p.add_argument("--token-file", type=Path, metavar="BESTAND",
                   help="lees het toegangstoken uit dit bestand (eerste regel); zo staat het "
                        f"niet in de proceslijst. Of zet het in ${TOKEN_ENV}")
    p.add_argument("--token", metavar="TOKEN",
                   help="eigen toegangstoken (minstens 16 tekens: letters, cijfers, - en _); "
                        "let op: andere gebruikers van deze computer zien het in de "
                        "proceslijst, gebruik liever --token-file")
    p.add_argument("--no-token", action="store_true",
                   help="geen toegangstoken vragen; alleen toegestaan op 127.0.0.1 of "
                        "localhost, voor wie als enige deze computer gebruikt")
    p.add_argument("--max-apps", type=int, default=DEFAULT_MAX_APPS, metavar="AANTAL",
                   help=f"hoogstens zoveel vensters tegelijk (standaard {DEFAULT_MAX_APPS}); "
                        "elk venster is een eigen zet-tui-proces")
    p.add_argument("--no-browser", action="store_true",
                   help="open de link niet zelf in de browser")
    p.add_argument("--emoji", action="store_true",
                   help="smileys als emoji tonen; standaard toont de browser ze als tekst "
                        "(--, -, 0, +, ++), omdat een browser zonder emoji-lettertype een deel "
                        "van de gezichtjes als leeg vakje tekent")
    # Before the token became the default everywhere, this asked for it on 127.0.0.1 too.
    p.add_argument("--require-token", action="store_true", help=argparse.SUPPRESS)
    add_questionnaires_option(p)
    p.set_defaults(func=run)


def resolve_token(args: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    """The token: --token, --token-file or $ZET_SERVE_TOKEN, else a new random one;
    None only for --no-token on a loopback address."""
    sources = [(name, value) for name, value in (
        ("--token", args.token), ("--token-file", args.token_file),
        (f"${TOKEN_ENV}", env.get(TOKEN_ENV) or None)) if value is not None]
    if args.no_token:
        if not is_loopback(args.host):
            raise UserError(f"--no-token kan alleen op 127.0.0.1 of localhost; op {args.host} "
                            "is het toegangstoken nodig")
        if sources:
            raise UserError(f"--no-token en {sources[0][0]} sluiten elkaar uit")
        return None
    if len(sources) > 1:
        raise UserError(f"geef het toegangstoken op één manier ({sources[0][0]} of "
                        f"{sources[1][0]}), niet allebei")
    if not sources:
        return secrets.token_urlsafe(24)
    name, value = sources[0]
    if name == "--token-file":
        try:
            lines = Path(value).expanduser().read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{value}: kan het tokenbestand niet lezen "
                            f"({getattr(exc, 'strerror', None) or exc})") from None
        value = lines[0].strip() if lines else ""
    if not TOKEN_PATTERN.fullmatch(str(value)):
        raise UserError(f"het toegangstoken uit {name} moet minstens 16 tekens lang zijn en "
                        "mag alleen letters, cijfers, - en _ bevatten")
    return str(value)


def desktop_browser(host: str, env: Mapping[str, str], platform: str) -> bool:
    """Open the link ourselves only for a browser on this computer's desktop; never a
    text-mode browser that would take over this terminal."""
    if not is_loopback(host):
        return False
    if platform not in ("darwin", "win32") and not (env.get("DISPLAY")
                                                     or env.get("WAYLAND_DISPLAY")):
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return not (isinstance(browser, webbrowser.GenericBrowser)
                and not isinstance(browser, webbrowser.BackgroundBrowser))


def open_when_listening(url: str, host: str, port: int) -> None:
    """Open `url` in the browser as soon as the server accepts connections (a thread)."""
    def wait_and_open() -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((host, port), 0.5):
                with contextlib.suppress(webbrowser.Error):
                    webbrowser.open(url)
                return
            time.sleep(0.2)

    threading.Thread(target=wait_and_open, daemon=True, name="zet-serve-browser").start()


def quiet_after_shutdown(
        hook: Callable[[UnraisableHookArgs], Any]) -> Callable[[UnraisableHookArgs], Any]:
    """Ctrl+C stops the server and the app processes (one process group) at once; an
    app's pipe that asyncio only finalises after the event loop closed then printed
    "Exception ignored ... Event loop is closed" with a traceback. That one is harmless
    (the process is gone): say nothing. Anything else still reaches `hook`."""
    def quiet(unraisable: UnraisableHookArgs) -> None:
        exc = unraisable.exc_value
        if isinstance(exc, RuntimeError) and str(exc) == "Event loop is closed":
            return
        hook(unraisable)

    return quiet


def run(args: argparse.Namespace) -> int:
    from zet_tui.core.store import Store

    if not 0 < args.port < 65536:
        raise UserError(f"ongeldige poort {args.port}: kies een getal van 1 tot en met 65535")
    if args.max_apps < 1:
        raise UserError("--max-apps moet minstens 1 zijn")
    token = resolve_token(args, os.environ)
    os.environ.pop(TOKEN_ENV, None)  # the app processes need not inherit it
    path = db_path(args).resolve()
    with Store.open(path) as store:  # a bad database fails here, with one clear line
        announce(store)
    try:
        socket.getaddrinfo(args.host, args.port)
    except (OSError, UnicodeError):
        raise UserError(f"onbekend adres '{args.host}'") from None
    questionnaires = [f"--questionnaires={q.resolve()}" for q in questionnaire_source(args) or ()]
    # Text faces unless asked otherwise: which fonts the browser has is unknown here, and
    # without a colour-emoji font two of the five smileys were empty boxes.
    faces = [] if args.emoji else ["--ascii"]
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, "-m", "zet_tui", "--db", str(path), "tui", *faces, *questionnaires))
    server = make_server(command, args.host, args.port, token, title=f"zet-tui · {path.name}",
                         max_apps=args.max_apps)
    url = f"http://{display_host(args.host)}:{args.port}/"
    if token:
        url += f"?token={token}"
    print(f"zet-tui in de browser: {url}", flush=True)
    print(f"database: {path}", flush=True)
    if token:
        print("Deel deze link alleen met wie mag meekijken; stoppen met Ctrl+C.", flush=True)
    else:
        print("Zonder toegangstoken: iedereen met een account op deze computer kan meekijken; "
              "stoppen met Ctrl+C.", flush=True)
    if not args.no_browser and desktop_browser(args.host, os.environ, sys.platform):
        open_when_listening(url, args.host, args.port)
    sys.unraisablehook = quiet_after_shutdown(sys.unraisablehook)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(f"kan niet luisteren op {args.host}:{args.port} ({exc.strerror or exc}); "
                        "kies een andere poort met --port") from None
    return 0
