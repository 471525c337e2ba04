"""Exports keep the anonymity rules and cannot carry spreadsheet formulas."""

import csv
import io

from openpyxl import load_workbook

from survey_app.extensions import db
from survey_app.models import Answer, Response
from survey_app.people.services import add_participant


def add_response(campaign, participant, relationship, answers):
    response = Response(
        campaign_id=campaign.id,
        relationship=relationship,
        participant_id=participant.id if participant else None,
    )
    response.answers = [
        Answer(item_id=item_id, position=i, value=value)
        for item_id, values in answers.items()
        for i, value in enumerate(values)
    ]
    db.session.add(response)


def rows_of(client, campaign):
    text = client.get(f"/campaigns/{campaign.id}/export.csv").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text)))


def test_small_groups_are_pooled_and_a_small_pool_loses_its_relationship(
    lead_client, make_campaign
):
    campaign = make_campaign(instrument_key="tiny_feedback")
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    ben = add_participant(campaign, "Ben", "ben@example.org").participant
    for relationship in [
        "self",
        "line_manager",
        "peer",
        "peer",
        "peer",
        "partner",
        "direct_report",
        "direct_report",
    ]:
        add_response(campaign, asha, relationship, {"listening_meetings": ["2"]})
    for relationship in ["self", "peer", "partner"]:
        add_response(campaign, ben, relationship, {"listening_meetings": ["3"]})
    db.session.commit()
    rows = rows_of(lead_client, campaign)
    groups = {}
    for row in rows:
        groups.setdefault(row["participant"], []).append(row["relationship"])
    assert sorted(groups["Asha"]) == sorted(
        [
            "self",
            "line_manager",
            "peer",
            "peer",
            "peer",
            "other raters",
            "other raters",
            "other raters",
        ]
    )
    assert sorted(groups["Ben"]) == ["", "", "self"]
    assert not {"name", "email", "invitation_id"} & set(rows[0])


def test_columns_hold_codes_and_labels(lead_client, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    for _ in range(3):
        add_response(campaign, None, None, {"sub_region": ["surrey"]})
    db.session.commit()
    row = rows_of(lead_client, campaign)[0]
    assert row["sub_region"] == "surrey" and row["sub_region (label)"] == "Surrey"


def test_a_group_answer_shared_by_fewer_than_k_is_not_exported(lead_client, make_campaign):
    # The findings never show Kent and Medway's lone respondent; the export must not give
    # their whole row away by naming the group either.
    campaign = make_campaign(instrument_key="skills_talent_audit")
    for region, org in [
        ("surrey", "Surrey CC"),
        ("surrey", "surrey  cc"),
        ("surrey", "Surrey CC"),
        ("kent_medway", "Medway Council"),
    ]:
        add_response(
            campaign,
            None,
            None,
            {"sub_region": [region], "organisation": [org], "post_title": ["Head of service"]},
        )
    db.session.commit()
    rows = rows_of(lead_client, campaign)
    assert sorted(r["sub_region"] for r in rows) == ["(fewer than 3)", "surrey", "surrey", "surrey"]
    assert sorted(r["organisation"] for r in rows) == [
        "(fewer than 3)",
        "Surrey CC",
        "Surrey CC",
        "surrey  cc",
    ]
    assert "Medway" not in str(rows)


def test_a_line_managers_comment_never_sits_in_their_own_row(lead_client, make_campaign):
    campaign = make_campaign(instrument_key="tiny_feedback")
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    add_response(
        campaign,
        asha,
        "line_manager",
        {"listening_meetings": ["2"], "comments": ["Only the boss wrote this"]},
    )
    for _ in range(3):
        add_response(
            campaign, asha, "peer", {"listening_meetings": ["3"], "comments": ["A peer wrote this"]}
        )
    db.session.commit()
    rows = rows_of(lead_client, campaign)
    manager = next(r for r in rows if r["relationship"] == "line_manager")
    assert manager["listening_meetings"] == "2" and manager["comments"] == ""
    assert "Only the boss" not in str(rows)
    assert [r["comments"] for r in rows if r["relationship"] == "peer"] == ["A peer wrote this"] * 3


def test_formula_like_answers_are_neutralised_in_csv_and_xlsx(lead_client, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    for _ in range(3):
        add_response(
            campaign,
            None,
            None,
            {"post_title": ['=HYPERLINK("http://evil")'], "organisation": ["@SUM(A1)"]},
        )
    db.session.commit()
    row = rows_of(lead_client, campaign)[0]
    assert row["post_title"] == '\'=HYPERLINK("http://evil")'
    assert row["organisation"] == "'@SUM(A1)"
    data = lead_client.get(f"/campaigns/{campaign.id}/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data))["Responses"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("post_title") + 1)
    # Text, shown as typed (Excel's quote prefix, no visible apostrophe), never calculated.
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'
    assert cell.quotePrefix


def test_cli_export_writes_xlsx_and_csv(cli, make_campaign, tmp_path):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    add_response(campaign, None, None, {"sub_region": ["surrey"]})
    db.session.commit()
    target = tmp_path / "out.xlsx"
    result = cli.invoke(args=["export", campaign.id, "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 response to" in result.output
    sheet = load_workbook(target)["Responses"]
    assert sheet.max_row == 2
    result = cli.invoke(args=["export", "no-such-campaign", "--output", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "No campaign" in result.output
    assert "Traceback" not in result.output
