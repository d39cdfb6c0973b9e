"""Python's cycle collector waits while an app starts, then skips what the start built.

Opening the interview app builds a few hundred thousand objects that live as long as
the app (Textual, our modules, the first screen) and hardly any garbage in cycles. The
collector would walk them over and over while they are being made: a young collection
every 700 new objects and, just before the first frame, a full one (~13 ms; all
collections together 26 ms of the 200 ms to the first question, measured on a pty).
So `zet` pauses it before its imports (`pause`), and the app resumes it once its first
screen is complete (`resume`), or the command once its arguments are read.

Resuming with `freeze=True` first moves everything built so far out of the collector's
reach (`gc.freeze`): a full collection later (every few dozen answers) then walks only
what the interview made since, instead of pausing a key press for 20-40 ms. Once per
run: what is frozen is never collected, so freezing again later would keep every screen
closed in between. The price is the few cycles of garbage the start made (about a
thousand small objects, measured), kept until the app ends.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause() -> None:
    """Stop the cycle collector until `resume`; nothing happens when it is already off
    (a caller that turned it off keeps it off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = False) -> None:
    """The collector runs again if `pause` stopped it; `freeze`: first set aside everything
    that exists now for good (once per run, see the module doc)."""
    global _paused, _frozen
    if freeze and not _frozen:
        _frozen = True
        gc.freeze()
    if _paused:
        _paused = False
        gc.enable()


def is_paused() -> bool:
    return _paused


__all__ = ["is_paused", "pause", "resume"]
