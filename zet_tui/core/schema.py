"""Schema and migrations of the zet-tui database.

`PRAGMA user_version` holds the schema version. Each migration upgrades from
version N-1 to N and runs in the same transaction as the version bump, so a
crash mid-upgrade leaves the old schema intact. Never edit a released
migration: add a new one (tests/fixtures/schema_v1.db must keep opening).

Every id is a random UUID (hex), never an autoincrement integer: databases of
several interviewer laptops are merged later, and only globally unique ids make
that merge a union instead of a renumbering.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

SQLITE_MAGIC = b"SQLite format 3\x00"


V1 = (
        """
        CREATE TABLE evaluation (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            municipality TEXT NOT NULL DEFAULT '',
            themes TEXT,               -- JSON list of chosen theme ids; NULL = all
            created TEXT NOT NULL
        );
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            evaluation_id TEXT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
            code TEXT NOT NULL,        -- pseudonym, never a real name
            label TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            UNIQUE (evaluation_id, code)
        );
        CREATE TABLE session (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            perspective TEXT NOT NULL,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            snapshot TEXT NOT NULL,    -- JSON of the parsed questionnaire at start
            interviewer TEXT NOT NULL DEFAULT '',
            co_interviewer TEXT NOT NULL DEFAULT '',
            consent_given INTEGER NOT NULL DEFAULT 0,
            consent_by TEXT NOT NULL DEFAULT '',
            consent_at TEXT,
            consent_note TEXT NOT NULL DEFAULT '',
            started TEXT NOT NULL,
            ended TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'afgerond'))
        );
        CREATE INDEX session_case ON session(case_id);
        CREATE TABLE answer (
            session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('answered', 'weet_niet', 'nvt', 'niet_besproken')),
            score INTEGER,
            value TEXT,
            toelichting TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            probes_asked TEXT NOT NULL DEFAULT '[]',
            updated TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (session_id, question_id)
        );
        CREATE TABLE event (
            id TEXT PRIMARY KEY,
            session_id TEXT REFERENCES session(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            question_id TEXT,
            old TEXT,
            new TEXT
        );
        CREATE INDEX event_session ON event(session_id, at);
        CREATE TABLE note (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id TEXT,
            theme_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('note', 'flag')),
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            handled_at TEXT,
            handled_by TEXT
        );
        CREATE INDEX note_session ON note(session_id);
        """
    )


# v2: review sign-off, pseudonymisation terms, feedback meeting and follow-up rounds.
V2 = (
        """
        ALTER TABLE session ADD COLUMN reviewed_by TEXT;
        ALTER TABLE session ADD COLUMN reviewed_at TEXT;
        ALTER TABLE evaluation ADD COLUMN follows_id TEXT REFERENCES evaluation(id)
            ON DELETE SET NULL;
        ALTER TABLE event ADD COLUMN case_id TEXT REFERENCES cases(id) ON DELETE CASCADE;
        ALTER TABLE event ADD COLUMN evaluation_id TEXT
            REFERENCES evaluation(id) ON DELETE CASCADE;
        CREATE INDEX event_case ON event(case_id);
        CREATE TABLE sensitive_term (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            term TEXT NOT NULL,
            replacement TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            UNIQUE (case_id, term)
        );
        CREATE TABLE meeting (
            id TEXT PRIMARY KEY,
            evaluation_id TEXT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
            held_at TEXT NOT NULL,
            attendees TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        );
        CREATE TABLE finding (
            id TEXT PRIMARY KEY,
            evaluation_id TEXT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,          -- low_theme / divergence / analyst
            key TEXT NOT NULL,           -- stable key, e.g. theme id or question key
            text TEXT NOT NULL,
            recognised TEXT CHECK (recognised IN ('ja', 'deels', 'nee')),
            explanation TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            UNIQUE (evaluation_id, kind, key)
        );
        CREATE TABLE improvement (
            id TEXT PRIMARY KEY,
            evaluation_id TEXT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            themes TEXT NOT NULL DEFAULT '[]',
            findings TEXT NOT NULL DEFAULT '[]',
            owner TEXT NOT NULL DEFAULT '',
            due TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'in_uitvoering', 'gereed')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        """
)

# v3: the audit log is append-only, enforced by the database. Only a purge may delete or
# rewrite events: it puts the case's id in `erasure` for the length of its transaction, and it
# can only take it out again after its `case_purged` tombstone is written. A plain
# `UPDATE event` or `DELETE FROM event` (also through a cascade) is refused.
V3_AUDIT_LOG = (
        """
        CREATE TABLE erasure (
            case_id TEXT PRIMARY KEY    -- a row only while a purge transaction runs
        );
        CREATE TRIGGER event_no_update BEFORE UPDATE ON event
        WHEN NOT EXISTS (SELECT 1 FROM erasure)
        BEGIN
            SELECT RAISE(ABORT, 'het auditlog kan alleen worden aangevuld, niet gewijzigd');
        END;
        CREATE TRIGGER event_no_delete BEFORE DELETE ON event
        WHEN NOT EXISTS (SELECT 1 FROM erasure)
        BEGIN
            SELECT RAISE(ABORT, 'het auditlog kan alleen worden aangevuld, niet gewist');
        END;
        CREATE TRIGGER erasure_needs_tombstone BEFORE DELETE ON erasure
        WHEN NOT EXISTS (SELECT 1 FROM event WHERE kind = 'case_purged'
                         AND json_extract(new, '$.case') = OLD.case_id)
        BEGIN
            SELECT RAISE(ABORT, 'een gewiste casus heeft een case_purged-regel nodig');
        END;
        """
)

# v4: one writer per session (a lease with a heartbeat and the interviewer's position,
#     see core/lease.py), and who wrote a note: the interviewer or the reviewer. Notes
#     written before v4 by the session's interviewer (by name) were the interviewer's own.
V4_LEASE_AND_NOTE_ROLE = (
        """
        CREATE TABLE session_lease (
            session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            holder TEXT NOT NULL,      -- random id of the app instance that writes
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            interviewer TEXT NOT NULL DEFAULT '',
            acquired TEXT NOT NULL,
            heartbeat TEXT NOT NULL,   -- renewed every few seconds; stale = free
            question_id TEXT,          -- where the interviewer is, for the reviewer
            theme_id TEXT
        );
        ALTER TABLE note ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer';
        UPDATE note SET role = 'interviewer'
            WHERE kind = 'note' AND author <> ''
            AND author = (SELECT s.interviewer FROM session s WHERE s.id = note.session_id);
        """
)

# v5: the analyst's workbench: codings and quotes on toelichtingen, manual divergences,
# case summaries, case attributes and recommendations on findings.
V5_ANALYST = (
        """
        CREATE TABLE coding (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            code_id TEXT NOT NULL,
            polarity TEXT NOT NULL CHECK (polarity IN ('knelpunt', 'succesfactor', 'neutraal')),
            start_pos INTEGER,         -- code points into the toelichting; NULL = whole answer
            end_pos INTEGER,
            fragment TEXT NOT NULL DEFAULT '',   -- the coded text as it read when coded
            memo TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX coding_session ON coding(session_id, question_id);
        CREATE TABLE quote (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            start_pos INTEGER NOT NULL,
            end_pos INTEGER NOT NULL,
            fragment TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX quote_session ON quote(session_id, question_id);
        CREATE TABLE manual_divergence (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            theme_id TEXT NOT NULL,
            perspective_a TEXT NOT NULL,
            perspective_b TEXT NOT NULL,
            question_key TEXT,         -- NULL: the theme as a whole
            note TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX manual_divergence_case ON manual_divergence(case_id);
        CREATE TABLE case_summary (
            case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            hulpvraag TEXT NOT NULL DEFAULT '',
            knelpunten TEXT NOT NULL DEFAULT '',
            succesfactoren TEXT NOT NULL DEFAULT '',
            totaalbeeld TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE case_attribute (
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (case_id, name)
        );
        CREATE TABLE recommendation (
            evaluation_id TEXT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
            finding_key TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            PRIMARY KEY (evaluation_id, finding_key)
        );
        """
)

# v6: drafts, the unsaved state of a question on the interviewer's screen (never an answer;
# `zet merge` leaves them out: they stay on the laptop where they were typed).
V6_DRAFTS = (
        """
        CREATE TABLE draft (
            session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            status TEXT CHECK (status IS NULL OR status IN ('weet_niet', 'nvt')),
            score INTEGER,
            value TEXT NOT NULL DEFAULT '',
            toelichting TEXT NOT NULL DEFAULT '',
            probes_asked TEXT NOT NULL DEFAULT '[]',
            updated TEXT NOT NULL,
            PRIMARY KEY (session_id, question_id)
        );
        """
)

MIGRATIONS: list[str] = [V1, V2, V3_AUDIT_LOG, V4_LEASE_AND_NOTE_ROLE, V5_ANALYST, V6_DRAFTS]
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> Iterator[str]:
    """Split a migration script into single statements.

    `executescript` would commit on its own; running statements one by one
    keeps a migration and its version bump in one transaction.
    """
    buf: list[str] = []
    for line in script.splitlines():
        buf.append(line)
        chunk = "\n".join(buf)
        if sqlite3.complete_statement(chunk):
            if chunk.strip():
                yield chunk.strip()
            buf = []
    if "\n".join(buf).strip():
        yield "\n".join(buf).strip()
