"""A tmux session running the real `zet` command: send keys or raw bytes, read the screen."""

from __future__ import annotations

import shlex
import subprocess
import time


class Pane:
    def __init__(self, name: str, command: str = "") -> None:
        self.name = name
        self.command = command

    def start(self, *, keep: bool = False) -> None:
        """Run `command` in a new 100x30 session; `keep`: the pane stays after the app ends
        (with ZET-EXIT=<code>), so what it printed can be read."""
        command = (f"sh -c {shlex.quote(self.command + '; echo ZET-EXIT=$?; sleep 60')}"
                   if keep else self.command)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30",
                        command], check=True)

    def text(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if needle in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not on screen after {timeout}s:\n{self.text()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        """tmux key names (or literal text), one at a time with a short gap."""
        for key in keys:
            args = ["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), key]
            subprocess.run(args, check=True)
            time.sleep(0.15)

    def type(self, text: str, spacing: float = 0.0) -> None:
        """Bytes into the terminal: all in one write (0 s) or one by one, `spacing` apart."""
        data = text.encode()
        chunks = [data] if spacing == 0 else [bytes([b]) for b in data]
        for i, chunk in enumerate(chunks):
            if i and spacing:
                time.sleep(spacing)
            subprocess.run(["tmux", "send-keys", "-t", self.name, "-H",
                            *(f"{b:02x}" for b in chunk)], check=True)

    def app_pid(self) -> int:
        """The process the kept pane's shell runs (see `start(keep=True)`)."""
        shell = subprocess.run(["tmux", "display-message", "-p", "-t", self.name,
                                "#{pane_pid}"], capture_output=True, text=True,
                               check=True).stdout.strip()
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", shell], capture_output=True,
                             text=True, check=False).stdout.split()
        assert out, "nothing runs in the pane"
        return int(out[0])

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True, check=False).returncode == 0

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True,
                       check=False)
