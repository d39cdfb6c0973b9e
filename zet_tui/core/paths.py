"""Where files live by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def default_db_path() -> Path:
    """`$ZET_DB`, else `zet.db` in the user data directory (created 0700)."""
    env = os.environ.get("ZET_DB", "").strip()
    if env:
        return Path(env).expanduser()
    folder = Path(user_data_dir("zet-tui", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "zet.db"


def env_questionnaire_paths() -> list[Path] | None:
    """The folders or files of `$ZET_QUESTIONNAIRES` (separated like PATH), or None."""
    raw = os.environ.get("ZET_QUESTIONNAIRES", "").strip()
    if not raw:
        return None
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
