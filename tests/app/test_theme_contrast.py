"""Colours that carry text are readable in every colour scheme the palette offers.

Border titles took the colour of their border ($primary-muted: 1.3-2.2:1 against the
background, dark on dark, also in the browser); section headings and warnings used $accent
and $warning (1.5:1 in the light scheme). The screens now use Textual's contrast-adjusted
$text-* variables; this measures them in every built-in scheme (WCAG contrast ratio).
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.color import Color

import zet_tui.app

STYLES = Path(zet_tui.app.__file__).parent


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variable(values: dict[str, str], name: str, background: Color) -> Color:
    value, _, alpha = values[name].partition(" ")
    color = background.get_contrast_text(1.0) if value == "auto" else Color.parse(value)
    return background + color.with_alpha(float(alpha.rstrip("%")) / 100 if alpha else 1.0)


def test_text_colours_are_readable_in_every_colour_scheme() -> None:
    worst: dict[str, tuple[float, str]] = {}
    for name, theme in App().available_themes.items():
        if "ansi" in name:  # the terminal's own palette: not ours to measure
            continue
        values = theme.to_color_system().generate()
        background = Color.parse(values["background"])
        for var in ("text-primary", "text-accent", "text-warning", "text-error", "text-muted"):
            ratio = contrast(variable(values, var, background), background)
            worst[var] = min(worst.get(var, (99.0, "")), (ratio, name))
        muted = contrast(variable(values, "primary-muted", background), background)
        assert muted < 3, name  # why titles no longer take their border's colour
    # Titles and muted text reach WCAG AA (4.5:1); warnings and errors are bold and reach
    # the 3:1 for bold text (the light scheme's $warning itself was 1.5:1).
    assert worst["text-primary"][0] >= 4.5 and worst["text-muted"][0] >= 4.5, worst
    assert min(ratio for ratio, _ in worst.values()) >= 3.0, worst


def test_no_text_in_a_raw_accent_or_warning_colour() -> None:
    """Every text colour in the app's styles is a $text-* variable (or $text itself)."""
    sources = [*STYLES.glob("*.tcss"), *STYLES.rglob("*.py")]
    raw = re.compile(r"(?<![-\w])(?:border-title-)?color:\s*\$(accent|warning|error|success|primary)\b")
    found = [f"{path.name}: {m.group(0)}" for path in sources
             for m in raw.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
