"""XLSForms written here by hand, following the XLSForm specification, read as instruments."""

from __future__ import annotations

import io
import zipfile

import pytest

from instruments import InstrumentError, parse_instrument
from instruments.xlsform import parse_xlsform, xlsform_data
from tests.instruments.xlsform_builder import CHOICES_HEADER, SURVEY_HEADER, xlsform

SETTINGS = {"form_title": "Staff survey", "form_id": "staff_survey", "version": "3"}
COLOURS = [
    CHOICES_HEADER,
    ("colours", "red", "Red"),
    ("colours", "blue", "Blue"),
    ("agree", "1", "Disagree"),
    ("agree", "2", "Neutral"),
    ("agree", "3", "Agree"),
]


def problems(content: bytes, name: str = "form.xlsx") -> list:
    with pytest.raises(InstrumentError) as caught:
        parse_xlsform(content, name)
    return caught.value.problems


def one_problem(survey, choices=COLOURS, settings=SETTINGS):
    found = problems(xlsform(survey, choices, settings))
    assert len(found) == 1, [p.describe() for p in found]
    return found[0]


def grouped(*rows, header=SURVEY_HEADER):
    """A survey sheet with `rows` inside one group 'page'."""
    return [header, ("begin_group", "page", "Page"), *rows, ("end_group", "page", "")]


def test_the_settings_sheet_names_the_instrument_and_groups_become_sections():
    survey = [
        (*SURVEY_HEADER, "hint", "required", "appearance"),
        ("note", "intro", "Thank you for taking part.", "", "", ""),
        ("begin_group", "about", "About you", "", "", ""),
        ("note", "about_note", "A few facts first.", "", "", ""),
        ("select_one colours", "colour", "Favourite colour?", "Pick one", "yes", ""),
        ("select_multiple colours", "liked", "Colours you like", "", "true", ""),
        ("select_one agree", "agree_q", "I like my job", "", "", "likert"),
        ("select_one colours", "colour2", "Another colour", "", "no", "likert"),
        ("end_group", "", "", "", "", ""),
        ("begin group", "more", "More", "", "", "field-list"),
        ("text", "name_q", "Your team", "", "", ""),
        ("text", "story", "Tell us more", "", "", "multiline"),
        ("integer", "years", "Years in post", "", "", ""),
        ("decimal", "hours", "Hours a week", "", "", ""),
        ("end group", "", "", "", "", ""),
    ]
    instrument = parse_xlsform(xlsform(survey, COLOURS, SETTINGS), "form.xlsx")
    assert (instrument.key, instrument.title, instrument.version) == (
        "staff_survey",
        "Staff survey",
        3,
    )
    assert instrument.kind == "survey"
    assert instrument.description == "Thank you for taking part."
    about, more = instrument.sections
    assert (about.id, about.title, about.description) == (
        "about",
        "About you",
        "A few facts first.",
    )
    assert [i.type for i in instrument.items] == [
        "single_choice",
        "multiple_choice",
        "rating_scale",
        "single_choice",  # likert on choices that are not numbered stays a choice
        "short_text",
        "long_text",
        "number",
        "number",
    ]
    colour = instrument.item("colour")
    assert colour.help == "Pick one" and colour.required
    assert [(o.code, o.label) for o in colour.options] == [("red", "Red"), ("blue", "Blue")]
    assert instrument.item("liked").required and not instrument.item("colour2").required
    assert [o.code for o in instrument.item("agree_q").options] == ["1", "2", "3"]
    assert instrument.item("years").whole and not instrument.item("hours").whole
    assert [i.id for i in more.items] == ["name_q", "story", "years", "hours"]


def test_questions_outside_any_group_form_a_first_section_and_the_file_name_gives_the_key():
    survey = [SURVEY_HEADER, ("text", "q1", "First"), *grouped(("text", "q2", "Second"))[1:]]
    instrument = parse_xlsform(xlsform(survey, COLOURS, {"form_title": "Quick"}), "My Form.xlsx")
    assert instrument.key == "my_form" and instrument.version == 1
    assert [(s.title, [i.id for i in s.items]) for s in instrument.sections] == [
        ("Quick", ["q1"]),
        ("Page", ["q2"]),
    ]


def test_a_group_inside_a_section_adds_its_questions_to_the_section():
    survey = grouped(
        ("text", "a", "A"),
        ("begin_group", "inner", "Inner"),
        ("text", "b", "B"),
        ("end_group", "inner", ""),
        ("text", "c", "C"),
    )
    instrument = parse_xlsform(xlsform(survey, COLOURS, SETTINGS), "f.xlsx")
    assert [[i.id for i in s.items] for s in instrument.sections] == [["a", "b", "c"]]


