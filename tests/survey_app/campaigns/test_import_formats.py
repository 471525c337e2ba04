"""Each tool's export is recognised as it comes: header rows, identifying columns, completion."""

import csv
import io

import pytest

from survey_app.campaigns.csvfiles import read_grid
from survey_app.campaigns.import_formats import IDENTIFYING, METADATA, recognise, split_header

from .conftest import fixture_bytes, workbook_bytes


def layout_of(data: bytes, name: str):
    grid = read_grid(data, name)
    return recognise(grid.rows, grid.numbers)


def names(columns):
    return [c.name for c in columns]


def test_surveymonkey_two_header_rows_are_one_header():
    layout = layout_of(fixture_bytes("surveymonkey_seslip.csv"), "sm.csv")
    assert layout.tool_name == "SurveyMonkey" and layout.header_rows == [1, 2]
    assert len(layout.records) == 6 and layout.records[0].row == 3
    assert names(layout.dropped(IDENTIFYING)) == [
        "Respondent ID",
        "Collector ID",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    assert names(layout.dropped(METADATA)) == ["Start Date", "End Date"]
    # "Response" / "Open-Ended Response" in row 2 say nothing: the question text is the header.
    assert layout.columns[9].name == "How would you describe your gender?"
    # A cell with a line break stays one row: the next respondent is row 4, as in Excel.
    assert layout.records[1].row == 4 and layout.records[0].cells[12].count("\n") == 1


def test_surveymonkey_grid_and_option_columns_carry_their_row_two_words(surveymonkey_xlsx):
    layout = layout_of(surveymonkey_xlsx, "audit.xlsx")
    assert layout.tool_name == "SurveyMonkey" and len(layout.records) == 3
    rate = "How would you rate yourself in each area of the leadership framework?"
    assert layout.columns[10].name == f"{rate} - Leadership attributes"
    assert layout.columns[11].name == f"{rate} - Leadership skills"
    assert layout.columns[15].name.endswith(" - Other (please specify)")


def test_qualtrics_three_header_rows_preview_and_unfinished_rows():
    layout = layout_of(fixture_bytes("qualtrics_seslip.csv"), "q.csv")
    assert layout.tool_name == "Qualtrics" and layout.header_rows == [1, 2, 3]
    assert layout.columns[17].name == "Q1"
    assert layout.columns[17].label == "How would you describe your gender? - Selected Choice"
    assert "RecipientEmail" in names(layout.dropped(IDENTIFYING))
    assert "LocationLatitude" in names(layout.dropped(IDENTIFYING))
    by_row = {r.row: r for r in layout.records}
    assert by_row[4].test and "Survey Preview" in by_row[4].why
    assert not by_row[7].complete and by_row[7].why == "not finished (Progress 38%)"
    assert [r.row for r in layout.records if r.complete and not r.test] == [5, 6, 8, 9]
    # "-99" is Qualtrics' "seen but not answered": a blank answer, not a comment.
    q5 = next(c for c in layout.columns if c.name == "Q5")
    assert layout.cell(by_row[6], q5) == ""


def test_qualtrics_tsv_in_utf16_reads_like_its_csv(qualtrics_tsv):
    tsv = layout_of(qualtrics_tsv, "q.tsv")
    csv_layout = layout_of(fixture_bytes("qualtrics_seslip.csv"), "q.csv")
    assert tsv.tool_name == "Qualtrics" and tsv.header_rows == [1, 2, 3]
    assert [r.cells for r in tsv.records] == [r.cells for r in csv_layout.records]


def test_limesurvey_semicolons_full_headings_with_nbsp_and_unsubmitted_rows():
    data = fixture_bytes("limesurvey_seslip.csv")
    grid = read_grid(data, "results-survey123.csv")
    assert grid.delimiter == ";" and grid.encoding == "UTF-8 with BOM"
    layout = recognise(grid.rows, grid.numbers)
    assert layout.tool_name == "LimeSurvey"
    assert {
        "Response ID",
        "IP address",
        "Referrer URL",
        "First name",
        "Last name",
        "Email address",
    } == set(names(layout.dropped(IDENTIFYING)))
    assert "Total time" in names(layout.dropped(METADATA))
    assert [(r.row, r.complete) for r in layout.records] == [
        (2, True),
        (3, False),
        (4, True),
        (5, False),
        (6, True),
    ]
    assert layout.records[1].why == "never submitted (stopped on page 2)"


def test_limesurvey_code_headings_and_timing_columns():
    layout = layout_of(fixture_bytes("limesurvey_audit_codes.csv"), "codes.csv")
    assert layout.tool_name == "LimeSurvey"
    assert names(layout.dropped(IDENTIFYING)) == ["id", "token", "ipaddr"]
    assert "G04Q01Time" in names(layout.dropped(METADATA))
    assert "G03Q03[SQ001]" in [c.name for c in layout.columns if c.role == "question"]


def test_microsoft_forms_workbook(ms_forms_xlsx):
    layout = layout_of(ms_forms_xlsx, "Aspiration survey(1-4).xlsx")
    assert layout.tool_name == "Microsoft Forms" and len(layout.records) == 4
    assert names(layout.dropped(IDENTIFYING)) == ["ID", "Email", "Name"]
    assert names(layout.dropped(METADATA)) == [
        "Start time",
        "Completion time",
        "Last modified time",
    ]


def test_google_forms_csv_and_sheets_download(google_sheets_xlsx):
    for data, name in (
        (fixture_bytes("google_forms_audit.csv"), "f.csv"),
        (google_sheets_xlsx, "f.xlsx"),
    ):
        layout = layout_of(data, name)
        assert layout.tool_name == "Google Forms"
        assert names(layout.dropped(IDENTIFYING)) == ["Email address"]
        assert names(layout.dropped(METADATA)) == ["Timestamp"]


def test_a_plain_table_is_not_mistaken_for_a_tool_and_common_identifiers_are_dropped():
    layout = layout_of(b"Email,name,gender\nx@example.org,Ann,Female\n", "plain.csv")
    assert layout.tool is None and layout.header_rows == [1]
    assert names(layout.dropped(IDENTIFYING)) == ["Email"]
    # "name" may be an instrument's own (optional) question, so it stays mappable.
    assert [c.role for c in layout.columns][1:] == ["question", "question"]


@pytest.mark.parametrize(
    ("name", "header", "rows"),
    [
        ("surveymonkey_seslip.csv", "How would you describe your gender?", 6),
        ("qualtrics_seslip.csv", "Q1", 6),
        ("limesurvey_seslip.csv", "How would you describe your gender?", 5),
    ],
)
def test_split_header_gives_the_themes_command_names_and_data_rows_only(name, header, rows):
    grid = read_grid(fixture_bytes(name), name)
    columns, data = split_header(grid.rows)
    assert header in columns and len(data) == rows
    assert not any(cell.startswith('{"ImportId"') for row in data for cell in row)
    assert "Open-Ended Response" not in {cell for row in data for cell in row}


def test_cells_beyond_the_header_become_visible_unnamed_columns():
    layout = layout_of(b"gender,barriers\nFemale,Time,extra words\nMale,Money\n", "a.csv")
    assert names(layout.columns) == ["gender", "barriers", "Column 3"]
    assert layout.records[0].cells == ["Female", "Time", "extra words"]
    assert layout.records[1].cells == ["Male", "Money", ""]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Rater email", IDENTIFYING),
        ("Respondent e-mail address", IDENTIFYING),
        ("Your phone number", IDENTIFYING),
        ("IP Address", IDENTIFYING),
        ("Postcode", IDENTIFYING),
        ("Would you like us to email you?", "question"),
        ("Mobile working", "question"),
    ],
)
def test_contact_details_in_a_plain_table_are_dropped_but_questions_about_them_are_not(
    header, role
):
    layout = layout_of(f"{header},gender\nx,Female\n".encode(), "a.csv")
    assert layout.columns[0].role == role


