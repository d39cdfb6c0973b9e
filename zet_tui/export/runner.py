"""Select what to export, write every file, report progress; never overwrite anything.

Layout of one export folder::

    <evaluation>/                 (or <evaluation>-<case>, <evaluation>-<case>-<perspective>-<id>)
      index.md                    links to everything below
      evaluatierapport.md         (whole evaluation only)
      analyseschema-<case>.md     (evaluation or case)
      antwoorden.csv  antwoorden.xlsx  export.json
      transcripten/<case>-<perspective>-<session id>.md

      .zet-export.json            which cases (hashed ids) it holds, for `zet purge`

Flat on purpose: the case is in every file name, and creating hundreds of
case folders cost more than writing all the files in them (ext4, measured).
Two case codes with the same file name ("K-01" and "k.01", two emoji) get a
short id suffix each.

Everything is written into a hidden work folder next to the final one and
renamed into place when complete (`export/folders.py`); the final name is the
first free one of `<name>`, `<name>-2`, ..., and every file is created with
`O_EXCL`, so an earlier export is never overwritten, not even by a concurrent
one. Folders are 0700 and files 0600: exports hold data about vulnerable
people. A failed export removes its work folder; a killed one leaves it, and
the next export into the same folder removes it.

No file carries control characters or terminal escape sequences (a merged
database can hold `ESC[2J` or OSC 52 in a toelichting; a reader's `cat` or
spreadsheet must not obey them): every value is passed through
`zet_tui.core.safe_text.export_safe` where a format turns it into file content:
`FolderWriter.text` (each Markdown file as a whole), `tables.csv_text` (each CSV
cell), `xlsx._text` (each XLSX string) and `tables.write_json` (the JSON tree).
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from slugify import slugify

from zet_tui.core.safe_text import export_safe
from zet_tui.core.store import Case, Evaluation, Session, Store
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export import markdown, tables
from zet_tui.export import report as evaluation_report
from zet_tui.export.data import ExportData, group_by_evaluation, load
from zet_tui.export.folders import ExportError as ExportError  # re-exported for callers
from zet_tui.export.folders import (
    prepare_root,
    publish,
    unique_names,
    work_folder,
    write_manifest,
)
from zet_tui.export.parallel import ChildFailed, Forked, JobQueue, can_fork
from zet_tui.export.safe_md import heading, inline

FORMATS = ("md", "csv", "xlsx", "json")
DEFAULT_ROOT = Path("exports")
Progress = Callable[[int, int, str], None]


@dataclass
class Selection:
    scope: str  # evaluation / case / session
    evaluation: Evaluation
    sessions: list[Session]
    case: Case | None = None
    session: Session | None = None


@dataclass
class ExportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    answers: int = 0


def slug(text: str, fallback: str = "export") -> str:
    return slugify(text, max_length=60, word_boundary=True) or fallback


def parse_formats(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    if raw is None:
        return FORMATS
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    wanted = [p.strip().lower() for p in parts if p.strip()]
    unknown = [p for p in wanted if p not in FORMATS]
    if unknown or not wanted:
        raise ExportError(f"onbekend formaat '{', '.join(unknown) or raw}'; kies uit "
                          f"{', '.join(FORMATS)}")
    return tuple(dict.fromkeys(wanted))


def select(store: Store, *, evaluation: str | None = None, case: str | None = None,
           session: str | None = None) -> Selection:
    """Resolve the CLI's --evaluation / --case / --session to sessions."""
    if session:
        s = store.session(session)
        c = store.case(s.case_id)
        ev = store.evaluation(c.evaluation_id) if c else None
        if c is None or ev is None:
            raise ExportError(f"sessie '{session}' hoort bij geen casus")
        return Selection("session", ev, [s], c, s)
    ev_obj = store.find_evaluation(evaluation) if evaluation else None
    if case:
        c = store.find_case(case, ev_obj.id if ev_obj else None)
        ev = store.evaluation(c.evaluation_id)
        if ev is None:
            raise ExportError(f"casus '{case}' hoort bij geen evaluatie")
        return Selection("case", ev, store.sessions(case_id=c.id), c)
    if ev_obj is None:
        evaluations = store.evaluations()
        if not evaluations:
            raise ExportError("er is nog geen evaluatie om te exporteren (probeer 'zet demo')")
        if len(evaluations) > 1:
            raise ExportError("er zijn meerdere evaluaties; kies er een met --evaluation "
                              "(zie 'zet evaluations')")
        ev_obj = evaluations[0]
    return Selection("evaluation", ev_obj, store.sessions(evaluation_id=ev_obj.id))


