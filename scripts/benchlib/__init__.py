"""Helpers of `scripts/bench` (kept out of the zet_tui package on purpose)."""
