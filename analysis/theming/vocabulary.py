"""Which capitalised words are ordinary words or service terms rather than names."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from instruments.codebook import Codebook


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
HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "dr",
        "cllr",
        "councillor",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "professor",
        "rev",
        "hmi",
        "matron",
    }
)
# Words that belong to an organisation's name when they follow a place ("Kent County Council").
ORGANISATION_WORDS = frozenset(
    {
        "county",
        "council",
        "borough",
        "city",
        "district",
        "trust",
        "partnership",
        "authority",
        "college",
        "school",
        "academy",
        "university",
        "hospital",
        "foundation",
    }
)
# Endings that mark a capitalised word as ordinary English rather than a name.
ORDINARY_ENDINGS = (
    "ly",
    "ing",
    "tion",
    "tions",
    "ment",
    "ments",
    "ness",
    "ity",
    "ities",
    "ive",
    "able",
    "ible",
    "ised",
    "ized",
    "ise",
    "ize",
    "ful",
    "less",
    "ous",
    "ism",
    "isms",
    "ship",
    "ance",
    "ence",
    "ency",
    "ogy",
    "ics",
    "hood",
    "ical",
)
# Capitalised for a reason other than being a name, even though some are also given names.
CALENDAR = _words("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday christmas easter
""")
# Short forms Faker's lists lack (they list William, Matthew): names people are called by.
SHORT_NAMES = _words("""will matt dan rob bob tom ben sam jim jo liz kate sue pat pete mike nick
tim andy steve chris alex jen becky nat jon jonny vic viv dave rich ted ed""")
COMMON_WORDS = 30_000  # wordfreq's most frequent English words that are not names
VERY_COMMON = 5_000  # a listed name's part this common counts only inside the full name
# Faker's person providers: given names and surnames written in the UK and by its communities.
NAME_LOCALES = (
    "en_GB",
    "en_IE",
    "ga_IE",
    "en_IN",
    "hi_IN",
    "en_PK",
    "en_NG",
    "yo_NG",
    "en_KE",
    "en_US",
    "en_NZ",
    "pl_PL",
    "ro_RO",
    "pt_PT",
    "it_IT",
    "fr_FR",
    "de_DE",
    "es_ES",
)
# More of the UK's communities (Ghana, Nigeria, South Africa, East Africa, Turkey, Brazil, China
# in pinyin): only their names that are not common English words ("Long", "Can" stay words).
EXTRA_LOCALES = ("tw_GH", "ig_NG", "ha_NG", "zu_ZA", "sw", "tr_TR", "pt_BR", "zh_CN", "zh_TW")
NAME_ATTRIBUTES = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_romanized_names",
)
SURNAME_ATTRIBUTES = ("last_names", "last_romanized_names")
# Given names on many lists that are everyday words too: a person only when the context says so
# ("Grace chairs…", "my manager Mark"). Other listed names the dictionary happens to hold
# (Emma, Graham, Jo) are names wherever they stand.
WORD_NAMES = _words("""
amber angel april aurora bailey carol constance daisy dale dawn dean derrick don faith flora
frank glen grace grant guy hazel heather holly iris jack jade jasmine jay jean jordan joy june
kelvin kirk lee mark marina mason noel robin roger rose rosemary ruby sally terry valentine
victor violet warren will bill hope may summer patience precious sunny pat sue rob bob nick
rich drew ray art chase hunter miles max young can ed ted nat dan vic viv
""")
_PLACES_FILE = Path(__file__).with_name("uk_places.txt")
_WORLD_PLACES_FILE = Path(__file__).with_name("world_places.txt")


def _latin(name: str) -> bool:
    # Any letters, not only A–Z: "Wójcik", "Łukasz", "Zoë" are names too.
    return name.replace("-", "").replace("'", "").isalpha()


@lru_cache(maxsize=1)
def _people() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased given names and surnames from Faker's person providers."""
    from importlib import import_module

    first: set[str] = set()
    last: set[str] = set()
    for locale in NAME_LOCALES + EXTRA_LOCALES:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        given: set[str] = set()
        family: set[str] = set()
        for attribute in NAME_ATTRIBUTES:
            given.update(_lower_latin(getattr(provider, attribute, ()) or ()))
        for attribute in SURNAME_ATTRIBUTES:
            family.update(_lower_latin(getattr(provider, attribute, ()) or ()))
        if locale in EXTRA_LOCALES:
            common = _common_english()
            given, family = given - common, family - common
        first |= given
        last |= family
    return frozenset(first), frozenset(last)


def _lower_latin(names: object) -> set[str]:
    # Pinyin lists write "MING-TE"; Arabic- and Devanagari-script lists are never matched here.
    return {
        name.lower()
        for name in names  # type: ignore[attr-defined]
        if _latin(name) and len(name) > 1
    }


@lru_cache(maxsize=1)
def _common_english() -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", COMMON_WORDS))


