"""Small wording helpers shared by pages, messages and the CLI."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """'1 participant', '2 participants', '0 participants' ('plural' when not just + 's')."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
