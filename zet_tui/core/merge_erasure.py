"""Erasure travels with `zet merge`.

A laptop that erased a case (`zet purge`) holds only its tombstone, a
`case_purged` event with the case's random id. Merging that file erases the
case in the target too, the same way `zet purge` does (rows, texts that name the
case, then a rewrite of the file), and says so. The other way round, a file that
still holds data of a case erased in the target is not merged for that case: the
merge names the case and fails with its own exit code, so nobody mistakes the
erased data for merged data and the source can be purged as well.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from zet_tui.core.store import Store, StoreError
from zet_tui.core.store.erasure import CASE_MENTIONS, Scrubber, tombstone_case

MENTION_TABLES = frozenset(table for table, _, _ in CASE_MENTIONS)


@dataclass(frozen=True)
class Erased:
    case_id: str
    message: str


@dataclass(frozen=True)
class Refusal:
    case_id: str
    evaluation_id: str
    scrubber: Scrubber
    message: str


def apply_tombstones(source: Store, target: Store, source_path: Path, *,
                     actor: str = "") -> list[Erased]:
    """Erase in `target` every case `source` has a tombstone for, inside the target's open
    write transaction (the caller rewrites the file after the commit)."""
    erased = []
    for event in source.tombstone_events():
        case_id = tombstone_case(event)
        case = target.case(case_id) if case_id else None
        if case is None:
            continue  # never here, or erased here already: the tombstone itself is merged
        counts = target.erase_case(case, actor=actor, tombstone=event)
        erased.append(Erased(case.id, (
            f"casus '{case.code}' ({case.id[:8]}) gewist met {counts['session']} sessie(s) en "
            f"{counts['answer']} antwoord(en), zoals in {source_path} met zet purge")))
    return erased


def refuse_erased_cases(source: Store, target: Store, source_path: Path) -> list[Refusal]:
    """The source's cases that were erased in the target, each with a message naming it."""
    erased = target.tombstones()
    refused = []
    for case in source.cases():
        if case.id not in erased:
            continue
        sessions, answers = source.case_size(case.id)
        command = shlex.join(["zet", "purge", "--db", str(source_path), "--case", case.code])
        refused.append(Refusal(case.id, case.evaluation_id, source.scrubber(case), (
            f"casus '{case.code}' ({case.id[:8]}) is in het doel gewist (zet purge), maar "
            f"{source_path} bevat er nog {sessions} sessie(s) en {answers} antwoord(en) van: "
            f"die zijn geweigerd. Wis de casus ook daar: {command}")))
    return refused


def rewrite_after_erasure(target: Store) -> list[str]:
    """VACUUM and truncate the -wal after a committed erasure, as `zet purge` does;
    returns a warning when that could not be completed."""
    try:
        if target.vacuum():
            return []
    except StoreError as exc:
        return [f"het bestand kon niet worden herschreven ({exc}); draai 'zet purge' opnieuw "
                "of sluit andere zet-vensters en voeg opnieuw samen"]
    return [f"een ander programma had de database open; oude gegevens kunnen in "
            f"{target.path.name}-wal blijven staan tot alle zet-vensters gesloten zijn"]
