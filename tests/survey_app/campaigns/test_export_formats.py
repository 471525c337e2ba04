"""Exports that open right in Excel, SPSS, Stata and pandas, with the anonymity rules kept."""

import csv
import io
import re

import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook

from survey_app.campaigns.stat_exports import variable_names
from survey_app.extensions import db
from survey_app.models import Answer, Response, today
from survey_app.people.services import add_participant


def add_response(campaign, answers, participant=None, relationship=None, source="link"):
    response = Response(
        campaign_id=campaign.id,
        relationship=relationship,
        source=source,
        participant_id=participant.id if participant else None,
    )
    response.answers = [
        Answer(item_id=item_id, position=i, value=value)
        for item_id, values in answers.items()
        for i, value in enumerate(values)
    ]
    db.session.add(response)
    return response


@pytest.fixture
def audit(make_campaign):
    # The five-point campaign option: its in-between points must export with their labels.
    campaign = make_campaign("skills_talent_audit", settings={"rating_variant": "five_point"})
    add_response(
        campaign,
        {
            "sub_region": ["surrey"],
            "leadership_skills": ["4"],
            "development_interest": ["coaching", "placement"],
            "post_title": ["=cmd()"],
            "professional_background": ["Zoë's social work"],
        },
    )
    add_response(
        campaign, {"sub_region": ["kent_medway"], "leadership_skills": ["2"]}, source="imp-a1b2c3"
    )
    add_response(campaign, {"post_title": ["Head of service"]})
    db.session.commit()
    return campaign


def download(client, campaign, fmt):
    response = client.get(f"/campaigns/{campaign.id}/export.{fmt}")
    assert response.status_code == 200, fmt
    return response


