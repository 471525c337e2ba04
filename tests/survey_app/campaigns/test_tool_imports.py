"""Each tool's export, unedited, through the command line to a correct import.

Right number of responses, no header rows stored, nothing that identifies anyone stored, the
tool's own "not finished" and "not answered" markers honoured, answer texts recoded by mapping.
"""

import re

import pytest
from sqlalchemy import func, select

from survey_app.campaigns.batches import stage_upload
from survey_app.extensions import db
from survey_app.models import Answer, Response

from .conftest import FIXTURES, NB, fixture_bytes

IDENTIFYING = re.compile(
    r"@example\.org|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|^R_|"
    r"^1149|^4319|ImportId|Open-Ended Response|^HR-\d|^t[k-t][0-9a-z]{5}$|"
    r"^-?\d{1,3}\.\d{6,}$|^07700 9|^Default Response Set$|^Anonymous$"
)


def run_import(cli, campaign, tmp_path, name, data=None, *options):
    path = tmp_path / name
    path.write_bytes(data if data is not None else fixture_bytes(name))
    return cli.invoke(args=["responses", "import", campaign.id, str(path), *options])


def stored_values():
    return list(db.session.scalars(select(Answer.value)))


def answers_of(item_id):
    return sorted(db.session.scalars(select(Answer.value).where(Answer.item_id == item_id)))


def response_count():
    return db.session.scalar(select(func.count()).select_from(Response))


def assert_nothing_identifying_stored():
    leaked = [v for v in stored_values() if IDENTIFYING.search(v)]
    assert leaked == []


@pytest.fixture
def seslip(make_campaign):
    return make_campaign("seslip_aspiration_survey")


@pytest.fixture
def audit(make_campaign):
    # These exports come from audits run on the five-point scale, now a campaign option.
    return make_campaign("skills_talent_audit", settings={"rating_variant": "five_point"})


def test_surveymonkey_csv(cli, seslip, tmp_path):
    result = run_import(cli, seslip, tmp_path, "surveymonkey_seslip.csv")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "recognised SurveyMonkey (header rows 1, 2)" in out
    assert "Never stored (they identify people): A 'Respondent ID', B 'Collector ID'" in out
    assert "1 blank (skip) (rows 6)" in out
    assert out.strip().splitlines()[-1] == "5"
    assert response_count() == 5
    assert answers_of("gender") == ["another_way", "female", "female", "male", "prefer_not_to_say"]
    assert "Leading a team that cares.\nSeeing families do better." in answers_of("best_things")
    assert_nothing_identifying_stored()


def test_surveymonkey_workbook_grid_rows_and_one_column_per_option(
    cli, audit, tmp_path, surveymonkey_xlsx
):
    result = run_import(cli, audit, tmp_path, "audit.xlsx", surveymonkey_xlsx)
    assert result.exit_code == 0, result.output
    assert "-> development_interest[coaching]" in result.output
    assert "Other (please specify)' -> not imported" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("leadership_attributes") == ["1", "3", "5"]
    assert answers_of("development_interest") == [
        "coaching",
        "coaching",
        "mentoring",
        "mentoring",
        "work_shadowing",
    ]
    # An answer that looks like a formula is kept as text, exactly as typed.
    assert '=HYPERLINK("http://x")' in answers_of("post_title")
    assert_nothing_identifying_stored()


def test_qualtrics_csv_skips_previews_and_unfinished_and_needs_its_other_recoded(
    cli, seslip, tmp_path
):
    refused = run_import(cli, seslip, tmp_path, "qualtrics_seslip.csv")
    assert refused.exit_code == 1
    assert (
        "Row 6, column R 'Q1 – How would you describe your gender? - Selected Choice': "
        "'Other' is not one of the options of 'gender'"
    ) in refused.output
    assert "nothing was imported" in refused.output and response_count() == 0
    mapping = tmp_path / "qualtrics.yaml"
    mapping.write_text("labels:\n  gender:\n    Other: another_way\n")
    result = run_import(
        cli, seslip, tmp_path, "qualtrics_seslip.csv", None, "--mapping", str(mapping)
    )
    assert result.exit_code == 0, result.output
    assert "1 survey previews or tests never imported (rows 4)" in result.output
    assert "1 incomplete left out (rows 7)" in result.output
    assert result.output.strip().splitlines()[-1] == "4"
    assert answers_of("gender") == ["another_way", "female", "male", "prefer_not_to_say"]
    assert "-99" not in stored_values() and "test" not in stored_values()
    assert len(answers_of("challenges")) == 3  # the "-99" one is a skipped question
    assert_nothing_identifying_stored()