def folder_name(data: ExportData, selection: Selection) -> str:
    """`<evaluation>[-<case>[-<perspective>-<id>]][-gepseudonimiseerd]`, slugified."""
    name = slug(data.pseudo.text(data.evaluation.name), "evaluatie")
    if selection.case is not None:
        name += "-" + slug(data.case_code(selection.case.id), "casus")
    if selection.session is not None:
        name += f"-{selection.session.perspective}-{selection.session.id[:8]}"
    if data.pseudo.enabled:
        name += "-gepseudonimiseerd"  # visible in the folder list: this one may be shared
    return name


class FolderWriter:
    """Creates files exclusively (0600) inside one folder (its subfolders 0700), counts
    progress and remembers what it created; the region export writes through it too."""

    def __init__(self, folder: Path, total: int, progress: Progress | None) -> None:
        self.folder = folder
        self.total = total
        self.done = 0
        self.progress = progress
        self.created: list[str] = []
        """The files' paths relative to `folder`, in the order they were created."""
        self._folders: set[str] = set()

    def _create(self, relative: str) -> int:
        """A new file's descriptor (its folder made on first use); never an existing file."""
        self.created.append(relative)
        path = os.path.join(self.folder, relative)
        parent = os.path.dirname(path)
        if parent not in self._folders:
            os.makedirs(parent, mode=0o700, exist_ok=True)
            self._folders.add(parent)
        return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)

    @contextlib.contextmanager
    def open(self, relative: str, *, binary: bool = False, encoding: str = "utf-8",
             newline: str | None = None) -> Iterator[IO[Any]]:
        fd = self._create(relative)
        if binary:
            with os.fdopen(fd, "wb") as fh:
                yield fh
        else:
            with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
                yield fh
        self.tick(relative)

    def text(self, relative: str, content: str) -> None:
        """A Markdown file, in one write: what `open` would write, without a file object for
        each of a thousand transcripts."""
        content = export_safe(content)  # also what no escaping touched (a Mermaid title)
        if os.linesep != "\n":
            content = content.replace("\n", os.linesep)  # as a text-mode file writes it
        view = memoryview(content.encode("utf-8"))
        fd = self._create(relative)
        try:
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.tick(relative)

    def tick(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def tick_many(self, count: int, label: str) -> None:
        for _ in range(count):
            self.tick(label)


class _Writer(FolderWriter):
    """A `FolderWriter` for one evaluation export: the file makers read `data` from it."""

    def __init__(self, folder: Path, data: ExportData, total: int,
                 progress: Progress | None) -> None:
        super().__init__(folder, total, progress)
        self.data = data


def _case_folder(data: ExportData, case_id: str) -> str:
    """The case's part of file names, unique within this export."""
    names = data.memo.get("case_slugs")
    if names is None:
        ids = dict.fromkeys([c.id for c in data.cases] + [s.case_id for s in data.sessions])
        names = data.memo["case_slugs"] = unique_names(
            {cid: slug(data.case_code(cid), "casus") for cid in ids})
    return str(names[case_id])


def _transcript_name(data: ExportData, session: Session, case_slug: str) -> str:
    """`<case>-<perspective>-<id prefix>.md`; the full id when two sessions share the prefix."""
    prefix = session.id[:8]
    taken = data.memo.get("transcript_prefixes")
    if taken is None:
        taken = data.memo["transcript_prefixes"] = Counter(
            (s.case_id, s.perspective, s.id[:8]) for s in data.sessions)
    clash = taken[(session.case_id, session.perspective, prefix)] > 1
    return f"transcripten/{case_slug}-{session.perspective}-{session.id if clash else prefix}.md"


@dataclass(frozen=True)
class _File:
    """One file of the export and how to write it. `share` names what it shares with other
    files, so one process writes them all (`write_export`): "tabellen" (CSV and XLSX: the
    answer rows), "bevindingen" (the report and the JSON: the findings model), or nothing."""

    name: str
    write: Callable[[_Writer], int | None]
    share: str = ""


TABLES, FINDINGS = "tabellen", "bevindingen"


def _markdown(name: str, render: Callable[[], str], share: str = "") -> _File:
    def write(w: _Writer) -> None:
        w.text(name, render())

    return _File(name, write, share)


def _files(data: ExportData, formats: Sequence[str], report: bool,
           analyseschema: bool) -> list[_File]:
    """Every file of the export in writing order, the index last."""
    files: list[_File] = []
    index: list[str] = []
    if "md" in formats:
        if report:
            files.append(_markdown("evaluatierapport.md", partial(evaluation_report.render, data), FINDINGS))
            index.append("- [Evaluatierapport](evaluatierapport.md)")
        analysed = {ca.case.id for ca in data.analysis.cases}
        for ca in data.analysis.cases:
            sub = _case_folder(data, ca.case.id)
            index.append(f"- {inline(data.case_code(ca.case.id))}")
            if analyseschema:
                files.append(_markdown(f"analyseschema-{sub}.md",
                                       partial(markdown.analyseschema, data, ca)))
                index.append(f"  - [Analyseschema](analyseschema-{sub}.md)")
            for s in data.sessions_of(ca.case.id):
                name = _transcript_name(data, s, sub)
                files.append(_markdown(name, partial(markdown.transcript, data, s)))
                label = PERSPECTIVE_LABELS.get(s.perspective, s.perspective).lower()
                index.append(f"  - [Transcript {label}]({name})")
        for s in data.sessions:  # sessions of a perspective outside the analyseschema
            if s.case_id not in analysed:
                name = _transcript_name(data, s, _case_folder(data, s.case_id))
                files.append(_markdown(name, partial(markdown.transcript, data, s)))
                index.append(f"- [Transcript {inline(data.case_code(s.case_id))}]({name})")
    if "csv" in formats:
        files.append(_File("antwoorden.csv", partial(_table_csv, name="antwoorden.csv",
                                                     write=tables.write_csv), TABLES))
        index.append("- [Antwoorden (CSV)](antwoorden.csv)")
        for name, rows in tables.feedback_tables(data).items():
            files.append(_File(f"{name}.csv", partial(_table_csv, name=f"{name}.csv",
                                                      write=partial(_rows_csv, rows)), TABLES))
            index.append(f"- [{name.capitalize()} (CSV)]({name}.csv)")
    if "xlsx" in formats:
        files.append(_File("antwoorden.xlsx", _xlsx, TABLES))
        index.append("- [Antwoorden (Excel)](antwoorden.xlsx)")
    if "json" in formats:
        files.append(_File("export.json", _json, FINDINGS))
        index.append("- [Alles (JSON)](export.json)")
    if "md" in formats:
        title = heading(1, f"Export {data.pseudo.text(data.evaluation.name)}")
        content = f"{title}\n\n" + "\n".join(index) + "\n"
        files.append(_markdown("index.md", lambda: content))
    return files


def _rows_csv(rows: Any, _data: ExportData, fh: Any) -> None:
    tables.write_rows_csv(rows, fh)


def _table_csv(w: _Writer, *, name: str, write: Callable[[ExportData, Any], Any]) -> int | None:
    with w.open(name, encoding="utf-8-sig", newline="") as fh:
        count = write(w.data, fh)
    return count if isinstance(count, int) else None


def _xlsx(w: _Writer) -> int:
    with w.open("antwoorden.xlsx", binary=True) as fh:
        return tables.write_xlsx(w.data, fh)


def _json(w: _Writer) -> None:
    with w.open("export.json") as fh:
        tables.write_json(w.data, fh)


def write_export(data: ExportData, folder: Path, formats: Sequence[str], *,
                 report: bool = True, analyseschema: bool = True,
                 progress: Progress | None = None) -> ExportResult:
    """Write every requested file of `data` into the (existing, empty) `folder`.

    With two cores, a forked copy of this process writes half of the files at the
    same time (`export/parallel.py`).
    """
    write_manifest(folder, [s.case_id for s in data.sessions])
    files = _files(data, formats, report, analyseschema)
    w = _Writer(folder, data, len(files), progress)
    jobs = _jobs(files)
    two = sum(1 for job in jobs if job) > 1 and can_fork()
    counts = _write_in_two(files, jobs, w) if two else [f.write(w) for f in files]
    result = ExportResult(folder, [folder / f.name for f in files])
    result.answers = max((c for c in counts if c is not None), default=0)
    return result


def _jobs(files: list[_File]) -> list[list[int]]:
    """The files (by index) in jobs for two processes: the tables, then the report and the
    JSON (each share what they need, see `_File`), then the other files a few at a time."""
    tables = [i for i, f in enumerate(files) if f.share == TABLES]
    findings = [i for i, f in enumerate(files) if f.share == FINDINGS]
    rest = [i for i, f in enumerate(files) if not f.share]
    size = max(8, -(-len(rest) // (JobQueue.MAX_JOBS - 2)))
    return [tables, findings, *(rest[i:i + size] for i in range(0, len(rest), size))]


def _write_in_two(files: list[_File], jobs: list[list[int]], w: _Writer) -> list[int | None]:
    """The child starts with the tables, this process with the report and the JSON (so only
    one of them builds the findings); then each takes the next job free."""
    for parent in dict.fromkeys((w.folder / f.name).parent for f in files):
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # before the fork: no race
    queue = JobQueue(len(jobs) - 2)
    counts: list[int | None] = [None] * len(files)

    def run(job: list[int], writer: _Writer) -> Iterator[tuple[int, int | None]]:
        for i in job:
            yield i, files[i].write(writer)

    def work(tick: Callable[[], None]) -> list[tuple[int, int | None]]:
        helper = _Writer(w.folder, w.data, len(files), lambda *_: tick())
        done = list(run(jobs[0], helper))
        while (job := queue.take()) is not None:
            done += run(jobs[job + 2], helper)
        return done

    child: Forked | None = None
    try:
        child = Forked(work)
        own = jobs[1]
        while True:
            for i, count in run(own, w):
                counts[i] = count
                w.tick_many(child.new_ticks(), "tweede exportproces")
            job = queue.take()
            if job is None:
                break
            own = jobs[job + 2]
        ticks, theirs = child.finish()
        w.tick_many(ticks, "tweede exportproces")
        for i, count in theirs:
            counts[i] = count
    finally:
        queue.close()
        if child is not None:
            child.stop()
    return counts


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while an export runs. An export of 1,000 sessions makes
    about a million objects and no garbage in cycles (23 objects, measured), but the collector
    would walk all of them several times: ~0.3 of 1.4 s of CPU. Everything the export drops
    is still freed at once by reference counting; the collector is on again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_without_cycle_collection()
def export_all(store: Store, sessions: Sequence[Session], out_dir: Path | str,
               formats: Sequence[str] = FORMATS, *, pseudonymize: bool = False,
               extra_terms: Sequence[str] = (), report: bool = True,
               analyseschema: bool = True, progress: Progress | None = None) -> list[ExportResult]:
    """Export `sessions` into `out_dir` (created if needed; existing files are never replaced).

    Sessions of several evaluations go into one subfolder per evaluation.
    This is also the entry point for benchmarks: reading costs one query per
    table, whatever the number of sessions.
    """
    out = Path(out_dir)
    groups = group_by_evaluation(store, list(sessions))
    folders = unique_names({ev.id: slug(ev.name) for ev, _ in groups})
    results = []
    for ev, group in groups:
        folder = out if len(groups) == 1 else out / folders[ev.id]
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = load(store, ev, group, pseudonymize=pseudonymize, extra_terms=tuple(extra_terms))
        results.append(write_export(data, folder, formats, report=report,
                                    analyseschema=analyseschema, progress=progress))
    return results


@_without_cycle_collection()
def run_export(store: Store, selection: Selection, *, root: Path | None = None,
               formats: Sequence[str] = FORMATS, pseudonymize: bool = False,
               extra_terms: Sequence[str] = (), progress: Progress | None = None) -> ExportResult:
    """The `zet export` flow: read, write into a work folder, rename it into place when
    complete; on failure the work folder is removed and nothing appears."""
    if not selection.sessions:
        raise ExportError("geen sessies om te exporteren in deze selectie")
    root = root or DEFAULT_ROOT
    prepare_root(root)
    data = load(store, selection.evaluation, selection.sessions, pseudonymize=pseudonymize,
                extra_terms=tuple(extra_terms))
    return write_staged(root, folder_name(data, selection), lambda work: write_export(
        data, work, formats, report=selection.scope == "evaluation",
        analyseschema=selection.scope in ("evaluation", "case"), progress=progress))


def write_staged(root: Path, name: str, write: Callable[[Path], ExportResult]) -> ExportResult:
    """Let `write` fill a work folder next to the exports, then rename it into place as `name`:
    an export is there whole or not at all; on any failure the work folder is removed."""
    work = work_folder(root)
    try:
        result = write(work)
        folder = publish(work, root, name)
    except (OSError, ChildFailed) as exc:
        shutil.rmtree(work, ignore_errors=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ExportError(f"{root}: schrijven mislukt ({reason}); de onvolledige export is "
                          "verwijderd") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.folder = folder
    result.files = [folder / p.relative_to(work) for p in result.files]
    return result
