"""Text from the database or a questionnaire file, made safe for a terminal, a message or a file.

Stored text is data, never instructions: a toelichting, a case code or a
questionnaire title may hold what a merged laptop database or a pasted text
brought in, such as `ESC[2J` (clear the screen) or OSC 52 (write the
clipboard). Three forms, one rule set:

* `terminal_safe` (screens): every control character is made *visible*
  instead of being obeyed: ESC becomes `␛`, the other C0 controls and DEL
  their control pictures (U+2400-U+2421), C1 controls `\\x9b`, bidi
  overrides and isolates (U+202A-U+202E, U+2066-U+2069, which can reorder what
  a reader sees) `\\u202e`. Line breaks (LF, CRLF, CR, U+2028/U+2029, NEL) become
  LF and tabs stay: they are layout, not instructions.
* `one_line` (messages such as `path:line: message`): as `terminal_safe`, and a
  line break becomes `␊`, a tab `␉`, so every message is one line.
* `export_safe` (exported files): whole escape sequences (CSI, OSC, DCS, ...)
  and every control character are removed, as are bidi controls; line breaks
  become LF. A file is read by other programs, where a visible `␛` would only
  be noise.

Every function returns its argument unchanged (the same object) when there is
nothing to do. The common case costs next to nothing: `str.isprintable` (a C
scan, false for every character changed here) decides most texts alone; only
texts with a line break, a tab or another non-printable character get the regex
scan. An export calls `export_safe` for every cell.
"""

from __future__ import annotations

import re

#: Bidi embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = "\u202a-\u202e\u2066-\u2069"
#: Everything the three forms change: C0 except tab and LF (so CR too), DEL, C1, line
#: and paragraph separators, bidi controls and lone surrogates (never valid text).
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029\x85]")


def _visible(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟; ESC is ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\u{code:04x}"


_TERMINAL = str.maketrans({code: _visible(code) for code in (
    *range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
    *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000))})
_ONE_LINE = str.maketrans({"\n": "\u240a", "\t": "\u2409"})


def terminal_safe(text: str) -> str:
    """`text` with every control character shown instead of obeyed (see the module doc)."""
    if text.isprintable() or not _UNSAFE.search(text):  # isprintable: a fast C pre-check
        return text
    return _LINE_BREAK.sub("\n", text).translate(_TERMINAL)


def one_line(text: str) -> str:
    """`terminal_safe`, and line breaks and tabs shown as `␊` and `␉`: one line for a message."""
    text = terminal_safe(text)
    if "\n" in text or "\t" in text:
        text = text.translate(_ONE_LINE)
    return text


#: Escape sequences, as terminals parse them: CSI (ESC [ or U+009B) with parameters and
#: a final byte; OSC, DCS, SOS, PM, APC (ESC ] P X ^ _ or their C1 forms) up to their
#: terminator (BEL or ST) or the end of the text; any other ESC with its next character.
_SEQUENCE = re.compile(
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
_EXPORT_DROP = str.maketrans({code: None for code in (
    *range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
    *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_SURROGATE = re.compile("[\ud800-\udfff]")


def export_safe(text: str) -> str:
    """`text` without escape sequences, control characters or bidi controls; LF line breaks."""
    if text.isprintable() or not _UNSAFE.search(text):
        return text
    text = _LINE_BREAK.sub("\n", text)
    text = _SEQUENCE.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return text.translate(_EXPORT_DROP)


__all__ = ["export_safe", "one_line", "terminal_safe"]
