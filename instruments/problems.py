"""Coded, located problems found while reading instrument and codebook files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, what is wrong and how to fix it."""

    code: str
    source: str
    location: str
    message: str
    hint: str = ""

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
