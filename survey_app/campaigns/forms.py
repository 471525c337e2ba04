"""Campaign, participant, rater, upload and link forms."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ..inputs import FlaskForm, SelectChoice
from ..models import Campaign
from .services import campaign_settings

LEVEL_CHOICES = [SelectChoice(str(level), f"Level {level}") for level in range(1, 5)]


class NewCampaignForm(FlaskForm):
    """Pick an instrument and name the campaign."""

    instrument = SelectField("Instrument", validators=[DataRequired("Choose an instrument")])
    title = StringField(
        "Campaign title", validators=[DataRequired("Enter a title"), Length(max=200)]
    )


class EditCampaignForm(FlaskForm):
    """Title, dates and settings; 360 campaigns add a target level per role."""

    title = StringField(
        "Campaign title", validators=[DataRequired("Enter a title"), Length(max=200)]
    )
    opens_on = DateField("Opening date (optional)", validators=[Optional()])
    closes_on = DateField("Closing date (optional)", validators=[Optional()])
    anonymity_threshold = IntegerField(
        "Minimum group size (anonymity threshold)",
        validators=[
            DataRequired("Enter a minimum group size of at least 2"),
            NumberRange(min=2, max=50, message="The minimum group size must be between 2 and 50"),
        ],
    )

    def validate_closes_on(self, field):
        """The closing date cannot come before the opening date."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("The closing date must be on or after the opening date")


def edit_form_for(campaign: Campaign, formdata=None) -> EditCampaignForm:
    """The edit form with one target-level field per role of a 360 instrument."""
    settings = campaign_settings(campaign)
    roles = settings.get("roles") or []
    targets = settings.get("target_levels") or {}

    class Form(EditCampaignForm):
        pass

    for role in roles:
        setattr(
            Form,
            f"target_{role['id']}",
            SelectField(
                f"Target level for {role.get('label', role['id'])}",
                choices=LEVEL_CHOICES,
                default=str(targets.get(role["id"], role["level"])),
            ),
        )
    option_items = _campaign_option_items(campaign, settings)
    listed = settings.get("listed_options") or {}
    for item_id, prompt in option_items:
        setattr(
            Form,
            f"options_{item_id}",
            TextAreaField(
                f"Answers offered to “{prompt}”",
                validators=[Length(max=4000)],
                default="\n".join(o["label"] for o in listed.get(item_id) or ()),
            ),
        )
    variants = settings.get("rating_variants") or {}
    if variants:
        Form.rating_variant = SelectField(
            "Rating scale",
            choices=[SelectChoice("", "The printed questionnaire's scale")]
            + [SelectChoice(name, str(v["label"])) for name, v in variants.items()],
            default=settings.get("rating_variant") or "",
        )
    data_sets = _data_sets_for(campaign.instrument_key)
    if data_sets:
        Form.source_data = SelectField(
            "Where these answers come from",
            choices=[SelectChoice("", "Gathered by this campaign")]
            + [SelectChoice(key, f"The data set of {label}") for key, label in data_sets.items()],
            default=settings.get("source_data") or "",
        )
    form = Form(
        formdata=formdata,
        data={
            "title": campaign.title,
            "opens_on": campaign.opens_on,
            "closes_on": campaign.closes_on,
            "anonymity_threshold": settings.get("anonymity_threshold", 3),
        },
    )
    form.role_fields = [getattr(form, f"target_{role['id']}") for role in roles]
    form.option_fields = [getattr(form, f"options_{item_id}") for item_id, _ in option_items]
    return form


def _data_sets_for(instrument_key: str) -> dict[str, str]:
    """Source data sets gathered with this instrument, whose report notes a campaign can show."""
    from ..findings.source_notes import DATA_SETS, SOURCE_INSTRUMENTS

    return {key: DATA_SETS[key] for key, on in SOURCE_INSTRUMENTS.items() if on == instrument_key}


def _campaign_option_items(campaign: Campaign, settings: dict) -> list[tuple[str, str]]:
    """(id, prompt) of the snapshot's items whose options the campaign lists."""
    wanted = settings.get("campaign_options") or []
    items = [
        item
        for section in campaign.instrument_snapshot.get("sections") or []
        for item in section.get("items") or []
    ]
    return [(str(i["id"]), str(i.get("prompt", i["id"]))) for i in items if i.get("id") in wanted]


class ParticipantForm(FlaskForm):
    """One 360 participant."""

    name = StringField(
        "Full name", validators=[DataRequired("Enter the participant's name"), Length(max=200)]
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    current_role = StringField("Current role", validators=[Optional(), Length(max=200)])
    aspired_role = SelectField("Role they aspire to", validators=[Optional()])


class RaterForm(FlaskForm):
    """A rater the commissioner adds for a participant."""

    name = StringField(
        "Rater's name", validators=[DataRequired("Enter the rater's name"), Length(max=200)]
    )
    email = EmailField(
        "Email address (optional)",
        validators=[
            Optional(),
            Email("Enter an email address in the correct format"),
            Length(max=254),
        ],
    )
    relationship = SelectField(
        "Relationship to the participant", validators=[DataRequired("Choose a relationship")]
    )


class UploadForm(FlaskForm):
    """A CSV, TSV or XLSX upload."""

    file = FileField(
        "File (CSV, TSV or XLSX)",
        validators=[FileRequired("Choose a CSV, TSV or XLSX file to upload")],
    )


class ResponseUploadForm(UploadForm):
    """Another tool's export, plus an optional saved mapping or mapping file."""

    saved = SelectField(
        "Use a saved mapping (optional)", validators=[Optional()], validate_choice=False
    )
    mapping = FileField("Or a mapping file (optional: YAML or CSV)")


class ImportPlanForm(FlaskForm):
    """The choices of the preview-and-map step; columns and answer texts are read by name."""

    incomplete = RadioField(
        "Incomplete responses",
        default="skip",
        choices=[
            SelectChoice("skip", "Leave them out"),
            SelectChoice("keep", "Import what they answered"),
        ],
    )
    blank = RadioField(
        "Rows with no answer in the matched columns",
        default="skip",
        choices=[
            SelectChoice("skip", "Leave them out"),
            SelectChoice("keep", "Import them as responses that skipped every question"),
        ],
    )
    long = RadioField(
        "Answers longer than their question allows",
        default="truncate",
        choices=[
            SelectChoice("truncate", "Cut them to the limit"),
            SelectChoice("skip", "Leave those answers out"),
            SelectChoice("keep", "Keep the whole answer"),
        ],
    )
    replace = BooleanField("Replace the earlier import of this file (its responses are removed)")
    save_as = StringField(
        "Save these choices for next time as (optional)", validators=[Optional(), Length(max=100)]
    )
    digest = HiddenField()


class MakeLinksForm(FlaskForm):
    """How many new survey links to make."""

    count = IntegerField(
        "How many new links",
        validators=[
            DataRequired("Enter how many links to make"),
            NumberRange(min=1, max=5000, message="Make between 1 and 5000 links at a time"),
        ],
    )
