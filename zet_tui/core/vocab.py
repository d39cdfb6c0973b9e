"""Fixed vocabularies of the ZET method: perspectives, answer scales, statuses and tags.

They live in code rather than in the questionnaire files so that every
questionnaire, the analysis and the exports agree on the same ids; evaluators
pick from them, they do not invent new ones (a typo would silently split the
analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Perspective(StrEnum):
    INWONER = "inwoner"
    PROFESSIONAL = "professional"
    DOSSIER = "dossier"
    BELEID = "beleid"
    OTHER = "other"


PERSPECTIVE_LABELS: dict[str, str] = {
    "inwoner": "Inwoner",
    "professional": "Professional",
    "dossier": "Dossier",
    "beleid": "Beleid",
    "other": "Overig",
}

#: The three perspectives that are set side by side in the analyseschema.
CASE_PERSPECTIVES: tuple[str, ...] = ("inwoner", "professional", "dossier")

#: The policy self-evaluation: answered once per municipality by its policy staff, about how
#: access and coherent help are organised (intended), beside what the cases show (practice).
#: It needs no resident's consent and is never a column of a case's analyseschema.
POLICY_PERSPECTIVE = "beleid"


class AnswerType(StrEnum):
    SMILEY = "smiley"
    YES_NO = "ja-nee"
    CHOICE = "keuze"
    DATE = "datum"
    NUMBER = "getal"
    TEXT = "tekst"


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    WEET_NIET = "weet_niet"
    NVT = "nvt"
    NIET_BESPROKEN = "niet_besproken"


STATUS_LABELS: dict[str, str] = {
    "answered": "beantwoord",
    "weet_niet": "weet niet",
    "nvt": "n.v.t.",
    "niet_besproken": "niet besproken",
}

#: Kinds of divergence between two perspectives on the same question (analysis).
DIVERGENCE_LABELS: dict[str, str] = {
    "scale": "scores ver uiteen",
    "richting": "tegenovergestelde kant van verschillende schalen",
    "ja-nee": "ja tegenover nee",
    "analist": "door de analist gemarkeerd",
}


@dataclass(frozen=True)
class ScalePoint:
    score: int
    label: str
    emoji: str
    text: str  # fallback for terminals that cannot draw emoji


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    points: tuple[ScalePoint, ...]

    @property
    def size(self) -> int:
        return len(self.points)

    def point(self, score: int) -> ScalePoint | None:
        for p in self.points:
            if p.score == score:
                return p
        return None


SCALES: dict[str, Scale] = {
    "smiley5": Scale(
        "smiley5",
        "Vijf smileys",
        (
            ScalePoint(1, "heel slecht", "😞", "--"),
            ScalePoint(2, "slecht", "🙁", "-"),
            ScalePoint(3, "neutraal", "😐", "0"),
            ScalePoint(4, "goed", "🙂", "+"),
            ScalePoint(5, "heel goed", "😄", "++"),
        ),
    ),
    "smiley3": Scale(
        "smiley3",
        "Drie smileys",
        (
            ScalePoint(1, "niet goed", "🙁", "-"),
            ScalePoint(2, "gaat wel", "😐", "0"),
            ScalePoint(3, "goed", "🙂", "+"),
        ),
    ),
    "ja-deels-nee": Scale(
        "ja-deels-nee",
        "Nee / deels / ja",
        (
            ScalePoint(1, "nee", "✗", "nee"),
            ScalePoint(2, "deels", "◐", "deels"),
            ScalePoint(3, "ja", "✓", "ja"),
        ),
    ),
}
DEFAULT_SCALE = "smiley5"

#: The five basic functions of local teams, used as analysis tags.
BASISFUNCTIES: dict[str, str] = {
    "veilig": "Veilige leefomgeving",
    "signaleren": "Tijdig signaleren van vragen",
    "toegankelijk": "Hulp toegankelijk en vindbaar",
    "integraal": "Breed en integraal werken",
    "leren": "Continu leren en verbeteren",
}

#: The ten effective elements ("werkzame elementen") of the 2025 LVB study.
WERKZAME_ELEMENTEN: dict[str, str] = {
    "continuiteit": "Continuïteit",
    "integraal-plan": "Integraal plan",
    "langdurig": "Langdurige ondersteuning waar nodig",
    "maatwerk": "Maatwerk",
    "specifieke-kennis": "Snelle inzet specifieke kennis/deskundigheid",
    "eigen-regie": "Uitgaan van eigen regie",
    "vast-contactpersoon": "Vast contactpersoon",
    "basishouding": "Basishouding",
    "toegankelijk": "Toegankelijke ondersteuning",
    "vraagverheldering": "Vraagverheldering",
}

TAG_NAMESPACES: dict[str, dict[str, str]] = {
    "basisfunctie": BASISFUNCTIES,
    "werkzaam": WERKZAME_ELEMENTEN,
}

#: Dossier milestones that feed the case timeline, in their natural order.
MILESTONES: dict[str, str] = {
    "aanmelding": "Aanmelding",
    "eerste-contact": "Eerste contact",
    "vraagverheldering": "Gesprek vraagverheldering",
    "plan": "Plan vastgesteld",
    "start-hulp": "Start hulp",
    "evaluatie": "Evaluatie",
    "afsluiting": "Afsluiting",
}


def tag_label(tag: str) -> str:
    """Human label for a `namespace:value` tag; unknown tags are returned as-is."""
    ns, _, value = tag.partition(":")
    return TAG_NAMESPACES.get(ns, {}).get(value, tag)
