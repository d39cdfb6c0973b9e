"""One writer per session: a lease with a heartbeat, kept by the interview app.

Two interview apps on one session would silently overwrite each other's
answers. The app that opens a session first holds its lease; a second one
opens read-only (and follows the live answers). A lease is renewed every
`HEARTBEAT_SECONDS`; it can be taken over when

- it is stale: no heartbeat for `STALE_SECONDS` (a killed or hung process,
  another computer that went away), or
- its process is gone: same computer, and no process with its pid exists
  (a killed app is taken over at once, without waiting).

The heartbeat also carries where the interviewer is (question and theme), so
the reviewer's process knows which theme a new note is most likely about.

The lease is advisory for readers and strict for answers: `save_answer` with a
holder refuses when another app holds the lease (see `store.leases`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

#: How often the holder renews its lease (and reports its position at the latest).
HEARTBEAT_SECONDS = 3.0
#: A lease without a heartbeat for this long no longer locks anyone out.
STALE_SECONDS = 15.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lease:
    """Who writes a session now, and where that interviewer is."""

    session_id: str
    holder: str  # a random id per app instance
    pid: int
    host: str
    interviewer: str
    acquired: str
    heartbeat: str
    question_id: str | None = None
    theme_id: str | None = None

    def age(self, now: datetime | None = None) -> float:
        """Seconds since the last heartbeat (a damaged stamp counts as very old)."""
        try:
            beat = datetime.fromisoformat(self.heartbeat)
        except ValueError:
            return float("inf")
        return ((now or datetime.now(UTC)) - beat).total_seconds()

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.age(now) > STALE_SECONDS

    @property
    def on_this_computer(self) -> bool:
        return self.host == this_host()

    def process_gone(self) -> bool:
        """True only when we can tell for sure: same computer, no such process."""
        return self.on_this_computer and not pid_alive(self.pid)

    def is_free(self, now: datetime | None = None) -> bool:
        """Whether another app may take this lease over now."""
        return self.process_gone() or self.is_stale(now)


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (signal 0 only checks, it sends nothing)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it belongs to someone else
    except OSError:
        return True  # cannot tell: never take over on a guess
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process stays in the process table until its parent reaps it (a terminal's
    shell may take a moment): it exists for signal 0 but will never write again."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False  # no /proc (macOS) or already gone: signal 0 decided
    state = stat[stat.rfind(b")") + 2:][:1]
    return state in (b"Z", b"X")


def describe(lease: Lease, now: datetime | None = None) -> str:
    """The holder in one Dutch phrase, for the read-only banner and messages."""
    who = lease.interviewer or "een andere interviewer"
    where = "op deze computer" if lease.on_this_computer else f"op computer {lease.host}"
    try:
        since = datetime.fromisoformat(lease.acquired).astimezone().strftime("%H:%M")
    except ValueError:
        since = "?"
    return f"{who} ({where}, proces {lease.pid}, sinds {since})"


class LeaseKeeper:
    """Renews one lease in a thread of its own, on a connection of its own.

    The heartbeat must never wait on the screen (a busy file, a slow disk) and
    the screen never on the heartbeat. `set_position` is called from the UI
    thread; the thread writes it at once, so the reviewer sees a new theme
    within a second. When the lease turns out to be someone else's, `on_lost`
    is called (from the keeper's thread) with that lease, and the keeper stops.
    """

    def __init__(self, db_path: Path, session_id: str, holder: str, *,
                 on_lost: Callable[[Lease | None], object],
                 interval: float = HEARTBEAT_SECONDS,
                 position: tuple[str | None, str | None] = (None, None)) -> None:
        self.db_path = db_path
        self.session_id = session_id
        self.holder = holder
        self.on_lost = on_lost
        self.interval = interval
        #: Where the interviewer is; the claim wrote the first one, so no write at start-up.
        self._position = position
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{session_id[:8]}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set_position(self, question_id: str | None, theme_id: str | None) -> None:
        position = (question_id, theme_id)
        if position != self._position:
            self._position = position  # one tuple: read whole by the thread
            self._wake.set()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        from zet_tui.core.store import Store

        store: Store | None = None
        try:
            while not self._stop.is_set():
                self._wake.wait(self.interval)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    if store is None:
                        store = Store.open(self.db_path, create=False, migrate=False)
                    position = self._position
                    other = store.renew_lease(self.session_id, self.holder,
                                              question_id=position[0], theme_id=position[1])
                except Exception as exc:  # a busy or vanished file: try again next beat
                    log.debug("heartbeat failed: %s", exc)
                    if store is not None:
                        store.close()
                        store = None
                    continue
                if other is not None:
                    self.on_lost(other)
                    return
        finally:
            if store is not None:
                with contextlib.suppress(Exception):
                    store.close()


__all__ = ["HEARTBEAT_SECONDS", "STALE_SECONDS", "Lease", "LeaseKeeper", "describe", "pid_alive",
           "this_host"]
