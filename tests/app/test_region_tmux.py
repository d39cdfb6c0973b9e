"""The region screen in a real terminal (tmux): a fast burst of tab keys ends on the last one.

Pilot waits until the app is idle after every key; a person (or tmux) does not. Textual's
tabs also switch to a pane when a widget in it gets focus, a message that arrived after the
later keys of a burst and took the tab back; this drives the real `zet regio app`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from region_support import DemoRegion

pytestmark = pytest.mark.slow


def _screen(name: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True,
                          text=True, check=False).stdout


def _wait(name: str, needle: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = _screen(name)
        if needle in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not on screen after {timeout}s:\n{_screen(name)}")


def test_a_burst_of_tab_keys_ends_on_the_last_tab(demo_region: DemoRegion) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is niet geïnstalleerd")
    zet = Path(sys.executable).parent / "zet"
    name = f"zet-regio-{os.getpid()}"
    command = (f"env TERM=xterm-256color {shlex.quote(str(zet))} regio app --db "
               f"{shlex.quote(str(demo_region.db))} {demo_region.first}")
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                   check=True)
    try:
        _wait(name, "Signaleren")
        for burst, needle in ((["2", "Down", "4", "5", "1"], "Signaleren"),
                              (["1", "5", "Down", "7"], "Samenvatting voor de wethouders"),
                              (["7", "Down", "6", "Down", "5"], "in lijn (beleid")):
            subprocess.run(["tmux", "send-keys", "-t", name, *burst], check=True)  # one burst
            time.sleep(0.5)  # let the burst settle: the bug showed the right tab for a moment
            assert needle in _wait(name, needle), burst
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], check=True)
        deadline = time.monotonic() + 10
        while subprocess.run(["tmux", "has-session", "-t", name], capture_output=True,
                             check=False).returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
