"""Sentiment from VADER, whose lexicon ships inside the vaderSentiment package (no download)."""

from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText


# vaderSentiment ships no types, so its class is Any to mypy.
class _Analyser(SentimentIntensityAnalyzer):  # type: ignore[misc]
    """VADER, skipping its per-character emoji scan when the text is plain ASCII (no emoji)."""

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not text.isascii():
            scores: dict[str, float] = super().polarity_scores(text)
            return scores
        sentitext = SentiText(text.strip())
        sentiments = []
        words = sentitext.words_and_emoticons
        for index, item in enumerate(words):
            # Mirrors SentimentIntensityAnalyzer.polarity_scores after its emoji step.
            if item.lower() in BOOSTER_DICT or (
                index < len(words) - 1
                and item.lower() == "kind"
                and words[index + 1].lower() == "of"
            ):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, index, sentiments)
        sentiments = self._but_check(words, sentiments)
        scored: dict[str, float] = self.score_valence(sentiments, text.strip())
        return scored


@lru_cache(maxsize=1)
def _analyser() -> SentimentIntensityAnalyzer:
    return _Analyser()


def compound(text: str) -> float:
    """VADER compound score, -1 (negative) to +1 (positive)."""
    score: float = _analyser().polarity_scores(text)["compound"]
    return score


def mean_sentiment(scores: list[float]) -> float | None:
    """Mean of compound scores, three decimals; None when there are none."""
    return round(sum(scores) / len(scores), 3) if scores else None


def describe(score: float | None) -> str:
    """A mean compound score in words, on VADER's conventional ±0.05 neutral band ("mixed")."""
    if score is None:
        return "n/a"
    if score >= 0.05:
        return "positive" if score >= 0.5 else "mostly positive"
    if score <= -0.05:
        return "negative" if score <= -0.5 else "mostly negative"
    return "mixed"
