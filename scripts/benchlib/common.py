"""Figures, the table and the JSON file of `scripts/bench`."""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Figure:
    """One row of the table. `measured` and `baseline` share `unit`; `ratio` is
    measured/baseline. `ok` is None when the figure could not be measured."""

    name: str
    measured: float | None
    unit: str
    target: str
    ok: bool | None
    baseline: float | None = None
    baseline_label: str = ""
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.baseline:
            return None
        return self.measured / self.baseline

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "FAIL", None: "n/a"}[self.ok]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["verdict"] = self.verdict
        return data


def not_available(name: str, target: str, reason: str) -> Figure:
    return Figure(name, None, "", target, None, note=reason)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100), no interpolation: p99 of 1,000 samples is
    the 990th smallest, so one slow outlier among 1,000 does not hide."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("ms", "s", "MiB", "x"):
        return f"{value:.2f} {unit}"
    return f"{value:g} {unit}".strip()


def print_table(figures: Sequence[Figure]) -> None:
    header = ("figure", "measured", "baseline", "ratio", "target", "verdict")
    rows = [(f.name, _fmt(f.measured, f.unit), _fmt(f.baseline, f.unit),
             "-" if f.ratio is None else f"{f.ratio:.2f}x", f.target, f.verdict) for f in figures]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row, f in zip(rows, figures, strict=True):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if f.note:
            print(f"    {f.note}")
        if f.baseline_label:
            print(f"    baseline: {f.baseline_label}")


def write_json(figures: Sequence[Figure], path: Path, seconds: float) -> None:
    import os

    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "seconds": round(seconds, 1),
        "figures": [f.as_json() for f in figures],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
