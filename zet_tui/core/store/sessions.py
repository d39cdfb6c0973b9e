"""Sessions: a case seen from one perspective, on a snapshot of its questionnaire."""

from __future__ import annotations

import json
from typing import Any

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import ids
from zet_tui.core.store.errors import ConsentRequired, StoreError
from zet_tui.core.store.evaluations import EvaluationStore
from zet_tui.core.store.models import Session, SessionSummary, _session

CONSENT_PERSPECTIVES = ("inwoner", "professional", "dossier")


def consent_subject(perspective: str) -> str | None:
    """What a session of this perspective needs consent for, in the forms' words ("zonder
    toestemming voor ..."); None: no consent needed (a checklist, a policy session)."""
    if perspective not in CONSENT_PERSPECTIVES:
        return None
    return "het dossier te lezen" if perspective == "dossier" else "het interview"

class SessionStore(EvaluationStore):
    # -- sessions ---------------------------------------------------------------
    def start_session(
        self, case_id: str, questionnaire: Questionnaire, *, interviewer: str = "",
        co_interviewer: str = "", consent_given: bool = False, consent_by: str = "",
        consent_note: str = "", actor: str = "",
    ) -> Session:
        """Start a session on a snapshot of `questionnaire`, limited to the evaluation's themes.

        Interviews and dossier reviews need recorded consent first (the
        checklist self-assessment, perspective 'other', does not).
        """
        case = self.case(case_id)
        if case is None:
            raise StoreError(f"casus '{case_id}' bestaat niet")
        if questionnaire.perspective in CONSENT_PERSPECTIVES and not (
            consent_given and consent_by.strip()
        ):
            raise ConsentRequired(
                "zonder vastgelegde toestemming (door wie) kan deze sessie niet starten")
        evaluation = self.evaluation(case.evaluation_id)
        assert evaluation is not None
        snapshot = questionnaire.restricted_to(evaluation.themes)
        if not snapshot.themes:
            raise StoreError("geen van de gekozen thema's van deze evaluatie staat in "
                             f"vragenlijst '{questionnaire.id}'")
        stamp = ids.now()
        session = Session(
            id=ids.new_id(), case_id=case_id, perspective=questionnaire.perspective,
            questionnaire=snapshot, interviewer=interviewer.strip(),
            co_interviewer=co_interviewer.strip(), consent_given=consent_given,
            consent_by=consent_by.strip(), consent_at=stamp if consent_given else None,
            consent_note=consent_note.strip(), started=stamp, ended=None, status="open",
        )
        with self.write() as c:
            c.execute(
                "INSERT INTO session (id, case_id, perspective, questionnaire_id,"
                " questionnaire_version, snapshot, interviewer, co_interviewer, consent_given,"
                " consent_by, consent_at, consent_note, started, status)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'open')",
                (session.id, case_id, session.perspective, snapshot.id, snapshot.version,
                 json.dumps(snapshot.to_dict(), ensure_ascii=False), session.interviewer,
                 session.co_interviewer, int(consent_given), session.consent_by,
                 session.consent_at, session.consent_note, stamp),
            )
            self._event(kind="session_started", actor=actor, session_id=session.id,
                        case_id=case_id,
                        new={"questionnaire": snapshot.id, "version": snapshot.version,
                             "consent_by": session.consent_by})
        return session

    def session(self, session_id: str) -> Session:
        return _session(self._by_id("session", session_id, "sessie", "sessies"))

    def sessions(self, *, case_id: str | None = None, evaluation_id: str | None = None,
                 status: str | None = None) -> list[Session]:
        sql = "SELECT s.* FROM session s JOIN cases c ON c.id = s.case_id WHERE 1=1"
        params: list[Any] = []
        if case_id:
            sql += " AND s.case_id = ?"
            params.append(case_id)
        if evaluation_id:
            sql += " AND c.evaluation_id = ?"
            params.append(evaluation_id)
        if status:
            sql += " AND s.status = ?"
            params.append(status)
        sql += " ORDER BY c.code, CASE s.perspective WHEN 'inwoner' THEN 0" \
               " WHEN 'professional' THEN 1 WHEN 'dossier' THEN 2 ELSE 3 END, s.started"
        # Sessions share a handful of snapshots: parse each distinct one once (an export of
        # a thousand sessions would otherwise spend more time parsing than reading answers).
        parsed: dict[str, Questionnaire] = {}
        return [_session(r, parsed) for r in self._rows(sql, params)]

    def session_ids(self, evaluation_id: str) -> set[str]:
        """The ids of an evaluation's sessions, without parsing their snapshots."""
        return {r["id"] for r in self._rows(
            "SELECT s.id FROM session s JOIN cases c ON c.id = s.case_id WHERE c.evaluation_id = ?",
            [evaluation_id])}

    def session_summaries(self, status: str | None = None) -> list[SessionSummary]:
        """One row per session for pick lists. A damaged session (unreadable questionnaire or
        answers, a BLOB for a name) is listed with `damaged` set instead of failing the list:
        one bad session never hides the others."""
        sql = (
            "SELECT s.id, s.perspective, s.interviewer, s.started, s.status,"
            " CASE WHEN typeof(s.snapshot) = 'text' AND json_valid(s.snapshot)"
            "  THEN json_extract(s.snapshot, '$.title') END AS title,"
            " typeof(s.snapshot) = 'text' AND json_valid(s.snapshot) AS snapshot_ok,"
            " c.code, e.id AS eid, e.name AS ename,"
            " (SELECT count(*) FROM answer a WHERE a.session_id = s.id) AS n,"
            " (SELECT count(*) FROM answer a WHERE a.session_id = s.id AND ("
            "  a.status NOT IN ('answered', 'weet_niet', 'nvt', 'niet_besproken')"
            "  OR NOT json_valid(coalesce(a.probes_asked, '[]'))"
            "  OR 'blob' IN (typeof(a.question_id), typeof(a.value), typeof(a.toelichting),"
            "   typeof(a.reason), typeof(a.probes_asked)))) AS bad_answers"
            " FROM session s JOIN cases c ON c.id = s.case_id"
            " JOIN evaluation e ON e.id = c.evaluation_id"
        )
        params: list[Any] = []
        if status:
            sql += " WHERE s.status = ?"
            params.append(status)
        sql += " ORDER BY s.started DESC"
        return [_summary(r) for r in self._rows(sql, params, text_only=False)]

    def finish_session(self, session_id: str, *, actor: str = "") -> str:
        stamp = ids.now()
        with self.write() as c:
            old = c.execute("SELECT status, ended FROM session WHERE id = ?",
                            [session_id]).fetchone()
            if old is None:
                raise StoreError(f"sessie '{session_id}' niet gevonden")
            c.execute("UPDATE session SET status = 'afgerond', ended = ? WHERE id = ?",
                      (stamp, session_id))
            # A finished session has no unsaved work left: its drafts go with the finish.
            c.execute("DELETE FROM draft WHERE session_id = ?", (session_id,))
            self._event(kind="session_finished", actor=actor, session_id=session_id,
                        old={"status": old[0], "ended": old[1]},
                        new={"status": "afgerond", "ended": stamp})
        return stamp

    def reopen_session(self, session_id: str, *, actor: str = "") -> None:
        with self.write() as c:
            c.execute("UPDATE session SET status = 'open' WHERE id = ?", (session_id,))
            self._event(kind="session_reopened", actor=actor, session_id=session_id,
                        new={"status": "open"})

    def mark_reviewed(self, session_id: str, reviewer: str) -> str:
        reviewer = reviewer.strip()
        if not reviewer:
            raise StoreError("vul de naam van de reviewer in")
        stamp = ids.now()
        with self.write() as c:
            c.execute("UPDATE session SET reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                      (reviewer, stamp, session_id))
            self._event(kind="session_reviewed", actor=reviewer, session_id=session_id,
                        new={"reviewed_by": reviewer, "reviewed_at": stamp})
        return stamp


def _summary(r: dict[str, Any]) -> SessionSummary:
    texts = ("id", "eid", "ename", "code", "perspective", "title", "interviewer", "started",
             "status")
    problems = [name for name in texts if r[name] is not None and not isinstance(r[name], str)]
    if not r["snapshot_ok"]:
        problems.append("vragenlijst")
    if r["bad_answers"]:
        problems.append(f"{r['bad_answers']} antwoord(en)")

    def text(name: str) -> str:
        value = r[name]
        return value if isinstance(value, str) else "?"

    return SessionSummary(text("id"), text("eid"), text("ename"), text("code"),
                          text("perspective"), text("title"), text("interviewer"),
                          text("started"), text("status"), r["n"],
                          damaged=", ".join(problems))
