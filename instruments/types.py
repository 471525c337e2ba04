"""The read-only registry of question types: each builds its field, parses and summarises."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from statistics import mean
from types import MappingProxyType
from typing import Any, NotRequired, TypedDict

from wtforms import (
    DecimalField,
    Field,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

# types-WTForms 3.2 predates SelectChoice (WTForms 3.3), so the stubs do not know it.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from .model import LEVEL_CODES, NOT_OBSERVED, Item

THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
DEFAULT_SHORT_TEXT = 200
DEFAULT_LONG_TEXT = 2000


class CheckboxField(SelectMultipleField):
    """Multiple choice rendered as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        # Blank entries are "nothing ticked", not choices. Dropping them here (rather than with
        # an Optional validator) matters: Optional looks only at the first value and, when it is
        # blank, clears every error, which let invalid values after it into the draft.
        super().process_formdata([v for v in valuelist if str(v).strip()])


class AnswerSummary(TypedDict):
    """`QuestionType.summarise`: answered and skipped, with counts or figures where they apply."""

    answered: int
    skipped: int
    counts: NotRequired[dict[str, int]]  # choices, by code
    mean: NotRequired[float | None]  # scales, levels and numbers
    min: NotRequired[float | None]  # numbers
    max: NotRequired[float | None]
    units: NotRequired[str]  # numbers and number tables
    row_counts: NotRequired[dict[str, dict[str, int]]]  # grids: row -> option -> count
    # number tables: row -> column -> count, sum and mean; other rows as % of `percent_of`
    cells: NotRequired[dict[str, dict[str, dict[str, float | int | None]]]]
    percentages: NotRequired[dict[str, dict[str, float | None]]]
    row_count: NotRequired[int]  # repeating rows: rows given, and each field's summary
    fields: NotRequired[dict[str, AnswerSummary]]


class SummaryTable(TypedDict):
    """A summary as a table for the findings page and its downloads: first cell heads the row."""

    title: str
    header: list[str]
    rows: list[list[str | int | float | None]]


def figure(value: float | None, places: int = 1) -> str:
    """A summary figure as shown: '–' for none, no needless '.0'."""
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.{places}f}"


class QuestionType:
    """Behaviour shared by every question type; subclasses override what differs.

    Code elsewhere asks a type what it can do (the flags below) instead of naming it, so that
    adding a type means a class here and a partial in templates/respond/types/, nothing else.
    """

    name: str = ""
    description = ""
    needs: tuple[str, ...] = ()
    allows: tuple[str, ...] = ()
    # Several options may be chosen; each is stored as its own value.
    multiple = False
    # Answered by choosing listed options, and tallied as counts of each option.
    closed = False
    # Stored values are option codes: exports add a "(label)" column beside the code.
    coded = False
    # The codes are points of a numeric scale: exported as numbers.
    scored = False
    # One point of a scale whose points all have labels (evaluation questionnaires' aims).
    labelled_scale = False
    # Summarised by mean, lowest and highest of the values.
    averaged = False
    # Takes exactly one answer from its options, so it can be a side of a cross-tab.
    crosstabs = False
    # Free text: answer counts only in tallies, blanked for individually shown raters, themed.
    is_free_text = False
    # Free text that is always themed (other free text only when a codebook names the item).
    always_themed = False
    # A levelled behaviour facet: what a 360 report scores.
    behaviour_facet = False
    # A typed-in number.
    numeric = False
    # The answer has several parts (instruments/composite_types/): rows, cells or rows added.
    composite = False
    # May be a field of repeating rows (a simple one-value type).
    repeatable = False
    # What someone who skipped a required item is told.
    required_message = "Enter an answer"
    # How to answer, in a printed questionnaire.
    instruction = ""

    @property
    def partial(self) -> str:
        """The template that renders this type's question on a form page."""
        return f"respond/types/{self.name}.html"

    def error_message(self, item: Item) -> str:
        """What to tell someone whose answer failed this type's checks."""
        return "Select one of the options shown"

    def instructions(self, item: Item) -> list[str]:
        """How to answer this item, as notes in a printed questionnaire."""
        return [self.instruction] if self.instruction else []

    def form_pairs(self, item: Item, values: list[str]) -> list[tuple[str, str]]:
        """Saved values as the (input name, value) pairs a page posts, to show them back."""
        return [(item.field_name, value) for value in values]

    def missing(self, item: Item, values: list[str]) -> list[str]:
        """What is still to answer in a required item, one message per part (none: complete)."""
        return [] if values else [self.required_message]

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        """The summary as tables, beyond the counts every closed item shows (none by default).

        A figure worked out from fewer than `k` answers is withheld (None), as is anything
        that is one person's answer (a lowest or highest number).
        """
        return []

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        """The item's answers as Markdown list lines; `named` fills in the name placeholder."""
        return [f"- {named(option.label)}" for option in item.options]

    def answer_text(self, item: Item, values: list[str]) -> str:
        """Saved values as the person chose them: option labels, levels with their descriptor."""
        labels = dict(self.choices(item)) if item.options or item.levels else {}
        return "; ".join(self.answer_label(value, labels.get(value, value)) for value in values)

    def answer_label(self, value: str, label: str) -> str:
        """A saved value as the person chose it, given its option label."""
        return label

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """Problems with an item definition of this type, as (code, message, hint)."""
        return []

    def field(self, item: Item, label: str) -> Field:
        """An unbound WTForms field (type checks only; required is checked on submit)."""
        raise NotImplementedError

    def choices(self, item: Item) -> list[tuple[str, str]]:
        """(code, label) pairs offered to the person answering."""
        return [(o.code, o.label) for o in item.options]

    def field_choices(self, item: Item) -> list[SelectChoice]:
        """The choices in the form WTForms fields take."""
        return [SelectChoice(code, label) for code, label in self.choices(item)]

    def parse_text(self, item: Item, text: str) -> list[str]:
        """Turn an imported cell into stored values; raises ValueError with a readable reason."""
        text = text.strip()
        return [self._match_choice(item, text)] if text else []

    def _match_choice(self, item: Item, text: str) -> str:
        wanted = text.casefold()
        for code, label in self.choices(item):
            if wanted in (code.casefold(), label.casefold()):
                return code
        allowed = "; ".join(label for _, label in self.choices(item))
        raise ValueError(f"'{text}' is not one of the options ({allowed})")

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        """Counts of each choice among those who answered."""
        answered = [a for a in answers if a]
        counts = Counter(v for a in answered for v in a)
        return {
            "answered": len(answered),
            "skipped": len(answers) - len(answered),
            "counts": {code: counts.get(code, 0) for code, _ in self.choices(item)},
        }


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


