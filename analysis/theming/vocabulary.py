"""Which capitalised words are ordinary words or service terms rather than names."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Sector terms written with capitals that are neither names nor identifying.
SERVICE_TERMS = _words("""
ofsted dfe frontline firstline mockingbird cafcass barnardo barnardo's barnardos nspcc camhs
ehcp ehcps send sen senco nhs lga adcs solace seslip ilacs jtai mash lado iro iros ofqual
unicef nice whitehall westminster parliament government ministers minister microsoft teams zoom
google covid brexit uk gb england english britain british wales welsh scotland scottish ireland
irish europe european
""")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "cllr", "councillor", "sir", "dame",
                        "lord", "lady", "prof", "professor"})
# Words that belong to an organisation's name when they follow a place ("Kent County Council").
ORGANISATION_WORDS = frozenset({"county", "council", "borough", "city", "district", "trust",
                                "partnership", "authority", "college", "school", "academy",
                                "university", "hospital", "foundation"})
# Endings that mark a capitalised word as ordinary English rather than a name.
ORDINARY_ENDINGS = ("ly", "ing", "tion", "tions", "ment", "ments", "ness", "ity", "ities",
                    "ive", "able", "ible", "ised", "ized", "ise", "ize", "ful", "less", "ous",
                    "ism", "isms", "ship", "ance", "ence", "ency", "ogy", "ics", "hood", "ical")

_WORDS_FILE = Path(__file__).with_name("ordinary_words.txt")


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """The bundled list of ordinary lower-case English words."""
    lines = _WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=100_000)
def _is_ordinary_lower(word: str) -> bool:
    words = ordinary_words()
    if word in words or word in SERVICE_TERMS or word in HONORIFICS:
        return True
    for suffix, replacement in (("'s", ""), ("’s", ""), ("s", ""), ("es", ""), ("ed", ""),
                                ("ed", "e"), ("ies", "y"), ("er", ""), ("ers", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in words:
            return True
    return len(word) > 5 and word.endswith(ORDINARY_ENDINGS)


def is_ordinary(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a (possibly capitalised) word is ordinary English or a service term."""
    lower = word.lower().replace("’", "'")
    if lower in extra:
        return True
    if "-" in lower:
        return all(_is_ordinary_lower(part) or part in extra for part in lower.split("-") if part)
    return _is_ordinary_lower(lower)


def corpus_words(texts: list[str], min_documents: int = 3) -> frozenset[str]:
    """Words written in lower case in at least `min_documents` texts: so not names."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text)):
            counts[word] = counts.get(word, 0) + 1
    return frozenset(word for word, count in counts.items() if count >= min_documents)


def codebook_words(codebook) -> frozenset[str]:
    """Every word a codebook uses: theme vocabulary is never taken for a name."""
    if codebook is None:
        return frozenset()
    texts = []
    for theme in codebook.themes:
        texts += [theme.label, theme.definition, *theme.include, *theme.exclude, *theme.examples]
    return frozenset(re.findall(r"[a-z][a-z'’-]+", " ".join(texts).lower()))
