# Shared set-up for scripts/run, scripts/test and scripts/bench: create or reuse
# .venv and install the project (with extras given in $1) when pyproject, setup.py or the
# constraints changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ZET_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3 python3.13 python3.12 python3.11; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null; then
      PY="$cand"; break
    fi
  done
fi
if [ -z "$PY" ]; then
  echo "zet-tui heeft Python 3.11 of nieuwer nodig (python3 niet gevonden)." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.zet-installed${EXTRAS:+-$EXTRAS}"
HASH="$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" "$ROOT/constraints.txt" | "$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
# An install with the dev extras also satisfies a plain run.
up_to_date() { [ -f "$1" ] && [ "$(cat "$1")" = "$HASH" ]; }
if ! up_to_date "$STAMP" && ! { [ -z "$EXTRAS" ] && up_to_date "$VENV/.zet-installed-dev"; }; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  TARGET="$ROOT"
  [ -n "$EXTRAS" ] && TARGET="$ROOT[$EXTRAS]"
  echo "zet-tui: omgeving installeren in $VENV (eenmalig)..." >&2
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -c "$ROOT/constraints.txt" -e "$TARGET" >"$VENV/.install.log" 2>&1; then
    cat "$VENV/.install.log" >&2
    echo "zet-tui: installatie mislukt (zie hierboven)" >&2
    exit 1
  fi
  echo "$HASH" > "$STAMP"
fi
# Byte-compile once, as a wheel install would: with PYTHONDONTWRITEBYTECODE set (as on some
# machines) Python would otherwise recompile every module at every start (~60 ms of start-up).
# Stale files are harmless: Python checks the source's mtime and recompiles in memory.
"$VENV/bin/python" -m compileall -q "$ROOT/zet_tui" >/dev/null 2>&1 || true
export PATH="$VENV/bin:$PATH"
