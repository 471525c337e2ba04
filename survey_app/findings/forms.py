"""Forms of the findings pages: the commissioner's counts, names to redact and codebook edits."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from instruments.patterns import pattern_problem

from ..inputs import REFUSED, FlaskForm, unstorable

MAX_COUNT = 100000


class CsrfOnlyForm(FlaskForm):
    """A form whose fields are read by the view (their names depend on the data)."""


def parse_hipo_counts(form_data) -> tuple[dict[str, int | None], list[tuple[str, str]]]:
    """Pairs name-N / count-N from the posted form: counts by name, and (field id, message)."""
    counts: dict[str, int | None] = {}
    errors = []
    indexes = sorted({key.split("-", 1)[1] for key in form_data if key.startswith("name-")})
    for index in indexes:
        name = " ".join(form_data.get(f"name-{index}", "").split())[:200]
        raw = form_data.get(f"count-{index}", "").strip()
        if unstorable(name + raw):
            errors.append((f"count-{index}", REFUSED))
            continue
        if not name:
            if raw:
                errors.append(
                    (f"name-{index}", "Give the organisation's name as well as its count.")
                )
            continue
        if not raw:
            counts[name] = None
        elif raw.isdigit() and int(raw) <= MAX_COUNT:
            counts[name] = int(raw)
        else:
            errors.append(
                (f"count-{index}", f"Enter the count for {name} as a whole number, like 3.")
            )
    return counts, errors


class RedactTermsForm(FlaskForm):
    """Extra names and terms to take out of comments, one a line."""

    terms = TextAreaField(
        "Other names or terms to remove from comments (one a line)", validators=[Length(max=20000)]
    )


class RenameThemeForm(FlaskForm):
    """Give a theme a new label."""

    theme = SelectField("Theme", validators=[DataRequired("Choose a theme")])
    label = StringField(
        "New label", validators=[DataRequired("Enter the new label"), Length(max=120)]
    )


class MergeThemesForm(FlaskForm):
    """Fold one theme into another."""

    keep = SelectField("Keep this theme", validators=[DataRequired("Choose a theme to keep")])
    merge = SelectField(
        "Merge this theme into it", validators=[DataRequired("Choose a theme to merge")]
    )


class AddTermsForm(FlaskForm):
    """More words, phrases or patterns that signal a theme."""

    terms_theme = SelectField("Theme", validators=[DataRequired("Choose a theme")])
    include = TextAreaField("Words or phrases to add (one a line)", validators=[Length(max=5000)])
    patterns = TextAreaField(
        "Regular expressions to add (one a line)", validators=[Length(max=5000)]
    )

    def validate_patterns(self, field) -> None:
        """Refuse a pattern that cannot run safely, naming it and saying why."""
        for number, pattern in enumerate(lines(field.data), start=1):
            problem = pattern_problem(pattern)
            if problem:
                raise ValidationError(f"Line {number}, pattern “{pattern[:80]}”, {problem}.")


class AcceptThemeForm(FlaskForm):
    """Turn a proposed (discovered) theme into a codebook theme."""

    new_label = StringField("Label", validators=[DataRequired("Enter a label"), Length(max=120)])
    terms = TextAreaField(
        "Words or phrases that signal it (one a line)",
        validators=[DataRequired("Enter at least one word or phrase"), Length(max=5000)],
    )
    examples = TextAreaField(
        "Example comments (one a line, at least two)", validators=[Length(max=10000)]
    )
    definition = StringField("What it means", validators=[Length(max=500)])


class RecodeForm(FlaskForm):
    """Set the themes of one comment by hand."""

    item = HiddenField(validators=[DataRequired()])
    comment = HiddenField(validators=[DataRequired()])


def lines(text: str | None) -> list[str]:
    """Non-empty lines of a text area, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
