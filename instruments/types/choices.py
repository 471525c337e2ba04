"""Question types answered by choosing: single and multiple choice, rating scales, levels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from statistics import mean
from typing import Any

from wtforms import Field, RadioField
from wtforms.validators import Optional

from ..model import LEVEL_CODES, NOT_OBSERVED, Item
from .base import AnswerSummary, CheckboxField, QuestionType


class SingleChoice(QuestionType):
    name = "single_choice"
    description = "one option from a list (radio buttons)"
    needs = ("options",)
    closed = coded = crosstabs = repeatable = True
    required_message = "Select an answer"
    instruction = "Choose one."

    def field(self, item: Item, label: str) -> Field:
        return RadioField(label, choices=self.field_choices(item), validators=[Optional()])


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    description = "any number of options from a list (checkboxes)"
    needs = ("options",)
    multiple = closed = coded = True
    required_message = "Select at least one option"
    instruction = "Tick all that apply."

    def field(self, item: Item, label: str) -> Field:
        return CheckboxField(label, choices=self.field_choices(item))

    def parse_text(self, item: Item, text: str) -> list[str]:
        parts = [p.strip() for p in text.replace("|", ";").split(";")]
        return [self._match_choice(item, p) for p in parts if p]


class RatingScale(QuestionType):
    name = "rating_scale"
    description = "one point of a scale whose points all have labels"
    needs = ("options",)
    closed = coded = scored = labelled_scale = averaged = crosstabs = repeatable = True
    required_message = "Select an answer"
    instruction = "Choose one point on the scale."

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        problems = []
        for option in raw.get("options") or []:
            code = option.get("code") if isinstance(option, Mapping) else None
            if code is None or not str(code).lstrip("-").isdigit():
                problems.append(
                    (
                        "scale-not-numeric",
                        f"scale point {option!r} has no whole-number code",
                        "give each point a code such as 1, 2, 3",
                    )
                )
        return problems

    def field(self, item: Item, label: str) -> Field:
        return RadioField(label, choices=self.field_choices(item), validators=[Optional()])

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        return [f"- {option.code} – {named(option.label)}" for option in item.options]

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        summary = super().summarise(item, answers)
        scores = [int(v) for a in answers for v in a]
        summary["mean"] = mean(scores) if scores else None
        return summary


class Levelled(QuestionType):
    name = "levelled"
    description = "a behaviour facet: four level descriptors (1-4) plus 'not observed'"
    needs = ("levels",)
    coded = scored = behaviour_facet = True
    required_message = "Select the description that best fits, or 'Not observed'"
    instruction = "Choose the description that best fits what you have seen."
    # The 'not observed' choice as each audience reads it (label, hint): a rater may not have
    # seen the behaviour; the person rating themselves may not have had the chance to show it.
    NOT_OBSERVED_WORDS = {
        "self": ("Not had the chance", "My role has not yet given me the chance to do this"),
        "rater": ("Not observed", "I have not had the chance to see this"),
    }

    def not_observed_words(self, audience: str) -> tuple[str, str]:
        """(label, hint) of the 'not observed' choice on `audience`'s form."""
        return self.NOT_OBSERVED_WORDS.get(audience, self.NOT_OBSERVED_WORDS["rater"])

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        levels = raw.get("levels")
        if not isinstance(levels, list) or len(levels) != 4:
            count = len(levels) if isinstance(levels, list) else "no list of"
            return [
                (
                    "levels-not-four",
                    f"a levelled item needs exactly four level descriptors, found {count}",
                    "list four descriptors under 'levels:', level 1 first",
                )
            ]
        return []

    def choices(self, item: Item) -> list[tuple[str, str]]:
        pairs = [(code, text) for code, text in zip(LEVEL_CODES, item.levels, strict=True)]
        if item.not_observed:
            pairs.append((NOT_OBSERVED, "Not observed"))
        return pairs

    def field(self, item: Item, label: str) -> Field:
        return RadioField(label, choices=self.field_choices(item), validators=[Optional()])

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        lines = []
        for index, (code, text) in enumerate(zip(LEVEL_CODES, item.levels, strict=True)):
            label = f" ({level_labels[index]})" if index < len(level_labels) else ""
            lines.append(f"- Level {code}{label}: {named(text)}")
        if item.not_observed:
            lines.append("- Not observed")
        return lines

    def answer_label(self, value: str, label: str) -> str:
        return f"Level {value}: {label}" if value.isdigit() else label

    def parse_text(self, item: Item, text: str) -> list[str]:
        text = text.strip()
        if text.casefold() in ("not observed", "n/o", "no", NOT_OBSERVED) and item.not_observed:
            return [NOT_OBSERVED]
        if text in LEVEL_CODES:
            return [text]
        return super().parse_text(item, text)

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        summary = super().summarise(item, answers)
        scores = [int(v) for a in answers for v in a if v != NOT_OBSERVED]
        summary["mean"] = mean(scores) if scores else None
        return summary
