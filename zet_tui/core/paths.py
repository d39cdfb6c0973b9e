"""Where files live by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def default_db_path(*, create_folder: bool = True) -> Path:
    """`$ZET_DB`, else `zet.db` in the user data directory (created 0700 when
    `create_folder`; a command that only reads creates nothing)."""
    env = os.environ.get("ZET_DB", "").strip()
    if env:
        return Path(env).expanduser()
    folder = Path(user_data_dir("zet-tui", appauthor=False))
    if create_folder:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "zet.db"
