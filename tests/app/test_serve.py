"""`zet serve`: the app in a browser, on the same database, safe by default.

The tests start the real server as a subprocess on 127.0.0.1 and talk to it as
a browser, a foreign web page and a careless second reviewer would.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zet_tui.commands.serve import desktop_browser
from zet_tui.commands.serve_guard import HostRule, display_host, is_loopback, origin_ok, token_ok
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

TOKEN = "test-token-0123456789abcdef"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Served:
    def __init__(self, proc: subprocess.Popen[str], port: int, db: Path) -> None:
        self.proc = proc
        self.port = port
        self.db = db
        self.url = f"http://127.0.0.1:{port}"

    def request(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse()

    def websocket(self, headers: dict[str, str]) -> tuple[int, http.client.HTTPConnection]:
        """A websocket handshake; the connection stays open (and its app running) until
        the caller closes it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/ws?width=80&height=24", headers={**WS_HEADERS, **headers})
        return conn.getresponse().status, conn

    def app_processes(self) -> set[int]:
        """Processes started by this server that hold the database file open."""
        found: set[int] = set()
        for pid_dir in Path("/proc").glob("[0-9]*"):
            pid = int(pid_dir.name)
            try:
                if os.getpgid(pid) != self.proc.pid or pid == self.proc.pid:
                    continue
                links = {os.readlink(fd) for fd in (pid_dir / "fd").iterdir()}
            except OSError:
                continue
            if str(self.db) in links:
                found.add(pid)
        return found