def test_simple_relevant_becomes_show_if():
    survey = grouped(
        ("select_one colours", "colour", "Colour?", ""),
        ("text", "why_red", "Why red?", "${colour} = 'red'"),
        ("select_multiple colours", "liked", "Liked", ""),
        ("text", "why", "Why?", "selected(${liked}, 'red') or selected(${liked}, \"blue\")"),
        header=(*SURVEY_HEADER, "relevant"),
    )
    instrument = parse_xlsform(xlsform(survey, COLOURS, SETTINGS), "f.xlsx")
    why_red, why = instrument.item("why_red").show_if, instrument.item("why").show_if
    assert (why_red.item_id, why_red.values) == ("colour", ("red",))
    assert (why.item_id, why.values) == ("liked", ("red", "blue"))


def test_range_and_length_constraints_become_limits():
    survey = grouped(
        ("integer", "age", "Age", ". >= 16 and . <= 70"),
        ("decimal", "fte", "FTE", ". <= 1.5"),
        ("text", "team", "Team", "string-length(.) <= 80"),
        header=(*SURVEY_HEADER, "constraint"),
    )
    instrument = parse_xlsform(xlsform(survey, COLOURS, SETTINGS), "f.xlsx")
    age, fte, team = instrument.items
    assert (age.minimum, age.maximum) == (16, 70)
    assert (fte.minimum, fte.maximum) == (None, 1.5)
    assert team.max_length == 80


def test_a_table_list_group_is_a_grid_and_a_repeat_is_repeating_rows():
    choices = [*COLOURS, ("yn", "yes", "Yes"), ("yn", "no", "No")]
    survey = grouped(
        ("begin_group", "practices", "Which practices?", "table-list", "", ""),
        ("select_one yn", "planning", "Workforce planning", "", "yes", ""),
        ("select_one yn", "succession", "Succession planning", "", "yes", ""),
        ("end_group", "practices", "", "", "", ""),
        ("begin_repeat", "posts", "One row per senior post", "", "", "12"),
        ("text", "post", "Post title", "", "yes", ""),
        ("select_one agree", "ease", "Ease", "likert", "", ""),
        ("integer", "points", "Points", "", "", ""),
        ("end_repeat", "posts", "", "", "", ""),
        header=(*SURVEY_HEADER, "appearance", "required", "max_rows"),
    )
    instrument = parse_xlsform(xlsform(survey, choices, SETTINGS), "f.xlsx")
    grid, posts = instrument.items
    assert grid.type == "grid" and grid.required
    assert [(r.code, r.label) for r in grid.rows] == [
        ("planning", "Workforce planning"),
        ("succession", "Succession planning"),
    ]
    assert [o.code for o in grid.options] == ["yes", "no"]
    assert posts.type == "repeating_rows" and posts.max_rows == 12
    assert [(f.id, f.type, f.required) for f in posts.fields] == [
        ("post", "short_text", True),
        ("ease", "rating_scale", False),
        ("points", "number", False),
    ]


NUMBER_TABLE = [
    (*SURVEY_HEADER, "question_type", "table_columns", "constraint", "percent_of"),
    ("begin_group", "page", "Page", "", "", "", ""),
    ("begin_group", "pis", "First tier posts", "number_table", "quarters", "", "posts"),
    ("integer", "posts", "Number of posts", "", "", ". >= 0", ""),
    ("integer", "internal", "Filled internally", "", "", ". >= 0", ""),
    ("end_group", "pis", "", "", "", "", ""),
    ("end_group", "page", "", "", "", "", ""),
]
QUARTERS = [*COLOURS, ("quarters", "q1", "Q1"), ("quarters", "q2", "Q2")]


def test_a_group_marked_number_table_is_a_number_table():
    [table] = parse_xlsform(xlsform(NUMBER_TABLE, QUARTERS, SETTINGS), "f.xlsx").items
    assert (table.type, table.prompt, table.whole, table.minimum) == (
        "number_table",
        "First tier posts",
        True,
        0,
    )
    assert [r.code for r in table.rows] == ["posts", "internal"]
    assert [(c.code, c.label) for c in table.columns] == [("q1", "Q1"), ("q2", "Q2")]
    assert table.percent_of == "posts"


