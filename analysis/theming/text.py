"""Shared tokenising and stemming: nltk pieces that need no downloaded data."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words people write in survey answers that carry no theme of their own.
SURVEY_FILLER = _words("""
think feel felt really just lot lots things thing also would could able get getting got make
makes making way ways much many like want wanted need needs needed especially currently
sometimes often always never etc e.g eg ie i.e role roles work working job current something
anything everything bit quite very definitely probably maybe perhaps
""")

# The roles and bodies every comment in this sector talks about: the survey's subject, not a
# theme. Discovery leaves them out (coding still reads them).
SECTOR_WORDS = _words("""
ad ads dcs dcss hos director directors assistant head heads service services authority
authorities la las senior level tier role job post honestly honest know people year years lot
actually really thing things say going good sure mean main seen properly twice happened
""")

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | SURVEY_FILLER
# Negators must survive stop-word removal for negation handling, so keep a separate set.
NEGATORS = frozenset(
    {
        "no",
        "not",
        "never",
        "nor",
        "without",
        "none",
        "isn't",
        "aren't",
        "wasn't",
        "don't",
        "doesn't",
        "didn't",
        "haven't",
        "hasn't",
        "can't",
        "cannot",
        "won't",
        "n't",
    }
)

# Words with an inner apostrophe, and numbers. Run as one compiled regex: nltk's RegexpTokenizer
# gives the same tokens, but its per-call wrapper costs more than the search at 200k comments.
_TOKENS = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
_stemmer = SnowballStemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes kept inside words."""
    return [token.replace("’", "'") for token in _TOKENS.findall(text.lower())]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of one lower-cased word (cached: comments repeat words a lot)."""
    stemmed: str = _stemmer.stem(word)
    return stemmed


def stems(text: str) -> list[str]:
    """Stems of every token, stop words included (phrase matching needs them)."""
    return [stem(token) for token in tokens(text)]


def content_words(text: str) -> list[str]:
    """Tokens that are not stop words, filler or contractions ("children's" as "children")."""
    words = []
    for token in tokens(text):
        base, apostrophe, suffix = token.partition("'")
        if apostrophe:
            if suffix != "s":
                continue  # i'm, don't, we've, they'll: grammar, never a theme
            token = base
        if token not in STOP_WORDS and len(token) > 1 and not token.isdigit():
            words.append(token)
    return words


def content_stems(text: str) -> list[str]:
    """Stems of the content words: the input to TF-IDF."""
    return [stem(token) for token in content_words(text)]


class SurfaceForms:
    """Remembers how each stem was written, so stems can be shown as real words."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = {}

    def add(self, text: str) -> None:
        """Count the surface form of every content word in one text."""
        self.add_words(content_words(text))

    def add_words(self, words: list[str]) -> None:
        """Count these content words' surface forms."""
        for token in words:
            forms = self._counts.setdefault(stem(token), {})
            forms[token] = forms.get(token, 0) + 1

    def show(self, stemmed_phrase: str) -> str:
        """The most frequent surface form of each stem in a phrase (ties: alphabetical)."""
        words = []
        for part in stemmed_phrase.split():
            forms = self._counts.get(part)
            words.append(min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] if forms else part)
        return " ".join(words)
