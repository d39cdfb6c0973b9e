"""The guard in front of `zet serve`: who may reach the app, and how many apps may run.

Every request (page, static files, downloads, websocket) passes four checks
before it can start an app process or touch the database, the way Jupyter's
server protects a notebook:

1. `Host`: only this computer's loopback names, or the `--host` address (and,
   on a wildcard address, this computer's name and plain IP addresses). A web
   page on another domain that rebinds its DNS name to 127.0.0.1 is refused.
2. `Origin`, when a browser sends one (always on a websocket): it must be this
   server itself. A page on another site cannot open the app's websocket.
3. The access token: `?token=` once, after which an HttpOnly, SameSite=Strict
   cookie carries it. Required unless `--no-token` on a loopback address.
4. Capacity: at most `max_apps` app processes at a time; the page says so in
   Dutch when all are in use.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web

COOKIE = "zet_token"
WILDCARDS = ("0.0.0.0", "::", "")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EXTERNAL_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")

NO_TOKEN = ("Geen toegang", "Open zet-tui via de link met het toegangstoken die 'zet serve' "
            "toonde.")
WRONG_HOST = ("Onbekend adres", "Deze server hoort bij een ander adres. Open zet-tui via de "
              "link die 'zet serve' toonde.")
WRONG_ORIGIN = ("Geen toegang vanaf een andere website", "zet-tui is alleen te gebruiken vanaf "
                "zijn eigen pagina, niet vanuit een andere website.")


def full_page(max_apps: int) -> tuple[str, str]:
    return ("Alle plaatsen zijn bezet", f"Er draaien al {max_apps} vensters van zet-tui op deze "
            "server (het maximum). Sluit een ander venster of tabblad met zet-tui en laad deze "
            "pagina daarna opnieuw.")


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
    if host not in WILDCARDS:
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


class HostRule:
    """Which names in a `Host` header belong to this server."""

    def __init__(self, bind: str) -> None:
        self.wildcard = bind in WILDCARDS
        names = set(LOOPBACK_NAMES)
        if self.wildcard:
            names |= {socket.gethostname(), socket.getfqdn(), display_host(bind)}
        else:
            names.add(bind.strip("[]"))
        self.names = frozenset(n.lower() for n in names if n)

    def allows(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        try:
            hostname = urlsplit("//" + host_header).hostname
        except ValueError:
            return False
        if not hostname:
            return False
        if hostname in self.names:
            return True
        if self.wildcard:  # a plain address cannot be rebound by a foreign DNS name
            try:
                ipaddress.ip_address(hostname)
            except ValueError:
                return False
            return True
        return False


def origin_ok(origin: str | None, host_header: str | None) -> bool:
    """No Origin (not a cross-site browser request) or exactly this server's own."""
    if origin is None:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(host_header)
            and parts.netloc.lower() == (host_header or "").lower())


def _refusal(status: int, page: tuple[str, str]) -> web.Response:
    from aiohttp import web

    title, text = page
    html = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>zet-tui: '
            f"{title}</title></head><body style=\"font-family: sans-serif; max-width: 40em; "
            f'margin: 3em auto\"><h1>{title}</h1><p>{text}</p></body></html>\n')
    return web.Response(status=status, text=html, content_type="text/html", charset="utf-8")


def make_server(command: str, host: str, port: int, token: str | None, title: str, *,
                max_apps: int) -> Any:
    """A textual-serve Server behind the guard (token None: `--no-token` on loopback)."""
    from aiohttp import web
    from textual_serve.server import Server

    rule = HostRule(host)

    class GuardedServer(Server):
        """textual-serve with the guard, a cap on app processes and quiet, token-free logging."""

        active = 0

        @web.middleware
        async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if not rule.allows(request.headers.get("Host")):
                return _refusal(403, WRONG_HOST)
            if not origin_ok(request.headers.get("Origin"), request.headers.get("Host")):
                return _refusal(403, WRONG_ORIGIN)
            by_link = token is not None and token_ok(request.query.get("token"), token)
            if token is not None and not by_link and not token_ok(request.cookies.get(COOKIE),
                                                                  token):
                return _refusal(403, NO_TOKEN)
            response: web.StreamResponse
            if by_link and request.method == "GET" and request.path == "/":
                # Trade the token in the address for a cookie, so it leaves the address bar
                # and the browser history.
                query = {k: v for k, v in request.query.items() if k != "token"}
                response = web.HTTPSeeOther(location=str(request.rel_url.with_query(query)))
            elif request.path in ("/", "/ws") and self.active >= max_apps:
                return _refusal(503, full_page(max_apps))
            else:
                response = await handler(request)
            if by_link:
                response.set_cookie(COOKIE, str(token), httponly=True, samesite="Strict",
                                    path="/")
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # Counted from here to the end of the connection; no await between the guard's
            # check and this increment, so two connections cannot both take the last place.
            self.active += 1
            try:
                response: web.WebSocketResponse = await super().handle_websocket(request)
                return response
            finally:
                self.active -= 1

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app: web.Application = await super()._make_app()
            app.middlewares.append(self.guard)
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
            # Build the websocket URL from the address the browser used (checked by the
            # guard), which also works when listening on 0.0.0.0. No await happens between
            # setting and reading it.
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

    return GuardedServer(command, host=host, port=port, title=title)