def test_a_number_tables_rows_must_share_their_limits():
    survey = [list(row) for row in NUMBER_TABLE]
    survey[4][5] = ". >= 1"
    problem = one_problem(survey, QUARTERS)
    assert (problem.code, problem.location) == (
        "mixed-limits",
        "sheet survey, row 5, column constraint",
    )


def test_a_question_type_that_xlsform_cannot_mark_is_refused():
    survey = [list(row) for row in NUMBER_TABLE]
    survey[2][3] = "grid"
    problem = one_problem(survey, QUARTERS)
    assert problem.location == "sheet survey, row 3, column question_type"


def test_phone_metadata_rows_are_skipped():
    survey = [SURVEY_HEADER, ("start", "start", ""), ("end", "end", ""), ("text", "q", "Q")]
    assert [i.id for i in parse_xlsform(xlsform(survey, COLOURS, SETTINGS), "f.xlsx").items] == [
        "q"
    ]


UNSUPPORTED_TYPES = [
    ("calculate", "compute it after export instead"),
    ("geopoint", "place name or postcode"),
    ("geotrace", "place name or postcode"),
    ("geoshape", "place name or postcode"),
    ("image", "collect files outside the survey"),
    ("audio", "collect files outside the survey"),
    ("video", "collect files outside the survey"),
    ("file", "collect files outside the survey"),
    ("barcode", "text question"),
    ("range", "likert"),
    ("rank", "select_multiple"),
    ("date", "format"),
    ("select_one_from_file places.csv", "copy the choices into the choices sheet"),
    ("select_multiple_from_file places.csv", "copy the choices into the choices sheet"),
    ("select_one colours or_other", "add an 'other' choice"),
]


@pytest.mark.parametrize(("type_text", "advice"), UNSUPPORTED_TYPES)
def test_each_unsupported_type_is_one_located_problem_saying_what_to_do(type_text, advice):
    problem = one_problem(grouped(("text", "ok", "Fine"), (type_text, "bad", "Not this")))
    assert problem.location == "sheet survey, row 4, column type"
    assert advice in problem.hint
    assert type_text.split()[-1] in problem.message or "not supported" in problem.message


SELECT = "select_one colours"
UNSUPPORTED_CELLS = [
    (SELECT, "choice_filter", "${colour} = 'red'", "list only the choices that apply"),
    (SELECT, "relevant", "${ok} = 'x' and ${ok} != 'y'", "joined by 'or'"),
    (SELECT, "relevant", "${ok} = 'x' or ${other} = 'y'", "joined by 'or'"),
    (SELECT, "constraint", ". != 'red'", "list only the choices that are allowed"),
    ("integer", "constraint", ". > 3", "write it like . >= 0 and . <= 100"),
    ("text", "constraint", "regex(., '^[A-Z]+$')", "write it like string-length(.) <= 500"),
    (SELECT, "required", "${ok} = 'x'", "write yes or no"),
    (SELECT, "default", "red", "answers start blank"),
    (SELECT, "calculation", "1 + 1", "compute it after export"),
    (SELECT, "image", "map.png", "collect files outside the survey"),
]


@pytest.mark.parametrize(("type_text", "column", "value", "advice"), UNSUPPORTED_CELLS)
def test_each_unsupported_cell_is_one_problem_naming_its_column(type_text, column, value, advice):
    survey = grouped(
        ("text", "ok", "Fine", ""),
        (type_text, "colour", "Colour", value),
        header=(*SURVEY_HEADER, column),
    )
    problem = one_problem(survey)
    assert problem.location == f"sheet survey, row 4, column {column}"
    assert advice in problem.hint


@pytest.mark.parametrize(
    ("rows", "location", "message"),
    [
        (
            [
                ("begin_repeat", "outer", "Outer"),
                ("begin_repeat", "inner", "Inner"),
                ("text", "x", "X"),
                ("end_repeat", "inner", ""),
                ("end_repeat", "outer", ""),
            ],
            "sheet survey, row 4, column type",
            "a repeat inside a repeat",
        ),
        ([("text", "", "No name")], "sheet survey, row 3, column name", "no name"),
        ([("text", "q", "")], "sheet survey, row 3, column label", "no label"),
        ([("text", "q", "A"), ("text", "Q", "B")], "sheet survey, row 4, column name", "row 3"),
        ([("select_one sizes", "q", "A")], "sheet survey, row 3, column type", "'sizes'"),
        # The end_group closes the inner group, so the outer one is left open.
        ([("begin_group", "open", "Never closed")], "sheet survey, row 2, column type", "closed"),
        (
            [("end_repeat", "x", "")],
            "sheet survey, row 3, column type",
            "begin_group of row 2",
        ),
        ([("text", "2nd", "Bad name")], "sheet survey, row 3, column name", "cannot be used"),
        ([("note", "n", "Hi"), ("bogus", "q", "Q")], "sheet survey, row 4, column type", "bogus"),
    ],
)
def test_structural_problems_are_located(rows, location, message):
    problem = one_problem(grouped(*rows))
    assert problem.location == location
    assert message in problem.message