def test_limesurvey_headings_with_spaces_turned_to_underscores_are_still_limesurvey():
    # LimeSurvey's "Convert spaces in question text to underscores" export option.
    data = (
        '\ufeff"Response_ID";"Date_submitted";"Last_page";"Start_language";"IP_address";'
        '"How_would_you_describe_your_gender?"\r\n'
        '"7";"2025-06-01 10:00:00";"2";"en";"192.0.2.40";"Female"\r\n'
        '"8";;"1";"en";"192.0.2.41";"Male"\r\n'
    ).encode()
    layout = layout_of(data, "results-survey99.csv")
    assert layout.tool_name == "LimeSurvey"
    assert names(layout.dropped(IDENTIFYING)) == ["Response_ID", "IP_address"]
    assert [r.complete for r in layout.records] == [True, False]


def test_qualtrics_import_ids_straight_under_the_names_are_a_header_not_labels():
    data = (
        b"StartDate,EndDate,Status,IPAddress,Progress,Finished,ResponseId,Q1\r\n"
        b'"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}",'
        b'"{""ImportId"":""status""}","{""ImportId"":""ipAddress""}",'
        b'"{""ImportId"":""progress""}","{""ImportId"":""finished""}",'
        b'"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\r\n'
        b"2025-01-01 10:00:00,2025-01-01 10:05:00,0,192.0.2.9,100,1,R_x1,Female\r\n"
    )
    layout = layout_of(data, "q.csv")
    assert layout.header_rows == [1, 2] and len(layout.records) == 1
    assert not any(c.label.startswith("{") for c in layout.columns)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("E-Mail-Adresse", "anna.berg@example.org"),
        ("Dirección de correo", "luis@example.org"),
        ("Adresse IP", "192.0.2.77"),
        ("Contact", "someone@example.org"),
    ],
)
def test_a_column_of_email_or_ip_addresses_identifies_people_whatever_its_header(header, value):
    layout = layout_of(f"{header},gender\n{value},Female\n,Male\n{value},Male\n".encode(), "a.csv")
    assert [c.role for c in layout.columns] == [IDENTIFYING, "question"]


