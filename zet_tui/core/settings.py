"""Choices remembered between runs: the interviewers' names and the colour scheme.

A small JSON file in the user's configuration folder (`$ZET_SETTINGS` overrides
the path), owner-only like everything zet-tui writes. It belongs to the person at
this computer, not to an evaluation, so it is never in the database (and never in
a merge or an export). A missing file is the normal first run; an unreadable or
damaged one gives one message and the defaults, never a crash, and is replaced
the next time a choice is saved.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_config_dir

FILE_NAME = "instellingen.json"


@dataclass
class Settings:
    interviewer: str = ""
    co_interviewer: str = ""
    reviewer: str = ""
    theme: str = ""  # a Textual theme name, e.g. textual-light or textual-dark


def settings_path() -> Path:
    env = os.environ.get("ZET_SETTINGS", "").strip()
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir("zet-tui", appauthor=False)) / FILE_NAME


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """The remembered choices, and '' or a Dutch message why they could not be read."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), ""
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), f"{path}: instellingen niet leesbaar ({_reason(exc)}); standaardwaarden gebruikt"
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return Settings(), (f"{path}:{getattr(exc, 'lineno', 1)}: instellingen beschadigd (geen "
                            "geldige JSON); standaardwaarden gebruikt")
    if not isinstance(data, dict):
        return Settings(), f"{path}: instellingen beschadigd (geen object); standaardwaarden gebruikt"
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known and isinstance(v, str)}), ""


def save_settings(settings: Settings, path: Path | None = None) -> str:
    """Write the choices atomically (0600, folder 0700); '' or a Dutch message."""
    path = path or settings_path()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(settings), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return f"{path}: instellingen niet opgeslagen ({_reason(exc)})"
    return ""


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


__all__ = ["Settings", "load_settings", "save_settings", "settings_path"]