def test_rows_carry_a_random_response_id_the_source_and_the_day(lead_client, audit):
    text = download(lead_client, audit, "csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["response_id", "source", "day"]
    stored = set(db.session.scalars(db.select(Response.id)))
    ids = [r["response_id"] for r in rows]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    assert not set(ids) & stored and not any(i in s for i in ids for s in stored)
    assert sorted(r["source"] for r in rows) == ["imp-a1b2c3", "link", "link"]
    assert {r["day"] for r in rows} == {today().isoformat()}
    again = list(
        csv.DictReader(io.StringIO(download(lead_client, audit, "csv").get_data(as_text=True)))
    )
    assert sorted(r["response_id"] for r in again) == sorted(ids)  # the same in every export


def test_the_excel_csv_has_a_bom_and_the_plain_one_does_not(lead_client, audit):
    plain = download(lead_client, audit, "csv").data
    excel = download(lead_client, audit, "excel.csv")
    assert excel.data == b"\xef\xbb\xbf" + plain and not plain.startswith(b"\xef\xbb\xbf")
    assert 'filename="responses-' in excel.headers["Content-Disposition"]
    assert excel.headers["Content-Disposition"].endswith('-excel.csv"')
    frame = pd.read_csv(io.BytesIO(excel.data), encoding="utf-8-sig", dtype=str)
    assert "Zoë's social work" in set(frame["professional_background"].dropna())


def test_xlsx_has_numbers_for_scale_answers_text_as_text_and_a_codebook(lead_client, audit):
    book = load_workbook(io.BytesIO(download(lead_client, audit, "xlsx").data))
    sheet = book["Responses"]
    header = [c.value for c in sheet[1]]
    column = header.index("leadership_skills")
    values = sorted(
        row[column].value for row in sheet.iter_rows(min_row=2) if row[column].value is not None
    )
    assert values == [2, 4] and all(isinstance(v, int) for v in values)
    titles = [row[header.index("post_title")] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in titles} >= {"=cmd()", "Head of service"}
    assert all(c.data_type == "s" for c in titles if c.value)
    codebook = [[c.value for c in row] for row in book["Codebook"].iter_rows()]
    region = next(row for row in codebook if row[0] == "sub_region")
    assert region[1:4] == ["sub_region", "sub_region", "Which sub-region is your organisation in?"]
    assert "4 = Surrey" in region[4]
    interest = [row for row in codebook if row[0] == "development_interest"]
    assert [row[1] for row in interest] == [f"development_interest_{n}" for n in range(1, 7)]
    assert interest[1][3].endswith(": Coaching") and interest[1][4] == "0 = Not chosen; 1 = Chosen"
    about = " ".join(c.value for row in book["About"].iter_rows() for c in row if c.value)
    assert "Respondents are never identified" in about and "rater" not in about.lower()


def test_spss_file_reads_back_with_labels_and_value_labels(lead_client, audit, tmp_path):
    path = tmp_path / "r.sav"
    path.write_bytes(download(lead_client, audit, "sav").data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 3
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["sub_region"] == "Which sub-region is your organisation in?"
    assert meta.variable_value_labels["sub_region"][4.0] == "Surrey"
    assert meta.variable_value_labels["leadership_skills"] == {
        1.0: "Developing",
        2.0: "Between developing and proficient",
        3.0: "Proficient",
        4.0: "Between proficient and advanced",
        5.0: "Advanced",
    }
    assert sorted(frame["leadership_skills"].dropna()) == [2.0, 4.0]
    # A multiple-choice question is one 0/1 variable per option, missing where skipped.
    assert labels["development_interest_2"].endswith(": Coaching")
    assert sorted(frame["development_interest_2"].fillna(-1)) == [-1, -1, 1]
    assert sorted(frame["development_interest_1"].fillna(-1)) == [-1, -1, 0]
    assert "sub_region_label" not in frame.columns and not [c for c in frame.columns if "(" in c]
    assert set(frame["source"]) == {"link", "imp-a1b2c3"}
    assert "=cmd()" in set(frame["post_title"])


def test_stata_file_reads_back_with_valid_names_and_labels(lead_client, make_campaign, tmp_path):
    audit = make_campaign("skills_talent_audit")
    for region, level in [("surrey", "4"), ("kent_medway", "2")] * 3:
        add_response(audit, {"sub_region": [region], "leadership_skills": [level]})
    db.session.commit()
    path = tmp_path / "r.dta"
    path.write_bytes(download(lead_client, audit, "dta").data)
    frame, meta = pyreadstat.read_dta(str(path))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,31}", name) for name in meta.column_names)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["leadership_skills"] == "Leadership skills"
    value_labels = meta.value_labels[meta.variable_to_label["sub_region"]]
    assert value_labels[4] == "Surrey"
    assert sorted(frame["sub_region"].dropna()) == [3.0, 3.0, 3.0, 4.0, 4.0, 4.0]


def test_a_360_export_keeps_pooling_dates_only_individual_rows_and_not_observed_is_missing(
    lead_client, make_campaign, tmp_path
):
    campaign = make_campaign("tiny_feedback")
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    add_response(campaign, {"listening_meetings": ["3"]}, asha, "self")
    add_response(campaign, {"listening_meetings": ["not_observed"]}, asha, "line_manager")
    add_response(campaign, {"listening_meetings": ["2"]}, asha, "peer")
    add_response(campaign, {"listening_meetings": ["4"]}, asha, "partner")
    db.session.commit()
    rows = list(
        csv.DictReader(io.StringIO(download(lead_client, campaign, "csv").get_data(as_text=True)))
    )
    by_group = {r["relationship"]: r for r in rows}
    assert set(by_group) == {"self", "line_manager", ""}
    assert by_group["self"]["day"] and by_group["line_manager"]["day"]
    assert [r["day"] for r in rows if r["relationship"] == ""] == ["", ""]
    path = tmp_path / "r.sav"
    path.write_bytes(download(lead_client, campaign, "sav").data)
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.variable_value_labels["listening_meetings"][9.0] == "Not observed"
    assert meta.missing_ranges["listening_meetings"] == [{"lo": 9.0, "hi": 9.0}]
    plain, _ = pyreadstat.read_sav(str(path))
    assert sorted(plain["listening_meetings"].dropna()) == [2.0, 3.0, 4.0]  # never a score
    dta = tmp_path / "r.dta"
    dta.write_bytes(download(lead_client, campaign, "dta").data)
    frame, meta = pyreadstat.read_dta(str(dta), user_missing=True)
    assert "a" in list(frame["listening_meetings"])
    book = load_workbook(io.BytesIO(download(lead_client, campaign, "xlsx").data))
    about = " ".join(c.value for row in book["About"].iter_rows() for c in row if c.value)
    assert "Rater identities are never exported" in about


def test_variable_names_are_valid_unique_and_never_reserved():
    names = variable_names(
        ["1st answer", "with", "a b-c", "x" * 80, "x" * 80 + "y", "A", "a", "__"], 32, {"with"}
    )
    assert names[:4] == ["v_1st_answer", "with_2", "a_b_c", "x" * 32]
    assert names[4] == "x" * 30 + "_2" and names[5:7] == ["A", "a_2"] and names[7] == "var"
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) and len(n) <= 32 for n in names)


def test_cli_writes_every_format(cli, audit, tmp_path):
    for fmt, check in (
        ("excel-csv", lambda p: p.read_bytes().startswith(b"\xef\xbb\xbf")),
        ("sav", lambda p: len(pyreadstat.read_sav(str(p))[0]) == 3),
        ("dta", lambda p: len(pyreadstat.read_dta(str(p))[0]) == 3),
    ):
        target = tmp_path / f"out.{fmt}"
        result = cli.invoke(args=["export", audit.id, "--format", fmt, "--output", str(target)])
        assert result.exit_code == 0, result.output
        assert check(target), fmt