def test_qualtrics_tsv_in_utf16_imports_like_its_csv(cli, seslip, tmp_path, qualtrics_tsv):
    mapping = tmp_path / "qualtrics.yaml"
    mapping.write_text("labels:\n  gender:\n    Other: another_way\n")
    result = run_import(
        cli,
        seslip,
        tmp_path,
        "qualtrics.tsv",
        qualtrics_tsv,
        "--mapping",
        str(mapping),
        "--incomplete",
        "keep",
    )
    assert result.exit_code == 0, result.output
    assert "TSV, tab-separated, UTF-16" in result.output
    assert result.output.strip().splitlines()[-1] == "5"  # the unfinished one kept this time


def test_limesurvey_semicolons_nbsp_headers_and_unsubmitted_responses(cli, seslip, tmp_path):
    result = run_import(cli, seslip, tmp_path, "limesurvey_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "CSV, semicolon-separated, UTF-8 with BOM; recognised LimeSurvey" in result.output
    assert f"management{NB}post?' -> years_management" in result.output
    assert "2 incomplete left out (rows 3, 5)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert "Making decisions\nthat matter" in answers_of("best_things")
    assert_nothing_identifying_stored()
    db.session.execute(Answer.__table__.delete())
    db.session.execute(Response.__table__.delete())
    db.session.commit()
    kept = run_import(
        cli, seslip, tmp_path, "limesurvey_seslip.csv", None, "--incomplete", "keep", "--replace"
    )
    # Row 3 answered two questions before stopping; row 5 answered nothing, so it is blank.
    assert "1 blank (skip) (rows 5)" in kept.output
    assert kept.output.strip().splitlines()[-1] == "4"


def test_limesurvey_codes_with_a_mapping_of_codes_and_yes_no_option_columns(cli, audit, tmp_path):
    mapping = str(FIXTURES / "limesurvey_audit_mapping.yaml")
    result = run_import(
        cli, audit, tmp_path, "limesurvey_audit_codes.csv", None, "--mapping", mapping
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("sub_region") == ["kent_medway", "kent_medway", "surrey"]
    assert answers_of("reasons_not") == ["other", "personal_reasons", "salary", "too_challenging"]
    assert answers_of("leadership_attributes") == ["2", "3", "4"]
    assert "12.3" not in stored_values()  # the timing column is LimeSurvey's, not an answer
    assert_nothing_identifying_stored()


def test_google_forms_joined_answers_split_on_known_labels_even_with_commas(cli, audit, tmp_path):
    refused = run_import(cli, audit, tmp_path, "google_forms_audit.csv")
    assert refused.exit_code == 1
    assert "'my partner's job' is not one of the options of 'reasons_not'" in refused.output
    mapping = tmp_path / "forms.yaml"
    mapping.write_text('labels:\n  reasons_not:\n    "my partner\'s job": other\n')
    result = run_import(
        cli, audit, tmp_path, "google_forms_audit.csv", None, "--mapping", str(mapping)
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "4"
    assert answers_of("sub_region") == ["kent_medway", "surrey", "sussex", "thames_valley"]
    assert answers_of("development_interest") == [
        "action_learning_sets",
        "coaching",
        "mentoring",
        "placement",
        "secondment",
        "work_shadowing",
    ]
    assert answers_of("reasons_not") == ["other", "personal_reasons", "personal_reasons", "salary"]
    assert_nothing_identifying_stored()


def test_google_sheets_workbook(cli, audit, tmp_path, google_sheets_xlsx):
    mapping = tmp_path / "forms.yaml"
    mapping.write_text('labels:\n  reasons_not:\n    "my partner\'s job": other\n')
    result = run_import(
        cli, audit, tmp_path, "responses.xlsx", google_sheets_xlsx, "--mapping", str(mapping)
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "4"
    assert answers_of("leadership_skills") == ["2", "3", "3", "4"]


def test_microsoft_forms_workbook_needs_its_satisfaction_wording_recoded(
    cli, seslip, tmp_path, ms_forms_xlsx
):
    refused = run_import(cli, seslip, tmp_path, "forms.xlsx", ms_forms_xlsx)
    assert refused.exit_code == 1
    assert "'Very satisfied' is not one of the options of 'satisfaction'" in refused.output
    mapping = tmp_path / "msforms.yaml"
    mapping.write_text(
        "labels:\n  satisfaction:\n    Very dissatisfied: 1\n"
        "    Somewhat dissatisfied: 2\n"
        "    Neither satisfied nor dissatisfied: 3\n"
        "    Somewhat satisfied: 4\n    Very satisfied: 5\n"
    )
    result = run_import(
        cli, seslip, tmp_path, "forms.xlsx", ms_forms_xlsx, "--mapping", str(mapping)
    )
    assert result.exit_code == 0, result.output
    assert "recognised Microsoft Forms" in result.output
    assert result.output.strip().splitlines()[-1] == "4"
    assert answers_of("satisfaction") == ["1", "2", "3", "5"]
    assert "My team\nand the families we work with" in answers_of("best_things")
    assert "anonymous" not in stored_values() and "Ngozi Fairweather" not in stored_values()


def test_windows_1252_from_excel_keeps_curly_quotes_dashes_and_pounds(cli, seslip, tmp_path):
    result = run_import(cli, seslip, tmp_path, "excel_ansi_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.output
    assert answers_of("aspiration") == ["definitely_not", "may", "planning"]
    assert answers_of("years_management") == ["1_2_years", "3_5_years", "6_10_years"]
    assert "Cost of living; £ for childcare" in answers_of("barriers")
    assert "“No time” – that’s the honest answer" in answers_of("barriers")


# Variants learned from public exports (see docs/imports.md): each was misread before.


def staged_cells(campaign, name):
    """Every cell a pending upload keeps for its preview: identifying ones must not be there."""
    batch = stage_upload(campaign, fixture_bytes(name), name)
    return [cell for *_, cells in batch.staged["records"] for cell in cells]


def test_qualtrics_legacy_export_with_v_codes_over_the_names_and_location_last(
    cli, seslip, tmp_path
):
    result = run_import(cli, seslip, tmp_path, "qualtrics_legacy_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "recognised Qualtrics (header rows 1, 2)" in result.output
    assert "1 survey previews or tests never imported (rows 4)" in result.output
    assert "1 incomplete left out (rows 6)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("gender") == ["female", "female", "prefer_not_to_say"]
    assert "ResponseID" not in stored_values() and "Cordelia Ashby" not in stored_values()
    assert_nothing_identifying_stored()


def test_qualtrics_question_texts_in_another_language_are_still_header_rows(cli, seslip, tmp_path):
    result = run_import(cli, seslip, tmp_path, "qualtrics_localised_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "recognised Qualtrics (header rows 1, 2, 3)" in result.output
    assert "1 incomplete left out (rows 6)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("gender") == ["female", "male", "prefer_not_to_say"]
    # Text iQ's topics are Qualtrics' reading of an answer, not the respondent's words.
    assert "Families" not in stored_values() and "Antworttyp" not in stored_values()
    assert_nothing_identifying_stored()


def test_limesurvey_code_and_text_headings_map_by_either_and_drop_participants(
    cli, audit, tmp_path
):
    result = run_import(cli, audit, tmp_path, "limesurvey_codetext_audit.csv")
    assert result.exit_code == 0, result.output
    assert "recognised LimeSurvey" in result.output
    assert "1 incomplete left out (rows 3)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("sub_region") == ["outside_region", "surrey", "sussex"]
    assert answers_of("time_in_post") == ["1_2_years", "3_5_years", "over_10_years"]
    assert "Westshire" not in staged_cells(audit, "limesurvey_codetext_audit.csv")
    assert_nothing_identifying_stored()


def test_google_forms_quiz_keeps_neither_marks_nor_names_and_phone_numbers(cli, audit, tmp_path):
    staged = staged_cells(audit, "google_forms_quiz_audit.csv")
    assert "Rosalind Achebe" not in staged and "07700 900123" not in staged
    assert "1.00 / 1" not in staged and "See the region map" not in staged
    db.session.rollback()
    result = run_import(cli, audit, tmp_path, "google_forms_quiz_audit.csv")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("sub_region") == ["kent_medway", "surrey", "thames_valley"]
    assert_nothing_identifying_stored()


def test_surveymonkey_contact_question_with_relabelled_boxes_is_never_kept(seslip):
    staged = staged_cells(seslip, "surveymonkey_contact_seslip.csv")
    assert staged and not [cell for cell in staged if IDENTIFYING.search(cell)]
    assert "Tamsin Oyelaran" not in staged and "Female" in staged


def test_microsoft_forms_quiz_csv_asking_for_names_keeps_only_the_answers(cli, seslip, tmp_path):
    staged = staged_cells(seslip, "ms_forms_quiz_seslip.csv")
    assert "Soren" not in staged and "Whitfield" not in staged
    db.session.rollback()
    result = run_import(cli, seslip, tmp_path, "ms_forms_quiz_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "recognised Microsoft Forms" in result.output
    assert answers_of("gender") == ["another_way", "female", "male"]
    assert_nothing_identifying_stored()


def test_google_forms_in_another_language_keeps_no_email_column(cli, audit, tmp_path):
    # A Forms account set to German heads its columns "Zeitstempel" and "E-Mail-Adresse".
    assert "lotte.reinholt@example.org" not in staged_cells(audit, "google_forms_german_audit.csv")
    db.session.rollback()
    result = run_import(cli, audit, tmp_path, "google_forms_german_audit.csv")
    assert result.exit_code == 0, result.output
    assert "Never stored (they identify people): B 'E-Mail-Adresse'" in result.output
    assert result.output.strip().splitlines()[-1] == "4"
    assert answers_of("sub_region") == ["kent_medway", "outside_region", "surrey", "surrey"]
    assert_nothing_identifying_stored()


def test_surveymonkey_export_with_its_own_columns_deleted_is_still_two_header_rows(
    cli, seslip, tmp_path
):
    # Commissioners often delete Respondent ID … Custom Data before sharing a file; row 2's
    # "Response" / "Open-Ended Response" still says SurveyMonkey.
    result = run_import(cli, seslip, tmp_path, "surveymonkey_trimmed_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "recognised SurveyMonkey (header rows 1, 2)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("gender") == ["female", "male", "prefer_not_to_say"]
    assert "Making a difference,\nmost days" in answers_of("best_things")
    assert "Hollis Grayling" not in stored_values()
    assert_nothing_identifying_stored()


def test_qualtrics_download_of_a_few_chosen_columns_is_known_by_its_import_ids(
    cli, seslip, tmp_path
):
    # Only ResponseId and Finished of Qualtrics' own columns: too few to know it by row 1.
    result = run_import(cli, seslip, tmp_path, "qualtrics_subset_seslip.csv")
    assert result.exit_code == 0, result.output
    assert "recognised Qualtrics (header rows 1, 2, 3)" in result.output
    assert "1 incomplete left out (rows 6)" in result.output
    assert result.output.strip().splitlines()[-1] == "3"
    assert answers_of("gender") == ["another_way", "female", "male"]
    assert_nothing_identifying_stored()
