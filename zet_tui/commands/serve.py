"""`zet serve`: the interview app in a web browser (textual-serve).

A reviewer follows a live interview on a laptop or tablet: every browser
connection starts `zet --db PATH tui` on the same database file as the
interviewer's terminal (WAL lets both work at once).

The data is about vulnerable residents, so the server binds to 127.0.0.1
unless told otherwise, and on any other address every request (page, static
files, downloads, websocket) must carry an access token: `?token=` once, after
which an HttpOnly, SameSite=Strict cookie carries it. Anything else gets 403
before it reaches the app or the database.
"""

from __future__ import annotations

import argparse
import contextlib
import hmac
import ipaddress
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zet_tui.commands.common import UserError, add_questionnaires_option, db_path, questionnaire_source

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
COOKIE = "zet_token"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,200}")
EXTERNAL_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
FORBIDDEN = ("Geen toegang: open zet-tui via de link met het toegangstoken die 'zet serve' "
             "toonde.")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "serve", parents=[common], help="open de interview-app in een webbrowser",
        description="Bied de interview-app aan in een webbrowser (bijvoorbeeld voor de "
                    "meekijkende reviewer op een laptop of tablet). Gebruikt hetzelfde "
                    "databasebestand als de app in de terminal. Luistert standaard alleen op "
                    "deze computer (127.0.0.1); op elk ander adres is een toegangstoken nodig, "
                    "dat als deel van de link wordt getoond.")
    p.add_argument("--host", metavar="ADRES", default=DEFAULT_HOST,
                   help=f"adres om op te luisteren (standaard {DEFAULT_HOST}: alleen deze "
                        "computer; 0.0.0.0 = het hele netwerk, dan met toegangstoken)")
    p.add_argument("--port", metavar="POORT", type=int, default=DEFAULT_PORT,
                   help=f"poort (standaard {DEFAULT_PORT})")
    p.add_argument("--token", metavar="TOKEN",
                   help="eigen toegangstoken (minstens 16 tekens: letters, cijfers, - en _); "
                        "standaard wordt er bij elke start een willekeurig token gemaakt")
    p.add_argument("--require-token", action="store_true",
                   help="vraag ook op 127.0.0.1 om het toegangstoken")
    add_questionnaires_option(p)
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_ok(given: str | None, token: str) -> bool:
    """Constant-time comparison, so response timing does not leak the token."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def display_host(host: str) -> str:
    """The address to put in the printed link; a wildcard address is not reachable as such."""
    if host not in ("0.0.0.0", "::", ""):
        return f"[{host}]" if ":" in host else host
    candidates: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # UDP connect sends nothing; it picks the LAN address
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        candidates.append(socket.gethostbyname(socket.gethostname()))
    for address in candidates:
        if not is_loopback(address):
            return address
    return socket.gethostname()


def make_server(command: str, host: str, port: int, token: str | None, title: str) -> Any:
    """A textual-serve Server whose every route is guarded by `token` (None: no guard)."""
    from aiohttp import web
    from textual_serve.server import Server

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if token is None:
            response: web.StreamResponse = await handler(request)
            return response
        if token_ok(request.query.get("token"), token):
            if request.method == "GET" and request.path == "/":
                # Trade the token in the address for a cookie, so it leaves the address bar
                # and the browser history.
                query = {k: v for k, v in request.query.items() if k != "token"}
                location = request.rel_url.with_query(query)
                response = web.HTTPSeeOther(location=str(location))
            else:
                response = await handler(request)
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        if token_ok(request.cookies.get(COOKIE), token):
            response = await handler(request)
            return response
        return web.Response(status=403, text=FORBIDDEN + "\n",
                            content_type="text/plain", charset="utf-8")

    class GuardedServer(Server):
        """textual-serve with the token guard and quiet, token-free logging."""

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app: web.Application = await super()._make_app()
            app.middlewares.append(guard)
            templates = Path(self.templates_path)

            def load(name: str) -> str:
                # The stock page fetches a web font from a third party on every visit; the
                # reviewer's browser should contact nobody but this server.
                return EXTERNAL_FONT.sub("", (templates / name).read_text(encoding="utf-8"))

            aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(load))
            return app

        def initialize_logging(self) -> None:
            # The access log would print every URL, the token included: keep it off.
            import logging

            logging.basicConfig(level=logging.WARNING)

        async def on_startup(self, app: web.Application) -> None:
            pass  # run() prints the address once, in Dutch

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # Build the websocket URL from the address the browser used, which also works
            # when listening on 0.0.0.0. No await happens between setting and reading it.
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

    return GuardedServer(command, host=host, port=port, title=title)


def run(args: argparse.Namespace) -> int:
    from zet_tui.core.store import Store

    if not 0 < args.port < 65536:
        raise UserError(f"ongeldige poort {args.port}: kies een getal van 1 tot en met 65535")
    if args.token is not None and not TOKEN_PATTERN.fullmatch(args.token):
        raise UserError("het toegangstoken moet minstens 16 tekens lang zijn en mag alleen "
                        "letters, cijfers, - en _ bevatten")
    path = db_path(args).resolve()
    Store.open(path).close()  # a bad database fails here, with one clear line
    try:
        socket.getaddrinfo(args.host, args.port)
    except (OSError, UnicodeError):
        raise UserError(f"onbekend adres '{args.host}'") from None
    needs_token = args.require_token or args.token is not None or not is_loopback(args.host)
    token = (args.token or secrets.token_urlsafe(24)) if needs_token else None
    questionnaires = [f"--questionnaires={q.resolve()}" for q in questionnaire_source(args) or ()]
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, "-m", "zet_tui", "--db", str(path), "tui", *questionnaires))
    server = make_server(command, args.host, args.port, token, title=f"zet-tui · {path.name}")
    url = f"http://{display_host(args.host)}:{args.port}/"
    if token:
        url += f"?token={token}"
    print(f"zet-tui in de browser: {url}", flush=True)
    print(f"database: {path}", flush=True)
    if token:
        print("Deel deze link alleen met wie mag meekijken; stoppen met Ctrl+C.", flush=True)
    else:
        print("Alleen bereikbaar vanaf deze computer; stoppen met Ctrl+C.", flush=True)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(f"kan niet luisteren op {args.host}:{args.port} ({exc.strerror or exc}); "
                        "kies een andere poort met --port") from None
    return 0