class Number(QuestionType):
    name = "number"
    description = "a number, optionally whole, between a minimum and a maximum, with units"
    allows = ("minimum", "maximum", "units", "whole")
    numeric = averaged = repeatable = True
    required_message = "Enter a number"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        return number_problems(raw)

    def error_message(self, item: Item) -> str:
        return number_message(item)

    def instructions(self, item: Item) -> list[str]:
        kind = "A whole number" if item.whole else "A number"
        units = f" ({item.units})" if item.units else ""
        low, high = _plain_number(item.minimum), _plain_number(item.maximum)
        if low is not None and high is not None:
            return [f"{kind}{units} from {low} to {high}."]
        if low is not None:
            return [f"{kind}{units} of at least {low}."]
        if high is not None:
            return [f"{kind}{units} no more than {high}."]
        return [f"{kind}{units}."]

    def field(self, item: Item, label: str) -> Field:
        checks = [Optional(), NumberRange(min=item.minimum, max=item.maximum)]
        return DecimalField(
            label,
            places=None,
            validators=[*checks, *([_whole] if item.whole else [])],
            render_kw={"inputmode": "numeric" if item.whole else "decimal"},
        )

    def answer_label(self, value: str, label: str) -> str:
        return value

    def answer_text(self, item: Item, values: list[str]) -> str:
        units = f" {item.units}" if item.units else ""
        return "; ".join(f"{value}{units}" for value in values)

    def parse_text(self, item: Item, text: str) -> list[str]:
        text = text.strip()
        return [parse_number(item, text)] if text else []

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        numbers = [float(a[0]) for a in answers if a]
        summary: AnswerSummary = {
            "answered": len(numbers),
            "skipped": len(answers) - len(numbers),
            "mean": mean(numbers) if numbers else None,
            "min": min(numbers) if numbers else None,
            "max": max(numbers) if numbers else None,
        }
        if item.units:
            summary["units"] = item.units
        return summary

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        units = f" ({item.units})" if item.units else ""
        few = 0 < summary["answered"] < k
        return [
            {
                "title": item.prompt,
                "header": ["Figure", f"Value{units}"],
                "rows": [
                    ["Answered", summary["answered"]],
                    ["Mean", None if few else figure(summary.get("mean"), 2)],
                ],
            }
        ]


def _whole(form: Any, field: Field) -> None:
    if field.data is not None and field.data != field.data.to_integral_value():
        raise ValidationError("Enter a whole number")


