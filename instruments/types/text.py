"""Free-text question types: a line, and a box with a maximum length."""

from __future__ import annotations

from wtforms import Field, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..model import Item
from .base import AnswerSummary, QuestionType

DEFAULT_SHORT_TEXT = 200
DEFAULT_LONG_TEXT = 2000


class ShortText(QuestionType):
    name = "short_text"
    description = "a line of text"
    allows = ("max_length",)
    is_free_text = repeatable = True
    default_limit = DEFAULT_SHORT_TEXT
    field_class = StringField

    def limit(self, item: Item) -> int:
        """The most characters an answer may have."""
        return item.max_length or self.default_limit

    def error_message(self, item: Item) -> str:
        return f"Your answer must be {self.limit(item)} characters or fewer"

    def instructions(self, item: Item) -> list[str]:
        return [f"Up to {self.limit(item)} characters."]

    def field(self, item: Item, label: str) -> Field:
        return self.field_class(label, validators=[Optional(), Length(max=self.limit(item))])

    def parse_text(self, item: Item, text: str) -> list[str]:
        text = text.strip()
        if len(text) > self.limit(item):
            raise ValueError(f"is {len(text)} characters long; the limit is {self.limit(item)}")
        return [text] if text else []

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        answered = [a[0] for a in answers if a]
        return {"answered": len(answered), "skipped": len(answers) - len(answered)}


class LongText(ShortText):
    name = "long_text"
    description = "free text in a box, with a maximum length"
    always_themed = True
    repeatable = False
    default_limit = DEFAULT_LONG_TEXT
    field_class = TextAreaField
