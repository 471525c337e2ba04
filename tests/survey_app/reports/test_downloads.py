"""PDFs are real PDFs naming the participant; exports neutralise formulas; JSON matches the page."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from survey_app.reports.services import report_360_json
from tests.pdf_text import pdf_and_html, pdf_text, squeezed, svg_named

from .conftest import pdf_bytes_text

RATERS = [("self", 3), ("line_manager", 2), ("peer", 3), ("peer", 2), ("peer", 4)]


def test_participant_pdf_is_a_pdf_with_the_name(client, make_participant):
    link = make_participant(RATERS)
    response = client.get(f"/p/{link.token}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert b"360 feedback report: Amira Hussain" in pdf_bytes_text(response.data)
    assert "Amira-Hussain.pdf" in response.headers["Content-Disposition"]


def test_cohort_pdf_is_a_pdf(lead_client, make_participant):
    link = make_participant(RATERS)
    response = lead_client.get(f"/campaigns/{link.participant.campaign_id}/cohort.pdf")
    assert response.data.startswith(b"%PDF")
    assert b"Cohort report: Test campaign" in pdf_bytes_text(response.data)


def test_exports_neutralise_formulas(lead_client, make_participant):
    link = make_participant(RATERS, name='=HYPERLINK("http://evil")')
    campaign_id = link.participant.campaign_id
    rows = list(
        csv.reader(
            io.StringIO(
                lead_client.get(f"/campaigns/{campaign_id}/cohort.csv?table=heat_map").get_data(
                    as_text=True
                )
            )
        )
    )
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    workbook = load_workbook(
        io.BytesIO(lead_client.get(f"/campaigns/{campaign_id}/cohort.xlsx").data)
    )
    names = [row[0] for row in workbook["heat_map"].iter_rows(min_row=3, values_only=True)]
    assert names == ['\'=HYPERLINK("http://evil")']
    assert set(workbook.sheetnames) == {"behaviours", "heat_map", "support", "reliability"}


def test_cohort_csv_gives_the_published_means(lead_client, make_participant):
    link = make_participant(RATERS)
    campaign_id = link.participant.campaign_id
    rows = list(
        csv.reader(
            io.StringIO(
                lead_client.get(f"/campaigns/{campaign_id}/cohort.csv?table=heat_map").get_data(
                    as_text=True
                )
            )
        )
    )
    assert rows[1][0] == "Amira Hussain"
    # line manager 2, peers 3, 2 and 4 on every item: others' mean is 11 / 4
    assert rows[1][1:] == ["2.75"] * 8
    assert lead_client.get(f"/campaigns/{campaign_id}/cohort.csv?table=nope").status_code == 404


def test_the_cohort_table_has_no_lowest_or_highest_column(lead_client, make_participant):
    # No output publishes a minimum or maximum, so these columns only ever showed dashes.
    campaign_id = make_participant(RATERS).participant.campaign_id
    header = next(
        csv.reader(
            io.StringIO(
                lead_client.get(f"/campaigns/{campaign_id}/cohort.csv?table=behaviours").get_data(
                    as_text=True
                )
            )
        )
    )
    assert header == ["Behaviour", "Participants", "Mean level", "SD", "Relative to own average"]
    page = lead_client.get(f"/campaigns/{campaign_id}/cohort").get_data(as_text=True)
    assert ">Lowest<" not in page and ">Highest<" not in page


def test_campaign_json_route_matches_the_service(lead_client, make_participant):
    link = make_participant(RATERS)
    campaign = link.participant.campaign
    served = lead_client.get(f"/campaigns/{campaign.id}/report.json").get_json()
    assert served == report_360_json(campaign)
    person = lead_client.get(
        f"/campaigns/{campaign.id}/participants/{link.participant.id}/report.json"
    ).get_json()
    assert person["behaviours"] == served["participants"][link.participant.id]["behaviours"]
    assert served["cohort"]["participants"] == 1


def test_participant_pdf_draws_the_report_charts_beside_the_tables(
    client, make_participant, monkeypatch
):
    # Before: the PDF said "Charts appear on the web page" and had tables only.
    link = make_participant(RATERS)
    data, html = pdf_and_html(monkeypatch, client, f"/p/{link.token}/report.pdf")
    assert 'id="overview-table"' in html  # the tables stay
    overview = svg_named(html, "Levels by behaviour")
    assert overview.count("<polygon") == 8 + 1  # a diamond per behaviour for others, one keyed
    behaviour = svg_named(html, "Openness to possibilities: average level by group")
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", behaviour)
    assert "All raters except self (n=4)" in texts
    assert "2.8" in texts and "3.0" in texts  # others (2+3+2+4)/4, self 3
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', behaviour)]
    assert abs(widths[-1] / widths[0] - 2.75 / 3) < 0.01  # all others' bar against self's
    assert "Self rating minus others&#39; rating" in svg_named(
        html, "How your view compares with others'"
    )
    text = squeezed(pdf_text(data))
    for label in (
        "Openness to possibilities: average level by group",
        "All raters except self (n=4)",
        "Self rating minus others' rating",
    ):
        assert squeezed(label) in text, label


def test_cohort_pdf_draws_the_heat_map(lead_client, make_participant, monkeypatch):
    link = make_participant(RATERS)
    data, html = pdf_and_html(
        monkeypatch, lead_client, f"/campaigns/{link.participant.campaign_id}/cohort.pdf"
    )
    heat = svg_named(html, "Cohort: others' mean level")
    assert re.findall(r"<text [^>]*>(2\.8)</text>", heat) == ["2.8"] * 8  # 2.75 on all eight
    assert 'id="heat-map-table"' in html
    assert squeezed("Cohort: others' mean level") in squeezed(pdf_text(data))


def test_cohort_tables_escape_formulas_as_every_export_does_but_keep_negative_numbers():
    from survey_app.reports.exports import table_csv

    rows = list(
        csv.reader(
            io.StringIO(
                table_csv(["Gap", "=SUM(A1)"], [["-0.5", "-cmd|' /C calc'!A0", "@x", 1.5, None]])
            )
        )
    )
    # The cohort's own escaper had prefixed "-0.5" with an apostrophe, unlike every other
    # export: a plain number runs nothing, and it must read back as the number it is.
    assert rows == [["Gap", "'=SUM(A1)"], ["-0.5", "'-cmd|' /C calc'!A0", "'@x", "1.5", ""]]