@lru_cache(maxsize=1)
def widely_used_first_names() -> frozenset[str]:
    """Given names on at least three locales' lists (Mark, Carol; not Job or Peer)."""
    from importlib import import_module

    counts: dict[str, int] = {}
    for locale in NAME_LOCALES:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        names: set[str] = set()
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names.update(name.lower() for name in getattr(provider, attribute, ()) or ())
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return frozenset(name for name, count in counts.items() if count >= 3)


def first_names() -> frozenset[str]:
    """Lower-cased given names (Faker's lists for the UK, Ireland and the UK's communities)."""
    return _people()[0]


def surnames() -> frozenset[str]:
    """Lower-cased surnames from the same lists."""
    return _people()[1]


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Webster's entries written in lower case (english-words' web2): "bill" yes, "sarah" no."""
    from english_words import get_english_words_set

    return frozenset(
        word for word in get_english_words_set(["web2"], lower=False, alpha=False) if word.islower()
    )


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Lower-case English: the dictionary, plus wordfreq's common words that are not names.

    Webster's keeps case, so "bill" is a word and "Sarah" only a name; wordfreq adds words newer
    than it ("emails", "online").
    """
    from wordfreq import top_n_list

    names = first_names() | surnames()
    frequent = {
        word for word in top_n_list("en", COMMON_WORDS) if word.isalpha() and word not in names
    }
    return dictionary_words() | frequent


def in_dictionary(word: str) -> bool:
    """True when the lower-cased word (or its singular) is a dictionary word."""
    lower = word.lower().replace("’", "'").removesuffix("'s")
    words = dictionary_words()
    singular = lower[:-1] if lower.endswith("s") else lower
    # The dictionary writes days and months with capitals, so its lower-case entries lack them.
    return lower in words or singular in words or singular in CALENDAR


@lru_cache(maxsize=1)
def very_common_words() -> frozenset[str]:
    """wordfreq's 5,000 most frequent English words ("will", "county", "green")."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", VERY_COMMON))


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Lower-cased place names that are kept in comments (uk_places.txt, world_places.txt)."""
    lines = [
        *_PLACES_FILE.read_text(encoding="utf-8").splitlines(),
        *_WORLD_PLACES_FILE.read_text(encoding="utf-8").splitlines(),
    ]
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def names_not_words() -> frozenset[str]:
    """Given names on many lists, or short forms, that the dictionary holds only as rare words."""
    return (widely_used_first_names() | SHORT_NAMES) - WORD_NAMES


@lru_cache(maxsize=200_000)
def _is_ordinary_lower(word: str) -> bool:
    if word in names_not_words():
        return False
    words = ordinary_words()
    if word in words or word in SERVICE_TERMS or word in HONORIFICS or word in CALENDAR:
        return True
    for suffix, replacement in (
        ("'s", ""),
        ("’s", ""),
        ("s", ""),
        ("es", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ies", "y"),
        ("er", ""),
        ("ers", ""),
    ):
        stem = word[: -len(suffix)] + replacement
        if word.endswith(suffix) and (stem in words or stem in CALENDAR):  # "Thursdays"
            return True
    return len(word) > 5 and word.endswith(ORDINARY_ENDINGS)


def is_ordinary(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a (possibly capitalised) word is ordinary English or a service term."""
    lower = word.lower().replace("’", "'")
    if lower in extra:
        return True
    if lower.removesuffix("'s") in names_not_words():  # "Jo's feedback"
        return False
    if "-" in lower:
        return all(_is_ordinary_lower(part) or part in extra for part in lower.split("-") if part)
    return _is_ordinary_lower(lower)


def is_first_name(word: str) -> bool:
    """True for a given name (any case), not counting months and days."""
    lower = word.lower().replace("’", "'").removesuffix("'s")
    if "-" in lower:  # "Kerry-Ann", "Mary-Jane"
        return all(part in first_names() for part in lower.split("-"))
    return (lower in first_names() or lower in SHORT_NAMES) and lower not in CALENDAR


def is_surname(word: str) -> bool:
    """True for a surname on the lists (any case)."""
    return word.lower().replace("’", "'").removesuffix("'s") in surnames()


def is_place(text: str) -> bool:
    """True when the words are a listed place (with or without "Council", "County" …)."""
    words = text.lower().replace("’", "'").removesuffix("'s").split()
    while words and words[-1] in ORGANISATION_WORDS:
        words = words[:-1]
    return bool(words) and " ".join(words) in places()


def corpus_words(texts: list[str], min_documents: int = 3) -> frozenset[str]:
    """Words written in lower case in at least `min_documents` texts: so not names."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text)):
            counts[word] = counts.get(word, 0) + 1
    return frozenset(word for word, count in counts.items() if count >= min_documents)


def codebook_words(codebook: Codebook | None) -> frozenset[str]:
    """Every word a codebook uses: theme vocabulary is never taken for a name."""
    if codebook is None:
        return frozenset()
    texts = []
    for theme in codebook.themes:
        texts += [theme.label, theme.definition, *theme.include, *theme.exclude, *theme.examples]
    return frozenset(re.findall(r"[a-z][a-z'’-]+", " ".join(texts).lower()))
