"""`zet coverage`: which themes are still open, for a session, a case or an evaluation.

Exit codes are part of the interface, so a script can ask "is this complete?":
0 everything covered, 3 something open, 1 a user mistake (unknown case, ...).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from zet_tui.commands.common import UserError, open_store
from zet_tui.commands.text_table import table_lines
from zet_tui.core.coverage import (
    STATE_LABELS,
    STATE_MARKS,
    CaseCoverage,
    EvaluationCoverage,
    SessionCoverage,
    coverage_for_case,
    coverage_for_evaluation,
    coverage_for_session,
    perspective_label,
)
from zet_tui.core.store import Store

EXIT_COMPLETE = 0
EXIT_OPEN = 3
TITLE_WIDTH = 38
POLL_SECONDS = 0.25

Report = SessionCoverage | CaseCoverage | EvaluationCoverage


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "coverage", parents=[common], help="welke thema's zijn besproken (exit 0 = alles klaar)",
        description="Toon per thema en perspectief of het besproken is: ✔ klaar, ◐ deels, "
                    "✗ open, ⊘ niet besproken. Een thema is klaar als elke zichtbare verplichte "
                    "vraag beantwoord is, of weet niet, n.v.t. of niet besproken met een reden; "
                    "is elke vraag van het thema niet besproken, dan staat het als niet "
                    "besproken (en houdt het niets open). Zonder keuze: "
                    "alle evaluaties. Exit 0 als alles klaar is, 3 als er iets open staat, "
                    "1 bij een fout.")
    p.add_argument("--evaluation", metavar="ID", help="een evaluatie (id, begin van het id of naam)")
    p.add_argument("--case", metavar="CODE", help="een casus (code; met --evaluation als de code "
                                                   "in meerdere evaluaties voorkomt)")
    p.add_argument("--session", metavar="ID", help="een sessie (id of begin van het id)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON voor scripts")
    p.add_argument("--watch", action="store_true",
                   help="blijf verversen terwijl elders wordt geïnterviewd (Ctrl-C stopt)")
    p.add_argument("--interval", metavar="SECONDEN", type=float, default=5.0,
                   help="bij --watch in een terminal: ook zonder wijziging zo vaak "
                        "opnieuw tekenen (standaard 5)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.session and (args.case or args.evaluation):
        raise UserError("geef --session alleen, niet samen met --case of --evaluation")
    if args.interval is not None and not args.interval > 0:
        raise UserError("--interval moet een positief aantal seconden zijn")
    with open_store(args) as store:
        build = _builder(store, args)
        reports = build()  # resolve the references once, so a typo fails before watching
        if not args.watch:
            _emit(reports, args.json, sys.stdout)
            return _exit_code(reports)
        return _watch(store, build, reports, args, sys.stdout)


def _builder(store: Store, args: argparse.Namespace) -> Callable[[], list[Report]]:
    if args.session:
        session_id = store.session(args.session).id
        return lambda: [coverage_for_session(store, session_id)]
    if args.case:
        evaluation_id = store.find_evaluation(args.evaluation).id if args.evaluation else None
        case_id = store.find_case(args.case, evaluation_id).id
        return lambda: [coverage_for_case(store, case_id)]
    if args.evaluation:
        evaluation_id = store.find_evaluation(args.evaluation).id
        return lambda: [coverage_for_evaluation(store, evaluation_id)]
    if not store.evaluations():
        raise UserError("nog geen evaluaties in deze database (zie 'zet evaluations')")
    return lambda: [coverage_for_evaluation(store, ev.id) for ev in store.evaluations()]


def _exit_code(reports: list[Report]) -> int:
    return EXIT_COMPLETE if all(r.complete for r in reports) else EXIT_OPEN


def _emit(reports: list[Report], as_json: bool, out: TextIO, *, one_line: bool = False) -> None:
    if as_json:
        data: Any = reports[0].to_dict() if len(reports) == 1 else {
            "scope": "all", "complete": all(r.complete for r in reports),
            "evaluations": [r.to_dict() for r in reports]}
        out.write(json.dumps(data, ensure_ascii=False, indent=None if one_line else 2))
        out.write("\n")
    else:
        out.write("\n\n".join(render(r) for r in reports))
        out.write("\n")
    out.flush()


def _watch(store: Store, build: Callable[[], list[Report]], reports: list[Report],
           args: argparse.Namespace, out: TextIO) -> int:
    """Redraw when another connection commits (data_version); Ctrl-C stops.

    On a terminal the screen is also redrawn every interval (the clock shows it is
    alive). Into a pipe only changes are written, as JSON lines with --json, so a
    script reading along gets one event per change.
    """
    with contextlib.suppress(ValueError):  # not the main thread: Ctrl-C is the caller's business
        # A shell may start us with SIGINT ignored (background job); Ctrl-C must still stop the watch.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    tty = out.isatty()
    clear = tty and not args.json
    version = store.data_version()
    last_draw = 0.0
    code = _exit_code(reports)
    try:
        while True:
            now = time.monotonic()
            current = store.data_version()
            periodic = tty and now - last_draw >= args.interval
            if current != version or periodic or last_draw == 0.0:
                if current != version:
                    reports = build()
                    version = current
                code = _exit_code(reports)
                if clear:  # our own code, past the filter that shows stored escapes
                    getattr(out, "write_control", out.write)("\x1b[H\x1b[2J")
                elif last_draw and not args.json:
                    out.write("\n")
                _emit(reports, args.json, out, one_line=True)
                if not args.json:
                    stamp = time.strftime("%H:%M:%S")
                    out.write(f"[{stamp}] ververst bij elke wijziging; Ctrl-C stopt\n")
                    out.flush()
                last_draw = now
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        return code


# -- rendering ----------------------------------------------------------------
def mark(state: str, done: int | None = None, total: int | None = None) -> str:
    text = f"{STATE_MARKS[state]} {STATE_LABELS[state]}"
    if total:
        text += f" {done}/{total}"
    return text


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return table_lines(headers, rows, max_widths=[TITLE_WIDTH])


def _summary(counts: dict[str, int], noun: str) -> str:
    total = sum(counts.values()) - counts.get("not_applicable", 0)
    done = counts.get("done", 0)
    parts = [f"{noun}: {done} van {total} klaar"]
    if counts.get("skipped"):
        parts.append(f"{counts['skipped']} niet besproken")
    if counts.get("partly"):
        parts.append(f"{counts['partly']} deels")
    if counts.get("open"):
        parts.append(f"{counts['open']} open")
    if counts.get("no_session"):
        parts.append(f"{counts['no_session']} zonder sessie")
    return ", ".join(parts)


def _verdict(complete: bool) -> str:
    return "Alles besproken." if complete else "Nog niet alles besproken."


def render_session(cov: SessionCoverage) -> str:
    head = (f"Sessie {cov.session_id[:8]} · {perspective_label(cov.perspective)} · {cov.title}"
            f" · {cov.status}")
    rows = [[t.title, mark(t.state, t.done_count, t.total_count)] for t in cov.themes]
    lines = [head, *_table(["Thema", perspective_label(cov.perspective)], rows)]
    lines += ["", _summary(cov.counts(), "Thema's"), _verdict(cov.complete)]
    return "\n".join(lines)


def _case_lines(cov: CaseCoverage) -> list[str]:
    headers = ["Thema", *(perspective_label(p) for p in cov.perspectives)]
    rows = []
    for r in cov.rows:
        rows.append([r.title, *(mark(c.state, c.done, c.total) for c in r.cells)])
    if not rows:
        return ["  (nog geen thema's: start een sessie)"]
    return _table(headers, rows)


def render_case(cov: CaseCoverage) -> str:
    lines = [f"Casus {cov.code}", *_case_lines(cov), "",
             _summary(cov.counts(), "Thema's x perspectieven"), _verdict(cov.complete)]
    return "\n".join(lines)


def render_evaluation(cov: EvaluationCoverage) -> str:
    scope = "gekozen thema's" if cov.chosen_themes is not None else "alle thema's"
    lines = [f"Evaluatie {cov.name} ({cov.evaluation_id[:8]}, {scope})"]
    if not cov.cases:
        lines.append("  nog geen casussen")
    for case in cov.cases:
        lines += ["", f"Casus {case.code}", *_case_lines(case)]
    lines += ["", _summary(cov.counts(), "Thema's x perspectieven"), _verdict(cov.complete)]
    return "\n".join(lines)


def render(report: Report) -> str:
    if isinstance(report, SessionCoverage):
        return render_session(report)
    if isinstance(report, CaseCoverage):
        return render_case(report)
    return render_evaluation(report)
