"""Half of an export in a forked child process: two processes write the files at once.

A whole-evaluation export is pure Python formatting of data that is already in
memory (and, on a busy disk, creating ~1,500 files), so on a laptop with two
cores a copy of the process made by `fork` halves the wait without reading
anything twice. Each process starts with its own share (`runner.write_export`
says which) and then takes the next job free from a `JobQueue`, so neither waits
for the other whatever the disk or the other programs do. The child only formats
and writes files into the export's work folder; it never touches the database
connection it inherited, and it leaves with `os._exit`, so nothing of the parent
(SQLite, open files) is finalised twice.

Forking is only safe in a process with a single thread, so the app (which
exports in a worker thread) and platforms without `fork` write sequentially;
`ZET_EXPORT_SEQUENTIAL=1` forces that too.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

_DONE, _OS_ERROR, _OTHER_ERROR = b"=", b"!", b"?"


def can_fork() -> bool:
    return (hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and not os.environ.get("ZET_EXPORT_SEQUENTIAL"))


class JobQueue:
    """Job numbers that this process and a forked child take in turn, each the next one free.

    A pipe, filled and closed for writing before the fork: reading two bytes from a pipe
    is atomic, so no job is taken twice, and both processes read end of file when all are
    taken. At most `MAX_JOBS`: two bytes each fill at most one page, the least a pipe holds,
    so filling it never blocks."""

    MAX_JOBS = 2048

    def __init__(self, jobs: int) -> None:
        if not 0 <= jobs <= self.MAX_JOBS:
            raise ValueError(f"{jobs} jobs: at most {self.MAX_JOBS}")
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, b"".join(i.to_bytes(2, "little") for i in range(jobs)))
        finally:
            os.close(write_end)
        self.fd = read_end

    def take(self) -> int | None:
        """The next job, or None when all are taken."""
        token = os.read(self.fd, 2)
        return int.from_bytes(token, "little") if token else None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class ChildFailed(Exception):
    """The child stopped without finishing (an unexpected error, or it was killed)."""


class Forked:
    """Runs `work(tick)` in a forked child; `tick()` reports one written file.

    The parent asks `new_ticks()` (never blocks) while doing its own half, then
    `finish()` for the child's result: what `work` returned (JSON), or the
    child's OSError raised again here.
    """

    def __init__(self, work: Callable[[Callable[[], None]], Any]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            os._exit(self._child(work, write_end))
        os.close(write_end)
        os.set_blocking(read_end, False)
        self.pid: int | None = pid
        self.fd = read_end
        self.buffer = b""
        self.ticks_seen = 0

    @staticmethod
    def _child(work: Callable[[Callable[[], None]], Any], out: int) -> int:
        def tick() -> None:
            os.write(out, b".")

        code = 0
        try:
            payload = _DONE + json.dumps(work(tick)).encode()
        except OSError as exc:
            code = 1
            payload = _OS_ERROR + json.dumps([exc.errno, exc.strerror or str(exc)]).encode()
        except BaseException as exc:  # reported to the parent, which decides
            code = 1
            payload = _OTHER_ERROR + f"{type(exc).__name__}: {exc}".encode()
        with contextlib.suppress(OSError):
            view = memoryview(payload)
            while view:
                view = view[os.write(out, view):]
        return code

    def _read(self, *, block: bool) -> bool:
        """Read what the child wrote; False at end of file."""
        os.set_blocking(self.fd, block)
        try:
            chunk = os.read(self.fd, 65536)
        except BlockingIOError:
            return True
        self.buffer += chunk
        return bool(chunk)

    def _ticks(self) -> int:
        end = len(self.buffer) - len(self.buffer.lstrip(b"."))
        return end

    def new_ticks(self) -> int:
        """Files the child finished since the last call."""
        self._read(block=False)
        ticks = self._ticks()
        new, self.ticks_seen = ticks - self.ticks_seen, ticks
        return new

    def finish(self) -> tuple[int, Any]:
        """Wait for the child: (files not yet reported, its result)."""
        while self._read(block=True):
            pass
        os.close(self.fd)
        assert self.pid is not None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        ticks = self._ticks()
        new, self.ticks_seen = ticks - self.ticks_seen, ticks
        marker, body = self.buffer[ticks:ticks + 1], self.buffer[ticks + 1:]
        if marker == _DONE and os.waitstatus_to_exitcode(status) == 0:
            return new, json.loads(body)
        if marker == _OS_ERROR:
            errno, strerror = json.loads(body)
            raise OSError(errno, strerror)
        detail = body.decode(errors="replace") if marker == _OTHER_ERROR else (
            f"afgebroken (status {os.waitstatus_to_exitcode(status)})")
        raise ChildFailed(f"het tweede exportproces: {detail}")

    def stop(self) -> None:
        """Kill and reap the child if it still runs (the parent failed or was interrupted)."""
        if self.pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.pid = None
