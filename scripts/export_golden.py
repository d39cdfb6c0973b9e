"""Compare every exported byte of this checkout with another git revision, on big databases.

    .venv/bin/python scripts/export_golden.py [REV] [--sessions 1000] [--keep DIR]

Builds the database of `scripts/bench` (1,000 sessions x 40 answers) and the
demo of `zet demo --follow-up`, exports each evaluation in every scope (plain and
pseudonymised) with the code of this checkout and with the code of REV (default
main; `git archive`, so uncommitted changes count as "this checkout"), and
lists every file that differs. An XLSX is compared by its parts: the zip
container holds the time of day. Exit 1 when anything differs. The unit test
`tests/unit/test_export_golden.py` does the same on a small deterministic demo.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORT = """
import hashlib, json, sys, zipfile
from pathlib import Path
from zet_tui.core.store import Store
from zet_tui.export.data import load
from zet_tui.export.runner import FORMATS, select, write_export
db, out = Path(sys.argv[1]), Path(sys.argv[2])
assert Path(__import__("zet_tui").__file__).is_relative_to(Path(sys.argv[3])), "wrong code"
with Store.open(db, create=False) as store:
    for ev in store.evaluations():
        case = store.cases(ev.id)[0]
        session = store.sessions(case_id=case.id)[0]
        for scope, sel, pseudo in (("evaluatie", select(store, evaluation=ev.id), False),
                                   ("gepseudonimiseerd", select(store, evaluation=ev.id), True),
                                   ("casus", select(store, case=case.id), False),
                                   ("sessie", select(store, session=session.id), True)):
            data = load(store, sel.evaluation, sel.sessions, pseudonymize=pseudo)
            data.exported_at = "2026-03-04T05:06:07.890+00:00"
            folder = out / ev.id[:8] / scope
            folder.mkdir(parents=True)
            write_export(data, folder, FORMATS, report=sel.scope == "evaluation",
                         analyseschema=sel.scope in ("evaluation", "case"))
"""


def digest(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            return hashlib.sha256(b"".join(n.encode() + b"\0" + zf.read(n) for n in zf.namelist())).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(code: Path, db: Path, out: Path) -> dict[str, str]:
    """Every file's hash; on a copy of `db`, which the other code may migrate to its schema."""
    shutil.rmtree(out, ignore_errors=True)
    copy = out.with_suffix(".db")
    shutil.copyfile(db, copy)
    env = {**os.environ, "PYTHONPATH": str(code), "TZ": "Europe/Amsterdam"}
    subprocess.run([sys.executable, "-c", EXPORT, str(copy), str(out), str(code)], check=True, env=env,
                   cwd=out.parent)
    copy.unlink()
    return {str(p.relative_to(out)): digest(p) for p in sorted(out.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", nargs="?", default="main")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work here and keep everything")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="zet-golden-"))
    work.mkdir(parents=True, exist_ok=True)
    old = work / "code"
    old.mkdir(exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev, "zet_tui"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests" / "reliability")]
    from benchlib.export_bench import make_database

    dbs = [work / "bench.db", work / "demo.db"]
    if not dbs[0].exists():
        make_database(dbs[0], work, sessions=args.sessions)
    if not dbs[1].exists():
        subprocess.run([sys.executable, "-m", "zet_tui", "demo", "--db", str(dbs[1]), "--follow-up"], check=True,
                       capture_output=True, cwd=ROOT)
    differ: list[str] = []
    total = 0
    for db in dbs:
        new = export(ROOT, db, work / f"nieuw-{db.stem}")
        before = export(old, db, work / f"{args.rev.replace('/', '-')}-{db.stem}")
        total += len(new)
        differ += [f"{db.stem}/{name}" for name in sorted(new.keys() | before.keys())
                   if new.get(name) != before.get(name)]
    print(json.dumps({"rev": args.rev, "files": total, "differ": differ[:50], "work": str(work)}, indent=1))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
