"""The skills and talent audit: the §8 summary with the commissioner's counts, the §9 matrix."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from analysis.skills_audit import PROMPTS
from survey_app.extensions import db
from survey_app.findings.exports import hidden_text

pytestmark = pytest.mark.db

AREAS = (
    "leadership_attributes",
    "leadership_skills",
    "integrated_service_delivery",
    "partnership_working",
    "community_engagement",
    "political_corporate_context",
)


def audit_answers(region, rating, progression, direction=None, name=None):
    answers = {"sub_region": [region], "career_progression": [progression]}
    answers.update({area: [str(rating)] for area in AREAS})
    if direction:
        answers["move_direction"] = [direction]
    if name:
        answers["name"] = [name]
    return answers


RESPONSES = [audit_answers("kent_medway", 5, "yes", "upwards")] * 4 + [
    audit_answers("surrey", 1, "not_foreseeable", name="Jordan Blakemore"),
    audit_answers("surrey", 1, "yes", "upwards"),
]


@pytest.fixture
def audit_campaign(make_campaign, add_responses):
    campaign = make_campaign("skills_talent_audit", title="Regional audit")
    add_responses(campaign, RESPONSES)
    return campaign


def test_audit_shows_summary_and_matrix_with_prompts_and_no_names(
    lead, audit_campaign, report, csv_rows
):
    page = lead.get(f"/campaigns/{audit_campaign.id}/findings").get_data(as_text=True)
    assert "Summary of skills and talent audit" in page and "High-potential matrix" in page
    assert PROMPTS[("advanced", "upwards_soon")] in page
    assert "Jordan" not in page and "Blakemore" not in page
    data = report(audit_campaign.id)
    matrix = data["hipo_matrix"]
    assert matrix["total"] == len(RESPONSES)
    assert matrix["cells"]["Developing"]["Not looking to advance"]["n"] is None  # one person
    assert matrix["note"]  # the page and exports say why figures are hidden
    assert "Blakemore" not in str(data)
    body = lead.get(f"/campaigns/{audit_campaign.id}/findings.csv").data.decode("utf-8")
    assert "Blakemore" not in body
    rows = csv_rows(body.encode())
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith("High-potential"))
    matrix_row = next(row for row in rows[start:] if row and row[0] == "Developing")
    assert hidden_text(3) in matrix_row


def test_summary_rows_hide_small_groups(lead, audit_campaign, report):
    rows = {row["group"]: row for row in report(audit_campaign.id)["audit_summary"]["rows"]}
    # Two people from Surrey: the whole row goes, their number, their zeros and all.
    surrey = rows["Surrey"]
    assert surrey["respondents"] is None and surrey["hipo_self"] is None
    assert {"upward", "interested"} <= set(surrey["suppressed"])
    assert set(surrey["reasons_not_advancing"].values()) == {None}
    assert set(surrey["development_opportunities"].values()) == {None}


def test_commissioner_enters_organisational_high_potential_counts(
    lead, audit_campaign, post_form, report
):
    url = f"/campaigns/{audit_campaign.id}/findings/high-potential"
    response = post_form(
        lead,
        url,
        {"by": "sub_region", "name-1": "Kent and Medway", "count-1": "3"},
        get_url=f"/campaigns/{audit_campaign.id}/findings",
    )
    assert response.status_code == 302
    db.session.refresh(audit_campaign)
    assert audit_campaign.settings["organisational_hipo"] == {"Kent and Medway": 3}
    rows = {row["group"]: row for row in report(audit_campaign.id)["audit_summary"]["rows"]}
    assert rows["Kent and Medway"]["hipo_organisational"] == 3
    bad = post_form(
        lead,
        url,
        {"name-1": "Surrey", "count-1": "lots"},
        get_url=f"/campaigns/{audit_campaign.id}/findings",
        follow_redirects=True,
    )
    assert "as a whole number" in bad.get_data(as_text=True)


def test_exports_neutralise_formulas(lead, audit_campaign, post_form, csv_rows):
    findings = f"/campaigns/{audit_campaign.id}/findings"
    post_form(
        lead,
        f"{findings}/high-potential",
        {"by": "organisation", "name-new": '=HYPERLINK("http://evil")', "count-new": "2"},
        get_url=findings,
    )
    rows = csv_rows(lead.get(f"/campaigns/{audit_campaign.id}/findings.csv?by=organisation").data)
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert not any(cell.startswith("=") for cell in cells)
    book = load_workbook(
        io.BytesIO(lead.get(f"/campaigns/{audit_campaign.id}/findings.xlsx?by=organisation").data)
    )
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    # A text cell shown as typed (Excel's quote prefix, no visible apostrophe), never a formula.
    [evil] = [c for c in cells if c.value == '=HYPERLINK("http://evil")']
    assert evil.data_type == "s" and evil.quotePrefix
    assert not [c for c in cells if c.data_type == "f"]


def test_read_only_share_reads_but_cannot_change_counts(app, audit_campaign, signed_in):
    from survey_app.auth.services import create_user
    from survey_app.models import CampaignShare

    reader = create_user("reader@example.org", "correct horse battery")
    db.session.add(CampaignShare(campaign_id=audit_campaign.id, user_id=reader.id))
    db.session.commit()
    client = signed_in(app.test_client(), reader)
    findings = f"/campaigns/{audit_campaign.id}/findings"
    page = client.get(findings)
    assert page.status_code == 200
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    response = client.post(
        f"{findings}/high-potential",
        data={"csrf_token": token.split('"')[0], "name-1": "Surrey", "count-1": "9"},
    )
    assert response.status_code == 403
    db.session.refresh(audit_campaign)
    assert "organisational_hipo" not in (audit_campaign.settings or {})


def test_hidden_audit_figures_show_one_mark_and_the_words_once(lead, audit_campaign, csv_rows):
    # Before: every hidden cell of one 21-column table repeated the whole phrase.
    from survey_app.findings.exports import HIDDEN_MARK

    page = lead.get(f"/campaigns/{audit_campaign.id}/findings").get_data(as_text=True)
    section = page.split('id="audit-summary"')[1].split('id="hipo-matrix"')[0]
    assert section.count(hidden_text(3)) == 1
    assert f'<p class="hint footnote">{HIDDEN_MARK} = {hidden_text(3)}.</p>' in section
    assert section.count('<td class="num suppressed">') >= 3
    captions = re.findall(r"<caption>(Summary of skills and talent audit[^<]*)</caption>", section)
    assert len(captions) >= 4
    headers = [re.findall(r'<th scope="col"', table) for table in section.split("<table")[1:]]
    assert max(len(header) for header in headers[: len(captions)]) <= 7
    # The CSV keeps one table with the words in every hidden cell, for spreadsheets.
    rows = csv_rows(lead.get(f"/campaigns/{audit_campaign.id}/findings.csv").data)
    assert any(hidden_text(3) in row for row in rows)


def test_a_bad_high_potential_number_comes_back_open_with_what_was_typed(
    lead, audit_campaign, post_form
):
    findings = f"/campaigns/{audit_campaign.id}/findings"
    response = post_form(
        lead,
        f"{findings}/high-potential",
        {
            "by": "sub_region",
            "name-1": "Kent and Medway",
            "count-1": "lots",
            "name-new": "Surrey",
            "count-new": "4",
        },
        get_url=findings,
    )
    assert response.status_code == 400  # shown again, not redirected to a fragment below
    page = response.get_data(as_text=True)
    main = page.split('<main id="main-content"', 1)[1]
    assert main.index('class="error-summary"') < main.index("<h1")
    assert 'href="#count-1"' in main and "Enter the count for Kent and Medway" in main
    assert '<details class="panel no-print" id="hipo-numbers" open>' in main
    assert (
        'name="count-1" inputmode="numeric" aria-describedby="count-1-error" value="lots"' in main
    )
    assert 'value="Surrey"' in main and 'name="count-new" inputmode="numeric" value="4"' in main
    db.session.refresh(audit_campaign)
    assert "organisational_hipo" not in (audit_campaign.settings or {})


def test_a_refused_list_of_names_returns_to_the_error_summary_not_past_it(
    lead, audit_campaign, post_form
):
    findings = f"/campaigns/{audit_campaign.id}/findings"
    response = post_form(lead, f"{findings}/redact", {"terms": "x" * 20001}, get_url=findings)
    assert response.status_code == 302 and "#" not in response.headers["Location"]
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    main = page.split('<main id="main-content"', 1)[1]
    summary = main.split('class="error-summary"', 1)
    assert len(summary) == 2 and summary[0].strip().endswith("<div")  # first thing in main
    assert "keep it under 20,000 characters" in summary[1] and "<title>Error:" in page
