"""Redact personal details from free text before anything else reads it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .names import redact_names
from .vocabulary import HONORIFICS, very_common_words

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.uk|org\.uk|co\.uk|ac\.uk|nhs\.uk|sch\.uk|"
    r"police\.uk|com|org|net|uk|io|info)\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
# Start of a UK number: +44 / 0044 (optionally "(0)"), or a leading 0 (optionally bracketed).
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d \-()]{7,16}\d(?!\d)"
    r"(?:,?\s*(?:ext\.?|extension|x)\s*\d{1,5}(?!\d))?",
    re.IGNORECASE,
)
# An extension goes with the number: "0113 496 0458 ext. 212", "x4021".
EXTENSION = re.compile(r",?\s*(?:ext\.?|extension|x)\s*\d{1,5}", re.IGNORECASE)
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Found:
    """One redacted detail: its kind, the original text and which rule caught it."""

    kind: str
    value: str
    rule: str


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text and every detail removed from it."""

    text: str
    found: tuple[Found, ...]

    @property
    def review_names(self) -> list[str]:
        """Names caught by the heuristic only: a commissioner should check these."""
        return [item.value for item in self.found if item.rule == "heuristic"]


def redact(text: str, names: Iterable[str] = (), ordinary: Iterable[str] = ()) -> RedactionResult:
    """Replace emails, URLs, UK phones, postcodes and names with [email] etc."""
    found: list[Found] = []
    # Cheap guards first: most comments have no "@", no digits and no dotted words.
    if "@" in text:
        text = _substitute(EMAIL, "email", "pattern", text, found)
    if "." in text:
        text = _substitute(URL, "url", "pattern", text, found, strip=True)
    if _DIGIT.search(text):
        text = PHONE.sub(lambda match: _phone(match, found), text)
        text = _substitute(POSTCODE, "postcode", "pattern", text, found)
    listed = _listed_pattern(tuple(sorted({name.strip() for name in names if name.strip()})))
    if listed is not None:
        text = _substitute(listed, "name", "listed", text, found)
    extra = frozenset(ordinary) if not isinstance(ordinary, frozenset) else ordinary
    text = redact_names(text, extra, lambda value: found.append(Found("name", value, "heuristic")))
    return RedactionResult(text, tuple(found))


def _substitute(
    pattern: re.Pattern[str],
    kind: str,
    rule: str,
    text: str,
    found: list[Found],
    strip: bool = False,
) -> str:
    def replace(match: re.Match[str]) -> str:
        value: str = match.group(0)
        tail = ""
        if strip:
            # A URL at the end of a sentence should not swallow the full stop.
            core = value.rstrip(TRAILING_PUNCTUATION)
            value, tail = core, value[len(core) :]
        found.append(Found(kind, value, rule))
        return f"[{kind}]{tail}"

    return pattern.sub(replace, text)


def _phone(match: re.Match[str], found: list[Found]) -> str:
    """Keep the longest prefix of digit groups that makes a valid UK number."""
    candidate: str = match.group(0)
    best_end = 0
    for group in re.finditer(r"\d+", candidate):
        if _valid_uk_number(re.sub(r"\D", "", candidate[: group.end()])):
            best_end = group.end()
    if not best_end:
        return candidate
    if EXTENSION.fullmatch(candidate[best_end:]):
        best_end = len(candidate)
    found.append(Found("phone", candidate[:best_end], "pattern"))
    return "[phone]" + candidate[best_end:]


def _valid_uk_number(digits: str) -> bool:
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44"):
        rest = digits[2:]
        national = rest if rest.startswith("0") else "0" + rest
    else:
        national = digits
    # UK numbers are 0 + 9 or 10 digits; the second digit rules out things like "0000 0000".
    return len(national) in (10, 11) and national[1] in "1235789"


@lru_cache(maxsize=64)
def _listed_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Full listed names in any case; their distinctive parts when capitalised."""
    # Whole names first, longest first, so "Jane Doe" wins over its part "Jane"; sorted, not
    # set order, so every process builds the same pattern.
    full = sorted(set(names), key=lambda name: (-len(name), name))
    alternatives = [r"\s+".join(re.escape(part) for part in name.split()) for name in full]
    parts: set[str] = set()
    for name in names:
        for part in name.split():
            bare = part.strip(".,")
            # Ordinary-word parts ("Will", "County") only count inside the full name.
            if (
                len(bare) > 1
                and bare.lower() not in very_common_words()
                and bare.lower() not in HONORIFICS
            ):
                parts.add(bare[0].upper() + bare[1:])
    alternatives += [
        "(?-i:" + re.escape(part) + ")"
        for part in sorted(parts, key=lambda part: (-len(part), part))
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)
