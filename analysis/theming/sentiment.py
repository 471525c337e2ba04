"""Sentiment from VADER, whose lexicon ships inside the vaderSentiment package (no download)."""

from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@lru_cache(maxsize=1)
def _analyser() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER compound score, -1 (negative) to +1 (positive)."""
    return _analyser().polarity_scores(text)["compound"]


def mean_sentiment(scores: list[float]) -> float | None:
    """Mean of compound scores, three decimals; None when there are none."""
    return round(sum(scores) / len(scores), 3) if scores else None


def describe(score: float | None) -> str:
    """The conventional VADER reading of a mean compound score."""
    if score is None:
        return "n/a"
    if score >= 0.05:
        return "positive"
    return "negative" if score <= -0.05 else "neutral"
