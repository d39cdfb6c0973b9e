"""Where files live by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """zet-tui's folder in the user data directory (created 0700)."""
    folder = Path(user_data_dir("zet-tui", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def default_db_path() -> Path:
    """`$ZET_DB`, else `zet.db` in the user data directory (created 0700)."""
    env = os.environ.get("ZET_DB", "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir() / "zet.db"


def crash_log_path() -> Path:
    """Where the app writes the technical details of its last unexpected error."""
    return data_dir() / "crash.log"