def test_a_choice_without_a_list_name_and_a_repeated_choice_are_located():
    choices = [*COLOURS, ("", "green", "Green"), ("colours", "red", "Red again")]
    found = problems(xlsform(grouped(("select_one colours", "c", "C")), choices, SETTINGS))
    assert [(p.code, p.location) for p in found] == [
        ("missing-list-name", "sheet choices, row 7, column list_name"),
        ("duplicate-name", "sheet choices, row 8, column name"),
    ]
    assert "row 2" in found[1].message


def test_a_relevant_on_a_section_and_a_relevant_naming_a_later_question_are_refused():
    survey = [
        (*SURVEY_HEADER, "relevant"),
        ("begin_group", "page", "Page", "${later} = 'x'"),
        ("text", "early", "Early", "${later} = 'x'"),
        ("text", "later", "Later", ""),
        ("end_group", "page", "", ""),
    ]
    found = problems(xlsform(survey, COLOURS, SETTINGS))
    assert [(p.code, p.location) for p in found] == [
        ("unsupported-relevant", "sheet survey, row 2, column relevant"),
        ("unknown-question", "sheet survey, row 3, column relevant"),
    ]


def test_the_loaders_own_problems_are_placed_on_the_sheet_row():
    survey = grouped(
        ("select_one colours", "colour", "Colour?", ""),
        ("text", "why", "Why?", "${colour} = 'green'"),
        header=(*SURVEY_HEADER, "relevant"),
    )
    [problem] = problems(xlsform(survey, COLOURS, SETTINGS))
    assert problem.code == "condition-bad-value"
    assert problem.location.startswith("sheet survey, row 4")
    assert "'green' is not an option of 'colour'" in problem.message


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"this is plain text, not a workbook",
        b"PK\x03\x04 a truncated zip",
    ],
)
def test_a_file_that_is_not_a_workbook_is_one_clear_problem(content):
    [problem] = problems(content)
    assert problem.code == "not-xlsx" and problem.location == "file"
    assert "save it again as Excel Workbook (.xlsx)" in problem.hint


def test_a_zip_that_is_not_a_workbook_and_a_workbook_without_a_survey_sheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert [p.code for p in problems(buffer.getvalue())] == ["not-xlsx"]
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "questions"
    out = io.BytesIO()
    book.save(out)
    [problem] = problems(out.getvalue())
    assert problem.code == "no-survey-sheet"


def test_a_non_numeric_version_is_located_in_the_settings_sheet():
    problem = one_problem(grouped(("text", "q", "Q")), settings={**SETTINGS, "version": "v1.2"})
    assert problem.location == "sheet settings, row 2, column version"


def test_settings_problems_found_by_the_loader_are_placed_on_the_settings_row():
    problem = one_problem(grouped(("text", "q", "Q")), settings={**SETTINGS, "kind": "poll"})
    assert (problem.code, problem.location) == ("bad-kind", "sheet settings, row 2 (kind)")


def test_a_plain_label_column_is_in_the_default_language_settings_names():
    survey = [("type", "name", "label", "label::Welsh (cy)")]
    survey += [("begin_group", "page", "Page", "Tudalen"), ("text", "q", "Name?", "Enw?")]
    survey += [("end_group", "page", "", "")]
    settings = {**SETTINGS, "default_language": "English (en)"}
    instrument = parse_xlsform(xlsform(survey, COLOURS, settings), "f.xlsx")
    assert instrument.languages == ("en", "cy")
    assert instrument.item_in("q", "cy").prompt == "Enw?"


def test_xlsform_data_is_the_dict_a_yaml_file_would_hold():
    data = xlsform_data(xlsform(grouped(("integer", "n", "How many?")), COLOURS, SETTINGS), "f")
    assert data["sections"] == [
        {
            "id": "page",
            "title": "Page",
            "items": [{"id": "n", "type": "number", "prompt": "How many?", "whole": True}],
        }
    ]
    assert parse_instrument(data).item("n").whole