def parse_number(item: Item, text: str) -> str:
    """A typed or imported number as stored; ValueError says what is wrong with it."""
    text = text.strip()
    # Commas only as thousands separators (1,200): "1,5" is refused, never read as 15.
    plain = text.replace(",", "") if THOUSANDS.match(text) else text
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    if item.whole and value != value.to_integral_value():
        raise ValueError(f"{text} is not a whole number")
    if (item.minimum is not None and value < Decimal(str(item.minimum))) or (
        item.maximum is not None and value > Decimal(str(item.maximum))
    ):
        low, high = _plain_number(item.minimum), _plain_number(item.maximum)
        raise ValueError(f"{text} is outside {low or ''}–{high or ''}")
    return str(value)


def number_problems(raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Problems with the number keys (minimum, maximum, whole, units) of an item definition."""
    problems = []
    for key in ("minimum", "maximum"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append((f"bad-{key}", f"{key} must be a number", f"e.g. '{key}: 0'"))
    low, high = raw.get("minimum"), raw.get("maximum")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append(("bad-range", "minimum is above maximum", "swap them"))
    if "whole" in raw and not isinstance(raw["whole"], bool):
        problems.append(("bad-whole", "whole must be true or false", "e.g. 'whole: true'"))
    if "units" in raw and not isinstance(raw["units"], str):
        problems.append(("bad-units", "units must be text", "e.g. 'units: posts'"))
    return problems


def number_message(item: Item) -> str:
    """What to tell someone whose number is not one the item takes (its kind and range)."""
    kind = "a whole number" if item.whole else "a number"
    low, high = _plain_number(item.minimum), _plain_number(item.maximum)
    if low is not None and high is not None:
        return f"Enter {kind} between {low} and {high}"
    if low is not None:
        return f"Enter {kind} of {low} or more"
    if high is not None:
        return f"Enter {kind} of {high} or less"
    return f"Enter {kind}, like 12" + ("" if item.whole else " or 3.5")


def _plain_number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


# The composite types build on the classes above (import cycle: this module is read first).
from .composite_types import Grid, NumberTable, RepeatingRows  # noqa: E402

QUESTION_TYPES: Mapping[str, QuestionType] = MappingProxyType(
    {
        t.name: t
        for t in (
            SingleChoice(),
            MultipleChoice(),
            RatingScale(),
            Levelled(),
            ShortText(),
            LongText(),
            Number(),
            Grid(),
            NumberTable(),
            RepeatingRows(),
        )
    }
)

TYPE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "radio": "single_choice",
        "choice": "single_choice",
        "select_one": "single_choice",
        "checkbox": "multiple_choice",
        "checkboxes": "multiple_choice",
        "select_multiple": "multiple_choice",
        "scale": "rating_scale",
        "likert": "rating_scale",
        "level": "levelled",
        "levelled_behaviour": "levelled",
        "leveled": "levelled",
        "text": "short_text",
        "string": "short_text",
        "textarea": "long_text",
        "free_text": "long_text",
        "integer": "number",
        "decimal": "number",
        "matrix": "grid",
        "table": "number_table",
        "repeat": "repeating_rows",
    }
)


def type_of(item: Item) -> QuestionType:
    """The registered type of an item (the loader has checked that it is registered)."""
    return QUESTION_TYPES[item.type]


def values_of(field: Field) -> list[str]:
    """The stored values of a bound field: a list of strings, empty when unanswered."""
    data = field.data
    if data is None or data == "":
        return []
    if isinstance(data, list | tuple):
        return [str(v) for v in data if str(v) != ""]
    if isinstance(data, str):
        return [data.strip()] if data.strip() else []
    return [str(data)]


# How each type is written in an XLSForm (instruments/xlsform.py, xlsform_export.py): the survey
# sheet's type word and appearance. A number with `whole: true` is written `integer`. Types not
# listed have no XLSForm form.
XLSFORM_TYPES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "single_choice": ("select_one", ""),
        "multiple_choice": ("select_multiple", ""),
        "rating_scale": ("select_one", "likert"),
        "levelled": ("select_one", ""),
        "short_text": ("text", ""),
        "long_text": ("text", "multiline"),
        "number": ("decimal", ""),
        "grid": ("begin_group", "table-list"),
        "number_table": ("begin_group", ""),
        "repeating_rows": ("begin_repeat", ""),
    }
)
# Types XLSForm has no word for, written as the word above with their name in our `question_type`
# column: a 360's levelled facet (a select_one of levels 1-4) and a number table (a group of
# number rows whose columns are a choices list).
XLSFORM_MARKED = frozenset({"levelled", "number_table"})


def from_xlsform(word: str, appearance: str = "") -> str:
    """The registered type an XLSForm type word and appearance become ('' when none is)."""
    for name, (xls_word, xls_appearance) in XLSFORM_TYPES.items():
        known = name in QUESTION_TYPES and name not in XLSFORM_MARKED
        if known and (word, appearance) == (xls_word, xls_appearance):
            return name
    return ""
