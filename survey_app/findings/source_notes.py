"""Notes on a source report's own figures, where they disagree with its own data.

Each note quotes what the source report says and names the figures to compute from the responses;
the page computes ours every time, so a note never carries a number of its own as a finding.
The notes belong to a data set, not to an instrument: a campaign holding that data set says so in
its `source_data` setting (the demo's 2019 SESLIP campaign does; `survey-app campaign create
--source-data seslip_2019` sets it), and a new campaign on the same instrument shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.survey_results import SurveyTally
from analysis.tallies import percent


@dataclass(frozen=True)
class SourceNote:
    """A quoted figure from the source report and the options of one question it describes."""

    quote: str
    item_id: str
    options: tuple[str, ...]
    explanation: str


SESLIP_2019 = "seslip_2019"
# The instrument each data set was gathered with (its notes name that instrument's items).
SOURCE_INSTRUMENTS = {SESLIP_2019: "seslip_aspiration_survey"}
DATA_SETS = {SESLIP_2019: "the SESLIP survey and interviews of May to July 2019 (seed 004_*)"}

SOURCE_NOTES: dict[str, tuple[SourceNote, ...]] = {
    SESLIP_2019: (
        SourceNote(
            quote="Satisfaction with job role … OK 7",
            item_id="satisfaction",
            options=("OK",),
            explanation="The report's satisfaction table adds up to one more than the number of "
            "respondents. Its own percentages (“only three people (4.23%)”, “52%”, “35.2%”, "
            "all of the same total) leave one fewer answering “OK” than the table shows.",
        ),
        SourceNote(
            quote="52% of respondents had been in a second or third tier management post for 6 "
            "or more years",
            item_id="years_management",
            options=("6 to 10 years", "10 years plus"),
            explanation="The report's years-in-management table does not include everyone: "
            "its 52% is of those who answered that question, not of all respondents.",
        ),
        SourceNote(
            quote="52% reported being fairly satisfied",
            item_id="satisfaction",
            options=("Fairly satisfied",),
            explanation="The report rounds this figure to a whole number; to one decimal "
            "place it is the figure counted here.",
        ),
    ),
}


def source_notes(
    source_data: str | None, instrument_key: str, tally: SurveyTally
) -> list[dict[str, Any]]:
    """Each note of the campaign's data set with our own figures computed from the tally."""
    if not source_data or SOURCE_INSTRUMENTS.get(source_data) != instrument_key:
        return []
    notes = []
    for note in SOURCE_NOTES.get(source_data, ()):
        question = tally["questions"].get(note.item_id)
        if question is None or "counts" not in question:
            continue
        count = sum(question["counts"].get(label, 0) for label in note.options)
        answered, respondents = question["answered"], tally["respondents"]
        table_total = sum(question["counts"].values())
        notes.append(
            {
                "quote": note.quote,
                "explanation": note.explanation,
                "item_id": note.item_id,
                "options": list(note.options),
                "count": count,
                "answered": answered,
                "respondents": respondents,
                "table_total": table_total,
                "percent_of_answered": percent(count, answered),
                "percent_of_respondents": percent(count, respondents),
            }
        )
    return notes


def data_set_of(source_data: str | None, instrument_key: str) -> str | None:
    """The data set a campaign holds, in words, when it was gathered with this instrument."""
    if not source_data or SOURCE_INSTRUMENTS.get(source_data) != instrument_key:
        return None
    return DATA_SETS[source_data]
