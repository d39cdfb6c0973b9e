"""Where files live by default."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_data_dir

QUESTIONNAIRES_ENV = "ZET_QUESTIONNAIRES"


def data_dir(*, create: bool = True) -> Path:
    """zet-tui's folder in the user data directory (created 0700 when `create`)."""
    folder = Path(user_data_dir("zet-tui", appauthor=False))
    if create:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def default_db_path(*, create_folder: bool = True) -> Path:
    """`$ZET_DB`, else `zet.db` in the user data directory (created 0700 when
    `create_folder`; a command that only reads creates nothing)."""
    env = os.environ.get("ZET_DB", "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir(create=create_folder) / "zet.db"


def questionnaire_paths(explicit: Sequence[Path] | None = None) -> list[Path] | None:
    """Folders or files with questionnaires: `--questionnaires`, else `$ZET_QUESTIONNAIRES`
    (several separated by the system's path separator, like PATH), else None, which means
    the questionnaires shipped with zet-tui.

    One rule for every command, so `zet demo`, `zet questionnaires check` and the app
    never disagree about which questionnaires an evaluator is working with.
    """
    if explicit:
        return [Path(p).expanduser() for p in explicit]
    raw = os.environ.get(QUESTIONNAIRES_ENV, "").strip()
    if not raw:
        return None
    return [Path(p.strip()).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def crash_log_path() -> Path:
    """Where the app writes the technical details of its last unexpected error."""
    return data_dir() / "crash.log"
