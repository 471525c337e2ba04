"""The findings page of a survey: tallies with answered and skipped, groups, cross-tabs, notes."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

from survey_app.findings.exports import hidden_text

pytestmark = pytest.mark.db


def one_decimal(count: int, of: int) -> str:
    """count/of as a percentage the way people round it, e.g. '52.1%'."""
    value = (Decimal(100) * count / of).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def test_seslip_tallies_show_answered_skipped_and_percent_of_answered(
    lead, seslip_campaign, seslip_data
):
    page = lead.get(f"/campaigns/{seslip_campaign.id}/findings").get_data(as_text=True)
    years = Counter(row["years_management"] for row in seslip_data if row["years_management"])
    answered = sum(years.values())
    assert answered < len(seslip_data)  # the dataset has people who skipped this question
    assert f"Answered: {answered}. Skipped: {len(seslip_data) - answered}." in page
    for label, count in years.items():
        assert one_decimal(count, answered) in page, label
    satisfied = Counter(row["satisfaction"] for row in seslip_data)
    assert one_decimal(satisfied["Fairly satisfied"], len(seslip_data)) in page
    planning = sum(
        1 for row in seslip_data if row["aspiration"] in ("Planning to apply", "Likely to apply")
    )
    assert "Likely or planning to apply" in page
    assert one_decimal(planning, len(seslip_data)) in page
    assert 'class="chart' in page and "plotly.min.js" in page


def test_seslip_findings_note_the_source_reports_inconsistent_figures(
    lead, seslip_campaign, seslip_data, report
):
    page = lead.get(f"/campaigns/{seslip_campaign.id}/findings").get_data(as_text=True)
    assert "Note on the source report" in page
    assert "OK 7" in page  # what the report's table says, quoted
    ok = sum(1 for row in seslip_data if row["satisfaction"] == "OK")
    assert f"{ok} of {len(seslip_data)} who answered" in page
    years = sum(1 for row in seslip_data if row["years_management"])
    six_plus = sum(
        1 for row in seslip_data if row["years_management"] in ("6 to 10 years", "10 years plus")
    )
    assert f"{six_plus} of {years} who answered ({one_decimal(six_plus, years)})" in page
    everyone = len(seslip_data)
    assert f"of all {everyone} respondents, {one_decimal(six_plus, everyone)}" in page
    notes = report(seslip_campaign.id)["source_notes"]
    assert {note["item_id"] for note in notes} == {"satisfaction", "years_management"}


def test_questions_added_after_2019_say_so_on_the_2019_data_set_not_answered_0(
    lead, seslip_campaign, make_campaign, add_responses
):
    page = lead.get(f"/campaigns/{seslip_campaign.id}/findings").get_data(as_text=True)
    added = page.split('id="q-years_authority"')[1].split("</section>")[0]
    assert "Not asked in the SESLIP survey and interviews of May to July 2019" in added
    assert "Answered: 0" not in added
    # A question the 2019 data set did ask keeps its figures.
    asked = page.split('id="q-years_management"')[1].split("</section>")[0]
    assert "Answered: " in asked and "Not asked in" not in asked
    # A new campaign with nobody answering the same question says "Answered: 0", as it is.
    campaign = make_campaign("seslip_aspiration_survey", title="SESLIP 2027")
    add_responses(campaign, [{"satisfaction": ["3"]}] * 4)
    fresh = lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "Not asked in the SESLIP" not in fresh


def test_a_new_seslip_campaign_shows_no_note_on_the_2019_report(
    lead, make_campaign, add_responses, report
):
    # The notes are about the 2019 data set's figures; a new survey on the same instrument has
    # its own respondents, and the 2019 report's inconsistencies say nothing about them.
    campaign = make_campaign("seslip_aspiration_survey", title="SESLIP 2027")
    add_responses(campaign, [{"satisfaction": ["3"], "years_management": ["6_10_years"]}] * 4)
    page = lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "Note on the source report" not in page and "OK 7" not in page
    assert report(campaign.id)["source_notes"] == []


def test_other_instruments_have_no_source_note(lead, make_campaign, add_responses):
    campaign = make_campaign("skills_talent_audit")
    add_responses(campaign, [{"sub_region": ["surrey"]}] * 3)
    page = lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "Note on the source report" not in page


SMALL_CELL = (
    [{"gender": ["female"], "aspiration": ["planning"]}] * 5
    + [{"gender": ["male"], "aspiration": ["planning"]}] * 4
    + [{"gender": ["male"], "aspiration": ["unlikely"]}]
    + [{"gender": ["female"], "aspiration": ["unlikely"]}] * 4
    + [{"gender": ["female"], "aspiration": ["may"]}] * 4
    + [{"gender": ["male"], "aspiration": ["may"]}] * 3
)


def _row_after(rows, title_part, first_cell):
    """The row starting with first_cell in the table whose title contains title_part."""
    start = next(i for i, row in enumerate(rows) if row and title_part in row[0])
    header = rows[start + 1]
    row = next(r for r in rows[start + 2 :] if r and r[0] == first_cell)
    return dict(zip(header, row, strict=False))


def test_small_crosstab_cells_are_hidden_on_page_csv_xlsx_and_json(
    lead, make_campaign, add_responses, report, csv_rows, xlsx_values
):
    campaign = make_campaign("seslip_aspiration_survey")
    add_responses(campaign, SMALL_CELL)
    hidden = hidden_text(3)
    page = lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "Cross-tabulations" in page and hidden in page
    data = report(campaign.id)["crosstabs"]["aspiration_by_gender"]
    assert data["cells"]["Unlikely to apply"]["Male"] is None  # one person
    assert data["cells"]["Unlikely to apply"]["Female"] is None  # else 5 - 4 gives them away
    truth = {
        ("Planning to apply", "Female"): 5,
        ("Planning to apply", "Male"): 4,
        ("May apply", "Female"): 4,
        ("May apply", "Male"): 3,
    }
    shown = {key: data["cells"][key[0]][key[1]] for key in truth}
    assert any(value is not None for value in shown.values())
    assert all(value in (None, truth[key]) for key, value in shown.items())
    rows = csv_rows(lead.get(f"/campaigns/{campaign.id}/findings.csv").data)
    unlikely = _row_after(rows, "by How would you describe your gender", "Unlikely to apply")
    assert unlikely["Male"] == hidden and unlikely["Female"] == hidden
    workbook = xlsx_values(lead.get(f"/campaigns/{campaign.id}/findings.xlsx").data)
    assert hidden in workbook


def test_commissioner_picks_a_crosstab_with_a_get_form(lead, make_campaign, add_responses):
    campaign = make_campaign("seslip_aspiration_survey")
    add_responses(campaign, SMALL_CELL)
    url = f"/campaigns/{campaign.id}/findings"
    page = lead.get(url).get_data(as_text=True)
    assert 'method="get"' in page and 'name="row"' in page and 'name="col"' in page
    chosen = lead.get(f"{url}?row=gender&col=aspiration").get_data(as_text=True)
    title = (
        "How would you describe your gender? by To what extent have you considered "
        "becoming an assistant director or director in the future?"
    )
    assert title in chosen and title not in page
    same = lead.get(f"{url}?row=gender&col=gender").get_data(as_text=True)
    assert "Choose two different questions" in same


def test_another_commissioner_gets_not_found_everywhere(other_client, seslip_campaign):
    base = f"/campaigns/{seslip_campaign.id}"
    for url in (
        f"{base}/findings",
        f"{base}/findings.csv",
        f"{base}/findings.xlsx",
        f"{base}/findings.pdf",
        f"{base}/findings/print",
        f"{base}/codebooks/barriers",
    ):
        assert other_client.get(url).status_code == 404, url


def test_360_campaigns_have_no_survey_findings(lead, make_campaign):
    campaign = make_campaign("resourceful_leader_360")
    assert lead.get(f"/campaigns/{campaign.id}/findings").status_code == 404


def test_pdf_is_a_real_pdf_and_print_page_has_tables_not_charts(lead, seslip_campaign):
    response = lead.get(f"/campaigns/{seslip_campaign.id}/findings.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and b"%%EOF" in response.data[-1024:]
    printable = lead.get(f"/campaigns/{seslip_campaign.id}/findings/print").get_data(as_text=True)
    assert "<table" in printable and "data-figure" not in printable


def test_print_page_and_pdf_draw_each_question_as_an_svg_bar_chart(
    lead, seslip_campaign, seslip_data
):
    # Before: the PDF had tables only.
    import re

    from tests.pdf_text import pdf_text, squeezed

    base = f"/campaigns/{seslip_campaign.id}"
    printable = lead.get(f"{base}/findings/print").get_data(as_text=True)
    years = Counter(row["years_management"] for row in seslip_data if row["years_management"])
    prompt = "How long have you been in a second or third tier management post?"
    chart = re.search(
        r'<svg [^>]*aria-label="' + re.escape(prompt) + r'".*?</svg>', printable, re.S
    )
    assert chart, "no chart for the question"
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", chart.group(0))
    answered = sum(years.values())
    for label, count in years.items():
        assert f"{count} ({one_decimal(count, answered)[:-1]}%)" in texts, label
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', chart.group(0))]
    drawn = [int(t.split()[0]) for t in texts if re.fullmatch(r"\d+ \([\d.]+%\)", t)]
    assert sorted(drawn) == sorted(years.values()) and len(widths) == len(drawn)
    for width, count in zip(widths, drawn, strict=True):  # each bar as long as its number
        assert abs(width / widths[0] - count / drawn[0]) < 0.01
    axis = f"Respondents (answered {answered}, skipped {len(seslip_data) - answered})"
    assert axis in texts and "<table" in printable
    text = squeezed(pdf_text(lead.get(f"{base}/findings.pdf").data))
    assert squeezed(axis) in text