@contextlib.contextmanager
def start_server(db: Path, *args: str, token: str | None = TOKEN,
                 env: dict[str, str] | None = None) -> Iterator[Served]:
    """`token`: the one the link must carry; "" for a random one (read from the link)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "zet_tui", "--db", str(db), "serve", "--port", str(port),
         "--no-browser", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, **(env or {})})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        link = f"http://127.0.0.1:{port}/"
        if token == "":
            token = first.partition("?token=")[2]
            assert len(token) >= 16, first
        if token:
            link += f"?token={token}"
        assert first == f"zet-tui in de browser: {link}"

        def listening() -> bool:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                return True
            return False

        wait_until(listening, 15, "the server to listen")
        yield Served(proc, port, db)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        # the served app processes are in the same process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout is not None:
            out = proc.stdout.read()
            if token:
                assert token not in out  # printed once, never logged again
            assert "Traceback" not in out


@pytest.fixture
def live_db(tmp_path: Path, mini: Questionnaire) -> Path:
    db = (tmp_path / "live.db").resolve()
    with Store.open(db) as s:
        ev = s.create_evaluation("Browsertest", "Gemeente Voorbeeld")
        case = s.add_case(ev.id, "C-01")
        s.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                        consent_by="inwoner")
    return db


WS_HEADERS = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


@pytest.fixture
def served(live_db: Path, tmp_path: Path) -> Iterator[Served]:
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n")
    with start_server(live_db, "--token-file", str(token_file)) as server:
        yield server


def ws_handshake_with(served: Served, headers: dict[str, str]) -> int:
    status, conn = served.websocket(headers)
    conn.close()
    return status


def ws_handshake(served: Served, cookie: str | None) -> int:
    return ws_handshake_with(served, {"Cookie": cookie} if cookie else {})


def test_the_token_is_needed_also_on_loopback(live_db: Path) -> None:
    with start_server(live_db, token="") as server:
        assert server.request("/").status == 403
        assert ws_handshake(server, None) == 403
        assert server.app_processes() == set()


def test_token_from_the_environment_stays_out_of_the_process_list(live_db: Path) -> None:
    with start_server(live_db, env={"ZET_SERVE_TOKEN": TOKEN}) as server:
        cmdline = Path(f"/proc/{server.proc.pid}/cmdline").read_bytes()
        assert TOKEN.encode() not in cmdline
        assert server.request(f"/?token={TOKEN}").status == 303


def test_no_token_is_an_explicit_loopback_only_choice(live_db: Path) -> None:
    with start_server(live_db, "--no-token", token=None) as server:
        assert server.request("/").status == 200
        # Still no page of another site, and no other name for this computer.
        assert ws_handshake_with(server, {"Origin": "http://evil.invalid"}) == 403
        assert server.request("/", {"Host": f"evil.invalid:{server.port}"}).status == 403
        assert server.app_processes() == set()


def test_foreign_origin_and_host_are_refused_before_any_app_starts(served: Served) -> None:
    cookie = f"zet_token={TOKEN}"
    # A page on another site opening the websocket with the reviewer's cookie.
    for origin in ("http://evil.invalid", "null", f"http://127.0.0.1:{served.port + 1}"):
        assert ws_handshake_with(served, {"Cookie": cookie, "Origin": origin}) == 403, origin
    # DNS rebinding: evil.invalid resolved to 127.0.0.1, with the token even.
    for path in ("/", f"/?token={TOKEN}", "/ws", "/static/js/textual.js"):
        response = served.request(path, {"Host": f"evil.invalid:{served.port}",
                                         "Cookie": cookie})
        assert response.status == 403, path
        assert "Onbekend adres" in response.read().decode()
    assert served.app_processes() == set()
    # The browser's own page is fine, by either loopback name.
    own = f"http://127.0.0.1:{served.port}"
    assert ws_handshake_with(served, {"Cookie": cookie, "Origin": own}) == 101
    assert served.request("/", {"Cookie": cookie, "Host": f"localhost:{served.port}"}
                          ).status == 200


def test_app_processes_are_capped(live_db: Path) -> None:
    with start_server(live_db, "--max-apps", "1", env={"ZET_SERVE_TOKEN": TOKEN}) as server:
        cookie = {"Cookie": f"zet_token={TOKEN}"}
        status, first = server.websocket(cookie)
        assert status == 101
        wait_until(lambda: len(server.app_processes()) == 1, 30, "the first app")
        # Smileys as text in the browser: without a colour-emoji font two of the five faces
        # were empty boxes (`zet serve --emoji` keeps them).
        [app_pid] = server.app_processes()
        assert b"--ascii" in Path(f"/proc/{app_pid}/cmdline").read_bytes().split(b"\0")
        page = server.request("/", cookie)
        assert page.status == 503
        text = page.read().decode()
        assert "Alle plaatsen zijn bezet" in text and "1 vensters" in text
        assert ws_handshake(server, cookie["Cookie"]) == 503
        assert len(server.app_processes()) <= 1  # no second app was started
        first.close()  # the reviewer closes the tab: the place is free again
        wait_until(lambda: server.request("/", cookie).status == 200, 30, "a free place")


def test_requests_without_the_token_are_refused(served: Served) -> None:
    for path in ("/", "/?token=verkeerd-token-0123456789", "/ws", "/static/js/textual.js",
                 "/download/x"):
        response = served.request(path)
        assert response.status == 403, path
        assert "Geen toegang" in response.read().decode()
    assert served.request("/", {"Cookie": "zet_token=verkeerd"}).status == 403
    assert ws_handshake(served, None) == 403
    assert ws_handshake(served, "zet_token=verkeerd-token-0123456789") == 403
    assert served.app_processes() == set()  # nothing reached the app or the database

    # The token in the link is traded for a private cookie.
    response = served.request(f"/?token={TOKEN}&fontsize=18")
    assert response.status == 303
    assert response.getheader("Location") == "/?fontsize=18"
    cookie = response.getheader("Set-Cookie") or ""
    assert f"zet_token={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = served.request("/", {"Cookie": f"zet_token={TOKEN}"})
    assert page.status == 200
    html = page.read().decode()
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
    assert "googleapis" not in html and "<script" in html  # no third-party requests
    assert served.request("/static/js/textual.js", {"Cookie": f"zet_token={TOKEN}"}).status == 200
    assert ws_handshake(served, f"zet_token={TOKEN}") == 101


def test_guard_helpers() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    assert token_ok(TOKEN, TOKEN) and not token_ok(None, TOKEN) and not token_ok("x", TOKEN)
    local = HostRule("127.0.0.1")
    assert local.allows("127.0.0.1:8000") and local.allows("localhost") and local.allows("[::1]:80")
    assert not local.allows("evil.invalid:8000") and not local.allows("192.168.1.20:8000")
    assert not local.allows(None) and not local.allows("")
    lan = HostRule("192.168.1.20")
    assert lan.allows("192.168.1.20:8000") and not lan.allows("10.0.0.1:8000")
    anywhere = HostRule("0.0.0.0")
    assert anywhere.allows("10.0.0.7:8000") and not anywhere.allows("evil.invalid:8000")
    assert origin_ok(None, "127.0.0.1:8000") and origin_ok("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not origin_ok("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not origin_ok("null", "127.0.0.1:8000") and not origin_ok("file://", "127.0.0.1:8000")
    # The link is opened only in a desktop browser on this computer.
    assert not desktop_browser("127.0.0.1", {}, "linux")
    assert not desktop_browser("0.0.0.0", {"DISPLAY": ":0"}, "linux")
    # The link printed for a wildcard address must be one another device can use.
    assert display_host("0.0.0.0") != "0.0.0.0" and not is_loopback(display_host("0.0.0.0"))
    assert display_host("::1") == "[::1]"


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "70000"], "ongeldige poort"),
    (["--token", "kort"], "minstens 16 tekens"),
    (["--token-file", "/bestaat/niet.txt"], "kan het tokenbestand niet lezen"),
    (["--token", TOKEN, "--token-file", "/x"], "op één manier"),
    (["--no-token", "--host", "0.0.0.0"], "--no-token kan alleen op 127.0.0.1"),
    (["--max-apps", "0"], "--max-apps"),
    (["--host", "bestaat.niet.invalid"], "onbekend adres"),
])
def test_serve_bad_input_is_one_line(argv: list[str], message: str, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "--db", str(tmp_path / "x.db"),
                           "serve", *argv], capture_output=True, text=True, timeout=30,
                          check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr


def test_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "zet_tui", "--db", str(tmp_path / "x.db"),
                               "serve", "--port", str(port)], capture_output=True, text=True,
                              timeout=30, check=False)
    assert proc.returncode == 1
    assert "kan niet luisteren" in proc.stderr and "Traceback" not in proc.stderr


def chromium_missing() -> str | None:
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        return ("Debian's chromium is not installed (scripts/test installs it with apt-get when "
                "run as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def wait_for_drawn(page: Any, timeout: float) -> bytes:
    """Wait until the terminal shows a settled, drawn frame; returns its screenshot.

    `body.-first-byte` only says that bytes arrived (the first ones set up the
    terminal, before any frame), and the terminal then fades in. So: poll the
    screenshot until it is clearly more than an empty box and repeats one of the
    two shots before it (a blinking text cursor alternates between two frames).
    """
    deadline = time.monotonic() + timeout
    recent: list[bytes] = []
    while time.monotonic() < deadline:
        shot: bytes = page.locator("#terminal").screenshot(timeout=10_000)
        if len(shot) > 8_000 and shot in recent:
            return shot
        recent = [*recent[-1:], shot]
        time.sleep(0.5)
    last = len(recent[-1]) if recent else 0
    raise AssertionError(f"timed out after {timeout}s waiting for a drawn frame "
                         f"(last screenshot {last} bytes)")


def case_session(db: Path, code: str) -> Session | None:
    with Store.open(db) as store:
        for case in store.cases():
            if case.code == code:
                sessions = [s for s in store.sessions() if s.case_id == case.id]
                return sessions[0] if sessions else None
    return None


@pytest.mark.slow
@pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
def test_reviewer_follows_the_interview_in_a_browser(served: Served, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{served.url}/?token={TOKEN}", timeout=30_000)
            assert "token" not in page.url  # the token left the address bar
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            # The app in the browser has the interviewer's database file open ...
            wait_until(lambda: bool(served.app_processes()), 30, "the app to open the database")
            # ... while the interviewer keeps working in it from the terminal.
            with Store.open(served.db) as interviewer:
                [session] = interviewer.sessions()
                interviewer.save_answer(session.id, Answer("toegang.wist-waar",
                                                           AnswerStatus.ANSWERED, score=4))
                assert interviewer.answers(session.id)["toegang.wist-waar"].score == 4
            wait_for_drawn(page, 40)  # the start screen, before any key is sent
            # Keys in the browser write to the shared file: a new case and session through
            # the start form (the newest evaluation is preselected, the case list on "new").
            # Keyboard focus without a click: a click would also move the app's focus.
            page.focus("#terminal .xterm-helper-textarea")

            def press(key: str, times: int = 1) -> None:
                # The browser sends keys in one burst; Textual moves the focus only after the
                # focused widget handled the key, so letters right after a Tab could still
                # land in the previous field. Let each focus change settle first.
                for _ in range(times):
                    page.keyboard.press(key)
                    time.sleep(0.5)

            def type_text(text: str) -> None:
                page.keyboard.type(text, delay=30)
                time.sleep(0.3)

            press("Tab", 3)  # open sessions -> evaluation -> case (+ nieuwe casus) -> code
            type_text("C-02")
            press("Tab", 3)  # -> perspective -> questionnaire -> interviewer
            type_text("Bea")
            press("Tab", 2)  # -> co-interviewer -> consent
            press("Space")
            press("Tab")  # -> consent given by
            type_text("inwoner")
            press("Control+s")
            try:
                wait_until(lambda: case_session(served.db, "C-02") is not None, 30,
                           "the new case and session in the database")
            except AssertionError:
                (tmp_path / "screen.png").write_bytes(page.locator("#terminal").screenshot())
                raise
            created = case_session(served.db, "C-02")
            assert created is not None
            assert (created.interviewer, created.consent_given, created.consent_by) == (
                "Bea", True, "inwoner")
            # In the interview, a burst as the browser sends it: F6 (weet niet; ctrl+w would
            # close the tab), words with w, n and digits in them, ctrl+s.
            time.sleep(1.0)
            page.keyboard.press("F6")
            page.keyboard.type("wat weet ik nou, 2 keer", delay=0)
            page.keyboard.press("Control+s")

            def saved() -> Answer | None:
                with Store.open(served.db) as store:
                    return store.answers(created.id).get("toegang.wist-waar")

            wait_until(lambda: saved() is not None, 30, "the answer typed in the browser")
            answer = saved()
            assert answer is not None
            assert (answer.status, answer.toelichting) == (AnswerStatus.WEET_NIET,
                                                           "wat weet ik nou, 2 keer")
            # ctrl+q quits the app: the page shows the session ended and the app lets go
            # of the database.
            page.keyboard.press("Control+q")
            page.wait_for_selector("body.-closed", timeout=30_000)
            wait_until(lambda: not served.app_processes(), 30, "the app to close the database")
            # The browser talked to this server only.
            assert requested
            assert [u for u in requested if not u.startswith(served.url)] == []
        finally:
            browser.close()
