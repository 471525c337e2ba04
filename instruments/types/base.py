"""What every question type shares: the base class, its summaries and the checkbox field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, NotRequired, TypedDict

from wtforms import Field, SelectMultipleField, widgets

# types-WTForms 3.2 predates SelectChoice (WTForms 3.3), so the stubs do not know it.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from ..model import Item


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
