"""Helpers of `scripts/bench` (kept out of the zet_tui package on purpose).

The crash harness and the questionnaire generator are shared with the
reliability tests; importing this package makes them importable.
"""

import sys
from pathlib import Path

_HARNESS = str(Path(__file__).resolve().parents[2] / "tests" / "reliability")
if _HARNESS not in sys.path:
    sys.path.insert(0, _HARNESS)
