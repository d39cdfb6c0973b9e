"""Taking an erased case's code and names out of free text: any code, any text, never a crash."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.core.store.erasure import ERASED_CASE, ERASED_NAME, Scrubber

codes = st.text(min_size=1, max_size=12).filter(lambda c: c.strip() != "")
texts = st.text(max_size=80)


def _mentions(code: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(code.strip()) + r"(?!\w)", text, re.I) is not None


@settings(max_examples=400, deadline=None)
@given(codes, texts, texts)
def test_the_code_is_gone_from_any_text(code: str, before: str, after: str) -> None:
    scrub = Scrubber(code, [("Jansen", "")])
    text = f"{before} {code.strip()} {after} Jansen"
    cleaned = scrub.text(text)
    assert "Jansen" not in cleaned or _mentions("Jansen", code) or "Jansen" in before + after
    if not _mentions(code, ERASED_CASE + ERASED_NAME) and not _mentions(code, before + after):
        assert not _mentions(code, cleaned)
        assert ERASED_CASE in cleaned


@settings(max_examples=300, deadline=None)
@given(codes, st.recursive(st.none() | st.booleans() | st.integers() | texts,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8))
def test_json_stays_json_with_the_same_shape(code: str, document: object) -> None:
    scrub = Scrubber(code)
    raw = json.dumps(document, ensure_ascii=False)
    cleaned = json.loads(scrub.json_text(raw))

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return type(value).__name__

    assert shape(cleaned) == shape(document)
    assert scrub.json_text("{niet json " + code) is not None  # damaged JSON: still text


def test_case_and_word_boundaries() -> None:
    scrub = Scrubber("K-01", [("Jan de Vries", "[buurman]"), ("Jan", "")])
    assert scrub.text("k-01, K-010 en xK-01; Jan de Vries, jan, Januari") == (
        "[gewiste casus], K-010 en xK-01; [buurman], [naam], Januari")
    kelvin = "\u212a-01"  # the Kelvin sign matches "K" when ignoring case
    assert scrub.text(f"({kelvin})") == "([gewiste casus])"
    # Letters whose lower case is longer, or has two forms, are found too.
    for code, text in (("İ", "İ"), ("σ", "Σ ς σ"), ("ß", "ẞ ß")):
        assert not _mentions(code, Scrubber(code).text(text)), code