def test_an_answer_that_happens_to_be_an_address_does_not_hide_a_question():
    data = b"Timestamp,What could we do better?\n1,More time\n2,help@example.org\n3,Less email\n"
    layout = layout_of(data, "a.csv")
    assert layout.columns[1].role == "question"


def test_a_plain_table_with_one_answer_saying_response_is_not_surveymonkey():
    data = b"gender,channel,team\nFemale,Response,A\nMale,Phone,B\n"
    layout = layout_of(data, "a.csv")
    assert layout.tool is None and layout.header_rows == [1] and len(layout.records) == 2


def test_qualtrics_workbook_download_reads_like_its_csv():
    text = fixture_bytes("qualtrics_localised_seslip.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    csv_layout = layout_of(fixture_bytes("qualtrics_localised_seslip.csv"), "q.csv")
    layout = layout_of(workbook_bytes(rows, sheet_title="Sheet0"), "q.xlsx")
    assert layout.tool_name == "Qualtrics" and layout.header_rows == [1, 2, 3]
    assert [r.cells for r in layout.records] == [r.cells for r in csv_layout.records]


def test_microsoft_forms_multiple_answers_end_with_a_semicolon():
    from instruments.loader import bundled_instruments
    from survey_app.campaigns.response_rows import choice_values

    item = bundled_instruments()["skills_talent_audit"].item("development_interest")
    assert choice_values(item, "Coaching;Work shadowing;") == ["coaching", "work_shadowing"]
    assert choice_values(item, "Mentoring;") == ["mentoring"]


def test_google_forms_quiz_from_a_french_account():
    data = (
        b'"Horodateur","Adresse e-mail","Score total","Quel est votre service ?",'
        b'"Quel est votre service ? [Score]","Quel est votre service ? [Commentaires]"\r\n'
        b'"2025/05/12 9:04:51 AM UTC+1","anne.roux@example.org","1.00 / 1","Enfance",'
        b'"1.00 / 1",""\r\n'
    )
    layout = layout_of(data, "f.csv")
    assert layout.tool_name == "Google Forms"
    assert names(layout.dropped(IDENTIFYING)) == ["Adresse e-mail"]
    assert [c.name for c in layout.columns if c.role == "question"] == ["Quel est votre service ?"]
