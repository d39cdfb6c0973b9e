"""`scripts/bench` must keep running: a quick pass of the store figure and the JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_quick_commit_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick",
                           "--only", "commit", "--json", str(out)],
                          capture_output=True, text=True, check=False, timeout=120)
    # exit 1 only means a target was missed (a busy disk); anything else is a broken bench
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    names = [f["name"] for f in data["figures"]]
    assert names == ["commit of one answer, p50", "commit of one answer, p99"]
    for figure in data["figures"]:
        assert figure["measured"] > 0 and figure["baseline"] > 0
        assert figure["ratio"] == figure["measured"] / figure["baseline"]
        assert figure["verdict"] in ("ok", "FAIL")
        assert figure["name"] in proc.stdout
    assert data["figures"][1]["details"]["n"] == 200


def test_bench_rejects_unknown_figure() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--only", "snel"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 2 and "unknown figure" in proc.stderr
