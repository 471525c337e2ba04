"""Coded, located problems found while reading instrument and codebook files."""

from __future__ import annotations

from dataclasses import dataclass

ECHO_LIMIT = 200


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` cut to `limit` characters with an ellipsis: messages never echo a whole value."""
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, what is wrong and how to fix it."""

    code: str
    source: str
    location: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # Values from the file are quoted in messages; a huge one must not make a huge report.
        for name, limit in (
            ("location", ECHO_LIMIT),
            ("message", 2 * ECHO_LIMIT),
            ("hint", ECHO_LIMIT),
        ):
            object.__setattr__(self, name, clip(str(getattr(self, name)), limit))

    def describe(self) -> str:
        """Location, code, message and hint, without the file name."""
        text = f"{self.location}: [{self.code}] {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return f"{self.source}: {self.describe()}"


class InstrumentError(ValueError):
    """Raised when a file cannot be turned into a valid instrument; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
