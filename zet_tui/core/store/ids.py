"""Ids and timestamps; one module so tests can make both deterministic in one place."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return uuid.uuid4().hex

