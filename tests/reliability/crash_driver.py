"""Answers questions as fast as it can until it is killed (crash-safety test).

Protocol on stdout, one flushed line each:
  RESUME <qid>          where the engine resumed the session
  READY                 the session is open
  SAVING <qid> <json>   about to call store.save_answer with [score, value, toelichting]
  SAVED <qid>           store.save_answer returned: this is "shown as saved"
After the last question it goes back to the first and edits answers, so it keeps
writing until the SIGKILL arrives (or --max saves are done).
"""

from __future__ import annotations

import argparse
import json
import random
import sys

from zet_tui.core.interview import Interview
from zet_tui.core.store import Store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    store = Store.open(args.db, create=False)
    questionnaire = store.session(args.session).questionnaire
    iv = Interview(questionnaire, store.answers(args.session))
    out.write(f"RESUME {iv.position}\nREADY\n")
    out.flush()
    for i in range(args.max):
        q = iv.current
        toelichting = f"run {args.seed} antwoord {i}: " + "x" * rng.randint(0, 300)
        if q.is_scaled:
            answer = iv.make_answer(score=rng.randint(1, q.scale_def.size), toelichting=toelichting)
        else:
            answer = iv.make_answer(value=rng.choice(["ja", "ja", "nee"]), toelichting=toelichting)
        out.write(f"SAVING {q.id} {json.dumps([answer.score, answer.value, answer.toelichting])}\n")
        out.flush()
        saved = store.save_answer(args.session, answer, actor="driver")
        out.write(f"SAVED {q.id}\n")
        out.flush()
        iv.record(saved)
        if iv.next() is None:
            iv.jump(iv.visible()[0].id)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
